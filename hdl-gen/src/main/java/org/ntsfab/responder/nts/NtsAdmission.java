package org.ntsfab.responder.nts;

import org.ntsfab.hdl.Bool;
import org.ntsfab.hdl.Bundle;
import org.ntsfab.hdl.Component;
import org.ntsfab.hdl.Stream;
import org.ntsfab.hdl.UInt;
import org.ntsfab.hdl.lib.StreamFifo;

/**
 * The NTS core's admission rule (spec §9.7, the model's {@code NtsCapacity}): an NTS-bound request whose first beat
 * arrived at cycle r is admitted when fewer than {@code contexts} admitted requests have their first beat a in the
 * {@code hold} cycles up to its own (r - hold < a <= r); a dropped request holds nothing.
 *
 * <p>The admitted requests' expiries (a + hold) wait in a FIFO, oldest first. Requests are decided in arrival order,
 * so the held ones are the newest: with fewer than {@code contexts} in the FIFO the request is admitted; with {@code
 * contexts} it is admitted exactly when the oldest has expired (r >= its expiry), which then leaves. The decision is
 * on {@code decide}'s transfer cycle (at most one in three cycles) ({@code admitted}, a function of the FIFO's registers and the request's cycle:
 * one subtraction's carry chain), so the top decides a request in the cycle it classifies it. Cycles are 32-bit and
 * wrap; a hold is far below 2^31.
 */
public final class NtsAdmission extends Component {
    public static final class Request extends Bundle {
        /** The cycle the request's first beat arrived. */
        public final UInt rx_cycle = new UInt(32);
    }

    public final Stream<Request> decide;
    /** With {@code decide.valid}: the request is admitted (else {@code drop_nts_overload}). */
    public final Bool admitted = out(new Bool());
    /** Admitted requests still held at the last decision's cycle, at most (for status; the FIFO's level). */
    public final UInt held;

    public NtsAdmission(int contexts, int hold) {
        if (contexts < 1 || contexts > 255) throw new IllegalArgumentException("NTS contexts: 1..255");
        if (hold < 1 || hold >= 1 << 30) throw new IllegalArgumentException("NTS context hold: 1 .. 2^30 cycles");
        moduleName("nts_admission_c" + contexts + "_h" + hold);
        decide = slave(new Stream<>(new Request()));
        // deeper than the contexts: a full set of held requests and one more pass through it in one cycle
        int depth = Integer.highestOneBit(contexts) << 1;
        StreamFifo<UInt> expiries = add("expiries", new StreamFifo<>(() -> new UInt(32), Math.max(2, depth), null, null, "nts_expiry"));
        held = out(new UInt(expiries.level.width()));
        held.set(expiries.level);
        Bool full = let("contexts_all_held", expiries.level.ge(contexts));
        // the oldest admitted request has expired by this request's first beat: r - (a + hold) >= 0
        Bool oldestFree = let("oldest_expired", expiries.out.valid.and(decide.payload.rx_cycle.minus(expiries.out.payload).bit(31).not()));
        Bool admit = let("admit", full.not().or(oldestFree));
        admitted.set(admit);
        // the FIFO shows an entry two cycles after it is written: a decision waits until the last admitted one is visible
        // (decisions come a frame apart in the top, at least 8 cycles; this only holds back a test's faster offers)
        Bool pushed1 = regNextInit(expiries.in.fire(), 0).named("admitted_1_reg");
        Bool pushed2 = regNextInit(pushed1, 0).named("admitted_2_reg");
        decide.ready.set(pushed1.or(pushed2).not());
        expiries.in.valid.set(decide.fire().and(admit));
        expiries.in.payload.set(decide.payload.rx_cycle.plus(hold));
        expiries.out.ready.set(decide.fire().and(full).and(oldestFree));
    }
}
