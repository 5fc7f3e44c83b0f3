package org.ntsfab.model.clock;

import java.math.BigInteger;

/**
 * The hardware's NTP clock, cycle by cycle: a 32.32 NTP timestamp (seconds since 1900, era 0) with
 * 32 further fraction bits, advanced every cycle by a 64-bit step in units of 2^-64 s. At cycle
 * {@code n} the raw time is {@code start + n * step} (96-bit arithmetic, the low 32 bits dropped to
 * give the 32.32 value). The step for a clock of f Hz is round(2^64 / f).
 *
 * <p>Leap seconds: with {@link Leap#INSERT} and event second E (the NTP second at which the new UTC
 * day starts) the counter repeats second E-1: every raw time at or after E reads one second less.
 * With {@link Leap#DELETE} second E-1 is skipped: raw times at or after E-1 read one second more.
 * The leap indicator is served until the event and is 0 after it.
 */
public final class NtpClock {
    public enum Leap { NONE, INSERT, DELETE }

    private static final BigInteger MASK96 = BigInteger.ONE.shiftLeft(96).subtract(BigInteger.ONE);
    private final BigInteger start96;
    private final BigInteger step;
    private final Leap leap;
    private final long eventSecond;

    public NtpClock(long startTime3232, long step64, Leap leap, long eventSecond) {
        this.start96 = new BigInteger(Long.toUnsignedString(startTime3232)).shiftLeft(32);
        this.step = new BigInteger(Long.toUnsignedString(step64));
        this.leap = leap;
        this.eventSecond = eventSecond;
    }

    private NtpClock(BigInteger start96, BigInteger step, Leap leap, long eventSecond) {
        this.start96 = start96;
        this.step = step;
        this.leap = leap;
        this.eventSecond = eventSecond;
    }

    /**
     * The same clock counted from another origin: its cycle {@code origin + n} reads what this one reads at cycle
     * {@code n} (exactly: the same 96-bit counter, started {@code origin} steps earlier).
     */
    public NtpClock startingAt(long origin) {
        return new NtpClock(start96.subtract(step.multiply(BigInteger.valueOf(origin))).and(MASK96), step, leap, eventSecond);
    }

    /** round(2^64 / f). */
    public static long stepFor(long frequencyHz) {
        BigInteger two64 = BigInteger.ONE.shiftLeft(64);
        BigInteger[] qr = two64.divideAndRemainder(BigInteger.valueOf(frequencyHz));
        BigInteger q = qr[0];
        if (qr[1].shiftLeft(1).compareTo(BigInteger.valueOf(frequencyHz)) >= 0) q = q.add(BigInteger.ONE);
        return q.longValue();
    }

    /** The 32.32 raw time (before leap handling) at cycle {@code n}. */
    public long raw(long cycle) {
        return start96.add(step.multiply(BigInteger.valueOf(cycle))).and(MASK96).shiftRight(32).longValue();
    }

    /** The 32.32 time the counter shows at cycle {@code n}. */
    public long at(long cycle) {
        long r = raw(cycle);
        long sec = r >>> 32;
        if (leap == Leap.INSERT && Long.compareUnsigned(sec, eventSecond) >= 0) return r - (1L << 32);
        if (leap == Leap.DELETE && Long.compareUnsigned(sec, eventSecond - 1) >= 0) return r + (1L << 32);
        return r;
    }

    /** The leap indicator to serve at cycle {@code n}: 1 (insert) or 2 (delete) before the event, else 0. */
    public int leapIndicator(long cycle) {
        if (leap == Leap.NONE) return 0;
        long sec = raw(cycle) >>> 32;
        long until = leap == Leap.INSERT ? eventSecond : eventSecond - 1;
        return Long.compareUnsigned(sec, until) < 0 ? (leap == Leap.INSERT ? 1 : 2) : 0;
    }
}
