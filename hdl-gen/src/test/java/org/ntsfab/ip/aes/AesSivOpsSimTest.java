package org.ntsfab.ip.aes;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.ntsfab.harness.SimOptions;
import org.ntsfab.harness.SimSeeds;
import org.ntsfab.harness.Testbench;
import org.ntsfab.hdl.Design;
import org.ntsfab.model.crypto.AesSiv;

/**
 * AES-SIV-CMAC-256 (AES-128 lanes) and AES-SIV-CMAC-512 (AES-256 lanes, AEAD 17) seal and open on 32 lanes at once,
 * against the model's {@link AesSiv} (Bouncy Castle underneath):
 * the NTS shapes (a cookie: empty AD, 16-byte nonce, 64-byte plaintext; an authenticator: 188 bytes of AD, nothing to
 * decrypt; an answer: 84 bytes of AD, 108 of plaintext) and random ones (AD 0..200 bytes, nonce 0..32, text 0..120:
 * shorter than a block, whole blocks, ragged ends), opens of sealed texts and of corrupted ones; tags, ciphertexts and
 * plaintexts read back from the memory and compared byte for byte, under output backpressure; between rounds, a
 * quarter of the keys replaced by key loads on the lanes (L checked; the next round's operations use them), some with
 * their S2V constants (D0 checked; operations then start S2V from D0 or, for an empty AD, after it).
 */
class AesSivOpsSimTest {
    static final int LANES = 32, WORDS = 4096, REGION = WORDS / LANES;  // words per lane

    /** One operation: its inputs, where they are, and what must come out. */
    record Job(int lane, int key, int s2vFrom, boolean open, boolean corrupt, byte[] ad, byte[] n, byte[] in, byte[] tag, int adAt, int nAt, int pAt,
               int outAt, byte[] wantOut, byte[] wantV) {}

    static int words(int bytes) {
        return (bytes + 3) / 4;
    }

    static byte[] rand(SplittableRandom r, int n) {
        byte[] b = new byte[n];
        r.nextBytes(b);
        return b;
    }

    /** AES-CTR keystream of {@code n} bytes from {@code counter} with SIV's bits 63 and 31 cleared (RFC 5297 §2.5), by Bouncy Castle. */
    static byte[] keystream(byte[] key, byte[] counter, int n) {
        BigInteger q = new BigInteger(1, counter).and(new BigInteger("ffffffffffffffff7fffffff7fffffff", 16));
        byte[] out = new byte[n];
        for (int o = 0; o < n; o += 16) {
            byte[] blk = AesSimTest.bytes(q, 16);
            byte[] e = AesSimTest.bc(key, blk);
            System.arraycopy(e, 0, out, o, Math.min(16, n - o));
            q = q.add(BigInteger.ONE).mod(BigInteger.ONE.shiftLeft(128));
        }
        return out;
    }

    /** A key entry's key field: the key itself, or on mixed lanes an AES-128 key in the high half of 256 bits. */
    static BigInteger keyField(int keyBits, byte[] part) {
        BigInteger k = new BigInteger(1, part);
        return keyBits == AesPipeline.MIXED && part.length == 16 ? k.shiftLeft(128) : k;
    }

    /** The fields of a key write: index, key, (mixed lanes) the AES-256 flag, K1. */
    static BigInteger[] keyWrite(int keyBits, int index, byte[] part) {
        List<BigInteger> f = new ArrayList<>(List.of(BigInteger.valueOf(index), keyField(keyBits, part)));
        if (keyBits == AesPipeline.MIXED) f.add(BigInteger.valueOf(part.length == 32 ? 1 : 0));
        f.add(new BigInteger(1, AesLanesSimTest.k1(part)));
        return f.toArray(BigInteger[]::new);
    }

    /**
     * @param keyBits 128, 256, or 0 ({@link AesPipeline#MIXED}: AES-128 and AES-256 SIV keys mixed, each entry with its
     *     flag, on the combined pipeline)
     */
    @ParameterizedTest(name = "AES-{0} lanes (0: mixed)")
    @ValueSource(ints = {128, 256, AesPipeline.MIXED})
    void sealsAndOpensEqualTheModelByteForByte(int keyBits) throws Exception {
        Design d = Design.elaborate(() -> new AesSivOpsUnit(keyBits, LANES, 64, WORDS));
        boolean mixed = keyBits == AesPipeline.MIXED;
        String name = "aes_siv" + (mixed ? "_mixed" : 2 * keyBits) + "_ops_32";
        long seed = SimSeeds.announce(name, "siv", false);
        SplittableRandom rnd = new SplittableRandom(seed);
        // a new SIV key: 32 bytes (AES-SIV-CMAC-256) or 64 (-512); on mixed lanes either
        java.util.function.Supplier<byte[]> newKey = () -> rand(rnd, mixed ? rnd.nextBoolean() ? 32 : 64 : keyBits / 4);
        List<byte[]> sivKeys = new ArrayList<>();
        for (int k = 0; k < 32; k++) sivKeys.add(newKey.get());
        int wide = 0;
        int[][] shapes = {{0, 16, 64}, {188, 16, 0}, {84, 16, 108}};
        for (double ready : new double[] {1.0, 0.3}) {
            try (Testbench tb = Testbench.of(d).source("data_wr").source("key_wr").source("key_op").source("op").source("rd_req").sink("done").sink("rd_res")
                    .build(SimOptions.fast(), seed)) {
                tb.readyProbability("done", ready);
                tb.readyProbability("rd_res", ready);
                // key entry 2k: the MAC half of SIV key k with its CMAC subkey; 2k + 1: the CTR half
                for (int k = 0; k < 32; k++)
                    for (int h = 0; h < 2; h++) {
                        int half = sivKeys.get(k).length / 2;
                        byte[] part = Arrays.copyOfRange(sivKeys.get(k), half * h, half * h + half);
                        tb.push("key_wr", keyWrite(keyBits, 2 * k + h, part));
                    }
                wide = 0;
                int total = 0, opened = 0, rejected = 0, fromConstants = 0, ctrOnly = 0;
                // which SIV keys' MAC halves have S2V constants (loaded with constants)
                boolean[] hasConstants = new boolean[32];
                for (int round = 0; round < 4; round++) {
                    if (round > 0) {
                        // new SIV keys for 8 key slots, loaded on the lanes (their subkeys computed there), L checked; the MAC
                        // halves of some also with their S2V constants (then D0 is checked)
                        int dBefore = tb.beats("done").size();
                        List<byte[]> loaded = new ArrayList<>();
                        List<Boolean> withConstants = new ArrayList<>();
                        for (int i = 0; i < 8; i++) {
                            int k = (round * 8 + i) % 32;
                            sivKeys.set(k, newKey.get());
                            hasConstants[k] = rnd.nextBoolean();
                            for (int h = 0; h < 2; h++) {
                                int half = sivKeys.get(k).length / 2;
                                byte[] part = Arrays.copyOfRange(sivKeys.get(k), half * h, half * h + half);
                                boolean constants = h == 0 && hasConstants[k];
                                loaded.add(part);
                                withConstants.add(constants);
                                List<BigInteger> f = new ArrayList<>(List.of(BigInteger.valueOf(2 * i + h), BigInteger.valueOf(2 * k + h), keyField(keyBits, part)));
                                if (mixed) f.add(BigInteger.valueOf(half == 32 ? 1 : 0));
                                f.add(BigInteger.valueOf(constants ? 1 : 0));
                                tb.push("key_op", f.toArray(BigInteger[]::new));
                            }
                        }
                        tb.runUntilDrained(100_000, 0);
                        for (int waited = 0; tb.beats("done").size() < dBefore + 16 && waited < 10_000; waited += 64) tb.run(64);
                        List<Testbench.Beat> kd = tb.beats("done").subList(dBefore, tb.beats("done").size());
                        assertEquals(16, kd.size(), "round " + round + ": every key load done");
                        for (Testbench.Beat b : kd) {
                            int i = (int) b.field(0);
                            byte[] want = withConstants.get(i) ? AesSimTest.cmac(loaded.get(i), new byte[16]) : AesSimTest.bc(loaded.get(i), new byte[16]);
                            assertArrayEquals(want, AesSimTest.bytes(b.fields()[1], 16), "key load on lane " + i + (withConstants.get(i)
                                    ? ": D0 = CMAC(K, zero block)" : ": L = AES(K, 0)"));
                        }
                    }
                    List<Job> jobs = new ArrayList<>();
                    byte[] image = new byte[4 * WORDS];
                    rnd.nextBytes(image);
                    for (int l = 0; l < LANES; l++) {
                        int[] shape = round == 0 ? shapes[l % 3] : new int[] {rnd.nextInt(4) == 0 ? 0 : rnd.nextInt(201), rnd.nextInt(33), rnd.nextInt(121)};
                        int key = rnd.nextInt(32);
                        int half = sivKeys.get(key).length / 2;
                        if (half == 32) wide++;
                        AesSiv siv = new AesSiv(sivKeys.get(key));
                        byte[] ad = rand(rnd, shape[0]), n = rand(rnd, shape[1]), p = rand(rnd, shape[2]);
                        byte[] sealed = siv.seal(List.of(ad, n), p);
                        byte[] v = Arrays.copyOf(sealed, 16), c = Arrays.copyOfRange(sealed, 16, sealed.length);
                        boolean open = rnd.nextBoolean(), corrupt = open && rnd.nextInt(4) == 0;
                        int base = l * REGION, adAt = base, nAt = adAt + words(ad.length), pAt = nAt + words(n.length), outAt = pAt + words(p.length);
                        byte[] in = open ? c.clone() : p, tag = open ? v.clone() : new byte[16];
                        if (corrupt) {
                            if (in.length > 0 && rnd.nextBoolean()) in[rnd.nextInt(in.length)] ^= (byte) (1 << rnd.nextInt(8));
                            else tag[rnd.nextInt(16)] ^= (byte) (1 << rnd.nextInt(8));
                        }
                        System.arraycopy(ad, 0, image, 4 * adAt, ad.length);
                        System.arraycopy(n, 0, image, 4 * nAt, n.length);
                        System.arraycopy(in, 0, image, 4 * pAt, in.length);
                        // S2V from the key's constants where it has them (after the empty AD when the AD is empty)
                        int from = !hasConstants[key] ? AesSivOps.S2V_FULL : ad.length == 0 && rnd.nextBoolean() ? AesSivOps.S2V_AFTER_EMPTY_AD
                                : rnd.nextBoolean() ? AesSivOps.S2V_FROM_D0 : AesSivOps.S2V_FULL;
                        if (from != AesSivOps.S2V_FULL) fromConstants++;
                        if (round > 0 && rnd.nextInt(6) == 0) {
                            // CTR alone (the core's nonces): the keystream under the CTR half from the counter in tag, memory unread
                            byte[] counter = rand(rnd, 16), ks = keystream(Arrays.copyOfRange(sivKeys.get(key), half, 2 * half), counter, 1 + rnd.nextInt(48));
                            jobs.add(new Job(l, key, AesSivOps.S2V_NONE, true, false, new byte[0], new byte[0], rand(rnd, ks.length), counter, adAt, nAt, pAt,
                                    outAt, ks, null));
                            continue;
                        }
                        jobs.add(new Job(l, key, from, open, corrupt, ad, n, in, tag, adAt, nAt, pAt, outAt, open ? p : c, v));
                    }
                    for (int w = 0; w < WORDS; w++)
                        tb.push("data_wr", BigInteger.valueOf(w), new BigInteger(1, Arrays.copyOfRange(image, 4 * w, 4 * w + 4)));
                    tb.run(WORDS + 64);
                    for (Job j : jobs)
                        tb.push("op", BigInteger.valueOf(j.lane), BigInteger.valueOf(j.open ? 1 : 0), BigInteger.valueOf(2 * j.key),
                                BigInteger.valueOf(2 * j.key + 1), BigInteger.valueOf(j.adAt), BigInteger.valueOf(j.ad.length), BigInteger.valueOf(j.nAt),
                                BigInteger.valueOf(j.n.length), BigInteger.valueOf(j.pAt), BigInteger.valueOf(j.in.length), BigInteger.valueOf(j.outAt),
                                new BigInteger(1, j.tag), BigInteger.valueOf(j.s2vFrom));
                    int before = tb.beats("done").size();
                    tb.runUntilDrained(2_000_000, 0);
                    // then until every operation is done (a long one is some 30 blocks of about 20 cycles each)
                    for (int waited = 0; tb.beats("done").size() < before + LANES && waited < 100_000; waited += 256) tb.run(256);
                    List<Testbench.Beat> dones = tb.beats("done").subList(before, tb.beats("done").size());
                    java.util.Set<Integer> seen = new java.util.HashSet<>();
                    for (Testbench.Beat b : dones) seen.add((int) b.field(0));
                    for (Job j : jobs)
                        assertTrue(seen.contains(j.lane), "round " + round + " lane " + j.lane + (j.open ? " open" : " seal") + " AD " + j.ad.length
                                + " N " + j.n.length + " text " + j.in.length + ": not done");
                    assertEquals(LANES, dones.size(), "round " + round + ": every operation done once");
                    Map<Integer, Testbench.Beat> byLane = new HashMap<>();
                    for (Testbench.Beat b : dones) byLane.put((int) b.field(0), b);
                    // read every operation's output back, 16 bytes at a time
                    int readsBefore = tb.beats("rd_res").size();
                    List<int[]> reads = new ArrayList<>();
                    for (Job j : jobs)
                        for (int off = 0; off < j.wantOut.length; off += 16) {
                            reads.add(new int[] {j.lane, off});
                            tb.push("rd_req", BigInteger.valueOf(j.outAt + off / 4));
                        }
                    tb.runUntilDrained(200_000, 50);
                    List<Testbench.Beat> got = tb.beats("rd_res").subList(readsBefore, tb.beats("rd_res").size());
                    assertEquals(reads.size(), got.size());
                    Map<Integer, byte[]> out = new HashMap<>();
                    for (Job j : jobs) out.put(j.lane, new byte[(j.wantOut.length + 15) / 16 * 16]);
                    for (int k = 0; k < reads.size(); k++)
                        System.arraycopy(AesSimTest.bytes(got.get(k).fields()[0], 16), 0, out.get(reads.get(k)[0]), reads.get(k)[1], 16);
                    for (Job j : jobs) {
                        Testbench.Beat b = byLane.get(j.lane);
                        String what = "round " + round + " lane " + j.lane + (j.open ? j.corrupt ? " open (corrupted)" : " open" : " seal") + " AD "
                                + j.ad.length + " N " + j.n.length + " text " + j.in.length;
                        if (!j.open) {
                            assertArrayEquals(j.wantV, AesSimTest.bytes(b.fields()[1], 16), what + ": V");
                            assertArrayEquals(j.wantOut, Arrays.copyOf(out.get(j.lane), j.wantOut.length), what + ": ciphertext");
                        } else if (j.s2vFrom == AesSivOps.S2V_NONE) {
                            assertEquals(1, b.field(2), what + ": CTR alone is done with ok");
                            assertArrayEquals(j.wantOut, Arrays.copyOf(out.get(j.lane), j.wantOut.length), what + ": CTR alone, the keystream");
                            ctrOnly++;
                        } else if (!j.corrupt) {
                            assertEquals(1, b.field(2), what + ": verifies");
                            assertArrayEquals(j.wantV, AesSimTest.bytes(b.fields()[1], 16), what + ": V");
                            assertArrayEquals(j.wantOut, Arrays.copyOf(out.get(j.lane), j.wantOut.length), what + ": plaintext");
                            opened++;
                        } else {
                            assertEquals(0, b.field(2), what + ": must not verify");
                            rejected++;
                        }
                        total++;
                    }
                }
                assertTrue(opened > 0 && rejected > 0, "opened " + opened + ", rejected " + rejected);
                assertTrue(ctrOnly > 4, "CTR-alone operations: " + ctrOnly);
                assertTrue(fromConstants > 4, "operations starting from a key's S2V constants: " + fromConstants);
                if (mixed) assertTrue(wide > 20 && wide < total - 20, "AES-SIV-CMAC-512 operations among both kinds: " + wide);
                int ii = tb.plainOutIndex("aes_issue");
                long issued = tb.plainHistory().stream().filter(r -> r[ii].signum() != 0).count();
                System.out.printf("%s (ready %.1f): %d operations (%d opened, %d rejected, %d from key constants), %d AES blocks%n", name, ready,
                        total, opened, rejected, fromConstants, issued);
                assertTrue(tb.violations().isEmpty(), tb.violations().toString());
            }
        }
    }
}
