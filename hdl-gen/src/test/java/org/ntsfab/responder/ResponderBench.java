package org.ntsfab.responder;

import java.io.IOException;
import java.math.BigInteger;
import org.ntsfab.harness.Testbench;
import org.ntsfab.model.ConfigFile;
import org.ntsfab.model.ResponderConfig;

/**
 * What the responder stage benches share: the configuration ports set from a model configuration, and plain byte
 * helpers (big-endian fields, Internet checksums, a frame's layer offsets) written here from the RFCs, independent
 * of the generators under test.
 */
public final class ResponderBench {
    private ResponderBench() {}

    /** Configurations with non-default served fields, as TOML (one file drives model, generator and cfg ports). */
    public static final String VLAN_NO_FORWARD = """
            [interface]
            mac = "0a:1b:2c:3d:4e:5f"
            ipv4 = "203.0.113.77"
            ipv6 = "2001:db8:aa:bb::4d"
            vlan = 100
            forward_unmatched = false
            ttl = 17
            icmp_max_payload = 100
            [ntp]
            stratum = 3
            refid = "PPS"
            precision = -20
            root_delay = 74565
            root_dispersion = 424090
            synchronized = true
            [clock]
            start = "2026-12-31T23:59:59.5Z"
            leap = "insert"
            leap_event = "2027-01-01T00:00:00Z"
            """;
    public static final String IPV4_ONLY = """
            [interface]
            mac = "02:00:00:aa:00:01"
            ipv4 = "10.1.2.3"
            vlan = 7
            forward_unmatched = true
            ttl = 255
            icmp_max_payload = 0
            [ntp]
            stratum = 15
            refid = "ABCD"
            precision = -7
            root_delay = 1
            root_dispersion = 4294967295
            synchronized = false
            [nts]
            nonce_seed = "000102030405060708090a0b0c0d0e0f"
            current_key = 5
            [[nts.keys]]
            id = 5
            key = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
            """;
    public static final String IPV6_ONLY = """
            [interface]
            mac = "06:11:22:33:44:55"
            ipv6 = "fd00::1:2:3"
            forward_unmatched = false
            ttl = 1
            icmp_max_payload = 700
            [ntp]
            stratum = 2
            refid = "XFAC"
            precision = -30
            synchronized = true
            [clock]
            start = "2027-07-01T00:00:00Z"
            """;

    public static ConfigFile parse(String toml) {
        try {
            return ConfigFile.parse(toml);
        } catch (IOException e) {
            throw new IllegalArgumentException(e);
        }
    }

    public static BigInteger big(byte[] b) {
        return new BigInteger(1, b);
    }

    public static long u(byte[] b) {
        return big(b).longValue();
    }

    /** Every {@code cfg_*} port from the model's configuration. */
    public static void setCfg(Testbench tb, ResponderConfig c) {
        tb.set("cfg_mac", u(c.mac()));
        tb.set("cfg_ipv4_en", c.ipv4() != null ? 1 : 0);
        tb.set("cfg_ipv4", c.ipv4() != null ? u(c.ipv4()) : 0);
        tb.set("cfg_ipv6_en", c.ipv6() != null ? 1 : 0);
        tb.setBig("cfg_ipv6", c.ipv6() != null ? big(c.ipv6()) : BigInteger.ZERO);
        tb.set("cfg_vlan_en", c.vlan() >= 0 ? 1 : 0);
        tb.set("cfg_vlan", Math.max(c.vlan(), 0));
        tb.set("cfg_forward_unmatched", c.forwardUnmatched() ? 1 : 0);
        tb.set("cfg_icmp_max_payload", c.icmpMaxPayload());
        tb.set("cfg_ttl", c.ttl());
        tb.set("cfg_stratum", c.stratum());
        tb.set("cfg_precision", c.precision() & 0xff);
        tb.set("cfg_refid", u(c.refid()));
        tb.set("cfg_root_delay", c.rootDelay());
        tb.set("cfg_root_dispersion", c.rootDispersion());
        tb.set("cfg_synced", c.synced() ? 1 : 0);
        tb.set("cfg_nts_en", c.nts() != null ? 1 : 0);
    }

    // ---- bytes ------------------------------------------------------------------------------------
    public static int b(byte[] f, int i) {
        return i < f.length ? f[i] & 0xff : 0;
    }

    public static int u16(byte[] f, int i) {
        return (b(f, i) << 8) | b(f, i + 1);
    }

    /** Big-endian field of {@code n} bytes (bytes past the end read 0). */
    public static BigInteger field(byte[] f, int off, int n) {
        byte[] x = new byte[n];
        for (int i = 0; i < n; i++) x[i] = (byte) b(f, off + i);
        return big(x);
    }

    public static long lfield(byte[] f, int off, int n) {
        return field(f, off, n).longValue();
    }

    public static boolean tagged(byte[] f) {
        return u16(f, 12) == 0x8100;
    }

    public static int l3(byte[] f) {
        return tagged(f) ? 18 : 14;
    }

    public static int etherType(byte[] f) {
        return u16(f, l3(f) - 2);
    }

    /** Ones'-complement sum (not folded to 16 bits' complement) of bytes {@code [from, to)} as 16-bit words. */
    public static long sum(byte[] f, int from, int to) {
        long s = 0;
        for (int p = from; p < to; p++) s += ((p - from) % 2 == 0 ? b(f, p) << 8 : b(f, p));
        return s;
    }

    public static int fold(long s) {
        while (s > 0xffff) s = (s & 0xffff) + (s >>> 16);
        return (int) s;
    }

    public static void put16(byte[] f, int off, int v) {
        f[off] = (byte) (v >>> 8);
        f[off + 1] = (byte) v;
    }

    /**
     * Recomputes the IPv4 header checksum and the UDP / ICMP / ICMPv6 checksum of a frame whose fields a test
     * changed, where the lengths fit the frame (so a mutated field reaches the rule it is meant for, not a checksum
     * rule). A UDP checksum of zero stays zero.
     */
    public static byte[] refix(byte[] f) {
        byte[] g = f.clone();
        int l3 = l3(g), et = etherType(g);
        if (et == 0x0800 && g.length >= l3 + 20) {
            int ihl = 4 * (b(g, l3) & 0x0f);
            if (ihl < 20 || g.length < l3 + ihl) return g;
            put16(g, l3 + 10, 0);
            put16(g, l3 + 10, ~fold(sum(g, l3, l3 + ihl)) & 0xffff);
            int total = u16(g, l3 + 2), l4 = l3 + ihl, len = total - ihl;
            if (len < 8 || l3 + total > g.length) return g;
            long pseudo = sum(g, l3 + 12, l3 + 20);
            l4Fix(g, b(g, l3 + 9), l4, len, pseudo, false);
        } else if (et == 0x86dd && g.length >= l3 + 40) {
            int len = u16(g, l3 + 4), l4 = l3 + 40;
            if (len < 8 || l4 + len > g.length) return g;
            long pseudo = sum(g, l3 + 8, l3 + 40);
            l4Fix(g, b(g, l3 + 6), l4, len, pseudo, true);
        }
        return g;
    }

    private static void l4Fix(byte[] g, int proto, int l4, int len, long pseudo, boolean v6) {
        if (proto == 17) {
            if (u16(g, l4 + 6) == 0) return;
            put16(g, l4 + 6, 0);
            int s = ~fold(pseudo + 17 + len + sum(g, l4, l4 + len)) & 0xffff;
            put16(g, l4 + 6, s == 0 ? 0xffff : s);
        } else if (proto == 1 && !v6 || proto == 58 && v6) {
            put16(g, l4 + 2, 0);
            put16(g, l4 + 2, ~fold((v6 ? pseudo + 58 + len : 0) + sum(g, l4, l4 + len)) & 0xffff);
        }
    }
}
