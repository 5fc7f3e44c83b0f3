package org.ntsfab.model.wire;

/** Big-endian field access on byte arrays. */
public final class Bytes {
    private Bytes() {}

    public static int u8(byte[] b, int o) {
        return b[o] & 0xff;
    }

    public static int u16(byte[] b, int o) {
        return (b[o] & 0xff) << 8 | (b[o + 1] & 0xff);
    }

    public static long u32(byte[] b, int o) {
        return ((long) u16(b, o) << 16) | u16(b, o + 2);
    }

    public static long u64(byte[] b, int o) {
        return (u32(b, o) << 32) | u32(b, o + 4);
    }

    public static void put16(byte[] b, int o, int v) {
        b[o] = (byte) (v >>> 8);
        b[o + 1] = (byte) v;
    }

    public static void put32(byte[] b, int o, long v) {
        put16(b, o, (int) (v >>> 16));
        put16(b, o + 2, (int) v);
    }

    public static void put64(byte[] b, int o, long v) {
        put32(b, o, v >>> 32);
        put32(b, o + 4, v);
    }

    public static boolean equal(byte[] a, int ao, byte[] b, int bo, int n) {
        for (int i = 0; i < n; i++) if (a[ao + i] != b[bo + i]) return false;
        return true;
    }
}
