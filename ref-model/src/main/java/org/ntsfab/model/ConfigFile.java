package org.ntsfab.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import org.ntsfab.model.clock.NtpClock;
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
        int ntsEngines) {

    /** Seconds between 1900-01-01 (NTP era 0) and 1970-01-01. */
    public static final long NTP_UNIX_OFFSET = 2_208_988_800L;

    public static ConfigFile load(Path p) throws IOException {
        return parse(Files.readString(p, StandardCharsets.UTF_8), p.toAbsolutePath().getParent());
    }

    public static ConfigFile parse(String toml) throws IOException {
        return parse(toml, Path.of("."));
    }

    /** {@code base}: where a relative {@code [nts] key_file} is looked up (the config file's folder). */
    public static ConfigFile parse(String toml, Path base) throws IOException {
        JsonNode root = new TomlMapper().readTree(toml);
        allowOnly(root, "", "interface", "ntp", "clock", "timing", "nts");
        JsonNode i = root.path("interface"), n = root.path("ntp"), c = root.path("clock"), t = root.path("timing"), s = root.path("nts");
        allowOnly(i, "interface", "mac", "ipv4", "ipv6", "vlan", "forward_unmatched", "ttl", "icmp_max_payload", "bus_bytes");
        int busBytes = i.path("bus_bytes").asInt(8);
        if (busBytes != 8 && busBytes != 1) throw new IOException("[interface] bus_bytes is 8 (10GbE) or 1 (1G byte stream)");
        allowOnly(n, "ntp", "stratum", "refid", "precision", "root_delay", "root_dispersion", "synchronized");
        allowOnly(c, "clock", "frequency_hz", "start", "leap", "leap_event");
        allowOnly(t, "timing", "answer_latency_cycles");
        allowOnly(s, "nts", "enabled", "nonce_seed", "current_key", "max_placeholders", "keys", "key_file", "engines");
        int engines = s.path("engines").asInt(1);
        if (engines < 1 || engines > 64 || engines > 16 && engines % 16 != 0)
            throw new IOException("[nts] engines is 1..16, 32, 48 or 64 (the generator's NTS engines; 16 share one pair of AES pipelines)");
        if (!i.has("mac")) throw new IOException("[interface] mac is required");
        byte[] mac = HexFormat.of().parseHex(i.get("mac").asText().replace(":", ""));
        byte[] ip4 = i.has("ipv4") ? addr(i.get("ipv4").asText(), 4) : null;
        byte[] ip6 = i.has("ipv6") ? addr(i.get("ipv6").asText(), 16) : null;
        String refidText = n.path("refid").asText("GPS");
        byte[] refid = new byte[4];
        byte[] rb = refidText.getBytes(StandardCharsets.US_ASCII);
        if (rb.length > 4) throw new IOException("[ntp] refid is at most 4 ASCII characters");
        System.arraycopy(rb, 0, refid, 0, rb.length);
        NtpClock.Leap leap = switch (c.path("leap").asText("none")) {
            case "none" -> NtpClock.Leap.NONE;
            case "insert" -> NtpClock.Leap.INSERT;
            case "delete" -> NtpClock.Leap.DELETE;
            default -> throw new IOException("[clock] leap is none, insert or delete");
        };
        if (leap != NtpClock.Leap.NONE && !c.has("leap_event")) throw new IOException("[clock] leap_event is required with leap");
        Map<Long, byte[]> keys = new LinkedHashMap<>();
        boolean ntsOn = s.path("enabled").asBoolean(s.has("keys") || s.has("key_file"));
        long fileCurrent = -1;
        if (ntsOn && s.has("key_file")) {
            if (s.has("keys")) throw new IOException("[nts] has both keys and key_file; use one");
            org.ntsfab.model.nts.KeyFile kf = org.ntsfab.model.nts.KeyFile.load(base.resolve(s.get("key_file").asText()));
            for (org.ntsfab.model.nts.KeyFile.Key k : kf.keys()) keys.put(k.id(), k.key());
            fileCurrent = kf.current();
        } else if (ntsOn) {
            for (JsonNode k : s.path("keys")) {
                allowOnly(k, "nts.keys", "id", "key");
                byte[] key = HexFormat.of().parseHex(k.path("key").asText());
                if (key.length != 32) throw new IOException("[[nts.keys]] key must be 64 hex digits (AES-SIV-CMAC-256)");
                keys.put(k.path("id").asLong(), key);
            }
            if (keys.isEmpty()) throw new IOException("[nts] needs at least one [[nts.keys]]");
            if (!s.has("nonce_seed")) throw new IOException("[nts] nonce_seed (32 hex digits) is required");
        }
        byte[] seed = ntsOn ? HexFormat.of().parseHex(s.get("nonce_seed").asText()) : null;
        if (seed != null && seed.length != 16) throw new IOException("[nts] nonce_seed must be 32 hex digits");
        return new ConfigFile(mac, ip4, ip6, i.path("vlan").asInt(-1), i.path("forward_unmatched").asBoolean(true),
                i.path("ttl").asInt(64), i.path("icmp_max_payload").asInt(1472),
                n.path("stratum").asInt(1), refid, n.path("precision").asInt(-24), n.path("root_delay").asLong(0),
                n.path("root_dispersion").asLong(0), n.path("synchronized").asBoolean(true),
                c.path("frequency_hz").asLong(156_250_000L), c.has("start") ? Instant.parse(c.get("start").asText()) : null,
                leap, c.has("leap_event") ? Instant.parse(c.get("leap_event").asText()) : null,
                t.path("answer_latency_cycles").asInt(64),
                keys, fileCurrent >= 0 ? fileCurrent : s.path("current_key").asLong(keys.isEmpty() ? 0 : keys.keySet().iterator().next()), seed,
                s.path("max_placeholders").asInt(7), busBytes, engines);
    }

    private static void allowOnly(JsonNode node, String where, String... keys) throws IOException {
        if (node.isMissingNode()) return;
        java.util.Set<String> ok = java.util.Set.of(keys);
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String k = it.next();
            if (!ok.contains(k)) throw new IOException("unknown key '" + k + "'" + (where.isEmpty() ? "" : " in [" + where + "]"));
        }
    }

    private static byte[] addr(String text, int len) throws IOException {
        if (!text.matches("[0-9a-fA-F:.]+")) throw new IOException("not an IP address literal: " + text);
        byte[] a = InetAddress.getByName(text).getAddress();
        if (a.length != len) throw new IOException("expected an IPv" + (len == 4 ? "4" : "6") + " address: " + text);
        return a;
    }

    /** NTP 32.32 time of an instant (era 0). */
    public static long ntpTime(Instant t) {
        long sec = t.getEpochSecond() + NTP_UNIX_OFFSET;
        long frac = (long) ((t.getNano() * (1L << 32)) / 1_000_000_000.0);
        return (sec << 32) | frac;
    }

    /** The responder configuration with the clock loaded to {@code startIfUnset} unless the file gives a start. */
    public ResponderConfig responder(Instant startIfUnset) {
        Instant st = start != null ? start : startIfUnset;
        long eventSecond = leapEvent == null ? 0 : leapEvent.getEpochSecond() + NTP_UNIX_OFFSET;
        NtpClock clock = new NtpClock(ntpTime(st), NtpClock.stepFor(frequencyHz), leap, eventSecond);
        ResponderConfig.Nts nts = ntsKeys.isEmpty() ? null : new ResponderConfig.Nts(new MasterKeys(ntsKeys, ntsCurrentKey), nonceSeed);
        return new ResponderConfig(mac, ipv4, ipv6, vlan, forwardUnmatched, ttl, stratum, refid, precision, rootDelay,
                rootDispersion, synced, icmpMaxPayload, maxPlaceholders, clock, nts);
    }
}
