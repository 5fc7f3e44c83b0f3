package org.ntsfab.ip.axil;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/**
 * One Java description of the AXI4-Lite register file, from which the RTL ({@link AxiLiteRegisters}),
 * the Markdown register map, the C header and the Java constants are all generated, so they can
 * never disagree. Registers are 32-bit words at word-aligned offsets; a 64-bit value takes two
 * words (low word first). Reading the low word of a 64-bit read-only value latches its high word,
 * so software reads both halves of one instant (counters, the clock).
 */
public final class RegisterMap {
    public enum Access {
        /** Read-only, driven by the design. */
        RO,
        /** Read-write, held in the register file, reset to its reset value. */
        RW,
        /** Write-one-to-pulse: writing a 1 to a bit pulses the matching output for one cycle; reads 0. */
        PULSE
    }

    /** One register: {@code width} 1..64 bits at {@code offset} (64-bit ones take offset and offset + 4). */
    public record Register(String name, int offset, int width, Access access, long reset, String description) {
        public int words() {
            return width > 32 ? 2 : 1;
        }
    }

    private final String name;
    private final String variant;
    private final List<Register> regs = new ArrayList<>();
    private int next;

    public RegisterMap(String name) {
        this(name, "");
    }

    /** {@code variant}: what tells this map's register file from others of the same name (reset values), for its module name. */
    public RegisterMap(String name, String variant) {
        this.name = name;
        this.variant = variant;
    }

    public String name() {
        return name;
    }

    /** The register file's module name: {@code <name>_regs}, then the variant. */
    public String moduleName() {
        return name + "_regs" + variant;
    }

    public RegisterMap add(String reg, int width, Access access, long reset, String description) {
        if (width < 1 || width > 64) throw new IllegalArgumentException(reg + ": width 1..64");
        if (access == Access.PULSE && width > 32) throw new IllegalArgumentException(reg + ": pulse registers are at most 32 bits");
        if (!reg.matches("[a-z][a-z0-9_]*")) throw new IllegalArgumentException("register names are lower_snake_case: " + reg);
        for (Register r : regs) if (r.name().equals(reg)) throw new IllegalArgumentException("register " + reg + " twice");
        Register r = new Register(reg, next, width, access, reset, description);
        regs.add(r);
        next += 4 * r.words();
        return this;
    }

    public List<Register> registers() {
        return Collections.unmodifiableList(regs);
    }

    /** Address bits needed to cover the map. */
    public int addressBits() {
        return Math.max(3, 32 - Integer.numberOfLeadingZeros(Math.max(4, next) - 1));
    }

    public String markdown() {
        StringBuilder sb = new StringBuilder("# " + name + " register map\n\nGenerated from `RegisterMap`; 32-bit AXI4-Lite words, "
                + "byte offsets. 64-bit values: low word first; reading the low word of a read-only pair latches the high word.\n\n");
        sb.append("| offset | name | bits | access | reset | description |\n|---|---|---:|---|---|---|\n");
        for (Register r : regs)
            sb.append(String.format(Locale.ROOT, "| 0x%03x | %s | %d | %s | 0x%x | %s |%n", r.offset(), r.name(), r.width(),
                    r.access().name().toLowerCase(Locale.ROOT), r.reset(), r.description().replace("|", "\\|")));
        return sb.toString();
    }

    public String cHeader() {
        String guard = name.toUpperCase(Locale.ROOT) + "_REGS_H";
        StringBuilder sb = new StringBuilder("/* Generated from RegisterMap: do not edit. */\n#ifndef " + guard + "\n#define " + guard + "\n\n");
        for (Register r : regs) {
            String n = name.toUpperCase(Locale.ROOT) + "_" + r.name().toUpperCase(Locale.ROOT);
            sb.append(String.format(Locale.ROOT, "#define %-40s 0x%03xu /* %s, %d bits: %s */%n", n, r.offset(),
                    r.access().name(), r.width(), r.description().replace("*/", "* /")));
        }
        return sb.append("\n#endif\n").toString();
    }

    public String javaConstants(String pkg, String cls) {
        StringBuilder sb = new StringBuilder("package " + pkg + ";\n\n/** Generated from RegisterMap: register byte offsets. */\n"
                + "public final class " + cls + " {\n    private " + cls + "() {}\n\n");
        for (Register r : regs)
            sb.append(String.format(Locale.ROOT, "    /** %s (%s, %d bits). */%n    public static final int %s = 0x%03x;%n",
                    r.description(), r.access().name(), r.width(), r.name().toUpperCase(Locale.ROOT), r.offset()));
        return sb.append("}\n").toString();
    }
}
