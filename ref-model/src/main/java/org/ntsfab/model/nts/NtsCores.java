package org.ntsfab.model.nts;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * The NTS fabric's cores and how requests are dealt to them (docs/responder-spec.md §9.7): {@code cores} identical
 * cores, each with its own {@link NtsCapacity} (contexts, hold, work budget). An NTS-bound request goes to the
 * lowest-numbered core whose rule admits it; when none does it is dropped ({@code drop_nts_overload}) and holds
 * nothing anywhere. Decided from arrival cycles and lengths alone, as the hardware decides it, so the cross-check
 * compares the two decisions (core included, through the answers' departures).
 *
 * <p>With two residence classes, each request's class is decided first, from the requests admitted before it: a
 * request of at most {@code shortMaxBytes} payload bytes whose first beat arrived at r is short, its answer leaving at
 * r + D_s, unless that answer's window [r + D_s, r + D_s + {@link #window}(L)) overlaps the window of a long answer
 * still pending; then, and for every longer request, it is long (r + D_l). Long answers are in request order and their
 * windows disjoint, so the pending ones are a queue: those that end by r + D_s leave it (no later short window can
 * reach them), and only its head can overlap.
 *
 * <p>Not thread-safe; asked in arrival order.
 */
public final class NtsCores {
    /** The bytes a cycle carries on the port the windows are counted for (the 8-byte core, the one with NTS cores). */
    public static final int BYTES_PER_CYCLE = 8;
    /** Bytes beside an answer's UDP payload that a window covers: the longest headers (802.1Q, IPv6, UDP: 66) and the wire's own (FCS, preamble, gap: 24). */
    public static final int WINDOW_OVERHEAD_BYTES = 66 + 24;

    /** A request's decision: the core that took it (-1: dropped as drop_nts_overload), its class and its residence. */
    public record Decision(int core, boolean shortClass, long residence) {
        public boolean admitted() {
            return core >= 0;
        }
    }

    private final List<NtsCapacity> cores = new ArrayList<>();
    private final long residence, hold, shortResidence, shortHold;
    private final int shortMax;
    /** The admitted long answers' windows still pending, {start, end}, in order. */
    private final ArrayDeque<long[]> longWindows = new ArrayDeque<>();

    public NtsCores(int cores, int contexts, long holdCycles, long budgetBytes) {
        this(cores, contexts, holdCycles - 1, holdCycles, budgetBytes, 0, 0, 0);
    }

    /**
     * Two residence classes ({@code shortMax} 0: one): requests of at most {@code shortMax} payload bytes at {@code
     * shortResidence}, held {@code shortHold}, unless a pending long window is in the way; the others at {@code residence},
     * held {@code hold} (the configuration's {@code ResponderConfig.Capacity}).
     */
    public NtsCores(int cores, int contexts, long residence, long hold, long budgetBytes, int shortMax, long shortResidence, long shortHold) {
        if (cores < 1) throw new IllegalArgumentException("NTS cores: at least 1, got " + cores);
        for (int i = 0; i < cores; i++) this.cores.add(new NtsCapacity(contexts, hold, budgetBytes));
        this.residence = residence;
        this.hold = hold;
        this.shortMax = shortMax;
        this.shortResidence = shortResidence;
        this.shortHold = shortHold;
    }

    /** The cycles an answer to a request of {@code payloadBytes} UDP payload bytes may occupy the port, its wire overhead included. */
    public static long window(int payloadBytes) {
        return (payloadBytes + WINDOW_OVERHEAD_BYTES + BYTES_PER_CYCLE - 1) / BYTES_PER_CYCLE;
    }

    public int cores() {
        return cores.size();
    }

    /** The core the request of {@code payloadBytes} whose first beat arrived at {@code rxCycle} goes to, or -1: dropped. */
    public int assign(long rxCycle, int payloadBytes) {
        return decide(rxCycle, payloadBytes).core();
    }

    /** The decision for the request of {@code payloadBytes} whose first beat arrived at {@code rxCycle}. */
    public Decision decide(long rxCycle, int payloadBytes) {
        boolean isShort = false;
        if (shortMax > 0) {
            long start = rxCycle + shortResidence;
            while (!longWindows.isEmpty() && longWindows.peekFirst()[1] <= start) longWindows.removeFirst();
            isShort = payloadBytes <= shortMax && (longWindows.isEmpty() || longWindows.peekFirst()[0] >= start + window(payloadBytes));
        }
        long d = isShort ? shortResidence : residence;
        for (int i = 0; i < cores.size(); i++) {
            if (cores.get(i).admit(rxCycle, payloadBytes, isShort ? shortHold : hold)) {
                if (shortMax > 0 && !isShort) longWindows.addLast(new long[] {rxCycle + d, rxCycle + d + window(payloadBytes)});
                return new Decision(i, isShort, d);
            }
        }
        return new Decision(-1, isShort, d);
    }

    /** Core {@code i}'s own rule and state (for tests). */
    public NtsCapacity core(int i) {
        return cores.get(i);
    }
}
