package org.ntsfab.model.nts;

import java.util.ArrayList;
import java.util.List;

/**
 * The NTS fabric's cores and how requests are dealt to them (docs/responder-spec.md §9.7): {@code cores} identical
 * cores, each with its own {@link NtsCapacity} (contexts, hold, work budget). An NTS-bound request goes to the
 * lowest-numbered core whose rule admits it; when none does it is dropped ({@code drop_nts_overload}) and holds
 * nothing anywhere. Decided from arrival cycles and lengths alone, as the hardware decides it, so the cross-check
 * compares the two decisions (core included, through the answers' departures).
 *
 * <p>Not thread-safe; asked in arrival order.
 */
public final class NtsCores {
    private final List<NtsCapacity> cores = new ArrayList<>();

    public NtsCores(int cores, int contexts, long holdCycles, long budgetBytes) {
        if (cores < 1) throw new IllegalArgumentException("NTS cores: at least 1, got " + cores);
        for (int i = 0; i < cores; i++) this.cores.add(new NtsCapacity(contexts, holdCycles, budgetBytes));
    }

    public int cores() {
        return cores.size();
    }

    /** The core the request of {@code payloadBytes} whose first beat arrived at {@code rxCycle} goes to, or -1: dropped. */
    public int assign(long rxCycle, int payloadBytes) {
        for (int i = 0; i < cores.size(); i++) if (cores.get(i).admit(rxCycle, payloadBytes)) return i;
        return -1;
    }

    /** Core {@code i}'s own rule and state (for tests). */
    public NtsCapacity core(int i) {
        return cores.get(i);
    }
}
