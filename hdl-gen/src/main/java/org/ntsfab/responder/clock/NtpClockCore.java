package org.ntsfab.responder.clock;

import org.ntsfab.hdl.Bool;
import org.ntsfab.hdl.Component;
import org.ntsfab.hdl.UInt;

/**
 * The responder's NTP clock, as the reference model's {@code NtpClock} defines it: a 96-bit
 * accumulator (32.32 NTP time and 32 more fraction bits) advanced every cycle by a 64-bit step in
 * units of 2^-64 s; loadable with a 32.32 time (the extra fraction bits cleared); leap second insert
 * (seconds at or after the event read one less) or delete (at or after event-1 read one more); the
 * leap indicator served until the event.
 *
 * <p>Timing contract: in the cycle after {@code load} is high the clock reads {@code load_time};
 * every later cycle reads one step more. {@code now} is the reading of the current cycle (its
 * seconds adjusted for a leap), so a frame whose first beat is accepted in cycle n is stamped with
 * the time of cycle n.
 */
public final class NtpClockCore extends Component {
    public static final int LEAP_NONE = 0, LEAP_INSERT = 1, LEAP_DELETE = 2;

    public final Bool load = in(new Bool());
    public final UInt load_time = in(new UInt(64));
    public final UInt step = in(new UInt(64));
    public final UInt leap_mode = in(new UInt(2));
    public final UInt leap_event = in(new UInt(32));
    public final UInt now = out(new UInt(64));
    public final UInt leap_indicator = out(new UInt(2));

    public NtpClockCore() {
        this(0);
    }

    /**
     * @param aheadCycles the clock reads the time of {@code aheadCycles} cycles later: a load sets
     *     the time plus that many steps (so an NTS answer can carry, when it is sealed, the time at
     *     which it will leave); 0 for the clock itself
     */
    public NtpClockCore(int aheadCycles) {
        moduleName(aheadCycles == 0 ? "ntp_clock" : "ntp_clock_ahead_" + aheadCycles);
        UInt acc = regInit(new UInt(96), 0).named("acc_reg");
        UInt loadValue = aheadCycles == 0 ? UInt.cat(load_time, UInt.lit(0, 32))
                : UInt.cat(load_time, UInt.lit(0, 32)).plus(step.zext(96).times(UInt.lit(aheadCycles, 16)).trunc(96));
        when(load, () -> acc.set(loadValue))
                .otherwise(() -> acc.set(acc.plus(step.zext(96))));

        UInt raw = let("raw_time", acc.slice(95, 32));
        UInt sec = let("raw_seconds", raw.slice(63, 32));
        UInt frac = raw.slice(31, 0);
        Bool insert = leap_mode.eq(LEAP_INSERT);
        Bool delete = leap_mode.eq(LEAP_DELETE);
        UInt eventMinus1 = let("leap_event_minus_1", leap_event.minus(1));
        Bool afterInsert = let("after_insert", insert.and(sec.ge(leap_event)));
        Bool afterDelete = let("after_delete", delete.and(sec.ge(eventMinus1)));
        UInt adjusted = let("seconds", afterInsert.mux(sec.minus(1), afterDelete.mux(sec.plus(1), sec)));
        now.set(UInt.cat(adjusted, frac));

        Bool beforeInsert = insert.and(sec.lt(leap_event));
        Bool beforeDelete = delete.and(sec.lt(eventMinus1));
        leap_indicator.set(beforeInsert.mux(UInt.lit(1, 2), beforeDelete.mux(UInt.lit(2, 2), UInt.lit(0, 2))));
    }

}
