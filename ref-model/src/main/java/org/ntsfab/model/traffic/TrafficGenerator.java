package org.ntsfab.model.traffic;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.ntsfab.model.ConfigFile;
import org.ntsfab.model.Responder;
import org.ntsfab.model.nts.CookieCodec;
import org.ntsfab.model.nts.MasterKeys;
import org.ntsfab.model.pcap.Pcap;

/**
 * A realistic mixed request corpus for the model and the simulator: NTP v1–4 over IPv4 and IPv6,
 * NTS with valid and broken cookies and authenticators and 0–7 placeholders, ARP, ICMP, NDP, NTP
 * control/other modes, other ports, frames for others, and malformed variants of all of them.
 * Deterministic from the seed. Frames never overlap on a bus of 8 bytes per cycle.
 */
public final class TrafficGenerator {
    public static final Map<String, Integer> DEFAULT_MIX = defaultMix();
    /** The largest corpus generated in one go (it is held in memory: 100-400 bytes a frame with its record, up to about 1 GB). */
    public static final int MAX_FRAMES = 2_000_000;

    private static Map<String, Integer> defaultMix() {
        Map<String, Integer> m = new LinkedHashMap<>();
        m.put("ntp", 30);
        m.put("ntp6", 8);
        m.put("ntp_old", 4);
        m.put("ntp_ef", 3);
        m.put("nts", 25);
        m.put("nts6", 5);
        m.put("nts_bad_cookie", 3);
        m.put("nts_bad_auth", 3);
        m.put("nts_malformed", 3);
        m.put("arp", 2);
        m.put("icmp", 2);
        m.put("icmp6", 1);
        m.put("ndp", 1);
        m.put("control", 2);
        m.put("other_port", 2);
        m.put("not_for_us", 2);
        m.put("malformed", 5);
        m.put("junk", 2);
        return m;
    }

    public static Map<String, Integer> parseMix(String s) {
        Map<String, Integer> m = new LinkedHashMap<>();
        for (String part : s.split(",")) {
            String[] kv = part.trim().split("=");
            if (kv.length != 2 || !DEFAULT_MIX.containsKey(kv[0]))
                throw new IllegalArgumentException("mix entries are kind=weight with kinds " + DEFAULT_MIX.keySet());
            m.put(kv[0], Integer.parseInt(kv[1]));
        }
        return m;
    }

    private final ConfigFile cfg;
    private final Random r;
    private final FrameBuilder.Endpoints[] clients;
    private final List<CookieCodec.Keys> sessionKeys = new ArrayList<>();
    private final List<byte[]> sessionCookies = new ArrayList<>();

    public TrafficGenerator(ConfigFile cfg, long seed) {
        this.cfg = cfg;
        this.r = new Random(seed);
        clients = new FrameBuilder.Endpoints[16];
        for (int i = 0; i < clients.length; i++) {
            byte[] mac = {2, 0, 0, 0, (byte) (i >> 8), (byte) i};
            byte[] ip4 = {(byte) 198, 51, 100, (byte) (10 + i)};
            byte[] ip6 = new byte[16];
            ip6[0] = 0x20;
            ip6[1] = 0x01;
            ip6[2] = 0x0d;
            ip6[3] = (byte) 0xb8;
            ip6[15] = (byte) (0x40 + i);
            clients[i] = new FrameBuilder.Endpoints(cfg.mac(), cfg.ipv4(), cfg.ipv6(), mac, ip4, ip6, cfg.vlan());
        }
        if (!cfg.ntsKeys().isEmpty()) {
            // sessions of both AEADs (15: 100-byte cookies, 17: 164-byte), every fourth cookie under a live key that is not
            // the current one (a key rotated out but still accepted)
            List<Long> ids = new ArrayList<>(new java.util.TreeSet<>(cfg.ntsKeys().keySet()));
            for (int i = 0; i < 8; i++) {
                CookieCodec.Keys k = NtsClient.keys(r, i % 2 == 0 ? CookieCodec.AEAD_AES_SIV_CMAC_256 : CookieCodec.AEAD_AES_SIV_CMAC_512);
                byte[] nonce = new byte[16];
                r.nextBytes(nonce);
                long id = cfg.ntsCurrentKey();
                if (i % 4 == 3 && ids.size() > 1) id = ids.get(ids.get(0) == id ? 1 : 0);
                sessionKeys.add(k);
                sessionCookies.add(new CookieCodec(new MasterKeys(cfg.ntsKeys(), id)).seal(k, nonce));
            }
        }
    }

    /** {@code count} frames starting at {@code start}, kinds drawn by weight. */
    public List<Pcap.Record> generate(int count, Map<String, Integer> mix, Instant start) {
        if (count < 0 || count > MAX_FRAMES) throw new IllegalArgumentException("count " + count + " is not 0.." + MAX_FRAMES);
        List<String> kinds = new ArrayList<>();
        for (Map.Entry<String, Integer> e : mix.entrySet()) for (int i = 0; i < e.getValue(); i++) kinds.add(e.getKey());
        if (kinds.isEmpty()) throw new IllegalArgumentException("empty mix");
        List<Pcap.Record> out = new ArrayList<>();
        double hz = cfg.frequencyHz();
        long cycle = 0;
        for (int n = 0; n < count; n++) {
            byte[] f = frame(kinds.get(r.nextInt(kinds.size())));
            out.add(new Pcap.Record(start.plusNanos(Math.round(cycle * 1e9 / hz)), f));
            // the next frame starts after this one has passed (8 bytes per cycle) plus a random gap
            cycle += (f.length + 7) / 8 + (r.nextInt(4) == 0 ? 0 : 1 + r.nextInt(r.nextInt(10) == 0 ? 5000 : 40));
        }
        return out;
    }

    /**
     * The same frames, retimed so that each request with NTP extension fields (UDP to port 123, more than 48
     * bytes) starts at least {@code cycles} clock cycles after the previous one; everything after it moves
     * with it. For corpora an NTS core of known capacity can serve without overload.
     */
    public static List<Pcap.Record> spaceNts(List<Pcap.Record> in, long cycles, double hz) {
        List<Pcap.Record> out = new ArrayList<>();
        long shiftNs = 0, last = Long.MIN_VALUE / 2;
        long gapNs = Math.round(cycles * 1e9 / hz);
        Instant t0 = in.isEmpty() ? Instant.EPOCH : in.get(0).time();
        for (Pcap.Record rec : in) {
            long t = java.time.Duration.between(t0, rec.time()).toNanos() + shiftNs;
            if (ntpWithFields(rec.frame())) {
                if (t < last + gapNs) {
                    shiftNs += last + gapNs - t;
                    t = last + gapNs;
                }
                last = t;
            }
            out.add(new Pcap.Record(t0.plusNanos(t), rec.frame()));
        }
        return out;
    }

    private static boolean ntpWithFields(byte[] f) {
        if (f.length < 18) return false;
        int l3 = ((f[12] & 0xff) << 8 | (f[13] & 0xff)) == 0x8100 ? 18 : 14;
        int et = (f[l3 - 2] & 0xff) << 8 | (f[l3 - 1] & 0xff);
        int l4;
        if (et == 0x0800 && f.length >= l3 + 20 && f[l3 + 9] == 17) l4 = l3 + 4 * (f[l3] & 0x0f);
        else if (et == 0x86dd && f.length >= l3 + 40 && f[l3 + 6] == 17) l4 = l3 + 40;
        else return false;
        if (f.length < l4 + 8) return false;
        int dport = (f[l4 + 2] & 0xff) << 8 | (f[l4 + 3] & 0xff), ulen = (f[l4 + 4] & 0xff) << 8 | (f[l4 + 5] & 0xff);
        return dport == 123 && ulen > 8 + 48;
    }

    private FrameBuilder.Endpoints client() {
        return clients[r.nextInt(clients.length)];
    }

    private long transmit() {
        return r.nextLong();
    }

    private byte[] ntsPayload(int session, int placeholders, boolean badCookie, boolean badAuth) {
        byte[] uid = new byte[32 + 4 * r.nextInt(3)];
        r.nextBytes(uid);
        byte[] nonce = new byte[r.nextInt(4) == 0 ? 16 + r.nextInt(9) : 16];  // nonces longer than 16 bytes, odd lengths too
        r.nextBytes(nonce);
        byte[] cookie = sessionCookies.get(session).clone();
        if (cookie.length > 100) placeholders = Math.min(placeholders, 6);  // AEAD 17: 7 placeholders of 168 bytes exceed a 1500-byte MTU
        if (badCookie && r.nextInt(3) == 0) {
            long unknown = 0x7f000000L + r.nextInt(1 << 20);  // a key id no configuration here uses
            while (cfg.ntsKeys().containsKey(unknown)) unknown++;
            for (int i = 0; i < 4; i++) cookie[i] = (byte) (unknown >>> (24 - 8 * i));
        } else if (badCookie) {
            cookie[r.nextInt(cookie.length)] ^= (byte) (1 << r.nextInt(8));
        }
        byte[] c2s = sessionKeys.get(session).c2s().clone();
        if (badAuth) c2s[r.nextInt(c2s.length)] ^= 1;
        // sometimes some of the placeholders, and an unknown field, inside the authenticator (RFC 8915 §5.7)
        byte[] encrypted = new byte[0];
        if (r.nextInt(4) == 0) {
            int inside = placeholders == 0 ? 0 : r.nextInt(placeholders + 1);
            placeholders -= inside;
            for (int i = 0; i < inside; i++) encrypted = FrameBuilder.concat(encrypted, FrameBuilder.ef(Responder.EF_PLACEHOLDER, new byte[cookie.length]));
            if (r.nextBoolean()) encrypted = FrameBuilder.concat(encrypted, FrameBuilder.ef(0x3000 + r.nextInt(16), new byte[12 + 4 * r.nextInt(5)]));
        }
        return NtsClient.request(FrameBuilder.ntpRequest(4, 3, transmit()), uid, cookie, placeholders, c2s, nonce, encrypted);
    }

    private boolean hasNts() {
        return !sessionCookies.isEmpty();
    }

    byte[] frame(String kind) {
        FrameBuilder.Endpoints c = client();
        int port = 1024 + r.nextInt(60000);
        boolean v6ok = cfg.ipv6() != null, v4ok = cfg.ipv4() != null;
        switch (kind) {
            case "ntp":
                if (!v4ok) return frame("ntp6");
                return FrameBuilder.udpFrame(c, false, port, 123, FrameBuilder.ntpRequest(4, 3, transmit()));
            case "ntp6":
                if (!v6ok) return frame("arp");
                return FrameBuilder.udpFrame(c, true, port, 123, FrameBuilder.ntpRequest(4, 3, transmit()));
            case "ntp_old":
                return FrameBuilder.udpFrame(c, !v4ok, port, 123, FrameBuilder.ntpRequest(1 + r.nextInt(3), 3, transmit()));
            case "ntp_ef": { // NTPv4 with extension fields: unknown but well formed, a legacy MAC, or broken lengths
                byte[] p = FrameBuilder.ntpRequest(4, 3, transmit());
                switch (r.nextInt(4)) {
                    case 0 -> p = FrameBuilder.concat(p, FrameBuilder.ef(0x2000 + r.nextInt(0x100), new byte[12 + 4 * r.nextInt(20)]));
                    case 1 -> p = FrameBuilder.concat(p, FrameBuilder.ef(0x2005, new byte[12 + 4 * r.nextInt(4)]),
                            FrameBuilder.ef(0x2006, new byte[24 + 4 * r.nextInt(10)]));
                    case 2 -> {
                        byte[] mac = new byte[r.nextBoolean() ? 20 : 24];
                        r.nextBytes(mac);
                        p = FrameBuilder.concat(p, mac);
                    }
                    default -> {
                        byte[] e = FrameBuilder.ef(0x2007, new byte[28]);
                        int len = switch (r.nextInt(3)) { case 0 -> 30; case 1 -> 12; default -> 64; };
                        e[2] = (byte) (len >> 8);
                        e[3] = (byte) len;
                        p = FrameBuilder.concat(p, e);
                    }
                }
                return FrameBuilder.udpFrame(c, !v4ok || (v6ok && r.nextInt(4) == 0), port, 123, p);
            }
            case "nts":
            case "nts6":
                if (!hasNts()) return frame("ntp");
                return FrameBuilder.udpFrame(c, kind.equals("nts6") ? v6ok : !v4ok, port, 123,
                        ntsPayload(r.nextInt(sessionCookies.size()), r.nextInt(8) == 0 ? r.nextInt(8) : r.nextInt(2), false, false));
            case "nts_bad_cookie":
                if (!hasNts()) return frame("ntp");
                return FrameBuilder.udpFrame(c, !v4ok, port, 123, ntsPayload(r.nextInt(sessionCookies.size()), r.nextInt(2), true, false));
            case "nts_bad_auth":
                if (!hasNts()) return frame("ntp");
                return FrameBuilder.udpFrame(c, !v4ok, port, 123, ntsPayload(r.nextInt(sessionCookies.size()), r.nextInt(2), false, true));
            case "nts_malformed": {
                if (!hasNts()) return frame("ntp");
                byte[] p = ntsPayload(r.nextInt(sessionCookies.size()), 1, false, false);
                switch (r.nextInt(4)) {
                    case 0 -> p = Arrays.copyOf(p, p.length - 4 * (1 + r.nextInt(4))); // authenticator cut short
                    case 1 -> p[48 + 36 + 104 + 3] = 96; // placeholder shorter than the cookie
                    case 2 -> p[48 + 3] = 20;           // unique identifier below 32 bytes (walk breaks too)
                    default -> p = FrameBuilder.concat(p, FrameBuilder.ef(0x7777, new byte[28])); // authenticator not last
                }
                return FrameBuilder.udpFrame(c, !v4ok, port, 123, p);
            }
            case "arp": {
                if (!v4ok) return frame("ndp");
                byte[] arp = new byte[28];
                arp[1] = 1;
                arp[2] = 8;
                arp[4] = 6;
                arp[5] = 4;
                arp[7] = (byte) (r.nextInt(5) == 0 ? 2 : 1);
                System.arraycopy(c.clientMac(), 0, arp, 8, 6);
                System.arraycopy(c.clientIp4(), 0, arp, 14, 4);
                System.arraycopy(r.nextInt(4) == 0 ? c.clientIp4() : cfg.ipv4(), 0, arp, 24, 4);
                return FrameBuilder.ethernet(new byte[] {-1, -1, -1, -1, -1, -1}, c.clientMac(), cfg.vlan(), 0x0806, arp);
            }
            case "icmp": {
                if (!v4ok) return frame("icmp6");
                byte[] rest = new byte[4 + r.nextInt(120)];
                r.nextBytes(rest);
                return FrameBuilder.ethernet(cfg.mac(), c.clientMac(), cfg.vlan(), 0x0800,
                        FrameBuilder.ipv4(c.clientIp4(), cfg.ipv4(), 1, 64, FrameBuilder.icmp(r.nextInt(6) == 0 ? 13 : 8, 0, rest, null, null)));
            }
            case "icmp6": {
                if (!v6ok) return frame("icmp");
                byte[] rest = new byte[4 + r.nextInt(120)];
                r.nextBytes(rest);
                return FrameBuilder.ethernet(cfg.mac(), c.clientMac(), cfg.vlan(), 0x86dd,
                        FrameBuilder.ipv6(c.clientIp6(), cfg.ipv6(), 58, 64, FrameBuilder.icmp(128, 0, rest, c.clientIp6(), cfg.ipv6())));
            }
            case "ndp": {
                if (!v6ok) return frame("arp");
                byte[] sn = new byte[16];
                sn[0] = (byte) 0xff;
                sn[1] = 2;
                sn[11] = 1;
                sn[12] = (byte) 0xff;
                System.arraycopy(cfg.ipv6(), 13, sn, 13, 3);
                byte[] mac = {0x33, 0x33, (byte) 0xff, cfg.ipv6()[13], cfg.ipv6()[14], cfg.ipv6()[15]};
                byte[] ns = FrameBuilder.concat(new byte[4], cfg.ipv6(), new byte[] {1, 1}, c.clientMac());
                return FrameBuilder.ethernet(mac, c.clientMac(), cfg.vlan(), 0x86dd,
                        FrameBuilder.ipv6(c.clientIp6(), sn, 58, 255, FrameBuilder.icmp(135, 0, ns, c.clientIp6(), sn)));
            }
            case "control":
                return FrameBuilder.udpFrame(c, !v4ok, port, 123, FrameBuilder.ntpRequest(2 + r.nextInt(3), 6 + r.nextInt(2), transmit()));
            case "other_port":
                return FrameBuilder.udpFrame(c, !v4ok, port, 1 + r.nextInt(1000), FrameBuilder.ntpRequest(4, 3, transmit()));
            case "not_for_us": {
                byte[] f = FrameBuilder.udpFrame(c, !v4ok, port, 123, FrameBuilder.ntpRequest(4, 3, transmit()));
                f[5] ^= 0x55;
                return f;
            }
            case "malformed": {
                byte[] f = frame(new String[] {"ntp", "nts", "icmp", "ntp6", "arp"}[r.nextInt(5)]);
                switch (r.nextInt(5)) {
                    case 0 -> f = Arrays.copyOf(f, Math.max(14, f.length - 1 - r.nextInt(20)));          // truncated (maybe a runt)
                    case 1 -> f[14 + r.nextInt(f.length - 14)] ^= (byte) (1 << r.nextInt(8));           // a flipped bit somewhere
                    case 2 -> f = FrameBuilder.concat(f, new byte[1400 + r.nextInt(200)]);               // padded, maybe oversized
                    case 3 -> f[17] = (byte) (f[17] + 1 + r.nextInt(20));                                 // IP length off
                    default -> f[r.nextInt(14)] ^= (byte) (1 << r.nextInt(8));                            // header bit
                }
                return f;
            }
            default: { // junk: other EtherTypes and random bytes
                byte[] p = new byte[46 + r.nextInt(200)];
                r.nextBytes(p);
                return FrameBuilder.ethernet(cfg.mac(), c.clientMac(), cfg.vlan(), r.nextBoolean() ? 0x88f7 : r.nextInt(0x600), p);
            }
        }
    }

}
