package org.ntsfab.ip.eth;

/** RFC 1071 ones'-complement sum, the plain way: 16-bit big-endian words, odd byte padded with zero. */
public final class InternetChecksum {
    private InternetChecksum() {}

    /** The folded sum (not complemented). */
    public static int sum(byte[] data) {
        long s = 0;
        for (int i = 0; i < data.length; i += 2) {
            int hi = data[i] & 0xff;
            int lo = i + 1 < data.length ? data[i + 1] & 0xff : 0;
            s += (hi << 8) | lo;
        }
        while ((s >>> 16) != 0) s = (s & 0xffff) + (s >>> 16);
        return (int) s;
    }
}
