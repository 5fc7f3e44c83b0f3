package org.ntsfab.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ntsfab.cli.Main;
import org.ntsfab.hdl.Design;
import org.ntsfab.model.ConfigFile;
import org.ntsfab.model.pcap.Pcap;
import org.ntsfab.model.traffic.TrafficGenerator;
import org.ntsfab.responder.ResponderDefaults;
import org.ntsfab.responder.top.NtsFabTop;
import org.ntsfab.responder.top.ResponderDesigns;
import org.ntsfab.sim.TopSim;

/**
 * Waveforms of {@code sim} ({@code --vcd DIR}, {@code --vcd-window FROM:TO}) and of {@link TopSim}: in picoseconds, each
 * cycle the configuration's clock period (configs/example.toml: 156.25 MHz, so 6 400 ps, its rising edge 3 200 ps in),
 * cycle N at N x 6 400 ps with the cycles numbered as the messages and the output captures number them; nothing written
 * and said so when there is nothing to show; a file per difference named by the cycles it holds. The expected times are
 * worked out here from 6.4 ns, not taken from the code.
 */
class SimWaveformTest {
    private static final Path CONFIG = Path.of("../configs/example.toml").toAbsolutePath().normalize();
    private static final long PS = 6400;

    record Run(int rc, String out, String err) {}

    static Run sim(Path dir, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
        List<String> argv = new ArrayList<>(List.of("sim"));
        argv.addAll(List.of(args));
        int rc;
        try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8); PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
            rc = Main.run(argv, o, e, dir);
        }
        return new Run(rc, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** A VCD read back: the header's timescale, every time stamp, and the times a one-bit signal changed to 1. */
    record Vcd(String timescale, List<Long> times, List<String> lines) {
        static Vcd read(Path p) throws IOException {
            List<String> lines = Files.readAllLines(p);
            String all = String.join("\n", lines);
            Matcher m = Pattern.compile("\\$timescale\\s+(\\S+)\\s+\\$end").matcher(all);
            assertTrue(m.find(), "no $timescale in " + p);
            List<Long> times = lines.stream().filter(l -> l.startsWith("#")).map(l -> Long.parseLong(l.substring(1))).toList();
            return new Vcd(m.group(1), times, lines);
        }

        /** The value of the one-bit signal {@code name} at time {@code t}: its last change at or before t. */
        int valueAt(String name, long t) {
            String id = id(name);
            int value = -1;
            long now = -1;
            for (String l : lines) {
                if (l.startsWith("#")) {
                    now = Long.parseLong(l.substring(1));
                    if (now > t) break;
                } else if (l.equals("0" + id) || l.equals("1" + id)) {
                    value = l.charAt(0) - '0';
                }
            }
            assertTrue(value >= 0, name + " has no value at " + t);
            return value;
        }

        private String id(String name) {
            for (String l : lines) {
                String[] f = l.trim().split("\\s+");
                if (f.length >= 6 && f[0].equals("$var") && f[2].equals("1") && f[4].equals(name)) return f[3];
            }
            throw new AssertionError("no one-bit signal " + name);
        }

        /** The times the one-bit signal {@code name} (its first declaration) became 1. */
        List<Long> rises(String name) {
            String id = id(name);
            List<Long> out = new ArrayList<>();
            long t = -1;
            for (String l : lines) {
                if (l.startsWith("#")) t = Long.parseLong(l.substring(1));
                else if (t >= 0 && l.equals("1" + id)) out.add(t);
            }
            return out;
        }
    }

    static List<Path> files(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.sorted().toList();
        }
    }

    /**
     * A passing run with --vcd and no window writes nothing and says so; then a window of the same (passing) run, without
     * --check, holds exactly the cycles asked for, on the real clock, in step with the output capture's stamps.
     */
    @Test
    void aPassingRunWritesNoWaveformAndSaysSoAndAChosenWindowIsOnTheRealClock(@TempDir Path dir) throws Exception {
        ConfigFile cfg = ConfigFile.load(CONFIG);
        assertEquals(156_250_000L, cfg.frequencyHz(), "the times below are worked out for 156.25 MHz");
        List<Pcap.Record> req = new TrafficGenerator(cfg, 11).generate(120, TrafficGenerator.parseMix("ntp=1"), NtsFabTopSimTest.START);
        Pcap.write(dir.resolve("req.pcap"), req);

        Run passing = sim(dir, "--config", CONFIG.toString(), "--in", "req.pcap", "--out", "resp.pcap", "--check", "--vcd", "waves");
        assertEquals(0, passing.rc(), passing.out() + passing.err());
        assertTrue(passing.out().contains("check: 0 mismatch(es)"), passing.out());
        assertTrue(passing.out().lines().anyMatch(l -> l.equals("sim: no differences, no waveform written (--vcd-window FROM:TO dumps a chosen window)")),
                passing.out());
        assertFalse(Files.exists(dir.resolve("waves")), "nothing written, not even the directory");

        // the fifth answer: the capture stamps it with its first beat's cycle L after the first request's time, 6.4 ns a cycle
        List<Pcap.Record> resp = Pcap.read(dir.resolve("resp.pcap"));
        assertEquals(120, resp.size());
        Duration d = Duration.between(req.get(0).time(), resp.get(4).time());
        long leaves = Math.round((d.getSeconds() * 1e9 + d.getNano()) / 6.4);
        assertTrue(leaves > 200, "the fifth answer leaves at cycle " + leaves);
        long from = leaves - 100, to = leaves + 60;

        Run window = sim(dir, "--config", CONFIG.toString(), "--in", "req.pcap", "--out", "resp2.pcap", "--vcd", "waves",
                "--vcd-window", from + ":" + to);
        assertEquals(0, window.rc(), window.out() + window.err());
        Path vcd = dir.resolve("waves").resolve("window-cycles-" + from + "-" + to + ".vcd");
        assertEquals(List.of(vcd), files(dir.resolve("waves")));
        assertTrue(window.out().contains("waveform: cycles " + from + ".." + to + " (6.400 ns a cycle, cycle " + from + " at " + from * PS + " ps): "
                + vcd), window.out());
        assertFalse(window.out().contains("no waveform written"), window.out());

        Vcd v = Vcd.read(vcd);
        assertEquals("1ps", v.timescale());
        assertEquals(from * PS, v.times().get(0), "starts with cycle FROM at FROM x 6 400 ps");
        assertEquals(from * PS + 3200, v.times().get(1), "its rising edge half a period later");
        assertEquals(to * PS, v.times().get(v.times().size() - 1), "ends with the start of cycle TO at TO x 6 400 ps");
        assertEquals(2 * (to - from) + 1, v.times().size(), "two times a cycle");
        // the clock: high from each rising edge
        List<Long> clk = v.rises("clk");
        assertEquals(from * PS + 3200, clk.get(0));
        assertEquals((from + 1) * PS + 3200, clk.get(1));
        assertFirstBeat(v, leaves);
    }

    /**
     * A frame's first beat taken on tx in cycle {@code c}: tx_tvalid is high at the start of cycle c (c x 6 400 ps), and in
     * cycle c - 1 the port was idle or sent a last beat.
     */
    static void assertFirstBeat(Vcd v, long c) {
        assertEquals(1, v.valueAt("tx_tvalid", c * PS), "tx_tvalid at the start of cycle " + c);
        assertTrue(v.valueAt("tx_tvalid", (c - 1) * PS) == 0 || v.valueAt("tx_tlast", (c - 1) * PS) == 1,
                "cycle " + (c - 1) + " idle or the end of a frame");
    }

    /**
     * An RTL built with another TTL than the model's: every answer differs; the first five get a waveform each, named by
     * the frame and the cycles it holds, which are the cycles the message prints (300 before the answer left to 100 after).
     */
    @Test
    void aDifferenceNamesAWaveformByTheCyclesItsMessagePrints(@TempDir Path dir) throws Exception {
        ConfigFile cfg = ConfigFile.load(CONFIG);
        ResponderDefaults d = ResponderDesigns.defaults(cfg);
        ResponderDefaults other = new ResponderDefaults(d.mac(), d.ipv4Enable(), d.ipv4(), d.ipv6Enable(), d.ipv6(), d.vlanEnable(), d.vlan(),
                d.forwardUnmatched(), d.icmpMaxPayload(), d.ttl() - 1, d.stratum(), d.precision(), d.refid(), d.rootDelay(), d.rootDispersion(),
                d.synced(), d.clockStep(), d.ntsEnable(), d.maxPlaceholders());
        Design design = Design.elaborate(() -> new NtsFabTop(other));
        List<Pcap.Record> in = new TrafficGenerator(cfg, 5).generate(40, TrafficGenerator.parseMix("ntp=1"), NtsFabTopSimTest.START);
        Path waves = dir.resolve("waves");
        TopSim.Report r = TopSim.run(cfg, design, in, new TopSim.Options(false, 1, 1, 1, 0, 5, waves, true), List.of());
        assertEquals(40, r.mismatches().size());
        Pattern p = Pattern.compile("answer to frame #(\\d+) \\(answer_ntp, rx cycle \\d+\\) leaving at cycle (\\d+): IPv4 TTL at byte 22: .* "
                + "\\(waveform of cycles (\\d+)\\.\\.(\\d+): (\\S+)\\)");
        List<Path> named = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            String msg = r.mismatches().get(i);
            Matcher m = p.matcher(msg);
            assertTrue(m.matches(), msg);
            long leaves = Long.parseLong(m.group(2)), from = Long.parseLong(m.group(3)), to = Long.parseLong(m.group(4));
            assertEquals(i, Integer.parseInt(m.group(1)));
            assertEquals(Math.max(0, leaves - 300), from, msg);
            assertEquals(leaves + 100, to, msg);
            Path file = Path.of(m.group(5));
            assertEquals(waves.resolve("diff-frame" + i + "-cycles-" + from + "-" + to + ".vcd").toAbsolutePath(), file, msg);
            named.add(file);
            Vcd v = Vcd.read(file);
            assertEquals("1ps", v.timescale());
            assertEquals(from * PS, v.times().get(0));
            assertEquals(to * PS, v.times().get(v.times().size() - 1));
            // the differing answer's first beat left in cycle `leaves`
            // the differing answer's first beat left in cycle `leaves`: valid at its start, after the end of what went before
            assertFirstBeat(v, leaves);
        }
        assertFalse(r.mismatches().get(5).contains("waveform"), "only the first five: " + r.mismatches().get(5));
        assertEquals(named.stream().sorted().toList(), files(waves));
        assertEquals(5, r.waveforms().size());
    }
}
