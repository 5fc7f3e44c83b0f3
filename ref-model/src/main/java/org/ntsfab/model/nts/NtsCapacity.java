package org.ntsfab.model.nts;

import java.util.PriorityQueue;

/**
 * The NTS core's admission rule (docs/responder-spec.md §9.7), decided from the requests alone: the core holds
 * {@code contexts} requests at once, each from the cycle its first beat arrived for {@code holdCycles} cycles (its
 * fixed residence, the departure of its answer's first beat, plus the longest frame's beats, while the answer is read
 * out of the context), and at most {@code budgetBytes} of their UDP payloads (the work in flight). An NTS-bound request
 * of L payload bytes is admitted when fewer than {@code contexts} admitted requests have their first beat in the
 * {@code holdCycles} cycles up to and including its own ({@code a > r - holdCycles}) and their payloads and L together
 * are at most {@code budgetBytes}; otherwise it is dropped whole ({@code drop_nts_overload}) and holds nothing. The model
 * and the hardware apply the same rule to the same arrival cycles and lengths, so the cross-check compares the two
 * decisions instead of feeding one to the other.
 *
 * <p>With two residence classes (spec §9.7) each admitted request holds its context for its own class's hold ({@link
 * #admit(long, int, long)}): a request is held at r while a + its hold > r.
 *
 * <p>Not thread-safe; one instance per responder, asked in arrival order (cycles never decrease).
 */
public final class NtsCapacity {
    /** No work budget: the count of contexts alone. */
    public static final long UNLIMITED = Long.MAX_VALUE;

    private record Held(long cycle, int bytes, long expiry) {}

    private final int contexts;
    private final long holdCycles, budgetBytes;
    /** The admitted requests still held, the first to expire first. */
    private final PriorityQueue<Held> held = new PriorityQueue<>((x, y) -> Long.compare(x.expiry(), y.expiry()));
    private long heldBytes;
    private long lastCycle = Long.MIN_VALUE;

    public NtsCapacity(int contexts, long holdCycles) {
        this(contexts, holdCycles, UNLIMITED);
    }

    public NtsCapacity(int contexts, long holdCycles, long budgetBytes) {
        if (contexts < 1) throw new IllegalArgumentException("NTS contexts: at least 1, got " + contexts);
        if (holdCycles < 1) throw new IllegalArgumentException("NTS context hold: at least 1 cycle, got " + holdCycles);
        if (budgetBytes < 1472) throw new IllegalArgumentException("NTS work budget: at least one largest request (1472 bytes), got " + budgetBytes);
        this.contexts = contexts;
        this.holdCycles = holdCycles;
        this.budgetBytes = budgetBytes;
    }

    public int contexts() {
        return contexts;
    }

    public long holdCycles() {
        return holdCycles;
    }

    public long budgetBytes() {
        return budgetBytes;
    }

    /** Decides a request of unlimited budget's rule (its length does not matter): the count of contexts alone. */
    public boolean admit(long rxCycle) {
        if (budgetBytes != UNLIMITED) throw new IllegalStateException("this capacity has a work budget: admit(rxCycle, payloadBytes)");
        return admit(rxCycle, 0);
    }

    /** Decides the request of {@code payloadBytes} whose first beat arrived at {@code rxCycle}; admitting it holds a context and its bytes until then + hold. */
    public boolean admit(long rxCycle, int payloadBytes) {
        return admit(rxCycle, payloadBytes, holdCycles);
    }

    /**
     * Decides the request of {@code payloadBytes} whose first beat arrived at {@code rxCycle}; admitting it holds a context
     * and its bytes for {@code hold} cycles (its residence class's).
     */
    public boolean admit(long rxCycle, int payloadBytes, long hold) {
        if (hold < 1) throw new IllegalArgumentException("NTS context hold: at least 1 cycle, got " + hold);
        if (rxCycle < lastCycle) throw new IllegalArgumentException("NTS requests out of order: cycle " + rxCycle + " after " + lastCycle);
        if (payloadBytes < 0) throw new IllegalArgumentException("payload bytes: " + payloadBytes);
        lastCycle = rxCycle;
        while (!held.isEmpty() && held.peek().expiry() <= rxCycle) heldBytes -= held.poll().bytes();
        if (held.size() >= contexts) return false;
        if (budgetBytes != UNLIMITED && heldBytes + payloadBytes > budgetBytes) return false;
        held.add(new Held(rxCycle, payloadBytes, rxCycle + hold));
        heldBytes += payloadBytes;
        return true;
    }

    /** Contexts held at {@code cycle} by the requests decided so far (for counters and tests). */
    public int heldAt(long cycle) {
        int n = 0;
        for (Held a : held) if (a.cycle() <= cycle && a.expiry() > cycle) n++;
        return n;
    }

    /** Payload bytes held at {@code cycle} by the requests decided so far. */
    public long bytesHeldAt(long cycle) {
        long n = 0;
        for (Held a : held) if (a.cycle() <= cycle && a.expiry() > cycle) n += a.bytes();
        return n;
    }
}
