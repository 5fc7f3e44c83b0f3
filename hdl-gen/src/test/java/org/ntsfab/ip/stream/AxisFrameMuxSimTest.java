package org.ntsfab.ip.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.ntsfab.hdl.Design;
import org.ntsfab.harness.SimOptions;
import org.ntsfab.harness.SimSeeds;
import org.ntsfab.harness.Testbench;

/**
 * The frame mux against a cycle-by-cycle Java model of its contract: between frames the first source after the
 * one last served (round robin) with a beat offered and {@code may_start} set wins; from the first cycle its beat
 * is offered the mux stays with that source until the frame's last beat is accepted (frames never interleave);
 * no register on the data path (a source's beat is accepted in the cycle it leaves). The model also simulates
 * the harness's sources (a beat offered from a cycle its random offer pattern allows until it is accepted), so
 * every accepted cycle of every source, every output beat (tdata, tkeep, tlast, tuser) and {@code grant} are
 * predicted; random gaps inside frames, backpressure, and {@code may_start} held low for stretches. A fairness
 * bound is checked from the RTL's output alone: while a source's frame waits, at most n - 1 frames of others start.
 */
class AxisFrameMuxSimTest {
    static final int RESET = 4;

    record Beat(long data, int keep, boolean last, int user) {}

    @ParameterizedTest(name = "{0} sources")
    @ValueSource(ints = {2, 3, 5})
    void wholeFramesRoundRobinAsTheModelSays(int n) {
        Design d = Design.elaborate(() -> new AxisFrameMux(n));
        long seed = SimSeeds.announce("axis_frame_mux_" + n, "mux" + n, false);
        SplittableRandom r = new SplittableRandom(seed);
        // frames per source; a few sources busier than others
        List<List<Beat>> beats = new ArrayList<>();
        for (int s = 0; s < n; s++) {
            List<Beat> b = new ArrayList<>();
            int frames = s == 0 ? 120 : 40 + r.nextInt(60);
            for (int f = 0; f < frames; f++) {
                int len = r.nextInt(5) == 0 ? 1 : 1 + r.nextInt(12);
                for (int i = 0; i < len; i++) {
                    boolean last = i == len - 1;
                    int keep = last ? (1 << (1 + r.nextInt(8))) - 1 : 0xff;
                    b.add(new Beat(r.nextLong(), keep, last, last ? r.nextInt(2) : 0));
                }
            }
            beats.add(b);
        }
        // offer patterns (random per cycle, per source, different densities), may_start stretches, ready random
        int horizon = 60_000;
        BitSet[] offer = new BitSet[n];
        for (int s = 0; s < n; s++) {
            offer[s] = new BitSet(horizon);
            double p = 0.2 + 0.8 * r.nextDouble();
            for (int c = 0; c < horizon; c++) if (r.nextDouble() < p) offer[s].set(c);
        }
        int chunk = 50;
        int[] mayStart = new int[horizon / chunk + 1];
        for (int k = 0; k < mayStart.length; k++) mayStart[k] = r.nextInt(4) == 0 ? r.nextInt(1 << n) : (1 << n) - 1;

        try (Testbench tb = tbFor(d, n, seed)) {
            for (int s = 0; s < n; s++) {
                final int src = s;
                tb.offerWhen("s" + s, c -> c < horizon && offer[src].get((int) c));
                for (Beat b : beats.get(s)) tb.push("s" + s, b.data(), b.keep(), b.last() ? 1 : 0, b.user());
            }
            tb.readyProbability("out", 0.7);
            int k = 0;
            while (!tb.drained()) {
                assertTrue(tb.cycle() < horizon - chunk, "sources not drained in " + horizon + " cycles");
                // the chunk index of cycle c is (c - RESET) / chunk
                tb.set("may_start", mayStart[k++]);
                tb.run(chunk);
            }
            tb.set("may_start", mayStart[k++]);
            tb.run(chunk);
            long end = tb.cycle();
            assertTrue(tb.violations().isEmpty(), "output valid fell or data changed while stalled: " + tb.violations());

            // ---- the model, cycle by cycle --------------------------------------------------------------
            int[] next = new int[n];
            boolean[] holding = new boolean[n];
            boolean locked = false;
            int sel = 0, lastServed = n - 1;
            List<List<Long>> modelAccepted = new ArrayList<>();
            for (int s = 0; s < n; s++) modelAccepted.add(new ArrayList<>());
            List<long[]> modelOut = new ArrayList<>();   // cycle, source, beat index
            int gIdx = tb.plainOutIndex("grant");
            for (long c = RESET; c < end; c++) {
                int ms = mayStart[(int) ((c - RESET) / chunk)];
                for (int s = 0; s < n; s++)
                    if (!holding[s] && next[s] < beats.get(s).size() && c < horizon && offer[s].get((int) c)) holding[s] = true;
                int cand = -1;
                if (locked) cand = sel;
                else
                    for (int k2 = 1; k2 <= n; k2++) {
                        int s = (lastServed + k2) % n;
                        if (holding[s] && (ms >> s & 1) != 0) {
                            cand = s;
                            break;
                        }
                    }
                boolean outValid = cand >= 0 && holding[cand];
                boolean ready = !tb.wasNotReady("out", c);
                if (outValid) {
                    assertEquals(cand, tb.plainHistory().get((int) c)[gIdx].intValue(), "grant at cycle " + c);
                    Beat b = beats.get(cand).get(next[cand]);
                    sel = cand;
                    locked = !(ready && b.last());
                    if (ready) {
                        modelOut.add(new long[] {c, cand, next[cand]});
                        modelAccepted.get(cand).add(c);
                        next[cand]++;
                        holding[cand] = false;
                        if (b.last()) lastServed = cand;
                    }
                }
            }
            for (int s = 0; s < n; s++) {
                assertEquals(beats.get(s).size(), modelAccepted.get(s).size(), "model took every beat of source " + s);
                sameCycles(modelAccepted.get(s), tb.acceptedCycles("s" + s), "cycles source " + s + "'s beats were accepted");
            }
            List<Testbench.Beat> got = tb.beats("out");
            assertEquals(modelOut.size(), got.size(), "output beats");
            for (int i = 0; i < got.size(); i++) {
                long[] m = modelOut.get(i);
                Beat b = beats.get((int) m[1]).get((int) m[2]);
                Testbench.Beat g = got.get(i);
                String what = "output beat " + i + " (source " + m[1] + " beat " + m[2] + ")";
                assertEquals(m[0], g.cycle(), what + " cycle");
                assertEquals(b.data(), g.field(0), what + " tdata");
                assertEquals(b.keep(), g.field(1), what + " tkeep");
                assertEquals(b.last() ? 1 : 0, g.field(2), what + " tlast");
                assertEquals(b.user(), g.field(3), what + " tuser");
            }

            // ---- properties from the RTL's output alone: no interleaving, bounded wait ------------------
            int cur = -1;
            List<Integer> frameSources = new ArrayList<>();
            List<Long> frameStartCycles = new ArrayList<>();
            for (Testbench.Beat g : got) {
                int s = tb.plainHistory().get((int) g.cycle())[gIdx].intValue();
                if (cur == -1) {
                    cur = s;
                    frameSources.add(s);
                    frameStartCycles.add(g.cycle());
                } else assertEquals(cur, s, "a frame interleaved at cycle " + g.cycle());
                if (g.field(2) != 0) cur = -1;
            }
            // bounded wait: a source's frame is offered from the first cycle c0 its offer pattern allows after its previous
            // frame (the harness then holds it); if it may start all along, at most n - 1 frames of others start from c0 to
            // its own: one from each other source in round-robin order (a frame granted at c0 but not yet started among them)
            for (int s = 0; s < n; s++) {
                int beatIdx = 0;
                long prevEnd = RESET - 1;
                for (int f = 0; f < frameSources.size(); f++) if (frameSources.get(f) == s) {
                    long start = frameStartCycles.get(f);
                    long c0 = offer[s].nextSetBit((int) prevEnd + 1);
                    int others = 0;
                    for (int g = 0; g < f; g++) if (frameStartCycles.get(g) >= c0 && frameSources.get(g) != s) others++;
                    boolean unrestricted = true;
                    for (long c = c0; c <= start; c++) if ((mayStart[(int) ((c - RESET) / chunk)] >> s & 1) == 0) unrestricted = false;
                    if (unrestricted) assertTrue(others <= n - 1, "source " + s + " waited " + others + " other frames before its frame at cycle " + start);
                    while (beatIdx < beats.get(s).size() && !beats.get(s).get(beatIdx).last()) beatIdx++;
                    prevEnd = tb.acceptedCycles("s" + s).get(beatIdx++);
                }
            }
        }
    }

    static Testbench tbFor(Design d, int n, long seed) {
        Testbench.Builder b = Testbench.of(d);
        for (int s = 0; s < n; s++) b.source("s" + s);
        return b.sink("out").build(SimOptions.fast(), seed);
    }

    /** Equal lists of cycles, or the first request where they differ. */
    static void sameCycles(List<Long> expected, List<Long> got, String what) {
        for (int i = 0; i < Math.min(expected.size(), got.size()); i++)
            assertEquals(expected.get(i), got.get(i), what + ": entry " + i);
        assertEquals(expected.size(), got.size(), what + ": count");
    }
}
