package org.ntsfab.flow;

import org.ntsfab.responder.top.ResponderDesigns;


import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.ntsfab.boards.Ecp5VersaCore;
import org.ntsfab.boards.Ice40Hx8kBoard;
import org.ntsfab.boards.Vcu118Core;
import org.ntsfab.hdl.Design;
import org.ntsfab.flow.Constraints;
import org.ntsfab.model.ConfigFile;

/**
 * {@code ntsfab build --board NAME}: a board's top-level generated for its configuration, its pin file and timing
 * constraints written, and the flow this machine has run: for the iCE40 board Yosys ({@code synth_ice40}),
 * nextpnr-ice40 (place and route, timed against the board clock) and icepack (the bitstream). Boards whose
 * top-level or tools are not here say so and print what would run.
 */
public final class BoardFlow {
    private BoardFlow() {}

    /** Which flow a board goes through. */
    public enum Flow { ICE40, ECP5, VIVADO }

    /** A board: name, what it is, its configuration file, its pins (port bit → package pin) and its flow. */
    public record Board(String name, String description, String config, String device, String pkg, Map<String, String> pins, String status,
                        Flow flow) {
        public Board(String name, String description, String config, String device, String pkg, Map<String, String> pins, String status) {
            this(name, description, config, device, pkg, pins, status, Flow.ICE40);
        }
    }

    /** What a build produced. */
    public record Result(Board board, Path dir, int lcs, int lcCapacity, int rams, int ramCapacity, int ios, double fmaxMhz,
            double requiredMhz, Path bitstream, List<String> commands, int ffs, List<String> notRun, String state,
            LogicLevels.Report levels) {
        public Result(Board board, Path dir, int lcs, int lcCapacity, int rams, int ramCapacity, int ios, double fmaxMhz,
                      double requiredMhz, Path bitstream, List<String> commands, int ffs, List<String> notRun, String state) {
            this(board, dir, lcs, lcCapacity, rams, ramCapacity, ios, fmaxMhz, requiredMhz, bitstream, commands, ffs, notRun, state, null);
        }

        public Result(Board board, Path dir, int lcs, int lcCapacity, int rams, int ramCapacity, int ios, double fmaxMhz,
                      double requiredMhz, Path bitstream, List<String> commands) {
            this(board, dir, lcs, lcCapacity, rams, ramCapacity, ios, fmaxMhz, requiredMhz, bitstream, commands, 0, List.of(),
                    "placed, routed" + (fmaxMhz >= requiredMhz ? ", timing met" : ", TIMING NOT MET") + (bitstream != null ? ", bitstream" : ""));
        }

        /** The same result with the LUT4 logic levels of the board's synthesized netlist (board top and core, flat). */
        Result withLevels(LogicLevels.Report r) {
            return new Result(board, dir, lcs, lcCapacity, rams, ramCapacity, ios, fmaxMhz, requiredMhz, bitstream, commands, ffs, notRun, state, r);
        }

        public boolean timingMet() {
            return fmaxMhz >= requiredMhz;
        }

        /**
         * The part of the flow this machine can run passed: for iCE40, timing met after routing; the ECP5 and Vivado flows
         * throw on any failure of what runs here (lint, synthesis, parse, the core's instance), so a result is a pass.
         */
        public boolean ok() {
            return board.flow() != Flow.ICE40 || timingMet();
        }
    }

    /** The iCE40-HX8K breakout board (CT256) with an RMII PHY module, PPS input and the on-board FTDI UART. */
    public static Board ice40Hx8k() {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("clk", "H16");            // RMII REF_CLK 50 MHz from the PHY module, a global-buffer input (GBIN)
        p.put("rst", "A16");            // active high: a reset button to 3.3 V, or tie low
        p.put("rmii_crs_dv", "B16");
        p.put("rmii_rxd[0]", "C16");
        p.put("rmii_rxd[1]", "D16");
        p.put("rmii_tx_en", "E16");
        p.put("rmii_txd[0]", "F16");
        p.put("rmii_txd[1]", "G16");
        p.put("pps", "B14");
        p.put("uart_rx", "B10");        // FTDI FT2232H channel B TXD (the board's USB UART)
        p.put("uart_tx", "B12");        // FTDI FT2232H channel B RXD
        p.put("led[0]", "B5");
        p.put("led[1]", "B4");
        p.put("led[2]", "A2");
        p.put("led[3]", "A1");
        return new Board("ice40-hx8k", "Lattice iCE40-HX8K breakout (CT256) + 100 Mb/s RMII PHY module (e.g. LAN8720), PPS, USB UART",
                "configs/ice40-hx8k.toml", "hx8k", "ct256", p, "built here: Yosys + nextpnr-ice40 + icepack");
    }

    /**
     * The ECP5-5G Versa board (LFE5UM5G-45F, CABGA381) and its first RGMII PHY. Pins of the hand-written board top
     * {@code boards/ecp5-versa/fpga_ecp5_versa.v}, each with its I/O standard: the board's own (oscillator, LEDs, UART,
     * PHY 0) and two of our choosing, the 10 MHz reference on the EXT CLK SMA pair (LVDS) and PPS on expansion header X3
     * pin 4.
     */
    public static Board ecp5Versa() {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("clk100", "P3 LVDS");
        p.put("ref10", "A4 LVDS");
        p.put("rst_n", "T1 LVCMOS33");
        p.put("pps", "B19 LVCMOS25");
        p.put("uart_rx", "C11 LVCMOS33");
        p.put("uart_tx", "A11 LVCMOS33");
        String[] leds = {"E16", "D17", "D18", "E18", "F17", "F18", "E17", "F16"};
        for (int i = 0; i < 8; i++) p.put("led_n[" + i + "]", leds[i] + " LVCMOS25");
        p.put("rgmii_rx_clk", "L20 LVCMOS25");
        String[] rxd = {"T20", "U20", "T19", "R18"}, txd = {"N19", "N20", "P18", "P20"};
        for (int i = 0; i < 4; i++) p.put("rgmii_rxd[" + i + "]", rxd[i] + " LVCMOS25");
        p.put("rgmii_rx_ctl", "U19 LVCMOS25");
        p.put("rgmii_tx_clk", "P19 LVCMOS25");
        for (int i = 0; i < 4; i++) p.put("rgmii_txd[" + i + "]", txd[i] + " LVCMOS25");
        p.put("rgmii_tx_ctl", "R20 LVCMOS25");
        p.put("phy_rst_n", "U17 LVCMOS25");
        return new Board("ecp5-versa", "Lattice ECP5-5G Versa (LFE5UM5G-45F) with its 1G RGMII PHY (88E1512), 10 MHz and PPS inputs, USB UART",
                "configs/gige.toml", "LFE5UM5G-45F", "CABGA381", p,
                "Yosys synth_ecp5 here; nextpnr-ecp5 and ecppack (Project Trellis) are not in Debian bookworm, so place and route is printed, not run",
                Flow.ECP5);
    }

    public static List<Board> boards() {
        return List.of(ice40Hx8k(), ecp5Versa(),
                vcu118());
    }

    /**
     * The VCU118 (XCVU9P) with 10GBASE-R on QSFP28 cage 1 through Xilinx's 10G/25G Ethernet Subsystem; the 10 MHz reference
     * and PPS on PMOD0, the USB UART for the registers. Transceiver pins carry no I/O standard.
     */
    public static Board vcu118() {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("clk_125mhz_p", "AY24 LVDS");
        p.put("clk_125mhz_n", "AY23 LVDS");
        p.put("ref10", "AY15 LVCMOS18");
        p.put("pps", "AY14 LVCMOS18");
        p.put("uart_rx", "AW25 LVCMOS18");
        p.put("uart_tx", "BB21 LVCMOS18");
        String[] leds = {"AT32", "AV34", "AY30", "BB32", "BF32", "AU37", "AV36", "BA37"};
        for (int i = 0; i < 8; i++) p.put("led[" + i + "]", leds[i] + " LVCMOS12");
        p.put("qsfp1_rx1_p", "Y2");
        p.put("qsfp1_rx1_n", "Y1");
        p.put("qsfp1_tx1_p", "V7");
        p.put("qsfp1_tx1_n", "V6");
        p.put("qsfp1_mgt_refclk_1_p", "U9");
        p.put("qsfp1_mgt_refclk_1_n", "U8");
        p.put("qsfp1_recclk_p", "AM23 LVDS");
        p.put("qsfp1_recclk_n", "AM22 LVDS");
        p.put("qsfp1_modsell", "AM21 LVCMOS18");
        p.put("qsfp1_resetl", "BA22 LVCMOS18");
        p.put("qsfp1_modprsl", "AL21 LVCMOS18");
        p.put("qsfp1_intl", "AP21 LVCMOS18");
        p.put("qsfp1_lpmode", "AN21 LVCMOS18");
        return new Board("vcu118", "Xilinx VCU118 (XCVU9P) with 10GBASE-R on QSFP28 cage 1 through Xilinx's 10G/25G Ethernet Subsystem, "
                + "10 MHz to the Si5328, PPS, USB UART", "configs/10g-nts.toml", "xcvu9p-flga2104-2L-e", "", p,
                "core, XDC and Vivado scripts generated here; Vivado is not available here, so synthesis, place and route are printed, not run",
                Flow.VIVADO);
    }

    /**
     * The VCU118 board's XDC: every pin of the board top, the input clocks, the asynchronous inputs and outputs, and for
     * every crossing the core declares the bound the generator writes for it, under the core's instance ({@code core}).
     */
    public static String xdc(Board b, String topVerilog, Design core, ConfigFile cfg) {
        StringBuilder sb = new StringBuilder("# " + b.name() + ": pins, clocks and crossings for fpga_" + b.name() + " around " + core.topName()
                + "; generated by ntsfab build from the board description and the design; do not edit\n# " + b.description() + "\n\n");
        sb.append("set_property CFGBVS GND [current_design]\nset_property CONFIG_VOLTAGE 1.8 [current_design]\n\n");
        for (String[] p : pins(b, topVerilog))
            sb.append("set_property -dict {LOC ").append(p[1]).append(p[2] != null ? " IOSTANDARD " + p[2] : "").append("} [get_ports {")
                    .append(p[0]).append("}]\n");
        sb.append("\ncreate_clock -period 8.000 -name clk_125mhz [get_ports clk_125mhz_p]\n");
        sb.append("create_clock -period 6.400 -name qsfp1_mgt_refclk_1 [get_ports qsfp1_mgt_refclk_1_p]\n");
        sb.append("create_clock -period 100.000 -name ref10 [get_ports ref10]\n");
        sb.append("# tx_mii_clk_0 and the GT clocks are created by the subsystem's own constraints from qsfp1_mgt_refclk_1; the\n"
                + "# 125 MHz board clock (DRP, power-on reset) and the forwarded 10 MHz share no data path with the core's clocks\n");
        sb.append("set_clock_groups -asynchronous -group [get_clocks -include_generated_clocks clk_125mhz] -group [get_clocks -include_generated_clocks ref10]\n");
        sb.append("set_false_path -from [get_ports {pps uart_rx qsfp1_modprsl qsfp1_intl}]\n");
        sb.append("set_false_path -to [get_ports {led[*] uart_tx qsfp1_modsell qsfp1_resetl qsfp1_lpmode}]\n");
        sb.append(Constraints.xdcCrossings(core, clockRates(core, cfg), "core/"));
        return sb.toString();
    }

    /** Every clock port of a board core runs at the configuration's frequency (the receive clocks nominally). */
    private static Map<String, Long> clockRates(Design core, ConfigFile cfg) {
        Map<String, Long> hz = new LinkedHashMap<>();
        for (Design.Port p : core.ports()) if (p.clock()) hz.put(p.name(), cfg.frequencyHz());
        return hz;
    }

    private static final Pattern NAMED_PIN = Pattern.compile("\\.(\\w+)\\s*\\(");

    /** The board top instantiates the core once, connecting every one of its ports and nothing else. */
    public static void checkCoreInstance(String topVerilog, Design core) {
        int at = topVerilog.indexOf(core.topName() + " core (");
        if (at < 0) throw new IllegalStateException("the board top does not instantiate " + core.topName() + " as core (the core's name carries "
                + "what its configuration changes: for another configuration than the board's, instantiate the name it gets)");
        String inst = topVerilog.substring(at, topVerilog.indexOf(");", at));
        java.util.Set<String> pins = new java.util.TreeSet<>(), ports = new java.util.TreeSet<>();
        Matcher m = NAMED_PIN.matcher(inst);
        while (m.find()) pins.add(m.group(1));
        for (Design.Port p : core.ports()) ports.add(p.name());
        if (!pins.equals(ports))
            throw new IllegalStateException("the board top's core instance connects " + pins + ", the core has " + ports);
    }

    /** The VCU118 flow: core, top, XDC and scripts written; the Vivado run printed (and run only where Vivado is on the PATH). */
    static Result buildVivado(Board b, Path root, Path dir) throws IOException {
        ConfigFile cfg = ConfigFile.load(root.resolve(b.config()));
        Design d = design(b, cfg);
        Files.createDirectories(dir);
        d.write(dir.resolve("rtl"));
        String top = "fpga_" + b.name();
        String topText = Files.readString(root.resolve(boardTop(b)));
        Files.writeString(dir.resolve(top + ".v"), topText);
        for (String tcl : List.of("create_ip.tcl", "build.tcl"))
            Files.copy(root.resolve("boards").resolve(b.name()).resolve(tcl), dir.resolve(tcl), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        Files.writeString(dir.resolve(top + ".xdc"), xdc(b, topText, d, cfg));
        // what can be checked here: the hand-written top parses (Yosys), and instantiates the generated core with exactly
        // its ports, by name (the vendor parts stay unresolved without Vivado's libraries)
        Tools.require("yosys");
        Tools.run(List.of("yosys", "-q", "-p", "read_verilog " + dir.resolve(top + ".v")), true);
        checkCoreInstance(topText, d);
        List<String> vivado = List.of("vivado", "-mode", "batch", "-source", dir.resolve("build.tcl").toString(), "-tclargs", dir.toString());
        List<String> commands = new ArrayList<>(), notRun = new ArrayList<>();
        String state;
        if (Tools.onPath("vivado")) {
            commands.add(String.join(" ", vivado));
            Tools.run(vivado, true);
            state = "synthesized, placed and routed with Vivado (reports in " + dir + ")";
        } else {
            notRun.add(String.join(" ", vivado));
            state = "generated (" + d.modules().size() + " modules, XDC with " + d.crossings().size() + " crossings); Vivado not installed here";
        }
        int ios = topPorts(topText).values().stream().mapToInt(Integer::intValue).sum();
        return new Result(b, dir, 0, 1_182_240, 0, 2_160, ios, 0, cfg.frequencyHz() / 1e6, null, commands, 0, notRun, state);
    }

    public static Board board(String name) {
        return boards().stream().filter(b -> b.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no board " + name + "; boards: "
                        + boards().stream().map(Board::name).toList()));
    }

    /** The board's generated design for its configuration (the whole top for iCE40, the core under the hand-written top otherwise). */
    public static Design design(Board b, ConfigFile cfg) {
        return switch (b.name()) {
            case "ice40-hx8k" -> Design.elaborate(() -> new Ice40Hx8kBoard(ResponderDesigns.defaults(cfg), cfg.frequencyHz(), 115_200));
            case "ecp5-versa" -> Design.elaborate(() -> new Ecp5VersaCore(ResponderDesigns.defaults(cfg), cfg.frequencyHz(), 115_200));
            case "vcu118" -> Design.elaborate(() -> new Vcu118Core(ResponderDesigns.defaults(cfg), ResponderDesigns.ntsConfig(cfg), cfg.frequencyHz(), 115_200));
            default -> throw new IllegalStateException(b.name() + ": " + b.status());
        };
    }

    /** The hand-written board top around the generated core, in the repository. */
    public static Path boardTop(Board b) {
        return Path.of("boards", b.name(), "fpga_" + b.name().replace('-', '_') + ".v");
    }

    private static final Pattern TOP_PORT = Pattern.compile("^\\s*(input|output)\\s+wire\\s*(\\[(\\d+):0\\])?\\s*(\\w+)\\s*,?", Pattern.MULTILINE);

    /** The ports of a hand-written top (name → width), in order. */
    public static Map<String, Integer> topPorts(String verilog) {
        Map<String, Integer> out = new LinkedHashMap<>();
        Matcher m = TOP_PORT.matcher(verilog.substring(0, verilog.indexOf(");")));
        while (m.find()) out.put(m.group(4), m.group(3) == null ? 1 : Integer.parseInt(m.group(3)) + 1);
        return out;
    }

    /** Every port bit of a hand-written board top with its pin: {bit name, site, I/O standard or null}; a bit without a pin is an error. */
    static List<String[]> pins(Board b, String topVerilog) {
        List<String[]> out = new ArrayList<>();
        for (Map.Entry<String, Integer> e : topPorts(topVerilog).entrySet())
            for (int i = 0; i < e.getValue(); i++) {
                String key = e.getValue() == 1 ? e.getKey() : e.getKey() + "[" + i + "]";
                String pin = b.pins().get(key);
                if (pin == null) throw new IllegalStateException(b.name() + ": no pin for " + key);
                String[] f = pin.split(" ");
                out.add(new String[] {key, f[0], f.length > 1 ? f[1] : null});
            }
        return out;
    }

    /**
     * The ECP5 board's LPF: every pin of the board top located with its I/O standard, the clocks (the input clocks at
     * their ports, the PLL's output at its net), and for every clock-domain crossing the core declares the path block
     * the generator writes for it, under the core's instance name ({@code core}).
     */
    public static String lpf(Board b, String topVerilog, Design core, ConfigFile cfg) {
        StringBuilder sb = new StringBuilder("# " + b.name() + ": pins, clocks and crossings for fpga_" + b.name().replace('-', '_')
                + " around " + core.topName() + "; generated by ntsfab build from the board description and the design; do not edit\n");
        sb.append("# ").append(b.description()).append("\n");
        for (String[] p : pins(b, topVerilog)) {
            sb.append("LOCATE COMP \"").append(p[0]).append("\" SITE \"").append(p[1]).append("\";\n");
            sb.append("IOBUF PORT \"").append(p[0]).append("\" IO_TYPE=").append(p[2]).append(";\n");
        }
        sb.append("FREQUENCY PORT \"clk100\" 100.000 MHz;\n");
        sb.append("FREQUENCY PORT \"ref10\" 10.000 MHz;\n");
        sb.append("FREQUENCY PORT \"rgmii_rx_clk\" 125.000 MHz;\n");
        sb.append(String.format(Locale.ROOT, "FREQUENCY NET \"clk\" %.3f MHz;%n", cfg.frequencyHz() / 1e6));
        sb.append(String.format(Locale.ROOT, "FREQUENCY NET \"clk90\" %.3f MHz;%n", cfg.frequencyHz() / 1e6));
        sb.append(Constraints.lpfCrossings(core, "core/"));
        return sb.toString();
    }

    /** The PCF: every pin of the top-level, none left to the placer. */
    public static String pcf(Board b, Design d) {
        StringBuilder sb = new StringBuilder("# " + b.name() + " pins for " + d.topName() + ": generated by ntsfab build; " + b.description() + "\n");
        for (Design.Port p : d.ports())
            for (int i = 0; i < p.width(); i++) {
                String key = p.width() == 1 ? p.name() : p.name() + "[" + i + "]";
                String pin = b.pins().get(key);
                if (pin == null) throw new IllegalStateException(b.name() + ": no pin for " + key);
                sb.append("set_io ").append(key).append(' ').append(pin).append('\n');
            }
        return sb.toString();
    }

    private static final Pattern FMAX = Pattern.compile("Max frequency for clock\\s+'([^']+)':\\s+([0-9.]+) MHz");
    private static final Pattern UTIL = Pattern.compile("(ICESTORM_LC|ICESTORM_RAM|SB_IO):\\s+(\\d+)/\\s*(\\d+)");

    /** Generates, synthesizes, places and routes the board in {@code dir}; paths in {@code b} are under the working directory. */
    public static Result build(Board b, Path dir) throws IOException {
        return build(b, Path.of(""), dir);
    }

    /** The same, with the repository at {@code root}. */
    public static Result build(Board b, Path root, Path dir) throws IOException {
        if (b.flow() == Flow.ECP5) return buildEcp5(b, root, dir);
        if (b.flow() == Flow.VIVADO) return buildVivado(b, root, dir);
        ConfigFile cfg = ConfigFile.load(root.resolve(b.config()));
        Design d = design(b, cfg);
        Files.createDirectories(dir);
        List<Path> rtl = d.write(dir.resolve("rtl"));
        Path pcf = dir.resolve(d.topName() + ".pcf");
        Files.writeString(pcf, pcf(b, d));
        double mhz = cfg.frequencyHz() / 1e6;
        Path clocks = dir.resolve(d.topName() + "_nextpnr.py");
        Files.writeString(clocks, Constraints.nextpnrPrePack(d, CoreFiles.clocks(d, cfg)));
        Path json = dir.resolve(d.topName() + ".json"), asc = dir.resolve(d.topName() + ".asc"), bin = dir.resolve(d.topName() + ".bin");
        StringBuilder script = new StringBuilder();
        for (Path p : rtl) script.append("read_verilog ").append(p).append("; ");
        script.append("synth_ice40 -top ").append(d.topName()).append(" -json ").append(json);
        List<String> commands = new ArrayList<>();
        List<String> yosys = List.of("yosys", "-q", "-l", dir.resolve("yosys.log").toString(), "-p", script.toString());
        List<String> pnr = List.of("nextpnr-ice40", "--" + b.device(), "--package", b.pkg(), "--json", json.toString(), "--pcf", pcf.toString(),
                "--pre-pack", clocks.toString(), "--asc", asc.toString(), "--seed", "1", "--timing-allow-fail",
                "--log", dir.resolve("nextpnr.log").toString());
        List<String> pack = List.of("icepack", asc.toString(), bin.toString());
        Tools.require("yosys");
        Tools.require("nextpnr-ice40");
        commands.add(String.join(" ", yosys));
        Tools.run(yosys, true);
        commands.add(String.join(" ", pnr));
        String log = Tools.run(pnr, true);
        Path bitstream = null;
        if (Tools.onPath("icepack")) {
            commands.add(String.join(" ", pack));
            Tools.run(pack, true);
            bitstream = bin;
        }
        int lcs = 0, lcCap = 0, rams = 0, ramCap = 0, ios = 0;
        Matcher u = UTIL.matcher(log);
        while (u.find()) {
            int used = Integer.parseInt(u.group(2)), cap = Integer.parseInt(u.group(3));
            switch (u.group(1)) {
                case "ICESTORM_LC" -> { lcs = used; lcCap = cap; }
                case "ICESTORM_RAM" -> { rams = used; ramCap = cap; }
                default -> ios = used;
            }
        }
        double fmax = 0;
        Matcher m = FMAX.matcher(log);
        while (m.find()) fmax = Double.parseDouble(m.group(2));  // the last report is the routed one
        return new Result(b, dir, lcs, lcCap, rams, ramCap, ios, fmax, mhz, bitstream, commands).withLevels(LogicLevels.of(json, d.topName()));
    }

    private static final Pattern CELLS = Pattern.compile("^\\s+(LUT4|TRELLIS_FF|DP16KD|TRELLIS_DPR16X4|CCU2C|EHXPLLL|IDDRX1F|ODDRX1F)\\s+(\\d+)\\s*$",
            Pattern.MULTILINE);

    /**
     * ECP5: the core generated, the board top and LPF next to it, Yosys {@code synth_ecp5} run with the checks of the
     * gate test (no problems, no latches); nextpnr-ecp5 and ecppack printed (Project Trellis is not packaged in Debian
     * bookworm) and run only if they are on the PATH.
     */
    static Result buildEcp5(Board b, Path root, Path dir) throws IOException {
        ConfigFile cfg = ConfigFile.load(root.resolve(b.config()));
        Design d = design(b, cfg);
        Files.createDirectories(dir);
        List<Path> rtl = d.write(dir.resolve("rtl"));
        String top = "fpga_" + b.name().replace('-', '_');
        String topText = Files.readString(root.resolve(boardTop(b)));
        Path topFile = dir.resolve(top + ".v");
        Files.writeString(topFile, topText);
        checkCoreInstance(topText, d);
        Path lpf = dir.resolve(top + ".lpf");
        Files.writeString(lpf, lpf(b, topText, d, cfg));
        Path json = dir.resolve(top + ".json"), config = dir.resolve(top + ".config"), bit = dir.resolve(top + ".bit");
        StringBuilder script = new StringBuilder();
        for (Path p : rtl) script.append("read_verilog ").append(p).append("; ");
        script.append("read_verilog ").append(topFile).append("; ");
        script.append("synth_ecp5 -top ").append(top).append(" -json ").append(json).append("; ");
        script.append("check -assert; ");
        script.append("select -assert-none t:$dlatch t:$adlatch t:$dlatchsr t:$_DLATCH_* t:$_DLATCHSR_* t:TRELLIS_LATCH*; ");
        script.append("stat");
        Path log = dir.resolve("yosys.log");
        List<String> yosys = List.of("yosys", "-q", "-l", log.toString(), "-p", script.toString());
        List<String> pnr = List.of("nextpnr-ecp5", "--um5g-45k", "--package", b.pkg(), "--speed", "8", "--json", json.toString(), "--lpf", lpf.toString(),
                "--textcfg", config.toString(), "--log", dir.resolve("nextpnr.log").toString());
        List<String> pack = List.of("ecppack", "--compress", config.toString(), bit.toString());
        Tools.require("yosys");
        Tools.require("verilator");
        List<String> commands = new ArrayList<>(), notRun = new ArrayList<>();
        // the hand-written top with the generated core, linted like generated code; the vendor cells' declarations from
        // Yosys (cells_bb.v) stand in for the primitives, and only warnings in our files count
        Path vendorCells = Path.of("/usr/share/yosys/ecp5/cells_bb.v");
        List<String> lint = new ArrayList<>(List.of("verilator", "--lint-only", "-Wall", "-Wno-fatal", "--top-module", top, topFile.toString()));
        for (Path p : rtl) lint.add(p.toString());
        lint.add(vendorCells.toString());
        commands.add(String.join(" ", lint));
        List<String> lintWarnings = Tools.run(lint, true).lines().filter(l -> l.startsWith("%") && !l.contains(vendorCells.getFileName().toString())).toList();
        if (!lintWarnings.isEmpty()) throw new IllegalStateException(top + ": verilator -Wall warnings:\n" + String.join("\n", lintWarnings));
        commands.add(String.join(" ", yosys));
        Tools.run(yosys, true);
        String stat = Files.readString(log);
        stat = stat.substring(stat.lastIndexOf("Number of cells:"));
        Map<String, Integer> cells = new LinkedHashMap<>();
        Matcher m = CELLS.matcher(stat);
        while (m.find()) cells.put(m.group(1), Integer.parseInt(m.group(2)));
        double fmax = 0;
        String state = "synthesized (Yosys synth_ecp5, check -assert, no latches; top and core verilator -Wall clean)";
        if (Tools.onPath("nextpnr-ecp5") && Tools.onPath("ecppack")) {
            commands.add(String.join(" ", pnr));
            String out = Tools.run(pnr, true);
            Matcher f = FMAX.matcher(Files.readString(dir.resolve("nextpnr.log")) + out);
            while (f.find()) if (f.group(1).equals("clk") || f.group(1).endsWith("$glbnet$clk")) fmax = Double.parseDouble(f.group(2));
            commands.add(String.join(" ", pack));
            Tools.run(pack, true);
            state += ", placed and routed";
        } else {
            notRun.add(String.join(" ", pnr));
            notRun.add(String.join(" ", pack));
            state += "; place and route not run: nextpnr-ecp5/ecppack not installed (not packaged in Debian bookworm)";
        }
        return new Result(b, dir, cells.getOrDefault("LUT4", 0), 43_848, cells.getOrDefault("DP16KD", 0), 108, topPorts(topText).values().stream()
                .mapToInt(Integer::intValue).sum(), fmax, cfg.frequencyHz() / 1e6, fmax > 0 ? bit : null, commands,
                cells.getOrDefault("TRELLIS_FF", 0), notRun, state).withLevels(LogicLevels.of(json, top));
    }

    public static String describe(Result r) {
        if (r.board().flow() == Flow.VIVADO)
            return String.format(Locale.ROOT, "%s (%s): %d I/O; %s%s", r.board().name(), r.board().device(), r.ios(), r.state(),
                    r.notRun().isEmpty() ? "" : "\nwould run:\n  " + String.join("\n  ", r.notRun()));
        if (r.board().flow() == Flow.ECP5)
            return String.format(Locale.ROOT, "%s (%s-%s): %d / %d LUT4 (%.0f %%), %d FF, %d / %d DP16KD block RAM, %d I/O; %s%s",
                    r.board().name(), r.board().device(), r.board().pkg(), r.lcs(), r.lcCapacity(), 100.0 * r.lcs() / r.lcCapacity(), r.ffs(), r.rams(),
                    r.ramCapacity(), r.ios(), r.state(), r.notRun().isEmpty() ? "" : "\nwould run:\n  " + String.join("\n  ", r.notRun()));
        return String.format(Locale.ROOT, "%s (%s): %d / %d logic cells (%.0f %%), %d / %d RAM, %d I/O; Fmax %.2f MHz against %.2f MHz required: %s%s",
                r.board().name(), r.board().device() + "-" + r.board().pkg(), r.lcs(), r.lcCapacity(), 100.0 * r.lcs() / Math.max(1, r.lcCapacity()),
                r.rams(), r.ramCapacity(), r.ios(), r.fmaxMhz(), r.requiredMhz(), r.timingMet() ? "met" : "NOT MET",
                r.bitstream() == null ? "" : "; bitstream " + r.bitstream());
    }
}
