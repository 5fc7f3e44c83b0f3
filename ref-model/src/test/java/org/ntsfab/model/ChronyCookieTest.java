package org.ntsfab.model;

import org.ntsfab.model.nts.CookieCodec;
import org.ntsfab.model.nts.KeyFile;
import org.ntsfab.model.config.ConfigException;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Cookies interchangeable with chrony's (spec §9.2), against a real session: chrony 4.3 as NTS-KE server wrote its
 * key file ({@code src/test/resources/chrony/ntskeys}, ntsdumpdir) and issued 8 cookies to our KE client, which
 * derived C2S and S2C from the TLS exporter ({@code ke-session.txt}). Nothing here comes from our own cookie code.
 */
class ChronyCookieTest {
    static final Path DIR = Path.of("src/test/resources/chrony");
    static final HexFormat HEX = HexFormat.of();

    record Session(byte[] c2s, byte[] s2c, List<byte[]> cookies) {}

    static Session session() throws Exception {
        byte[] c2s = null, s2c = null;
        List<byte[]> cookies = new ArrayList<>();
        for (String l : Files.readAllLines(DIR.resolve("ke-session.txt"))) {
            String[] w = l.split(" ");
            if (w[0].equals("c2s")) c2s = HEX.parseHex(w[1]);
            if (w[0].equals("s2c")) s2c = HEX.parseHex(w[1]);
            if (w[0].equals("cookie")) cookies.add(HEX.parseHex(w[1]));
        }
        return new Session(c2s, s2c, cookies);
    }

    @Test
    void chronysKeyFileLoadsAsChronyLoadsIt() throws Exception {
        KeyFile f = KeyFile.load(DIR.resolve("ntskeys"));
        assertEquals(KeyFile.Format.CHRONY, f.format());
        assertEquals(List.of(0xCB7C7C7DL, 0xC1C1C7CEL, 0x4566A547L, 0xE72BB778L), f.keys().stream().map(KeyFile.Key::id).toList(),
                "all four keys, in the file's order");
        assertEquals(0x4566A547L, f.current(), "the second-to-last line: chrony's cookies of the session carry this id");
        assertEquals(0xE72BB778L, f.next(), "the last line: chrony's future key");
        assertArrayEquals(HEX.parseHex("D4F8F1FF0563F3883CE6887E4BCCAA133A9C13F0BE6F1D25612EBA79D302D58E"), f.key(0x4566A547L).key());
    }

    @Test
    void configKeyFileTakesChronysFile() throws Exception {
        org.ntsfab.model.ConfigFile cfg = org.ntsfab.model.ConfigFile.parse("[interface]\nmac = \"02:00:00:00:00:01\"\n[nts]\n"
                + "nonce_seed = \"000102030405060708090a0b0c0d0e0f\"\nkey_file = \"ntskeys\"\n", DIR);
        assertEquals(0x4566A547L, cfg.ntsCurrentKey());
        assertEquals(java.util.Set.of(0xCB7C7C7DL, 0xC1C1C7CEL, 0x4566A547L, 0xE72BB778L), cfg.ntsKeys().keySet());
    }

    @Test
    void chronysCookiesOpenToTheKeysTheTlsExporterGaveTheClient() throws Exception {
        Session s = session();
        assertEquals(8, s.cookies().size());
        CookieCodec codec = new CookieCodec(KeyFile.load(DIR.resolve("ntskeys")).masterKeys());
        for (byte[] c : s.cookies()) {
            assertEquals(100, c.length);
            CookieCodec.Opened o = codec.open(c);
            assertNotNull(o.keys(), "chrony's cookie opens: " + o.failure());
            assertEquals(CookieCodec.AEAD_AES_SIV_CMAC_256, o.keys().aead());
            assertArrayEquals(s.c2s(), o.keys().c2s());
            assertArrayEquals(s.s2c(), o.keys().s2c());
        }
    }

    @Test
    void ourSealIsBitForBitChronysForTheSameKeyNonceAndKeys() throws Exception {
        Session s = session();
        CookieCodec codec = new CookieCodec(KeyFile.load(DIR.resolve("ntskeys")).masterKeys());
        for (byte[] c : s.cookies())
            assertArrayEquals(c, codec.seal(new CookieCodec.Keys(15, s.c2s(), s.s2c()), Arrays.copyOfRange(c, 4, 20)),
                    "AES-SIV is deterministic: chrony's cookie from its own nonce");
    }

    @Test
    void aKeyIdPointingAtAnotherLiveKeyFailsTheTag() throws Exception {
        Session s = session();
        KeyFile f = KeyFile.load(DIR.resolve("ntskeys"));
        CookieCodec codec = new CookieCodec(f.masterKeys());
        for (KeyFile.Key k : f.keys()) {
            if (k.id() == f.current()) continue;
            byte[] c = s.cookies().get(0).clone();
            org.ntsfab.model.wire.Bytes.put32(c, 0, k.id());
            assertEquals(CookieCodec.Failure.BAD_TAG, codec.open(c).failure(), "key id " + Long.toHexString(k.id()));
        }
    }

    @Test
    void chronysFileIsNeverRotatedOrWrittenByUs(@TempDir Path dir) throws Exception {
        KeyFile f = KeyFile.load(DIR.resolve("ntskeys"));
        assertThrows(IllegalStateException.class, () -> f.rotate(new SecureRandom(), Instant.now(), Duration.ofDays(1)));
        assertThrows(IllegalStateException.class, () -> f.save(dir.resolve("ntskeys")));
        assertFalse(Files.exists(dir.resolve("ntskeys")));
    }

    static final String K1 = "D87846ABE98DCDB88764BBD2CB63A19452D8B8F42D6E044C760ABE8EDC7A7417";
    static final String K2 = "082993583BF56A5B1CEC8FDE9316ADE37277EDE0854D657EEF92D4F7499DE8AD";

    @Test
    void aMalformedChronyFileIsOneLineWithoutKeyBytes(@TempDir Path dir) throws Exception {
        String good = "NKS0\n15 12.5\n0000000D " + K1 + "\n0000000E " + K2 + "\n";
        KeyFile ok = KeyFile.parseChrony(good, Instant.parse("2026-12-01T00:00:00Z"));
        assertEquals(0xDL, ok.current(), "slot 1 = the slot before the last line's (2)");
        assertEquals(0xEL, ok.next());
        assertEquals(Instant.parse("2026-11-30T23:59:47.500Z"), ok.key(0xD).created());
        assertEquals(0xDL, KeyFile.parseChrony(good.strip(), Instant.now()).current(), "without the final newline");
        String[][] bad = {
            {"NKS1\n15 1.0\n0000000D " + K1 + "\n", "line 1: expected the identifier NKS0"},
            {"NKS0\n16 1.0\n0000000D " + K1 + "\n", "line 2: algorithm \"16\", expected 15"},
            {"NKS0\n15\n0000000D " + K1 + "\n", "line 2: expected \"<algorithm> <key age in seconds>\""},
            {"NKS0\n15 x\n0000000D " + K1 + "\n", "line 2: key age \"x\""},
            {"NKS0\n15 1.0\n", "no key lines"},
            {"NKS0\n15 1.0\n" + K2 + " " + K1 + "\n", "line 3: key id of 64 characters, expected up to 8 hex digits"},
            {"NKS0\n15 1.0\n0000000D " + K1.substring(2) + "\n", "line 3: key of key id 0000000D: expected 64 hex digits"},
            {"NKS0\n15 1.0\n0000000D " + K1.substring(1) + "G\n", "not a hex digit"},
            {"NKS0\n15 1.0\n0000000D " + K1 + "\n00000011 " + K2 + "\n", "line 4: key id 00000011 is in the slot"},
            {"NKS0\n15 1.0\n0000000D " + K1 + "\n0000000F " + K2 + "\n", "no key in the current key's slot"},
        };
        for (String[] b : bad) {
            Path p = dir.resolve("ntskeys");
            Files.writeString(p, b[0]);
            ConfigException e = assertThrows(ConfigException.class, () -> KeyFile.load(p), b[1]);
            String m = e.getMessage();
            assertTrue(m.startsWith(p + ": chrony key file: "), m);
            assertTrue(m.contains(b[1]), m + " / " + b[1]);
            assertEquals(1, m.lines().count(), m);
            for (String k : List.of(K1, K2))
                for (int i = 0; i + 8 <= k.length(); i++) assertFalse(m.toUpperCase().contains(k.substring(i, i + 8)), "key bytes in " + m);
        }
    }
}
