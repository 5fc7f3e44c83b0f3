package org.ntsfab.ip.aes;

import org.ntsfab.harness.SimOptions;
import org.ntsfab.harness.SimSeeds;
import org.ntsfab.harness.Testbench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.bouncycastle.crypto.engines.AESEngine;
import org.bouncycastle.crypto.macs.CMac;
import org.bouncycastle.crypto.params.KeyParameter;
import org.junit.jupiter.api.Test;
import org.ntsfab.gen.LibraryTops;
import org.ntsfab.hdl.Design;

/**
 * Sixteen AES-CMAC chains interleaved on one pipeline, against Bouncy Castle's CMac: RFC 4493's
 * four examples, then random keys and messages of 0..200 bytes on every chain (keys reused across
 * messages as S2V does), under output backpressure; and the pipeline's use with every chain busy.
 */
class AesCmacEngineSimTest {
    static final HexFormat HEX = HexFormat.of();

    static byte[] cmac(byte[] key, byte[] msg) {
        CMac m = new CMac(new AESEngine());
        m.init(new KeyParameter(key));
        m.update(msg, 0, msg.length);
        byte[] out = new byte[16];
        m.doFinal(out, 0);
        return out;
    }

    record Msg(int slot, byte[] key, boolean newKey, byte[] data) {}

    /** Blocks of each message, chains interleaved: block j of every chain before block j+1 of any. */
    static void push(Testbench tb, List<List<Msg>> perSlot) {
        List<List<long[]>> dummy = null;
        List<List<BigInteger[]>> seq = new ArrayList<>();
        for (List<Msg> msgs : perSlot) {
            List<BigInteger[]> blocks = new ArrayList<>();
            for (Msg m : msgs) {
                int n = Math.max(1, (m.data.length + 15) / 16);
                for (int b = 0; b < n; b++) {
                    byte[] chunk = new byte[16];
                    int len = Math.min(16, m.data.length - 16 * b);
                    System.arraycopy(m.data, 16 * b, chunk, 0, Math.max(0, len));
                    boolean last = b == n - 1;
                    blocks.add(new BigInteger[] {BigInteger.valueOf(m.slot), new BigInteger(1, m.key), new BigInteger(1, chunk),
                            BigInteger.valueOf(b == 0 ? 1 : 0), BigInteger.valueOf(b == 0 && m.newKey ? 1 : 0), BigInteger.valueOf(last ? 1 : 0),
                            BigInteger.valueOf(last ? Math.max(0, len) : 16)});
                }
            }
            seq.add(blocks);
        }
        for (int j = 0; ; j++) {
            boolean any = false;
            for (List<BigInteger[]> blocks : seq) {
                if (j < blocks.size()) {
                    tb.push("blk", blocks.get(j));
                    any = true;
                }
            }
            if (!any) break;
        }
    }

    @Test
    void macsEqualBouncyCastleAndThePipelineStaysFull() throws Exception {
        Design d = LibraryTops.elaborate("aes128_cmac_engine_16");
        long seed = SimSeeds.announce("aes128_cmac_engine_16", "cmac", false);
        SplittableRandom rnd = new SplittableRandom(seed);
        // RFC 4493 §4: key 2b7e1516..., messages of 0, 16, 40 and 64 bytes
        byte[] rfcKey = HEX.parseHex("2b7e151628aed2a6abf7158809cf4f3c");
        byte[] rfcMsg = HEX.parseHex("6bc1bee22e409f96e93d7e117393172aae2d8a571e03ac9c9eb76fac45af8e5130c81c46a35ce411e5fbc1191a0a52ef"
                + "f69f2445df4f9b17ad2b417be66c3710");
        String[] rfcMacs = {"bb1d6929e95937287fa37d129b756746", "070a16b46b4d4144f79bdd9dd04a287c", "dfa66747de9ae63030ca32611497c827",
                "51f0bebf7e3b9d92fc49741779363cfe"};
        int[] rfcLens = {0, 16, 40, 64};
        List<List<Msg>> perSlot = new ArrayList<>();
        for (int s = 0; s < 16; s++) perSlot.add(new ArrayList<>());
        for (int i = 0; i < 4; i++) perSlot.get(i).add(new Msg(i, rfcKey, true, java.util.Arrays.copyOf(rfcMsg, rfcLens[i])));
        for (int s = 0; s < 16; s++) {
            byte[] key = new byte[16];
            rnd.nextBytes(key);
            for (int m = 0; m < 30; m++) {
                boolean newKey = m == 0 || rnd.nextInt(3) == 0;
                if (newKey && m > 0) {
                    key = new byte[16];
                    rnd.nextBytes(key);
                }
                byte[] data = new byte[rnd.nextInt(201)];
                rnd.nextBytes(data);
                perSlot.get(s).add(new Msg(s, key, newKey, data));
            }
        }
        for (double ready : new double[] {1.0, 0.4}) {
            try (Testbench tb = Testbench.of(d).source("blk").sink("mac").build(SimOptions.fast(), seed)) {
                tb.readyProbability("mac", ready);
                push(tb, perSlot);
                tb.runUntilDrained(2_000_000, 200);
                Map<Integer, Integer> next = new HashMap<>();
                int total = 0;
                for (Testbench.Beat b : tb.beats("mac")) {
                    int slot = (int) b.field(0);
                    int k = next.merge(slot, 1, Integer::sum) - 1;
                    Msg m = perSlot.get(slot).get(k);
                    byte[] got = AesSimTest.bytes(b.fields()[1], 16);
                    assertArrayEquals(cmac(m.key, m.data), got, "slot " + slot + " message " + k + " (" + m.data.length + " bytes)");
                    total++;
                }
                assertEquals(perSlot.stream().mapToInt(List::size).sum(), total);
                for (int i = 0; i < 4; i++) assertEquals(rfcMacs[i], HEX.formatHex(cmacOf(tb, i)), "RFC 4493 example " + (i + 1));
                if (ready == 1.0) {
                    // with all sixteen chains busy the pipeline (11 deep) takes a block nearly every cycle
                    int ii = tb.plainOutIndex("aes_issue");
                    List<BigInteger[]> h = tb.plainHistory();
                    long issued = h.stream().filter(r -> r[ii].signum() != 0).count();
                    int first = -1, last = -1;
                    for (int c = 0; c < h.size(); c++) if (h.get(c)[ii].signum() != 0) {
                        if (first < 0) first = c;
                        last = c;
                    }
                    double use = (double) issued / (last - first + 1);
                    System.out.printf("aes128_cmac_engine_16: %d AES blocks in %d cycles: %.3f blocks/cycle%n", issued, last - first + 1, use);
                    assertTrue(use > 0.8, "pipeline use " + use);
                }
                assertTrue(tb.violations().isEmpty(), tb.violations().toString());
            }
        }
    }

    private static byte[] cmacOf(Testbench tb, int slot) {
        for (Testbench.Beat b : tb.beats("mac")) if (b.field(0) == slot) return AesSimTest.bytes(b.fields()[1], 16);
        throw new AssertionError("no MAC for slot " + slot);
    }
}
