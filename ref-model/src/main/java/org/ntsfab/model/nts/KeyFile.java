package org.ntsfab.model.nts;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;
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

    public static KeyFile load(Path p) throws IOException {
        JsonNode root = new TomlMapper().readTree(Files.readString(p, StandardCharsets.UTF_8));
        List<Key> keys = new ArrayList<>();
        for (JsonNode k : root.path("key")) {
            byte[] key = HexFormat.of().parseHex(k.path("key").asText());
            if (key.length != 32) throw new IOException("key " + k.path("id").asLong() + " is not 32 bytes");
            keys.add(new Key(k.path("id").asLong(), key, Instant.parse(k.path("created").asText())));
        }
        KeyFile f = new KeyFile(root.path("current").asLong(-1), root.path("next").asLong(-1), keys);
        f.key(f.current());
        f.key(f.next());
        return f;
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
