package org.ntsfab.model.traffic;

import java.util.Arrays;
import org.ntsfab.model.wire.Bytes;
import org.ntsfab.model.wire.Checksum;

/** Builds well-formed request frames (Ethernet, optional 802.1Q, IPv4 or IPv6, UDP or ICMP, padded to 60 bytes). */
public final class FrameBuilder {
    private FrameBuilder() {}

    public static byte[] ethernet(byte[] dst, byte[] src, int vlan, int etherType, byte[] payload) {
        int l2 = vlan >= 0 ? 18 : 14;
        byte[] f = new byte[Math.max(60, l2 + payload.length)];
        System.arraycopy(dst, 0, f, 0, 6);
        System.arraycopy(src, 0, f, 6, 6);
        if (vlan >= 0) {
            Bytes.put16(f, 12, 0x8100);
            Bytes.put16(f, 14, vlan);
        }
        Bytes.put16(f, l2 - 2, etherType);
        System.arraycopy(payload, 0, f, l2, payload.length);
        return f;
    }

    public static byte[] ipv4(byte[] src, byte[] dst, int proto, int ttl, byte[] payload) {
        byte[] p = new byte[20 + payload.length];
        p[0] = 0x45;
        Bytes.put16(p, 2, p.length);
        Bytes.put16(p, 4, 0x1234);
        p[8] = (byte) ttl;
        p[9] = (byte) proto;
        System.arraycopy(src, 0, p, 12, 4);
        System.arraycopy(dst, 0, p, 16, 4);
        Bytes.put16(p, 10, Checksum.of(p, 0, 20));
        System.arraycopy(payload, 0, p, 20, payload.length);
        return p;
    }

    public static byte[] ipv6(byte[] src, byte[] dst, int nh, int hopLimit, byte[] payload) {
        byte[] p = new byte[40 + payload.length];
        p[0] = 0x60;
        Bytes.put16(p, 4, payload.length);
        p[6] = (byte) nh;
        p[7] = (byte) hopLimit;
        System.arraycopy(src, 0, p, 8, 16);
        System.arraycopy(dst, 0, p, 24, 16);
        System.arraycopy(payload, 0, p, 40, payload.length);
        return p;
    }

    public static byte[] udp(byte[] srcIp, byte[] dstIp, int srcPort, int dstPort, byte[] payload) {
        byte[] u = new byte[8 + payload.length];
        Bytes.put16(u, 0, srcPort);
        Bytes.put16(u, 2, dstPort);
        Bytes.put16(u, 4, u.length);
        System.arraycopy(payload, 0, u, 8, payload.length);
        int c = ~Checksum.fold(Checksum.add(Checksum.pseudo(srcIp, dstIp, 17, u.length), u, 0, u.length)) & 0xffff;
        Bytes.put16(u, 6, c == 0 ? 0xffff : c);
        return u;
    }

    /** ICMP (v4, {@code v6Pseudo} null) or ICMPv6 message with its checksum filled in. */
    public static byte[] icmp(int type, int code, byte[] rest, byte[] v6Src, byte[] v6Dst) {
        byte[] m = new byte[4 + rest.length];
        m[0] = (byte) type;
        m[1] = (byte) code;
        System.arraycopy(rest, 0, m, 4, rest.length);
        long s = v6Src == null ? 0 : Checksum.pseudo(v6Src, v6Dst, 58, m.length);
        Bytes.put16(m, 2, ~Checksum.fold(Checksum.add(s, m, 0, m.length)) & 0xffff);
        return m;
    }

    /** A UDP request to the server, over IPv4 or IPv6, as a full frame. */
    public static byte[] udpFrame(Endpoints e, boolean v6, int srcPort, int dstPort, byte[] payload) {
        if (v6) {
            byte[] u = udp(e.clientIp6(), e.serverIp6(), srcPort, dstPort, payload);
            return ethernet(e.serverMac(), e.clientMac(), e.vlan(), 0x86dd, ipv6(e.clientIp6(), e.serverIp6(), 17, 64, u));
        }
        byte[] u = udp(e.clientIp4(), e.serverIp4(), srcPort, dstPort, payload);
        return ethernet(e.serverMac(), e.clientMac(), e.vlan(), 0x0800, ipv4(e.clientIp4(), e.serverIp4(), 17, 64, u));
    }

    /** The addresses of one client and the server. */
    public record Endpoints(byte[] serverMac, byte[] serverIp4, byte[] serverIp6, byte[] clientMac, byte[] clientIp4,
                            byte[] clientIp6, int vlan) {}

    /** A 48-byte NTP client request header. */
    public static byte[] ntpRequest(int version, int mode, long transmit) {
        byte[] h = new byte[48];
        h[0] = (byte) ((version << 3) | mode);
        h[2] = 6;
        h[3] = (byte) -20;
        Bytes.put64(h, 40, transmit);
        return h;
    }

    public static byte[] concat(byte[]... parts) {
        int n = 0;
        for (byte[] p : parts) n += p.length;
        byte[] out = new byte[n];
        int o = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, out, o, p.length);
            o += p.length;
        }
        return out;
    }

    /** An extension field with its body zero-padded to a multiple of 4. */
    public static byte[] ef(int type, byte[] body) {
        byte[] e = new byte[4 + ((body.length + 3) & ~3)];
        Bytes.put16(e, 0, type);
        Bytes.put16(e, 2, e.length);
        System.arraycopy(body, 0, e, 4, body.length);
        return e;
    }

    public static byte[] copy(byte[] b) {
        return Arrays.copyOf(b, b.length);
    }
}
