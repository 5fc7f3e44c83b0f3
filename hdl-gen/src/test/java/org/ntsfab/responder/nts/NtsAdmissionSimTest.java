package org.ntsfab.responder.nts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.ntsfab.harness.SimOptions;
import org.ntsfab.harness.SimSeeds;
import org.ntsfab.harness.Testbench;
import org.ntsfab.hdl.Design;
import org.ntsfab.model.nts.NtsCapacity;
import org.ntsfab.model.nts.NtsCores;

/**
 * The admission block against the model's rule ({@link NtsCapacity}, which decides by itself from the arrival cycles
 * and lengths), by count alone and with a work budget: bursts of requests closer than the hold allows, quiet gaps
 * longer than the hold, arrivals exactly at a held request's expiry and one cycle before it, lengths from 48 to 1 472
 * bytes (chrony's 228 mostly), and the 32-bit cycle counter wrapping; every decision equal.
 */
class NtsAdmissionSimTest {
    @ParameterizedTest(name = "{3} core(s) of {0} contexts, hold {1}, budget {2} bytes (0: none)")
    @CsvSource({"31, 2400, 0, 1", "4, 100, 0, 1", "1, 50, 0, 1", "31, 2400, 8000, 1", "8, 300, 2000, 1", "4, 300, 0, 3", "8, 400, 2000, 2"})
    void decidesAsTheModelsRule(int contexts, int hold, long budget, int cores) throws Exception {
        long w = budget == 0 ? NtsAdmission.UNLIMITED : budget;
        Design d = Design.elaborate(() -> new NtsAdmission(cores, contexts, hold, w));
        long seed = SimSeeds.announce("nts_admission", "admission" + contexts + "_" + budget + "_" + cores, false);
        SplittableRandom rnd = new SplittableRandom(seed);
        NtsCores model = new NtsCores(cores, contexts, hold, budget == 0 ? NtsCapacity.UNLIMITED : budget);
        List<Integer> lengths = new ArrayList<>();
        List<Long> arrivals = new ArrayList<>();
        // start near the top of the 32-bit range so the cycle wraps during the run
        long t = (1L << 32) - 40L * hold;
        for (int i = 0; i < 4000; i++) {
            int kind = rnd.nextInt(200);
            if (kind < 150) t += 4 + rnd.nextInt(Math.max(1, hold / contexts / cores)); // about twice the rule's rate
            else if (kind < 195) t += 4 + rnd.nextInt(24);                          // a burst
            else if (kind < 197) t += hold + rnd.nextInt(hold);                     // quiet
            else if (!arrivals.isEmpty()) {
                // exactly at (or one cycle before) the expiry of a recent arrival, when that is not in the past
                long a = arrivals.get(Math.max(0, arrivals.size() - 1 - rnd.nextInt(Math.min(arrivals.size(), contexts)))) + hold - rnd.nextInt(2);
                t = Math.max(t + 1, a);
            }
            arrivals.add(t);
            lengths.add(rnd.nextInt(3) > 0 ? 228 : 48 + rnd.nextInt(1425));
        }
        List<Integer> want = new ArrayList<>();
        for (int i = 0; i < arrivals.size(); i++) want.add(model.assign(arrivals.get(i), lengths.get(i)));
        try (Testbench tb = Testbench.of(d).source("decide").build(SimOptions.fast(), seed)) {
            tb.offerProbability("decide", 0.4);
            for (int i = 0; i < arrivals.size(); i++) tb.push("decide", arrivals.get(i) & 0xffffffffL, lengths.get(i));
            tb.runUntilDrained(100_000, 4);
            List<Long> fired = tb.acceptedCycles("decide");
            assertEquals(arrivals.size(), fired.size());
            int ai = tb.plainOutIndex("admitted"), ci = tb.plainOutIndex("core");
            List<java.math.BigInteger[]> hist = tb.plainHistory();
            int admitted = 0, dropped = 0;
            int[] perCore = new int[cores];
            for (int i = 0; i < arrivals.size(); i++) {
                java.math.BigInteger[] at = hist.get((int) (long) fired.get(i));
                int got = at[ai].signum() != 0 ? at[ci].intValue() : -1;
                assertEquals(want.get(i), got, "request " + i + " arriving at cycle " + arrivals.get(i) + " (core, or -1: dropped)");
                if (got >= 0) {
                    admitted++;
                    perCore[got]++;
                } else dropped++;
            }
            System.out.printf("nts_admission (%d core(s) of %d contexts, hold %d, budget %d): %d admitted %s, %d dropped%n", cores, contexts, hold,
                    budget, admitted, java.util.Arrays.toString(perCore), dropped);
            assertTrue(admitted > 1000 && dropped > 100, admitted + " admitted, " + dropped + " dropped");
            for (int k = 0; k < cores; k++) assertTrue(perCore[k] > 100, "core " + k + " took " + perCore[k]);
        }
    }

    /**
     * Two residence classes against the model's {@link NtsCores#decide}: short requests (chrony's 228 bytes mostly) among
     * long ones, some arriving so that their window ends exactly at a pending long window's start, or one cycle later, or
     * starts exactly at one's end; every decision (core and class) equal.
     */
    @ParameterizedTest(name = "{0} core(s) of {1} contexts, D_l {2}, D_s {3}, short up to {4} bytes")
    @CsvSource({"1, 31, 3000, 1000, 300", "2, 8, 3000, 1000, 300", "3, 4, 2000, 1500, 228"})
    void decidesClassesAsTheModelsRule(int cores, int contexts, int dl, int ds, int shortMax) throws Exception {
        int hl = dl + 400, hs = ds + 400;
        Design d = Design.elaborate(() -> new NtsAdmission(cores, contexts, hl, 16000, new NtsAdmission.Classes(shortMax, ds, hs, dl)));
        long seed = SimSeeds.announce("nts_admission", "classes" + cores + "_" + contexts + "_" + dl + "_" + ds, false);
        SplittableRandom rnd = new SplittableRandom(seed);
        NtsCores model = new NtsCores(cores, contexts, dl, hl, 16000, shortMax, ds, hs);
        List<Integer> lengths = new ArrayList<>();
        List<Long> arrivals = new ArrayList<>();
        List<NtsCores.Decision> want = new ArrayList<>();
        long t = (1L << 32) - 40L * hl, lastLong = -1;
        int lastLongLen = 0;
        for (int i = 0; i < 4000; i++) {
            int kind = rnd.nextInt(200);
            int len = rnd.nextInt(3) > 0 ? (rnd.nextBoolean() ? 228 : 48 + rnd.nextInt(shortMax - 47)) : 48 + rnd.nextInt(1425);
            if (kind < 150) t += 4 + rnd.nextInt(Math.max(1, hs / contexts / cores));
            else if (kind < 180) t += 4 + rnd.nextInt(24);
            else if (kind < 183) t += hl + rnd.nextInt(hl);
            else if (lastLong >= 0) {
                // a short window against the last long one's: ending at its start (+0 or +1), or starting at its end (-1 or 0)
                long lStart = lastLong + dl, lEnd = lStart + NtsCores.window(lastLongLen);
                len = 228;
                long at = rnd.nextBoolean() ? lStart - NtsCores.window(len) - ds + rnd.nextInt(2) : lEnd - ds - rnd.nextInt(2);
                t = Math.max(t + 1, at);
            }
            arrivals.add(t);
            lengths.add(len);
            NtsCores.Decision dec = model.decide(t, len);
            want.add(dec);
            if (dec.admitted() && !dec.shortClass()) {
                lastLong = t;
                lastLongLen = len;
            }
        }
        try (Testbench tb = Testbench.of(d).source("decide").build(SimOptions.fast(), seed)) {
            tb.offerProbability("decide", 0.4);
            for (int i = 0; i < arrivals.size(); i++) tb.push("decide", arrivals.get(i) & 0xffffffffL, lengths.get(i));
            tb.runUntilDrained(100_000, 4);
            List<Long> fired = tb.acceptedCycles("decide");
            assertEquals(arrivals.size(), fired.size());
            int ai = tb.plainOutIndex("admitted"), ci = tb.plainOutIndex("core"), si = tb.plainOutIndex("short_class");
            List<java.math.BigInteger[]> hist = tb.plainHistory();
            int shorts = 0, longs = 0, dropped = 0, edgeLong = 0;
            for (int i = 0; i < arrivals.size(); i++) {
                java.math.BigInteger[] at = hist.get((int) (long) fired.get(i));
                int got = at[ai].signum() != 0 ? at[ci].intValue() : -1;
                boolean gotShort = at[si].signum() != 0;
                NtsCores.Decision w = want.get(i);
                assertEquals(w.core() + (w.shortClass() ? " short" : " long"), got + (gotShort ? " short" : " long"),
                        "request " + i + " of " + lengths.get(i) + " bytes arriving at cycle " + arrivals.get(i));
                if (got < 0) dropped++;
                else if (gotShort) shorts++;
                else {
                    longs++;
                    if (lengths.get(i) <= shortMax) edgeLong++;
                }
            }
            System.out.printf("nts_admission with classes (%d core(s) of %d contexts, D_l %d, D_s %d): %d short, %d long (%d of them short-sized), %d dropped%n",
                    cores, contexts, dl, ds, shorts, longs, edgeLong, dropped);
            assertTrue(shorts > 500 && longs > 300 && edgeLong > 50 && dropped > 100, shorts + " short, " + longs + " long, " + edgeLong + " short-sized long, " + dropped + " dropped");
        }
    }
}
