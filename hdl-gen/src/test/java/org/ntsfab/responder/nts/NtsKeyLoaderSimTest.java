package org.ntsfab.responder.nts;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.ntsfab.harness.SimOptions;
import org.ntsfab.harness.SimSeeds;
import org.ntsfab.harness.Testbench;
import org.ntsfab.hdl.Design;

/**
 * The key loader against the rule docs/nts-core.md gives it: each valid slot loaded once (MAC half key bytes 0..15, CTR
 * half 16..31), live for the cores only after the cores say it is in effect; a seed pulse loaded before waiting slots; a
 * slot validated again after an invalidation loaded no earlier than the hold after that invalidation; a slot invalidated
 * during its own load loaded again; an invalid slot never live. The cores are played by the test: they take a load when
 * they like (random ready) and confirm it some cycles later.
 */
class NtsKeyLoaderSimTest {
    static final int HOLD = 60;

    record Load(long cycle, boolean seed, int slot, byte[] mac, byte[] ctr) {}

    final List<Load> loads = new ArrayList<>();
    final List<long[]> rows = new ArrayList<>();  // per cycle: key_valid, status
    Testbench tb;
    long ackAt = -1;
    int seenBeats;

    void step(int n) {
        for (int i = 0; i < n; i++) {
            tb.set("key_loaded", tb.cycle() == ackAt ? 1 : 0);
            tb.run(1);
            List<Testbench.Beat> bs = tb.beatsSoFar("key_load");
            for (; seenBeats < bs.size(); seenBeats++) {
                Testbench.Beat b = bs.get(seenBeats);
                loads.add(new Load(b.cycle(), b.fields()[0].signum() != 0, b.fields()[1].intValue(), bytes16(b.fields()[2]), bytes16(b.fields()[3])));
                ackAt = tb.cycle() + 2 + new SplittableRandom(b.cycle()).nextInt(6);
            }
            List<BigInteger[]> h = tb.plainHistory();
            BigInteger[] r = h.get(h.size() - 1);
            rows.add(new long[] {r[tb.plainOutIndex("key_valid")].longValue(), r[tb.plainOutIndex("status")].longValue()});
        }
    }

    static byte[] bytes16(BigInteger v) {
        byte[] b = v.toByteArray(), out = new byte[16];
        int n = Math.min(16, b.length);
        System.arraycopy(b, b.length - n, out, 16 - n, n);
        return out;
    }

    @Test
    void slotsGoLiveOnlyOnceLoadedAndNeverUnderAContextStillHeld() throws Exception {
        long seed = SimSeeds.announce("nts_key_loader", "loader", false);
        SplittableRandom rnd = new SplittableRandom(seed);
        byte[][] keys = new byte[4][32];
        BigInteger all = BigInteger.ZERO;
        for (int s = 0; s < 4; s++) {
            rnd.nextBytes(keys[s]);
            all = all.or(new BigInteger(1, keys[s]).shiftLeft(256 * s));
        }
        byte[] nonceSeed = new byte[16];
        rnd.nextBytes(nonceSeed);
        Design d = Design.elaborate(() -> new NtsKeyLoader(HOLD));
        try (Testbench t = Testbench.of(d).sink("key_load").build(SimOptions.fast(), seed)) {
            tb = t;
            tb.readyProbability("key_load", 0.5);
            tb.setBig("slot_keys", all);
            tb.setBig("seed", new BigInteger(1, nonceSeed));
            step(5);
            assertTrue(loads.isEmpty(), "nothing valid, nothing loaded");
            // a seed pulse, and slots 0 and 2 valid in the next cycle: the seed (pending by then) first, then 0, then 2
            tb.set("seed_load", 1);
            step(1);
            tb.set("seed_load", 0);
            tb.set("slot_valid", 0b0101);
            long validFrom = tb.cycle();
            int seedRow = rows.size();
            step(80);
            assertTrue(rows.subList(seedRow, seedRow + 3).stream().anyMatch(r -> (r[1] >> 4 & 1) != 0), "status bit 4: the seed load pending");
            assertEquals(3, loads.size(), loads.toString());
            assertTrue(loads.get(0).seed(), "the seed first");
            assertArrayEquals(nonceSeed, loads.get(0).mac());
            assertArrayEquals(new byte[16], loads.get(0).ctr());
            for (int i = 1; i < 3; i++) {
                int s = 2 * (i - 1);
                assertEquals(s, loads.get(i).slot());
                assertArrayEquals(Arrays.copyOf(keys[s], 16), loads.get(i).mac(), "slot " + s + " MAC half");
                assertArrayEquals(Arrays.copyOfRange(keys[s], 16, 32), loads.get(i).ctr(), "slot " + s + " CTR half");
            }
            // no slot live before its load was confirmed, every one live after
            int from = (int) (validFrom - (tb.cycle() - rows.size()));
            for (int c = from; c < rows.size(); c++) {
                long kv = rows.get(c)[0];
                assertEquals(0, kv & ~0b0101L, "only valid slots live");
                for (int i = 1; i < 3; i++) {
                    int s = 2 * (i - 1);
                    long cyc = tb.cycle() - rows.size() + c + 1;
                    if ((kv >> s & 1) != 0) assertTrue(cyc > loads.get(i).cycle() + 2, "slot " + s + " live at " + cyc + " before its load was confirmed");
                }
            }
            assertEquals(0b0101, rows.get(rows.size() - 1)[0]);
            assertEquals(0b0101, rows.get(rows.size() - 1)[1], "status: slots 0 and 2 loaded, no seed pending");

            // slot 0 rewritten: invalid (out of use at once), a new key, valid again 5 cycles later; it loads only after the hold
            tb.set("slot_valid", 0b0100);
            long invalidAt = tb.cycle();
            step(1);
            assertEquals(0b0100, rows.get(rows.size() - 1)[0], "an invalidated slot is out of use in the cycle its valid bit falls");
            rnd.nextBytes(keys[0]);
            all = all.andNot(BigInteger.ONE.shiftLeft(256).subtract(BigInteger.ONE)).or(new BigInteger(1, keys[0]));
            tb.setBig("slot_keys", all);
            step(4);
            tb.set("slot_valid", 0b0101);
            step(HOLD + 40);
            assertEquals(4, loads.size(), loads.toString());
            assertEquals(0, loads.get(3).slot());
            assertTrue(loads.get(3).cycle() >= invalidAt + HOLD, "reloaded at " + loads.get(3).cycle() + ", the hold ends at " + (invalidAt + HOLD));
            assertArrayEquals(Arrays.copyOf(keys[0], 16), loads.get(3).mac(), "the new key");
            assertEquals(0b0101, rows.get(rows.size() - 1)[0]);

            // slot 1 validated and invalidated while its load is under way: not live; validated again, loaded again
            tb.readyProbability("key_load", 1.0);
            tb.set("slot_valid", 0b0111);
            step(2);
            tb.set("slot_valid", 0b0101);
            step(20);
            assertEquals(0b0101, rows.get(rows.size() - 1)[0], "slot 1 invalidated: not live");
            assertEquals(0b0101, rows.get(rows.size() - 1)[1], "slot 1 not loaded");
            tb.set("slot_valid", 0b0111);
            step(HOLD + 40);
            assertEquals(1, loads.get(loads.size() - 1).slot());
            assertEquals(0b0111, rows.get(rows.size() - 1)[0], "slot 1 live after its second load");
            assertTrue(tb.violations().isEmpty(), tb.violations().toString());
        }
    }
}
