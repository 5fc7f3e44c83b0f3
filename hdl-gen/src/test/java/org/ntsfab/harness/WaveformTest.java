package org.ntsfab.harness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ntsfab.gen.LibraryTops;
import org.ntsfab.hdl.Design;

/** A window of a run can be replayed into a VCD that shows exactly those cycles, with the design's own signal names. */
class WaveformTest {
    @Test
    void vcdWindowHoldsTheRequestedCyclesOnly(@TempDir Path dir) throws Exception {
        Design d = LibraryTops.elaborate("axis_fifo_64_d16");
        try (Testbench tb = Testbench.of(d).source("in").sink("out").build(SimOptions.fast(), 5)) {
            for (int i = 0; i < 100; i++) tb.push("in", 0x1000 + i, 0xff, 0, 0);
            tb.readyProbability("out", 0.5);
            tb.runUntilDrained(10_000, 20);
            Path vcd = tb.dumpVcd(dir.resolve("w.vcd"), 30, 40);
            List<String> lines = Files.readAllLines(vcd);
            assertTrue(lines.stream().anyMatch(l -> l.contains("$var") && l.contains("in_tdata")), "signal names in VCD");
            assertTrue(lines.stream().anyMatch(l -> l.contains("$var") && l.contains("wr_ptr_reg")), "internal registers in VCD");
            assertTrue(lines.stream().anyMatch(l -> l.trim().equals("$timescale 1ps $end")) || String.join(" ", lines).contains("$timescale 1ps $end"),
                    "picoseconds: " + lines.subList(0, 8));
            List<Long> times = lines.stream().filter(l -> l.startsWith("#")).map(l -> Long.parseLong(l.substring(1))).toList();
            // the default cycle is 6.4 ns (156.25 MHz): cycle 30 starts at 192 000 ps, its rising edge 3 200 ps later, and the
            // window ends with the start of cycle 40 at 256 000 ps; two times per cycle
            assertEquals(192_000L, times.get(0), "first dumped time is the start of cycle 30");
            assertEquals(195_200L, times.get(1), "then its rising edge");
            assertEquals(256_000L, times.get(times.size() - 1), "last dumped time is the start of cycle 40");
            assertEquals(21, times.size(), "cycles 30..39 low and high, and cycle 40 low");
            // the replay reproduced the run: the source beat accepted in the window is in the dump
            String all = String.join("\n", lines);
            assertTrue(all.contains("b0000000000000000000000000000000000000000000000000001"), "data values present");
        }
    }

    /** {@link Testbench#vcdTiming}: times from an origin cycle, at the configured period (here 8 ns, 125 MHz). */
    @Test
    void vcdTimesFollowTheOriginAndThePeriod(@TempDir Path dir) throws Exception {
        Design d = LibraryTops.elaborate("axis_fifo_64_d16");
        try (Testbench tb = Testbench.of(d).source("in").sink("out").build(SimOptions.fast(), 5)) {
            for (int i = 0; i < 20; i++) tb.push("in", 0x1000 + i, 0xff, 0, 0);
            tb.runUntilDrained(10_000, 40);
            tb.vcdTiming(10, 8000);
            List<Long> times = Files.readAllLines(tb.dumpVcd(dir.resolve("w.vcd"), 5, 20)).stream().filter(l -> l.startsWith("#"))
                    .map(l -> Long.parseLong(l.substring(1))).toList();
            // cycles before the origin are not dumped: cycle 10 is time 0, its edge at 4 000 ps; cycle 20 starts at 80 000 ps
            assertEquals(List.of(0L, 4000L), times.subList(0, 2));
            assertEquals(80_000L, times.get(times.size() - 1));
            assertEquals(21, times.size());
        }
    }

    @Test
    void aMismatchReportNamesSeedCycleAndAWaveformFile() throws Exception {
        Design d = LibraryTops.elaborate("axis_skid_buffer_64");
        try (Testbench tb = Testbench.of(d).source("in").sink("out").build(SimOptions.fast(), 6)) {
            for (int i = 0; i < 50; i++) tb.push("in", i, 0xff, 0, 0);
            tb.runUntilDrained(1000, 5);
            AssertionError e = tb.mismatch("beat 7 tdata: got 0x1, model 0x2", 30);
            String msg = e.getMessage();
            assertTrue(msg.startsWith("beat 7 tdata") && msg.contains("seed 6") && msg.contains("cycle 30"), msg);
            String file = msg.substring(msg.indexOf(": /") + 2, msg.lastIndexOf(')'));
            assertTrue(Files.size(Path.of(file)) > 0, "waveform written: " + file);
        }
    }
}
