package org.ntsfab.model.wire;

import java.util.Arrays;

/** Ethernet II header with an optional 802.1Q tag ({@code tci} -1 when untagged). */
public record EthernetHeader(byte[] dst, byte[] src, int tci, int etherType) {
    public static final int TPID_8021Q = 0x8100;

    public int length() {
        return tci >= 0 ? 18 : 14;
    }

    public int vid() {
        return tci >= 0 ? tci & 0x0fff : -1;
    }

    public static EthernetHeader parse(byte[] f) throws WireException {
        if (f.length < 14) throw new WireException("frame shorter than an Ethernet header");
        boolean tagged = Bytes.u16(f, 12) == TPID_8021Q;
        if (tagged && f.length < 18) throw new WireException("802.1Q tag cut off");
        return new EthernetHeader(Arrays.copyOfRange(f, 0, 6), Arrays.copyOfRange(f, 6, 12), tagged ? Bytes.u16(f, 14) : -1,
                Bytes.u16(f, tagged ? 16 : 12));
    }

    /** The frame: this header, {@code payload}, zero padding to {@code minLength}. */
    public byte[] frame(byte[] payload, int minLength) {
        byte[] f = new byte[Math.max(minLength, length() + payload.length)];
        System.arraycopy(dst, 0, f, 0, 6);
        System.arraycopy(src, 0, f, 6, 6);
        if (tci >= 0) {
            Bytes.put16(f, 12, TPID_8021Q);
            Bytes.put16(f, 14, tci);
        }
        Bytes.put16(f, length() - 2, etherType);
        System.arraycopy(payload, 0, f, length(), payload.length);
        return f;
    }
}
