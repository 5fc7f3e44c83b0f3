package org.ntsfab.model.wire;

/** The 48-byte NTP header (RFC 5905 §7.3); timestamps as raw 32.32 values. */
public record NtpHeader(int leap, int version, int mode, int stratum, int poll, int precision, long rootDelay,
                        long rootDispersion, long refid, long reference, long origin, long receive, long transmit) {
    public static final int LENGTH = 48;

    public static NtpHeader parse(byte[] b, int off, int len) throws WireException {
        if (len < LENGTH) throw new WireException("NTP packet shorter than 48 bytes");
        return new NtpHeader((b[off] >> 6) & 3, (b[off] >> 3) & 7, b[off] & 7, b[off + 1] & 0xff, b[off + 2], b[off + 3],
                Bytes.u32(b, off + 4), Bytes.u32(b, off + 8), Bytes.u32(b, off + 12), Bytes.u64(b, off + 16), Bytes.u64(b, off + 24),
                Bytes.u64(b, off + 32), Bytes.u64(b, off + 40));
    }

    public byte[] write() {
        byte[] h = new byte[LENGTH];
        h[0] = (byte) ((leap << 6) | (version << 3) | mode);
        h[1] = (byte) stratum;
        h[2] = (byte) poll;
        h[3] = (byte) precision;
        Bytes.put32(h, 4, rootDelay);
        Bytes.put32(h, 8, rootDispersion);
        Bytes.put32(h, 12, refid);
        Bytes.put64(h, 16, reference);
        Bytes.put64(h, 24, origin);
        Bytes.put64(h, 32, receive);
        Bytes.put64(h, 40, transmit);
        return h;
    }
}
