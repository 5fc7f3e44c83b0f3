package org.ntsfab.model.wire;

import java.util.Arrays;

/** An ICMP (RFC 792) or ICMPv6 (RFC 4443) message: type, code, and everything after the checksum. */
public record IcmpMessage(int type, int code, byte[] rest) {
    /** Parses and verifies; {@code v6Src}/{@code v6Dst} null for ICMPv4 (no pseudo-header). */
    public static IcmpMessage parse(byte[] b, int off, int len, byte[] v6Src, byte[] v6Dst) throws WireException {
        if (len < 8) throw new WireException("ICMP message shorter than 8 bytes");
        long start = v6Src == null ? 0 : Checksum.pseudo(v6Src, v6Dst, 58, len);
        if (!Checksum.verifies(start, b, off, len)) throw new WireException("ICMP checksum does not verify");
        return new IcmpMessage(b[off] & 0xff, b[off + 1] & 0xff, Arrays.copyOfRange(b, off + 4, off + len));
    }

    /** The message with its checksum; for ICMPv6 pass the addresses of the packet that carries it. */
    public byte[] write(byte[] v6Src, byte[] v6Dst) {
        byte[] m = new byte[4 + rest.length];
        m[0] = (byte) type;
        m[1] = (byte) code;
        System.arraycopy(rest, 0, m, 4, rest.length);
        long s = v6Src == null ? 0 : Checksum.pseudo(v6Src, v6Dst, 58, m.length);
        Bytes.put16(m, 2, ~Checksum.fold(Checksum.add(s, m, 0, m.length)) & 0xffff);
        return m;
    }
}
