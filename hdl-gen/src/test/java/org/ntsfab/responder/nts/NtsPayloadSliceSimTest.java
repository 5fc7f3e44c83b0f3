package org.ntsfab.responder.nts;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.ntsfab.harness.AxisFrames;
import org.ntsfab.harness.SimOptions;
import org.ntsfab.harness.SimSeeds;
import org.ntsfab.harness.Testbench;
import org.ntsfab.hdl.Design;

/**
 * The payload slice against Java's {@code Arrays.copyOfRange}: frames with the payload at every offset an IPv4 or
 * IPv6 frame has (42-82, tagged or not, IPv4 options) and at odd and aligned offsets, lengths 1-1472, 0-20 bytes after
 * the payload (Ethernet padding, a longer frame), a fifth of the frames discarded whole, input with idle cycles and
 * output under backpressure.
 */
class NtsPayloadSliceSimTest {
    @Test
    void cutsEveryPayloadOutByteForByte() throws Exception {
        Design d = Design.elaborate(NtsPayloadSlice::new);
        long seed = SimSeeds.announce("nts_payload_slice_64", "slice", false);
        SplittableRandom rnd = new SplittableRandom(seed);
        List<byte[]> want = new ArrayList<>();
        List<int[]> jobs = new ArrayList<>();
        List<byte[]> frames = new ArrayList<>();
        for (int i = 0; i < 600; i++) {
            int offset = i % 5 == 0 ? rnd.nextInt(120) : 42 + 4 * rnd.nextInt(11) + (rnd.nextBoolean() ? 0 : 20);
            int length = i % 7 == 0 ? 1 + rnd.nextInt(24) : 48 + rnd.nextInt(1425);
            byte[] f = new byte[offset + length + (rnd.nextInt(3) == 0 ? rnd.nextInt(21) : 0)];
            rnd.nextBytes(f);
            frames.add(f);
            boolean discard = rnd.nextInt(5) == 0;
            jobs.add(new int[] {offset, length, discard ? 1 : 0});
            if (!discard) want.add(Arrays.copyOfRange(f, offset, offset + length));
        }
        try (Testbench tb = Testbench.of(d).source("job").source("in").sink("out").build(SimOptions.fast(), seed)) {
            tb.offerProbability("in", 0.8);
            tb.readyProbability("out", 0.6);
            for (int i = 0; i < frames.size(); i++) {
                tb.push("job", jobs.get(i)[0], jobs.get(i)[1], jobs.get(i)[2]);
                for (AxisFrames.Beat b : AxisFrames.toBeats(frames.get(i), 8, 0)) tb.push("in", b.fields());
            }
            tb.runUntilDrained(2_000_000, 20);
            List<byte[]> got = AxisFrames.frames(tb.beats("out"), 8);
            assertEquals(want.size(), got.size(), "one payload per frame not discarded");
            for (int i = 0, k = 0; i < frames.size(); i++) {
                if (jobs.get(i)[2] != 0) continue;
                assertArrayEquals(want.get(k), got.get(k), "frame " + i + ": offset " + jobs.get(i)[0] + ", length " + jobs.get(i)[1] + ", frame "
                        + frames.get(i).length + " bytes");
                k++;
            }
            assertTrue(tb.violations().isEmpty(), tb.violations().toString());
        }
    }
}
