package org.ntsfab.model.wire;

import java.util.Arrays;

/** The fixed IPv6 header (RFC 8200). */
public record Ipv6Header(int trafficClass, int flowLabel, int payloadLength, int nextHeader, int hopLimit, byte[] src, byte[] dst) {
    public static Ipv6Header parse(byte[] b, int off, int avail) throws WireException {
        if (avail < 40) throw new WireException("IPv6 header cut off");
        if ((b[off] & 0xf0) != 0x60) throw new WireException("IP version is not 6");
        int plen = Bytes.u16(b, off + 4);
        if (plen > avail - 40) throw new WireException("payload length beyond the frame");
        long w = Bytes.u32(b, off);
        return new Ipv6Header((int) (w >>> 20) & 0xff, (int) w & 0xfffff, plen, b[off + 6] & 0xff, b[off + 7] & 0xff,
                Arrays.copyOfRange(b, off + 8, off + 24), Arrays.copyOfRange(b, off + 24, off + 40));
    }

    /** An answer's header: traffic class 0, flow label 0. */
    public static byte[] packet(byte[] src, byte[] dst, int nextHeader, int hopLimit, byte[] payload) {
        byte[] p = new byte[40 + payload.length];
        p[0] = 0x60;
        Bytes.put16(p, 4, payload.length);
        p[6] = (byte) nextHeader;
        p[7] = (byte) hopLimit;
        System.arraycopy(src, 0, p, 8, 16);
        System.arraycopy(dst, 0, p, 24, 16);
        System.arraycopy(payload, 0, p, 40, payload.length);
        return p;
    }

    public static boolean isMulticast(byte[] a) {
        return a[0] == (byte) 0xff;
    }

    public static boolean isUnspecified(byte[] a) {
        for (byte x : a) if (x != 0) return false;
        return true;
    }

    public static boolean isLoopback(byte[] a) {
        for (int i = 0; i < 15; i++) if (a[i] != 0) return false;
        return a[15] == 1;
    }

    /** ff02::1:ffXX:XXXX for the low 24 bits of {@code unicast} (RFC 4291 §2.7.1). */
    public static byte[] solicitedNode(byte[] unicast) {
        byte[] a = new byte[16];
        a[0] = (byte) 0xff;
        a[1] = 2;
        a[11] = 1;
        a[12] = (byte) 0xff;
        System.arraycopy(unicast, 13, a, 13, 3);
        return a;
    }
}
