package org.ntsfab.ip.uart;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.ntsfab.harness.Testbench;

/**
 * A Java AXI4-Lite slave on a master's ports ({@code <prefix>_awvalid}, {@code <prefix>_awaddr}, ...: the testbench streams
 * {@code <prefix>_aw/_w/_b/_ar/_r}) in a {@link Testbench} stepped one
 * cycle at a time: address and data channels taken with random ready, a write answered on B only after both its AW
 * and W were taken, a read on R only after its AR, each after a random delay; OKAY, or SLVERR for the addresses in
 * {@code errors} (a read of those returns {@link #ERROR_DATA}). Words live in a map (unwritten ones read as a
 * function of the address). Every write and read is recorded; the master may have one of each outstanding.
 */
public final class AxiLiteSlaveModel {
    public static final long ERROR_DATA = 0xDEADBEEFL;

    public record Access(boolean write, long addr, long data, int resp, long cycle) {}

    private final Testbench tb;
    private final String p;
    private final SplittableRandom r;
    private final Set<Long> errors;
    private final Map<Long, Long> words = new HashMap<>();
    private final List<Access> accesses = new ArrayList<>();
    private int awSeen, wSeen, arSeen;
    private long bDue = -1, rDue = -1;
    private int bResp, rResp;
    private long rData;

    public AxiLiteSlaveModel(Testbench tb, String prefix, SplittableRandom r, Set<Long> errors, double ready) {
        this.tb = tb;
        this.p = prefix;
        this.r = r;
        this.errors = errors;
        for (String ch : new String[] {"_aw", "_w", "_ar"}) tb.readyProbability(p + ch, ready);
    }

    public static long initial(long addr) {
        return (addr * 0x9E3779B1L + 0x1234567L) & 0xffffffffL;
    }

    public long word(long addr) {
        return words.getOrDefault(addr, initial(addr));
    }

    public List<Access> accesses() {
        return accesses;
    }

    /** Runs one cycle, then reacts to what the master did in it. */
    public void step() {
        if (bDue >= 0 && tb.cycle() >= bDue) {
            tb.push(p + "_b", bResp);
            bDue = -1;
        }
        if (rDue >= 0 && tb.cycle() >= rDue) {
            tb.push(p + "_r", rData, rResp);
            rDue = -1;
        }
        tb.run(1);
        List<Testbench.Beat> aw = tb.beats(p + "_aw"), w = tb.beats(p + "_w"), ar = tb.beats(p + "_ar");
        int bTaken = tb.acceptedCycles(p + "_b").size(), rTaken = tb.acceptedCycles(p + "_r").size();
        assertTrue(aw.size() <= bTaken + 1 && w.size() <= bTaken + 1, "a second write issued before the first's response, cycle " + tb.cycle());
        assertTrue(ar.size() <= rTaken + 1, "a second read issued before the first's data, cycle " + tb.cycle());
        if (aw.size() > awSeen && w.size() > wSeen && bDue < 0) {
            long addr = aw.get(awSeen).field(0), data = w.get(wSeen).field(0);
            assertEquals(0xf, w.get(wSeen).field(1), "write strobes at cycle " + w.get(wSeen).cycle());
            boolean err = errors.contains(addr);
            if (!err) words.put(addr, data);
            bResp = err ? 2 : 0;
            accesses.add(new Access(true, addr, data, bResp, Math.max(aw.get(awSeen).cycle(), w.get(wSeen).cycle())));
            awSeen++;
            wSeen++;
            bDue = tb.cycle() + r.nextInt(6);
        }
        if (ar.size() > arSeen && rDue < 0) {
            long addr = ar.get(arSeen).field(0);
            boolean err = errors.contains(addr);
            rResp = err ? 2 : 0;
            rData = err ? ERROR_DATA : word(addr);
            accesses.add(new Access(false, addr, rData, rResp, ar.get(arSeen).cycle()));
            arSeen++;
            rDue = tb.cycle() + r.nextInt(6);
        }
    }
}
