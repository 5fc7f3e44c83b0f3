package org.ntsfab.ip.aes;

import org.ntsfab.harness.SimOptions;
import org.ntsfab.harness.SimSeeds;
import org.ntsfab.harness.Testbench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.ntsfab.gen.LibraryTops;
import org.ntsfab.hdl.Design;
import org.ntsfab.model.crypto.AesSiv;

/**
 * The RTL AES-SIV unit against RFC 5297's examples (A.1 deterministic, A.2 nonce-based) and the
 * reference model's {@code AesSiv} (itself checked against RFC 5297 and Wycheproof): seal and open
 * of random messages (0–3 associated-data components of 0–40 bytes, plaintexts of 0–200 bytes),
 * opens of tampered tags and ciphertexts rejected, under idle input and output backpressure.
 */
class AesSivUnitSimTest {
    static final HexFormat HEX = HexFormat.of();

    record Op(boolean open, byte[] key, List<byte[]> ad, byte[] body, byte[] tag) {}

    static void push(Testbench tb, Op op) {
        tb.push("cmd", BigInteger.valueOf(op.open ? 1 : 0), new BigInteger(1, op.key), new BigInteger(1, op.tag == null ? new byte[16] : op.tag));
        List<byte[]> segs = new ArrayList<>(op.ad);
        segs.add(op.body);
        for (int s = 0; s < segs.size(); s++) {
            byte[] seg = segs.get(s);
            int n = Math.max(1, (seg.length + 15) / 16);
            for (int i = 0; i < n; i++) {
                byte[] w = new byte[16];
                int len = Math.max(0, Math.min(16, seg.length - 16 * i));
                System.arraycopy(seg, 16 * i, w, 0, len);
                boolean segLast = i == n - 1, plain = s == segs.size() - 1;
                tb.push("msg", new BigInteger(1, w), BigInteger.valueOf(len), BigInteger.valueOf(segLast ? 1 : 0), BigInteger.valueOf(plain ? 1 : 0),
                        BigInteger.valueOf(plain && segLast ? 1 : 0));
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"aes_siv256_unit, 32", "aes_siv512_unit, 64"})
    void sealsAndOpensAsRfc5297AndTheModel(String top, int keyBytes) throws Exception {
        Design d = LibraryTops.elaborate(top);
        long seed = SimSeeds.announce(top, "siv", false);
        SplittableRandom rnd = new SplittableRandom(seed);
        List<Op> ops = new ArrayList<>();
        List<byte[]> expectOut = new ArrayList<>();
        List<Boolean> expectOk = new ArrayList<>();
        if (keyBytes == 32) {
            // RFC 5297 A.1 and A.2
            byte[] k1 = HEX.parseHex("fffefdfcfbfaf9f8f7f6f5f4f3f2f1f0f0f1f2f3f4f5f6f7f8f9fafbfcfdfeff");
            ops.add(new Op(false, k1, List.of(HEX.parseHex("101112131415161718191a1b1c1d1e1f2021222324252627")),
                    HEX.parseHex("112233445566778899aabbccddee"), null));
            expectOut.add(HEX.parseHex("85632d07c6e8f37f950acd320a2ecc9340c02b9690c4dc04daef7f6afe5c"));
            expectOk.add(null);
            byte[] k2 = HEX.parseHex("7f7e7d7c7b7a79787776757473727170404142434445464748494a4b4c4d4e4f");
            ops.add(new Op(false, k2, List.of(HEX.parseHex("00112233445566778899aabbccddeeffdeaddadadeaddadaffeeddccbbaa99887766554433221100"),
                    HEX.parseHex("102030405060708090a0"), HEX.parseHex("09f911029d74e35bd84156c5635688c0")),
                    HEX.parseHex("7468697320697320736f6d6520706c61696e7465787420746f20656e6372797074207573696e67205349562d414553"), null));
            expectOut.add(HEX.parseHex("7bdb6e3b432667eb06f4d14bff2fbd0fcb900f2fddbe404326601965c889bf17dba77ceb094fa663b7a3f748ba8af829ea64ad544a272e9c485b62a3fd5c0d"));
            expectOk.add(null);
        }
        for (int i = 0; i < 120; i++) {
            byte[] key = new byte[keyBytes];
            rnd.nextBytes(key);
            List<byte[]> ad = new ArrayList<>();
            for (int a = rnd.nextInt(4); a > 0; a--) {
                byte[] c = new byte[rnd.nextInt(41)];
                rnd.nextBytes(c);
                ad.add(c);
            }
            byte[] p = new byte[i % 10 == 0 ? rnd.nextInt(17) : rnd.nextInt(201)];
            rnd.nextBytes(p);
            byte[] sealed = new AesSiv(key).seal(ad, p);
            ops.add(new Op(false, key, ad, p, null));
            expectOut.add(sealed);
            expectOk.add(null);
            // open it back, or a tampered copy
            byte[] tag = Arrays.copyOf(sealed, 16), c = Arrays.copyOfRange(sealed, 16, sealed.length);
            int tamper = rnd.nextInt(4);
            if (tamper == 1) tag[rnd.nextInt(16)] ^= (byte) (1 << rnd.nextInt(8));
            if (tamper == 2 && c.length > 0) c[rnd.nextInt(c.length)] ^= (byte) (1 << rnd.nextInt(8));
            byte[] both = new byte[16 + c.length];
            System.arraycopy(tag, 0, both, 0, 16);
            System.arraycopy(c, 0, both, 16, c.length);
            Optional<byte[]> opened = new AesSiv(key).open(ad, both);
            ops.add(new Op(true, key, ad, c, tag));
            expectOut.add(opened.orElse(null));
            expectOk.add(opened.isPresent());
        }
        for (double[] rates : new double[][] {{1.0, 1.0}, {0.5, 0.4}}) {
            try (Testbench tb = Testbench.of(d).source("cmd").source("msg").sink("out").build(SimOptions.fast(), seed)) {
                tb.offerProbability("msg", rates[0]);
                tb.readyProbability("out", rates[1]);
                for (Op op : ops) push(tb, op);
                tb.runUntilDrained(5_000_000, 200);
                List<Testbench.Beat> out = tb.beats("out");
                int k = 0;
                for (int i = 0; i < ops.size(); i++) {
                    ByteArrayOutputStream got = new ByteArrayOutputStream();
                    boolean ok = false;
                    while (true) {
                        assertTrue(k < out.size(), "output of operation " + i + " incomplete");
                        Testbench.Beat b = out.get(k++);
                        got.write(AesSimTest.bytes(b.fields()[0], 16), 0, (int) b.field(1));
                        if (b.field(2) != 0) {
                            ok = b.field(3) != 0;
                            break;
                        }
                    }
                    Op op = ops.get(i);
                    if (op.open) {
                        assertEquals(expectOk.get(i), ok, "operation " + i + ": open verdict");
                        if (ok) assertArrayEquals(expectOut.get(i), got.toByteArray(), "operation " + i + ": plaintext");
                    } else {
                        assertArrayEquals(expectOut.get(i), got.toByteArray(), "operation " + i + ": V || C (" + op.body.length + " bytes, "
                                + op.ad.size() + " AD)");
                    }
                }
                assertEquals(out.size(), k, "no extra output");
                assertTrue(tb.violations().isEmpty(), tb.violations().toString());
            }
        }
    }
}
