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
            List<Long> times = lines.stream().filter(l -> l.startsWith("#")).map(l -> Long.parseLong(l.substring(1))).toList();
            assertEquals(60L, times.get(0), "first dumped time is cycle 30");
            assertEquals(81L, times.get(times.size() - 1), "last dumped time is the edge of cycle 40");
            // the replay reproduced the run: the source beat accepted in the window is in the dump
            String all = String.join("\n", lines);
            assertTrue(all.contains("b0000000000000000000000000000000000000000000000000001"), "data values present");
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
