package org.ntsfab.flow;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.ntsfab.hdl.Design;

/**
 * The quality gates every emitted design passes: Verilator lint with all warnings, and Yosys
 * synthesis (generic, iCE40, Xilinx 7-series; ECP5 for the byte-wide configurations) with {@code check -assert} and no
 * latches. The
 * synthesis results (cell counts by class) feed {@code ntsfab bench}.
 */
public final class Gates {
    private Gates() {}

    public enum Target {
        // Xilinx flat and without I/O buffers: an out-of-context core as Vivado synthesizes it by default (across module
        // boundaries), and the netlist the logic-level count needs; iCE40 and ECP5 flatten by default
        GENERIC("synth"), ICE40("synth_ice40"), XILINX("synth_xilinx -flatten -noiopad"), ECP5("synth_ecp5");

        /** Whether the target maps to a device's cells (LUTs, carry chains, flip-flops): logic levels are counted. */
        public boolean mapped() {
            return this != GENERIC;
        }

        /** The targets every top is synthesized for (ECP5 is for the byte-wide configurations that boards use it for). */
        public static final java.util.List<Target> EVERY_TOP = java.util.List.of(GENERIC, ICE40, XILINX);

        final String command;

        Target(String command) {
            this.command = command;
        }
    }

    /**
     * Cell counts of a synthesized design, by class, and on a mapped target its logic levels ({@link LogicLevels}; null
     * for the generic synthesis).
     */
    public record Utilization(Target target, int luts, int ffs, int brams, int lutRams, int carries, int cells,
                              Map<String, Integer> byType, LogicLevels.Report levels) {
        Utilization withLevels(LogicLevels.Report r) {
            return new Utilization(target, luts, ffs, brams, lutRams, carries, cells, byType, r);
        }
    }

    /** Writes the design to a fresh directory under {@code work} and returns its files. */
    public static List<Path> write(Design d, Path work) throws IOException {
        Path dir = Files.createDirectories(work.resolve(d.topName()));
        return d.write(dir);
    }

    /** {@code verilator --lint-only -Wall}; returns everything it printed (empty when clean). */
    public static String lint(Design d, Path work) throws IOException {
        return lint(d.topName(), write(d, work));
    }

    /** The same lint over Verilog files with {@code top} as the top module (hand-written Verilog, the gate's own tests). */
    public static String lint(String top, List<Path> files) {
        Tools.require("verilator");
        List<String> cmd = new ArrayList<>(List.of("verilator", "--lint-only", "-Wall", "--top-module", top));
        for (Path p : files) cmd.add(p.toString());
        try {
            return Tools.run(cmd, true).trim();
        } catch (Tools.ToolException e) {
            return e.output().trim();
        }
    }

    /** Synthesizes with Yosys; throws with the log when {@code check -assert} or the no-latch rule fails (on every target). */
    public static Utilization synthesize(Design d, Path work, Target target) throws IOException {
        return synthesize(d.topName(), write(d, work), work, target, java.util.Set.of());
    }

    /**
     * The design with the modules whose names start with {@code outsidePrefix} made black boxes (Yosys {@code blackbox}:
     * their contents dropped, their instances cells whose ports start and end paths): the cells, checks and logic levels of
     * everything around them, in a fraction of the whole design's time. The suite's gate of {@code ntsfab_top} uses it for
     * the NTS cores, which {@code ntsfab bench --nts-area} synthesizes with the rest, whole.
     */
    public static Utilization synthesizeOutside(Design d, Path work, Target target, String outsidePrefix) throws IOException {
        java.util.Set<String> boxes = new java.util.TreeSet<>();
        for (String m : d.moduleNames()) if (m.startsWith(outsidePrefix) && !m.equals(d.topName())) boxes.add(m);
        if (boxes.isEmpty()) throw new IllegalArgumentException(d.topName() + " has no module " + outsidePrefix + "*");
        return synthesizeBlackBoxed(d.topName(), write(d, work), work, target, boxes);
    }

    /** Verilog files with the modules {@code boxes} made black boxes ({@link #synthesizeOutside}). */
    public static Utilization synthesizeBlackBoxed(String top, List<Path> files, Path work, Target target, java.util.Set<String> boxes) throws IOException {
        return synthesize(top, files, work, target, boxes, true);
    }

    /** The same synthesis of Verilog files with {@code top} as the top module; the log is {@code work/<top>-<target>.log}. */
    public static Utilization synthesize(String top, List<Path> files, Path work, Target target) throws IOException {
        return synthesize(top, files, work, target, java.util.Set.of());
    }

    /**
     * The same, with the combinational modules {@code boxes} kept as hierarchy on a mapped target (Yosys
     * {@code keep_hierarchy}): flattened everywhere else, each of their instances mapped on its own, as a vendor tool maps a
     * small table (the AES S-box: a 256 x 8 ROM, 32 LUT6 with their wide-function muxes, where flat synthesis merges it
     * with the rounds' xors and triples the pipeline's LUTs). A path through a kept module costs that module's deepest
     * input-to-output path ({@link LogicLevels}); the cell counts are the whole design's (Yosys's hierarchy total).
     */
    public static Utilization synthesize(String top, List<Path> files, Path work, Target target, java.util.Set<String> boxes) throws IOException {
        return synthesize(top, files, work, target, boxes, false);
    }

    private static Utilization synthesize(String top, List<Path> files, Path work, Target target, java.util.Set<String> boxes,
            boolean black) throws IOException {
        Tools.require("yosys");
        StringBuilder script = new StringBuilder();
        for (Path p : files) script.append("read_verilog -defer ").append(p).append("; ");
        if ((target.mapped() || black) && !boxes.isEmpty()) {
            script.append("hierarchy -top ").append(top).append("; ");
            for (String b : boxes) script.append(black ? "blackbox " : "setattr -mod -set keep_hierarchy 1 ").append(b).append("; ");
        }
        script.append(target.command).append(" -top ").append(top).append("; ");
        script.append("check -assert; ");
        script.append("select -assert-none t:$dlatch t:$adlatch t:$dlatchsr t:$_DLATCH_* t:$_DLATCHSR_* t:LD* t:LDCE t:LDPE t:TRELLIS_LATCH*; ");
        script.append("stat");
        Path json = work.resolve(top + "-" + target + ".json");
        if (target.mapped()) script.append("; write_json ").append(json);
        String log = Tools.run(List.of("yosys", "-q", "-p", script.toString(), "-l", work.resolve(top + "-" + target + ".log").toString()), true);
        String full = Files.readString(work.resolve(top + "-" + target + ".log"));
        // iCE40 and ECP5 have no latch cells: Yosys maps a latch to a LUT feeding itself, which neither the cell select
        // above nor check -assert sees; the latch is still named where Yosys inferred it
        int latch = full.indexOf("Latch inferred");
        if (latch >= 0)
            throw new IllegalStateException(top + " on " + target + ": " + full.substring(latch, Math.max(latch, full.indexOf('\n', latch))));
        Utilization u = parseStat(target, full.isEmpty() ? log : full);
        return target.mapped() ? u.withLevels(LogicLevels.of(json, top, black ? boxes : java.util.Set.of())) : u;
    }

    private static final Pattern CELL_LINE = Pattern.compile("^\\s+(\\S+)\\s+(\\d+)\\s*$");

    static Utilization parseStat(Target target, String log) {
        // the last "Printing statistics" block is the top's
        int at = log.lastIndexOf("Number of cells:");
        if (at < 0) throw new IllegalStateException("no statistics in Yosys log");
        String tail = log.substring(at);
        Matcher total = Pattern.compile("Number of cells:\\s+(\\d+)").matcher(tail);
        int cells = total.find() ? Integer.parseInt(total.group(1)) : 0;
        Map<String, Integer> byType = new LinkedHashMap<>();
        for (String line : tail.split("\n")) {
            if (line.isBlank() && !byType.isEmpty()) break;
            Matcher m = CELL_LINE.matcher(line);
            if (m.matches()) byType.put(m.group(1), Integer.parseInt(m.group(2)));
        }
        int luts = 0, ffs = 0, brams = 0, lutRams = 0, carries = 0;
        for (Map.Entry<String, Integer> e : byType.entrySet()) {
            String t = e.getKey();
            int n = e.getValue();
            if (t.equals("SB_LUT4") || t.matches("LUT[1-6]") || t.matches("\\$_(AND|OR|XOR|NOT|MUX|NAND|NOR|XNOR|ANDNOT|ORNOT)_")) luts += n;
            else if (t.startsWith("SB_DFF") || t.equals("TRELLIS_FF") || t.matches("FD[A-Z]*") || t.matches("\\$_S?DFF.*") || t.matches("\\$_DFFE.*")) ffs += n;
            else if (t.startsWith("SB_RAM") || t.startsWith("RAMB") || t.startsWith("$mem") || t.equals("DP16KD") || t.equals("PDPW16KD")) brams += n;
            else if (t.matches("RAM\\d+[XM].*") || t.equals("TRELLIS_DPR16X4")) lutRams += n;
            else if (t.equals("SB_CARRY") || t.startsWith("CARRY") || t.equals("CCU2C")) carries += n;
        }
        return new Utilization(target, luts, ffs, brams, lutRams, carries, cells, byType, null);
    }

    /** Logic levels of a design on one target, with the Java source of the deepest path's start and end. */
    public record Levels(Target target, LogicLevels.Report report, String fromSource, String toSource) {
        public int levels() {
            return report.levels();
        }
    }

    /**
     * Synthesizes for {@code target} ({@link #synthesize}: flat, Yosys's JSON netlist in {@code work/<top>-<target>.json})
     * and names the Java source of the deepest path's ends.
     */
    public static Levels levels(Design d, Path work, Target target) throws IOException {
        if (!target.mapped()) throw new IllegalArgumentException("logic levels need a mapped target (xilinx, ice40, ecp5)");
        LogicLevels.Report r = synthesize(d, work, target).levels();
        return new Levels(target, r, source(d, r.deepest().from()), source(d, r.deepest().to()));
    }

    /**
     * Where in the Java a flattened netlist name was made: {@code answerer.job_queue.out_valid} is signal {@code out_valid}
     * of instance {@code job_queue} of instance {@code answerer}; the answer is {@code StreamFifo.java:88 (out_valid)}, or the
     * instance's construction site when the signal is Yosys's own.
     */
    public static String source(Design d, String netlistName) {
        String n = netlistName.replaceFirst(" \\(.*", "").replaceFirst("^output ", "").replaceAll("\\[\\d+\\]$", "");
        String[] parts = n.split("\\.");
        org.ntsfab.hdl.ir.ModuleNode m = d.topNode();
        for (int i = 0; i < parts.length - 1; i++) {
            org.ntsfab.hdl.ir.ModuleNode next = null;
            for (org.ntsfab.hdl.ir.ModuleNode c : m.children()) if (parts[i].equals(c.instanceName())) next = c;
            if (next == null) return "?";
            m = next;
        }
        String sig = parts[parts.length - 1];
        for (org.ntsfab.hdl.ir.SigNode s : m.signals())
            if (sig.equals(s.name())) return s.loc() + " (" + m.className().substring(m.className().lastIndexOf('.') + 1) + "." + sig + ")";
        return m.loc() + " (" + m.className().substring(m.className().lastIndexOf('.') + 1) + ", net " + sig + ")";
    }
}
