package org.ntsfab.model;

import java.util.Arrays;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Optional;
import java.util.Map;
import org.ntsfab.model.clock.NtpClock;
import org.ntsfab.model.crypto.AesSiv;
import org.ntsfab.model.crypto.NonceGenerator;
import org.ntsfab.model.nts.CookieCodec;
import org.ntsfab.model.wire.ArpPacket;
import org.ntsfab.model.wire.Bytes;
import org.ntsfab.model.wire.Checksum;
import org.ntsfab.model.wire.EthernetHeader;
import org.ntsfab.model.wire.ExtensionField;
import org.ntsfab.model.wire.IcmpMessage;
import org.ntsfab.model.wire.Ipv4Header;
import org.ntsfab.model.wire.Ipv6Header;
import org.ntsfab.model.wire.NtpHeader;
import org.ntsfab.model.wire.NtsAuthenticator;
import org.ntsfab.model.wire.UdpHeader;
import org.ntsfab.model.wire.WireException;

/**
 * The bit-exact model of the responder: one received frame (without FCS) in, at most one answer
 * frame out, or the frame passed to the host port, with one counter per {@link Outcome}. Every rule
 * here is written down in docs/responder-spec.md, section by section in the same order.
 *
 * <p>T3 is stamped when the answer is asked for at its departure cycle ({@link Answer#at}); for NTS
 * the answer is sealed then, because T3 is inside the authenticated bytes. Nonces and fresh cookies
 * are drawn when the request is processed, so the nonce sequence depends only on the order of
 * requests.
 */
public final class Responder {
    public static final int ETH_MIN = 60;
    public static final int ETH_MAX = 1514;
    public static final int NTP_HEADER = 48;
    public static final int EF_UNIQUE_ID = 0x0104;
    public static final int EF_COOKIE = 0x0204;
    public static final int EF_PLACEHOLDER = 0x0304;
    public static final int EF_AUTHENTICATOR = 0x0404;
    public static final byte[] KISS_NTSN = {'N', 'T', 'S', 'N'};

    /** An answer frame, completed with the transmit timestamp of the cycle its first byte leaves. */
    public interface Answer {
        byte[] at(long txCycle);
    }

    /**
     * What became of one frame. {@code ntsResidence}: for an NTS answer of the fabric's cores (spec §9.7), the cycles from
     * the request's first beat to the answer's, which the model decided (its residence class's); 0 otherwise.
     */
    public record Result(Outcome outcome, Answer answer, long ntsResidence) {
        public Result(Outcome outcome, Answer answer) {
            this(outcome, answer, 0);
        }

        public boolean toHost() {
            return outcome.action() == Outcome.Action.HOST;
        }
    }

    private final ResponderConfig cfg;
    private final EnumMap<Outcome, Long> counters = new EnumMap<>(Outcome.class);
    private final NonceGenerator nonces;
    /** NTS requests that reached §9 (past admission) since the seed was loaded: the nonces' request number. */
    private long ntsRequests;
    private volatile CookieCodec cookies;
    private volatile NtpClock clock;
    /** The NTS cores' admission rule, when the configuration has one (spec §9.7); null: no limit (the software appliance). */
    private final org.ntsfab.model.nts.NtsCores capacity;

    public Responder(ResponderConfig cfg) {
        this.cfg = cfg;
        for (Outcome o : Outcome.values()) counters.put(o, 0L);
        this.nonces = cfg.nts() == null ? null : new NonceGenerator(cfg.nts().nonceSeed());
        this.cookies = cfg.nts() == null ? null : new CookieCodec(cfg.nts().keys());
        ResponderConfig.Capacity cap = cfg.nts() == null ? null : cfg.nts().capacity();
        this.capacity = cap == null ? null : new org.ntsfab.model.nts.NtsCores(cap.cores(), cap.contexts(), cap.residenceCycles(), cap.holdCycles(),
                cap.budgetBytes(), cap.shortMaxBytes(), cap.shortResidenceCycles(), cap.shortHoldCycles());
        this.clock = cfg.clock();
    }

    /**
     * A clock load (the hardware's {@code clock_load_time}/{@code clock_step} registers and load pulse): requests
     * processed from now on are stamped with {@code c}, whose cycle 0 is the cycle the load took effect.
     */
    public void useClock(NtpClock c) {
        this.clock = c;
    }

    /** Told each NTS admission decision, in order: the core index, or -1 for drop_nts_overload (a cross-check compares them). */
    private java.util.function.IntConsumer ntsDecisions = k -> {};

    /**
     * Observes the model's own admission decisions (spec 9.7), one per NTS-bound request in order: the core that takes
     * it, or -1 when it is dropped as {@code drop_nts_overload}. The model never takes a decision from outside.
     */
    public void onNtsDecision(java.util.function.IntConsumer l) {
        this.ntsDecisions = l;
    }

    /** Rotation: new master keys take effect for the next request (the software appliance's key file). */
    public void useKeys(org.ntsfab.model.nts.MasterKeys keys) {
        if (cookies == null) throw new IllegalStateException("NTS is not configured");
        cookies = new CookieCodec(keys);
    }

    public Map<Outcome, Long> counters() {
        return Collections.unmodifiableMap(counters);
    }

    public ResponderConfig config() {
        return cfg;
    }

    private Result count(Outcome o, Answer a) {
        counters.merge(o, 1L, Long::sum);
        return new Result(o, a);
    }

    private Result count(Outcome o) {
        return count(o, null);
    }

    private Result notForUs() {
        return count(cfg.forwardUnmatched() ? Outcome.HOST_NOT_FOR_US : Outcome.DROP_NOT_FOR_US);
    }

    /** §3–§9 of the spec: classify one frame and build its answer. */
    public Result process(byte[] f, boolean rxError, long rxCycle) {
        if (rxError) return count(Outcome.DROP_RX_ERROR);
        if (f.length < ETH_MIN) return count(Outcome.DROP_RUNT);
        EthernetHeader eth;
        try {
            eth = EthernetHeader.parse(f);
        } catch (WireException e) {
            return count(Outcome.DROP_RUNT);
        }
        if (f.length > ETH_MAX + (eth.tci() >= 0 ? 4 : 0)) return count(Outcome.DROP_OVERSIZE);
        if (eth.vid() != cfg.vlan()) return notForUs();
        Dest dest = destination(eth.dst());
        if (dest == Dest.OTHER) return notForUs();
        Frame fr = new Frame(f, eth, rxCycle);
        switch (eth.etherType()) {
            case 0x0806:
                if (dest == Dest.SOLICITED) return notForUs();
                return arp(fr);
            case 0x0800:
                if (cfg.ipv4() == null) return count(Outcome.HOST_ETHERTYPE);
                if (dest != Dest.UNICAST) return notForUs();
                return ipv4(fr);
            case 0x86dd:
                if (cfg.ipv6() == null) return count(Outcome.HOST_ETHERTYPE);
                if (dest == Dest.BROADCAST) return notForUs();
                return ipv6(fr, dest == Dest.SOLICITED);
            default:
                return count(Outcome.HOST_ETHERTYPE);
        }
    }

    private enum Dest { UNICAST, BROADCAST, SOLICITED, OTHER }

    private Dest destination(byte[] mac) {
        if (Arrays.equals(mac, cfg.mac())) return Dest.UNICAST;
        boolean bcast = true;
        for (byte b : mac) bcast &= b == (byte) 0xff;
        if (bcast) return Dest.BROADCAST;
        if (cfg.ipv6() != null && mac[0] == 0x33 && mac[1] == 0x33 && mac[2] == (byte) 0xff
                && Bytes.equal(mac, 3, cfg.ipv6(), 13, 3)) return Dest.SOLICITED;
        return Dest.OTHER;
    }

    /** The received frame, its Ethernet header and arrival cycle. */
    private record Frame(byte[] b, EthernetHeader eth, long rxCycle) {
        int l3() {
            return eth.length();
        }
    }

    // ---- §4 ARP ---------------------------------------------------------------------------------
    private Result arp(Frame fr) {
        ArpPacket req;
        try {
            req = ArpPacket.parse(fr.b(), fr.l3(), fr.b().length - fr.l3());
        } catch (WireException e) {
            return count(Outcome.HOST_ARP);
        }
        if (cfg.ipv4() == null || req.operation() != ArpPacket.REQUEST || !Arrays.equals(req.targetIp(), cfg.ipv4()))
            return count(Outcome.HOST_ARP);
        byte[] out = ethernet(fr, 0x0806, new ArpPacket(ArpPacket.REPLY, cfg.mac(), cfg.ipv4(), req.senderMac(), req.senderIp()).write());
        return count(Outcome.ANSWER_ARP, tx -> out.clone());
    }

    // ---- §5 IPv4 --------------------------------------------------------------------------------
    private Result ipv4(Frame fr) {
        byte[] f = fr.b();
        int h = fr.l3();
        Ipv4Header ip;
        try {
            ip = Ipv4Header.parse(f, h, f.length - h);
        } catch (WireException e) {
            return count(Outcome.DROP_IPV4_HEADER);
        }
        if (!Checksum.verifies(0, f, h, ip.headerLength())) return count(Outcome.DROP_IPV4_CHECKSUM);
        if (!Arrays.equals(ip.dst(), cfg.ipv4())) return notForUs();
        if (ip.isFragment()) return count(Outcome.HOST_IPV4_FRAGMENT);
        byte[] src = ip.src();
        int s0 = src[0] & 0xff;
        boolean allOnes = (src[0] & src[1] & src[2] & src[3]) == (byte) 0xff;
        if (s0 == 0 || s0 == 127 || s0 >= 224 || allOnes) return count(Outcome.DROP_BAD_SOURCE);
        int p = h + ip.headerLength();
        if (ip.protocol() == 1) return icmp(fr, src, p, ip.payloadLength());
        if (ip.protocol() == 17) return udp(fr, src, false, p, ip.payloadLength());
        return count(Outcome.HOST_IPV4_PROTOCOL);
    }

    private Result icmp(Frame fr, byte[] src, int p, int len) {
        IcmpMessage m;
        try {
            m = IcmpMessage.parse(fr.b(), p, len, null, null);
        } catch (WireException e) {
            return count(Outcome.DROP_ICMP_MALFORMED);
        }
        if (m.type() != 8 || m.code() != 0) return count(Outcome.HOST_ICMP);
        if (len - 8 > cfg.icmpMaxPayload()) return count(Outcome.DROP_ICMP_TOO_LONG);
        byte[] reply = new IcmpMessage(0, 0, m.rest()).write(null, null);
        byte[] out = ethernet(fr, 0x0800, Ipv4Header.packet(cfg.ipv4(), src, 1, cfg.ttl(), reply));
        return count(Outcome.ANSWER_ICMP_ECHO, tx -> out.clone());
    }

    // ---- §6 IPv6 --------------------------------------------------------------------------------
    private Result ipv6(Frame fr, boolean solicitedMac) {
        byte[] f = fr.b();
        int h = fr.l3();
        Ipv6Header ip;
        try {
            ip = Ipv6Header.parse(f, h, f.length - h);
        } catch (WireException e) {
            return count(Outcome.DROP_IPV6_HEADER);
        }
        boolean toUs = Arrays.equals(ip.dst(), cfg.ipv6());
        boolean toSolicited = Arrays.equals(ip.dst(), Ipv6Header.solicitedNode(cfg.ipv6()));
        if (!toUs && !toSolicited) return notForUs();
        if (toUs && solicitedMac) return notForUs();
        byte[] src = ip.src();
        if (Ipv6Header.isMulticast(src) || Ipv6Header.isLoopback(src)) return count(Outcome.DROP_BAD_SOURCE);
        if (Ipv6Header.isUnspecified(src)) return ip.nextHeader() == 58 ? count(Outcome.HOST_ICMPV6) : count(Outcome.DROP_BAD_SOURCE);
        int p = h + 40;
        if (ip.nextHeader() == 58) return icmpv6(fr, ip, toSolicited, p);
        if (toSolicited) return notForUs();
        if (ip.nextHeader() == 17) return udp(fr, src, true, p, ip.payloadLength());
        return count(Outcome.HOST_IPV6_NEXT_HEADER);
    }

    private Result icmpv6(Frame fr, Ipv6Header ip, boolean multicast, int p) {
        byte[] f = fr.b();
        int len = ip.payloadLength();
        IcmpMessage m;
        try {
            m = IcmpMessage.parse(f, p, len, ip.src(), ip.dst());
        } catch (WireException e) {
            return count(Outcome.DROP_ICMP_MALFORMED);
        }
        if (m.type() == 128 && m.code() == 0 && !multicast) {
            if (len - 8 > cfg.icmpMaxPayload()) return count(Outcome.DROP_ICMP_TOO_LONG);
            byte[] reply = new IcmpMessage(129, 0, m.rest()).write(cfg.ipv6(), ip.src());
            byte[] out = ethernet(fr, 0x86dd, Ipv6Header.packet(cfg.ipv6(), ip.src(), 58, cfg.ttl(), reply));
            return count(Outcome.ANSWER_ICMPV6_ECHO, tx -> out.clone());
        }
        // neighbour solicitation for our address (RFC 4861 §7.1.1 validity); multicast ones must carry options
        if (m.type() == 135 && m.code() == 0 && ip.hopLimit() == 255 && len >= (multicast ? 32 : 24)
                && Bytes.equal(f, p + 8, cfg.ipv6(), 0, 16)) {
            byte[] rest = new byte[multicast ? 28 : 20];
            Bytes.put32(rest, 0, 0x60000000L); // solicited, override
            System.arraycopy(cfg.ipv6(), 0, rest, 4, 16);
            if (multicast) {
                rest[20] = 2; // target link-layer address option
                rest[21] = 1;
                System.arraycopy(cfg.mac(), 0, rest, 22, 6);
            }
            byte[] advert = new IcmpMessage(136, 0, rest).write(cfg.ipv6(), ip.src());
            byte[] out = ethernet(fr, 0x86dd, Ipv6Header.packet(cfg.ipv6(), ip.src(), 58, 255, advert));
            return count(Outcome.ANSWER_NDP_ADVERT, tx -> out.clone());
        }
        return count(Outcome.HOST_ICMPV6);
    }

    // ---- §7 UDP ---------------------------------------------------------------------------------
    private Result udp(Frame fr, byte[] src, boolean v6, int p, int len) {
        byte[] f = fr.b();
        UdpHeader u;
        try {
            u = UdpHeader.parse(f, p, len);
        } catch (WireException e) {
            return count(Outcome.DROP_UDP_LENGTH);
        }
        if (u.dstPort() != 123) return count(Outcome.HOST_UDP_PORT);
        if (!u.checksumOk(f, p, src, v6 ? cfg.ipv6() : cfg.ipv4())) return count(Outcome.DROP_UDP_CHECKSUM);
        if (u.srcPort() == 0) return count(Outcome.DROP_BAD_SOURCE);
        return ntp(fr, src, v6, u.srcPort(), Arrays.copyOfRange(f, p + 8, p + len));
    }

    private byte[] udpFrame(Frame fr, byte[] dstIp, boolean v6, int dstPort, byte[] payload) {
        byte[] srcIp = v6 ? cfg.ipv6() : cfg.ipv4();
        byte[] u = UdpHeader.datagram(srcIp, dstIp, 123, dstPort, payload);
        return v6 ? ethernet(fr, 0x86dd, Ipv6Header.packet(srcIp, dstIp, 17, cfg.ttl(), u))
                : ethernet(fr, 0x0800, Ipv4Header.packet(srcIp, dstIp, 17, cfg.ttl(), u));
    }

    // ---- §8 NTP and §9 NTS ----------------------------------------------------------------------
    private Result ntp(Frame fr, byte[] src, boolean v6, int srcPort, byte[] req) {
        NtpHeader q;
        try {
            q = NtpHeader.parse(req, 0, req.length);
        } catch (WireException e) {
            return count(Outcome.DROP_NTP_SHORT);
        }
        if (q.version() < 1 || q.version() > 4) return count(Outcome.DROP_NTP_VERSION);
        if (q.mode() == 6 || q.mode() == 7) return count(Outcome.DROP_NTP_CONTROL);
        if (q.mode() != 3) return count(Outcome.DROP_NTP_MODE);
        List<ExtensionField> efs = List.of();
        if (req.length > NTP_HEADER) {
            if (q.version() < 4) return count(Outcome.DROP_NTP_MAC);
            try {
                efs = ExtensionField.walk(req, NTP_HEADER, req.length, true);
            } catch (ExtensionField.WalkException e) {
                return count(e.legacyMac ? Outcome.DROP_NTP_MAC : Outcome.DROP_NTP_EXTENSION);
            }
        }
        boolean nts = efs.stream().anyMatch(e -> e.type() == EF_UNIQUE_ID || e.type() == EF_COOKIE
                || e.type() == EF_PLACEHOLDER || e.type() == EF_AUTHENTICATOR);
        NtpClock ck = clock;  // T2 and T3 of one answer from the same clock, even if it is reloaded before the answer leaves
        long t2 = ck.at(fr.rxCycle());
        int li = cfg.synced() ? ck.leapIndicator(fr.rxCycle()) : 3;
        if (!nts) return count(Outcome.ANSWER_NTP, tx -> udpFrame(fr, src, v6, srcPort, header(q, li, t2, ck.at(tx), false)));
        if (cookies == null) return count(Outcome.DROP_NTS_DISABLED);
        long residence = 0;
        if (capacity != null) {
            org.ntsfab.model.nts.NtsCores.Decision d = capacity.decide(fr.rxCycle(), req.length);
            ntsDecisions.accept(d.core());
            if (!d.admitted()) return count(Outcome.DROP_NTS_OVERLOAD);
            residence = d.residence();
        }
        long request = ntsRequests++;
        Result res = nts(fr, src, v6, srcPort, req, q, efs, li, t2, request, ck);
        return res.answer() == null ? res : new Result(res.outcome(), res.answer(), residence);
    }

    /** The 48-byte answer header (§8.2); {@code nak} makes it the NTSN kiss-o'-death (§9.4). */
    private byte[] header(NtpHeader q, int li, long t2, long t3, boolean nak) {
        if (nak) return new NtpHeader(3, q.version(), 4, 0, q.poll(), cfg.precision(), 0, 0, Bytes.u32(KISS_NTSN, 0), 0,
                q.transmit(), t2, t3).write();
        return new NtpHeader(li, q.version(), 4, cfg.synced() ? cfg.stratum() : 16, q.poll(), cfg.precision(), cfg.rootDelay(),
                cfg.rootDispersion(), Bytes.u32(cfg.refid(), 0), t2 & 0xffffffff00000000L, q.transmit(), t2, t3).write();
    }

    private Result nts(Frame fr, byte[] src, boolean v6, int srcPort, byte[] req, NtpHeader q, List<ExtensionField> efs, int li, long t2,
            long request, NtpClock ck) {
        Optional<NtsRequest> parsed = NtsRequest.parse(req, efs);
        if (parsed.isEmpty()) return count(Outcome.DROP_NTS_MALFORMED);
        NtsRequest nr = parsed.get();
        ExtensionField uid = nr.uid(), cookie = nr.cookie();
        int placeholders = nr.placeholders(), cookieBody = nr.cookieBody();
        byte[] authNonce = Arrays.copyOfRange(req, nr.nonceOffset(), nr.nonceOffset() + nr.nonceLength());
        byte[] authCiphertext = Arrays.copyOfRange(req, nr.ciphertextOffset(), nr.ciphertextOffset() + nr.ciphertextLength());
        final byte[] uidEf = Arrays.copyOfRange(req, uid.offset(), uid.offset() + uid.length());

        CookieCodec.Opened opened = cookies.open(Arrays.copyOfRange(req, cookie.bodyOffset(), cookie.bodyOffset() + cookie.bodyLength()));
        if (opened.keys() == null) return nak(fr, src, v6, srcPort, q, uidEf, t2, Outcome.ANSWER_NTS_NAK_COOKIE, ck);
        var plain = new AesSiv(opened.keys().c2s()).open(List.of(Arrays.copyOfRange(req, 0, nr.adLength()), authNonce), authCiphertext);
        if (plain.isEmpty()) return nak(fr, src, v6, srcPort, q, uidEf, t2, Outcome.ANSWER_NTS_NAK_AUTH, ck);
        // encrypted extension fields: placeholders there count too (RFC 8915 §5.7)
        byte[] pt = plain.get();
        try {
            for (ExtensionField e : ExtensionField.walk(pt, 0, pt.length, false)) {
                if (e.type() != EF_PLACEHOLDER) continue;
                if (e.bodyLength() != cookieBody) return count(Outcome.DROP_NTS_MALFORMED);
                placeholders++;
            }
        } catch (ExtensionField.WalkException e) {
            return count(Outcome.DROP_NTS_MALFORMED);
        }
        int fresh = 1 + Math.min(placeholders, cfg.maxPlaceholders());
        // fresh cookies: one nonce each, then the answer's nonce (the order the hardware draws them)
        java.io.ByteArrayOutputStream cookieEfs = new java.io.ByteArrayOutputStream();
        for (int i = 0; i < fresh; i++) cookieEfs.writeBytes(ExtensionField.write(EF_COOKIE, cookies.seal(opened.keys(), nonces.nonce(request, i))));
        byte[] answerNonce = nonces.nonce(request, fresh);
        byte[] s2c = opened.keys().s2c();
        byte[] plaintext = cookieEfs.toByteArray();
        int requestLength = req.length;
        return count(Outcome.ANSWER_NTS, tx -> {
            byte[] adOut = concat(header(q, li, t2, ck.at(tx), false), uidEf);
            NtsAuthenticator out = new NtsAuthenticator(answerNonce, new AesSiv(s2c).seal(List.of(adOut, answerNonce), plaintext));
            int fieldLength = requestLength - adOut.length;
            if (fieldLength < out.naturalLength()) throw new IllegalStateException("NTS answer would exceed its request");
            return udpFrame(fr, src, v6, srcPort, concat(adOut, out.field(fieldLength)));
        });
    }

    private Result nak(Frame fr, byte[] src, boolean v6, int srcPort, NtpHeader q, byte[] uidEf, long t2, Outcome o, NtpClock ck) {
        return count(o, tx -> udpFrame(fr, src, v6, srcPort, concat(header(q, 3, t2, ck.at(tx), true), uidEf)));
    }

    // ---- §3 Ethernet answer framing ---------------------------------------------------------------
    private byte[] ethernet(Frame fr, int etherType, byte[] payload) {
        // to the requester, from us, with the request's 802.1Q tag unchanged
        return new EthernetHeader(fr.eth().src(), cfg.mac(), fr.eth().tci(), etherType).frame(payload, ETH_MIN);
    }

    static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
