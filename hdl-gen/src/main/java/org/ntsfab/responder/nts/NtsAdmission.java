package org.ntsfab.responder.nts;

import java.util.ArrayList;
import java.util.List;
import org.ntsfab.hdl.Bool;
import org.ntsfab.hdl.Bundle;
import org.ntsfab.hdl.Component;
import org.ntsfab.hdl.Stream;
import org.ntsfab.hdl.UInt;
import org.ntsfab.hdl.lib.StreamFifo;

/**
 * The NTS cores' admission rule (spec §9.7, the model's {@code NtsCores} and {@code NtsCapacity}): {@code cores}
 * identical cores, each holding up to {@code contexts} requests, each for {@code hold} cycles from its first beat, and
 * with a work budget at most {@code budget} payload bytes of them. An NTS-bound request of L payload bytes whose first
 * beat arrived at cycle r goes to the lowest-numbered core where fewer than {@code contexts} admitted requests have
 * their first beat a in the {@code hold} cycles up to its own (r - hold < a <= r) and their payloads and L together are
 * at most {@code budget} bytes; when no core has room it is dropped and holds nothing.
 *
 * <p>Per core, the admitted requests' expiries (a + hold) and lengths wait in a FIFO, oldest first, with the sum of
 * their lengths in a register. A request waits on {@code decide} while the oldest held one of any core has expired by
 * its r (each such leaves, one every other cycle per core, its bytes out of the sum; requests are decided in arrival
 * order, so what is left is exactly what is held at r), then is decided in the cycle it is taken. At most one decision in three
 * cycles (a FIFO shows an entry two cycles after it is written; decisions come a frame apart in the top). Cycles are
 * 32-bit and wrap; a hold is far below 2^31.
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

    public final int cores;
    public final Stream<Request> decide;
    /** With {@code decide}'s transfer: the request is admitted (else {@code drop_nts_overload}), and to which core. */
    public final Bool admitted = out(new Bool());
    public final UInt core;

    public NtsAdmission(int contexts, int hold) {
        this(1, contexts, hold, UNLIMITED);
    }

    public NtsAdmission(int contexts, int hold, long budget) {
        this(1, contexts, hold, budget);
    }

    public NtsAdmission(int cores, int contexts, int hold, long budget) {
        if (cores < 1 || cores > 8) throw new IllegalArgumentException("NTS cores: 1..8");
        if (contexts < 1 || contexts > 255) throw new IllegalArgumentException("NTS contexts: 1..255");
        if (hold < 1 || hold >= 1 << 30) throw new IllegalArgumentException("NTS context hold: 1 .. 2^30 cycles");
        boolean limited = budget != UNLIMITED;
        if (limited && (budget < 1472 || budget >= 1 << 23)) throw new IllegalArgumentException("NTS work budget: 1472 .. 2^23 bytes");
        this.cores = cores;
        moduleName("nts_admission_c" + contexts + "_h" + hold + (limited ? "_w" + budget : "") + (cores > 1 ? "_n" + cores : ""));
        decide = slave(new Stream<>(new Request()));
        core = out(new UInt(Math.max(1, 32 - Integer.numberOfLeadingZeros(cores - 1))));
        Request q = decide.payload;
        // deeper than the contexts: a full set of held requests, and a FIFO never refuses
        int depth = Math.max(2, Integer.highestOneBit(contexts) << 1);
        List<StreamFifo<Held>> fifos = new ArrayList<>();
        List<UInt> sums = new ArrayList<>();
        List<Bool> admits = new ArrayList<>();
        Bool anyExpired = Bool.lit(false), anyPopped = Bool.lit(false);
        // the request was already waiting last cycle, so the registered comparisons are its own (pops and the decision wait for it)
        Bool seen = regInit(new Bool(), 0).named("request_seen_reg");
        for (int k = 0; k < cores; k++) {
            String tag = cores == 1 ? "" : "core" + k + "_";
            StreamFifo<Held> fifo = add(tag + "held_requests", new StreamFifo<>(Held::new, depth, null, null, "nts_held"));
            UInt sum = regInit(new UInt(24), 0).named(tag + "held_bytes_reg");
            // the oldest held request has expired by this request's first beat: r - (a + hold) >= 0; it leaves first. The
            // comparison is registered (it was the head of a 9-level path through the pop, the decision and the push with two
            // cores): computed from this cycle's head and request, used in the next. It is stale only after a pop (the head
            // moved on: masked, and no decision in the cycle after a pop) or a new head or request, which come only in the two
            // cycles after a decision, when none is taken, or a request that was not waiting the cycle before (not decided yet);
            // a later request never unexpires a head (its r is not earlier)
            Bool expiredNow = let(tag + "oldest_expired", fifo.out.valid.and(q.rx_cycle.minus(fifo.out.payload.expiry).bit(31).not()));
            Bool expired = regInit(new Bool(), 0).named(tag + "oldest_expired_reg");
            fifo.out.ready.set(decide.valid.and(seen).and(expired));
            expired.set(expiredNow.and(fifo.out.fire().not()));
            anyExpired = anyExpired.or(expired);
            anyPopped = anyPopped.or(fifo.out.fire());
            Bool roomCount = let(tag + "context_free", fifo.level.lt(contexts));
            Bool roomBytes = limited ? let(tag + "budget_left", sum.plus(q.bytes.zext(24)).le(UInt.lit(budget, 24))) : Bool.lit(true);
            // registered as the comparison above (4 cores: the count's and the budget's carry chains, then the priority over
            // the cores, were 10 levels): fresh whenever a decision may be taken, for the same reasons
            Bool admitNow = let(tag + "admit", roomCount.and(roomBytes));
            admits.add(regNextInit(admitNow, 0).named(tag + "admit_reg"));
            fifos.add(fifo);
            sums.add(sum);
        }
        Bool pushed = Bool.lit(false);
        for (StreamFifo<Held> f : fifos) pushed = pushed.or(f.in.fire());
        Bool pushed1 = regNextInit(pushed, 0).named("admitted_1_reg");
        Bool pushed2 = regNextInit(pushed1, 0).named("admitted_2_reg");
        Bool popped1 = regNextInit(anyPopped, 0).named("popped_1_reg");
        decide.ready.set(anyExpired.not().and(popped1.not()).and(seen).and(pushed1.or(pushed2).not()));
        seen.set(decide.valid.and(decide.fire().not()));
        // the lowest-numbered core with room takes it
        Bool before = Bool.lit(false);
        UInt pick = UInt.lit(0, core.width());
        for (int k = cores - 1; k >= 0; k--) pick = admits.get(k).mux(UInt.lit(k, core.width()), pick);
        for (int k = 0; k < cores; k++) {
            StreamFifo<Held> fifo = fifos.get(k);
            UInt sum = sums.get(k);
            fifo.in.valid.set(decide.fire().and(admits.get(k)).and(before.not()));
            fifo.in.payload.expiry.set(q.rx_cycle.plus(hold));
            fifo.in.payload.bytes.set(q.bytes);
            // (a push and a pop never share a cycle: a request is taken only with nothing left to expire)
            when(fifo.in.fire(), () -> sum.set(sum.plus(q.bytes.zext(24)))).elseWhen(fifo.out.fire(), () -> sum.set(sum.minus(fifo.out.payload.bytes.zext(24))));
            before = k + 1 < cores ? let("admit_below_" + (k + 1), before.or(admits.get(k))) : before.or(admits.get(k));
        }
        admitted.set(before);
        core.set(pick);
    }
}
