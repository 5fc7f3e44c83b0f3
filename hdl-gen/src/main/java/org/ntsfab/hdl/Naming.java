package org.ntsfab.hdl;

import java.lang.reflect.Array;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.ntsfab.hdl.ir.MemNode;
import org.ntsfab.hdl.ir.ModuleNode;
import org.ntsfab.hdl.ir.SigNode;

/**
 * Name phases: reflection gives fields their names (bundles flattened with '_', or as {@link Bundle#separator} says), then every module
 * allocates unique, keyword-safe names: explicit name, else field name, else a {@code _zz_}
 * temporary numbered in construction order.
 */
final class Naming {
    private Naming() {}

    static final Set<String> KEYWORDS = Set.of("always", "and", "assign", "automatic", "begin", "buf", "bufif0",
            "bufif1", "case", "casex", "casez", "cell", "cmos", "config", "deassign", "default", "defparam", "design",
            "disable", "edge", "else", "end", "endcase", "endconfig", "endfunction", "endgenerate", "endmodule",
            "endprimitive", "endspecify", "endtable", "endtask", "event", "for", "force", "forever", "fork",
            "function", "generate", "genvar", "highz0", "highz1", "if", "ifnone", "incdir", "include", "initial",
            "inout", "input", "instance", "integer", "join", "large", "liblist", "library", "localparam",
            "macromodule", "medium", "module", "nand", "negedge", "nmos", "nor", "noshowcancelled", "not",
            "notif0", "notif1", "or", "output", "parameter", "pmos", "posedge", "primitive", "pull0", "pull1",
            "pulldown", "pullup", "pulsestyle_onevent", "pulsestyle_ondetect", "rcmos", "real", "realtime", "reg",
            "release", "repeat", "rnmos", "rpmos", "rtran", "rtranif0", "rtranif1", "scalared", "showcancelled",
            "signed", "small", "specify", "specparam", "strong0", "strong1", "supply0", "supply1", "table", "task",
            "time", "tran", "tranif0", "tranif1", "tri", "tri0", "tri1", "triand", "trior", "trireg", "unsigned",
            "use", "uwire", "vectored", "wait", "wand", "weak0", "weak1", "while", "wire", "wor", "xnor", "xor",
            // SystemVerilog keywords, so the output also reads as SV
            "logic", "bit", "byte", "int", "shortint", "longint", "type", "interface", "class", "package",
            "import", "export", "string", "final", "priority", "unique", "return", "break", "continue", "do",
            "enum", "struct", "union", "typedef", "var", "void", "const", "static", "alias", "bind", "chandle",
            "clocking", "constraint", "context", "cover", "covergroup", "expect", "extends", "extern", "first_match",
            "foreach", "forkjoin", "iff", "ignore_bins", "illegal_bins", "inside", "intersect", "join_any",
            "join_none", "local", "matches", "modport", "new", "null", "packed", "program", "property", "protected",
            "pure", "rand", "randc", "randcase", "randsequence", "ref", "sequence", "solve", "super", "tagged",
            "this", "throughout", "timeprecision", "timeunit", "virtual", "wait_order", "wildcard", "with", "within");

    /** Phase 1: reflect over component fields. */
    static void reflect(List<Component> components) {
        for (Component c : components) {
            List<Class<?>> chain = new ArrayList<>();
            for (Class<?> k = c.getClass(); k != null && k != Component.class; k = k.getSuperclass()) chain.add(0, k);
            for (Class<?> k : chain) {
                for (Field f : k.getDeclaredFields()) {
                    if (Modifier.isStatic(f.getModifiers()) || f.isSynthetic()) continue;
                    Object v;
                    try {
                        f.setAccessible(true);
                        v = f.get(c);
                    } catch (IllegalAccessException | RuntimeException e) {
                        continue;
                    }
                    nameValue(c.node, f.getName(), v);
                }
            }
        }
    }

    private static void nameValue(ModuleNode owner, String name, Object v) {
        if (v instanceof Data d) {
            List<Bundle.Leaf> leaves = new ArrayList<>();
            Bundle.flattenInto(d, "", false, leaves);
            for (Bundle.Leaf l : leaves) {
                SigNode n = l.signal().node;
                if (n != null && n.owner() == owner)
                    n.setFieldName(d instanceof Bundle b ? b.join(name, l.path()) : name);
            }
        } else if (v instanceof Component child) {
            if (child.node.parent() == owner) child.node.setInstanceFieldName(name);
        } else if (v instanceof Mem m) {
            if (m.node().owner() == owner) m.node().setFieldName(name);
        } else if (v instanceof Collection<?> col) {
            int i = 0;
            for (Object o : col) nameValue(owner, name + "_" + i++, o);
        } else if (v != null && v.getClass().isArray() && !v.getClass().getComponentType().isPrimitive()) {
            for (int i = 0; i < Array.getLength(v); i++) nameValue(owner, name + "_" + i, Array.get(v, i));
        }
    }

    static String sanitize(String n) {
        StringBuilder sb = new StringBuilder();
        for (char ch : n.toCharArray()) sb.append(Character.isLetterOrDigit(ch) || ch == '_' ? ch : '_');
        if (sb.length() == 0 || Character.isDigit(sb.charAt(0))) sb.insert(0, '_');
        String s = sb.toString();
        return KEYWORDS.contains(s) ? s + "_" : s;
    }

    static String unique(Set<String> used, String base) {
        String b = sanitize(base);
        String n = b;
        for (int i = 1; used.contains(n); i++) n = b + "_" + i;
        used.add(n);
        return n;
    }

    static String snake(String camel) {
        String simple = camel.substring(camel.lastIndexOf('.') + 1);
        simple = simple.substring(simple.lastIndexOf('$') + 1);
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < simple.length(); i++) {
            char ch = simple.charAt(i);
            if (Character.isUpperCase(ch)) {
                boolean prevLower = i > 0 && (Character.isLowerCase(simple.charAt(i - 1)) || Character.isDigit(simple.charAt(i - 1)));
                boolean nextLower = i + 1 < simple.length() && Character.isLowerCase(simple.charAt(i + 1));
                if (i > 0 && (prevLower || nextLower && Character.isUpperCase(simple.charAt(i - 1)))) sb.append('_');
                sb.append(Character.toLowerCase(ch));
            } else {
                sb.append(ch);
            }
        }
        return sb.toString();
    }

    /**
     * The one naming rule for registers: every named register ends in {@code _reg} (a field or explicit name that
     * lacks it gets it), so a register reads as one in the Verilog and in a waveform, whoever named it.
     */
    static String regName(String base) {
        return base.endsWith("_reg") ? base : base + "_reg";
    }

    /** Phase 2: unique names within each module; returns the names reserved for clocks. */
    static void allocate(ModuleNode m, Collection<String> clockPorts) {
        Set<String> used = new HashSet<>(clockPorts);
        used.add("_unused_ok");
        // ports first (they are the interface; their names must be the most stable)
        List<SigNode> ordered = new ArrayList<>(m.ports());
        for (SigNode s : m.signals()) if (!s.isPort()) ordered.add(s);
        int zz = 0;
        for (SigNode s : ordered) {
            String base = s.explicitName() != null ? s.explicitName() : s.fieldName();
            if (base == null) base = "_zz_" + (s.kind() == SigNode.Kind.REG ? "reg_" : "") + zz++;
            else if (s.kind() == SigNode.Kind.REG) base = regName(base);
            String n = unique(used, base);
            if (s.isPort() && !n.equals(sanitize(base)))
                Builder.get().error(HdlError.Kind.NAMING, s.loc(), "port name " + base + " of " + m.displayPath()
                        + " collides with another port or a clock/reset name");
            s.setName(n);
        }
        for (MemNode mem : m.mems()) {
            String base = mem.explicitName() != null ? mem.explicitName() : mem.fieldName() != null ? mem.fieldName() : "_zz_mem_" + zz++;
            mem.setName(unique(used, base));
        }
        for (MemNode mem : m.mems())
            for (MemNode.SyncRead r : mem.syncReads())
                if (r.target().explicitName() == null && r.target().fieldName() == null) {
                    used.remove(r.target().name());
                    r.target().setName(unique(used, regName(mem.name() + "_rdata")));
                }
        for (ModuleNode c : m.children()) {
            String base = c.instanceFieldName() != null ? c.instanceFieldName() : snake(c.className());
            c.setInstanceName(unique(used, base));
        }
        // parent-side wires of child ports: <instance>_<port>
        m.childPortNames().clear();
        for (ModuleNode c : m.children())
            for (SigNode p : c.ports()) m.childPortNames().put(p, unique(used, c.instanceName() + "_" + p.name()));
        m.usedNames().clear();
        m.usedNames().addAll(used);
    }
}
