package org.ntsfab.hdl.emit;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.ntsfab.hdl.ir.DomainNode;
import org.ntsfab.hdl.ir.Expr;
import org.ntsfab.hdl.ir.IrWalk;
import org.ntsfab.hdl.ir.MemNode;
import org.ntsfab.hdl.ir.ModuleNode;
import org.ntsfab.hdl.ir.SigNode;
import org.ntsfab.hdl.ir.Stmt;

/**
 * Prints one module instance as a Verilog-2005 file in the verilog-ethernet style: clocks first in
 * the port list, declarations, continuous assigns, one {@code always @*} per conditionally driven
 * signal, one {@code always @(posedge clk)} per domain with the synchronous reset last, memories,
 * instances, and a {@code _unused_ok} sink naming every bit nobody reads (Verilator's documented
 * idiom) so the output is clean under {@code verilator --lint-only -Wall} without waivers.
 */
public final class VerilogEmitter {
    private static final String I = "    ";

    private final ModuleNode m;
    private final List<DomainNode> clocks;
    private final List<DomainNode> resets;
    private final String moduleName;
    private final Map<ModuleNode, List<DomainNode>> childClocks;
    private final Map<ModuleNode, List<DomainNode>> childResets;
    private final Map<Expr, String> temps = new IdentityHashMap<>();
    private final List<String[]> tempDecls = new ArrayList<>(); // name, width, expr text
    private final Set<String> used;
    /** Bits read per signal name: name -> width, and bitsets of read bits. */
    private final Map<String, boolean[]> reads = new LinkedHashMap<>();
    private final Map<String, Integer> widths = new LinkedHashMap<>();
    private int tempCounter;

    public VerilogEmitter(ModuleNode m, String moduleName, List<DomainNode> clocks, List<DomainNode> resets,
                          Map<ModuleNode, List<DomainNode>> childClocks, Map<ModuleNode, List<DomainNode>> childResets) {
        this.m = m;
        this.moduleName = moduleName;
        this.clocks = clocks;
        this.resets = resets;
        this.childClocks = childClocks;
        this.childResets = childResets;
        this.used = new HashSet<>(m.usedNames());
    }

    // ---- names and widths ---------------------------------------------------------------------
    private String nameOf(SigNode s) {
        if (s.owner() == m) return s.name();
        String n = m.childPortNames().get(s);
        if (n == null) throw new IllegalStateException("no name for " + s.displayName() + " in " + m.displayPath());
        return n;
    }

    private static String range(int w) {
        return w == 1 ? "" : "[" + (w - 1) + ":0] ";
    }

    private void noteSignal(String name, int width) {
        widths.put(name, width);
        reads.put(name, new boolean[width]);
    }

    private void markRead(String name, int hi, int lo) {
        boolean[] r = reads.get(name);
        if (r == null) return;
        for (int i = lo; i <= hi; i++) r[i] = true;
    }

    // ---- expressions --------------------------------------------------------------------------
    String lit(Expr.Lit l) {
        if (l.symbol() != null) return l.symbol();
        return literal(l.value(), l.width());
    }

    public static String literal(BigInteger v, int w) {
        if (w == 1) return "1'b" + v;
        if (w <= 8) return w + "'d" + v;
        return w + "'h" + v.toString(16);
    }

    String expr(Expr e) {
        if (e instanceof Expr.Ref r) {
            String n = nameOf(r.sig());
            markRead(n, r.width() - 1, 0);
            return n;
        }
        if (e instanceof Expr.Lit l) return lit(l);
        if (e instanceof Expr.Unary u) {
            String a = expr(u.a());
            return switch (u.op()) {
                case NOT -> "(~" + a + ")";
                case NEG -> "(-" + a + ")";
                case AND_REDUCE -> "(&" + a + ")";
                case OR_REDUCE -> "(|" + a + ")";
                case XOR_REDUCE -> "(^" + a + ")";
            };
        }
        if (e instanceof Expr.Binary b) {
            String a = expr(b.a());
            String c = expr(b.b());
            return switch (b.op()) {
                case AND -> "(" + a + " & " + c + ")";
                case OR -> "(" + a + " | " + c + ")";
                case XOR -> "(" + a + " ^ " + c + ")";
                case ADD -> "(" + a + " + " + c + ")";
                case SUB -> "(" + a + " - " + c + ")";
                case MUL_U -> "(" + a + " * " + c + ")";
                case MUL_S -> "$unsigned($signed(" + a + ") * $signed(" + c + "))";
                case EQ -> "(" + a + " == " + c + ")";
                case NE -> "(" + a + " != " + c + ")";
                case LT_U -> "(" + a + " < " + c + ")";
                case LE_U -> "(" + a + " <= " + c + ")";
                case GT_U -> "(" + a + " > " + c + ")";
                case GE_U -> "(" + a + " >= " + c + ")";
                case LT_S -> "($signed(" + a + ") < $signed(" + c + "))";
                case LE_S -> "($signed(" + a + ") <= $signed(" + c + "))";
                case GT_S -> "($signed(" + a + ") > $signed(" + c + "))";
                case GE_S -> "($signed(" + a + ") >= $signed(" + c + "))";
                case SHL -> "(" + a + " << " + c + ")";
                case SHR_U -> "(" + a + " >> " + c + ")";
                case SHR_S -> "$unsigned($signed(" + a + ") >>> " + c + ")";
            };
        }
        if (e instanceof Expr.Mux x) return "(" + expr(x.sel()) + " ? " + expr(x.whenTrue()) + " : " + expr(x.whenFalse()) + ")";
        if (e instanceof Expr.Slice s) {
            String base;
            if (s.a() instanceof Expr.Ref r) {
                base = nameOf(r.sig());
                if (r.width() == 1) {
                    markRead(base, 0, 0);
                    return base;
                }
                markRead(base, s.hi(), s.lo());
            } else {
                base = temp(s.a());
                markRead(base, s.hi(), s.lo());
            }
            return s.hi() == s.lo() ? base + "[" + s.lo() + "]" : base + "[" + s.hi() + ":" + s.lo() + "]";
        }
        if (e instanceof Expr.Concat c) {
            List<String> ps = new ArrayList<>();
            for (Expr p : c.parts()) ps.add(expr(p));
            return "{" + String.join(", ", ps) + "}";
        }
        if (e instanceof Expr.Repeat r) return "{" + r.times() + "{" + expr(r.a()) + "}}";
        if (e instanceof Expr.MemRead mr) return mr.mem().name() + "[" + expr(mr.addr()) + "]";
        throw new IllegalStateException("unknown expression " + e);
    }

    /** A named wire for an expression Verilog cannot slice directly. */
    private String temp(Expr e) {
        String t = temps.get(e);
        if (t != null) return t;
        String text = expr(e);
        String n = "_zz_" + tempCounter++;
        while (used.contains(n)) n = "_zz_" + tempCounter++;
        used.add(n);
        temps.put(e, n);
        noteSignal(n, e.width());
        tempDecls.add(new String[] {n, Integer.toString(e.width()), text});
        return n;
    }

    // ---- statements ---------------------------------------------------------------------------
    private void stmts(StringBuilder out, List<Stmt> body, String ind, String op) {
        for (Stmt s : body) {
            if (s instanceof Stmt.Assign a) {
                out.append(ind).append(nameOf(a.target())).append(' ').append(op).append(' ').append(expr(a.value())).append(";\n");
            } else if (s instanceof Stmt.If i) {
                out.append(ind).append("if (").append(expr(i.cond())).append(") begin\n");
                stmts(out, i.then(), ind + I, op);
                List<Stmt> o = i.otherwise();
                while (o.size() == 1 && o.get(0) instanceof Stmt.If ei) {
                    out.append(ind).append("end else if (").append(expr(ei.cond())).append(") begin\n");
                    stmts(out, ei.then(), ind + I, op);
                    o = ei.otherwise();
                }
                if (!o.isEmpty()) {
                    out.append(ind).append("end else begin\n");
                    stmts(out, o, ind + I, op);
                }
                out.append(ind).append("end\n");
            } else if (s instanceof Stmt.Switch sw) {
                out.append(ind).append("case (").append(expr(sw.selector)).append(")\n");
                for (Stmt.Case c : sw.cases) {
                    List<String> vs = new ArrayList<>();
                    for (Expr.Lit l : c.values()) vs.add(lit(l));
                    out.append(ind).append(I).append(String.join(", ", vs)).append(": begin\n");
                    stmts(out, c.body(), ind + I + I, op);
                    out.append(ind).append(I).append("end\n");
                }
                out.append(ind).append(I).append("default: begin\n");
                if (sw.otherwise != null) stmts(out, sw.otherwise, ind + I + I, op);
                out.append(ind).append(I).append("end\n");
                out.append(ind).append("endcase\n");
            }
        }
    }

    // ---- module -------------------------------------------------------------------------------
    public String emit() {
        // classify driven signals
        Set<SigNode> syncTargets = new HashSet<>();
        for (MemNode mem : m.mems()) for (MemNode.SyncRead r : mem.syncReads()) syncTargets.add(r.target());
        List<SigNode> combTargets = new ArrayList<>();
        for (SigNode s : m.signals()) if (s.kind() == SigNode.Kind.OUT || s.kind() == SigNode.Kind.WIRE) combTargets.add(s);
        for (ModuleNode c : m.children()) for (SigNode p : c.ports()) if (p.kind() == SigNode.Kind.IN) combTargets.add(p);

        // every readable name, for the unused-bit sink
        for (DomainNode d : resets) noteSignal(d.resetName(), 1);
        for (SigNode s : m.signals()) if (s.kind() != SigNode.Kind.OUT) noteSignal(s.name(), s.width());
        for (ModuleNode c : m.children()) for (SigNode p : c.ports()) if (p.kind() == SigNode.Kind.OUT) noteSignal(nameOf(p), p.width());

        StringBuilder assigns = new StringBuilder();
        StringBuilder combs = new StringBuilder();
        Set<SigNode> procedural = new HashSet<>();
        for (SigNode t : combTargets) {
            List<Stmt> tree = IrWalk.prune(m.body(), Set.of(t));
            if (tree.isEmpty()) continue;
            if (tree.size() == 1 && tree.get(0) instanceof Stmt.Assign a) {
                assigns.append("assign ").append(nameOf(t)).append(" = ").append(expr(a.value())).append(";\n");
            } else {
                procedural.add(t);
                combs.append("always @* begin\n");
                stmts(combs, tree, I, "=");
                combs.append("end\n\n");
            }
        }

        // registers per domain
        StringBuilder seq = new StringBuilder();
        Map<DomainNode, List<SigNode>> regsByDomain = new LinkedHashMap<>();
        for (SigNode s : m.signals())
            if (s.kind() == SigNode.Kind.REG && !syncTargets.contains(s))
                regsByDomain.computeIfAbsent(s.domain(), k -> new ArrayList<>()).add(s);
        for (Map.Entry<DomainNode, List<SigNode>> en : regsByDomain.entrySet()) {
            DomainNode d = en.getKey();
            List<SigNode> regs = en.getValue();
            List<SigNode> withReset = regs.stream().filter(r -> r.init() != null && d.hasReset()).toList();
            if (d.reset() == DomainNode.Reset.ASYNC_HIGH && !withReset.isEmpty()) {
                List<SigNode> plain = regs.stream().filter(r -> !withReset.contains(r)).toList();
                seq.append("always @(posedge ").append(d.clockName()).append(" or posedge ").append(d.resetName()).append(") begin\n");
                seq.append(I).append("if (").append(d.resetName()).append(") begin\n");
                for (SigNode r : withReset) seq.append(I + I).append(r.name()).append(" <= ").append(literal(r.init(), r.width())).append(";\n");
                seq.append(I).append("end else begin\n");
                stmts(seq, IrWalk.prune(m.body(), new LinkedHashSet<>(withReset)), I + I, "<=");
                seq.append(I).append("end\nend\n\n");
                if (!plain.isEmpty()) {
                    seq.append("always @(posedge ").append(d.clockName()).append(") begin\n");
                    stmts(seq, IrWalk.prune(m.body(), new LinkedHashSet<>(plain)), I, "<=");
                    seq.append("end\n\n");
                }
            } else {
                seq.append("always @(posedge ").append(d.clockName()).append(") begin\n");
                stmts(seq, IrWalk.prune(m.body(), new LinkedHashSet<>(regs)), I, "<=");
                if (!withReset.isEmpty()) {
                    markRead(d.resetName(), 0, 0);
                    seq.append("\n").append(I).append("if (").append(d.resetName()).append(") begin\n");
                    for (SigNode r : withReset)
                        seq.append(I + I).append(r.name()).append(" <= ").append(literal(r.init(), r.width())).append(";\n");
                    seq.append(I).append("end\n");
                }
                seq.append("end\n\n");
            }
        }

        // memories
        StringBuilder mems = new StringBuilder();
        StringBuilder memDecl = new StringBuilder();
        for (MemNode mem : m.mems()) {
            memDecl.append("reg ").append(range(mem.width())).append(mem.name()).append(" [0:").append(mem.depth() - 1).append("];\n");
            if (mem.init() != null) {
                mems.append("initial begin\n");
                for (int i = 0; i < mem.depth(); i++)
                    mems.append(I).append(mem.name()).append('[').append(i).append("] = ")
                            .append(literal(mem.init().get(i), mem.width())).append(";\n");
                mems.append("end\n\n");
            }
            for (MemNode.WritePort w : mem.writes()) {
                mems.append("always @(posedge ").append(w.domain().clockName()).append(") begin\n");
                mems.append(I).append("if (").append(expr(w.enable())).append(") begin\n");
                String addr = expr(w.addr());
                if (w.byteMask() == null) {
                    mems.append(I + I).append(mem.name()).append('[').append(addr).append("] <= ").append(expr(w.data())).append(";\n");
                } else {
                    String data = w.data() instanceof Expr.Ref r ? nameOf(r.sig()) : temp(w.data());
                    String mask = w.byteMask() instanceof Expr.Ref r ? nameOf(r.sig()) : temp(w.byteMask());
                    int lanes = mem.width() / 8;
                    for (int i = 0; i < lanes; i++) {
                        markRead(data, 8 * i + 7, 8 * i);
                        markRead(mask, i, i);
                        String mbit = lanes == 1 ? mask : mask + "[" + i + "]";
                        mems.append(I + I).append("if (").append(mbit).append(") ").append(mem.name()).append('[').append(addr)
                                .append("][").append(8 * i + 7).append(':').append(8 * i).append("] <= ")
                                .append(data).append('[').append(8 * i + 7).append(':').append(8 * i).append("];\n");
                    }
                }
                mems.append(I).append("end\nend\n\n");
            }
            for (MemNode.SyncRead r : mem.syncReads()) {
                mems.append("always @(posedge ").append(r.domain().clockName()).append(") begin\n");
                boolean always = r.enable() instanceof Expr.Lit l && l.value().signum() != 0;
                String ind = always ? I : I + I;
                if (!always) mems.append(I).append("if (").append(expr(r.enable())).append(") begin\n");
                mems.append(ind).append(r.target().name()).append(" <= ").append(mem.name()).append('[').append(expr(r.addr())).append("];\n");
                if (!always) mems.append(I).append("end\n");
                mems.append("end\n\n");
            }
        }

        // instances
        StringBuilder inst = new StringBuilder();
        for (ModuleNode c : m.children()) {
            List<String> conns = new ArrayList<>();
            for (DomainNode d : childClocks.get(c)) {
                conns.add("." + d.clockName() + "(" + d.clockName() + ")");
                markRead(d.clockName(), 0, 0);
            }
            for (DomainNode d : childResets.get(c)) {
                conns.add("." + d.resetName() + "(" + d.resetName() + ")");
                markRead(d.resetName(), 0, 0);
            }
            for (SigNode p : c.ports()) {
                String n = nameOf(p);
                if (p.kind() == SigNode.Kind.IN) markRead(n, p.width() - 1, 0);
                conns.add("." + p.name() + "(" + n + ")");
            }
            inst.append(c.moduleName()).append(' ').append(c.instanceName()).append(" (\n");
            for (int i = 0; i < conns.size(); i++)
                inst.append(I).append(conns.get(i)).append(i + 1 < conns.size() ? ",\n" : "\n");
            inst.append(");\n\n");
        }

        // header and declarations
        StringBuilder out = new StringBuilder();
        out.append("// Generated by ntsfab hdl-gen from ").append(m.className()).append(".\n");
        out.append("// Do not edit: change the Java source and regenerate.\n\n");
        out.append("`resetall\n`timescale 1ns / 1ps\n`default_nettype none\n\n");
        out.append(portComment());
        if (m.keepsHierarchy()) out.append("(* keep_hierarchy = \"yes\" *)\n");
        out.append("module ").append(moduleName).append(" (\n");
        List<String> ports = new ArrayList<>();
        for (DomainNode d : clocks) ports.add("input  wire " + pad("") + d.clockName());
        for (DomainNode d : resets) ports.add("input  wire " + pad("") + d.resetName());
        for (SigNode p : m.ports()) {
            String kind = p.kind() == SigNode.Kind.IN ? "input  wire " : procedural.contains(p) ? "output reg  " : "output wire ";
            ports.add(kind + pad(range(p.width())) + p.name());
        }
        for (int i = 0; i < ports.size(); i++) out.append(I).append(ports.get(i)).append(i + 1 < ports.size() ? ",\n" : "\n");
        out.append(");\n\n");
        for (Map.Entry<String, Expr.Lit> lp : m.localParams().entrySet())
            out.append("localparam ").append(range(lp.getValue().width())).append(lp.getKey()).append(" = ")
                    .append(literal(lp.getValue().value(), lp.getValue().width())).append(";\n");
        if (!m.localParams().isEmpty()) out.append('\n');

        StringBuilder decl = new StringBuilder();
        for (SigNode s : m.signals()) {
            if (s.isPort()) continue;
            boolean isReg = s.kind() == SigNode.Kind.REG || procedural.contains(s);
            // synchronizer flops: keep them apart and close together (Xilinx ASYNC_REG; others ignore it)
            if (m.isSynchronizer() && s.kind() == SigNode.Kind.REG) decl.append("(* ASYNC_REG = \"TRUE\" *) ");
            decl.append(isReg ? "reg  " : "wire ").append(pad(range(s.width()))).append(s.name()).append(";\n");
        }
        for (ModuleNode c : m.children())
            for (SigNode p : c.ports())
                decl.append(procedural.contains(p) ? "reg  " : "wire ").append(pad(range(p.width()))).append(nameOf(p)).append(";\n");
        for (String[] t : tempDecls) decl.append("wire ").append(pad(range(Integer.parseInt(t[1])))).append(t[0]).append(";\n");
        out.append(decl);
        out.append(memDecl);
        if (decl.length() + memDecl.length() > 0) out.append('\n');

        StringBuilder tempAssigns = new StringBuilder();
        for (String[] t : tempDecls) tempAssigns.append("assign ").append(t[0]).append(" = ").append(t[2]).append(";\n");
        out.append(tempAssigns).append(assigns);
        if (tempAssigns.length() + assigns.length() > 0) out.append('\n');
        out.append(combs).append(seq).append(mems).append(inst);

        // the unused-bit sink
        List<String> unused = new ArrayList<>();
        for (Map.Entry<String, boolean[]> en : reads.entrySet()) {
            boolean[] r = en.getValue();
            int i = 0;
            while (i < r.length) {
                if (r[i]) { i++; continue; }
                int j = i;
                while (j + 1 < r.length && !r[j + 1]) j++;
                String n = en.getKey();
                if (r.length == 1) unused.add(n);
                else if (i == 0 && j == r.length - 1) unused.add(n);
                else unused.add(i == j ? n + "[" + i + "]" : n + "[" + j + ":" + i + "]");
                i = j + 1;
            }
        }
        if (!unused.isEmpty()) {
            out.append("// Bits nobody reads, gathered so lint sees them used (Verilator's _unused_ok idiom).\n");
            out.append("wire _unused_ok = &{1'b0,\n");
            for (String u : unused) out.append(I).append(u).append(",\n");
            out.append(I).append("1'b0};\n\n");
        }
        out.append("endmodule\n\n`resetall\n");
        return out.toString();
    }

    /** Text columns of the port comment. */
    private static final int COMMENT_WIDTH = 110;

    /**
     * The comment above the module for a component that documents its ports: clocks (their active edge), resets (their
     * polarity and timing, as the always blocks below treat them), then each documented group in port order.
     */
    private String portComment() {
        if (!m.documentsPorts()) return "";
        List<String[]> rows = new ArrayList<>();
        for (DomainNode d : clocks) {
            ModuleNode.DomainDoc doc = m.domainDocs().get(d);
            rows.add(new String[] {d.clockName(), "Rising edge. " + (doc == null ? "" : doc.clock())});
        }
        for (DomainNode d : resets) {
            ModuleNode.DomainDoc doc = m.domainDocs().get(d);
            String c = d.clockName();
            String kind = switch (d.reset()) {
                case SYNC_HIGH -> "Active high, synchronous: sampled at " + c + "'s rising edge, so assert and release it in " + c + "'s domain. ";
                case ASYNC_HIGH -> "Active high, asynchronous (always @(posedge " + c + " or posedge " + d.resetName() + ")); release it "
                        + "synchronously to " + c + ". ";
                case NONE -> "";
            };
            rows.add(new String[] {d.resetName(), kind + (doc == null || doc.reset() == null ? "" : doc.reset())});
        }
        List<SigNode> ports = m.ports();
        List<ModuleNode.PortDoc> docs = new ArrayList<>(m.portDocs());
        docs.sort(java.util.Comparator.comparingInt(d -> ports.indexOf(d.ports().get(0))));
        for (ModuleNode.PortDoc d : docs) rows.add(new String[] {groupLabel(d.ports()), d.text()});
        int labelWidth = 0;
        for (String[] r : rows) labelWidth = Math.max(labelWidth, r[0].length());
        StringBuilder sb = new StringBuilder("// Ports of ").append(moduleName).append(":\n//\n");
        String indent = "//   " + " ".repeat(labelWidth + 2);
        for (String[] r : rows) {
            StringBuilder line = new StringBuilder("//   ").append(r[0]).append(" ".repeat(labelWidth + 2 - r[0].length()));
            boolean first = true;
            for (String word : r[1].trim().split("\\s+")) {
                if (!first && line.length() + 1 + word.length() > COMMENT_WIDTH) {
                    sb.append(line).append('\n');
                    line = new StringBuilder(indent);
                    first = true;
                }
                if (!first) line.append(' ');
                line.append(word);
                first = false;
            }
            sb.append(line).append("\n");
        }
        return sb.append("\n").toString();
    }

    /**
     * One port's name, or the group's common prefix up to its last '_' and a star ({@code rx_*}, {@code s_axil_*}), or
     * without one the whole prefix and a star (an AXI channel {@code aw*}), else the names.
     */
    private static String groupLabel(List<SigNode> group) {
        if (group.size() == 1) return group.get(0).name();
        String prefix = group.get(0).name();
        for (SigNode p : group) {
            int i = 0;
            while (i < prefix.length() && i < p.name().length() && prefix.charAt(i) == p.name().charAt(i)) i++;
            prefix = prefix.substring(0, i);
        }
        int cut = prefix.lastIndexOf('_');
        if (cut > 0) return prefix.substring(0, cut + 1) + "*";
        if (!prefix.isEmpty()) return prefix + "*";
        StringBuilder names = new StringBuilder();
        for (SigNode p : group) names.append(names.length() == 0 ? "" : ", ").append(p.name());
        return names.toString();
    }

    private static String pad(String r) {
        StringBuilder sb = new StringBuilder(r);
        while (sb.length() < 8) sb.append(' ');
        return sb.toString();
    }
}
