package org.ntsfab.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
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

    /**
     * A capture (classic pcap or pcapng) as Ethernet frames for the configuration's responder: the frames of a Linux
     * cooked capture, which has no destination MAC, are addressed by {@link Pcap#address} (those sent to us to the
     * configuration's MAC, the outgoing ones dropped, ...), and a note line on {@code err} ({@code who}: the verb's
     * prefix) says so.
     */
    static List<Pcap.Record> capture(Path p, ConfigFile cfg, PrintStream err, String who) throws InputException {
        List<Pcap.Record> in;
        try {
            in = Pcap.read(p);
        } catch (IOException e) {
            throw failed(p, "capture", e);
        }
        Pcap.Addressed a = Pcap.address(in, cfg.mac());
        String note = a.note(cfg.mac());
        if (note != null) err.println(who + "note: " + p.getFileName() + ": " + note);
        return a.records();
    }

    /**
     * Checks, before any work, that the output file {@code p} of option {@code option} can be written: not a directory,
     * its folder exists and is writable (an existing file must be writable too).
     */
    static void outputFile(String option, Path p) throws InputException {
        if (p == null) return;
        if (Files.isDirectory(p)) throw new InputException(option + " " + p.normalize() + ": is a directory, expected a file");
        Path parent = p.toAbsolutePath().getParent();
        if (parent == null || !Files.isDirectory(parent)) throw new InputException(option + " " + p + ": no such directory " + parent);
        if (!Files.isWritable(parent) || Files.exists(p) && !Files.isWritable(p)) throw new InputException(option + " " + p + ": not writable");
    }

    /**
     * Checks, before any work, that the output folder {@code p} of option {@code option} exists as a writable directory or
     * can be created: its nearest existing ancestor is a writable directory.
     */
    static void outputDir(String option, Path p) throws InputException {
        if (p == null) return;
        Path q = p.toAbsolutePath();
        if (Files.exists(q) && !Files.isDirectory(q)) throw new InputException(option + " " + p + ": is a file, expected a directory");
        while (q != null && !Files.exists(q)) q = q.getParent();
        if (q == null || !Files.isDirectory(q)) throw new InputException(option + " " + p + ": cannot be created (" + q + " is a file)");
        if (!Files.isWritable(q)) throw new InputException(option + " " + p + ": not writable (" + q + ")");
    }

    /** One line for an I/O failure: {@code no such file: x}, {@code x: not a capture ...}. */
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
