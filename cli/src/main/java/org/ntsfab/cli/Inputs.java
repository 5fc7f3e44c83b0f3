package org.ntsfab.cli;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import org.ntsfab.model.ConfigFile;
import org.ntsfab.model.pcap.Pcap;

/** The verbs' input files, read with errors that name the file ({@link InputException}, exit status 3). */
final class Inputs {
    private Inputs() {}

    static ConfigFile config(Path p) throws InputException {
        try {
            return ConfigFile.load(p);
        } catch (IOException e) {
            throw failed(p, "configuration", e);
        }
    }

    static List<Pcap.Record> capture(Path p) throws InputException {
        try {
            return Pcap.read(p);
        } catch (IOException e) {
            throw failed(p, "capture", e);
        }
    }

    /** One line for an I/O failure: {@code no such file: x}, {@code x: not a classic pcap file ...}. */
    static String describe(IOException e) {
        if (e instanceof NoSuchFileException n) return "no such file: " + n.getFile();
        if (e instanceof AccessDeniedException a) return "permission denied: " + a.getFile();
        String m = e.getMessage();
        return m == null ? e.getClass().getSimpleName() : m.lines().findFirst().orElse(m);
    }

    private static InputException failed(Path p, String what, IOException e) {
        if (e instanceof NoSuchFileException || e instanceof AccessDeniedException) return new InputException(describe(e), e);
        return new InputException(p + ": bad " + what + ": " + describe(e), e);
    }
}
