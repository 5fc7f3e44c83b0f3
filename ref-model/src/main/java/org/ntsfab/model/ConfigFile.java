package org.ntsfab.model;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.ntsfab.model.clock.NtpClock;
import org.ntsfab.model.config.ConfigException;
import org.ntsfab.model.config.ConfigText;
import org.ntsfab.model.config.TomlTable;
import org.ntsfab.model.nts.KeyFile;
import org.ntsfab.model.nts.MasterKeys;

/**
 * The one configuration file (TOML) that drives the model, the generator and the simulator. See
 * README "Configuration" for every key. Parsing is strict: unknown sections or keys are errors, so a
 * typo never silently falls back to a default.
 */
public record ConfigFile(
        byte[] mac, byte[] ipv4, byte[] ipv6, int vlan, boolean forwardUnmatched, int ttl, int icmpMaxPayload,
        int stratum, byte[] refid, int precision, long rootDelay, long rootDispersion, boolean synced,
        long frequencyHz, Instant start, NtpClock.Leap leap, Instant leapEvent,
        int answerLatencyCycles,
        Map<Long, byte[]> ntsKeys, long ntsCurrentKey, byte[] nonceSeed, int maxPlaceholders, int busBytes,
        ResponderConfig.Capacity ntsCapacity) {

    /** Seconds between 1900-01-01 (NTP era 0) and 1970-01-01. */
    public static final long NTP_UNIX_OFFSET = 2_208_988_800L;

    public static ConfigFile load(Path p) throws IOException {
        return parse(TomlTable.read(p), p.toAbsolutePath().getParent());
    }

    public static ConfigFile parse(String toml) throws IOException {
        return parse(toml, Path.of("."));
    }

    /** NTP era 0: 1900-01-01T00:00:00Z up to 2^32 s later (2036-02-07T06:28:16Z, not included). */
    public static final Instant ERA0_START = Instant.parse("1900-01-01T00:00:00Z"), ERA0_END = ERA0_START.plusSeconds(1L << 32);
    /** Live master keys a configuration may list inline: the hardware's key slots ({@code NtsKeyLoader.SLOTS}). */
    public static final int MAX_INLINE_KEYS = 4;
    /** Longest echo data a frame the responder accepts can carry: 1500-byte MTU - 20 (IPv4 header) - 8 (ICMP header). */
    public static final int ICMP_MAX_PAYLOAD = 1472;
    private static final String INSTANT = "an ISO-8601 UTC instant in NTP era 0 (1900-01-01T00:00:00Z .. 2036-02-07T06:28:15Z), "
            + "such as \"2026-11-24T00:00:00Z\" or \"2026-11-24T01:00:00+01:00\"";
    private static final String KEY_ID = "a key id 0..4294967295 (32 bits: a cookie's first 4 bytes)";
    private static final String NTP_SHORT = "an integer 0..4294967295 (NTP short format: units of 2^-16 s)";
    private static final String BUS = "8 (64-bit bus, 10GbE) or 1 (byte stream, 1G)";
    /** Requests one NTS core holds at once: its AES lanes less the key loader's ({@code NtsCore.CONTEXTS}). */
    public static final int NTS_CONTEXTS = 31;
    /** Cycles a context is held past its answer's departure (the longest answer's 190 beats, and slack). */
    public static final int NTS_HOLD_PAST_DEPARTURE = 400;
    public static final int NTS_MAX_CORES = 4;
    /**
     * {@code [nts] short_max_bytes} by default: 256, so chrony's AEAD 15 request (228 bytes; any AEAD 15 request without
     * placeholders and with short fields) is short, and no AEAD 17 request is (its 168-byte cookie makes at least 296).
     */
    public static final int NTS_SHORT_MAX_BYTES = 256;
    /** {@code [nts] short_residence_cycles} by default. */
    public static final int NTS_SHORT_RESIDENCE = 3000;
    /**
     * The shortest residences the configuration accepts: what the cores are measured to meet, with margin, for any request
     * of the class at 10GbE line rate (an answer not ready by its departure leaves late, its T3 early by the delay, and is
     * counted as nts_late; the model cannot predict that, so the configuration must not allow it). Requests of up to
     * {@link #NTS_SHORT_MAX_BYTES} bytes: 2 166 cycles first beat to result at most on a long-heavy mix on three cores
     * (docs/nts-core.md §9), so 2 600; any request (1 472 bytes, 7 placeholders): 7 771 on one core at line rate (8 418
     * before session 13), so 10 000.
     */
    public static final int NTS_MIN_SHORT_RESIDENCE = 2600, NTS_MIN_RESIDENCE = 10_000;
    private static final String CORES = "an integer 1.." + NTS_MAX_CORES + " (NTS cores, each 31 contexts on one AES pipeline)";
    private static final String RESIDENCE = "an integer " + NTS_MIN_RESIDENCE + "..100000000 (cycles from a request's first beat to its answer's; the cores are not measured to finish every request sooner)";
    private static final String BUDGET = "an integer 1472..4000000 (UDP payload bytes a core holds at once)";
    private static final String SHORT_MAX = "an integer 0..1472 (UDP payload bytes of the largest short-residence request; 0: one residence for all)";
    private static final String SHORT_RESIDENCE = "an integer " + NTS_MIN_SHORT_RESIDENCE + "..100000000 (cycles from a short request's first beat to its answer's; the cores are not measured to finish a short request sooner)";
    private static final String LEAP = "\"none\", \"insert\" or \"delete\"";

    /**
     * {@code base}: where a relative {@code [nts] key_file} is looked up (the config file's folder). Every value is
     * checked for its TOML type and its range (README "Configuration" has the table); a bad one is a
     * {@link ConfigException} of one line naming {@code [section] key}, what is expected, what was given and the line.
     */
    public static ConfigFile parse(String toml, Path base) throws IOException {
        TomlTable root = TomlTable.parse(toml);
        root.allowOnly("interface", "ntp", "clock", "timing", "nts");
        TomlTable i = root.table("interface"), n = root.table("ntp"), c = root.table("clock"), t = root.table("timing"), s = root.table("nts");
        i.allowOnly("mac", "ipv4", "ipv6", "vlan", "forward_unmatched", "ttl", "icmp_max_payload", "bus_bytes");
        n.allowOnly("stratum", "refid", "precision", "root_delay", "root_dispersion", "synchronized");
        c.allowOnly("frequency_hz", "start", "leap", "leap_event");
        t.allowOnly("answer_latency_cycles");
        s.allowOnly("enabled", "nonce_seed", "current_key", "max_placeholders", "keys", "key_file", "engines", "cores",
                "residence_cycles", "budget_bytes", "short_max_bytes", "short_residence_cycles");

        int busBytes = i.integer("bus_bytes", 8, 1, 8, BUS);
        if (busBytes != 8 && busBytes != 1) throw i.outOfRange("bus_bytes", BUS);
        if (!i.has("mac")) throw new ConfigException(i.label("mac") + ": required (our MAC address, such as \"02:00:5e:10:00:01\")");
        String macWant = "a unicast MAC address of six octets such as \"02:00:5e:10:00:01\" (':' or '-' between octets)";
        byte[] mac = ConfigText.mac(i.string("mac", null, macWant));
        if (mac == null) throw i.bad("mac", macWant);
        // the answers' source address: a group (multicast, broadcast) address is never a frame's source (IEEE 802.3)
        if ((mac[0] & 1) != 0) throw i.error("mac", "expected a unicast MAC address (answers are sent from it; bit 0 of the first octet clear), "
                + "got the group address " + i.string("mac", null, macWant));
        byte[] ip4 = ipv4(i), ip6 = ipv6(i);
        int vlan = i.integer("vlan", -1, 0, 4094, "a VLAN id 0..4094 (802.1Q VID; omit the key for untagged)");
        boolean forward = i.bool("forward_unmatched", true);
        int ttl = i.integer("ttl", 64, 1, 255, "an integer 1..255");
        int icmpMax = i.integer("icmp_max_payload", ICMP_MAX_PAYLOAD, 0, ICMP_MAX_PAYLOAD,
                "an integer 0..1472 (bytes of echo data; 1472 = 1500-byte MTU - IPv4 and ICMP headers)");

        int stratum = n.integer("stratum", 1, 1, 15, "an integer 1..15 (1 primary, 2..15 secondary; 16 is served when synchronized = false)");
        String refidWant = "at most 4 printable ASCII characters, such as \"GPS\"";
        String refidText = n.string("refid", "GPS", refidWant);
        if (refidText.length() > 4 || !refidText.chars().allMatch(ch -> ch >= 0x20 && ch < 0x7f)) throw n.bad("refid", refidWant);
        byte[] refid = new byte[4];
        System.arraycopy(refidText.getBytes(StandardCharsets.US_ASCII), 0, refid, 0, refidText.length());
        int precision = n.integer("precision", -24, -32, 0, "an integer -32..0 (log2 seconds)");
        long rootDelay = n.integer("root_delay", 0L, 0L, 0xffff_ffffL, NTP_SHORT);
        long rootDispersion = n.integer("root_dispersion", 0L, 0L, 0xffff_ffffL, NTP_SHORT);
        boolean synced = n.bool("synchronized", true);

        // f = 1 would need a step of 2^64, one bit more than the 64-bit step; every f >= 2 has a step of 1..2^63
        long frequencyHz = c.integer("frequency_hz", 156_250_000L, 2L, Long.MAX_VALUE, "an integer >= 2 (Hz)");
        Instant start = instant(c, "start");
        NtpClock.Leap leap = switch (c.string("leap", "none", LEAP)) {
            case "none" -> NtpClock.Leap.NONE;
            case "insert" -> NtpClock.Leap.INSERT;
            case "delete" -> NtpClock.Leap.DELETE;
            default -> throw c.bad("leap", LEAP);
        };
        Instant leapEvent = instant(c, "leap_event");
        if (leapEvent != null) {
            ZonedDateTime z = leapEvent.atZone(ZoneOffset.UTC);
            if (z.getDayOfMonth() != 1 || z.toLocalTime().toNanoOfDay() != 0)
                throw c.error("leap_event", "expected the first instant of a UTC month (a leap second is the last second of a month, "
                        + "ITU-R TF.460), such as \"2027-01-01T00:00:00Z\", got " + leapEvent);
        }
        if (leap != NtpClock.Leap.NONE && leapEvent == null)
            throw c.error("leap_event", "required with leap = \"" + leap.name().toLowerCase(java.util.Locale.ROOT) + "\"");
        int latency = t.integer("answer_latency_cycles", 64, 0, Integer.MAX_VALUE, "an integer 0..2147483647 (cycles)");

        if (s.has("engines"))
            throw s.error("engines", "the per-request NTS engines are gone (issue 18): the fabric has NTS cores now; remove the key "
                    + "and set cores (1..4, 31 requests each), residence_cycles and budget_bytes if the defaults do not suit");
        int cores = s.integer("cores", 1, 1, NTS_MAX_CORES, CORES);
        int residence = s.integer("residence_cycles", 12_000, NTS_MIN_RESIDENCE, 100_000_000, RESIDENCE);
        int budget = s.integer("budget_bytes", 16_000, 1472, 4_000_000, BUDGET);
        int shortMax = s.integer("short_max_bytes", NTS_SHORT_MAX_BYTES, 0, 1472, SHORT_MAX);
        int shortResidence = s.integer("short_residence_cycles", NTS_SHORT_RESIDENCE, NTS_MIN_SHORT_RESIDENCE, 100_000_000, SHORT_RESIDENCE);
        if (shortMax > NTS_SHORT_MAX_BYTES && shortResidence < NTS_MIN_RESIDENCE)
            throw s.error(s.has("short_residence_cycles") ? "short_residence_cycles" : "short_max_bytes", "a short class of requests up to " + shortMax
                    + " bytes needs a short residence of at least " + NTS_MIN_RESIDENCE + " cycles (the cores are measured for " + NTS_MIN_SHORT_RESIDENCE
                    + " only up to " + NTS_SHORT_MAX_BYTES + " bytes), got " + shortResidence + ": lower short_max_bytes or raise short_residence_cycles");
        long minResidence = shortResidence + org.ntsfab.model.nts.NtsCores.window(1472);
        if (shortMax > 0 && residence < minResidence)
            throw s.error(s.has("residence_cycles") ? "residence_cycles" : "short_residence_cycles", "the long residence (" + residence
                    + " cycles) must be at least the short one (" + shortResidence + ") plus the longest answer's window (" + (minResidence - shortResidence)
                    + "): raise residence_cycles, lower short_residence_cycles, or set short_max_bytes = 0 for one residence");
        ResponderConfig.Capacity capacity = new ResponderConfig.Capacity(cores, NTS_CONTEXTS, residence, residence + NTS_HOLD_PAST_DEPARTURE, budget,
                shortMax, shortMax > 0 ? shortResidence : 0, shortMax > 0 ? shortResidence + NTS_HOLD_PAST_DEPARTURE : 0);
        int maxPlaceholders = s.integer("max_placeholders", 7, 0, 7, "an integer 0..7 (7: up to 8 fresh cookies)");
        boolean ntsOn = s.bool("enabled", s.has("keys") || s.has("key_file"));
        Map<Long, byte[]> keys = new LinkedHashMap<>();
        long current = 0;
        String keyFile = s.string("key_file", null, "a path (the shared master-key file, relative to this file)");
        List<TomlTable> inline = s.tables("keys");
        if (keyFile != null && !inline.isEmpty()) throw s.error("key_file", "use either key_file or [[nts.keys]], not both");
        if (ntsOn && keyFile != null) {
            if (s.has("current_key")) throw s.error("current_key", "not used with key_file (the key file names its current key)");
            Path kp = base.resolve(keyFile);
            KeyFile kf;
            try {
                kf = KeyFile.load(kp);
            } catch (ConfigException e) {
                throw s.about("key_file", e.getMessage());
            }
            for (KeyFile.Key k : kf.keys()) keys.put(k.id(), k.key());
            current = kf.current();
        } else if (ntsOn) {
            if (inline.isEmpty()) throw new ConfigException("[nts]: NTS needs at least one [[nts.keys]] (or key_file, or enabled = false)");
            if (inline.size() > MAX_INLINE_KEYS)
                throw new ConfigException("[[nts.keys]]: at most " + MAX_INLINE_KEYS + " keys (the hardware's key slots), got " + inline.size());
            for (TomlTable k : inline) {
                k.allowOnly("id", "key");
                if (!k.has("id") || !k.has("key")) throw new ConfigException(k.header() + " number " + (keys.size() + 1) + ": id and key are required");
                long id = k.integer("id", 0L, 0L, 0xffff_ffffL, KEY_ID);
                if (keys.containsKey(id)) throw k.error("id", "key id " + id + " is listed twice");
                String want = "64 hex digits (a 32-byte AES-SIV-CMAC-256 master key)";
                byte[] key = ConfigText.hexBytes(k.string("key", "", want), 64);
                if (key == null) throw k.badSecret("key", want);
                keys.put(id, key);
            }
            current = s.integer("current_key", keys.keySet().iterator().next(), 0L, 0xffff_ffffL, KEY_ID);
            if (!keys.containsKey(current)) throw s.error("current_key", "expected one of the [[nts.keys]] ids " + keys.keySet() + ", got " + current);
        }
        byte[] seed = null;
        if (ntsOn) {
            String want = "32 hex digits (the nonce generator's 16-byte AES-128 key)";
            if (!s.has("nonce_seed")) throw new ConfigException("[nts] nonce_seed: required with NTS: " + want);
            seed = ConfigText.hexBytes(s.string("nonce_seed", "", want), 32);
            if (seed == null) throw s.badSecret("nonce_seed", want);
        }
        return new ConfigFile(mac, ip4, ip6, vlan, forward, ttl, icmpMax, stratum, refid, precision, rootDelay, rootDispersion, synced,
                frequencyHz, start, leap, leapEvent, latency, keys, current, seed, maxPlaceholders, busBytes, capacity);
    }

    private static byte[] ipv4(TomlTable i) throws ConfigException {
        String want = "an IPv4 address of four decimal octets 0..255 without leading zeros, such as \"192.0.2.1\"";
        String text = i.string("ipv4", null, want);
        if (text == null) return null;
        byte[] a = ConfigText.ipv4(text);
        if (a == null) throw i.bad("ipv4", want);
        int a0 = a[0] & 0xff;
        boolean zero = (a[0] | a[1] | a[2] | a[3]) == 0, broadcast = (a[0] & a[1] & a[2] & a[3]) == -1;
        if (zero || broadcast || a0 >= 224 && a0 <= 239)
            throw i.error("ipv4", "expected a unicast address (answers are sent from it), got the "
                    + (zero ? "unspecified" : broadcast ? "limited broadcast" : "multicast") + " address " + text);
        return a;
    }

    private static byte[] ipv6(TomlTable i) throws ConfigException {
        String want = "an IPv6 address in RFC 4291 text form without zone id, such as \"2001:db8::123\"";
        String text = i.string("ipv6", null, want);
        if (text == null) return null;
        byte[] a = ConfigText.ipv6(text);
        if (a == null) throw i.bad("ipv6", want);
        boolean zero = true;
        for (byte b : a) zero &= b == 0;
        if (zero || a[0] == (byte) 0xff)
            throw i.error("ipv6", "expected a unicast address (answers are sent from it), got the " + (zero ? "unspecified" : "multicast")
                    + " address " + text);
        return a;
    }

    private static Instant instant(TomlTable c, String key) throws ConfigException {
        Instant v = c.instant(key, INSTANT);
        if (v != null && (v.isBefore(ERA0_START) || !v.isBefore(ERA0_END))) throw c.bad(key, INSTANT);
        return v;
    }

    /** NTP 32.32 time of an instant (era 0). */
    public static long ntpTime(Instant t) {
        long sec = t.getEpochSecond() + NTP_UNIX_OFFSET;
        long frac = (long) ((t.getNano() * (1L << 32)) / 1_000_000_000.0);
        return (sec << 32) | frac;
    }

    /**
     * The responder configuration with the clock loaded to {@code startIfUnset} unless the file gives a start: the software
     * appliance's, whose NTS has no capacity limit (every NTS request is served).
     */
    public ResponderConfig responder(Instant startIfUnset) {
        return responder(startIfUnset, false);
    }

    /**
     * The fabric's: as {@link #responder(Instant)}, with the NTS cores' admission and fixed residence (spec 9.7) when the
     * fabric serves NTS (the 64-bit core; the byte-wide one has no NTS: every NTS request is {@code drop_nts_disabled}
     * there, whatever the keys).
     */
    public ResponderConfig fabricResponder(Instant startIfUnset) {
        return responder(startIfUnset, true);
    }

    private ResponderConfig responder(Instant startIfUnset, boolean fabric) {
        Instant st = start != null ? start : startIfUnset;
        long eventSecond = leapEvent == null ? 0 : leapEvent.getEpochSecond() + NTP_UNIX_OFFSET;
        NtpClock clock = new NtpClock(ntpTime(st), NtpClock.stepFor(frequencyHz), leap, eventSecond);
        ResponderConfig.Nts nts = ntsKeys.isEmpty() || fabric && busBytes != 8 ? null
                : new ResponderConfig.Nts(new MasterKeys(ntsKeys, ntsCurrentKey), nonceSeed, fabric ? ntsCapacity : null);
        return new ResponderConfig(mac, ipv4, ipv6, vlan, forwardUnmatched, ttl, stratum, refid, precision, rootDelay,
                rootDispersion, synced, icmpMaxPayload, maxPlaceholders, clock, nts);
    }
}
