package org.ntsfab.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.ntsfab.model.clock.NtpClock;
import org.ntsfab.model.crypto.NonceGenerator;
import org.ntsfab.model.nts.CookieCodec;
import org.ntsfab.model.traffic.FrameBuilder;
import org.ntsfab.model.traffic.NtsClient;

/** The rules ResponderTest does not reach: host EtherTypes and protocols, IPv6 header and sources, UDP length, LI/stratum, AEAD 17, nonce order. */
class ResponderMoreRulesTest {
    final FrameBuilder.Endpoints ep = Fixture.endpoints(-1);

    static ResponderConfig with(boolean ipv4, boolean synced, NtpClock clock) {
        ResponderConfig c = Fixture.config();
        return new ResponderConfig(c.mac(), ipv4 ? c.ipv4() : null, c.ipv6(), c.vlan(), c.forwardUnmatched(), c.ttl(), c.stratum(), c.refid(),
                c.precision(), c.rootDelay(), c.rootDispersion(), synced, c.icmpMaxPayload(), c.maxPlaceholders(), clock, c.nts());
    }

    byte[] ntp4() {
        return FrameBuilder.udpFrame(ep, false, 1000, 123, FrameBuilder.ntpRequest(4, 3, 1));
    }

    @Test
    void otherEtherTypesAndUnconfiguredFamiliesGoToTheHost() {
        byte[] lldp = FrameBuilder.ethernet(Fixture.SERVER_MAC, Fixture.CLIENT_MAC, -1, 0x88cc, new byte[46]);
        assertEquals(Outcome.HOST_ETHERTYPE, new Responder(Fixture.config()).process(lldp, false, 0).outcome());
        assertEquals(Outcome.HOST_ETHERTYPE, new Responder(with(false, true, Fixture.clock())).process(ntp4(), false, 0).outcome());
    }

    @Test
    void otherIpv4ProtocolsGoToTheHost() {
        byte[] tcp = FrameBuilder.ethernet(Fixture.SERVER_MAC, Fixture.CLIENT_MAC, -1, 0x0800,
                FrameBuilder.ipv4(Fixture.CLIENT_IP4, Fixture.SERVER_IP4, 6, 64, new byte[20]));
        assertEquals(Outcome.HOST_IPV4_PROTOCOL, new Responder(Fixture.config()).process(tcp, false, 0).outcome());
    }

    @Test
    void ipv6HeaderSourcesAndNextHeaders() {
        Responder r = new Responder(Fixture.config());
        byte[] good = FrameBuilder.udpFrame(ep, true, 1000, 123, FrameBuilder.ntpRequest(4, 3, 1));
        byte[] len = good.clone();
        len[19] = (byte) 200; // payload length beyond the frame
        assertEquals(Outcome.DROP_IPV6_HEADER, r.process(len, false, 0).outcome());
        byte[] ver = good.clone();
        ver[14] = 0x40;
        assertEquals(Outcome.DROP_IPV6_HEADER, r.process(ver, false, 0).outcome());
        for (String src : new String[] {"ff020000000000000000000000000001", "00000000000000000000000000000001", "00000000000000000000000000000000"}) {
            FrameBuilder.Endpoints e = new FrameBuilder.Endpoints(Fixture.SERVER_MAC, Fixture.SERVER_IP4, Fixture.SERVER_IP6, Fixture.CLIENT_MAC,
                    Fixture.CLIENT_IP4, HexFormat.of().parseHex(src), -1);
            assertEquals(Outcome.DROP_BAD_SOURCE, r.process(FrameBuilder.udpFrame(e, true, 1000, 123, FrameBuilder.ntpRequest(4, 3, 1)), false, 0).outcome(), src);
        }
        byte[] hopByHop = FrameBuilder.ethernet(Fixture.SERVER_MAC, Fixture.CLIENT_MAC, -1, 0x86dd,
                FrameBuilder.ipv6(Fixture.CLIENT_IP6, Fixture.SERVER_IP6, 0, 64, new byte[16]));
        assertEquals(Outcome.HOST_IPV6_NEXT_HEADER, r.process(hopByHop, false, 0).outcome());
    }

    @Test
    void udpLengthMustEqualTheIpPayload() {
        byte[] f = ntp4();
        f[38] = 0;
        f[39] = 55; // UDP says 55, IP says 56
        assertEquals(Outcome.DROP_UDP_LENGTH, new Responder(Fixture.config()).process(f, false, 0).outcome());
    }

    @Test
    void unsynchronizedServesAlarmAndStratum16() {
        byte[] f = new Responder(with(true, false, Fixture.clock())).process(ntp4(), false, 0).answer().at(1);
        assertEquals(3, (f[42] >> 6) & 3);
        assertEquals(16, f[43]);
    }

    @Test
    void leapIndicatorIsServedUntilTheEvent() {
        long event = Fixture.START_SECONDS + 2;
        NtpClock c = new NtpClock(Fixture.START_SECONDS << 32, NtpClock.stepFor(Fixture.HZ), NtpClock.Leap.INSERT, event);
        Responder r = new Responder(with(true, true, c));
        assertEquals(1, (r.process(ntp4(), false, 0).answer().at(1)[42] >> 6) & 3, "before the event: insert announced");
        assertEquals(0, (r.process(ntp4(), false, 3 * Fixture.HZ).answer().at(3 * Fixture.HZ + 1)[42] >> 6) & 3, "after: none");
    }

    @Test
    void aead17SessionsWork() {
        byte[] c2s = new byte[64], s2c = new byte[64];
        new java.util.Random(3).nextBytes(c2s);
        new java.util.Random(4).nextBytes(s2c);
        byte[] cookie = new CookieCodec(Fixture.keys(1)).seal(new CookieCodec.Keys(CookieCodec.AEAD_AES_SIV_CMAC_512, c2s, s2c), new byte[16]);
        byte[] uid = new byte[32];
        byte[] req = NtsClient.request(FrameBuilder.ntpRequest(4, 3, 9), uid, cookie, 1, c2s, new byte[16], new byte[0]);
        byte[] f = new Responder(Fixture.config()).process(FrameBuilder.udpFrame(ep, false, 1000, 123, req), false, 0).answer().at(5);
        byte[] payload = Arrays.copyOfRange(f, 42, f.length);
        var v = NtsClient.verify(payload, uid, s2c).orElseThrow();
        assertEquals(2, v.cookies().size());
        assertEquals(164, v.cookies().get(0).length, "fresh cookies keep the client's AEAD");
    }

    @Test
    void noncesAreIndexedByRequestThenCookiesThenTheAnswer() {
        Fixture.Session s = Fixture.session(1, 60);
        byte[] uid = new byte[32];
        Responder r = new Responder(Fixture.config());
        for (int request = 0; request < 3; request++) {
            byte[] req = NtsClient.request(FrameBuilder.ntpRequest(4, 3, 9), uid, s.cookie(), 2, s.keys().c2s(), new byte[16], new byte[0]);
            byte[] f = r.process(FrameBuilder.udpFrame(ep, false, 1000, 123, req), false, 0).answer().at(5);
            byte[] p = Arrays.copyOfRange(f, 42, f.length);
            int auth = 48 + 36;
            byte[] answerNonce = Arrays.copyOfRange(p, auth + 8, auth + 24);
            var cookies = NtsClient.verify(p, uid, s.keys().s2c()).orElseThrow().cookies();
            NonceGenerator g = new NonceGenerator(Fixture.SEED);
            for (int i = 0; i < cookies.size(); i++) assertArrayEquals(g.nonce(request, i), Arrays.copyOfRange(cookies.get(i), 4, 20), "cookie nonce");
            assertArrayEquals(g.nonce(request, cookies.size()), answerNonce, "then the answer's nonce");
        }
    }
}
