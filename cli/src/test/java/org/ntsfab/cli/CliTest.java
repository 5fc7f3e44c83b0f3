package org.ntsfab.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.ntsfab.flow.CoreFiles;
import org.ntsfab.hdl.Design;
import org.ntsfab.model.ConfigFile;
import org.ntsfab.model.ModelRun;
import org.ntsfab.model.pcap.Pcap;
import org.ntsfab.model.traffic.TrafficGenerator;
import org.ntsfab.responder.regs.ResponderRegisters;
import org.ntsfab.responder.top.ResponderDesigns;

/**
 * The command line run in-process ({@link Main#run}): exit statuses, one-line usage errors before any work, every
 * verb's generated help, and the outputs of gen --config, gen --top, traffic and model. Needs no Verilator.
 */
class CliTest {
    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final Path CONFIG = ROOT.resolve("configs/example.toml");

    record Run(int rc, String out, String err) {
        List<String> errLines() {
            return err.lines().toList();
        }
    }

    static Run run(Path dir, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
        int rc;
        try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8); PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
            rc = Main.run(List.of(args), o, e, dir);
        }
        return new Run(rc, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    static List<String> tree(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(p -> !p.equals(dir)).map(p -> dir.relativize(p).toString()).sorted().toList();
        }
    }

    /** Each verb and options its help must show (written here, not read from the verbs). */
    static final Map<String, List<String>> HELP = new TreeMap<>(Map.ofEntries(
            Map.entry("demo", List.of("--config", "--count", "--seed", "--out")),
            Map.entry("gen", List.of("--config", "--out", "--check", "--top")),
            Map.entry("sim", List.of("--config", "--in", "--out", "--host", "--check", "--line-rate", "--vcd", "--vcd-window", "--seed", "--rx-offer",
                    "--tx-ready", "--host-ready", "--rx-error", "--rotate-key-at")),
            Map.entry("lint", List.of("--out", "--top")),
            Map.entry("bench", List.of("--quick", "--boards", "--nts-only", "--cores", "--nts-area", "--nts-core", "--sim-speed", "--json")),
            Map.entry("model", List.of("--config", "--in", "--out", "--host")),
            Map.entry("traffic", List.of("--config", "--out", "--count", "--seed", "--mix", "--start", "--nts-spacing")),
            Map.entry("build", List.of("--board", "--out", "--list")),
            Map.entry("serve", List.of("--backend", "--config", "--ntp", "--ke", "--cert", "--key", "--keys", "--rotate", "--retain",
                    "--pcap", "--no-check", "--cycle-ns")),
            Map.entry("load", List.of("--ke", "--ntp", "--seconds", "--threads")),
            Map.entry("help", List.of("--verb"))));

    @Test
    void everyVerbIsCovered() {
        assertEquals(HELP.keySet(), new TreeSet<>(Main.verbs().keySet()));
    }

    static Stream<String> verbs() {
        return HELP.keySet().stream();
    }

    /** {@code VERB --help} and {@code VERB -h}: exit 0, the verb's usage and every option, nothing else done (the
     *  temporary directory, which the verbs' default outputs resolve against, stays empty). */
    @ParameterizedTest
    @MethodSource("verbs")
    void helpOfEveryVerbPrintsItsOptionsAndDoesNothing(String verb, @TempDir Path dir) throws IOException {
        for (String flag : List.of("--help", "-h")) {
            Run r = run(dir, verb, flag);
            assertEquals(0, r.rc(), verb + " " + flag + ": " + r.err());
            assertEquals("", r.err(), verb + " " + flag);
            assertTrue(r.out().startsWith("usage: ntsfab " + verb), r.out());
            for (String o : HELP.get(verb)) assertTrue(Pattern.compile("(?m)^  " + Pattern.quote(o) + "\\b").matcher(r.out()).find(),
                    verb + " help lacks " + o + ":\n" + r.out());
            assertTrue(r.out().contains("exit status"), r.out());
            assertEquals(List.of(), tree(dir), verb + " " + flag + " wrote files");
        }
        // help wins over anything else on the line, even options the verb would reject
        Run r = run(dir, verb, "--no-such-option", "-h");
        assertEquals(0, r.rc(), r.err());
        assertEquals(List.of(), tree(dir));
    }

    @Test
    void helpListsTheVerbsAndTheExitStatuses(@TempDir Path dir) {
        Run r = run(dir, "help");
        assertEquals(0, r.rc());
        for (String v : HELP.keySet()) assertTrue(r.out().contains("\n  " + v + " "), v + " missing:\n" + r.out());
        for (String s : List.of("0 success", "1 the RTL differs from the model", "2 usage error", "3 I/O or input error"))
            assertTrue(r.out().contains(s), s);
        assertEquals(run(dir, "sim", "--help").out(), run(dir, "help", "sim").out());
        assertEquals(r.out(), run(dir).out(), "no verb: the list");
    }

    @ParameterizedTest
    @MethodSource("verbs")
    void unknownOptionIsOneLineAndExit2BeforeAnyWork(String verb, @TempDir Path dir) throws IOException {
        Run r = run(dir, verb, "--no-such-option");
        assertEquals(2, r.rc(), r.err());
        assertEquals(1, r.errLines().size(), r.err());
        assertTrue(r.err().startsWith("ntsfab " + verb + ": unknown option --no-such-option"), r.err());
        assertEquals("", r.out());
        assertEquals(List.of(), tree(dir), "work started before the usage error");
    }

    /** Usage errors: exit 2, exactly this one line on stderr, nothing on stdout, no file written. */
    static Stream<List<String>> usageErrors() {
        String c = CONFIG.toString();
        return Stream.of(
                List.of("ntsfab sim: --tx-ready: expected a probability 0..1, got -1", "sim", "--config", c, "--in", "r.pcap", "--out", "a.pcap", "--tx-ready", "-1"),
                List.of("ntsfab sim: --rx-offer: expected a probability 0..1, got 1.5", "sim", "--rx-offer=1.5", "--config", c, "--in", "r", "--out", "a"),
                List.of("ntsfab sim: --seed: expected an integer, got x", "sim", "--seed", "x"),
                List.of("ntsfab sim: --seed: given twice", "sim", "--seed", "1", "--seed", "2"),
                List.of("ntsfab traffic: --count: expected an integer 0..2000000, got ten", "traffic", "--config", c, "--out", "r.pcap", "--count", "ten"),
                List.of("ntsfab traffic: --count: expected an integer 0..2000000, got nothing", "traffic", "--config", c, "--out", "r.pcap", "--count"),
                List.of("ntsfab traffic: --out: expected a path, got nothing", "traffic", "--config", c, "--out", "--count", "3"),
                List.of("ntsfab traffic: --start: expected an ISO-8601 time such as 2026-11-24T12:00:00Z, got yesterday", "traffic", "--config", c,
                        "--out", "r.pcap", "--start", "yesterday"),
                List.of("ntsfab traffic: --nts-spacing: expected an integer >= 0, got -5", "traffic", "--config", c, "--out", "r", "--nts-spacing", "-5"),
                List.of("ntsfab traffic: --config FILE is required (ntsfab traffic --help lists the options)", "traffic", "--out", "r.pcap"),
                List.of("ntsfab model: --in REQ.pcap is required (ntsfab model --help lists the options)", "model", "--config", c, "--out", "r.pcap"),
                List.of("ntsfab gen: --check: a flag, takes no value (got yes)", "gen", "--check=yes"),
                List.of("ntsfab gen: unexpected argument 'build/rtl': options only (ntsfab gen --help lists the options)", "gen", "build/rtl"),
                List.of("ntsfab gen: --top: expected a library top's name, got no_such_top", "gen", "--top", "no_such_top"),
                List.of("ntsfab gen: --top selects a library top; with --config the top is ntsfab_top", "gen", "--config", c, "--top", "eth_fcs_64"),
                List.of("ntsfab demo: --count: expected an integer 0..2000000, got 1e3", "demo", "--count", "1e3"),
                List.of("ntsfab sim: --vcd needs --check (waveforms around the differences it finds) or --vcd-window FROM:TO (a chosen window)",
                        "sim", "--config", c, "--in", "req.pcap", "--out", "resp.pcap", "--vcd", "waves"),
                List.of("ntsfab sim: --vcd-window needs --vcd DIR (where the waveform goes)", "sim", "--config", c, "--in", "req.pcap", "--out",
                        "resp.pcap", "--check", "--vcd-window", "100:200"),
                List.of("ntsfab sim: --vcd-window: expected FROM:TO, two cycle numbers with 0 <= FROM < TO, got 200:100", "sim", "--config", c,
                        "--in", "req.pcap", "--out", "resp.pcap", "--vcd", "waves", "--vcd-window", "200:100"),
                List.of("ntsfab sim: --vcd-window: expected FROM:TO, two cycle numbers with 0 <= FROM < TO, got 100:100", "sim", "--vcd-window=100:100"),
                List.of("ntsfab sim: --vcd-window: expected FROM:TO, two cycle numbers with 0 <= FROM < TO, got -5:10", "sim", "--vcd-window", "-5:10"),
                List.of("ntsfab sim: --vcd-window: expected FROM:TO, two cycle numbers with 0 <= FROM < TO, got 1000", "sim", "--vcd-window", "1000"),
                List.of("ntsfab sim: --vcd-window 0:100001: 100001 cycles, at most 100000 (a waveform of ntsfab_top is about 2 kB a cycle)", "sim",
                        "--config", c, "--in", "req.pcap", "--out", "resp.pcap", "--vcd", "waves", "--vcd-window", "0:100001"),
                List.of("ntsfab bench: --cores: expected comma-separated integers >= 1, got 1,0", "bench", "--nts-only", "--cores", "1,0"),
                List.of("ntsfab bench: --cores 5: 1..4 NTS cores", "bench", "--nts-only", "--cores", "1,5"),
                List.of("ntsfab bench: --cores applies to --nts-only", "bench", "--cores", "2"),
                List.of("ntsfab bench: --boards, --nts-only, --nts-area, --nts-core, --nts-corpus and --sim-speed are exclusive", "bench", "--boards", "--nts-area"),
                List.of("ntsfab bench: --boards, --nts-only, --nts-area, --nts-core, --nts-corpus and --sim-speed are exclusive", "bench", "--nts-core", "--sim-speed"),
                List.of("ntsfab build: --board: expected a board (ntsfab build --list), got nosuch", "build", "--board", "nosuch"),
                List.of("ntsfab load: --ke: expected HOST:PORT with a port 1..65535, got localhost", "load", "--ke", "localhost"),
                List.of("ntsfab load: --threads: expected a positive integer, got 0", "load", "--ke", "localhost:4460", "--threads", "0"),
                List.of("ntsfab serve: --backend: expected one of model, sim, got fpga", "serve", "--backend", "fpga"),
                List.of("ntsfab serve: --rotate: expected a duration (seconds, or 90s, 15m, 12h, 2d), got soon", "serve", "--rotate", "soon"),
                List.of("ntsfab serve: --pcap applies to --backend sim", "serve", "--config", c, "--ntp", "127.0.0.1:1123", "--ke", "127.0.0.1:4460",
                        "--cert", "c.pem", "--key", "k.pem", "--pcap", "x.pcap"),
                List.of("ntsfab help: --verb: expected a verb (demo, gen, sim, lint, bench, model, traffic, build, serve, load, help), got frob", "help", "frob"),
                List.of("ntsfab: unknown verb 'frob' (verbs: demo, gen, sim, lint, bench, model, traffic, build, serve, load, help, test; ./ntsfab help)", "frob"));
    }

    @ParameterizedTest
    @MethodSource("usageErrors")
    void usageErrorIsOneLineAndExit2(List<String> c, @TempDir Path dir) throws IOException {
        Run r = run(dir, c.subList(1, c.size()).toArray(String[]::new));
        assertEquals(2, r.rc(), r.err());
        assertEquals(List.of(c.get(0)), r.errLines());
        assertEquals("", r.out());
        assertEquals(List.of(), tree(dir));
    }

    /** A missing or bad input file: exit 3, one line naming the file. */
    @Test
    void inputErrorsExit3(@TempDir Path dir) throws IOException {
        Path bad = Files.writeString(dir.resolve("bad.toml"), "[interface]\nbus_bytes = 3\n");
        Path notPcap = Files.writeString(dir.resolve("req.pcap"), "not a capture");
        Map<List<String>, String> cases = Map.of(
                List.of("model", "--config", "missing.toml", "--in", "r.pcap", "--out", "a.pcap"), "ntsfab model: no such file: " + dir.resolve("missing.toml"),
                List.of("traffic", "--config", bad.toString(), "--out", "r2.pcap"), "ntsfab traffic: " + bad + ": bad configuration: [interface] bus_bytes: expected 8 (64-bit bus, 10GbE) or 1 (byte stream, 1G), got 3 (line 2)",
                List.of("model", "--config", CONFIG.toString(), "--in", "req.pcap", "--out", "a.pcap"), "ntsfab model: " + notPcap + ": bad capture: ");
        for (Map.Entry<List<String>, String> e : cases.entrySet()) {
            Run r = run(dir, e.getKey().toArray(String[]::new));
            assertEquals(3, r.rc(), e.getKey() + ": " + r.err());
            assertEquals(1, r.errLines().size(), r.err());
            assertTrue(r.err().startsWith(e.getValue()), r.err());
        }
        assertEquals(List.of("bad.toml", "req.pcap"), tree(dir));
    }

    /**
     * sim's outputs are checked before any work (Inputs.outputFile/outputDir): an --out in a directory that does not exist,
     * or under a file, an --out that is a directory, a --host likewise, a --vcd DIR that is a file or cannot be created:
     * exit 3, one line naming the option and the
     * path, within a second or two (the simulation of the 2 000 frames alone takes longer: elaborating ntsfab_top, the
     * Verilator build or its cache, the run), no capture written. Needs no Verilator (without it the simulation would
     * end in a tool error, exit 1, not 3).
     */
    @Test
    void simRejectsAnUnwritableOutputBeforeSimulating(@TempDir Path dir) throws Exception {
        ConfigFile cfg = ConfigFile.load(CONFIG);
        Path req = dir.resolve("req.pcap");
        Pcap.write(req, new TrafficGenerator(cfg, 3).generate(2000, TrafficGenerator.parseMix("ntp=1"), Instant.parse("2026-11-24T12:00:00Z")));
        Path file = Files.writeString(dir.resolve("file"), "x");
        Files.createDirectories(dir.resolve("adir"));
        String c = CONFIG.toString();
        Map<List<String>, String> cases = new java.util.LinkedHashMap<>();
        cases.put(List.of("--out", "nodir/resp.pcap"), "ntsfab sim: --out " + dir.resolve("nodir/resp.pcap") + ": no such directory " + dir.resolve("nodir"));
        cases.put(List.of("--out", "file/resp.pcap"), "ntsfab sim: --out " + dir.resolve("file/resp.pcap") + ": no such directory " + file);
        cases.put(List.of("--out", "adir"), "ntsfab sim: --out " + dir.resolve("adir") + ": is a directory, expected a file");
        cases.put(List.of("--out", "resp.pcap", "--host", "nodir/host.pcap"),
                "ntsfab sim: --host " + dir.resolve("nodir/host.pcap") + ": no such directory " + dir.resolve("nodir"));
        cases.put(List.of("--out", "resp.pcap", "--check", "--vcd", "file"), "ntsfab sim: --vcd " + file + ": is a file, expected a directory");
        cases.put(List.of("--out", "resp.pcap", "--check", "--vcd", "file/waves"),
                "ntsfab sim: --vcd " + dir.resolve("file/waves") + ": cannot be created (" + file + " is a file)");
        for (Map.Entry<List<String>, String> e : cases.entrySet()) {
            List<String> argv = new ArrayList<>(List.of("sim", "--config", c, "--in", req.toString()));
            argv.addAll(e.getKey());
            long t0 = System.nanoTime();
            Run r = run(dir, argv.toArray(String[]::new));
            double seconds = (System.nanoTime() - t0) / 1e9;
            assertEquals(3, r.rc(), e.getKey() + ": " + r.err());
            assertEquals(1, r.errLines().size(), r.err());
            assertTrue(r.err().startsWith(e.getValue()), e.getKey() + ": " + r.err());
            assertEquals("", r.out(), "nothing simulated, nothing printed");
            assertTrue(seconds < 2, e.getKey() + " took " + seconds + " s: work before the check");
        }
        assertEquals(List.of("adir", "file", "req.pcap"), tree(dir), "no capture, no waveform directory written");
    }

    /** A capture that is empty, not a capture or cut short: exit 3, one line saying what and where (offsets computed here). */
    @Test
    void badCapturesAreOneLine(@TempDir Path dir) throws IOException {
        assertEquals(0, run(dir, "traffic", "--config", CONFIG.toString(), "--out", "req.pcap", "--count", "5", "--seed", "3").rc());
        byte[] whole = Files.readAllBytes(dir.resolve("req.pcap"));
        // the third record starts after the 24-byte file header and two records of 16 + captured length bytes
        java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(whole).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        int third = 24;
        for (int i = 0; i < 2; i++) third += 16 + b.getInt(third + 8);
        int len3 = b.getInt(third + 8);
        Files.write(dir.resolve("cut.pcap"), Arrays.copyOf(whole, third + 16 + len3 - 1));
        Files.write(dir.resolve("empty.pcap"), new byte[0]);
        Files.writeString(dir.resolve("notes.txt"), "NTP notes\n");
        String formats = "ntsfab reads classic pcap (us or ns, either byte order) and pcapng, of link type Ethernet (1), Linux cooked SLL (113) and SLL2 (276)";
        Map<String, String> cases = Map.of(
                "empty.pcap", "empty file, not a capture",
                "notes.txt", "not a capture (it starts 4e 54 50 20); " + formats,
                "cut.pcap", "record 3 at byte " + third + " cut short: the file ends after " + (16 + len3 - 1) + " of its " + (16 + len3) + " bytes");
        for (Map.Entry<String, String> e : cases.entrySet())
            for (String verb : List.of("model", "sim")) {
                Run r = run(dir, verb, "--config", CONFIG.toString(), "--in", e.getKey(), "--out", "a.pcap");
                assertEquals(3, r.rc(), r.err());
                assertEquals(List.of("ntsfab " + verb + ": " + dir.resolve(e.getKey()) + ": bad capture: " + e.getValue()), r.errLines());
            }
        assertFalse(Files.exists(dir.resolve("a.pcap")));
    }

    /** gen --config: exactly what the generator, the register map and the core files produce for the configuration. */
    @Test
    void genConfigWritesTheCore(@TempDir Path tmp) throws Exception {
        Path out = tmp.resolve("rtl");
        Run r = run(ROOT, "gen", "--config", "configs/example.toml", "--out", out.toString());
        assertEquals(0, r.rc(), r.err());
        ConfigFile cfg = ConfigFile.load(CONFIG);
        Design d = ResponderDesigns.design(cfg);
        Path ref = tmp.resolve("ref");
        List<String> verilog = d.write(ref).stream().map(p -> ref.relativize(p).toString()).toList();
        var map = ResponderRegisters.map(ResponderDesigns.defaults(cfg));
        Map<String, String> expected = new TreeMap<>();
        for (String v : verilog) expected.put(v, Files.readString(ref.resolve(v)));
        expected.put("registers/ntsfab_regs.md", map.markdown());
        expected.put("registers/ntsfab_regs.h", map.cHeader());
        expected.put("registers/NtsfabRegisters.java", map.javaConstants("org.ntsfab.regs", "NtsfabRegisters"));
        CoreFiles.constraints(d, cfg).forEach((k, v) -> expected.put("constraints/" + k, v));
        expected.put("ntsfab.core", CoreFiles.fusesoc(d, cfg, verilog));
        List<String> written = new ArrayList<>();
        for (String f : tree(out)) if (Files.isRegularFile(out.resolve(f))) written.add(f);
        assertEquals(new ArrayList<>(expected.keySet()), written);
        for (Map.Entry<String, String> e : expected.entrySet()) assertEquals(e.getValue(), Files.readString(out.resolve(e.getKey())), e.getKey());
        assertTrue(verilog.contains("ntsfab_top.v"), verilog.toString());
        assertTrue(expected.keySet().stream().anyMatch(k -> k.startsWith("constraints/") && k.endsWith(".xdc")), expected.keySet().toString());
        assertEquals("ntsfab_top: " + verilog.size() + " modules -> " + out + " (register map in " + out.resolve("registers") + ")\n", r.out());
    }

    /** gen without --config, one library top: its Verilog and the default register map. */
    @Test
    void genOneLibraryTop(@TempDir Path dir) throws Exception {
        Run r = run(dir, "gen", "--top", "axis_fifo_64_d16", "--out", "lib");
        assertEquals(0, r.rc(), r.err());
        // the top is one module, the stream FIFO, in a file named after the module
        assertEquals(List.of("lib", "lib/axis_fifo_64_d16", "lib/axis_fifo_64_d16/stream_fifo_w74_d16.v", "lib/registers",
                "lib/registers/NtsfabRegisters.java", "lib/registers/ntsfab_regs.h", "lib/registers/ntsfab_regs.md"), tree(dir));
        assertTrue(Files.readString(dir.resolve("lib/axis_fifo_64_d16/stream_fifo_w74_d16.v")).contains("module stream_fifo_w74_d16"));
        Path lib = dir.resolve("lib");
        assertEquals(List.of(String.format("%-24s %2d module(s) -> %s", "axis_fifo_64_d16", 1, lib.resolve("axis_fifo_64_d16")),
                "register map (Markdown, C header, Java constants) -> " + lib.resolve("registers"),
                "1 Verilog files written under " + lib), r.out().lines().toList());
    }

    private static final Pattern MODEL_LINE = Pattern.compile("(\\d+) frames in, (\\d+) answers, (\\d+) to host, \\d+ frames/s \\(model, one thread\\)");
    private static final Pattern COUNTER = Pattern.compile("  (\\w+) +(\\d+)  \\((answer|host|drop)\\)");

    /** traffic then model on a small corpus, relative paths resolved against the run's directory. */
    @Test
    void trafficThenModel(@TempDir Path dir) throws Exception {
        Run t = run(dir, "traffic", "--config", CONFIG.toString(), "--out", "req.pcap", "--count", "300", "--seed", "7");
        assertEquals(0, t.rc(), t.err());
        assertEquals("300 frames written to " + dir.resolve("req.pcap") + "\n", t.out());
        ConfigFile cfg = ConfigFile.load(CONFIG);
        List<Pcap.Record> req = Pcap.read(dir.resolve("req.pcap"));
        List<Pcap.Record> gen = new TrafficGenerator(cfg, 7).generate(300, TrafficGenerator.DEFAULT_MIX, Instant.parse("2026-11-24T12:00:00Z"));
        assertSameRecords(gen, req);

        Run m = run(dir, "model", "--config", CONFIG.toString(), "--in", "req.pcap", "--out", "resp.pcap", "--host", "host.pcap");
        assertEquals(0, m.rc(), m.err());
        List<String> lines = m.out().lines().toList();
        Matcher first = MODEL_LINE.matcher(lines.get(0));
        assertTrue(first.matches(), lines.get(0));
        ModelRun.Output ref = ModelRun.run(cfg, req, cfg.busBytes());
        assertSameRecords(ref.answers(), Pcap.read(dir.resolve("resp.pcap")));
        assertSameRecords(ref.host(), Pcap.read(dir.resolve("host.pcap")));
        assertEquals(300, Integer.parseInt(first.group(1)));
        assertEquals(ref.answers().size(), Integer.parseInt(first.group(2)));
        assertEquals(ref.host().size(), Integer.parseInt(first.group(3)));
        // every frame is counted once: the counters add up to the frames, the answer counters to the answers
        long all = 0, answers = 0, host = 0;
        // the model decides the NTS cores' admission by itself (spec 9.7): no line after the counters
        for (String l : lines.subList(1, lines.size())) {
            Matcher c = COUNTER.matcher(l);
            assertTrue(c.matches(), l);
            long v = Long.parseLong(c.group(2));
            all += v;
            if (c.group(3).equals("answer")) answers += v;
            if (c.group(3).equals("host")) host += v;
        }
        assertEquals(300, all);
        assertEquals(ref.answers().size(), answers);
        assertEquals(ref.host().size(), host);
        assertTrue(answers > 0 && host > 0 && all - answers - host > 0, "the mix has answers, host frames and drops");

        // the options shape the corpus: a mix of ARP only gives ARP frames (ethertype 0x0806), from --start on
        Run arp = run(dir, "traffic", "--config", CONFIG.toString(), "--out", "arp.pcap", "--count", "20", "--mix", "arp=1",
                "--start", "2030-01-01T00:00:00Z");
        assertEquals(0, arp.rc(), arp.err());
        List<Pcap.Record> a = Pcap.read(dir.resolve("arp.pcap"));
        assertEquals(20, a.size());
        for (Pcap.Record rec : a) {
            assertEquals(0x0806, (rec.frame()[12] & 0xff) << 8 | (rec.frame()[13] & 0xff));
            assertFalse(rec.time().isBefore(Instant.parse("2030-01-01T00:00:00Z")), rec.time().toString());
        }
    }

    private static void assertSameRecords(List<Pcap.Record> expected, List<Pcap.Record> actual) {
        assertEquals(expected.size(), actual.size());
        for (int i = 0; i < expected.size(); i++) {
            assertEquals(expected.get(i).time(), actual.get(i).time(), "record " + i);
            assertArrayEquals(expected.get(i).frame(), actual.get(i).frame(), "record " + i + " " + Arrays.toString(actual.get(i).frame()));
        }
    }
}
