package org.ntsfab.responder.nts;

import org.ntsfab.hdl.Bool;
import org.ntsfab.hdl.Bundle;
import org.ntsfab.hdl.Component;
import org.ntsfab.hdl.Stream;
import org.ntsfab.hdl.UInt;
import org.ntsfab.hdl.lib.StreamFifo;

/**
 * The NTS core's admission rule (spec §9.7, the model's {@code NtsCapacity}): an NTS-bound request of L payload bytes
 * whose first beat arrived at cycle r is admitted when fewer than {@code contexts} admitted requests have their first
 * beat a in the {@code hold} cycles up to its own (r - hold < a <= r) and, with a work budget, their payloads and L
 * together are at most {@code budget} bytes; a dropped request holds nothing.
 *
 * <p>The admitted requests' expiries (a + hold) and lengths wait in a FIFO, oldest first, with the sum of their
 * lengths in a register. A request waits on {@code decide} while the oldest held one has expired by its r (each such
 * leaves, one a cycle, its bytes out of the sum; requests are decided in arrival order, so what is left is exactly
 * what is held at r), then is decided in the cycle it is taken: admitted when the FIFO holds fewer than {@code
 * contexts} and the sum plus L is within the budget. At most one decision in three cycles (the FIFO shows an entry two
 * cycles after it is written; decisions come a frame apart in the top). Cycles are 32-bit and wrap; a hold is far
 * below 2^31.
 */
public final class NtsAdmission extends Component {
    /** No work budget: the count of contexts alone. */
    public static final long UNLIMITED = Long.MAX_VALUE;

    public static final class Request extends Bundle {
        /** The cycle the request's first beat arrived. */
        public final UInt rx_cycle = new UInt(32);
        /** Its UDP payload's length. */
        public final UInt bytes = new UInt(11);
    }

    public static final class Held extends Bundle {
        public final UInt expiry = new UInt(32);
        public final UInt bytes = new UInt(11);
    }

    public final Stream<Request> decide;
    /** With {@code decide}'s transfer: the request is admitted (else {@code drop_nts_overload}). */
    public final Bool admitted = out(new Bool());
    /** Admitted requests held (the FIFO's level) and their payload bytes: status. */
    public final UInt held;
    public final UInt held_bytes = out(new UInt(24));

    public NtsAdmission(int contexts, int hold) {
        this(contexts, hold, UNLIMITED);
    }

    public NtsAdmission(int contexts, int hold, long budget) {
        if (contexts < 1 || contexts > 255) throw new IllegalArgumentException("NTS contexts: 1..255");
        if (hold < 1 || hold >= 1 << 30) throw new IllegalArgumentException("NTS context hold: 1 .. 2^30 cycles");
        boolean limited = budget != UNLIMITED;
        if (limited && (budget < 1472 || budget >= 1 << 23)) throw new IllegalArgumentException("NTS work budget: 1472 .. 2^23 bytes");
        moduleName("nts_admission_c" + contexts + "_h" + hold + (limited ? "_w" + budget : ""));
        decide = slave(new Stream<>(new Request()));
        // deeper than the contexts: a full set of held requests, and the FIFO never refuses
        int depth = Integer.highestOneBit(contexts) << 1;
        StreamFifo<Held> fifo = add("held_requests", new StreamFifo<>(Held::new, Math.max(2, depth), null, null, "nts_held"));
        held = out(new UInt(fifo.level.width()));
        held.set(fifo.level);
        UInt sum = regInit(new UInt(24), 0).named("held_bytes_reg");
        held_bytes.set(sum);
        Request q = decide.payload;
        // the oldest held request has expired by this request's first beat: r - (a + hold) >= 0; it leaves first
        Bool oldestExpired = let("oldest_expired", fifo.out.valid.and(q.rx_cycle.minus(fifo.out.payload.expiry).bit(31).not()));
        fifo.out.ready.set(decide.valid.and(oldestExpired));
        Bool pushed1 = regNextInit(fifo.in.fire(), 0).named("admitted_1_reg");
        Bool pushed2 = regNextInit(pushed1, 0).named("admitted_2_reg");
        decide.ready.set(oldestExpired.not().and(pushed1.or(pushed2).not()));
        Bool roomCount = let("context_free", fifo.level.lt(contexts));
        Bool roomBytes = limited ? let("budget_left", sum.plus(q.bytes.zext(24)).le(UInt.lit(budget, 24))) : Bool.lit(true);
        Bool admit = let("admit", roomCount.and(roomBytes));
        admitted.set(admit);
        fifo.in.valid.set(decide.fire().and(admit));
        fifo.in.payload.expiry.set(q.rx_cycle.plus(hold));
        fifo.in.payload.bytes.set(q.bytes);
        // (a push and a pop never share a cycle: a request is taken only with nothing left to expire)
        when(fifo.in.fire(), () -> sum.set(sum.plus(q.bytes.zext(24)))).elseWhen(fifo.out.fire(), () -> sum.set(sum.minus(fifo.out.payload.bytes.zext(24))));
    }
}
