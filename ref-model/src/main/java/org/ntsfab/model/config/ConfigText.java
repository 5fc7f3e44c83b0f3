package org.ntsfab.model.config;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Text forms of the configuration's addresses, keys and instants, parsed by this code alone: no name is ever looked up
 * (an IPv4 or IPv6 literal never goes to {@link java.net.InetAddress}, which resolves anything it does not
 * recognise through DNS), and nothing is coerced (no octal or short IPv4 forms, no hour 24, no second 60). Each
 * parser returns null for text that is not of its form.
 */
public final class ConfigText {
    private ConfigText() {}

    /** Dotted-decimal IPv4: exactly four decimal octets 0..255, no leading zeros (so "010" is not read as octal 8 or as 10). */
    public static byte[] ipv4(String s) {
        String[] parts = s.split("\\.", -1);
        if (parts.length != 4) return null;
        byte[] a = new byte[4];
        for (int k = 0; k < 4; k++) {
            int v = octet(parts[k]);
            if (v < 0) return null;
            a[k] = (byte) v;
        }
        return a;
    }

    private static int octet(String p) {
        if (p.isEmpty() || p.length() > 3 || p.length() > 1 && p.charAt(0) == '0') return -1;
        int v = 0;
        for (int i = 0; i < p.length(); i++) {
            char c = p.charAt(i);
            if (c < '0' || c > '9') return -1;
            v = v * 10 + (c - '0');
        }
        return v <= 255 ? v : -1;
    }

    /**
     * IPv6 in the text forms of RFC 4291 section 2.2: eight groups of 1..4 hex digits separated by colons; one "::"
     * at most, standing for one or more groups of zeros; the last 32 bits optionally as a dotted IPv4 address
     * ({@code ::ffff:192.0.2.1}). No zone id ({@code %eth0}), no brackets, no prefix length.
     */
    public static byte[] ipv6(String s) {
        if (s.isEmpty() || s.indexOf('%') >= 0) return null;
        int dc = s.indexOf("::");
        if (dc >= 0 && s.indexOf("::", dc + 1) >= 0) return null;  // a second "::" (also ":::")
        String head = dc >= 0 ? s.substring(0, dc) : s, tail = dc >= 0 ? s.substring(dc + 2) : "";
        int[] h = groups(head, dc < 0), t = dc >= 0 ? groups(tail, true) : new int[0];
        if (h == null || t == null) return null;
        int n = h.length + t.length;
        if (dc < 0 ? n != 8 : n > 7) return null;
        byte[] a = new byte[16];
        for (int k = 0; k < h.length; k++) put16(a, k, h[k]);
        for (int k = 0; k < t.length; k++) put16(a, 8 - t.length + k, t[k]);
        return a;
    }

    private static void put16(byte[] a, int group, int v) {
        a[2 * group] = (byte) (v >> 8);
        a[2 * group + 1] = (byte) v;
    }

    /** Colon-separated groups (an empty string: none); {@code last}: the part that ends the address, where a dotted IPv4 may stand. */
    private static int[] groups(String part, boolean last) {
        if (part.isEmpty()) return new int[0];
        String[] p = part.split(":", -1);
        boolean v4 = last && p[p.length - 1].indexOf('.') >= 0;
        int[] g = new int[p.length + (v4 ? 1 : 0)];
        for (int k = 0; k < p.length; k++) {
            if (v4 && k == p.length - 1) {
                byte[] b = ipv4(p[k]);
                if (b == null) return null;
                g[k] = (b[0] & 0xff) << 8 | b[1] & 0xff;
                g[k + 1] = (b[2] & 0xff) << 8 | b[3] & 0xff;
            } else {
                if (p[k].isEmpty() || p[k].length() > 4) return null;
                int v = 0;
                for (int i = 0; i < p[k].length(); i++) {
                    int d = hex(p[k].charAt(i));
                    if (d < 0) return null;
                    v = v << 4 | d;
                }
                g[k] = v;
            }
        }
        return g;
    }

    /** A MAC address: six octets of two hex digits, all separated by ':' or all by '-' ({@code 02:00:5e:10:00:01}). */
    public static byte[] mac(String s) {
        if (s.length() != 17) return null;
        char sep = s.charAt(2);
        if (sep != ':' && sep != '-') return null;
        byte[] m = new byte[6];
        for (int k = 0; k < 6; k++) {
            if (k > 0 && s.charAt(3 * k - 1) != sep) return null;
            int hi = hex(s.charAt(3 * k)), lo = hex(s.charAt(3 * k + 1));
            if (hi < 0 || lo < 0) return null;
            m[k] = (byte) (hi << 4 | lo);
        }
        return m;
    }

    private static int hex(char c) {
        return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
    }

    /** Exactly {@code digits} hex digits (0-9, a-f, A-F) as bytes, or null. */
    public static byte[] hexBytes(String s, int digits) {
        if (s.length() != digits || digits % 2 != 0) return null;
        byte[] b = new byte[digits / 2];
        for (int k = 0; k < b.length; k++) {
            int hi = hex(s.charAt(2 * k)), lo = hex(s.charAt(2 * k + 1));
            if (hi < 0 || lo < 0) return null;
            b[k] = (byte) (hi << 4 | lo);
        }
        return b;
    }

    private static final Pattern INSTANT = Pattern.compile(
            "(\\d{4})-(\\d{2})-(\\d{2})[Tt ](\\d{2}):(\\d{2}):(\\d{2})(?:\\.(\\d{1,9}))?(?:([Zz])|([+-])(\\d{2}):(\\d{2}))");

    /**
     * An ISO-8601 / RFC 3339 instant: date, 'T' (or a space, as RFC 3339 allows), time with optional fraction of at
     * most 9 digits, and 'Z' or a numeric offset ({@code 2026-11-24T00:00:00Z}, {@code 2026-11-24T01:00:00+01:00}).
     * Every field must be in range (no hour 24, no second 60, no February 30); a time without offset is not an instant.
     */
    public static Instant instant(String s) {
        Matcher m = INSTANT.matcher(s);
        if (!m.matches()) return null;
        try {
            String frac = m.group(7) == null ? "" : m.group(7);
            int nanos = frac.isEmpty() ? 0 : Integer.parseInt((frac + "00000000").substring(0, 9));
            LocalDateTime t = LocalDateTime.of(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3)),
                    Integer.parseInt(m.group(4)), Integer.parseInt(m.group(5)), Integer.parseInt(m.group(6)), nanos);
            int offH = m.group(8) != null ? 0 : Integer.parseInt(m.group(10)), offM = m.group(8) != null ? 0 : Integer.parseInt(m.group(11));
            if (offH > 23 || offM > 59) return null;
            int off = (offH * 3600 + offM * 60) * ("-".equals(m.group(9)) ? -1 : 1);
            return t.toInstant(ZoneOffset.ofTotalSeconds(off));
        } catch (DateTimeException e) {
            return null;
        }
    }
}
