package org.ntsfab.ip.aes;

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
import org.junit.jupiter.api.Test;
import org.ntsfab.gen.LibraryTops;
import org.ntsfab.harness.SimOptions;
import org.ntsfab.harness.SimSeeds;
import org.ntsfab.harness.Testbench;
import org.ntsfab.hdl.Design;

/**
 * The NTS core's AES block service: 32 lanes of CMAC chains and ECB blocks interleaved on one pipeline, data and keys
 * in memory, against Bouncy Castle's AES and CMac: RFC 4493's four examples, random keys and messages of 0..200 bytes at
 * any word address, some with masks (S2V's xorend), ECB blocks (the nonces, a key's L) and CTR blocks (a counter
 * encrypted and xored with 1..16 bytes of data) between messages on the same lanes, under output backpressure; and the
 * pipeline's use with every lane busy.
 */
class AesLanesSimTest {
    static final HexFormat HEX = HexFormat.of();
    static final int LANES = 32, WORDS = 1024;

    /** RFC 4493's subkey K1 = dbl(AES(K, 0)), computed here with Bouncy Castle's AES. */
    static byte[] k1(byte[] key) {
        BigInteger l = new BigInteger(1, AesSimTest.bc(key, new byte[16]));
        BigInteger d = l.shiftLeft(1);
        if (l.testBit(127)) d = d.xor(BigInteger.valueOf(0x87));
        d = d.and(BigInteger.ONE.shiftLeft(128).subtract(BigInteger.ONE));
        return AesSimTest.bytes(d, 16);
    }

    enum Kind { CMAC, ECB, CTR }

    /**
     * One job on one lane: a CMAC message (each block xored with its mask first: zero, or random over the block's data
     * bytes), one ECB block, or one CTR block (the counter encrypted, xored with the data's first bytes).
     */
    record Job(int lane, int key, int addr, byte[] data, Kind kind, byte[][] masks) {
        boolean ecb() {
            return kind != Kind.CMAC;
        }

        int blocks() {
            return ecb() ? 1 : Math.max(1, (data.length + 15) / 16);
        }

        /** What the lane must return, from Bouncy Castle. */
        byte[] expected(byte[] key) {
            switch (kind) {
                case ECB:
                    return AesSimTest.bc(key, data);
                case CTR: {
                    // the keystream xor the data's bytes (beyond them, the keystream as it is)
                    byte[] out = AesSimTest.bc(key, masks[0]);
                    for (int i = 0; i < data.length; i++) out[i] ^= data[i];
                    return out;
                }
                default: {
                    byte[] m = data.clone();
                    for (int i = 0; i < m.length; i++) m[i] ^= masks[i / 16][i % 16];
                    return AesSimTest.cmac(key, m);
                }
            }
        }
    }

    /** The lanes with their AES-128 pipeline (one round per stage), as the NTS core connects them. */
    public static final class WithPipeline extends org.ntsfab.hdl.Component {
        public final org.ntsfab.hdl.Stream<AesLanes.DataWrite> data_wr;
        public final org.ntsfab.hdl.Stream<AesLanes.BlockWrite> blk_wr;
        public final org.ntsfab.hdl.Stream<AesLanes.ReadReq> rd_req;
        public final org.ntsfab.hdl.Stream<AesLanes.ReadRes> rd_res;
        public final org.ntsfab.hdl.Stream<AesLanes.KeyWrite> key_wr;
        public final org.ntsfab.hdl.Stream<AesLanes.Cmd> cmd;
        public final org.ntsfab.hdl.Stream<AesLanes.Res> res;
        public final org.ntsfab.hdl.Bool aes_issue;

        public WithPipeline() {
            moduleName("aes128_lanes_32_bench");
            AesLanes l = add("lanes", new AesLanes(LANES, 64, WORDS));
            AesPipeline p = add("aes", new AesPipeline(128, 1, l.aes_req.payload.tag.width()));
            data_wr = slave(new org.ntsfab.hdl.Stream<>(new AesLanes.DataWrite(10)));
            blk_wr = slave(new org.ntsfab.hdl.Stream<>(new AesLanes.BlockWrite(10)));
            rd_req = slave(new org.ntsfab.hdl.Stream<>(new AesLanes.ReadReq(10)));
            rd_res = master(new org.ntsfab.hdl.Stream<>(new AesLanes.ReadRes()));
            key_wr = slave(new org.ntsfab.hdl.Stream<>(new AesLanes.KeyWrite(6)));
            cmd = slave(new org.ntsfab.hdl.Stream<>(new AesLanes.Cmd(5, 6, 10)));
            res = master(new org.ntsfab.hdl.Stream<>(new AesLanes.Res(5)));
            aes_issue = out(new org.ntsfab.hdl.Bool());
            l.data_wr.connectFrom(data_wr);
            l.blk_wr.connectFrom(blk_wr);
            l.rd_req.connectFrom(rd_req);
            rd_res.connectFrom(l.rd_res);
            l.key_wr.connectFrom(key_wr);
            l.cmd.connectFrom(cmd);
            res.connectFrom(l.res);
            aes_issue.set(l.aes_issue);
            p.in.connectFrom(l.aes_req);
            l.aes_res.connectFrom(p.out);
        }
    }

    @Test
    void macsAndBlocksEqualBouncyCastleAndThePipelineStaysFull() throws Exception {
        Design d = Design.elaborate(WithPipeline::new);
        long seed = SimSeeds.announce("aes128_lanes_32", "lanes", false);
        SplittableRandom rnd = new SplittableRandom(seed);
        List<byte[]> keys = new ArrayList<>();
        keys.add(HEX.parseHex("2b7e151628aed2a6abf7158809cf4f3c"));  // RFC 4493's key, entry 0
        for (int k = 1; k < 64; k++) {
            byte[] key = new byte[16];
            rnd.nextBytes(key);
            keys.add(key);
        }
        byte[] memory = new byte[4 * WORDS];
        rnd.nextBytes(memory);
        byte[] rfcMsg = HEX.parseHex("6bc1bee22e409f96e93d7e117393172aae2d8a571e03ac9c9eb76fac45af8e5130c81c46a35ce411e5fbc1191a0a52ef"
                + "f69f2445df4f9b17ad2b417be66c3710");
        System.arraycopy(rfcMsg, 0, memory, 0, 64);
        byte[] wordImage = memory.clone();
        // block writes over it after the word writes: 1..16 bytes each at a word address (byte masks, bank rotation)
        List<BigInteger[]> blockWrites = new ArrayList<>();
        for (int w = 0; w < 200; w++) {
            int addr = 16 + rnd.nextInt(WORDS - 20), bytes = 1 + rnd.nextInt(16);
            byte[] blk = new byte[16];
            rnd.nextBytes(blk);
            System.arraycopy(blk, 0, memory, 4 * addr, bytes);
            blockWrites.add(new BigInteger[] {BigInteger.valueOf(addr), new BigInteger(1, blk), BigInteger.valueOf(bytes)});
        }
        String[] rfcMacs = {"bb1d6929e95937287fa37d129b756746", "070a16b46b4d4144f79bdd9dd04a287c", "dfa66747de9ae63030ca32611497c827",
                "51f0bebf7e3b9d92fc49741779363cfe"};
        int[] rfcLens = {0, 16, 40, 64};
        List<List<Job>> perLane = new ArrayList<>();
        for (int l = 0; l < LANES; l++) perLane.add(new ArrayList<>());
        for (int i = 0; i < 4; i++) perLane.get(i).add(new Job(i, 0, 0, java.util.Arrays.copyOf(rfcMsg, rfcLens[i]), Kind.CMAC, new byte[4][16]));
        for (int l = 0; l < LANES; l++) {
            for (int m = 0; m < 12; m++) {
                Kind kind = Kind.values()[rnd.nextInt(4) % 3];
                int len = kind == Kind.ECB ? 16 : kind == Kind.CTR ? 1 + rnd.nextInt(16) : rnd.nextInt(201);
                int addr = rnd.nextInt(WORDS - (len + 3) / 4 - 4);
                byte[][] masks = new byte[Math.max(1, (len + 15) / 16)][16];
                if (kind == Kind.CTR) rnd.nextBytes(masks[0]);
                if (kind == Kind.CMAC && rnd.nextBoolean())
                    for (int i = 0; i < len; i++) masks[i / 16][i % 16] = (byte) rnd.nextInt(256);
                perLane.get(l).add(new Job(l, rnd.nextInt(64), addr, java.util.Arrays.copyOfRange(memory, 4 * addr, 4 * addr + len), kind, masks));
            }
        }
        for (double ready : new double[] {1.0, 0.4}) {
            try (Testbench tb = Testbench.of(d).source("data_wr").source("blk_wr").source("key_wr").source("cmd").source("rd_req").sink("res").sink("rd_res").build(SimOptions.fast(), seed)) {
                tb.readyProbability("res", ready);
                tb.readyProbability("rd_res", ready);
                for (int w = 0; w < WORDS; w++) tb.push("data_wr", BigInteger.valueOf(w), new BigInteger(1, java.util.Arrays.copyOfRange(wordImage, 4 * w, 4 * w + 4)));
                for (int k = 0; k < 64; k++) tb.push("key_wr", BigInteger.valueOf(k), new BigInteger(1, keys.get(k)), new BigInteger(1, k1(keys.get(k))));
                tb.run(WORDS + 16);
                for (BigInteger[] w : blockWrites) tb.push("blk_wr", w);
                tb.run(blockWrites.size() + 16);
                // reads between the lanes' blocks: 16 bytes at random word addresses, as written
                List<Integer> reads = new ArrayList<>();
                for (int k = 0; k < 300; k++) reads.add(rnd.nextInt(WORDS - 4));
                for (int a : reads) tb.push("rd_req", BigInteger.valueOf(a));
                // blocks interleaved over lanes: block j of every lane's current job before block j + 1 of any
                List<List<BigInteger[]>> seq = new ArrayList<>();
                for (List<Job> jobs : perLane) {
                    List<BigInteger[]> blocks = new ArrayList<>();
                    for (Job j : jobs) {
                        int n = j.blocks();
                        for (int b = 0; b < n; b++) {
                            boolean last = b == n - 1;
                            int bytes = j.ecb() ? j.data.length : last ? j.data.length - 16 * b : 16;
                            int sub = j.ecb() || !last ? AesLanes.SUB_NONE : bytes == 16 ? AesLanes.SUB_K1 : AesLanes.SUB_K2;
                            boolean pad = !j.ecb() && last && bytes < 16;
                            blocks.add(new BigInteger[] {BigInteger.valueOf(j.lane), BigInteger.valueOf(j.key), BigInteger.valueOf(j.addr + 4 * b),
                                    BigInteger.valueOf(bytes), BigInteger.valueOf(b == 0 ? 1 : 0), BigInteger.valueOf(last ? 1 : 0),
                                    BigInteger.valueOf(j.ecb() ? 1 : 0), BigInteger.valueOf(pad ? 1 : 0), BigInteger.valueOf(sub),
                                    BigInteger.valueOf(j.kind == Kind.CTR ? 1 : 0), new BigInteger(1, j.masks[b])});
                        }
                    }
                    seq.add(blocks);
                }
                for (int j = 0; ; j++) {
                    boolean any = false;
                    for (List<BigInteger[]> blocks : seq)
                        if (j < blocks.size()) {
                            tb.push("cmd", blocks.get(j));
                            any = true;
                        }
                    if (!any) break;
                }
                tb.runUntilDrained(2_000_000, 200);
                List<Testbench.Beat> readBack = tb.beats("rd_res");
                assertEquals(reads.size(), readBack.size(), "every read answered");
                for (int k = 0; k < reads.size(); k++)
                    assertArrayEquals(java.util.Arrays.copyOfRange(memory, 4 * reads.get(k), 4 * reads.get(k) + 16), AesSimTest.bytes(readBack.get(k).fields()[0], 16),
                            "read " + k + " at word " + reads.get(k));
                Map<Integer, Integer> next = new HashMap<>();
                int total = 0;
                for (Testbench.Beat b : tb.beats("res")) {
                    int lane = (int) b.field(0);
                    int k = next.merge(lane, 1, Integer::sum) - 1;
                    Job j = perLane.get(lane).get(k);
                    byte[] got = AesSimTest.bytes(b.fields()[1], 16);
                    assertArrayEquals(j.expected(keys.get(j.key)), got, "lane " + lane + " job " + k + " (" + j.kind + ", " + j.data.length + " bytes)");
                    assertEquals(j.ecb() ? 1 : 0, b.field(2));
                    if (lane < 4 && k == 0) assertEquals(rfcMacs[lane], HEX.formatHex(got), "RFC 4493 example " + (lane + 1));
                    total++;
                }
                assertEquals(perLane.stream().mapToInt(List::size).sum(), total);
                if (ready == 1.0) {
                    int ii = tb.plainOutIndex("aes_issue");
                    List<BigInteger[]> h = tb.plainHistory();
                    List<Integer> at = new ArrayList<>();
                    for (int c = 0; c < h.size(); c++) if (h.get(c)[ii].signum() != 0) at.add(c);
                    int span = at.get(at.size() - 1) - at.get(0) + 1;
                    double use = (double) at.size() / span;
                    // the first 80 % of the blocks, before the lanes run out of work one by one at the end of the run (the whole
                    // run's figure depends on how long the lanes' last jobs are, so it is printed, not asserted)
                    int k80 = at.size() * 8 / 10;
                    double steady = (double) k80 / (at.get(k80 - 1) - at.get(0) + 1);
                    System.out.printf("aes128_lanes_32: %d AES blocks in %d cycles: %.3f blocks/cycle (%.3f over the first 80 %%)%n",
                            at.size(), span, use, steady);
                    assertTrue(steady > 0.9, "pipeline use while every lane has work " + steady);
                }
                assertTrue(tb.violations().isEmpty(), tb.violations().toString());
            }
        }
    }
}
