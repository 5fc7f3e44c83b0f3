package org.ntsfab.model.wire;

/** The Internet checksum (RFC 1071) and the pseudo-headers of UDP and ICMPv6 (RFC 768, RFC 8200 §8.1). */
public final class Checksum {
    private Checksum() {}

    /** Ones'-complement sum of {@code b[off..off+len)} added to {@code sum} (not folded). */
    public static long add(long sum, byte[] b, int off, int len) {
        for (int i = 0; i + 1 < len; i += 2) sum += Bytes.u16(b, off + i);
        if ((len & 1) != 0) sum += (b[off + len - 1] & 0xff) << 8;
        return sum;
    }

    public static int fold(long sum) {
        while ((sum >>> 16) != 0) sum = (sum & 0xffff) + (sum >>> 16);
        return (int) sum;
    }

    /** The checksum field value over a region (complement of the folded sum). */
    public static int of(byte[] b, int off, int len) {
        return ~fold(add(0, b, off, len)) & 0xffff;
    }

    /** True when a region that contains its own checksum field sums to 0xFFFF. */
    public static boolean verifies(long partial, byte[] b, int off, int len) {
        return fold(add(partial, b, off, len)) == 0xffff;
    }

    /** Pseudo-header sum: source and destination addresses (4 or 16 bytes), protocol, upper-layer length. */
    public static long pseudo(byte[] src, byte[] dst, int protocol, int length) {
        long s = add(0, src, 0, src.length);
        s = add(s, dst, 0, dst.length);
        return s + protocol + (length & 0xffff) + (length >>> 16);
    }
}
