package org.ntsfab.ip.eth;

import org.ntsfab.harness.SimOptions;
import org.ntsfab.harness.SimSeeds;
import org.ntsfab.harness.Testbench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.zip.CRC32;
import org.junit.jupiter.api.Test;
import org.ntsfab.gen.LibraryTops;
import org.ntsfab.hdl.Design;
import org.ntsfab.harness.AxisFrames;
import org.ntsfab.ip.eth.InternetChecksum;
import org.ntsfab.ip.stream.RealignModel;

/** Frame-level blocks (FCS, checksum, realigner) against independent Java models, thousands of random frames. */
class FrameBlocksSimTest {
    static byte[] randomFrame(SplittableRandom r, int maxLen) {
        int len = 1 + (r.nextInt(4) == 0 ? r.nextInt(16) : r.nextInt(maxLen));
        byte[] f = new byte[len];
        for (int i = 0; i < len; i++) f[i] = (byte) r.nextInt(256);
        return f;
    }

    static void pushFrame(Testbench tb, String src, byte[] frame, int user) {
        for (AxisFrames.Beat b : AxisFrames.toBeats(frame, 8, user)) tb.push(src, b.fields());
    }

    static long crc32(byte[] b, int len) {
        CRC32 c = new CRC32();
        c.update(b, 0, len);
        return c.getValue();
    }

    @org.junit.jupiter.params.ParameterizedTest(name = "xUnique={0}")
    @org.junit.jupiter.params.provider.ValueSource(booleans = {false, true})
    void fcsMatchesJavaCrc32AndChecksTrailingFcs(boolean xUnique) {
        Design d = LibraryTops.elaborate("eth_fcs_64");
        long seed = SimSeeds.announce("eth_fcs_64", "fcs", xUnique);
        SplittableRandom r = new SplittableRandom(seed);
        List<byte[]> frames = new ArrayList<>();
        List<Boolean> good = new ArrayList<>();
        try (Testbench tb = Testbench.of(d).source("in").flow("crc", "crc_valid", "crc", "crc_ok")
                .build(SimOptions.of(xUnique, seed), seed)) {
            tb.offerProbability("in", 0.7);
            for (int i = 0; i < 3000; i++) {
                byte[] f = randomFrame(r, 1600);
                boolean withFcs = f.length > 4 && r.nextBoolean();
                if (withFcs) {
                    long fcs = crc32(f, f.length - 4);
                    for (int k = 0; k < 4; k++) f[f.length - 4 + k] = (byte) (fcs >>> (8 * k));
                    if (r.nextInt(8) == 0) { // corrupt one bit: must be caught
                        int bit = r.nextInt(8 * f.length);
                        f[bit / 8] ^= (byte) (1 << (bit % 8));
                        withFcs = false;
                    }
                }
                frames.add(f);
                good.add(withFcs);
                pushFrame(tb, "in", f, 0);
            }
            tb.runUntilDrained(2_000_000, 10);
            List<Testbench.Beat> got = tb.beats("crc");
            assertEquals(frames.size(), got.size(), "one result per frame");
            for (int i = 0; i < frames.size(); i++) {
                byte[] f = frames.get(i);
                Testbench.Beat b = got.get(i);
                if (b.field(0) != crc32(f, f.length) || b.field(1) != (good.get(i) ? 1 : 0))
                    throw tb.mismatch("frame " + i + " (" + f.length + " B): crc 0x" + Long.toHexString(b.field(0))
                            + " ok=" + b.field(1) + ", model crc 0x" + Long.toHexString(crc32(f, f.length)) + " ok=" + good.get(i), b.cycle());
            }
        }
    }

    @Test
    void fcsKnownAnswer() {
        // "123456789" is the CRC catalogue's check string: CRC-32 = 0xCBF43926
        Design d = LibraryTops.elaborate("eth_fcs_64");
        try (Testbench tb = Testbench.of(d).source("in").flow("crc", "crc_valid", "crc", "crc_ok").build(SimOptions.fast(), 3)) {
            pushFrame(tb, "in", "123456789".getBytes(java.nio.charset.StandardCharsets.US_ASCII), 0);
            tb.runUntilDrained(100, 5);
            assertEquals(0xCBF43926L, tb.beats("crc").get(0).field(0));
        }
    }

    @org.junit.jupiter.params.ParameterizedTest(name = "xUnique={0}")
    @org.junit.jupiter.params.provider.ValueSource(booleans = {false, true})
    void checksumMatchesRfc1071(boolean xUnique) {
        Design d = LibraryTops.elaborate("ones_complement_sum_64");
        long seed = SimSeeds.announce("ones_complement_sum_64", "csum", xUnique);
        SplittableRandom r = new SplittableRandom(seed);
        List<byte[]> frames = new ArrayList<>();
        try (Testbench tb = Testbench.of(d).source("in").flow("sum", "sum_valid", "sum")
                .build(SimOptions.of(xUnique, seed), seed)) {
            tb.offerProbability("in", 0.8);
            // RFC 1071 section 3 example: 00 01 f2 03 f4 f5 f6 f7 sums to 0xddf2
            byte[] rfc = {0x00, 0x01, (byte) 0xf2, 0x03, (byte) 0xf4, (byte) 0xf5, (byte) 0xf6, (byte) 0xf7};
            frames.add(rfc);
            pushFrame(tb, "in", rfc, 0);
            byte[] ones = new byte[9000];
            java.util.Arrays.fill(ones, (byte) 0xff); // a jumbo of 0xff: the accumulator must not overflow
            frames.add(ones);
            pushFrame(tb, "in", ones, 0);
            for (int i = 0; i < 3000; i++) {
                byte[] f = randomFrame(r, 1500);
                frames.add(f);
                pushFrame(tb, "in", f, 0);
            }
            tb.runUntilDrained(2_000_000, 10);
            List<Testbench.Beat> got = tb.beats("sum");
            assertEquals(frames.size(), got.size());
            assertEquals(0xddf2, got.get(0).field(0), "RFC 1071 example");
            for (int i = 0; i < frames.size(); i++)
                assertEquals(InternetChecksum.sum(frames.get(i)), got.get(i).field(0), "frame " + i + " seed " + seed);
        }
    }

    @org.junit.jupiter.params.ParameterizedTest(name = "xUnique={0}")
    @org.junit.jupiter.params.provider.ValueSource(booleans = {false, true})
    void realignerDropsLeadingBytesUnderBackpressure(boolean xUnique) {
        Design d = LibraryTops.elaborate("axis_realign_64");
        long seed = SimSeeds.announce("axis_realign_64", "realign", xUnique);
        SplittableRandom r = new SplittableRandom(seed);
        List<byte[]> expected = new ArrayList<>();
        List<Integer> expectedUser = new ArrayList<>();
        try (Testbench tb = Testbench.of(d).source("in").sink("out")
                .build(SimOptions.of(xUnique, seed), seed)) {
            tb.offerProbability("in", 0.75);
            tb.readyProbability("out", 0.6);
            // the shift input is a plain input sampled with each frame's first beat, so frames are
            // fed one at a time with their shift set beforehand
            for (int i = 0; i < 1500; i++) {
                byte[] f = randomFrame(r, 300);
                int shift = r.nextInt(8);
                int user = r.nextInt(5) == 0 ? 1 : 0;
                tb.set("shift", shift);
                pushFrame(tb, "in", f, user);
                byte[] want = RealignModel.apply(f, shift);
                if (want != null) {
                    expected.add(want);
                    expectedUser.add(user);
                }
                tb.runUntilDrained(10_000, 0);
                // the next frame's shift must not be visible before this frame's first beat is taken
            }
            tb.run(50);
            List<Testbench.Beat> beats = tb.beats("out");
            List<byte[]> got = AxisFrames.frames(beats, 8);
            List<Long> ends = beats.stream().filter(b -> b.field(2) != 0).map(Testbench.Beat::cycle).toList();
            for (int i = 0; i < Math.min(expected.size(), got.size()); i++)
                if (!java.util.Arrays.equals(expected.get(i), got.get(i)))
                    throw tb.mismatch("frame " + i + ": got " + java.util.HexFormat.of().formatHex(got.get(i)) + ", model "
                            + java.util.HexFormat.of().formatHex(expected.get(i)), ends.get(i));
            assertEquals(expected.size(), got.size(), "frame count, seed " + seed);
            // tuser: only on last beats, equal to the frame's error flag
            int frame = 0;
            for (Testbench.Beat b : beats) {
                if (b.field(2) != 0) {
                    assertEquals(expectedUser.get(frame), (int) b.field(3), "tuser of frame " + frame);
                    frame++;
                } else {
                    assertEquals(0, b.field(3), "tuser is only set on last beats");
                }
            }
            assertTrue(tb.violations().isEmpty(), "protocol violations: " + tb.violations());
        }
    }

    @Test
    void realignerStreamsBackToBackAtFullRate() {
        Design d = LibraryTops.elaborate("axis_realign_64");
        try (Testbench tb = Testbench.of(d).source("in").sink("out").build(SimOptions.fast(), 4)) {
            tb.set("shift", 6);
            byte[] f = new byte[800];
            for (int i = 0; i < f.length; i++) f[i] = (byte) i;
            pushFrame(tb, "in", f, 0);
            tb.runUntilDrained(10_000, 5);
            List<Testbench.Beat> beats = tb.beats("out");
            assertEquals((800 - 6 + 7) / 8, beats.size());
            assertEquals(beats.size() - 1, beats.get(beats.size() - 1).cycle() - beats.get(0).cycle(), "one output beat per cycle");
            assertArrayEquals(RealignModel.apply(f, 6), AxisFrames.frames(beats, 8).get(0));
        }
    }
}
