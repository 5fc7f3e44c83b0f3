package org.ntsfab.model;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.ntsfab.model.crypto.AesSiv;
import org.ntsfab.model.crypto.NonceGenerator;
import org.ntsfab.model.nts.CookieCodec;
import org.ntsfab.model.wire.Bytes;
import org.ntsfab.model.wire.Checksum;

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

    /** What became of one frame. */
    public record Result(Outcome outcome, Answer answer) {
        public boolean toHost() {
            return outcome.action() == Outcome.Action.HOST;
        }
    }

    private final ResponderConfig cfg;
    private final EnumMap<Outcome, Long> counters = new EnumMap<>(Outcome.class);
    private final NonceGenerator nonces;
    private final CookieCodec cookies;

    public Responder(ResponderConfig cfg) {
        this.cfg = cfg;
        for (Outcome o : Outcome.values()) counters.put(o, 0L);
        this.nonces = cfg.nts() == null ? null : new NonceGenerator(cfg.nts().nonceSeed());
        this.cookies = cfg.nts() == null ? null : new CookieCodec(cfg.nts().keys());
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

    /** §2–§8 of the spec: classify one frame and build its answer. */
    public Result process(byte[] f, boolean rxError, long rxCycle) {
        if (rxError) return count(Outcome.DROP_RX_ERROR);
        if (f.length < ETH_MIN) return count(Outcome.DROP_RUNT);
        boolean tagged = Bytes.u16(f, 12) == 0x8100;
        if (f.length > ETH_MAX + (tagged ? 4 : 0)) return count(Outcome.DROP_OVERSIZE);
        int l3 = tagged ? 18 : 14;
        int vid = tagged ? Bytes.u16(f, 14) & 0x0fff : -1;
        if (vid != cfg.vlan()) return notForUs();
        int etherType = Bytes.u16(f, l3 - 2);
        Dest dest = destination(f);
        if (dest == Dest.OTHER) return notForUs();
        Frame fr = new Frame(f, l3, rxCycle);
        switch (etherType) {
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

    private Dest destination(byte[] f) {
        if (Bytes.equal(f, 0, cfg.mac(), 0, 6)) return Dest.UNICAST;
        boolean bcast = true;
        for (int i = 0; i < 6; i++) bcast &= f[i] == (byte) 0xff;
        if (bcast) return Dest.BROADCAST;
        if (cfg.ipv6() != null && f[0] == 0x33 && f[1] == 0x33 && f[2] == (byte) 0xff
                && Bytes.equal(f, 3, cfg.ipv6(), 13, 3)) return Dest.SOLICITED;
        return Dest.OTHER;
    }

    /** The received frame and where its layers start. */
    private record Frame(byte[] b, int l3, long rxCycle) {}

    // ---- §4 ARP ---------------------------------------------------------------------------------
    private Result arp(Frame fr) {
        byte[] f = fr.b();
        int a = fr.l3();
        if (cfg.ipv4() == null || f.length < a + 28 || Bytes.u16(f, a) != 1 || Bytes.u16(f, a + 2) != 0x0800
                || f[a + 4] != 6 || f[a + 5] != 4 || Bytes.u16(f, a + 6) != 1 || !Bytes.equal(f, a + 24, cfg.ipv4(), 0, 4))
            return count(Outcome.HOST_ARP);
        byte[] body = new byte[28];
        Bytes.put16(body, 0, 1);
        Bytes.put16(body, 2, 0x0800);
        body[4] = 6;
        body[5] = 4;
        Bytes.put16(body, 6, 2);
        System.arraycopy(cfg.mac(), 0, body, 8, 6);
        System.arraycopy(cfg.ipv4(), 0, body, 14, 4);
        System.arraycopy(f, a + 8, body, 18, 10); // target = the requester's hardware and protocol address
        byte[] out = ethernet(fr, 0x0806, body);
        return count(Outcome.ANSWER_ARP, tx -> out.clone());
    }

    // ---- §5 IPv4 --------------------------------------------------------------------------------
    private Result ipv4(Frame fr) {
        byte[] f = fr.b();
        int h = fr.l3();
        int avail = f.length - h;
        if (avail < 20) return count(Outcome.DROP_IPV4_HEADER);
        int ihl = (f[h] & 0x0f) * 4;
        int total = Bytes.u16(f, h + 2);
        if ((f[h] & 0xf0) != 0x40 || ihl < 20 || total < ihl || total > avail) return count(Outcome.DROP_IPV4_HEADER);
        if (!Checksum.verifies(0, f, h, ihl)) return count(Outcome.DROP_IPV4_CHECKSUM);
        if (!Bytes.equal(f, h + 16, cfg.ipv4(), 0, 4)) return notForUs();
        int fragment = Bytes.u16(f, h + 6);
        if ((fragment & 0x3fff) != 0) return count(Outcome.HOST_IPV4_FRAGMENT);
        int s0 = f[h + 12] & 0xff;
        boolean allOnes = (f[h + 12] & f[h + 13] & f[h + 14] & f[h + 15]) == (byte) 0xff;
        if (s0 == 0 || s0 == 127 || s0 >= 224 || allOnes) return count(Outcome.DROP_BAD_SOURCE);
        byte[] src = Arrays.copyOfRange(f, h + 12, h + 16);
        int proto = f[h + 9] & 0xff;
        int p = h + ihl, plen = total - ihl;
        if (proto == 1) return icmp(fr, src, p, plen);
        if (proto == 17) return udp(fr, src, false, p, plen);
        return count(Outcome.HOST_IPV4_PROTOCOL);
    }

    private Result icmp(Frame fr, byte[] src, int p, int len) {
        byte[] f = fr.b();
        if (len < 8 || !Checksum.verifies(0, f, p, len)) return count(Outcome.DROP_ICMP_MALFORMED);
        if (f[p] != 8 || f[p + 1] != 0) return count(Outcome.HOST_ICMP);
        if (len - 8 > cfg.icmpMaxPayload()) return count(Outcome.DROP_ICMP_TOO_LONG);
        byte[] msg = Arrays.copyOfRange(f, p, p + len);
        msg[0] = 0;
        Bytes.put16(msg, 2, 0);
        Bytes.put16(msg, 2, Checksum.of(msg, 0, len));
        byte[] out = ethernet(fr, 0x0800, ipv4Packet(src, 1, msg));
        return count(Outcome.ANSWER_ICMP_ECHO, tx -> out.clone());
    }

    private byte[] ipv4Packet(byte[] dst, int proto, byte[] payload) {
        byte[] p = new byte[20 + payload.length];
        p[0] = 0x45;
        Bytes.put16(p, 2, p.length);
        Bytes.put16(p, 6, 0x4000); // DF, identification 0 (RFC 6864: atomic datagram)
        p[8] = (byte) cfg.ttl();
        p[9] = (byte) proto;
        System.arraycopy(cfg.ipv4(), 0, p, 12, 4);
        System.arraycopy(dst, 0, p, 16, 4);
        Bytes.put16(p, 10, Checksum.of(p, 0, 20));
        System.arraycopy(payload, 0, p, 20, payload.length);
        return p;
    }

    // ---- §6 IPv6 --------------------------------------------------------------------------------
    private Result ipv6(Frame fr, boolean solicitedDst) {
        byte[] f = fr.b();
        int h = fr.l3();
        int avail = f.length - h;
        if (avail < 40 || (f[h] & 0xf0) != 0x60) return count(Outcome.DROP_IPV6_HEADER);
        int plen = Bytes.u16(f, h + 4);
        if (plen > avail - 40) return count(Outcome.DROP_IPV6_HEADER);
        byte[] dst = Arrays.copyOfRange(f, h + 24, h + 40);
        boolean toUs = Arrays.equals(dst, cfg.ipv6());
        boolean toSolicited = dst[0] == (byte) 0xff && dst[1] == 0x02 && dst[11] == 1 && dst[12] == (byte) 0xff
                && Bytes.equal(dst, 13, cfg.ipv6(), 13, 3) && allZero(dst, 2, 9);
        if (!toUs && !toSolicited) return notForUs();
        if (toUs && solicitedDst) return notForUs();
        byte[] src = Arrays.copyOfRange(f, h + 8, h + 24);
        int nh = f[h + 6] & 0xff;
        boolean unspecified = allZero(src, 0, 16);
        boolean loopback = allZero(src, 0, 15) && src[15] == 1;
        if (src[0] == (byte) 0xff || loopback) return count(Outcome.DROP_BAD_SOURCE);
        if (unspecified) return nh == 58 ? count(Outcome.HOST_ICMPV6) : count(Outcome.DROP_BAD_SOURCE);
        int p = h + 40;
        if (nh == 58) return icmpv6(fr, src, dst, toSolicited, f[h + 7] & 0xff, p, plen);
        if (toSolicited) return notForUs();
        if (nh == 17) return udp(fr, src, true, p, plen);
        return count(Outcome.HOST_IPV6_NEXT_HEADER);
    }

    private static boolean allZero(byte[] b, int from, int n) {
        for (int i = 0; i < n; i++) if (b[from + i] != 0) return false;
        return true;
    }

    private Result icmpv6(Frame fr, byte[] src, byte[] dst, boolean multicast, int hopLimit, int p, int len) {
        byte[] f = fr.b();
        if (len < 8 || !Checksum.verifies(Checksum.pseudo(src, dst, 58, len), f, p, len)) return count(Outcome.DROP_ICMP_MALFORMED);
        int type = f[p] & 0xff, code = f[p + 1] & 0xff;
        if (type == 128 && code == 0 && !multicast) {
            if (len - 8 > cfg.icmpMaxPayload()) return count(Outcome.DROP_ICMP_TOO_LONG);
            byte[] msg = Arrays.copyOfRange(f, p, p + len);
            msg[0] = (byte) 129;
            Bytes.put16(msg, 2, 0);
            Bytes.put16(msg, 2, ~Checksum.fold(Checksum.add(Checksum.pseudo(cfg.ipv6(), src, 58, len), msg, 0, len)) & 0xffff);
            byte[] out = ethernet(fr, 0x86dd, ipv6Packet(src, 58, cfg.ttl(), msg));
            return count(Outcome.ANSWER_ICMPV6_ECHO, tx -> out.clone());
        }
        // neighbour solicitation for our address (RFC 4861 §7.1.1 validity); multicast ones must carry options
        if (type == 135 && code == 0 && hopLimit == 255 && len >= (multicast ? 32 : 24)
                && Bytes.equal(f, p + 8, cfg.ipv6(), 0, 16)) {
            byte[] msg = new byte[multicast ? 32 : 24];
            msg[0] = (byte) 136;
            Bytes.put32(msg, 4, 0x60000000L); // solicited, override
            System.arraycopy(cfg.ipv6(), 0, msg, 8, 16);
            if (multicast) {
                msg[24] = 2; // target link-layer address option
                msg[25] = 1;
                System.arraycopy(cfg.mac(), 0, msg, 26, 6);
            }
            Bytes.put16(msg, 2, ~Checksum.fold(Checksum.add(Checksum.pseudo(cfg.ipv6(), src, 58, msg.length), msg, 0, msg.length)) & 0xffff);
            byte[] out = ethernet(fr, 0x86dd, ipv6Packet(src, 58, 255, msg));
            return count(Outcome.ANSWER_NDP_ADVERT, tx -> out.clone());
        }
        return count(Outcome.HOST_ICMPV6);
    }

    private byte[] ipv6Packet(byte[] dst, int nh, int hopLimit, byte[] payload) {
        byte[] p = new byte[40 + payload.length];
        p[0] = 0x60;
        Bytes.put16(p, 4, payload.length);
        p[6] = (byte) nh;
        p[7] = (byte) hopLimit;
        System.arraycopy(cfg.ipv6(), 0, p, 8, 16);
        System.arraycopy(dst, 0, p, 24, 16);
        System.arraycopy(payload, 0, p, 40, payload.length);
        return p;
    }

    // ---- §7 UDP ---------------------------------------------------------------------------------
    private Result udp(Frame fr, byte[] src, boolean v6, int p, int len) {
        byte[] f = fr.b();
        if (len < 8 || Bytes.u16(f, p + 4) != len) return count(Outcome.DROP_UDP_LENGTH);
        if (Bytes.u16(f, p + 2) != 123) return count(Outcome.HOST_UDP_PORT);
        int csum = Bytes.u16(f, p + 6);
        byte[] dst = v6 ? cfg.ipv6() : cfg.ipv4();
        if (csum == 0 ? v6 : !Checksum.verifies(Checksum.pseudo(src, dst, 17, len), f, p, len))
            return count(Outcome.DROP_UDP_CHECKSUM);
        int srcPort = Bytes.u16(f, p);
        if (srcPort == 0) return count(Outcome.DROP_BAD_SOURCE);
        return ntp(fr, src, v6, srcPort, Arrays.copyOfRange(f, p + 8, p + len));
    }

    private byte[] udpFrame(Frame fr, byte[] dstIp, boolean v6, int dstPort, byte[] payload) {
        byte[] u = new byte[8 + payload.length];
        Bytes.put16(u, 0, 123);
        Bytes.put16(u, 2, dstPort);
        Bytes.put16(u, 4, u.length);
        System.arraycopy(payload, 0, u, 8, payload.length);
        byte[] srcIp = v6 ? cfg.ipv6() : cfg.ipv4();
        int c = ~Checksum.fold(Checksum.add(Checksum.pseudo(srcIp, dstIp, 17, u.length), u, 0, u.length)) & 0xffff;
        Bytes.put16(u, 6, c == 0 ? 0xffff : c);
        return v6 ? ethernet(fr, 0x86dd, ipv6Packet(dstIp, 17, cfg.ttl(), u)) : ethernet(fr, 0x0800, ipv4Packet(dstIp, 17, u));
    }

    // ---- §8 NTP and §9 NTS ----------------------------------------------------------------------
    private record Ef(int type, int offset, int length) {
        int bodyOffset() {
            return offset + 4;
        }

        int bodyLength() {
            return length - 4;
        }
    }

    private Result ntp(Frame fr, byte[] src, boolean v6, int srcPort, byte[] req) {
        if (req.length < NTP_HEADER) return count(Outcome.DROP_NTP_SHORT);
        int vn = (req[0] >> 3) & 7, mode = req[0] & 7;
        if (vn < 1 || vn > 4) return count(Outcome.DROP_NTP_VERSION);
        if (mode == 6 || mode == 7) return count(Outcome.DROP_NTP_CONTROL);
        if (mode != 3) return count(Outcome.DROP_NTP_MODE);
        List<Ef> efs = new ArrayList<>();
        if (req.length > NTP_HEADER) {
            if (vn < 4) return count(Outcome.DROP_NTP_MAC);
            for (int o = NTP_HEADER; o < req.length; ) {
                int rem = req.length - o;
                if (rem == 20 || rem == 24) return count(Outcome.DROP_NTP_MAC);
                if (rem < 16) return count(Outcome.DROP_NTP_EXTENSION);
                int len = Bytes.u16(req, o + 2);
                if (len < 16 || len % 4 != 0 || len > rem) return count(Outcome.DROP_NTP_EXTENSION);
                efs.add(new Ef(Bytes.u16(req, o), o, len));
                o += len;
            }
        }
        boolean nts = efs.stream().anyMatch(e -> e.type() == EF_UNIQUE_ID || e.type() == EF_COOKIE
                || e.type() == EF_PLACEHOLDER || e.type() == EF_AUTHENTICATOR);
        long t2 = cfg.clock().at(fr.rxCycle());
        int li = cfg.synced() ? cfg.clock().leapIndicator(fr.rxCycle()) : 3;
        if (!nts) {
            return count(Outcome.ANSWER_NTP, tx -> {
                byte[] h = header(req, li, t2, cfg.clock().at(tx), false);
                return udpFrame(fr, src, v6, srcPort, h);
            });
        }
        if (cookies == null) return count(Outcome.DROP_NTS_DISABLED);
        return nts(fr, src, v6, srcPort, req, efs, li, t2);
    }

    /** The 48-byte answer header (§8.2); {@code nak} makes it the NTSN kiss-o'-death (§9.4). */
    private byte[] header(byte[] req, int li, long t2, long t3, boolean nak) {
        byte[] h = new byte[NTP_HEADER];
        int vn = (req[0] >> 3) & 7;
        h[0] = (byte) (((nak ? 3 : li) << 6) | (vn << 3) | 4);
        h[1] = (byte) (nak ? 0 : cfg.synced() ? cfg.stratum() : 16);
        h[2] = req[2];
        h[3] = (byte) cfg.precision();
        if (nak) {
            System.arraycopy(KISS_NTSN, 0, h, 12, 4);
        } else {
            Bytes.put32(h, 4, cfg.rootDelay());
            Bytes.put32(h, 8, cfg.rootDispersion());
            System.arraycopy(cfg.refid(), 0, h, 12, 4);
            Bytes.put64(h, 16, t2 & 0xffffffff00000000L);
        }
        System.arraycopy(req, 40, h, 24, 8);
        Bytes.put64(h, 32, t2);
        Bytes.put64(h, 40, t3);
        return h;
    }

    private Result nts(Frame fr, byte[] src, boolean v6, int srcPort, byte[] req, List<Ef> efs, int li, long t2) {
        Ef uid = null, cookie = null, auth = null;
        int placeholders = 0, cookieBody = -1;
        for (Ef e : efs) {
            switch (e.type()) {
                case EF_UNIQUE_ID -> {
                    if (uid != null || e.bodyLength() < 32) return count(Outcome.DROP_NTS_MALFORMED);
                    uid = e;
                }
                case EF_COOKIE, EF_PLACEHOLDER -> {
                    if (cookieBody >= 0 && cookieBody != e.bodyLength()) return count(Outcome.DROP_NTS_MALFORMED);
                    cookieBody = e.bodyLength();
                    if (e.type() == EF_COOKIE) {
                        if (cookie != null) return count(Outcome.DROP_NTS_MALFORMED);
                        cookie = e;
                    } else {
                        placeholders++;
                    }
                }
                case EF_AUTHENTICATOR -> {
                    if (e.offset() + e.length() != req.length) return count(Outcome.DROP_NTS_MALFORMED);
                    auth = e;
                }
                default -> { }
            }
        }
        if (uid == null || cookie == null || auth == null) return count(Outcome.DROP_NTS_MALFORMED);
        int a = auth.bodyOffset();
        if (auth.bodyLength() < 4) return count(Outcome.DROP_NTS_MALFORMED);
        int nonceLen = Bytes.u16(req, a), ctLen = Bytes.u16(req, a + 2);
        int nonceSpace = (nonceLen + 3) & ~3, ctSpace = (ctLen + 3) & ~3;
        if (nonceLen < 16 || ctLen < 16 || 4 + nonceSpace + ctSpace > auth.bodyLength()) return count(Outcome.DROP_NTS_MALFORMED);
        final byte[] uidEf = Arrays.copyOfRange(req, uid.offset(), uid.offset() + uid.length());

        CookieCodec.Opened opened = cookies.open(Arrays.copyOfRange(req, cookie.bodyOffset(), cookie.bodyOffset() + cookie.bodyLength()));
        if (opened.keys() == null) return nak(fr, src, v6, srcPort, req, uidEf, t2, Outcome.ANSWER_NTS_NAK_COOKIE);
        byte[] nonce = Arrays.copyOfRange(req, a + 4, a + 4 + nonceLen);
        byte[] ct = Arrays.copyOfRange(req, a + 4 + nonceSpace, a + 4 + nonceSpace + ctLen);
        byte[] ad = Arrays.copyOfRange(req, 0, auth.offset());
        var plain = new AesSiv(opened.keys().c2s()).open(List.of(ad, nonce), ct);
        if (plain.isEmpty()) return nak(fr, src, v6, srcPort, req, uidEf, t2, Outcome.ANSWER_NTS_NAK_AUTH);
        // encrypted extension fields: placeholders there count too (RFC 8915 §5.7)
        byte[] pt = plain.get();
        for (int o = 0; o < pt.length; ) {
            int rem = pt.length - o;
            if (rem < 16) return count(Outcome.DROP_NTS_MALFORMED);
            int len = Bytes.u16(pt, o + 2);
            if (len < 16 || len % 4 != 0 || len > rem) return count(Outcome.DROP_NTS_MALFORMED);
            if (Bytes.u16(pt, o) == EF_PLACEHOLDER) {
                if (len - 4 != cookieBody) return count(Outcome.DROP_NTS_MALFORMED);
                placeholders++;
            }
            o += len;
        }
        int fresh = 1 + Math.min(placeholders, cfg.maxPlaceholders());
        // fresh cookies: one nonce each, then the answer's nonce (the order the hardware draws them)
        ByteArrayBuilder cookieEfs = new ByteArrayBuilder();
        for (int i = 0; i < fresh; i++) {
            byte[] c = cookies.seal(opened.keys(), nonces.next());
            cookieEfs.ef(EF_COOKIE, c);
        }
        byte[] answerNonce = nonces.next();
        byte[] s2c = opened.keys().s2c();
        byte[] plaintext = cookieEfs.toArray();
        int requestLength = req.length;
        return count(Outcome.ANSWER_NTS, tx -> {
            byte[] h = header(req, li, t2, cfg.clock().at(tx), false);
            byte[] adOut = concat(h, uidEf);
            byte[] sealed = new AesSiv(s2c).seal(List.of(adOut, answerNonce), plaintext);
            int authLen = 4 + 4 + 16 + sealed.length;
            int padding = requestLength - adOut.length - authLen;
            if (padding < 0) throw new IllegalStateException("NTS answer would exceed its request");
            byte[] authEf = new byte[authLen + padding];
            Bytes.put16(authEf, 0, EF_AUTHENTICATOR);
            Bytes.put16(authEf, 2, authEf.length);
            Bytes.put16(authEf, 4, 16);
            Bytes.put16(authEf, 6, sealed.length);
            System.arraycopy(answerNonce, 0, authEf, 8, 16);
            System.arraycopy(sealed, 0, authEf, 24, sealed.length);
            return udpFrame(fr, src, v6, srcPort, concat(adOut, authEf));
        });
    }

    private Result nak(Frame fr, byte[] src, boolean v6, int srcPort, byte[] req, byte[] uidEf, long t2, Outcome o) {
        return count(o, tx -> udpFrame(fr, src, v6, srcPort, concat(header(req, 3, t2, cfg.clock().at(tx), true), uidEf)));
    }

    // ---- §3 Ethernet answer framing ---------------------------------------------------------------
    private byte[] ethernet(Frame fr, int etherType, byte[] payload) {
        int l2 = fr.l3();
        int len = Math.max(ETH_MIN, l2 + payload.length);
        byte[] out = new byte[len];
        System.arraycopy(fr.b(), 6, out, 0, 6);
        System.arraycopy(cfg.mac(), 0, out, 6, 6);
        if (l2 == 18) System.arraycopy(fr.b(), 12, out, 12, 4); // the request's 802.1Q tag, unchanged
        Bytes.put16(out, l2 - 2, etherType);
        System.arraycopy(payload, 0, out, l2, payload.length);
        return out;
    }

    static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    /** Extension fields appended one after another. */
    static final class ByteArrayBuilder {
        private final java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();

        void ef(int type, byte[] body) {
            int len = 4 + ((body.length + 3) & ~3);
            byte[] e = new byte[len];
            Bytes.put16(e, 0, type);
            Bytes.put16(e, 2, len);
            System.arraycopy(body, 0, e, 4, body.length);
            out.writeBytes(e);
        }

        byte[] toArray() {
            return out.toByteArray();
        }
    }
}
