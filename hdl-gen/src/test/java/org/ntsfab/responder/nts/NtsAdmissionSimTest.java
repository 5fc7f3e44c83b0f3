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

/**
 * The admission block against the model's rule ({@link NtsCapacity}, which decides by itself from the arrival cycles
 * and lengths), by count alone and with a work budget: bursts of requests closer than the hold allows, quiet gaps
 * longer than the hold, arrivals exactly at a held request's expiry and one cycle before it, lengths from 48 to 1 472
 * bytes (chrony's 228 mostly), and the 32-bit cycle counter wrapping; every decision equal.
 */
class NtsAdmissionSimTest {
    @ParameterizedTest(name = "{0} contexts, hold {1}, budget {2} bytes (0: none)")
    @CsvSource({"31, 2400, 0", "4, 100, 0", "1, 50, 0", "31, 2400, 8000", "8, 300, 2000"})
    void decidesAsTheModelsRule(int contexts, int hold, long budget) throws Exception {
        long w = budget == 0 ? NtsAdmission.UNLIMITED : budget;
        Design d = Design.elaborate(() -> new NtsAdmission(contexts, hold, w));
        long seed = SimSeeds.announce("nts_admission", "admission" + contexts + "_" + budget, false);
        SplittableRandom rnd = new SplittableRandom(seed);
        NtsCapacity model = new NtsCapacity(contexts, hold, budget == 0 ? NtsCapacity.UNLIMITED : budget);
        List<Integer> lengths = new ArrayList<>();
        List<Long> arrivals = new ArrayList<>();
        // start near the top of the 32-bit range so the cycle wraps during the run
        long t = (1L << 32) - 40L * hold;
        for (int i = 0; i < 4000; i++) {
            int kind = rnd.nextInt(200);
            if (kind < 150) t += 4 + rnd.nextInt(Math.max(1, hold / contexts));        // about twice the rule's rate
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
        List<Boolean> want = new ArrayList<>();
        for (int i = 0; i < arrivals.size(); i++) want.add(model.admit(arrivals.get(i), lengths.get(i)));
        try (Testbench tb = Testbench.of(d).source("decide").build(SimOptions.fast(), seed)) {
            tb.offerProbability("decide", 0.4);
            for (int i = 0; i < arrivals.size(); i++) tb.push("decide", arrivals.get(i) & 0xffffffffL, lengths.get(i));
            tb.runUntilDrained(100_000, 4);
            List<Long> fired = tb.acceptedCycles("decide");
            assertEquals(arrivals.size(), fired.size());
            int ai = tb.plainOutIndex("admitted");
            List<java.math.BigInteger[]> hist = tb.plainHistory();
            int admitted = 0, dropped = 0;
            for (int i = 0; i < arrivals.size(); i++) {
                boolean got = hist.get((int) (long) fired.get(i))[ai].signum() != 0;
                assertEquals(want.get(i), got, "request " + i + " arriving at cycle " + arrivals.get(i));
                if (got) admitted++;
                else dropped++;
            }
            System.out.printf("nts_admission (%d contexts, hold %d, budget %d): %d admitted, %d dropped%n", contexts, hold, budget, admitted, dropped);
            assertTrue(admitted > 1000 && dropped > 100, admitted + " admitted, " + dropped + " dropped");
        }
    }
}
