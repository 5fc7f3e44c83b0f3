package org.ntsfab.sim;

import java.util.HexFormat;

/**
 * Names the field a byte offset of an answer frame belongs to (Ethernet, 802.1Q, ARP, IPv4, IPv6,
 * UDP, ICMP, NTP header fields, extension fields), so a mismatch report says "NTP transmit
 * timestamp" instead of "byte 82".
 */
public final class FrameFields {
    private FrameFields() {}

    private static int u16(byte[] f, int o) {
        return o + 1 < f.length ? ((f[o] & 0xff) << 8) | (f[o + 1] & 0xff) : -1;
    }

    /** True for an ICMP echo reply (type 0) or ICMPv6 echo reply (129), with or without a tag. */
    public static boolean isEchoReply(byte[] f) {
        int l3 = u16(f, 12) == 0x8100 ? 18 : 14;
        int et = u16(f, l3 - 2);
        if (et == 0x0800 && f.length > l3 + 20) {
            int ihl = 4 * (f[l3] & 0x0f);
            return (f[l3 + 9] & 0xff) == 1 && f.length > l3 + ihl && f[l3 + ihl] == 0;
        }
        if (et == 0x86dd && f.length > l3 + 40) return (f[l3 + 6] & 0xff) == 58 && (f[l3 + 40] & 0xff) == 129;
        return false;
    }

    /** The UDP source port of an IPv4 (any header length) or IPv6 frame, optionally tagged; -1 when not UDP. */
    public static int udpSourcePort(byte[] f) {
        int l4 = udpOffset(f);
        return l4 < 0 ? -1 : u16(f, l4);
    }

    public static int udpDestinationPort(byte[] f) {
        int l4 = udpOffset(f);
        return l4 < 0 ? -1 : u16(f, l4 + 2);
    }

    private static int udpOffset(byte[] f) {
        if (f.length < 18) return -1;
        int l3 = u16(f, 12) == 0x8100 ? 18 : 14;
        int et = u16(f, l3 - 2);
        int l4;
        if (et == 0x0800 && f.length > l3 + 20 && (f[l3 + 9] & 0xff) == 17) l4 = l3 + 4 * (f[l3] & 0x0f);
        else if (et == 0x86dd && f.length > l3 + 40 && (f[l3 + 6] & 0xff) == 17) l4 = l3 + 40;
        else return -1;
        return f.length >= l4 + 8 ? l4 : -1;
    }

    /** An NTP answer longer than the 48-byte header (NTS answers and NAKs carry extension fields). */
    public static boolean isNtsAnswer(byte[] f) {
        int l3 = u16(f, 12) == 0x8100 ? 18 : 14;
        int et = u16(f, l3 - 2);
        int l4, proto;
        if (et == 0x0800 && f.length > l3 + 20) {
            l4 = l3 + 4 * (f[l3] & 0x0f);
            proto = f[l3 + 9] & 0xff;
        } else if (et == 0x86dd && f.length > l3 + 40) {
            l4 = l3 + 40;
            proto = f[l3 + 6] & 0xff;
        } else {
            return false;
        }
        return proto == 17 && f.length >= l4 + 8 && u16(f, l4) == 123 && u16(f, l4 + 4) > 8 + 48;
    }

    /** The field at byte {@code i} of frame {@code f}. */
    public static String fieldAt(byte[] f, int i) {
        if (i < 6) return "Ethernet destination";
        if (i < 12) return "Ethernet source";
        boolean tag = u16(f, 12) == 0x8100;
        if (tag && i < 16) return i < 14 ? "802.1Q TPID" : "802.1Q TCI";
        int l3 = tag ? 18 : 14;
        if (i < l3) return "EtherType";
        int et = u16(f, l3 - 2);
        int r = i - l3;
        int l4;
        int proto;
        if (et == 0x0806) {
            String[] names = {"htype", "htype", "ptype", "ptype", "hlen", "plen", "operation", "operation"};
            if (r < 8) return "ARP " + names[r];
            return r < 14 ? "ARP sender MAC" : r < 18 ? "ARP sender IP" : r < 24 ? "ARP target MAC" : r < 28 ? "ARP target IP" : "padding";
        } else if (et == 0x0800) {
            int ihl = f.length > l3 ? 4 * (f[l3] & 0x0f) : 20;
            if (r < ihl) {
                String[] names = {"version/IHL", "TOS", "total length", "total length", "identification", "identification", "flags/fragment",
                        "flags/fragment", "TTL", "protocol", "header checksum", "header checksum"};
                if (r < 12) return "IPv4 " + names[r];
                return r < 16 ? "IPv4 source" : r < 20 ? "IPv4 destination" : "IPv4 options";
            }
            l4 = l3 + ihl;
            proto = f.length > l3 + 9 ? f[l3 + 9] & 0xff : -1;
            int total = u16(f, l3 + 2);
            if (total >= 0 && i >= l3 + total) return "padding";
        } else if (et == 0x86dd) {
            if (r < 40) {
                return r < 4 ? "IPv6 version/class/flow" : r < 6 ? "IPv6 payload length" : r == 6 ? "IPv6 next header" : r == 7 ? "IPv6 hop limit"
                        : r < 24 ? "IPv6 source" : "IPv6 destination";
            }
            l4 = l3 + 40;
            proto = f[l3 + 6] & 0xff;
            int plen = u16(f, l3 + 4);
            if (plen >= 0 && i >= l4 + plen) return "padding";
        } else {
            return "payload";
        }
        int q = i - l4;
        if (proto == 1 || proto == 58) {
            return q < 1 ? "ICMP type" : q < 2 ? "ICMP code" : q < 4 ? "ICMP checksum" : q < 6 ? "ICMP identifier" : q < 8 ? "ICMP sequence" : "ICMP data";
        }
        if (proto != 17) return "IP payload";
        if (q < 8) return q < 2 ? "UDP source port" : q < 4 ? "UDP destination port" : q < 6 ? "UDP length" : "UDP checksum";
        int n = q - 8;
        if (n >= 48) return "NTP extension field (byte " + (n - 48) + " after the header)";
        String[] ntp = {"LI/VN/mode", "stratum", "poll", "precision"};
        if (n < 4) return "NTP " + ntp[n];
        return n < 8 ? "NTP root delay" : n < 12 ? "NTP root dispersion" : n < 16 ? "NTP reference id" : n < 24 ? "NTP reference timestamp"
                : n < 32 ? "NTP origin timestamp" : n < 40 ? "NTP receive timestamp (T2)" : "NTP transmit timestamp (T3)";
    }

    /** "field F at byte i: expected .. got .." for the first difference, or the length difference. */
    public static String describeDifference(byte[] expected, byte[] actual) {
        HexFormat hex = HexFormat.of();
        if (expected == null) return "unexpected frame (" + actual.length + " B) " + hex.formatHex(actual, 0, Math.min(actual.length, 64));
        int n = Math.min(expected.length, actual.length);
        for (int i = 0; i < n; i++) {
            if (expected[i] != actual[i]) {
                int from = i, to = Math.min(n, i + 8);
                // the other fields that differ too (a checksum alone, or the bytes it sums)
                StringBuilder more = new StringBuilder();
                int others = 0;
                String last = fieldAt(expected, i);
                for (int k = to; k < n; k++) {
                    if (expected[k] == actual[k]) continue;
                    others++;
                    String f = fieldAt(expected, k);
                    if (!f.equals(last) && more.length() < 300) more.append(more.length() == 0 ? "" : ", ").append(f).append(" at byte ").append(k);
                    last = f;
                }
                return String.format("%s at byte %d: expected %s, got %s (lengths %d / %d)%s", fieldAt(expected, i), i,
                        hex.formatHex(expected, from, Math.min(expected.length, to)), hex.formatHex(actual, from, Math.min(actual.length, to)),
                        expected.length, actual.length, others == 0 ? "; no other byte differs" : "; " + others + " more bytes differ: " + more);
            }
        }
        return expected.length == actual.length ? "equal" : "length: expected " + expected.length + " bytes, got " + actual.length;
    }
}
