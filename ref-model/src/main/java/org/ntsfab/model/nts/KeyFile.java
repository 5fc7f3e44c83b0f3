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
 *
 * <p>Also read: chrony's server key file ({@code ntsdumpdir/ntskeys}, chrony 4.x), recognised by its
 * first line {@code NKS0}; see {@link #parseChrony}. Such a file is chronyd's to write: {@link
 * #rotate} refuses it (re-read it instead when chronyd has rotated).
 */
public record KeyFile(long current, long next, List<Key> keys, Format format) {
    public record Key(long id, byte[] key, Instant created) {}

    /** Whose layout the file has: ours (TOML) or chrony's {@code ntskeys}. */
    public enum Format { NTSFAB, CHRONY }

    public KeyFile(long current, long next, List<Key> keys) {
        this(current, next, keys, Format.NTSFAB);
    }

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
        if (format == Format.CHRONY) throw new IllegalStateException("chrony's key file is rotated by chronyd (ntsrotate), not by ntsfab");
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
            // chrony's file by its identifier line (NKS0 today; another NKS<n> is chrony's too, and refused by name)
            byte[] raw = Files.readAllBytes(p);
            if (raw.length >= 3 && raw[0] == 'N' && raw[1] == 'K' && raw[2] == 'S')
                return parseChrony(new String(raw, StandardCharsets.US_ASCII), Instant.now());
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

    private static final String CHRONY_ID = "NKS0";
    private static final int CHRONY_SLOTS = 4, CHRONY_FUTURE_KEYS = 1;

    /**
     * Reads chrony's server key file as chronyd writes it ({@code nts_ke_server.c}, save_keys): line 1 {@code NKS0},
     * line 2 the cookie algorithm (15, AES-SIV-CMAC-256, the only one chrony uses) and the current key's age in seconds,
     * then up to 4 lines {@code <id, 8 hex digits> <key, 64 hex digits>}. chrony keeps key id mod 4 as the key's slot and
     * writes the slots oldest first, the current key then the next (future) one last; loading, it takes as current the
     * slot before the last line's. So here: next = the last line's key, current = the key in the slot before it, all
     * keys live. The current key was created {@code age} seconds before {@code now}, the others are given the same time.
     * Errors are one {@link ConfigException} line naming the line; a key's value is never shown.
     */
    public static KeyFile parseChrony(String text, Instant now) throws ConfigException {
        String[] lines = text.split("\n", -1);
        int n = lines.length;
        if (n > 0 && lines[n - 1].isEmpty()) n--;
        if (n < 1 || !lines[0].equals(CHRONY_ID))
            throw new ConfigException("chrony key file: line 1: expected the identifier " + CHRONY_ID);
        String[] head = n < 2 ? new String[0] : lines[1].trim().split("\\s+");
        if (head.length != 2) throw new ConfigException("chrony key file: line 2: expected \"<algorithm> <key age in seconds>\" (e.g. \"15 3600.0\")");
        if (!head[0].equals("15"))
            throw new ConfigException("chrony key file: line 2: algorithm " + shown(head[0]) + ", expected 15 (AES-SIV-CMAC-256, chrony's cookie AEAD)");
        double age;
        try {
            age = Double.parseDouble(head[1]);
        } catch (NumberFormatException e) {
            age = Double.NaN;
        }
        if (!(age >= 0) || Double.isInfinite(age))
            throw new ConfigException("chrony key file: line 2: key age " + shown(head[1]) + ", expected a number of seconds >= 0");
        Instant created = now.minusMillis((long) (age * 1000));
        if (n < 3) throw new ConfigException("chrony key file: no key lines after line 2 (chronyd writes " + CHRONY_SLOTS + ")");
        if (n > 2 + CHRONY_SLOTS) throw new ConfigException("chrony key file: line " + (3 + CHRONY_SLOTS) + ": more than " + CHRONY_SLOTS + " keys");
        Key[] slots = new Key[CHRONY_SLOTS];
        List<Key> keys = new ArrayList<>();
        long last = -1;
        for (int i = 2; i < n; i++) {
            String[] w = lines[i].trim().split("\\s+");
            String where = "chrony key file: line " + (i + 1) + ": ";
            if (w.length != 2) throw new ConfigException(where + "expected \"<key id, 8 hex digits> <key, 64 hex digits>\"");
            if (!w[0].matches("[0-9A-Fa-f]{1,8}")) throw new ConfigException(where + "key id " + shown(w[0]) + ", expected up to 8 hex digits");
            long id = Long.parseLong(w[0], 16);
            byte[] key = ConfigText.hexBytes(w[1], 64);
            if (key == null)
                throw new ConfigException(where + "key of key id " + w[0] + ": expected 64 hex digits (a 32-byte AES-SIV-CMAC-256 key), got "
                        + (w[1].length() == 64 ? "a character that is not a hex digit" : w[1].length() + " characters"));
            int slot = (int) (id % CHRONY_SLOTS);
            if (slots[slot] != null)
                throw new ConfigException(where + "key id " + w[0] + " is in the slot (id mod 4) of key id " + String.format("%08X", slots[slot].id())
                        + " (chrony keeps one key per slot)");
            slots[slot] = new Key(id, key, created);
            keys.add(slots[slot]);
            last = id;
        }
        Key current = slots[(int) ((last % CHRONY_SLOTS + CHRONY_SLOTS - CHRONY_FUTURE_KEYS) % CHRONY_SLOTS)];
        if (current == null)
            throw new ConfigException("chrony key file: no key in the current key's slot (the slot before the last line's key id " + String.format("%08X", last) + ")");
        return new KeyFile(current.id(), last, keys, Format.CHRONY);
    }

    /** A short non-secret token for an error message (never a key). */
    private static String shown(String s) {
        return s.length() > 10 ? "of " + s.length() + " characters" : "\"" + s + "\"";
    }

    public void save(Path p) throws IOException {
        if (format == Format.CHRONY) throw new IllegalStateException("chrony's key file is chronyd's to write; ntsfab never writes it");
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
