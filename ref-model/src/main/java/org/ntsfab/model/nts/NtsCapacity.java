package org.ntsfab.model.nts;

import java.util.ArrayDeque;

/**
 * The NTS core's admission rule (docs/responder-spec.md §9.7), decided from the requests alone: the core holds
 * {@code contexts} requests at once, each from the cycle its first beat arrived for {@code holdCycles} cycles (its
 * fixed residence, the departure of its answer's first beat, plus the longest frame's beats, while the answer is read
 * out of the context). An NTS-bound request is admitted when fewer than {@code contexts} admitted requests have their
 * first beat in the {@code holdCycles} cycles up to and including its own ({@code a > r - holdCycles}); otherwise it is
 * dropped whole ({@code drop_nts_overload}) and holds nothing. The model and the hardware apply the same rule to the same
 * arrival cycles, so the cross-check compares the two decisions instead of feeding one to the other.
 *
 * <p>Not thread-safe; one instance per responder, asked in arrival order (cycles never decrease).
 */
public final class NtsCapacity {
    private final int contexts;
    private final long holdCycles;
    /** First-beat cycles of the admitted requests still held, oldest first. */
    private final ArrayDeque<Long> held = new ArrayDeque<>();
    private long lastCycle = Long.MIN_VALUE;

    public NtsCapacity(int contexts, long holdCycles) {
        if (contexts < 1) throw new IllegalArgumentException("NTS contexts: at least 1, got " + contexts);
        if (holdCycles < 1) throw new IllegalArgumentException("NTS context hold: at least 1 cycle, got " + holdCycles);
        this.contexts = contexts;
        this.holdCycles = holdCycles;
    }

    public int contexts() {
        return contexts;
    }

    public long holdCycles() {
        return holdCycles;
    }

    /** Decides the request whose first beat arrived at {@code rxCycle}; admitting it holds a context until then + hold. */
    public boolean admit(long rxCycle) {
        if (rxCycle < lastCycle) throw new IllegalArgumentException("NTS requests out of order: cycle " + rxCycle + " after " + lastCycle);
        lastCycle = rxCycle;
        while (!held.isEmpty() && held.peekFirst() <= rxCycle - holdCycles) held.removeFirst();
        if (held.size() >= contexts) return false;
        held.addLast(rxCycle);
        return true;
    }

    /** Contexts held at {@code cycle} by the requests decided so far (for counters and tests). */
    public int heldAt(long cycle) {
        int n = 0;
        for (long a : held) if (a <= cycle && a > cycle - holdCycles) n++;
        return n;
    }
}
