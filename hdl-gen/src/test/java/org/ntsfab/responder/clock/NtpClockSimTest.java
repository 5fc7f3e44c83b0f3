package org.ntsfab.responder.clock;

import org.ntsfab.harness.SimOptions;
import org.ntsfab.harness.SimSeeds;
import org.ntsfab.harness.Testbench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.math.BigInteger;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.ntsfab.gen.LibraryTops;
import org.ntsfab.hdl.Design;
import org.ntsfab.model.clock.NtpClock;

/** The RTL clock reads exactly what the reference model's NtpClock says, every cycle, leap seconds included. */
class NtpClockSimTest {
    @ParameterizedTest(name = "leap mode {0}")
    @ValueSource(ints = {0, 1, 2})
    void rtlClockEqualsTheModelCycleByCycle(int leapMode) {
        Design d = LibraryTops.elaborate("ntp_clock");
        long seed = SimSeeds.announce("ntp_clock", "ntp_clock" + leapMode, false);
        SplittableRandom r = new SplittableRandom(seed);
        try (Testbench tb = Testbench.of(d).build(SimOptions.fast(), seed)) {
            // 1 kHz makes a second every 1000 cycles, so the leap event is crossed; then the real 10GbE step; then a random step
            long[] steps = {NtpClock.stepFor(1000), NtpClock.stepFor(156_250_000L), r.nextLong()};
            for (long step : steps) {
                long event = 3_924_000_000L + r.nextInt(1000);
                long start = ((event - 2) << 32) | (r.nextLong() & 0xffffffffL);
                NtpClock.Leap leap = NtpClock.Leap.values()[leapMode];
                NtpClock model = new NtpClock(start, step, leap, event);
                tb.set("step", step);
                tb.set("leap_mode", leapMode);
                tb.set("leap_event", event);
                tb.set("load_time", start);
                tb.set("load", 1);
                tb.run(1);
                tb.set("load", 0);
                int from = tb.plainHistory().size(); // the first cycle after load: model cycle 0
                tb.run(5000);
                List<BigInteger[]> h = tb.plainHistory();
                int ti = tb.plainOutIndex("now"), li = tb.plainOutIndex("leap_indicator");
                for (int k = 0; k < 5000; k++) {
                    BigInteger[] row = h.get(from + k);
                    long want = model.at(k);
                    if (row[ti].longValue() != want)
                        throw tb.mismatch("cycle " + k + " after load, step 0x" + Long.toHexString(step) + ": time 0x"
                                + Long.toHexString(row[ti].longValue()) + ", model 0x" + Long.toHexString(want), tb.cycle() - 5000 + k);
                    assertEquals(model.leapIndicator(k), row[li].intValue(), "leap indicator at cycle " + k);
                }
            }
        }
    }
}
