package org.ntsfab.ip.aes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;
import javax.crypto.Cipher;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.ntsfab.hdl.Design;
import org.ntsfab.harness.SimOptions;
import org.ntsfab.harness.SimSeeds;
import org.ntsfab.harness.Testbench;

/**
 * The shared AES pipeline ({@link AesArbiter}) with n clients under random request patterns (each client's offer
 * density different, bursts and silences): every request is answered exactly once, on its own client's result
 * port, in its order, with AES_K(block) from {@code javax.crypto} (FIPS-197 C.1/C.3 among them), a fixed number of
 * cycles after it was accepted. A cycle-by-cycle model of the round robin (the first client after the one last
 * issued with a request waiting) predicts the cycle every request is accepted; and from the RTL's accepted cycles
 * alone: no client waits more than n - 1 cycles with a request offered.
 */
class AesArbiterSimTest {
    static final int RESET = 4;

    static byte[] aes(byte[] key, byte[] block) throws Exception {
        Cipher c = Cipher.getInstance("AES/ECB/NoPadding");
        c.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"));
        return c.doFinal(block);
    }

    @ParameterizedTest(name = "{0} clients, AES-{1}, {2} rounds per stage")
    @CsvSource({"3, 128, 1", "5, 256, 2"})
    void everyRequestAnsweredOnceToItsClient(int n, int keyBits, int roundsPerStage) throws Exception {
        Design d = Design.elaborate(() -> new AesArbiter(n, keyBits, roundsPerStage));
        long seed = SimSeeds.announce("aes_shared_" + n, "arb" + n, false);
        SplittableRandom r = new SplittableRandom(seed);
        int horizon = 12_000;
        List<List<byte[][]>> reqs = new ArrayList<>();
        BitSet[] offer = new BitSet[n];
        for (int s = 0; s < n; s++) {
            List<byte[][]> q = new ArrayList<>();
            int count = s == 1 ? 40 : 300 + r.nextInt(400);
            for (int i = 0; i < count; i++) {
                byte[] k = new byte[keyBits / 8], b = new byte[16];
                r.nextBytes(k);
                r.nextBytes(b);
                if (i == 0 && s == 0) {   // FIPS-197 Appendix C: key 000102.., plaintext 00112233..ff
                    for (int j = 0; j < k.length; j++) k[j] = (byte) j;
                    b = HexFormat.of().parseHex("00112233445566778899aabbccddeeff");
                }
                q.add(new byte[][] {k, b});
            }
            reqs.add(q);
            // bursts: stretches of dense offers and of silence
            offer[s] = new BitSet(horizon);
            double p = 0.5;
            for (int c = 0; c < horizon; c++) {
                if (c % 97 == 0) p = new double[] {0.0, 0.1, 0.5, 1.0, 1.0}[r.nextInt(5)];
                if (r.nextDouble() < p) offer[s].set(c);
            }
        }
        assertEquals(keyBits == 128 ? "69c4e0d86a7b0430d8cdb78070b4c55a" : "8ea2b7ca516745bfeafc49904b496089",
                HexFormat.of().formatHex(aes(reqs.get(0).get(0)[0], reqs.get(0).get(0)[1])), "javax.crypto against FIPS-197 C.1/C.3");

        Testbench.Builder bld = Testbench.of(d);
        for (int s = 0; s < n; s++) bld.source("req" + s).sink("res" + s);
        try (Testbench tb = bld.build(SimOptions.fast(), seed)) {
            for (int s = 0; s < n; s++) {
                final int src = s;
                tb.offerWhen("req" + s, c -> c < horizon && offer[src].get((int) c));
                for (byte[][] q : reqs.get(s)) tb.push("req" + s, new BigInteger(1, q[0]), new BigInteger(1, q[1]), BigInteger.valueOf(r.nextInt(2)));
            }
            tb.run(horizon);
            assertTrue(tb.drained(), "requests left unaccepted after " + horizon + " cycles");
            tb.run(64);
            assertTrue(tb.violations().isEmpty(), "protocol violations: " + tb.violations());

            // the model's round robin, cycle by cycle, with the harness's sources
            int[] next = new int[n];
            boolean[] holding = new boolean[n];
            int last = n - 1;
            List<List<Long>> modelAccepted = new ArrayList<>();
            for (int s = 0; s < n; s++) modelAccepted.add(new ArrayList<>());
            for (int c = RESET; c < horizon; c++) {
                for (int s = 0; s < n; s++) if (!holding[s] && next[s] < reqs.get(s).size() && offer[s].get(c)) holding[s] = true;
                for (int k = 1; k <= n; k++) {
                    int s = (last + k) % n;
                    if (holding[s]) {
                        modelAccepted.get(s).add((long) c);
                        holding[s] = false;
                        next[s]++;
                        last = s;
                        break;
                    }
                }
            }
            Long latency = null;
            for (int s = 0; s < n; s++) {
                List<Long> acc = tb.acceptedCycles("req" + s);
                sameCycles(modelAccepted.get(s), acc, "cycles client " + s + "'s requests were issued");
                List<Testbench.Beat> res = tb.beats("res" + s);
                assertEquals(reqs.get(s).size(), res.size(), "results on client " + s + "'s port");
                for (int i = 0; i < res.size(); i++) {
                    byte[][] q = reqs.get(s).get(i);
                    assertEquals(new BigInteger(1, aes(q[0], q[1])), res.get(i).fields()[0], "client " + s + " request " + i + " ciphertext");
                    long lat = res.get(i).cycle() - acc.get(i);
                    if (latency == null) latency = lat;
                    assertEquals(latency, lat, "client " + s + " request " + i + " latency");
                }
                // no starvation: a request offered from cycle f (the first its pattern allows after the previous was taken) is issued by f + n - 1
                long prev = RESET - 1;
                for (int i = 0; i < acc.size(); i++) {
                    int f = offer[s].nextSetBit((int) prev + 1);
                    assertTrue(acc.get(i) - f <= n - 1, "client " + s + " request " + i + " waited " + (acc.get(i) - f) + " cycles");
                    prev = acc.get(i);
                }
            }
            assertTrue(latency >= 1, "results are registered");
        }
    }

    /** Equal lists of cycles, or the first request where they differ. */
    static void sameCycles(List<Long> expected, List<Long> got, String what) {
        for (int i = 0; i < Math.min(expected.size(), got.size()); i++)
            assertEquals(expected.get(i), got.get(i), what + ": entry " + i);
        assertEquals(expected.size(), got.size(), what + ": count");
    }
}
