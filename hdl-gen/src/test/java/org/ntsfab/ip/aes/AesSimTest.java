package org.ntsfab.ip.aes;

import org.ntsfab.harness.SimOptions;
import org.ntsfab.harness.SimSeeds;
import org.ntsfab.harness.Testbench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;
import org.bouncycastle.crypto.engines.AESEngine;
import org.bouncycastle.crypto.params.KeyParameter;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.ntsfab.ip.aes.AesSbox;
import org.ntsfab.gen.LibraryTops;
import org.ntsfab.hdl.Design;

/**
 * The AES cores against FIPS-197's known answers (Appendix C.1 and C.3) and against Bouncy
 * Castle's AES for random keys and blocks, a different key for every block, under random idle
 * input and output backpressure; the pipelines also at full rate (one block per cycle).
 */
class AesSimTest {
    static final HexFormat HEX = HexFormat.of();

    /** AES-CMAC (RFC 4493) of {@code msg} under {@code key}, from Bouncy Castle: the reference the CMAC chains are checked against. */
    static byte[] cmac(byte[] key, byte[] msg) {
        org.bouncycastle.crypto.macs.CMac m = new org.bouncycastle.crypto.macs.CMac(new AESEngine());
        m.init(new KeyParameter(key));
        m.update(msg, 0, msg.length);
        byte[] out = new byte[16];
        m.doFinal(out, 0);
        return out;
    }

    static byte[] bc(byte[] key, byte[] block) {
        AESEngine e = new AESEngine();
        e.init(true, new KeyParameter(key));
        byte[] out = new byte[16];
        e.processBlock(block, 0, out, 0);
        return out;
    }

    static BigInteger big(byte[] b) {
        return new BigInteger(1, b);
    }

    static byte[] bytes(BigInteger v, int n) {
        byte[] raw = v.toByteArray();
        byte[] out = new byte[n];
        int copy = Math.min(n, raw.length);
        System.arraycopy(raw, raw.length - copy, out, n - copy, copy);
        return out;
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"aes128_pipeline, 128", "aes256_pipeline, 256", "aes128_iterative, 128", "aes256_iterative, 256"})
    void encryptsAsFips197AndBouncyCastle(String top, int keyBits) throws Exception {
        // the S-box computed from its definition starts 63 7c 77 7b and maps 0x53 to 0xed (FIPS-197 §5.1.1)
        assertEquals(0x63, AesSbox.SBOX[0]);
        assertEquals(0xed, AesSbox.SBOX[0x53]);
        Design d = LibraryTops.elaborate(top);
        long seed = SimSeeds.announce(top, "aes", false);
        SplittableRandom rnd = new SplittableRandom(seed);
        List<byte[]> keys = new ArrayList<>(), blocks = new ArrayList<>();
        // FIPS-197 Appendix C: plaintext 00112233..ff, key 000102..
        byte[] fipsKey = new byte[keyBits / 8];
        for (int i = 0; i < fipsKey.length; i++) fipsKey[i] = (byte) i;
        keys.add(fipsKey);
        blocks.add(HEX.parseHex("00112233445566778899aabbccddeeff"));
        boolean pipeline = top.contains("pipeline");
        int n = pipeline ? 3000 : 600;
        for (int i = 0; i < n; i++) {
            byte[] k = new byte[keyBits / 8], b = new byte[16];
            rnd.nextBytes(k);
            rnd.nextBytes(b);
            keys.add(k);
            blocks.add(b);
        }
        List<BigInteger[]> inputs = new ArrayList<>();
        for (int i = 0; i < keys.size(); i++) inputs.add(new BigInteger[] {big(keys.get(i)), big(blocks.get(i)), BigInteger.valueOf(i & 0xff)});
        for (double[] rates : new double[][] {{1.0, 1.0}, {0.6, 0.5}}) {
            List<Testbench.Beat> out = run(d, seed, rates, inputs, keys, blocks, top, pipeline && rates[0] == 1.0);
            String fips = HEX.formatHex(bytes(out.get(0).fields()[0], 16));
            assertEquals(keyBits == 128 ? "69c4e0d86a7b0430d8cdb78070b4c55a" : "8ea2b7ca516745bfeafc49904b496089", fips, "FIPS-197 C.1 / C.3");
        }
    }

    /**
     * The combined pipeline and the combined iterative unit: AES-128 and AES-256 blocks in random order, each against
     * Bouncy Castle (an AES-128 block's key in the key's high half, random bytes in the low half it must not read),
     * FIPS-197 C.1 and C.3 first, under idle input and backpressure; the pipeline also at full rate (one block per
     * cycle, 15 cycles each).
     */
    @ParameterizedTest(name = "{0}")
    @CsvSource({"aes_mixed_pipeline, 3000", "aes_mixed_iterative, 800"})
    void combinedCoresEncryptBothKindsAsBouncyCastle(String top, int n) throws Exception {
        Design d = LibraryTops.elaborate(top);
        long seed = SimSeeds.announce(top, "aes", false);
        boolean pipeline = top.contains("pipeline");
        SplittableRandom rnd = new SplittableRandom(seed);
        List<byte[]> keys = new ArrayList<>(), blocks = new ArrayList<>();
        List<byte[]> fields = new ArrayList<>();
        List<Boolean> wide = new ArrayList<>();
        for (int kb : new int[] {128, 256}) {
            byte[] k = new byte[kb / 8];
            for (int i = 0; i < k.length; i++) k[i] = (byte) i;
            keys.add(k);
            blocks.add(HEX.parseHex("00112233445566778899aabbccddeeff"));
            wide.add(kb == 256);
        }
        for (int i = 0; i < n; i++) {
            boolean w = rnd.nextInt(3) == 0;
            byte[] k = new byte[w ? 32 : 16], b = new byte[16];
            rnd.nextBytes(k);
            rnd.nextBytes(b);
            keys.add(k);
            blocks.add(b);
            wide.add(w);
        }
        for (int i = 0; i < keys.size(); i++) {
            byte[] f = new byte[32];
            if (wide.get(i)) f = keys.get(i);
            else {
                rnd.nextBytes(f);
                System.arraycopy(keys.get(i), 0, f, 0, 16);
            }
            fields.add(f);
        }
        List<BigInteger[]> inputs = new ArrayList<>();
        for (int i = 0; i < keys.size(); i++)
            inputs.add(new BigInteger[] {big(fields.get(i)), BigInteger.valueOf(wide.get(i) ? 1 : 0), big(blocks.get(i)), BigInteger.valueOf(i & 0xff)});
        for (double[] rates : new double[][] {{1.0, 1.0}, {0.6, 0.5}}) {
            List<Testbench.Beat> out = run(d, seed, rates, inputs, keys, blocks, top, pipeline && rates[0] == 1.0);
            assertEquals("69c4e0d86a7b0430d8cdb78070b4c55a", HEX.formatHex(bytes(out.get(0).fields()[0], 16)), "FIPS-197 C.1");
            assertEquals("8ea2b7ca516745bfeafc49904b496089", HEX.formatHex(bytes(out.get(1).fields()[0], 16)), "FIPS-197 C.3");
        }
    }

    /**
     * Four combined iterative units behind one stream: AES-128 and AES-256 blocks mixed, every result equal to Bouncy
     * Castle's for the block its tag names (results leave out of order, within the four in flight), under idle input and
     * backpressure; offered every cycle with every result taken, AES-128 blocks alone go through at four per 11 cycles
     * (a unit takes its next block in the cycle its result leaves, 11 after the last) and AES-256 at four per 15.
     */
    @org.junit.jupiter.api.Test
    void iterativeBankEncryptsBothKindsAsBouncyCastleOutOfOrder() throws Exception {
        Design d = LibraryTops.elaborate("aes_mixed_iterative_x4");
        long seed = SimSeeds.announce("aes_mixed_iterative_x4", "aes", false);
        SplittableRandom rnd = new SplittableRandom(seed);
        for (int mix : new int[] {3, 0, 1}) {  // one block in three AES-256, none, all
            for (double[] rates : mix == 3 ? new double[][] {{0.6, 0.5}, {1.0, 1.0}} : new double[][] {{1.0, 1.0}}) {
                int n = 1200;
                List<byte[]> keys = new ArrayList<>(), blocks = new ArrayList<>();
                List<BigInteger[]> inputs = new ArrayList<>();
                for (int i = 0; i < n; i++) {
                    boolean w = mix == 1 || mix == 3 && rnd.nextInt(3) == 0;
                    byte[] k = new byte[w ? 32 : 16], b = new byte[16], f = new byte[32];
                    rnd.nextBytes(k);
                    rnd.nextBytes(b);
                    rnd.nextBytes(f);
                    System.arraycopy(k, 0, f, 0, k.length);
                    keys.add(k);
                    blocks.add(b);
                    inputs.add(new BigInteger[] {big(f), BigInteger.valueOf(w ? 1 : 0), big(b), BigInteger.valueOf(i & 0xff)});
                }
                try (Testbench tb = Testbench.of(d).source("in").sink("out").build(SimOptions.fast(), seed)) {
                    tb.offerProbability("in", rates[0]);
                    tb.readyProbability("out", rates[1]);
                    for (BigInteger[] f : inputs) tb.push("in", f);
                    tb.runUntilDrained(200L * n, 64);
                    List<Testbench.Beat> out = tb.beats("out");
                    assertEquals(n, out.size());
                    boolean[] seen = new boolean[n];
                    for (int j = 0; j < n; j++) {
                        int tag = (int) out.get(j).field(1);
                        // the block this tag names: the oldest not yet seen with it (tags repeat every 256 blocks)
                        int i = -1;
                        for (int c = Math.max(0, j - 8); c < Math.min(n, j + 9) && i < 0; c++) if (!seen[c] && (c & 0xff) == tag) i = c;
                        assertTrue(i >= 0, "result " + j + ": tag " + tag + " names no block in flight");
                        seen[i] = true;
                        byte[] want = bc(keys.get(i), blocks.get(i)), got = bytes(out.get(j).fields()[0], 16);
                        if (!java.util.Arrays.equals(want, got))
                            throw tb.mismatch("block " + i + " expected " + HEX.formatHex(want) + " got " + HEX.formatHex(got), out.get(j).cycle());
                    }
                    if (rates[0] == 1.0 && mix != 3) {
                        long span = out.get(n - 1).cycle() - out.get(0).cycle() + 1;
                        double perCycle = (double) n / span, expected = 4.0 / (mix == 1 ? 15 : 11);
                        assertEquals(expected, perCycle, 0.01, "blocks per cycle, " + (mix == 1 ? "AES-256" : "AES-128"));
                    }
                    assertTrue(tb.violations().isEmpty(), tb.violations().toString());
                }
            }
        }
    }

    /**
     * One run of an AES core: the inputs pushed (key fields, block, tag) with the given offer and ready rates; every
     * output block equal to Bouncy Castle's for its key and block, its tag with it; one block per cycle when asked.
     */
    static List<Testbench.Beat> run(Design d, long seed, double[] rates, List<BigInteger[]> inputs, List<byte[]> keys, List<byte[]> blocks, String what,
                                    boolean fullRate) throws Exception {
        try (Testbench tb = Testbench.of(d).source("in").sink("out").build(SimOptions.fast(), seed)) {
            tb.offerProbability("in", rates[0]);
            tb.readyProbability("out", rates[1]);
            for (BigInteger[] f : inputs) tb.push("in", f);
            tb.runUntilDrained(200L * inputs.size(), 64);
            List<Testbench.Beat> out = tb.beats("out");
            assertEquals(inputs.size(), out.size());
            for (int i = 0; i < out.size(); i++) {
                byte[] want = bc(keys.get(i), blocks.get(i));
                byte[] got = bytes(out.get(i).fields()[0], 16);
                if (!java.util.Arrays.equals(want, got))
                    throw tb.mismatch(what + " block " + i + ": key " + HEX.formatHex(keys.get(i)) + " pt " + HEX.formatHex(blocks.get(i)) + " expected "
                            + HEX.formatHex(want) + " got " + HEX.formatHex(got), out.get(i).cycle());
                assertEquals(i & 0xff, out.get(i).field(1), "tag travels with its block");
            }
            if (fullRate) {
                long span = out.get(out.size() - 1).cycle() - out.get(0).cycle() + 1;
                assertEquals(1.0, (double) out.size() / span, 1e-9, "one block per cycle");
            }
            assertTrue(tb.violations().isEmpty(), tb.violations().toString());
            return out;
        }
    }
}
