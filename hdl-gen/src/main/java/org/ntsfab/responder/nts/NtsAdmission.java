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
 *
 * <p>With two residence classes ({@link Classes}, spec §9.7), each request's class is decided first: the admitted long
 * answers' windows wait in a FIFO, each as [r + D_l - D_s, + w(L)) so that the comparisons are against r itself; heads
 * that end by r leave it (one every other cycle, like the expiries), and the request is short when L is at most the
 * short class's and the head, if any, starts at or after r + w(L). Each core then holds its short and long requests in
 * a FIFO per class (each expires in order; the count and the budget are over both). The decision takes a cycle more
 * (r + w(L) is registered first): one in four cycles.
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

    /** The short residence class: requests of at most {@code shortMax} payload bytes, residence and hold, beside the long ones'. */
    public record Classes(int shortMax, int shortResidence, int shortHold, int longResidence) {
        public Classes {
            if (shortMax < 1 || shortMax > 1472) throw new IllegalArgumentException("NTS short class: 1..1472 bytes");
            if (shortHold <= shortResidence || longResidence < shortResidence + org.ntsfab.model.nts.NtsCores.window(1472))
                throw new IllegalArgumentException("NTS classes: hold past the short residence, long residence past it and the longest window");
        }
    }

    /** A pending long answer's window, less the short residence: [start, end). */
    public static final class Window extends Bundle {
        public final UInt start = new UInt(32);
        public final UInt end = new UInt(32);
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
    /** With {@code decide}'s transfer: the request's class is short (with one class, always low). */
    public final Bool short_class = out(new Bool());

    public NtsAdmission(int contexts, int hold) {
        this(1, contexts, hold, UNLIMITED);
    }

    public NtsAdmission(int contexts, int hold, long budget) {
        this(1, contexts, hold, budget);
    }

    public NtsAdmission(int cores, int contexts, int hold, long budget) {
        this(cores, contexts, hold, budget, null);
    }

    /** @param classes the short class, or null: one class (every request long, held {@code hold}) */
    public NtsAdmission(int cores, int contexts, int hold, long budget, Classes classes) {
        if (cores < 1 || cores > 8) throw new IllegalArgumentException("NTS cores: 1..8");
        if (contexts < 1 || contexts > 255) throw new IllegalArgumentException("NTS contexts: 1..255");
        if (hold < 1 || hold >= 1 << 30) throw new IllegalArgumentException("NTS context hold: 1 .. 2^30 cycles");
        boolean limited = budget != UNLIMITED;
        if (limited && (budget < 1472 || budget >= 1 << 23)) throw new IllegalArgumentException("NTS work budget: 1472 .. 2^23 bytes");
        this.cores = cores;
        boolean two = classes != null;
        moduleName("nts_admission_c" + contexts + "_h" + hold + (limited ? "_w" + budget : "") + (cores > 1 ? "_n" + cores : "")
                + (two ? "_s" + classes.shortMax() + "_d" + classes.shortResidence() + "_h" + classes.shortHold() + "_l" + classes.longResidence() : ""));
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
        List<StreamFifo<Held>> shortFifos = new ArrayList<>();
        for (int k = 0; k < cores; k++) {
            String tag = cores == 1 ? "" : "core" + k + "_";
            StreamFifo<Held> fifo = add(tag + "held_requests", new StreamFifo<>(Held::new, depth, null, null, "nts_held"));
            StreamFifo<Held> sfifo = two ? add(tag + "held_short_requests", new StreamFifo<>(Held::new, depth, null, null, "nts_held")) : null;
            UInt sum = regInit(new UInt(24), 0).named(tag + "held_bytes_reg");
            // the oldest held request has expired by this request's first beat: r - (a + hold) >= 0; it leaves first. The
            // comparison is registered (it was the head of a 9-level path through the pop, the decision and the push with two
            // cores): computed from this cycle's head and request, used in the next. It is stale only after a pop (the head
            // moved on: masked, and no decision in the cycle after a pop) or a new head or request, which come only in the two
            // cycles after a decision, when none is taken, or a request that was not waiting the cycle before (not decided yet);
            // a later request never unexpires a head (its r is not earlier)
            Bool expiredNow = let(tag + "oldest_expired", fifo.out.valid.and(q.rx_cycle.minus(fifo.out.payload.expiry).bit(31).not()));
            Bool expired = regInit(new Bool(), 0).named(tag + "oldest_expired_reg");
            Bool sExpired = Bool.lit(false);
            if (two) {
                // the short class's FIFO pops first when both have expired heads (one pop a cycle per core keeps the byte sum's
                // update single)
                Bool sNow = let(tag + "oldest_short_expired", sfifo.out.valid.and(q.rx_cycle.minus(sfifo.out.payload.expiry).bit(31).not()));
                sExpired = regInit(new Bool(), 0).named(tag + "oldest_short_expired_reg");
                sfifo.out.ready.set(decide.valid.and(seen).and(sExpired));
                sExpired.set(sNow.and(sfifo.out.fire().not()));
                anyExpired = anyExpired.or(sExpired);
                anyPopped = anyPopped.or(sfifo.out.fire());
            }
            fifo.out.ready.set(decide.valid.and(seen).and(expired).and(sExpired.not()));
            expired.set(expiredNow.and(fifo.out.fire().not()));
            anyExpired = anyExpired.or(expired);
            anyPopped = anyPopped.or(fifo.out.fire());
            UInt held = two ? let(tag + "held_count", fifo.level.plus(sfifo.level)) : fifo.level;
            Bool roomCount = let(tag + "context_free", held.lt(contexts));
            Bool roomBytes = limited ? let(tag + "budget_left", sum.plus(q.bytes.zext(24)).le(UInt.lit(budget, 24))) : Bool.lit(true);
            // registered as the comparison above (4 cores: the count's and the budget's carry chains, then the priority over
            // the cores, were 10 levels): fresh whenever a decision may be taken, for the same reasons
            Bool admitNow = let(tag + "admit", roomCount.and(roomBytes));
            admits.add(regNextInit(admitNow, 0).named(tag + "admit_reg"));
            fifos.add(fifo);
            shortFifos.add(sfifo);
            sums.add(sum);
        }
        // ---- the class: the pending long windows, each less D_s, so that both comparisons are against r ----------------------
        Bool isShort = Bool.lit(false);
        StreamFifo<Window> windows = null;
        Bool waited2 = Bool.lit(true);
        UInt rwEnd = null;
        if (two) {
            int wDepth = Math.max(2, Integer.highestOneBit(cores * contexts) << 1);
            windows = add("long_windows", new StreamFifo<>(Window::new, wDepth, null, null, "nts_window"));
            // w(L) = ceil((L + 90) / 8), and r + w(L), registered: fresh from the request's second cycle on
            UInt w = let("window_cycles", q.bytes.zext(12).plus(org.ntsfab.model.nts.NtsCores.WINDOW_OVERHEAD_BYTES + 7).shr(3).trunc(9));
            UInt rw = regNext(q.rx_cycle.plus(w.zext(32))).named("request_window_end_reg");
            rwEnd = rw;
            Bool endedNow = let("long_window_ended", windows.out.valid.and(q.rx_cycle.minus(windows.out.payload.end).bit(31).not()));
            Bool ended = regInit(new Bool(), 0).named("long_window_ended_reg");
            windows.out.ready.set(decide.valid.and(seen).and(ended));
            ended.set(endedNow.and(windows.out.fire().not()));
            anyExpired = anyExpired.or(ended);
            anyPopped = anyPopped.or(windows.out.fire());
            Bool fits = let("short_length", q.bytes.le(UInt.lit(classes.shortMax(), 11)));
            Bool clear = let("before_long_window", windows.out.valid.not().or(windows.out.payload.start.minus(rw).bit(31).not()));
            isShort = regNextInit(fits.and(clear), 0).named("short_class_reg");
            Bool w2 = regInit(new Bool(), 0).named("request_seen_2_reg");
            w2.set(seen.and(decide.valid).and(decide.fire().not()));
            waited2 = w2;
        }
        Bool pushed = Bool.lit(false);
        for (StreamFifo<Held> f : fifos) pushed = pushed.or(f.in.fire());
        for (StreamFifo<Held> f : shortFifos) if (f != null) pushed = pushed.or(f.in.fire());
        if (windows != null) pushed = pushed.or(windows.in.fire());
        Bool pushed1 = regNextInit(pushed, 0).named("admitted_1_reg");
        Bool pushed2 = regNextInit(pushed1, 0).named("admitted_2_reg");
        Bool popped1 = regNextInit(anyPopped, 0).named("popped_1_reg");
        decide.ready.set(anyExpired.not().and(popped1.not()).and(seen).and(waited2).and(pushed1.or(pushed2).not()));
        seen.set(decide.valid.and(decide.fire().not()));
        // the lowest-numbered core with room takes it
        Bool before = Bool.lit(false);
        UInt pick = UInt.lit(0, core.width());
        for (int k = cores - 1; k >= 0; k--) pick = admits.get(k).mux(UInt.lit(k, core.width()), pick);
        for (int k = 0; k < cores; k++) {
            StreamFifo<Held> fifo = fifos.get(k);
            UInt sum = sums.get(k);
            StreamFifo<Held> sfifo = shortFifos.get(k);
            Bool takes = decide.fire().and(admits.get(k)).and(before.not());
            fifo.in.valid.set(two ? takes.and(isShort.not()) : takes);
            fifo.in.payload.expiry.set(q.rx_cycle.plus(hold));
            fifo.in.payload.bytes.set(q.bytes);
            if (two) {
                sfifo.in.valid.set(takes.and(isShort));
                sfifo.in.payload.expiry.set(q.rx_cycle.plus(classes.shortHold()));
                sfifo.in.payload.bytes.set(q.bytes);
            }
            // (a push and a pop never share a cycle: a request is taken only with nothing left to expire; the two classes'
            // FIFOs never pop in the same cycle)
            Bool in = two ? fifo.in.fire().or(sfifo.in.fire()) : fifo.in.fire();
            when(in, () -> sum.set(sum.plus(q.bytes.zext(24)))).elseWhen(fifo.out.fire(), () -> sum.set(sum.minus(fifo.out.payload.bytes.zext(24))));
            if (two) when(sfifo.out.fire(), () -> sum.set(sum.minus(sfifo.out.payload.bytes.zext(24))));
            before = k + 1 < cores ? let("admit_below_" + (k + 1), before.or(admits.get(k))) : before.or(admits.get(k));
        }
        admitted.set(before);
        core.set(pick);
        short_class.set(isShort);
        if (two) {
            // an admitted long request's window becomes pending, less D_s: [r + D_l - D_s, + w(L))
            int ahead = classes.longResidence() - classes.shortResidence();
            windows.in.valid.set(decide.fire().and(before).and(isShort.not()));
            UInt start = let("long_window_start", q.rx_cycle.plus(ahead));
            windows.in.payload.start.set(start);
            windows.in.payload.end.set(rwEnd.plus(ahead));
        }
    }
}
