package org.ntsfab.it;

import org.ntsfab.flow.BoardFlow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ntsfab.hdl.Design;
import org.ntsfab.model.ConfigFile;

/**
 * The flow this machine has, run for real: the iCE40-HX8K board's top-level (RMII, MACs, the reduced responder,
 * UART time setting) is synthesized with Yosys, placed and routed with nextpnr-ice40 against its pin file, meets
 * its 50 MHz clock, and packs into a bitstream; the committed pin file is the one the board description generates.
 */
class BoardFlowTest {
    @Test
    void ice40BoardPlacesRoutesAndMeetsItsClock(@TempDir Path dir) throws Exception {
        BoardFlow.Board b = BoardFlow.ice40Hx8k();
        Path cwd = Path.of("..").toAbsolutePath().normalize();
        // the flow reads the configuration relative to the repository root
        BoardFlow.Board here = new BoardFlow.Board(b.name(), b.description(), cwd.resolve(b.config()).toString(), b.device(), b.pkg(), b.pins(),
                b.status());
        BoardFlow.Result r = BoardFlow.build(here, dir);
        System.out.println(BoardFlow.describe(r));
        assertTrue(r.lcs() > 1000 && r.lcs() < r.lcCapacity(), "fits: " + r.lcs() + " / " + r.lcCapacity());
        assertEquals(15, r.ios(), "every pin placed");
        assertTrue(r.timingMet(), "Fmax " + r.fmaxMhz() + " MHz against " + r.requiredMhz() + " MHz");
        assertEquals(50.0, r.requiredMhz(), 1e-9);
        if (r.bitstream() != null) assertTrue(Files.size(r.bitstream()) > 100_000, "bitstream " + r.bitstream());
        Design d = BoardFlow.design(here, ConfigFile.load(Path.of(here.config())));
        // both asynchronous inputs (PPS, UART) cross through declared synchronizers, each named in the clock script
        assertEquals(2, d.crossings().size(), d.crossings().toString());
        String clocks = Files.readString(dir.resolve(d.topName() + "_nextpnr.py"));
        assertTrue(clocks.contains("ctx.addClock(\"clk\", 50.000)"), clocks);
        for (Design.Crossing c : d.crossings()) assertTrue(clocks.contains(c.instancePath()), c + " in\n" + clocks);
        assertEquals(BoardFlow.pcf(b, d), Files.readString(cwd.resolve("boards/ice40-hx8k/fpga_ice40_hx8k.pcf")),
                "boards/ice40-hx8k/fpga_ice40_hx8k.pcf is stale: regenerate with ./ntsfab build --board ice40-hx8k");
    }

    /**
     * ECP5: the generated core (RGMII, MACs, asynchronous FIFO, byte-wide responder, UART register bridge) under the
     * hand-written board top with the vendor's PLL and DDR cells synthesizes with Yosys synth_ecp5, with no problems
     * and no latches, and fits the LFE5UM5G-45F; the committed LPF is the generated one and blocks every crossing the
     * core declares (the receive FIFO's memory and pointer synchronizers among them).
     */
    @Test
    void ecp5BoardSynthesizesAndItsLpfCoversEveryCrossing(@TempDir Path dir) throws Exception {
        BoardFlow.Board b = BoardFlow.ecp5Versa();
        Path root = Path.of("..").toAbsolutePath().normalize();
        BoardFlow.Result r = BoardFlow.build(b, root, dir);
        System.out.println(BoardFlow.describe(r));
        assertTrue(r.ok(), r.state());
        assertTrue(r.lcs() > 5000 && r.lcs() < r.lcCapacity(), "fits: " + r.lcs() + " / " + r.lcCapacity());
        assertTrue(r.ffs() > 1000, "flip-flops " + r.ffs());
        assertTrue(r.rams() > 0 && r.rams() <= r.ramCapacity(), "block RAM " + r.rams());
        assertEquals(27, r.ios(), "every pin of the board top");
        String lpf = Files.readString(dir.resolve("fpga_ecp5_versa.lpf"));
        assertEquals(lpf, Files.readString(root.resolve("boards/ecp5-versa/fpga_ecp5_versa.lpf")),
                "boards/ecp5-versa/fpga_ecp5_versa.lpf is stale: regenerate with ./ntsfab build --board ecp5-versa");
        Design d = BoardFlow.design(b, ConfigFile.load(root.resolve(b.config())));
        assertTrue(d.crossings().stream().anyMatch(Design.Crossing::memory), "the receive FIFO's memory is a declared crossing");
        for (Design.Crossing c : d.crossings())
            assertTrue(lpf.contains("\"core/" + org.ntsfab.flow.Constraints.instanceBelowTop(c) + "/" + c.cell() + "*\""), c + " in\n" + lpf);
        assertEquals(d.crossings().size(), lpf.split("BLOCK PATH", -1).length - 1, "one block per crossing, none stale");
        assertEquals(27, lpf.split("LOCATE COMP", -1).length - 1);
    }

    /**
     * VCU118: the three-core NTS core generated from configs/10g-nts.toml, the board top, the Vivado scripts and the XDC written;
     * the committed XDC is the generated one, locates every pin of the board top and bounds every crossing the core
     * declares; the Vivado run is printed (no Vivado here), naming the build script.
     */
    @Test
    void vcu118BoardIsGeneratedWithAnXdcCoveringEveryPinAndCrossing(@TempDir Path dir) throws Exception {
        BoardFlow.Board b = BoardFlow.vcu118();
        Path root = Path.of("..").toAbsolutePath().normalize();
        BoardFlow.Result r = BoardFlow.build(b, root, dir);
        System.out.println(BoardFlow.describe(r));
        assertTrue(r.ok(), r.state());
        String xdc = Files.readString(dir.resolve("fpga_vcu118.xdc"));
        assertEquals(xdc, Files.readString(root.resolve("boards/vcu118/fpga_vcu118.xdc")),
                "boards/vcu118/fpga_vcu118.xdc is stale: regenerate with ./ntsfab build --board vcu118");
        Map<String, Integer> ports = BoardFlow.topPorts(Files.readString(root.resolve("boards/vcu118/fpga_vcu118.v")));
        int bits = ports.values().stream().mapToInt(Integer::intValue).sum();
        assertEquals(bits, r.ios());
        assertEquals(bits, xdc.split("set_property -dict \\{LOC", -1).length - 1, "one location per pin");
        Design d = BoardFlow.design(b, ConfigFile.load(root.resolve(b.config())));
        assertEquals("fpga_core_vcu118_nts3_d12000_w16000_s256_d3000", d.topName(), "what boards/vcu118/fpga_vcu118.v instantiates");
        assertTrue(Files.readString(root.resolve("boards/vcu118/fpga_vcu118.v")).contains(d.topName() + " core ("), "the board top instantiates it");
        assertTrue(d.moduleNames().stream().anyMatch(m -> m.startsWith("nts_core_responder_n3_d12000_")) && d.moduleNames().contains("nts_core_32"),
                "the configuration's three NTS cores are in: " + d.moduleNames());
        for (Design.Crossing c : d.crossings())
            assertTrue(xdc.contains("core/" + org.ntsfab.flow.Constraints.instanceBelowTop(c) + "/" + c.cell() + "_reg*"), c + " in\n" + xdc);
        assertEquals(d.crossings().size(), xdc.split("set_max_delay -datapath_only", -1).length - 1, "one bound per crossing, none stale");
        assertTrue(r.notRun().size() == 1 && r.notRun().get(0).contains("build.tcl"), r.notRun().toString());
        for (String f : new String[] {"build.tcl", "create_ip.tcl", "fpga_vcu118.v"}) assertTrue(Files.exists(dir.resolve(f)), f);
        assertTrue(Files.readString(dir.resolve("build.tcl")).contains("write_bitstream"));
    }
}
