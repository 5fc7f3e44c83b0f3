package org.ntsfab.model.wire;

/** A UDP header (RFC 768). */
public record UdpHeader(int srcPort, int dstPort, int length, int checksum) {
    /** Parses the header; the UDP length must equal the IP payload length {@code ipPayload}. */
    public static UdpHeader parse(byte[] b, int off, int ipPayload) throws WireException {
        if (ipPayload < 8) throw new WireException("UDP header cut off");
        UdpHeader h = new UdpHeader(Bytes.u16(b, off), Bytes.u16(b, off + 2), Bytes.u16(b, off + 4), Bytes.u16(b, off + 6));
        if (h.length != ipPayload) throw new WireException("UDP length " + h.length + " is not the IP payload length " + ipPayload);
        return h;
    }

    /** Whether the checksum verifies with the pseudo-header; a zero checksum means none (IPv4 only). */
    public boolean checksumOk(byte[] b, int off, byte[] srcIp, byte[] dstIp) {
        if (checksum == 0) return srcIp.length == 4;
        return Checksum.verifies(Checksum.pseudo(srcIp, dstIp, 17, length), b, off, length);
    }

    /** A datagram with its checksum (never 0: a computed 0 is sent as 0xFFFF). */
    public static byte[] datagram(byte[] srcIp, byte[] dstIp, int srcPort, int dstPort, byte[] payload) {
        byte[] u = new byte[8 + payload.length];
        Bytes.put16(u, 0, srcPort);
        Bytes.put16(u, 2, dstPort);
        Bytes.put16(u, 4, u.length);
        System.arraycopy(payload, 0, u, 8, payload.length);
        int c = ~Checksum.fold(Checksum.add(Checksum.pseudo(srcIp, dstIp, 17, u.length), u, 0, u.length)) & 0xffff;
        Bytes.put16(u, 6, c == 0 ? 0xffff : c);
        return u;
    }
}
