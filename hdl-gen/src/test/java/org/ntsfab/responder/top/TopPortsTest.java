package org.ntsfab.responder.top;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.ntsfab.gen.LibraryTops;
import org.ntsfab.hdl.Design;
import org.ntsfab.model.ConfigFile;

/**
 * The ports of the emitted tops: AXI4-Lite with the AMBA names (written out here from the AMBA AXI4-Lite signal list,
 * not from the generator), nowhere the old {@code <channel>_valid} style, and the port comment above ntsfab_top.
 */
class TopPortsTest {
    /** The AXI4-Lite slave of the register file, as ARM IHI 0022 names the signals (no AWPROT/ARPROT): direction, name, width. */
    static final List<String> S_AXIL = List.of(
            "in s_axil_awvalid 1", "out s_axil_awready 1", "in s_axil_awaddr 10",
            "in s_axil_wvalid 1", "out s_axil_wready 1", "in s_axil_wdata 32", "in s_axil_wstrb 4",
            "out s_axil_bvalid 1", "in s_axil_bready 1", "out s_axil_bresp 2",
            "in s_axil_arvalid 1", "out s_axil_arready 1", "in s_axil_araddr 10",
            "out s_axil_rvalid 1", "in s_axil_rready 1", "out s_axil_rdata 32", "out s_axil_rresp 2");

    /** The same signals on a master with 12 address bits (the UART bridge's, the board host's). */
    static final List<String> M_AXIL_12 = List.of(
            "out m_axil_awvalid 1", "in m_axil_awready 1", "out m_axil_awaddr 12",
            "out m_axil_wvalid 1", "in m_axil_wready 1", "out m_axil_wdata 32", "out m_axil_wstrb 4",
            "in m_axil_bvalid 1", "out m_axil_bready 1", "in m_axil_bresp 2",
            "out m_axil_arvalid 1", "in m_axil_arready 1", "out m_axil_araddr 12",
            "in m_axil_rvalid 1", "out m_axil_rready 1", "in m_axil_rdata 32", "in m_axil_rresp 2");

    /** A channel signal named the org.ntsfab.hdl way, with '_' between channel and signal. */
    static final Pattern OLD_STYLE = Pattern.compile("\\b\\w*axil_(aw|w|b|ar|r)_(valid|ready|addr|data|strb|resp)\\b|\\b(aw|w|b|ar|r)_(valid|ready|addr|data|strb|resp)\\b");

    static Design config(String file) throws IOException {
        return ResponderDesigns.design(ConfigFile.load(Path.of("../configs/" + file)));
    }

    static List<String> ports(Design d, String prefix) {
        List<String> out = new ArrayList<>();
        for (Design.Port p : d.ports())
            if (p.name().startsWith(prefix)) out.add((p.input() ? "in " : "out ") + p.name() + " " + p.width());
        return out;
    }

    static void noOldStyleNames(Design d) {
        for (Map.Entry<String, String> m : d.modules().entrySet()) {
            Matcher x = OLD_STYLE.matcher(m.getValue());
            if (x.find()) fail(m.getKey() + ".v still has " + x.group());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"example.toml", "gige.toml"})
    void theConfiguredTopHasExactlyTheAmbaAxiLitePorts(String file) throws IOException {
        Design d = config(file);
        assertEquals(S_AXIL, ports(d, "s_axil"));
        assertEquals(List.of(), ports(d, "m_axil"));
        noOldStyleNames(d);
    }

    @ParameterizedTest
    @ValueSource(strings = {"ntsfab_regs", "ntsfab_top", "ntsfab_top_8"})
    void libraryTopsWithTheRegisterFileHaveTheAmbaSlave(String top) {
        Design d = LibraryTops.elaborate(top);
        assertEquals(S_AXIL, ports(d, "s_axil"));
        noOldStyleNames(d);
    }

    @ParameterizedTest
    @ValueSource(strings = {"uart_register_bridge", "board_host"})
    void theUartHostsMasterHasTheAmbaNames(String top) {
        Design d = LibraryTops.elaborate(top);
        assertEquals(M_AXIL_12, ports(d, "m_axil"));
        noOldStyleNames(d);
    }

    @ParameterizedTest
    @ValueSource(strings = {"fpga_core_ecp5_versa", "fpga_core_vcu118", "fpga_ice40_hx8k"})
    void boardCoresUseTheAmbaNamesInside(String top) {
        Design d = LibraryTops.elaborate(top);
        noOldStyleNames(d);
        if (!top.equals("fpga_ice40_hx8k")) {
            // the responder's slave and the board host's master, wired to each other by name
            String core = d.verilog(d.topName());
            for (String s : List.of("awvalid", "awready", "awaddr", "wvalid", "wready", "wdata", "wstrb", "bvalid", "bready", "bresp",
                    "arvalid", "arready", "araddr", "rvalid", "rready", "rdata", "rresp")) {
                assertTrue(core.contains(".s_axil_" + s + "("), top + ": no .s_axil_" + s);
                assertTrue(core.contains(".m_axil_" + s + "("), top + ": no .m_axil_" + s);
            }
        }
    }

    @Test
    void ntsfabTopDocumentsEveryPortGroupAboveTheModule() throws IOException {
        String v = config("example.toml").verilog("ntsfab_top");
        int comment = v.indexOf("// Ports of ntsfab_top:\n"), module = v.indexOf("\nmodule ntsfab_top (");
        assertTrue(comment >= 0 && comment < module, v.substring(0, Math.min(v.length(), 2000)));
        String block = v.substring(comment, module);
        List<String> labels = new ArrayList<>();
        for (String line : block.split("\n"))
            if (line.startsWith("//   ") && line.charAt(5) != ' ') labels.add(line.substring(5).split(" ")[0]);
        assertEquals(List.of("clk", "rst", "rx_*", "tx_*", "host_rx_*", "host_tx_*", "pps", "nts_admission_*", "s_axil_*"), labels);
        String flat = block.replaceAll("\n//\\s+", " ");
        // configs/example.toml: frequency_hz = 156250000; step = round(2^64 / 156250000) = 118059162072
        assertTrue(flat.contains("clk              Rising edge.") && flat.contains("118059162072") && flat.contains("156.25 MHz"), flat);
        assertTrue(flat.contains("rst              Active high, synchronous"), flat);
        assertTrue(flat.contains("10-bit byte addresses") && flat.contains("registers/ntsfab_regs.md"), flat);
        assertTrue(flat.contains("two-flop synchronizer"), flat);
        String gige = config("gige.toml").verilog("ntsfab_top_8").replaceAll("\n//\\s+", " ");
        assertTrue(gige.contains("125 MHz") && gige.contains("one byte per beat"), gige.substring(0, 3000));
    }
}
