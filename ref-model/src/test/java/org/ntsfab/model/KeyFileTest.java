package org.ntsfab.model;

import org.ntsfab.model.nts.KeyFile;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ntsfab.model.nts.CookieCodec;

class KeyFileTest {
    @Test
    void rotationPromotesTheNextKeyAndKeepsOlderOnesForTheWindow(@TempDir Path dir) throws Exception {
        SecureRandom r = new SecureRandom();
        Instant t = Instant.parse("2026-11-24T00:00:00Z");
        KeyFile f = KeyFile.generate(r, t);
        assertEquals(1, f.current());
        assertEquals(2, f.next());
        byte[] cookie = new CookieCodec(f.masterKeys()).seal(new CookieCodec.Keys(15, new byte[32], new byte[32]), new byte[16]);
        KeyFile g = f.rotate(r, t.plus(Duration.ofHours(1)), Duration.ofHours(24));
        assertEquals(2, g.current(), "the pre-generated key becomes current");
        assertEquals(3, g.next(), "and a new next key is made at once, for other hosts to load ahead of use");
        assertArrayEquals(f.key(2).key(), g.key(2).key());
        assertTrue(new CookieCodec(g.masterKeys()).open(cookie).keys() != null, "cookies under the old key still open");
        KeyFile h = g.rotate(r, t.plus(Duration.ofHours(30)), Duration.ofHours(24));
        assertThrows(IllegalStateException.class, () -> h.key(1), "a key older than the window is forgotten");
        assertEquals(3, h.current());
        h.save(dir.resolve("keys.toml"));
        KeyFile back = KeyFile.load(dir.resolve("keys.toml"));
        assertEquals(h.current(), back.current());
        assertEquals(h.next(), back.next());
        assertArrayEquals(h.key(3).key(), back.key(3).key());
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("keys.toml"))));
        try (var s = Files.list(dir)) {
            assertEquals(1, s.count(), "no temporary file left behind");
        }
    }
}
