package org.ntsfab.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.ntsfab.model.wire.ArpPacket;
import org.ntsfab.model.wire.EthernetHeader;
import org.ntsfab.model.wire.ExtensionField;
import org.ntsfab.model.wire.IcmpMessage;
import org.ntsfab.model.wire.Ipv4Header;
import org.ntsfab.model.wire.Ipv6Header;
import org.ntsfab.model.wire.NtpHeader;
import org.ntsfab.model.wire.NtsAuthenticator;
import org.ntsfab.model.wire.UdpHeader;
import org.ntsfab.model.wire.WireException;

/** Every codec writes what it parses back, and rejects malformed input with a reason. */
class WireCodecTest {
    static String reason(org.junit.jupiter.api.function.Executable e) {
        Throwable t = assertThrows(Exception.class, e);
        return t.getMessage();
    }

    @Test
    void ethernetWithAndWithoutTag() throws WireException {
        byte[] f = new EthernetHeader(Fixture.SERVER_MAC, Fixture.CLIENT_MAC, 0x2064, 0x0800).frame(new byte[] {1, 2}, 60);
        EthernetHeader h = EthernetHeader.parse(f);
        assertEquals(100, h.vid());
        assertEquals(0x0800, h.etherType());
        assertEquals(18, h.length());
        assertEquals(60, f.length);
        assertTrue(reason(() -> EthernetHeader.parse(new byte[13])).contains("shorter"));
    }

    @Test
    void arpRoundTripAndRejects() throws WireException {
        ArpPacket a = new ArpPacket(1, Fixture.CLIENT_MAC, Fixture.CLIENT_IP4, new byte[6], Fixture.SERVER_IP4);
        byte[] w = a.write();
        assertArrayEquals(Fixture.SERVER_IP4, ArpPacket.parse(w, 0, 28).targetIp());
        w[2] = (byte) 0x86;
        assertTrue(reason(() -> ArpPacket.parse(w, 0, 28)).contains("IPv4 over Ethernet"));
        assertTrue(reason(() -> ArpPacket.parse(w, 0, 27)).contains("28"));
    }

    @Test
    void ipv4ParsesAndRejects() throws WireException {
        byte[] p = Ipv4Header.packet(Fixture.CLIENT_IP4, Fixture.SERVER_IP4, 17, 64, new byte[10]);
        Ipv4Header h = Ipv4Header.parse(p, 0, p.length);
        assertEquals(30, h.totalLength());
        assertEquals(10, h.payloadLength());
        assertEquals(Ipv4Header.DF, h.flagsFragment());
        assertTrue(!h.isFragment());
        assertTrue(reason(() -> Ipv4Header.parse(p, 0, 29)).contains("beyond the frame"));
        byte[] v = p.clone();
        v[0] = 0x44;
        assertTrue(reason(() -> Ipv4Header.parse(v, 0, v.length)).contains("IHL"));
        v[0] = 0x65;
        assertTrue(reason(() -> Ipv4Header.parse(v, 0, v.length)).contains("version"));
    }

    @Test
    void ipv6AndSolicitedNode() throws WireException {
        byte[] p = Ipv6Header.packet(Fixture.CLIENT_IP6, Fixture.SERVER_IP6, 17, 64, new byte[8]);
        assertEquals(8, Ipv6Header.parse(p, 0, p.length).payloadLength());
        assertTrue(reason(() -> Ipv6Header.parse(p, 0, 47)).contains("beyond"));
        assertEquals("ff0200000000000000000001ff000123", java.util.HexFormat.of().formatHex(Ipv6Header.solicitedNode(Fixture.SERVER_IP6)));
    }

    @Test
    void udpLengthMustMatch() throws WireException {
        byte[] u = UdpHeader.datagram(Fixture.CLIENT_IP4, Fixture.SERVER_IP4, 1, 123, new byte[5]);
        UdpHeader h = UdpHeader.parse(u, 0, 13);
        assertTrue(h.checksumOk(u, 0, Fixture.CLIENT_IP4, Fixture.SERVER_IP4));
        assertTrue(!h.checksumOk(u, 0, Fixture.CLIENT_IP4, new byte[] {(byte) 192, 0, 2, 124}), "the pseudo-header counts");
        assertTrue(reason(() -> UdpHeader.parse(u, 0, 14)).contains("not the IP payload length"));
    }

    @Test
    void icmpChecksumIsVerified() throws WireException {
        byte[] m = new IcmpMessage(128, 0, new byte[] {0, 1, 0, 2}).write(Fixture.CLIENT_IP6, Fixture.SERVER_IP6);
        assertEquals(128, IcmpMessage.parse(m, 0, m.length, Fixture.CLIENT_IP6, Fixture.SERVER_IP6).type());
        assertTrue(reason(() -> IcmpMessage.parse(m, 0, m.length, Fixture.CLIENT_IP6, Ipv6Header.solicitedNode(Fixture.SERVER_IP6))).contains("checksum"));
        assertTrue(reason(() -> IcmpMessage.parse(m, 0, m.length, null, null)).contains("checksum"), "ICMPv6 has a pseudo-header, ICMP none");
    }

    @Test
    void ntpHeaderRoundTrip() throws WireException {
        NtpHeader h = new NtpHeader(1, 4, 3, 2, 6, -20, 0x10, 0x20, 0x47505300L, 5, 6, 7, 0x1122334455667788L);
        assertEquals(h, NtpHeader.parse(h.write(), 0, 48));
        assertTrue(reason(() -> NtpHeader.parse(new byte[47], 0, 47)).contains("48"));
    }

    @Test
    void extensionFieldWalkReasons() throws Exception {
        byte[] two = org.ntsfab.model.traffic.FrameBuilder.concat(ExtensionField.write(1, new byte[12]), ExtensionField.write(2, new byte[28]));
        List<ExtensionField> efs = ExtensionField.walk(two, 0, two.length, true);
        assertEquals(2, efs.size());
        assertEquals(16, efs.get(1).offset());
        ExtensionField.WalkException mac = assertThrows(ExtensionField.WalkException.class, () -> ExtensionField.walk(new byte[24], 0, 24, true));
        assertTrue(mac.legacyMac);
        byte[] odd = two.clone();
        odd[3] = 18;
        assertTrue(reason(() -> ExtensionField.walk(odd, 0, odd.length, true)).contains("multiple of 4"));
        odd[3] = 8;
        assertTrue(reason(() -> ExtensionField.walk(odd, 0, odd.length, true)).contains("below 16"));
        odd[3] = (byte) 200;
        assertTrue(reason(() -> ExtensionField.walk(odd, 0, odd.length, true)).contains("beyond"));
    }

    @Test
    void authenticatorBodyWithPadding() throws WireException {
        NtsAuthenticator a = new NtsAuthenticator(new byte[16], new byte[18]);
        byte[] f = a.field(a.naturalLength() + 8);
        NtsAuthenticator back = NtsAuthenticator.parse(f, 4, f.length - 4);
        assertEquals(18, back.ciphertext().length);
        assertEquals(a.naturalLength() + 8, f.length);
        f[7] = 100;
        assertTrue(reason(() -> NtsAuthenticator.parse(f, 4, f.length - 4)).contains("overrun"));
    }
}
