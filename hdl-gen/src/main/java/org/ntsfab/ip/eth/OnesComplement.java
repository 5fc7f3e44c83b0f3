package org.ntsfab.ip.eth;

import java.util.ArrayList;
import java.util.List;
import org.ntsfab.hdl.Bits;
import org.ntsfab.hdl.UInt;

/** Internet-checksum arithmetic as hardware expressions, shared by the responder's stages. */
public final class OnesComplement {
    private OnesComplement() {}

    /** Sum of the big-endian 16-bit words of {@code b} (a multiple of 16 bits), 32 bits wide. */
    public static UInt sum16(Bits b) {
        UInt s = UInt.lit(0, 32);
        for (int i = 0; i < b.width() / 16; i++) s = s.plus(b.part(16 * i, 16).asUInt().zext(32));
        return s;
    }

    /** A 32-bit sum folded to 16 bits with end-around carry (not complemented). */
    public static UInt fold(UInt acc) {
        UInt f1 = acc.slice(15, 0).zext(17).plus(acc.slice(31, 16).zext(17));
        return f1.slice(15, 0).plus(f1.slice(16, 16).zext(16));
    }

    /** The big-endian 16-bit words of {@code b} (a multiple of 16 bits), the first word first. */
    public static List<UInt> words(Bits b) {
        List<UInt> w = new ArrayList<>();
        for (int i = 0; i < b.width() / 16; i++) w.add(b.part(16 * i, 16).asUInt());
        return w;
    }

    /**
     * The sum of {@code terms}, each zero-extended to {@code width} bits (wide enough that no carry is lost, or 32 for a sum
     * mod 2^32), as a balanced tree of adders: log2(n) adders deep where {@link #sum16}'s chain is n.
     */
    public static UInt sumTree(List<UInt> terms, int width) {
        List<UInt> level = new ArrayList<>();
        for (UInt t : terms) level.add(t.zext(width));
        while (level.size() > 1) {
            List<UInt> next = new ArrayList<>();
            for (int i = 0; i + 1 < level.size(); i += 2) next.add(level.get(i).plus(level.get(i + 1)));
            if (level.size() % 2 == 1) next.add(level.get(level.size() - 1));
            level = next;
        }
        return level.get(0);
    }
}
