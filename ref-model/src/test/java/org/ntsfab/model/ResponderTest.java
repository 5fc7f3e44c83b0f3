package org.ntsfab.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.ntsfab.model.nts.CookieCodec;
import org.ntsfab.model.traffic.FrameBuilder;
import org.ntsfab.model.traffic.NtsClient;

/** One test (or more) per rule of docs/responder-spec.md, good and bad inputs. */
class ResponderTest {
    static final long TX = 0x1122334455667788L;
    final FrameBuilder.Endpoints ep = Fixture.endpoints(-1);

    // independent helpers (not the model's): RFC 1071 sum, field access
    static int sum(byte[] b, int off, int len, long start) {
        long s = start;
        for (int i = 0; i < len; i += 2) s += ((b[off + i] & 0xff) << 8) | (i + 1 < len ? b[off + i + 1] & 0xff : 0);
        while (s > 0xffff) s = (s & 0xffff) + (s >> 16);
        return (int) s;
    }

    static int u16(byte[] b, int o) {
        return ((b[o] & 0xff) << 8) | (b[o + 1] & 0xff);
    }

    static long u64(byte[] b, int o) {
        long v = 0;
        for (int i = 0; i < 8; i++) v = (v << 8) | (b[o + i] & 0xff);
        return v;
    }

    static long pseudo(byte[] a, byte[] b, int proto, int len) {
        long s = 0;
        for (int i = 0; i < a.length; i += 2) s += u16(a, i) + u16(b, i);
        return s + proto + len;
    }

    /** Checks the IPv4 and UDP checksums of an answer and returns its UDP payload. */
    static byte[] udpPayloadV4(byte[] f) {
        assertEquals(0x0800, u16(f, 12));
        assertEquals(0xffff, sum(f, 14, 20, 0), "IPv4 header checksum");
        int total = u16(f, 16);
        int udpLen = total - 20;
        assertEquals(udpLen, u16(f, 38));
        assertEquals(0xffff, sum(f, 34, udpLen, pseudo(Arrays.copyOfRange(f, 26, 30), Arrays.copyOfRange(f, 30, 34), 17, udpLen)), "UDP checksum");
        return Arrays.copyOfRange(f, 42, 34 + udpLen);
    }

    byte[] ntpFrame(byte[] payload) {
        return FrameBuilder.udpFrame(ep, false, 40123, 123, payload);
    }

    @Test
    void plainNtpAnswerHasEveryFieldAsSpecified() {
        Responder r = new Responder(Fixture.config());
        byte[] req = ntpFrame(FrameBuilder.ntpRequest(4, 3, TX));
        Responder.Result res = r.process(req, false, 1000);
        assertEquals(Outcome.ANSWER_NTP, res.outcome());
        byte[] f = res.answer().at(1234);
        assertEquals(90, f.length, "14 + 20 + 8 + 48");
        assertArrayEquals(Fixture.CLIENT_MAC, Arrays.copyOfRange(f, 0, 6));
        assertArrayEquals(Fixture.SERVER_MAC, Arrays.copyOfRange(f, 6, 12));
        assertArrayEquals(Fixture.SERVER_IP4, Arrays.copyOfRange(f, 26, 30));
        assertArrayEquals(Fixture.CLIENT_IP4, Arrays.copyOfRange(f, 30, 34));
        assertEquals(0x4000, u16(f, 20), "DF, no fragment");
        assertEquals(64, f[22]);
        assertEquals(123, u16(f, 34));
        assertEquals(40123, u16(f, 36));
        byte[] n = udpPayloadV4(f);
        assertEquals(0x24, n[0] & 0xff, "LI 0, VN 4, mode 4");
        assertEquals(1, n[1]);
        assertEquals(6, n[2], "poll copied");
        assertEquals(-24, n[3]);
        assertEquals(0x10, u64(n, 0) & 0xffffffffL, "root delay");
        assertEquals(0x20, u64(n, 8) >>> 32, "root dispersion");
        assertArrayEquals(new byte[] {'G', 'P', 'S', 0}, Arrays.copyOfRange(n, 12, 16));
        long t2 = Fixture.clock().at(1000), t3 = Fixture.clock().at(1234);
        assertEquals(t2 & 0xffffffff00000000L, u64(n, 16), "reference = T2's second");
        assertEquals(TX, u64(n, 24), "origin = request transmit");
        assertEquals(t2, u64(n, 32), "receive = clock at the request's first byte");
        assertEquals(t3, u64(n, 40), "transmit = clock at the answer's first byte");
        assertEquals(1, r.counters().get(Outcome.ANSWER_NTP));
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 4})
    void versionsOneToFourAreAnsweredWithTheirVersion(int vn) {
        byte[] n = udpPayloadV4(new Responder(Fixture.config()).process(ntpFrame(FrameBuilder.ntpRequest(vn, 3, TX)), false, 0).answer().at(10));
        assertEquals(vn, (n[0] >> 3) & 7);
        assertEquals(4, n[0] & 7);
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 5, 6, 7})
    void otherVersionsAreDropped(int vn) {
        assertEquals(Outcome.DROP_NTP_VERSION, new Responder(Fixture.config()).process(ntpFrame(FrameBuilder.ntpRequest(vn, 3, TX)), false, 0).outcome());
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 2, 4, 5, 6, 7})
    void onlyClientModeIsAnswered(int mode) {
        Responder.Result res = new Responder(Fixture.config()).process(ntpFrame(FrameBuilder.ntpRequest(4, mode, TX)), false, 0);
        assertEquals(mode >= 6 ? Outcome.DROP_NTP_CONTROL : Outcome.DROP_NTP_MODE, res.outcome());
        assertNull(res.answer());
    }

    @Test
    void shortNtpIsDropped() {
        assertEquals(Outcome.DROP_NTP_SHORT, new Responder(Fixture.config()).process(ntpFrame(new byte[47]), false, 0).outcome());
    }

    @Test
    void ipv6AnswerAndChecksumRules() {
        Responder r = new Responder(Fixture.config());
        byte[] req = FrameBuilder.udpFrame(ep, true, 5000, 123, FrameBuilder.ntpRequest(4, 3, TX));
        byte[] f = r.process(req, false, 0).answer().at(5);
        assertEquals(14 + 40 + 8 + 48, f.length);
        assertEquals(0x86dd, u16(f, 12));
        assertArrayEquals(Fixture.CLIENT_IP6, Arrays.copyOfRange(f, 38, 54));
        assertEquals(0xffff, sum(f, 54, 56, pseudo(Arrays.copyOfRange(f, 22, 38), Arrays.copyOfRange(f, 38, 54), 17, 56)));
        // zero UDP checksum: allowed on IPv4, not on IPv6
        byte[] z6 = req.clone();
        z6[14 + 40 + 6] = 0;
        z6[14 + 40 + 7] = 0;
        assertEquals(Outcome.DROP_UDP_CHECKSUM, r.process(z6, false, 0).outcome());
        byte[] z4 = ntpFrame(FrameBuilder.ntpRequest(4, 3, TX));
        z4[40] = 0;
        z4[41] = 0;
        assertEquals(Outcome.ANSWER_NTP, r.process(z4, false, 0).outcome());
        byte[] bad = ntpFrame(FrameBuilder.ntpRequest(4, 3, TX));
        bad[41] ^= 1;
        assertEquals(Outcome.DROP_UDP_CHECKSUM, r.process(bad, false, 0).outcome());
    }

    @Test
    void ipv4HeaderRules() {
        Responder r = new Responder(Fixture.config());
        byte[] good = ntpFrame(FrameBuilder.ntpRequest(4, 3, TX));
        byte[] csum = good.clone();
        csum[24] ^= 1;
        assertEquals(Outcome.DROP_IPV4_CHECKSUM, r.process(csum, false, 0).outcome());
        byte[] ver = good.clone();
        ver[14] = 0x55;
        assertEquals(Outcome.DROP_IPV4_HEADER, r.process(ver, false, 0).outcome());
        byte[] len = good.clone();
        len[16] = 0x10; // total length beyond the frame
        assertEquals(Outcome.DROP_IPV4_HEADER, r.process(len, false, 0).outcome());
        for (int frag : new int[] {0x2000, 0x0001}) {
            byte[] u = FrameBuilder.udp(Fixture.CLIENT_IP4, Fixture.SERVER_IP4, 1000, 123, FrameBuilder.ntpRequest(4, 3, TX));
            byte[] ip = FrameBuilder.ipv4(Fixture.CLIENT_IP4, Fixture.SERVER_IP4, 17, 64, u);
            ip[6] = (byte) (frag >> 8);
            ip[7] = (byte) frag;
            ip[10] = 0;
            ip[11] = 0;
            int c = ~sum(ip, 0, 20, 0) & 0xffff;
            ip[10] = (byte) (c >> 8);
            ip[11] = (byte) c;
            assertEquals(Outcome.HOST_IPV4_FRAGMENT, r.process(FrameBuilder.ethernet(Fixture.SERVER_MAC, Fixture.CLIENT_MAC, -1, 0x0800, ip), false, 0).outcome());
        }
    }

    @Test
    void ipv4OptionsAreAcceptedAndNotEchoed() {
        byte[] u = FrameBuilder.udp(Fixture.CLIENT_IP4, Fixture.SERVER_IP4, 1000, 123, FrameBuilder.ntpRequest(4, 3, TX));
        byte[] ip = new byte[24 + u.length];
        ip[0] = 0x46;
        ip[2] = (byte) (ip.length >> 8);
        ip[3] = (byte) ip.length;
        ip[8] = 64;
        ip[9] = 17;
        System.arraycopy(Fixture.CLIENT_IP4, 0, ip, 12, 4);
        System.arraycopy(Fixture.SERVER_IP4, 0, ip, 16, 4);
        ip[20] = 1; // NOP options
        ip[21] = 1;
        ip[22] = 1;
        ip[23] = 0;
        int c = ~sum(ip, 0, 24, 0) & 0xffff;
        ip[10] = (byte) (c >> 8);
        ip[11] = (byte) c;
        System.arraycopy(u, 0, ip, 24, u.length);
        byte[] f = new Responder(Fixture.config()).process(FrameBuilder.ethernet(Fixture.SERVER_MAC, Fixture.CLIENT_MAC, -1, 0x0800, ip), false, 0).answer().at(1);
        assertEquals(0x45, f[14], "answer has a plain 20-byte header");
        udpPayloadV4(f);
    }

    @Test
    void framesNotForUsGoToTheHostOrAreDroppedAsConfigured() {
        byte[] other = ntpFrame(FrameBuilder.ntpRequest(4, 3, TX));
        other[5] ^= 1; // another MAC
        assertEquals(Outcome.HOST_NOT_FOR_US, new Responder(Fixture.config(true, true, -1)).process(other, false, 0).outcome());
        assertEquals(Outcome.DROP_NOT_FOR_US, new Responder(Fixture.config(true, false, -1)).process(other, false, 0).outcome());
        FrameBuilder.Endpoints wrongIp = new FrameBuilder.Endpoints(Fixture.SERVER_MAC, new byte[] {(byte) 192, 0, 2, 9}, Fixture.SERVER_IP6,
                Fixture.CLIENT_MAC, Fixture.CLIENT_IP4, Fixture.CLIENT_IP6, -1);
        assertEquals(Outcome.HOST_NOT_FOR_US, new Responder(Fixture.config()).process(FrameBuilder.udpFrame(wrongIp, false, 1, 123, new byte[48]), false, 0).outcome());
        byte[] bcast = other.clone();
        Arrays.fill(bcast, 0, 6, (byte) 0xff);
        assertEquals(Outcome.HOST_NOT_FOR_US, new Responder(Fixture.config()).process(bcast, false, 0).outcome(), "IPv4 to broadcast MAC");
    }

    @Test
    void runtOversizeAndErroredFramesAreDropped() {
        Responder r = new Responder(Fixture.config());
        byte[] good = ntpFrame(FrameBuilder.ntpRequest(4, 3, TX));
        assertEquals(Outcome.DROP_RX_ERROR, r.process(good, true, 0).outcome());
        assertEquals(Outcome.DROP_RUNT, r.process(Arrays.copyOf(good, 59), false, 0).outcome());
        assertEquals(Outcome.DROP_OVERSIZE, r.process(Arrays.copyOf(good, 1515), false, 0).outcome());
        assertEquals(3, r.counters().values().stream().mapToLong(Long::longValue).sum());
    }

    @Test
    void vlanTagMustMatchAndIsEchoed() {
        FrameBuilder.Endpoints tagged = Fixture.endpoints(100);
        byte[] req = FrameBuilder.udpFrame(tagged, false, 1000, 123, FrameBuilder.ntpRequest(4, 3, TX));
        Responder r = new Responder(Fixture.config(true, false, 100));
        byte[] f = r.process(req, false, 0).answer().at(1);
        assertEquals(0x8100, u16(f, 12));
        assertEquals(100, u16(f, 14));
        assertEquals(0x0800, u16(f, 16));
        assertEquals(Outcome.DROP_NOT_FOR_US, r.process(ntpFrame(FrameBuilder.ntpRequest(4, 3, TX)), false, 0).outcome(), "untagged on a VLAN port");
        assertEquals(Outcome.DROP_NOT_FOR_US, new Responder(Fixture.config(true, false, -1)).process(req, false, 0).outcome(), "tagged on an untagged port");
    }

    @Test
    void arpRequestForOurAddressIsAnswered() {
        byte[] arp = new byte[28];
        arp[1] = 1;
        arp[2] = 8;
        arp[4] = 6;
        arp[5] = 4;
        arp[7] = 1;
        System.arraycopy(Fixture.CLIENT_MAC, 0, arp, 8, 6);
        System.arraycopy(Fixture.CLIENT_IP4, 0, arp, 14, 4);
        System.arraycopy(Fixture.SERVER_IP4, 0, arp, 24, 4);
        byte[] bcast = {-1, -1, -1, -1, -1, -1};
        Responder r = new Responder(Fixture.config());
        byte[] f = r.process(FrameBuilder.ethernet(bcast, Fixture.CLIENT_MAC, -1, 0x0806, arp), false, 0).answer().at(0);
        assertEquals(60, f.length);
        assertEquals(2, u16(f, 20), "reply");
        assertArrayEquals(Fixture.SERVER_MAC, Arrays.copyOfRange(f, 22, 28));
        assertArrayEquals(Fixture.SERVER_IP4, Arrays.copyOfRange(f, 28, 32));
        assertArrayEquals(Fixture.CLIENT_MAC, Arrays.copyOfRange(f, 32, 38));
        assertArrayEquals(Fixture.CLIENT_IP4, Arrays.copyOfRange(f, 38, 42));
        arp[27] ^= 1;
        assertEquals(Outcome.HOST_ARP, r.process(FrameBuilder.ethernet(bcast, Fixture.CLIENT_MAC, -1, 0x0806, arp), false, 0).outcome());
    }

    @Test
    void icmpEchoRules() {
        Responder r = new Responder(Fixture.config());
        byte[] data = new byte[56];
        new Random(1).nextBytes(data);
        byte[] rest = FrameBuilder.concat(new byte[] {0x12, 0x34, 0, 1}, data);
        byte[] req = FrameBuilder.ethernet(Fixture.SERVER_MAC, Fixture.CLIENT_MAC, -1, 0x0800,
                FrameBuilder.ipv4(Fixture.CLIENT_IP4, Fixture.SERVER_IP4, 1, 64, FrameBuilder.icmp(8, 0, rest, null, null)));
        byte[] f = r.process(req, false, 0).answer().at(0);
        assertEquals(req.length, f.length, "echo reply is as long as the request");
        assertEquals(0, f[34]);
        assertEquals(0xffff, sum(f, 34, 64, 0));
        assertArrayEquals(Arrays.copyOfRange(req, 38, 98), Arrays.copyOfRange(f, 38, 98), "id, sequence and data echoed");
        ResponderConfig c = Fixture.config();
        Responder small = new Responder(new ResponderConfig(c.mac(), c.ipv4(), c.ipv6(), c.vlan(), c.forwardUnmatched(), c.ttl(), c.stratum(),
                c.refid(), c.precision(), c.rootDelay(), c.rootDispersion(), c.synced(), 512, c.maxPlaceholders(), c.clock(), c.nts()));
        byte[] big = FrameBuilder.ethernet(Fixture.SERVER_MAC, Fixture.CLIENT_MAC, -1, 0x0800,
                FrameBuilder.ipv4(Fixture.CLIENT_IP4, Fixture.SERVER_IP4, 1, 64, FrameBuilder.icmp(8, 0, new byte[4 + 513], null, null)));
        assertEquals(Outcome.DROP_ICMP_TOO_LONG, small.process(big, false, 0).outcome());
        byte[] fits = FrameBuilder.ethernet(Fixture.SERVER_MAC, Fixture.CLIENT_MAC, -1, 0x0800,
                FrameBuilder.ipv4(Fixture.CLIENT_IP4, Fixture.SERVER_IP4, 1, 64, FrameBuilder.icmp(8, 0, new byte[4 + 512], null, null)));
        assertEquals(Outcome.ANSWER_ICMP_ECHO, small.process(fits, false, 0).outcome());
        byte[] badSum = req.clone();
        badSum[40] ^= 1;
        assertEquals(Outcome.DROP_ICMP_MALFORMED, r.process(badSum, false, 0).outcome());
        byte[] other = FrameBuilder.ethernet(Fixture.SERVER_MAC, Fixture.CLIENT_MAC, -1, 0x0800,
                FrameBuilder.ipv4(Fixture.CLIENT_IP4, Fixture.SERVER_IP4, 1, 64, FrameBuilder.icmp(13, 0, new byte[16], null, null)));
        assertEquals(Outcome.HOST_ICMP, r.process(other, false, 0).outcome());
    }

    @Test
    void icmpv6EchoAndNeighbourDiscovery() {
        Responder r = new Responder(Fixture.config());
        byte[] echo = FrameBuilder.ethernet(Fixture.SERVER_MAC, Fixture.CLIENT_MAC, -1, 0x86dd, FrameBuilder.ipv6(Fixture.CLIENT_IP6, Fixture.SERVER_IP6, 58, 64,
                FrameBuilder.icmp(128, 0, new byte[] {0, 1, 0, 2, 9, 9, 9, 9}, Fixture.CLIENT_IP6, Fixture.SERVER_IP6)));
        byte[] f = r.process(echo, false, 0).answer().at(0);
        assertEquals(129, f[54] & 0xff);
        assertEquals(0xffff, sum(f, 54, 12, pseudo(Fixture.SERVER_IP6, Fixture.CLIENT_IP6, 58, 12)));
        // solicitation to the solicited-node multicast address, with a source link-layer option
        byte[] sn = HexFormat.of().parseHex("ff0200000000000000000001ff000123");
        byte[] mcMac = HexFormat.of().parseHex("3333ff000123");
        byte[] ns = FrameBuilder.concat(new byte[4], Fixture.SERVER_IP6, new byte[] {1, 1}, Fixture.CLIENT_MAC);
        byte[] req = FrameBuilder.ethernet(mcMac, Fixture.CLIENT_MAC, -1, 0x86dd,
                FrameBuilder.ipv6(Fixture.CLIENT_IP6, sn, 58, 255, FrameBuilder.icmp(135, 0, ns, Fixture.CLIENT_IP6, sn)));
        Responder.Result res = r.process(req, false, 0);
        assertEquals(Outcome.ANSWER_NDP_ADVERT, res.outcome());
        byte[] na = res.answer().at(0);
        assertTrue(na.length <= req.length);
        assertEquals(136, na[54] & 0xff);
        assertEquals(255, na[21] & 0xff, "hop limit 255");
        assertEquals(0x60, na[58] & 0xff, "solicited + override");
        assertArrayEquals(Fixture.SERVER_MAC, Arrays.copyOfRange(na, 80, 86), "target link-layer address option");
        assertEquals(0xffff, sum(na, 54, 32, pseudo(Fixture.SERVER_IP6, Fixture.CLIENT_IP6, 58, 32)));
        // unicast solicitation without options: advert without the option, so it is not longer
        byte[] uns = FrameBuilder.ethernet(Fixture.SERVER_MAC, Fixture.CLIENT_MAC, -1, 0x86dd, FrameBuilder.ipv6(Fixture.CLIENT_IP6, Fixture.SERVER_IP6, 58, 255,
                FrameBuilder.icmp(135, 0, FrameBuilder.concat(new byte[4], Fixture.SERVER_IP6), Fixture.CLIENT_IP6, Fixture.SERVER_IP6)));
        byte[] una = r.process(uns, false, 0).answer().at(0);
        assertTrue(una.length <= uns.length);
        // hop limit below 255: not a valid solicitation (RFC 4861 §7.1.1), left to the host
        byte[] hop = FrameBuilder.ethernet(mcMac, Fixture.CLIENT_MAC, -1, 0x86dd,
                FrameBuilder.ipv6(Fixture.CLIENT_IP6, sn, 58, 64, FrameBuilder.icmp(135, 0, ns, Fixture.CLIENT_IP6, sn)));
        assertEquals(Outcome.HOST_ICMPV6, r.process(hop, false, 0).outcome());
    }

    @Test
    void badSourcesAreNeverAnswered() {
        Responder r = new Responder(Fixture.config());
        for (byte[] src : List.of(new byte[] {0, 0, 0, 0}, new byte[] {127, 0, 0, 1}, new byte[] {(byte) 224, 0, 0, 1},
                new byte[] {-1, -1, -1, -1})) {
            FrameBuilder.Endpoints e = new FrameBuilder.Endpoints(Fixture.SERVER_MAC, Fixture.SERVER_IP4, Fixture.SERVER_IP6,
                    Fixture.CLIENT_MAC, src, Fixture.CLIENT_IP6, -1);
            assertEquals(Outcome.DROP_BAD_SOURCE, r.process(FrameBuilder.udpFrame(e, false, 1000, 123, FrameBuilder.ntpRequest(4, 3, TX)), false, 0).outcome());
        }
        assertEquals(Outcome.DROP_BAD_SOURCE, r.process(FrameBuilder.udpFrame(ep, false, 0, 123, FrameBuilder.ntpRequest(4, 3, TX)), false, 0).outcome());
        assertEquals(Outcome.HOST_UDP_PORT, r.process(FrameBuilder.udpFrame(ep, false, 1000, 124, FrameBuilder.ntpRequest(4, 3, TX)), false, 0).outcome());
    }

    @Test
    void extensionFieldWalkRules() {
        Responder r = new Responder(Fixture.config());
        byte[] h = FrameBuilder.ntpRequest(4, 3, TX);
        // unknown extension field: ignored, plain 48-byte answer
        byte[] unknown = FrameBuilder.concat(h, FrameBuilder.ef(0x7777, new byte[28]));
        byte[] ans = udpPayloadV4(r.process(ntpFrame(unknown), false, 0).answer().at(1));
        assertEquals(48, ans.length);
        // length not a multiple of 4, below 16, beyond the packet
        byte[] odd = FrameBuilder.concat(h, FrameBuilder.ef(0x7777, new byte[28]));
        odd[51] = 30;
        assertEquals(Outcome.DROP_NTP_EXTENSION, r.process(ntpFrame(odd), false, 0).outcome());
        byte[] small = FrameBuilder.concat(h, FrameBuilder.ef(0x7777, new byte[28]));
        small[51] = 12;
        assertEquals(Outcome.DROP_NTP_EXTENSION, r.process(ntpFrame(small), false, 0).outcome());
        byte[] over = FrameBuilder.concat(h, FrameBuilder.ef(0x7777, new byte[28]));
        over[51] = 36;
        assertEquals(Outcome.DROP_NTP_EXTENSION, r.process(ntpFrame(over), false, 0).outcome());
        byte[] truncated = FrameBuilder.concat(h, new byte[] {0x77, 0x77, 0, 32, 1, 2, 3, 4, 5, 6, 7, 8});
        assertEquals(Outcome.DROP_NTP_EXTENSION, r.process(ntpFrame(truncated), false, 0).outcome());
        // legacy MAC trailers (key id + MD5/SHA-1): symmetric keys are not served
        assertEquals(Outcome.DROP_NTP_MAC, r.process(ntpFrame(FrameBuilder.concat(h, new byte[20])), false, 0).outcome());
        assertEquals(Outcome.DROP_NTP_MAC, r.process(ntpFrame(FrameBuilder.concat(h, new byte[24])), false, 0).outcome());
        assertEquals(Outcome.DROP_NTP_MAC, r.process(ntpFrame(FrameBuilder.concat(FrameBuilder.ntpRequest(3, 3, TX), new byte[20])), false, 0).outcome());
        assertEquals(Outcome.DROP_NTP_MAC, r.process(ntpFrame(FrameBuilder.concat(unknown, new byte[20])), false, 0).outcome());
    }

    // ---- NTS ------------------------------------------------------------------------------------
    static final byte[] UID = HexFormat.of().parseHex("a0a1a2a3a4a5a6a7a8a9aaabacadaeafb0b1b2b3b4b5b6b7b8b9babbbcbdbebf");
    static final byte[] NONCE = HexFormat.of().parseHex("5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a");

    byte[] ntsRequest(Fixture.Session s, int placeholders) {
        return NtsClient.request(FrameBuilder.ntpRequest(4, 3, TX), UID, s.cookie(), placeholders, s.keys().c2s(), NONCE, new byte[0]);
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 3, 7})
    void ntsAnswerVerifiesAndCarriesFreshCookies(int placeholders) {
        Responder r = new Responder(Fixture.config());
        Fixture.Session s = Fixture.session(1, 42);
        byte[] req = ntsRequest(s, placeholders);
        Responder.Result res = r.process(ntpFrame(req), false, 100);
        assertEquals(Outcome.ANSWER_NTS, res.outcome());
        byte[] ans = udpPayloadV4(res.answer().at(500));
        assertEquals(req.length, ans.length, "the answer is exactly as long as the request");
        NtsClient.Verified v = NtsClient.verify(ans, UID, s.keys().s2c()).orElseThrow();
        assertEquals(1 + placeholders, v.cookies().size());
        CookieCodec codec = new CookieCodec(Fixture.keys(1));
        for (byte[] c : v.cookies()) {
            assertEquals(100, c.length);
            CookieCodec.Keys k = codec.open(c).keys();
            assertArrayEquals(s.keys().c2s(), k.c2s());
            assertArrayEquals(s.keys().s2c(), k.s2c());
        }
        assertEquals(Fixture.clock().at(500), u64(ans, 40), "T3 is inside the authenticated header");
        assertEquals(4, (ans[0] >> 3) & 7);
    }

    @Test
    void placeholdersBeyondTheLimitAreCappedAndTheAnswerStillMatchesTheRequestLength() {
        Fixture.Session s = Fixture.session(1, 43);
        byte[] req = ntsRequest(s, 9);
        byte[] ans = udpPayloadV4(new Responder(Fixture.config()).process(ntpFrame(req), false, 0).answer().at(1));
        assertEquals(req.length, ans.length);
        assertEquals(8, NtsClient.verify(ans, UID, s.keys().s2c()).orElseThrow().cookies().size());
    }

    @Test
    void encryptedPlaceholdersCountToo() {
        Fixture.Session s = Fixture.session(1, 44);
        byte[] encrypted = FrameBuilder.ef(Responder.EF_PLACEHOLDER, new byte[100]);
        byte[] req = NtsClient.request(FrameBuilder.ntpRequest(4, 3, TX), UID, s.cookie(), 0, s.keys().c2s(), NONCE, encrypted);
        byte[] ans = udpPayloadV4(new Responder(Fixture.config()).process(ntpFrame(req), false, 0).answer().at(1));
        assertEquals(2, NtsClient.verify(ans, UID, s.keys().s2c()).orElseThrow().cookies().size());
    }

    @Test
    void stampingAtAnotherCycleChangesOnlyT3AndTheSeal() {
        Fixture.Session s = Fixture.session(1, 45);
        Responder.Result res = new Responder(Fixture.config()).process(ntpFrame(ntsRequest(s, 1)), false, 0);
        byte[] a = udpPayloadV4(res.answer().at(10)), b = udpPayloadV4(res.answer().at(11));
        assertArrayEquals(Arrays.copyOfRange(a, 0, 40), Arrays.copyOfRange(b, 0, 40));
        assertTrue(u64(a, 40) != u64(b, 40));
        NtsClient.verify(b, UID, s.keys().s2c()).orElseThrow();
    }

    @Test
    void cookieUnderAnOlderLiveKeyStillOpensAndFreshCookiesUseTheCurrentKey() {
        Fixture.Session old = Fixture.session(1, 46);
        ResponderConfig c = Fixture.config();
        ResponderConfig rotated = new ResponderConfig(c.mac(), c.ipv4(), c.ipv6(), c.vlan(), c.forwardUnmatched(), c.ttl(), c.stratum(),
                c.refid(), c.precision(), c.rootDelay(), c.rootDispersion(), c.synced(), c.icmpMaxPayload(), c.maxPlaceholders(), c.clock(),
                new ResponderConfig.Nts(Fixture.keys(2), Fixture.SEED));
        byte[] ans = udpPayloadV4(new Responder(rotated).process(ntpFrame(ntsRequest(old, 0)), false, 0).answer().at(1));
        byte[] fresh = NtsClient.verify(ans, UID, old.keys().s2c()).orElseThrow().cookies().get(0);
        assertEquals(2, ((fresh[0] & 0xff) << 24 | (fresh[1] & 0xff) << 16 | (fresh[2] & 0xff) << 8 | fresh[3] & 0xff));
    }

    void assertNak(Responder.Result res, Outcome expected, byte[] req) {
        assertEquals(expected, res.outcome());
        byte[] n = udpPayloadV4(res.answer().at(7));
        assertEquals(48 + 36, n.length, "header and the echoed Unique Identifier, nothing else");
        assertEquals(0xe4, n[0] & 0xff, "LI 3, VN 4, mode 4");
        assertEquals(0, n[1], "stratum 0: kiss-o'-death");
        assertArrayEquals("NTSN".getBytes(java.nio.charset.StandardCharsets.US_ASCII), Arrays.copyOfRange(n, 12, 16));
        assertArrayEquals(Arrays.copyOfRange(req, 48, 84), Arrays.copyOfRange(n, 48, 84));
        assertEquals(u64(req, 40), u64(n, 24), "origin = the request's transmit timestamp");
        assertTrue(n.length < req.length);
    }

    @Test
    void undecryptableCookieGetsANak() {
        Responder r = new Responder(Fixture.config());
        Fixture.Session s = Fixture.session(1, 47);
        for (int bit : new int[] {0, 40, 200, 799}) {
            byte[] badCookie = s.cookie().clone();
            badCookie[bit / 8] ^= (byte) (1 << (bit % 8));
            byte[] req = NtsClient.request(FrameBuilder.ntpRequest(4, 3, TX), UID, badCookie, 0, s.keys().c2s(), NONCE, new byte[0]);
            assertNak(r.process(ntpFrame(req), false, 0), Outcome.ANSWER_NTS_NAK_COOKIE, req);
        }
        byte[] unknownKey = Fixture.session(1, 48).cookie();
        unknownKey[3] = 9; // key id 9 is not live
        byte[] req = NtsClient.request(FrameBuilder.ntpRequest(4, 3, TX), UID, unknownKey, 0, s.keys().c2s(), NONCE, new byte[0]);
        assertNak(r.process(ntpFrame(req), false, 0), Outcome.ANSWER_NTS_NAK_COOKIE, req);
    }

    @Test
    void badAuthenticatorGetsANak() {
        Responder r = new Responder(Fixture.config());
        Fixture.Session s = Fixture.session(1, 49);
        byte[] req = ntsRequest(s, 0);
        byte[] tampered = req.clone();
        tampered[45] ^= 1; // transmit timestamp: authenticated, so the tag no longer verifies
        assertNak(r.process(ntpFrame(tampered), false, 0), Outcome.ANSWER_NTS_NAK_AUTH, tampered);
        byte[] wrongKey = NtsClient.request(FrameBuilder.ntpRequest(4, 3, TX), UID, s.cookie(), 0, s.keys().s2c(), NONCE, new byte[0]);
        assertNak(r.process(ntpFrame(wrongKey), false, 0), Outcome.ANSWER_NTS_NAK_AUTH, wrongKey);
    }

    @Test
    void malformedNtsRequestsAreDropped() {
        Responder r = new Responder(Fixture.config());
        Fixture.Session s = Fixture.session(1, 50);
        byte[] h = FrameBuilder.ntpRequest(4, 3, TX);
        byte[] good = ntsRequest(s, 1);
        int uidEnd = 48 + 36, cookieEnd = uidEnd + 104, phEnd = cookieEnd + 104;
        byte[] auth = Arrays.copyOfRange(good, phEnd, good.length);
        byte[] uid = Arrays.copyOfRange(good, 48, uidEnd), cookie = Arrays.copyOfRange(good, uidEnd, cookieEnd);
        List<byte[]> bad = List.of(
                FrameBuilder.concat(h, cookie, auth),                                         // no unique identifier
                FrameBuilder.concat(h, uid, auth),                                            // no cookie
                FrameBuilder.concat(h, uid, cookie),                                          // no authenticator
                FrameBuilder.concat(h, uid, cookie, cookie, auth),                            // two cookies
                FrameBuilder.concat(h, uid, uid, cookie, auth),                               // two unique identifiers
                FrameBuilder.concat(h, FrameBuilder.ef(0x0104, new byte[28]), cookie, auth),  // identifier below 32 bytes
                FrameBuilder.concat(h, uid, cookie, auth, FrameBuilder.ef(0x7777, new byte[12])), // authenticator not last
                FrameBuilder.concat(h, uid, cookie, FrameBuilder.ef(0x0304, new byte[96]), auth)); // placeholder length mismatch
        for (int i = 0; i < bad.size(); i++)
            assertEquals(Outcome.DROP_NTS_MALFORMED, r.process(ntpFrame(bad.get(i)), false, 0).outcome(), "case " + i);
        // a nonce shorter than 16 bytes could make the answer longer than the request
        byte[] shortNonce = good.clone();
        shortNonce[phEnd + 5] = 12;
        assertEquals(Outcome.DROP_NTS_MALFORMED, r.process(ntpFrame(shortNonce), false, 0).outcome());
        assertEquals(Outcome.DROP_NTS_DISABLED, new Responder(Fixture.config(false, true, -1)).process(ntpFrame(good), false, 0).outcome());
    }

    @Test
    void noInputEverGetsAnAnswerLongerThanItself() {
        // random mutations of every kind of valid request: whatever the outcome, no amplification, no exception
        Responder r = new Responder(Fixture.config());
        Fixture.Session s = Fixture.session(1, 51);
        List<byte[]> seeds = List.of(ntpFrame(ntsRequest(s, 2)), ntpFrame(FrameBuilder.ntpRequest(4, 3, TX)),
                FrameBuilder.udpFrame(ep, true, 999, 123, ntsRequest(s, 0)));
        Random rnd = new Random(7);
        int answered = 0;
        for (int i = 0; i < 30_000; i++) {
            byte[] f = seeds.get(i % seeds.size()).clone();
            int edits = 1 + rnd.nextInt(3);
            for (int e = 0; e < edits; e++) {
                int at = 14 + rnd.nextInt(f.length - 14);
                f[at] = (byte) (rnd.nextInt(4) == 0 ? rnd.nextInt(256) : f[at] ^ (1 << rnd.nextInt(8)));
            }
            if (rnd.nextInt(10) == 0) f = Arrays.copyOf(f, 60 + rnd.nextInt(f.length - 59));
            Responder.Result res = r.process(f, false, i);
            if (res.answer() != null) {
                answered++;
                assertTrue(res.answer().at(i + 100).length <= f.length, "answer longer than request for input " + HexFormat.of().formatHex(f));
            }
        }
        assertTrue(answered > 100, "some mutations still answered: " + answered);
        assertNotNull(r.counters());
    }
}
