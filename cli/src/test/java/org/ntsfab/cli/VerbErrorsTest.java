package org.ntsfab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Issue 16's list, verb by verb: each verb is fed a missing file, a file that is not a capture, a bad configuration
 * value, an out-of-range number and an unknown option, wherever it takes such an input; each answer is exactly one line
 * on stderr, nothing on stdout, a non-zero exit status (2 for usage, 3 for input), and no work done (no file written
 * beside the inputs). The expected lines are written here by hand.
 */
class VerbErrorsTest {
    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final Path CONFIG = ROOT.resolve("configs/example.toml");

    enum Kind { MISSING_FILE, NOT_A_CAPTURE, BAD_CONFIG_VALUE, OUT_OF_RANGE, UNKNOWN_OPTION, UNWRITABLE_OUTPUT }

    /**
     * One case: {@code args} may name {@code @CFG} (the example configuration), {@code @BADCFG} (the example with
     * {@code ttl = 300}), {@code @TEXT} (a text file posing as a capture), {@code @REQ} (a real capture), {@code @PEM}
     * (a certificate and key file that holds neither). {@code expected} is the start of the one stderr line, with the same
     * names for the files' absolute paths.
     */
    record Case(String verb, Kind kind, int exit, String expected, List<String> args) {
        @Override
        public String toString() {
            return verb + " " + kind;
        }
    }

    private static Case c(String verb, Kind kind, int exit, String expected, String... args) {
        return new Case(verb, kind, exit, expected, List.of(args));
    }

    static List<Case> cases() {
        List<Case> l = new ArrayList<>();
        // demo
        l.add(c("demo", Kind.MISSING_FILE, 3, "ntsfab demo: no such file: @DIR/none.toml", "--config", "none.toml"));
        l.add(c("demo", Kind.BAD_CONFIG_VALUE, 3, "ntsfab demo: @BADCFG: bad configuration: [interface] ttl", "--config", "@BADCFG"));
        l.add(c("demo", Kind.OUT_OF_RANGE, 2, "ntsfab demo: --count: expected an integer 0..2000000, got 2000001", "--count", "2000001"));
        l.add(c("demo", Kind.UNWRITABLE_OUTPUT, 3, "ntsfab demo: --out @TEXT/x: cannot be created (@TEXT is a file)", "--out", "@TEXT/x"));
        // gen
        l.add(c("gen", Kind.MISSING_FILE, 3, "ntsfab gen: no such file: @DIR/none.toml", "--config", "none.toml", "--out", "rtl"));
        l.add(c("gen", Kind.BAD_CONFIG_VALUE, 3, "ntsfab gen: @BADCFG: bad configuration: [interface] ttl", "--config", "@BADCFG", "--out", "rtl"));
        l.add(c("gen", Kind.UNWRITABLE_OUTPUT, 3, "ntsfab gen: --out @TEXT: is a file, expected a directory", "--config", "@CFG", "--out", "@TEXT"));
        // sim
        l.add(c("sim", Kind.MISSING_FILE, 3, "ntsfab sim: no such file: @DIR/none.pcap", "--config", "@CFG", "--in", "none.pcap", "--out", "a.pcap"));
        l.add(c("sim", Kind.NOT_A_CAPTURE, 3, "ntsfab sim: @TEXT: bad capture: ", "--config", "@CFG", "--in", "@TEXT", "--out", "a.pcap"));
        l.add(c("sim", Kind.BAD_CONFIG_VALUE, 3, "ntsfab sim: @BADCFG: bad configuration: [interface] ttl", "--config", "@BADCFG", "--in", "@REQ", "--out", "a.pcap"));
        l.add(c("sim", Kind.OUT_OF_RANGE, 2, "ntsfab sim: --tx-ready: expected a probability 0..1, got 1.01", "--config", "@CFG", "--in", "@REQ",
                "--out", "a.pcap", "--tx-ready", "1.01"));
        l.add(c("sim", Kind.UNWRITABLE_OUTPUT, 3, "ntsfab sim: --out @TEXT/a.pcap: no such directory @TEXT", "--config", "@CFG", "--in", "@REQ",
                "--out", "@TEXT/a.pcap"));
        // lint
        l.add(c("lint", Kind.UNWRITABLE_OUTPUT, 3, "ntsfab lint: --out @TEXT/x: cannot be created (@TEXT is a file)", "--out", "@TEXT/x", "--top", "eth_fcs_64"));
        // bench
        l.add(c("bench", Kind.OUT_OF_RANGE, 2, "ntsfab bench: --cores: expected comma-separated integers >= 1, got 4,0", "--nts-only", "--cores", "4,0"));
        // model
        l.add(c("model", Kind.MISSING_FILE, 3, "ntsfab model: no such file: @DIR/none.pcap", "--config", "@CFG", "--in", "none.pcap", "--out", "a.pcap"));
        l.add(c("model", Kind.NOT_A_CAPTURE, 3, "ntsfab model: @TEXT: bad capture: ", "--config", "@CFG", "--in", "@TEXT", "--out", "a.pcap"));
        l.add(c("model", Kind.BAD_CONFIG_VALUE, 3, "ntsfab model: @BADCFG: bad configuration: [interface] ttl", "--config", "@BADCFG", "--in", "@REQ", "--out", "a.pcap"));
        l.add(c("model", Kind.UNWRITABLE_OUTPUT, 3, "ntsfab model: --out @DIR: is a directory, expected a file", "--config", "@CFG", "--in", "@REQ", "--out", "."));
        // traffic
        l.add(c("traffic", Kind.MISSING_FILE, 3, "ntsfab traffic: no such file: @DIR/none.toml", "--config", "none.toml", "--out", "r.pcap"));
        l.add(c("traffic", Kind.BAD_CONFIG_VALUE, 3, "ntsfab traffic: @BADCFG: bad configuration: [interface] ttl", "--config", "@BADCFG", "--out", "r.pcap"));
        l.add(c("traffic", Kind.OUT_OF_RANGE, 2, "ntsfab traffic: --count: expected an integer 0..2000000, got -5", "--config", "@CFG", "--out", "r.pcap", "--count", "-5"));
        l.add(c("traffic", Kind.UNWRITABLE_OUTPUT, 3, "ntsfab traffic: --out @TEXT/r.pcap: no such directory @TEXT", "--config", "@CFG", "--out", "@TEXT/r.pcap"));
        // build
        l.add(c("build", Kind.UNWRITABLE_OUTPUT, 3, "ntsfab build: --out @TEXT/b: cannot be created (@TEXT is a file)", "--board", "ice40-hx8k", "--out", "@TEXT/b"));
        // serve: every input is read, and both sockets bound, before the backend is built
        String[] serve = {"--ntp", "127.0.0.1:0", "--ke", "127.0.0.1:0", "--keys", "keys.toml"};
        l.add(c("serve", Kind.MISSING_FILE, 3, "ntsfab serve: no such file: @DIR/none.pem", cat(new String[] {"--config", "@CFG", "--cert", "none.pem", "--key", "@PEM"}, serve)));
        l.add(c("serve", Kind.BAD_CONFIG_VALUE, 3, "ntsfab serve: @BADCFG: bad configuration: [interface] ttl",
                cat(new String[] {"--config", "@BADCFG", "--cert", "@PEM", "--key", "@PEM"}, serve)));
        l.add(c("serve", Kind.NOT_A_CAPTURE, 3, "ntsfab serve: @PEM: not a PEM certificate chain (unrecognised object: NOTHING)", cat(new String[] {"--config", "@CFG", "--cert", "@PEM", "--key", "@PEM"}, serve)));
        l.add(c("serve", Kind.OUT_OF_RANGE, 2, "ntsfab serve: --ntp: expected HOST:PORT with a port 0..65535, got 127.0.0.1:65536",
                "--config", "@CFG", "--ntp", "127.0.0.1:65536", "--ke", "127.0.0.1:0", "--cert", "@PEM", "--key", "@PEM"));
        l.add(c("serve", Kind.UNWRITABLE_OUTPUT, 3, "ntsfab serve: --keys @TEXT/k.toml: no such directory @TEXT",
                "--config", "@CFG", "--ntp", "127.0.0.1:0", "--ke", "127.0.0.1:0", "--cert", "@PEM", "--key", "@PEM", "--keys", "@TEXT/k.toml"));
        // load
        l.add(c("load", Kind.OUT_OF_RANGE, 2, "ntsfab load: --ke: expected HOST:PORT with a port 1..65535, got 127.0.0.1:0", "--ke", "127.0.0.1:0"));
        // help
        l.add(c("help", Kind.OUT_OF_RANGE, 2, "ntsfab help: --verb: expected a verb", "--verb", "frob"));
        // every verb: an unknown option (a habit from other tools, a typo)
        for (String v : Main.verbs().keySet()) l.add(c(v, Kind.UNKNOWN_OPTION, 2, "ntsfab " + v + ": unknown option --cout", "--cout", "50"));
        return l;
    }

    /**
     * What each verb takes, written by hand from its options: a verb that reads a file must have a missing-file case,
     * one that reads a configuration a bad-value case, one that reads a capture a not-a-capture case, one with a number
     * or address an out-of-range case, one that writes a file an unwritable-output case.
     */
    static final Map<String, Set<Kind>> TAKES = new TreeMap<>(Map.ofEntries(
            Map.entry("demo", EnumSet.of(Kind.MISSING_FILE, Kind.BAD_CONFIG_VALUE, Kind.OUT_OF_RANGE, Kind.UNWRITABLE_OUTPUT)),
            Map.entry("gen", EnumSet.of(Kind.MISSING_FILE, Kind.BAD_CONFIG_VALUE, Kind.UNWRITABLE_OUTPUT)),
            Map.entry("sim", EnumSet.of(Kind.MISSING_FILE, Kind.NOT_A_CAPTURE, Kind.BAD_CONFIG_VALUE, Kind.OUT_OF_RANGE, Kind.UNWRITABLE_OUTPUT)),
            Map.entry("lint", EnumSet.of(Kind.UNWRITABLE_OUTPUT)),
            Map.entry("bench", EnumSet.of(Kind.OUT_OF_RANGE)),
            Map.entry("model", EnumSet.of(Kind.MISSING_FILE, Kind.NOT_A_CAPTURE, Kind.BAD_CONFIG_VALUE, Kind.UNWRITABLE_OUTPUT)),
            Map.entry("traffic", EnumSet.of(Kind.MISSING_FILE, Kind.BAD_CONFIG_VALUE, Kind.OUT_OF_RANGE, Kind.UNWRITABLE_OUTPUT)),
            Map.entry("build", EnumSet.of(Kind.UNWRITABLE_OUTPUT)),
            // serve's "not a capture" is the PEM file that holds no certificate
            Map.entry("serve", EnumSet.of(Kind.MISSING_FILE, Kind.NOT_A_CAPTURE, Kind.BAD_CONFIG_VALUE, Kind.OUT_OF_RANGE, Kind.UNWRITABLE_OUTPUT)),
            Map.entry("load", EnumSet.of(Kind.OUT_OF_RANGE)),
            Map.entry("help", EnumSet.of(Kind.OUT_OF_RANGE))));

    @Test
    void everyVerbHasACaseForEveryInputItTakes() {
        assertEquals(new TreeSet<>(Main.verbs().keySet()), new TreeSet<>(TAKES.keySet()), "a verb without its list here");
        for (Map.Entry<String, Set<Kind>> e : TAKES.entrySet()) {
            Set<Kind> want = EnumSet.copyOf(e.getValue());
            want.add(Kind.UNKNOWN_OPTION);
            Set<Kind> have = EnumSet.noneOf(Kind.class);
            for (Case k : cases()) if (k.verb().equals(e.getKey())) have.add(k.kind());
            assertEquals(want, have, e.getKey());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void oneLineOnStderrAndANonZeroExitBeforeAnyWork(Case k, @TempDir Path dir) throws IOException {
        Path badCfg = dir.resolve("bad.toml");
        Files.writeString(badCfg, Files.readString(CONFIG, StandardCharsets.UTF_8).replace("ttl = 64 ", "ttl = 300"));
        assertTrue(Files.readString(badCfg).contains("ttl = 300"));
        Path text = Files.writeString(dir.resolve("notes.txt"), "this is not a capture\n");
        Path pem = Files.writeString(dir.resolve("tls.pem"), "-----BEGIN NOTHING-----\n-----END NOTHING-----\n");
        Path req = dir.resolve("req.pcap");
        assertEquals(0, CliTest.run(dir, "traffic", "--config", CONFIG.toString(), "--out", req.toString(), "--count", "20").rc());
        List<String> before = CliTest.tree(dir);
        Map<String, String> names = Map.of("@BADCFG", badCfg.toString(), "@CFG", CONFIG.toString(), "@TEXT", text.toString(),
                "@PEM", pem.toString(), "@REQ", req.toString(), "@DIR", dir.toString());
        String[] args = Stream.concat(Stream.of(k.verb()), k.args().stream().map(a -> subst(a, names))).toArray(String[]::new);
        CliTest.Run r = CliTest.run(dir, args);
        assertEquals(k.exit(), r.rc(), r.err());
        assertEquals(1, r.errLines().size(), "one line on stderr: " + r.err());
        String want = subst(k.expected(), names);
        assertTrue(r.err().startsWith(want), "expected a line starting\n  " + want + "\nbut got\n  " + r.err());
        assertEquals("", r.out());
        assertEquals(before, CliTest.tree(dir), "work started (a file was written) before the error");
    }

    private static String subst(String s, Map<String, String> names) {
        for (String n : List.of("@BADCFG", "@CFG", "@TEXT", "@PEM", "@REQ", "@DIR")) s = s.replace(n, names.get(n));
        return s;
    }

    private static String[] cat(String[] a, String[] b) {
        return Stream.concat(Stream.of(a), Stream.of(b)).toArray(String[]::new);
    }
}
