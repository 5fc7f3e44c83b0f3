package org.ntsfab.it;

import org.ntsfab.flow.Gates;
import org.ntsfab.flow.LevelBudget;
import org.ntsfab.flow.Tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.ntsfab.gen.LibraryTops;
import org.ntsfab.hdl.Design;

/**
 * Every library top: zero Verilator -Wall warnings; Yosys generic, iCE40 and Xilinx synthesis pass check -assert with no latches.
 * And the gates can fail: hand-written Verilog with the faults the HDL refuses to build goes through the same gates.
 */
class GatesTest {
    static Stream<String> tops() {
        return LibraryTops.all().keySet().stream();
    }

    @ParameterizedTest
    @MethodSource("tops")
    void verilatorLintAllWarningsIsSilent(String top, @TempDir Path work) throws Exception {
        Design d = LibraryTops.elaborate(top);
        assertEquals("", Gates.lint(d, work), "verilator --lint-only -Wall on " + top);
    }

    /**
     * The targets of the synthesis gate: every top gets the generic, iCE40 and Xilinx mappings (ECP5 too for the byte-wide
     * ones, {@link #ECP5}), each with check -assert and the no-latch rule, except the tops listed here. The generic
     * mapping has no block RAM, LUT packing or carry chains: it flattens memories into flip-flops and costs minutes on the
     * big tops, whose vendor mappings run the same checks. (Measured: ntsfab_top_8 generic 351 375 cells, aes256_pipeline 128 940 (at two rounds
     * per stage, as it was built then); ntsfab_top with its old NTS engine would have been 700 000.)
     * <ul>
     * <li>{@code ntp_fast_path}: every module is part of {@code ntsfab_top}, which has the vendor mappings: generic only.
     * <li>{@code ntsfab_top}: Xilinx, its 10GbE target (no board puts it on an iCE40; its level gate is the Xilinx count).
     * <li>{@code ntsfab_top_8}: Xilinx (the 1G core meets the same level budget) and ECP5 (the ECP5 board's core).
     * <li>the NTS blocks (the AES pipelines, the core's AES lanes and SIV operations): Xilinx, the 10GbE core's target; no
     * iCE40 or ECP5 build has NTS (their iCE40 mappings were minutes each: 180 and 264 block RAMs).
     * </ul>
     */
    static final java.util.Map<String, java.util.Set<Gates.Target>> TARGETS = java.util.Map.ofEntries(
            java.util.Map.entry("ntp_fast_path", java.util.Set.of(Gates.Target.GENERIC)),
            java.util.Map.entry("ntsfab_top", java.util.Set.of(Gates.Target.XILINX)),
            java.util.Map.entry("ntsfab_top_8", java.util.Set.of(Gates.Target.XILINX, Gates.Target.ECP5)),
            java.util.Map.entry("aes128_pipeline", java.util.Set.of(Gates.Target.XILINX)),
            java.util.Map.entry("aes256_pipeline", java.util.Set.of(Gates.Target.XILINX)),
            java.util.Map.entry("aes_mixed_pipeline", java.util.Set.of(Gates.Target.XILINX)),
            // the byte-wide build's AES (the ECP5 board's NTS): Xilinx for the level budget, ECP5 for its part
            java.util.Map.entry("aes_mixed_iterative", java.util.Set.of(Gates.Target.XILINX, Gates.Target.ECP5)),
            java.util.Map.entry("aes_mixed_iterative_x4", java.util.Set.of(Gates.Target.XILINX, Gates.Target.ECP5)),
            java.util.Map.entry("aes128_lanes_32", java.util.Set.of(Gates.Target.XILINX)),
            java.util.Map.entry("aes_siv256_ops_32", java.util.Set.of(Gates.Target.XILINX)),
            java.util.Map.entry("aes_siv_mixed_ops_32", java.util.Set.of(Gates.Target.XILINX)),
            java.util.Map.entry("nts_core_32", java.util.Set.of(Gates.Target.XILINX)),
            // the byte-wide build's core: ECP5, the Versa board's part, and Xilinx for the level budget
            java.util.Map.entry("nts_core_32_aes_x4", java.util.Set.of(Gates.Target.XILINX, Gates.Target.ECP5)),
            java.util.Map.entry("nts_core_16_aes_x4", java.util.Set.of(Gates.Target.XILINX, Gates.Target.ECP5)),
            // the core's 64-bit frame blocks, 10GbE's (the byte-wide build will have its own)
            java.util.Map.entry("nts_payload_slice_64", java.util.Set.of(Gates.Target.XILINX)),
            java.util.Map.entry("nts_departure_64", java.util.Set.of(Gates.Target.XILINX)),
            // the 64-bit XGMII MACs are the 10GbE core's (no iCE40 or ECP5 board has 10GbE); the generic mapping was minutes
            java.util.Map.entry("xgmii_mac_rx_64", java.util.Set.of(Gates.Target.XILINX)),
            java.util.Map.entry("xgmii_mac_tx_64", java.util.Set.of(Gates.Target.XILINX)));

    /**
     * Tops whose synthesis `./ntsfab bench` runs (its synthesis table: every library top, levels against the budget) and the
     * suite does not, to keep CI within its time: `nts_core_responder` (the NTS core, `nts_core_32`, with the admission,
     * payload slice and departures; the core is gated here since its S-boxes are kept, 120-146 s of Yosys, and so are its
     * blocks), and the core's byte-wide variants on four iterative AES units, `nts_core_32_aes_x4` and `nts_core_16_aes_x4` (their AES,
     * `aes_mixed_iterative_x4`, is gated here); and `aes256_pipeline` (a stand-alone AES-256; the core's pipeline is the mixed one, 402 s of Yosys: the
     * suite keeps one of the two). All are linted here like every top.
     */
    static final java.util.Set<String> BENCH_ONLY = java.util.Set.of("nts_core_32_aes_x4", "nts_core_16_aes_x4", "nts_core_responder",
            "aes256_pipeline");

    /** The byte-wide configuration's core (configs/gige.toml, the ECP5 board's) and the byte-wide blocks: also ECP5. */
    static final java.util.Set<String> ECP5 = java.util.Set.of("ntsfab_top_8", "ntp_lite_8", "eth_mac_rx_8", "eth_mac_tx_8");

    /** The targets the gate synthesizes {@code top} for, in the order of {@link Gates.Target}. */
    static java.util.List<Gates.Target> targets(String top) {
        java.util.Set<Gates.Target> listed = TARGETS.get(top);
        return java.util.Arrays.stream(Gates.Target.values())
                .filter(t -> listed != null ? listed.contains(t) : t != Gates.Target.ECP5 || ECP5.contains(top)).toList();
    }

    /**
     * Board cores: linted here; synthesized by their board flows (BoardFlowTest: the ECP5 core under its board top with
     * synth_ecp5). The VCU118 core is ntsfab_top (vendor mappings above) plus the UART register bridge (every target).
     */
    static final java.util.Set<String> BOARD_FLOW = java.util.Set.of("fpga_core_ecp5_versa", "fpga_core_vcu118");

    /**
     * The tops whose synthesis runs in a class of its own ({@link ResponderGatesTest}), so that the two test JVMs share
     * the gate's work: the responder's tops and three slow blocks, the XGMII MACs and the AES-256 pipeline (in one
     * fresh-clone run the test module took 2 073 s: GatesTest 2 025 s in one JVM with every other block top, and 1 010 s
     * of every other class, ResponderGatesTest's 488 s with the responder's tops alone among them, in the other).
     */
    static final java.util.Set<String> SECOND_CLASS = java.util.Set.of("ntsfab_top", "ntsfab_top_8", "ntp_fast_path", "ntp_lite_8",
            "aes256_pipeline", "aes_mixed_pipeline", "xgmii_mac_rx_64", "xgmii_mac_tx_64");

    static Stream<String> blockTops() {
        return tops().filter(t -> !SECOND_CLASS.contains(t));
    }

    static Stream<String> responderTops() {
        return tops().filter(SECOND_CLASS::contains);
    }

    @ParameterizedTest
    @MethodSource("blockTops")
    void yosysSynthesisIsCleanOnEveryTarget(String top, @TempDir Path work) throws Exception {
        synthesisIsClean(top, work);
    }

    /** Every target the top is meant for: check -assert, no latches, some cells. */
    static void synthesisIsClean(String top, Path work) throws Exception {
        org.junit.jupiter.api.Assumptions.assumeFalse(BOARD_FLOW.contains(top), top + " is synthesized by its board flow");
        org.junit.jupiter.api.Assumptions.assumeFalse(BENCH_ONLY.contains(top), top + " is synthesized by ./ntsfab bench, not in the suite");
        Design d = LibraryTops.elaborate(top);
        for (Gates.Target t : targets(top)) {
            String outside = OUTSIDE.get(top);
            Gates.Utilization u = outside == null ? Gates.synthesize(d, work, t) : Gates.synthesizeOutside(d, work, t, outside);
            System.out.printf("%-24s %-8s cells=%d luts=%d ffs=%d brams=%d levels=%s%n", top, t, u.cells(), u.luts(), u.ffs(), u.brams(),
                    u.levels() == null ? "-" : u.levels().levels() + " (" + u.levels().deepest().from() + " -> " + u.levels().deepest().to() + ")");
            if (t == Gates.Target.XILINX) levelsWithinBudget(d, top, u.levels());
            assertTrue(u.cells() > 0, top + " synthesized to nothing on " + t);
            String log = Files.readString(work.resolve(d.topName() + "-" + t + ".log"));
            assertTrue(!log.contains("Latch inferred"), "latch in " + top);
        }
    }

    /**
     * Tops whose gate synthesizes everything but one block, kept a black box (its ports start and end paths), to keep CI
     * within its time: {@code ntsfab_top} without its NTS cores ({@code nts_core_responder}), 23 minutes of Yosys whole here
     * (55 716 LUT); the cores' blocks are gated one by one above, and {@code ntsfab bench --nts-area} synthesizes the whole
     * top, levels included.
     */
    static final java.util.Map<String, String> OUTSIDE = java.util.Map.of("ntsfab_top", "nts_core_responder");

    /**
     * The level gate (issue 17): a top's deepest register-to-register path on Xilinx (outside a black box of
     * {@link #OUTSIDE}) is within its budget ({@link LevelBudget}: 8, or the ceiling of a top not yet pipelined).
     */
    static void levelsWithinBudget(Design d, String top, org.ntsfab.flow.LogicLevels.Report r) {
        int budget = LevelBudget.xilinx(top), levels = r.levels();
        String path = r.deepest().from() + " [" + Gates.source(d, r.deepest().from()) + "] -> " + r.deepest().to() + " ["
                + Gates.source(d, r.deepest().to()) + "]";
        System.out.printf("%-24s XILINX   levels %d (budget %d; deepest: %s)%n", top, levels, budget, path);
        assertTrue(levels <= budget, top + ": " + levels + " Xilinx logic levels, budget " + budget
                + "; deepest ends: " + r.deepestByEnd().entrySet().stream().filter(e -> e.getValue() > LevelBudget.XILINX)
                .sorted((x, y) -> y.getValue() - x.getValue()).limit(8).map(e -> e.getKey() + " " + e.getValue()).toList());
    }

    /** The target overrides name library tops (a renamed top would silently get every target back). */
    @org.junit.jupiter.api.Test
    void everyTopWithListedTargetsIsALibraryTop() {
        for (String t : TARGETS.keySet()) assertTrue(LibraryTops.all().containsKey(t), t + " is not a library top");
        for (String t : BENCH_ONLY) assertTrue(LibraryTops.all().containsKey(t), t + " is not a library top");
        for (String t : ECP5) assertTrue(LibraryTops.all().containsKey(t), t + " is not a library top");
        assertEquals(java.util.List.of(Gates.Target.GENERIC, Gates.Target.ICE40, Gates.Target.XILINX), targets("eth_fcs_64"));
        assertEquals(java.util.List.of(Gates.Target.GENERIC, Gates.Target.ICE40, Gates.Target.XILINX, Gates.Target.ECP5), targets("eth_mac_rx_8"));
    }

    @org.junit.jupiter.api.Test
    void largeFifoMapsToBlockRam(@TempDir Path work) throws Exception {
        Design d = LibraryTops.elaborate("axis_fifo_64_d512");
        Gates.Utilization ice = Gates.synthesize(d, work, Gates.Target.ICE40);
        // 512 x 74 bits = 37,888 bits: ten 4-kbit iCE40 block RAMs (each 256 x 16)
        assertEquals(10, ice.byType().getOrDefault("SB_RAM40_4K", 0), ice.byType().toString());
        Gates.Utilization xil = Gates.synthesize(d, work, Gates.Target.XILINX);
        assertTrue(xil.brams() > 0, "Xilinx block RAM expected: " + xil.byType());
    }

    /** Writes hand-written Verilog (what the HDL refuses to build) for the gates' own tests. */
    static java.util.List<Path> verilog(Path work, String name, String text) throws Exception {
        Path f = work.resolve(name + ".v");
        Files.writeString(f, "`default_nettype none\n" + text);
        return java.util.List.of(f);
    }

    /** The lint gate itself can fail: an unused input and a truncating assignment are each reported, by kind and signal. */
    @org.junit.jupiter.api.Test
    void lintReportsAnUnusedInputAndATruncation(@TempDir Path work) throws Exception {
        String out = Gates.lint("broken", verilog(work, "broken", """
                module broken(input wire a, input wire b, input wire [3:0] c, output wire y, output wire [1:0] z);
                assign y = a;
                assign z = c;
                endmodule
                """));
        assertTrue(out.matches("(?s).*%Warning-UNUSED[A-Z]*: [^\n]*broken\\.v:2:[^\n]*not used: 'b'\n.*"), "unused input b:\n" + out);
        assertTrue(out.matches("(?s).*%Warning-WIDTH[A-Z]*: [^\n]*broken\\.v:4:[^\n]*'c' generates 4 bits.*"), "4-bit c into the 2-bit z:\n" + out);
    }

    /** ... and what it reports is the design's: the same module without the two faults lints silent. */
    @org.junit.jupiter.api.Test
    void lintOfTheRepairedModuleIsSilent(@TempDir Path work) throws Exception {
        assertEquals("", Gates.lint("repaired", verilog(work, "repaired", """
                module repaired(input wire a, input wire b, input wire [3:0] c, output wire y, output wire [3:0] z);
                assign y = a & b;
                assign z = c;
                endmodule
                """)));
    }

    /** A module that does not parse is reported, not passed as silent. */
    @org.junit.jupiter.api.Test
    void lintReportsAModuleThatDoesNotParse(@TempDir Path work) throws Exception {
        String out = Gates.lint("unparsed", verilog(work, "unparsed", "module unparsed(input wire a, output wire y);\nassign y = a\nendmodule\n"));
        assertTrue(out.contains("%Error") && out.contains("unparsed.v:4"), "syntax error at line 4 (the assign before it lacks its semicolon):\n" + out);
    }

    /** What a failed synthesis gate said: Yosys's output when it stopped, else the gate's message. */
    static String refusal(Path work, String top, Gates.Target t) {
        RuntimeException e = org.junit.jupiter.api.Assertions.assertThrows(RuntimeException.class,
                () -> Gates.synthesize(top, verilog(work, top, SOURCES.get(top)), work, t), top + " passed the " + t + " synthesis gate");
        return e instanceof Tools.ToolException te ? te.output() : e.getMessage();
    }

    static final java.util.Map<String, String> SOURCES = java.util.Map.of(
            "latched", """
                    module latched(input wire en, input wire d, output reg q);
                    always @* if (en) q = d;
                    endmodule
                    """,
            "looped", """
                    module looped(input wire a, output wire y);
                    wire p, q;
                    assign p = ~(q & a);
                    assign q = ~p;
                    assign y = q;
                    endmodule
                    """);

    /**
     * The no-latch rule of the synthesis gate, on every target: the generic and Xilinx mappings keep a latch cell, which
     * the gate names; iCE40 and ECP5 have none and turn the latch into a LUT feeding itself, so there the gate names the
     * latch Yosys inferred.
     */
    @ParameterizedTest
    @org.junit.jupiter.params.provider.EnumSource(Gates.Target.class)
    void synthesisRejectsALatch(Gates.Target t, @TempDir Path work) throws Exception {
        String out = refusal(work, "latched", t);
        if (t == Gates.Target.GENERIC || t == Gates.Target.XILINX)
            assertTrue(out.contains("Assertion failed: selection is not empty") && out.contains("latched/"), "latch cell named:\n" + out);
        else
            assertTrue(out.contains("Latch inferred for signal `\\latched.\\q'"), "latch named:\n" + out);
    }

    /** {@code check -assert} of the synthesis gate: a combinational loop fails the generic mapping, naming the loop. */
    @org.junit.jupiter.api.Test
    void synthesisRejectsACombinationalLoop(@TempDir Path work) throws Exception {
        String out = refusal(work, "looped", Gates.Target.GENERIC);
        assertTrue(out.contains("found logic loop in module looped") && out.contains("problems in 'check -assert'"), "loop reported:\n" + out);
    }
}
