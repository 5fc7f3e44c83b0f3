package org.ntsfab.ke;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;

/** An NTS-KE record (RFC 8915 §4): critical bit, 15-bit type, 16-bit body length, body. */
public record KeRecord(boolean critical, int type, byte[] body) {
    public static final int END_OF_MESSAGE = 0, NEXT_PROTOCOL = 1, ERROR = 2, WARNING = 3, AEAD = 4, NEW_COOKIE = 5,
            NTPV4_SERVER = 6, NTPV4_PORT = 7;
    public static final int ERROR_UNRECOGNIZED_CRITICAL = 0, ERROR_BAD_REQUEST = 1, ERROR_INTERNAL = 2;
    public static final int PROTOCOL_NTPV4 = 0;

    public byte[] write() {
        byte[] r = new byte[4 + body.length];
        int t = (critical ? 0x8000 : 0) | type;
        r[0] = (byte) (t >> 8);
        r[1] = (byte) t;
        r[2] = (byte) (body.length >> 8);
        r[3] = (byte) body.length;
        System.arraycopy(body, 0, r, 4, body.length);
        return r;
    }

    public static KeRecord u16s(boolean critical, int type, int... values) {
        byte[] b = new byte[2 * values.length];
        for (int i = 0; i < values.length; i++) {
            b[2 * i] = (byte) (values[i] >> 8);
            b[2 * i + 1] = (byte) values[i];
        }
        return new KeRecord(critical, type, b);
    }

    /** The body as big-endian 16-bit values; null when its length is odd. */
    public int[] values() {
        if (body.length % 2 != 0) return null;
        int[] v = new int[body.length / 2];
        for (int i = 0; i < v.length; i++) v[i] = ((body[2 * i] & 0xff) << 8) | (body[2 * i + 1] & 0xff);
        return v;
    }

    /** Parses whole records from a buffer; returns how many bytes were consumed (the rest is an unfinished record). */
    public static int parse(byte[] buf, int len, List<KeRecord> out) {
        int o = 0;
        while (len - o >= 4) {
            int t = ((buf[o] & 0xff) << 8) | (buf[o + 1] & 0xff);
            int l = ((buf[o + 2] & 0xff) << 8) | (buf[o + 3] & 0xff);
            if (len - o - 4 < l) break;
            byte[] body = new byte[l];
            System.arraycopy(buf, o + 4, body, 0, l);
            out.add(new KeRecord((t & 0x8000) != 0, t & 0x7fff, body));
            o += 4 + l;
        }
        return o;
    }

    public static byte[] message(List<KeRecord> records) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (KeRecord r : records) out.writeBytes(r.write());
        return out.toByteArray();
    }

    public static List<KeRecord> list() {
        return new ArrayList<>();
    }
}
