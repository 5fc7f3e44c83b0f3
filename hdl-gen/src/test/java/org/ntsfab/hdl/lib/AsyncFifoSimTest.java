package org.ntsfab.hdl.lib;

import org.ntsfab.flow.Tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.ntsfab.gen.LibraryTops;
import org.ntsfab.hdl.Design;

/**
 * The asynchronous FIFO ({@code async_fifo_w10_d16_clk_to_rd}) between two free-running clocks of unrelated periods, in Icarus
 * Verilog (our Verilator harness drives one clock; an event simulator runs both with real delays). The writer offers a
 * counting sequence with random gaps, holding each beat until it is taken; the reader takes with a random ready. Every
 * word must come out once, in order; the FIFO must have been seen full and empty (so both pointer comparisons were
 * exercised) and the protocol kept: {@code out_valid} never drops and {@code out_data} never changes while stalled.
 */
class AsyncFifoSimTest {
    static final int WORDS = 4000;

    static String testbench(String dut, double writeNs, double readNs, int offerPercent, int readyPercent, int seed) {
        return String.format(Locale.ROOT, """
                `timescale 1ns / 1ps
                `default_nettype none
                module tb;
                reg clk = 0, rd_clk = 0, rst = 1, rd_rst = 1;
                always #(%1$.3f) clk = ~clk;
                initial begin #(1.37); forever #(%2$.3f) rd_clk = ~rd_clk; end
                reg in_valid = 0; reg [9:0] in_data = 0; wire in_ready;
                wire out_valid; reg out_ready = 0; wire [9:0] out_data;
                %8$s dut(.clk(clk), .rst(rst), .rd_clk(rd_clk), .rd_rst(rd_rst), .in_valid(in_valid),
                    .in_ready(in_ready), .in_data(in_data), .out_valid(out_valid), .out_ready(out_ready), .out_data(out_data));
                integer sent = 0, got = 0, errors = 0, full_cycles = 0, empty_cycles = 0, proto = 0;
                reg [31:0] lw = %5$d, lr = %5$d * 7 + 1;
                reg stalled = 0; reg [9:0] stalled_data = 0;
                initial begin
                    repeat (4) @(posedge clk); rst = 0;
                    repeat (4) @(posedge rd_clk); rd_rst = 0;
                end
                always @(posedge clk) if (!rst) begin
                    lw = lw * 1103515245 + 12345;
                    if (in_valid && in_ready) sent = sent + 1;
                    if (!in_ready) full_cycles = full_cycles + 1;
                    if (!(in_valid && !in_ready)) begin
                        if (sent < %6$d && (lw[23:16] %% 100) < %3$d) begin in_valid <= 1; in_data <= sent[9:0]; end
                        else in_valid <= 0;
                    end
                end
                always @(posedge rd_clk) if (!rd_rst) begin
                    lr = lr * 1103515245 + 12345;
                    if (stalled && (!out_valid || out_data !== stalled_data)) proto = proto + 1;
                    if (out_valid && out_ready) begin
                        if (out_data !== got[9:0]) begin
                            if (errors < 5) $display("word %%0d: got %%0d", got, out_data);
                            errors = errors + 1;
                        end
                        got = got + 1;
                    end
                    if (!out_valid) empty_cycles = empty_cycles + 1;
                    stalled = out_valid && !out_ready; stalled_data = out_data;
                    out_ready <= (lr[23:16] %% 100) < %4$d;
                end
                initial begin
                    #(%7$d);
                    $display("RESULT sent=%%0d got=%%0d errors=%%0d full=%%0d empty=%%0d proto=%%0d", sent, got, errors, full_cycles, empty_cycles, proto);
                    $finish;
                end
                endmodule
                """, writeNs / 2, readNs / 2, offerPercent, readyPercent, seed, WORDS, (long) (WORDS * Math.max(writeNs, readNs) * 100.0 / Math.min(offerPercent, readyPercent) * 1.5 + 2000),
                dut);
    }

    @ParameterizedTest(name = "write {0} ns, read {1} ns, offer {2} %, ready {3} %")
    @CsvSource({
            "8.0, 7.3, 90, 40, 1",    // writer faster in effect: the FIFO fills
            "7.3, 8.0, 40, 95, 2",    // reader faster: the FIFO runs empty
            "8.0, 8.0008, 100, 100, 3", // 100 ppm apart, both at full rate: the drift case of an RGMII receive clock
            "6.4, 16.0, 70, 70, 4",   // 156.25 MHz writer, 62.5 MHz reader
            "16.0, 6.4, 95, 30, 5"})  // 62.5 MHz writer, faster reader taking a third of its clocks
    void everyWordOnceInOrderBetweenUnrelatedClocks(double writeNs, double readNs, int offer, int ready, int seed, @TempDir Path dir) throws Exception {
        Tools.require("iverilog");
        Design d = LibraryTops.elaborate("async_fifo_w10_d16");
        assertTrue(d.crossings().stream().anyMatch(c -> c.memory() && c.destinationClock().equals("rd_clk")), d.crossings().toString());
        assertEquals(3, d.crossings().size(), "two pointer synchronizers and the memory: " + d.crossings());
        List<String> cmd = new ArrayList<>(List.of("iverilog", "-g2005", "-o", dir.resolve("tb.vvp").toString()));
        for (Path p : d.write(dir.resolve("rtl"))) cmd.add(p.toString());
        Path tb = dir.resolve("tb.v");
        Files.writeString(tb, testbench(d.topName(), writeNs, readNs, offer, ready, seed));
        cmd.add(tb.toString());
        Tools.run(cmd, true);
        String out = Tools.run(List.of("vvp", "-n", dir.resolve("tb.vvp").toString()), true);
        Matcher m = Pattern.compile("RESULT sent=(\\d+) got=(\\d+) errors=(\\d+) full=(\\d+) empty=(\\d+) proto=(\\d+)").matcher(out);
        assertTrue(m.find(), out);
        int sent = Integer.parseInt(m.group(1)), got = Integer.parseInt(m.group(2)), errors = Integer.parseInt(m.group(3));
        int full = Integer.parseInt(m.group(4)), empty = Integer.parseInt(m.group(5)), proto = Integer.parseInt(m.group(6));
        assertEquals(WORDS, sent, out);
        assertEquals(WORDS, got, "every word came out: " + out);
        assertEquals(0, errors, "in order, none lost or doubled: " + out);
        assertEquals(0, proto, "out_valid held and out_data stable while stalled: " + out);
        assertTrue(empty > 0, out);
        if (offer / writeNs > 1.1 * ready / readNs) assertTrue(full > 0, "the FIFO filled up: " + out);
    }
}
