package org.ntsfab.ip.stream;

import java.util.ArrayList;
import java.util.List;
import org.ntsfab.hdl.Bits;

/** Frame layouts as hardware vectors, shared by the answer builders. */
public final class FrameBytes {
    private FrameBytes() {}

    /** {@code wire} (first byte most significant) as a vector with byte 0 in the low bits (the AXI-Stream lane order), zero-padded to {@code bytes}. */
    public static Bits littleEndian(Bits wire, int bytes) {
        int n = wire.width() / 8;
        List<Bits> parts = new ArrayList<>();
        if (bytes > n) parts.add(Bits.lit(0, 8 * (bytes - n)));
        for (int i = n - 1; i >= 0; i--) parts.add(wire.part(8 * (n - 1 - i), 8));
        return Bits.cat(parts);
    }

    /**
     * A beat's {@code tkeep} for its first {@code n} bytes of {@code bytes}: the low n bits set, all of them for n = 0
     * or n >= bytes (a last beat whose frame length is a multiple of the beat, or a beat that is not the last).
     */
    public static Bits keepFirst(org.ntsfab.hdl.UInt n, int bytes) {
        Bits keep = Bits.lit((1L << bytes) - 1, bytes);
        for (int k = bytes - 1; k >= 1; k--) keep = n.eq(k).mux(Bits.lit((1L << k) - 1, bytes), keep);
        return keep;
    }
}
