package org.ntsfab.model.wire;

import java.util.Arrays;

/** An IPv4 header (RFC 791); options are kept only as their length. */
public record Ipv4Header(int headerLength, int tos, int totalLength, int identification, int flagsFragment, int ttl,
                         int protocol, int checksum, byte[] src, byte[] dst) {
    public static final int DF = 0x4000;

    /** Parses the header at {@code off}; {@code avail} bytes follow in the frame. */
    public static Ipv4Header parse(byte[] b, int off, int avail) throws WireException {
        if (avail < 20) throw new WireException("IPv4 header cut off");
        if ((b[off] & 0xf0) != 0x40) throw new WireException("IP version is not 4");
        int ihl = (b[off] & 0x0f) * 4;
        int total = Bytes.u16(b, off + 2);
        if (ihl < 20) throw new WireException("IHL below 5");
        if (total < ihl) throw new WireException("total length shorter than the header");
        if (total > avail) throw new WireException("total length beyond the frame");
        return new Ipv4Header(ihl, b[off + 1] & 0xff, total, Bytes.u16(b, off + 4), Bytes.u16(b, off + 6), b[off + 8] & 0xff,
                b[off + 9] & 0xff, Bytes.u16(b, off + 10), Arrays.copyOfRange(b, off + 12, off + 16), Arrays.copyOfRange(b, off + 16, off + 20));
    }

    public boolean isFragment() {
        return (flagsFragment & 0x3fff) != 0;
    }

    public int payloadLength() {
        return totalLength - headerLength;
    }

    /** An answer's header: no options, TOS 0, identification 0 with DF (an atomic datagram, RFC 6864). */
    public static byte[] packet(byte[] src, byte[] dst, int protocol, int ttl, byte[] payload) {
        byte[] p = new byte[20 + payload.length];
        p[0] = 0x45;
        Bytes.put16(p, 2, p.length);
        Bytes.put16(p, 6, DF);
        p[8] = (byte) ttl;
        p[9] = (byte) protocol;
        System.arraycopy(src, 0, p, 12, 4);
        System.arraycopy(dst, 0, p, 16, 4);
        Bytes.put16(p, 10, Checksum.of(p, 0, 20));
        System.arraycopy(payload, 0, p, 20, payload.length);
        return p;
    }
}
