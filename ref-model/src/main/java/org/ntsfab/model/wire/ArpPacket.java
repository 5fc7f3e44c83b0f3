package org.ntsfab.model.wire;

import java.util.Arrays;

/** An ARP packet for IPv4 over Ethernet (RFC 826): 28 bytes. */
public record ArpPacket(int operation, byte[] senderMac, byte[] senderIp, byte[] targetMac, byte[] targetIp) {
    public static final int REQUEST = 1, REPLY = 2;

    /** Parses an Ethernet/IPv4 ARP packet; anything else (other hardware or protocol) is malformed for us. */
    public static ArpPacket parse(byte[] b, int off, int len) throws WireException {
        if (len < 28) throw new WireException("ARP packet shorter than 28 bytes");
        if (Bytes.u16(b, off) != 1 || Bytes.u16(b, off + 2) != 0x0800 || b[off + 4] != 6 || b[off + 5] != 4)
            throw new WireException("ARP not for IPv4 over Ethernet");
        return new ArpPacket(Bytes.u16(b, off + 6), Arrays.copyOfRange(b, off + 8, off + 14), Arrays.copyOfRange(b, off + 14, off + 18),
                Arrays.copyOfRange(b, off + 18, off + 24), Arrays.copyOfRange(b, off + 24, off + 28));
    }

    public byte[] write() {
        byte[] p = new byte[28];
        Bytes.put16(p, 0, 1);
        Bytes.put16(p, 2, 0x0800);
        p[4] = 6;
        p[5] = 4;
        Bytes.put16(p, 6, operation);
        System.arraycopy(senderMac, 0, p, 8, 6);
        System.arraycopy(senderIp, 0, p, 14, 4);
        System.arraycopy(targetMac, 0, p, 18, 6);
        System.arraycopy(targetIp, 0, p, 24, 4);
        return p;
    }
}
