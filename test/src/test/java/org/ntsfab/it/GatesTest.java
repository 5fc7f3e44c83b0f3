package org.ntsfab.it;

import org.ntsfab.flow.Gates;
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

/** Every library top: zero Verilator -Wall warnings; Yosys generic, iCE40 and Xilinx synthesis pass check -assert with no latches. */
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
     * Tops whose every module is also part of {@code ntsfab_top} (the fast-path test top; the 1G variant, which only
     * adds the width adapters) get the generic synthesis with its checks, not the two vendor mappings again: each
     * of those costs minutes for the responder's modules, and ntsfab_top covers them.
     */
    static final java.util.Set<String> GENERIC_ONLY = java.util.Set.of("ntp_fast_path", "ntsfab_top_8");
    /**
     * Tops too big for the generic mapping, which has no block RAM and flattens every memory into flip-flops (ntsfab_top
     * with its NTS engine: 700 000 cells, a quarter of an hour): the two vendor mappings, with the same checks.
     */
    static final java.util.Set<String> VENDOR_ONLY = java.util.Set.of("ntsfab_top");
    /** The byte-wide configuration's core (configs/gige.toml, the ECP5 board's) and the byte-wide blocks: also ECP5. */
    static final java.util.Set<String> ECP5 = java.util.Set.of("ntsfab_top_8", "ntp_lite_8", "eth_mac_rx_8", "eth_mac_tx_8");

    /**
     * Board cores: linted here; synthesized by their board flows (BoardFlowTest: the ECP5 core under its board top with
     * synth_ecp5). The VCU118 core is ntsfab_top (vendor mappings above) plus the UART register bridge (every target).
     */
    static final java.util.Set<String> BOARD_FLOW = java.util.Set.of("fpga_core_ecp5_versa", "fpga_core_vcu118");

    @ParameterizedTest
    @MethodSource("tops")
    void yosysSynthesisIsCleanOnEveryTarget(String top, @TempDir Path work) throws Exception {
        org.junit.jupiter.api.Assumptions.assumeFalse(BOARD_FLOW.contains(top), top + " is synthesized by its board flow");
        Design d = LibraryTops.elaborate(top);
        for (Gates.Target t : Gates.Target.values()) {
            if (t == Gates.Target.ECP5 && !ECP5.contains(top)) continue;
            if (GENERIC_ONLY.contains(top) && t != Gates.Target.GENERIC && t != Gates.Target.ECP5) continue;
            if (VENDOR_ONLY.contains(top) && t == Gates.Target.GENERIC) continue;
            Gates.Utilization u = Gates.synthesize(d, work, t);
            System.out.printf("%-24s %-8s cells=%d luts=%d ffs=%d brams=%d%n", top, t, u.cells(), u.luts(), u.ffs(), u.brams());
            assertTrue(u.cells() > 0, top + " synthesized to nothing on " + t);
            String log = Files.readString(work.resolve(d.topName() + "-" + t + ".log"));
            assertTrue(!log.contains("Latch inferred"), "latch in " + top);
        }
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

    @org.junit.jupiter.api.Test
    void lintCatchesABrokenModule(@TempDir Path work) throws Exception {
        // the gate itself must be able to fail: an unused input is a -Wall warning
        Path f = work.resolve("broken.v");
        Files.writeString(f, "`default_nettype none\nmodule broken(input wire a, input wire b, output wire y);\nassign y = a;\nendmodule\n");
        String out;
        try {
            out = Tools.run(java.util.List.of("verilator", "--lint-only", "-Wall", f.toString()), true);
        } catch (Tools.ToolException e) {
            out = e.output();
        }
        assertTrue(out.contains("UNUSED"), out);
    }
}
