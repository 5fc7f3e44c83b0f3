package org.ntsfab.model.wire;

import java.util.ArrayList;
import java.util.List;

/** An NTP extension field (RFC 7822): type, whole length (a multiple of 4, at least 16), body. */
public record ExtensionField(int type, int offset, int length) {
    public static final int MIN_LENGTH = 16;

    public int bodyOffset() {
        return offset + 4;
    }

    public int bodyLength() {
        return length - 4;
    }

    /** Why a walk failed: a legacy MAC trailer, or a field that breaks the length rules. */
    public static final class WalkException extends Exception {
        public final boolean legacyMac;

        WalkException(String reason, boolean legacyMac) {
            super(reason, null, false, false);
            this.legacyMac = legacyMac;
        }
    }

    /**
     * Walks fields from {@code from} to {@code end}. With {@code macTrailers}, 20 or 24 remaining
     * bytes are a legacy MAC (RFC 7822 §7.5: a last field without MAC is at least 28 bytes).
     */
    public static List<ExtensionField> walk(byte[] b, int from, int end, boolean macTrailers) throws WalkException {
        List<ExtensionField> out = new ArrayList<>();
        for (int o = from; o < end; ) {
            int rem = end - o;
            if (macTrailers && (rem == 20 || rem == 24)) throw new WalkException("legacy MAC of " + rem + " bytes", true);
            if (rem < MIN_LENGTH) throw new WalkException(rem + " bytes left, less than a field", false);
            int len = Bytes.u16(b, o + 2);
            if (len < MIN_LENGTH) throw new WalkException("field length " + len + " below 16", false);
            if (len % 4 != 0) throw new WalkException("field length " + len + " not a multiple of 4", false);
            if (len > rem) throw new WalkException("field length " + len + " beyond the packet", false);
            out.add(new ExtensionField(Bytes.u16(b, o), o, len));
            o += len;
        }
        return out;
    }

    /** A field with its body zero-padded to a multiple of 4. */
    public static byte[] write(int type, byte[] body) {
        byte[] e = new byte[4 + ((body.length + 3) & ~3)];
        Bytes.put16(e, 0, type);
        Bytes.put16(e, 2, e.length);
        System.arraycopy(body, 0, e, 4, body.length);
        return e;
    }
}
