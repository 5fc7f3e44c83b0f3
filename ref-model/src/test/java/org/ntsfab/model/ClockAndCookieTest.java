package org.ntsfab.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.ntsfab.model.clock.NtpClock;
import org.ntsfab.model.nts.CookieCodec;

class ClockAndCookieTest {
    @Test
    void aClockCountedFromAnotherOriginReadsTheSameTimes() {
        // 156.25 MHz, an insert leap at second 3 900 000 001: the shifted clock reads at origin + n what the clock reads at n
        long step = NtpClock.stepFor(156_250_000L);
        NtpClock c = new NtpClock((3_900_000_000L << 32) + 0x8000_0000L, step, NtpClock.Leap.INSERT, 3_900_000_001L);
        NtpClock moved = c.startingAt(1_000_003L);
        for (long n : new long[] {-5, 0, 1, 77_999_999, 78_125_000, 234_375_000, 234_375_001, 1L << 33}) {
            assertEquals(c.at(n), moved.at(1_000_003L + n), "cycle " + n);
            assertEquals(c.leapIndicator(n), moved.leapIndicator(1_000_003L + n), "cycle " + n);
        }
        // from 0.5 s into second 3 900 000 000: 0.5 s later the inserted second repeats it, 1.5 s later second 3 900 000 001
        assertEquals(3_900_000_000L, c.at(77_999_999L) >>> 32);
        assertEquals(3_900_000_000L, c.at(78_125_000L) >>> 32, "the inserted second");
        assertEquals(3_900_000_001L, c.at(234_375_000L) >>> 32);
    }

    @Test
    void stepIsTwoToTheSixtyFourOverTheFrequency() {
        // 1 / 156.25 MHz = 6.4 ns = 6.4e-9 * 2^64 units = 118059162071.74 -> 118059162072
        assertEquals(118059162072L, NtpClock.stepFor(156_250_000L));
        assertEquals(1L << 37, NtpClock.stepFor(134_217_728L), "2^27 Hz: exactly 2^37");
    }

    @Test
    void oneSecondOfCyclesIsOneSecond() {
        long start = 3_900_000_000L << 32;
        NtpClock c = new NtpClock(start, NtpClock.stepFor(156_250_000L), NtpClock.Leap.NONE, 0);
        assertEquals(start, c.at(0));
        long oneSecond = c.at(156_250_000L) - start;
        // the rounding of the step (0.26 units of 2^-64 s per cycle) is below one 2^-32 s unit over a second
        assertTrue(Math.abs(oneSecond - (1L << 32)) <= 1, "drift " + (oneSecond - (1L << 32)));
        long prev = c.at(0);
        for (long n = 1; n < 10_000; n += 7) {
            long t = c.at(n);
            assertTrue(t > prev);
            prev = t;
        }
        // 6.4 ns per cycle is 27.49 units of 2^-32 s
        long d = c.at(1000) - c.at(0);
        assertEquals(27487, d);
    }

    @Test
    void leapInsertRepeatsTheLastSecondOfTheDay() {
        long event = 3_924_000_000L; // some day's start, in NTP seconds
        long hz = 1000;
        long start = (event - 2) << 32;
        NtpClock c = new NtpClock(start, NtpClock.stepFor(hz), NtpClock.Leap.INSERT, event);
        assertEquals(1, c.leapIndicator(0));
        assertEquals(event - 1, c.at(1500) >>> 32, "23:59:59.5");
        assertEquals(event - 1, c.at(2500) >>> 32, "23:59:60.5 reads as 23:59:59.5 again");
        assertEquals(c.at(1500), c.at(2500), "one second later the clock reads the same: the second is repeated");
        assertEquals(0, c.leapIndicator(2500), "no leap announced after the event");
        assertEquals(event, c.at(3500) >>> 32);
    }

    @Test
    void leapDeleteSkipsTheLastSecondOfTheDay() {
        long event = 3_924_000_000L;
        NtpClock c = new NtpClock((event - 3) << 32, NtpClock.stepFor(1000), NtpClock.Leap.DELETE, event);
        assertEquals(2, c.leapIndicator(0));
        assertEquals(event - 2, c.at(1500) >>> 32, "23:59:58.5");
        assertEquals(event, c.at(2500) >>> 32, "23:59:59 never happens");
        assertEquals(0, c.leapIndicator(2500));
    }

    @Test
    void aCookieOpensAndAnySingleFlippedBitMakesItFail() {
        CookieCodec codec = new CookieCodec(Fixture.keys(1));
        Fixture.Session s = Fixture.session(1, 99);
        byte[] cookie = s.cookie();
        assertEquals(100, cookie.length);
        CookieCodec.Keys k = codec.open(cookie).keys();
        assertNotNull(k);
        assertArrayEquals(s.keys().c2s(), k.c2s());
        assertArrayEquals(s.keys().s2c(), k.s2c());
        for (int bit = 0; bit < 8 * cookie.length; bit++) {
            byte[] bad = cookie.clone();
            bad[bit / 8] ^= (byte) (1 << (bit % 8));
            CookieCodec.Opened o = codec.open(bad);
            assertNull(o.keys(), "bit " + bit);
            assertEquals(bit < 32 ? CookieCodec.Failure.UNKNOWN_KEY : CookieCodec.Failure.BAD_TAG, o.failure(), "bit " + bit);
        }
        assertEquals(CookieCodec.Failure.BAD_LENGTH, codec.open(java.util.Arrays.copyOf(cookie, 99)).failure());
    }

    @Test
    void aead17CookiesCarry64ByteKeys() {
        byte[] c2s = new byte[64], s2c = new byte[64];
        c2s[0] = 1;
        s2c[63] = 2;
        CookieCodec codec = new CookieCodec(Fixture.keys(2));
        byte[] cookie = codec.seal(new CookieCodec.Keys(CookieCodec.AEAD_AES_SIV_CMAC_512, c2s, s2c), new byte[16]);
        assertEquals(164, cookie.length);
        CookieCodec.Keys k = codec.open(cookie).keys();
        assertEquals(CookieCodec.AEAD_AES_SIV_CMAC_512, k.aead());
        assertArrayEquals(s2c, k.s2c());
    }
}
