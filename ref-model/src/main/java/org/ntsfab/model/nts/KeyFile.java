package org.ntsfab.model.nts;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.ntsfab.model.config.ConfigException;
import org.ntsfab.model.config.ConfigText;
import org.ntsfab.model.config.TomlTable;

/**
 * The master-key file shared by the NTS-KE side and every NTP side (model, simulator, FPGA host).
 * TOML: {@code current} and {@code next} key ids and a {@code [[key]]} table per key (id, 32-byte
 * AES-SIV-CMAC-256 key in hex, created time). {@link #rotate} makes the pre-generated next key
 * current, generates a new next key (so other NTP hosts can be loaded with it before it is used),
 * and forgets keys that stopped being current more than {@code retain} ago. Written atomically
 * (temporary file, then rename), mode 0600.
 */
public record KeyFile(long current, long next, List<Key> keys) {
    public record Key(long id, byte[] key, Instant created) {}

    public static KeyFile generate(SecureRandom rnd, Instant now) {
        List<Key> keys = new ArrayList<>();
        keys.add(new Key(1, random(rnd), now));
        keys.add(new Key(2, random(rnd), now));
        return new KeyFile(1, 2, keys);
    }

    private static byte[] random(SecureRandom rnd) {
        byte[] k = new byte[32];
        rnd.nextBytes(k);
        return k;
    }

    /** The keys NTP servers accept (all in the file) with the current one for new cookies. */
    public MasterKeys masterKeys() {
        Map<Long, byte[]> m = new LinkedHashMap<>();
        for (Key k : keys) m.put(k.id(), k.key());
        return new MasterKeys(m, current);
    }

    public Key key(long id) {
        for (Key k : keys) if (k.id() == id) return k;
        throw new IllegalStateException("no key " + id);
    }

    /** When the current key became current (the next key's creation time is when it was generated). */
    public KeyFile rotate(SecureRandom rnd, Instant now, Duration retain) {
        long newId = keys.stream().mapToLong(Key::id).max().orElse(0) + 1;
        List<Key> kept = new ArrayList<>();
        for (Key k : keys) {
            boolean old = k.id() != current && k.id() != next && Duration.between(k.created(), now).compareTo(retain) > 0;
            if (!old) kept.add(k);
        }
        kept.add(new Key(newId, random(rnd), now));
        return new KeyFile(next, newId, kept);
    }

    /**
     * Reads a key file; anything it does not understand is a {@link ConfigException} of one line naming the line
     * and the file ({@code keys.toml: [[key]] key: expected 64 hex digits ..., got a string of 2 characters (line 7)}; a
     * key's value is never shown).
     */
    public static KeyFile load(Path p) throws IOException {
        try {
            return parse(TomlTable.read(p));
        } catch (ConfigException e) {
            throw new ConfigException(p + ": " + e.getMessage());
        }
    }

    /** {@link #load} of the file's text. */
    public static KeyFile parse(String text) throws ConfigException {
        TomlTable root = TomlTable.parse(text);
        root.allowOnly("current", "next", "key");
        String idWant = "a key id 0..4294967295 (32 bits: a cookie's first 4 bytes)";
        List<Key> keys = new ArrayList<>();
        Map<Long, Key> byId = new LinkedHashMap<>();
        for (TomlTable k : root.tables("key")) {
            k.allowOnly("id", "key", "created");
            for (String need : List.of("id", "key", "created"))
                if (!k.has(need)) throw new ConfigException(k.header() + " number " + (keys.size() + 1) + ": " + need + " required");
            long id = k.integer("id", 0L, 0L, 0xffff_ffffL, idWant);
            if (byId.containsKey(id)) throw k.error("id", "key id " + id + " is listed twice");
            String want = "64 hex digits (a 32-byte AES-SIV-CMAC-256 master key)";
            byte[] key = ConfigText.hexBytes(k.string("key", "", want), 64);
            if (key == null) throw k.badSecret("key", want);
            Instant created = k.instant("created", "an ISO-8601 UTC instant such as \"2026-11-24T00:00:00Z\"");
            Key e = new Key(id, key, created);
            keys.add(e);
            byId.put(id, e);
        }
        if (keys.isEmpty()) throw new ConfigException("no [[key]] table: a key file has at least its current and next keys");
        long[] cn = new long[2];
        for (int w = 0; w < 2; w++) {
            String name = w == 0 ? "current" : "next";
            if (!root.has(name)) throw new ConfigException(name + ": required (the id of the " + name + " key)");
            cn[w] = root.integer(name, 0L, 0L, 0xffff_ffffL, idWant);
            if (!byId.containsKey(cn[w])) throw root.error(name, "expected the id of a [[key]] in this file " + byId.keySet() + ", got " + cn[w]);
        }
        return new KeyFile(cn[0], cn[1], keys);
    }

    public void save(Path p) throws IOException {
        StringBuilder sb = new StringBuilder("# ntsfab NTS master keys: keep secret; written atomically by ntsfab\n");
        sb.append("current = ").append(current).append('\n').append("next = ").append(next).append("\n\n");
        for (Key k : keys)
            sb.append("[[key]]\nid = ").append(k.id()).append("\nkey = \"").append(HexFormat.of().formatHex(k.key()))
                    .append("\"\ncreated = \"").append(k.created()).append("\"\n\n");
        Path dir = p.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, ".keys", ".tmp");
        try {
            Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException ignored) {
            // not a POSIX file system
        }
        Files.writeString(tmp, sb.toString(), StandardCharsets.UTF_8);
        Files.move(tmp, p, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }
}
