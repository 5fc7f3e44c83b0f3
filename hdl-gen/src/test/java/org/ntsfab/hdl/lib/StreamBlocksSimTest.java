package org.ntsfab.hdl.lib;

import org.ntsfab.harness.SimOptions;
import org.ntsfab.harness.SimSeeds;
import org.ntsfab.harness.Testbench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.ntsfab.gen.LibraryTops;
import org.ntsfab.hdl.Design;

/** Register slices and FIFOs against the model of a stream element: same beats out, in order, none lost or invented. */
class StreamBlocksSimTest {
    static java.util.stream.Stream<org.junit.jupiter.params.provider.Arguments> topsAndModes() {
        return java.util.stream.Stream.of("axis_skid_buffer_64", "axis_forward_stage_64", "axis_backward_stage_64", "axis_fifo_64_d16", "axis_fifo_64_d512")
                .flatMap(t -> java.util.stream.Stream.of(org.junit.jupiter.params.provider.Arguments.of(t, false),
                        org.junit.jupiter.params.provider.Arguments.of(t, true)));
    }

    /** Each element in the fast build and in the x-unique build (random power-up values everywhere). */
    @ParameterizedTest(name = "{0} xUnique={1}")
    @org.junit.jupiter.params.provider.MethodSource("topsAndModes")
    void beatsPassUnchangedUnderRandomIdleAndBackpressure(String top, boolean xUnique) {
        Design d = LibraryTops.elaborate(top);
        long seed = SimSeeds.announce(top, top, xUnique);
        SplittableRandom r = new SplittableRandom(seed);
        try (Testbench tb = Testbench.of(d).source("in").sink("out").build(SimOptions.of(xUnique, seed), seed)) {
            List<long[]> sent = new ArrayList<>();
            for (int phase = 0; phase < 4; phase++) {
                // phases: both sides random, sink starved, source starved, both at full rate
                double offer = phase == 2 ? 0.2 : phase == 3 ? 1.0 : 0.3 + 0.7 * r.nextDouble();
                double ready = phase == 1 ? 0.15 : phase == 3 ? 1.0 : 0.3 + 0.7 * r.nextDouble();
                tb.offerProbability("in", offer);
                tb.readyProbability("out", ready);
                for (int i = 0; i < 1500; i++) {
                    long[] beat = {r.nextLong(), r.nextInt(256), r.nextInt(2), r.nextInt(2)};
                    sent.add(beat);
                    tb.push("in", beat);
                }
                tb.runUntilDrained(200_000, 40);
            }
            List<Testbench.Beat> got = tb.beats("out");
            assertEquals(sent.size(), got.size(), "beat count");
            String[] names = {"tdata", "tkeep", "tlast", "tuser"};
            for (int i = 0; i < Math.min(sent.size(), got.size()); i++)
                for (int f = 0; f < 4; f++)
                    if (sent.get(i)[f] != got.get(i).field(f))
                        throw tb.mismatch("beat " + i + " " + names[f] + ": got 0x" + Long.toHexString(got.get(i).field(f))
                                + ", sent 0x" + Long.toHexString(sent.get(i)[f]), got.get(i).cycle());
            assertTrue(tb.violations().isEmpty(), "protocol violations: " + tb.violations());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"axis_skid_buffer_64", "axis_forward_stage_64", "axis_backward_stage_64", "axis_fifo_64_d16"})
    void fullRateOneBeatPerCycle(String top) {
        Design d = LibraryTops.elaborate(top);
        try (Testbench tb = Testbench.of(d).source("in").sink("out").build(SimOptions.fast(), 1)) {
            int n = 1000;
            for (int i = 0; i < n; i++) tb.push("in", i, 0xff, 0, 0);
            tb.runUntilDrained(10_000, 10);
            List<Testbench.Beat> got = tb.beats("out");
            assertEquals(n, got.size());
            long span = got.get(n - 1).cycle() - got.get(0).cycle();
            assertEquals(n - 1, span, "a full-rate stream element moves one beat every cycle");
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {16, 512})
    void fifoHoldsExactlyDepthPlusOutputRegister(int depth) {
        Design d = LibraryTops.elaborate("axis_fifo_64_d" + depth);
        try (Testbench tb = Testbench.of(d).source("in").sink("out").build(SimOptions.fast(), 2)) {
            tb.readyProbability("out", 0.0);
            for (int i = 0; i < depth + 10; i++) tb.push("in", i, 1, 1, 0);
            tb.run(depth + 50);
            assertEquals(9, tb.queued("in"), "a full FIFO refuses further beats");
            int level = tb.plainOutIndex("level");
            assertEquals(depth + 1, tb.plainHistory().get(tb.plainHistory().size() - 1)[level].intValue());
            tb.readyProbability("out", 1.0);
            tb.runUntilDrained(10_000, depth + 20);
            assertEquals(depth + 10, tb.beats("out").size());
            assertEquals(0, tb.plainHistory().get(tb.plainHistory().size() - 1)[level].intValue());
        }
    }
}
