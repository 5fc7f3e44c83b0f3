package org.ntsfab.ip.eth;

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
}
