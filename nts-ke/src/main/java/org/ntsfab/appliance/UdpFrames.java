package org.ntsfab.appliance;

import java.util.Arrays;
import org.ntsfab.model.ConfigFile;
import org.ntsfab.model.traffic.FrameBuilder;
import org.ntsfab.model.wire.EthernetHeader;
import org.ntsfab.model.wire.Ipv4Header;
import org.ntsfab.model.wire.Ipv6Header;
import org.ntsfab.model.wire.WireException;

/**
 * A datagram from a socket as the frame the hardware would receive, and back. The frame is addressed to the
 * configured MAC and IP (IPv4 if configured, else IPv6) from a fixed documentation client address (the socket
 * already did the addressing); the client's UDP port is kept.
 */
public final class UdpFrames {
    public static final byte[] CLIENT_MAC = {2, 0, 0, 0, 0, 1};
    public static final byte[] CLIENT_IP4 = {(byte) 198, 51, 100, 1};
    public static final byte[] CLIENT_IP6 = {0x20, 0x01, 0x0d, (byte) 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1};

    private UdpFrames() {}

    public static byte[] wrap(ConfigFile cfg, byte[] payload, int srcPort) {
        FrameBuilder.Endpoints e = new FrameBuilder.Endpoints(cfg.mac(), cfg.ipv4(), cfg.ipv6(), CLIENT_MAC, CLIENT_IP4, CLIENT_IP6, -1);
        return FrameBuilder.udpFrame(e, cfg.ipv4() == null, srcPort, 123, payload);
    }

    /** The UDP payload of an answer frame (untagged IPv4 or IPv6). */
    public static byte[] unwrap(byte[] frame) throws WireException {
        EthernetHeader eth = EthernetHeader.parse(frame);
        int o = eth.length();
        int udpOff, udpLen;
        if (eth.etherType() == 0x86dd) {
            Ipv6Header ip = Ipv6Header.parse(frame, o, frame.length - o);
            udpOff = o + 40;
            udpLen = ip.payloadLength();
        } else {
            Ipv4Header ip = Ipv4Header.parse(frame, o, frame.length - o);
            udpOff = o + ip.headerLength();
            udpLen = ip.payloadLength();
        }
        return Arrays.copyOfRange(frame, udpOff + 8, udpOff + udpLen);
    }
}
