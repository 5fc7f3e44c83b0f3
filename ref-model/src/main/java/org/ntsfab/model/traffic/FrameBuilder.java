package org.ntsfab.model.traffic;

import org.ntsfab.model.wire.EthernetHeader;
import org.ntsfab.model.wire.ExtensionField;
import org.ntsfab.model.wire.IcmpMessage;
import org.ntsfab.model.wire.Ipv4Header;
import org.ntsfab.model.wire.Ipv6Header;
import org.ntsfab.model.wire.NtpHeader;
import org.ntsfab.model.wire.UdpHeader;

/** Request frames for tests and the traffic generator, written with the wire codecs (padded to 60 bytes). */
public final class FrameBuilder {
    private FrameBuilder() {}

    public static byte[] ethernet(byte[] dst, byte[] src, int vlan, int etherType, byte[] payload) {
        return new EthernetHeader(dst, src, vlan, etherType).frame(payload, 60);
    }

    public static byte[] ipv4(byte[] src, byte[] dst, int proto, int ttl, byte[] payload) {
        return Ipv4Header.packet(src, dst, proto, ttl, payload);
    }

    public static byte[] ipv6(byte[] src, byte[] dst, int nh, int hopLimit, byte[] payload) {
        return Ipv6Header.packet(src, dst, nh, hopLimit, payload);
    }

    public static byte[] udp(byte[] srcIp, byte[] dstIp, int srcPort, int dstPort, byte[] payload) {
        return UdpHeader.datagram(srcIp, dstIp, srcPort, dstPort, payload);
    }

    /** ICMP (v4, {@code v6Src} null) or ICMPv6 message with its checksum filled in. */
    public static byte[] icmp(int type, int code, byte[] rest, byte[] v6Src, byte[] v6Dst) {
        return new IcmpMessage(type, code, rest).write(v6Src, v6Dst);
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

    /** A 48-byte NTP request header: poll 6, precision -20, the given transmit timestamp. */
    public static byte[] ntpRequest(int version, int mode, long transmit) {
        return new NtpHeader(0, version, mode, 0, 6, -20, 0, 0, 0, 0, 0, 0, transmit).write();
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
        return ExtensionField.write(type, body);
    }
}
