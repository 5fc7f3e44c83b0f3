package org.ntsfab.sim.host;

import java.util.List;
import org.ntsfab.harness.Testbench;
import org.ntsfab.ip.axil.AxiLite;

/**
 * The host side of an AXI4-Lite register file in a {@link Testbench}: the five channels as the testbench's streams
 * ({@code s_axil_aw}, {@code w}, {@code ar} sources; {@code b}, {@code r} sinks; their ports have the AMBA names,
 * {@code s_axil_awvalid}, {@code s_axil_awaddr}, ...). Single accesses run until their
 * response is in; a burst queues every address and data beat at once and then waits for all the responses. Every
 * response must be OKAY.
 */
public final class AxiLiteHost implements RegisterPort {
    public static final String AW = "s_axil_aw", W = "s_axil_w", B = "s_axil_b", AR = "s_axil_ar", R = "s_axil_r";

    private final Testbench tb;

    public AxiLiteHost(Testbench tb) {
        this.tb = tb;
    }

    /** Adds the five channels to a testbench being built: the write address, write data and read address sources, the two response sinks. */
    public static Testbench.Builder channels(Testbench.Builder b) {
        return b.source(AW).source(W).source(AR).sink(B).sink(R);
    }

    /** One write, run cycle by cycle until its response arrives. */
    @Override
    public void write(int address, long value) {
        int before = tb.beats(B).size();
        tb.push(AW, address);
        tb.push(W, value & 0xffffffffL, 0xf);
        for (int i = 0; i < 100 && tb.beats(B).size() == before; i++) tb.run(1);
        if (tb.beats(B).size() == before) throw new IllegalStateException("no write response for 0x" + Integer.toHexString(address));
        long resp = tb.beats(B).get(before).field(0);
        if (resp != AxiLite.OKAY) throw new IllegalStateException("write to 0x" + Integer.toHexString(address) + " answered " + resp);
    }

    /** One read, run cycle by cycle until its data arrives. */
    @Override
    public long read(int address) {
        int before = tb.beats(R).size();
        tb.push(AR, address);
        for (int i = 0; i < 100 && tb.beats(R).size() == before; i++) tb.run(1);
        if (tb.beats(R).size() == before) throw new IllegalStateException("no read response for 0x" + Integer.toHexString(address));
        Testbench.Beat r = tb.beats(R).get(before);
        if (r.field(1) != AxiLite.OKAY) throw new IllegalStateException("read of 0x" + Integer.toHexString(address) + " answered " + r.field(1));
        return r.field(0);
    }

    /** Writes issued together, run until every response is in. */
    public void writeBurst(List<Write> writes) {
        int before = post(writes);
        for (int i = 0; i < 200 && !answered(before, writes.size()); i++) tb.run(4);
        checkWrites(before, writes.size());
    }

    /**
     * Queues writes without running the testbench (the caller runs it, e.g. with a frame in the same stretch of
     * cycles); returns how many write responses there were before them, for {@link #answered} and {@link #checkWrites}.
     */
    public int post(List<Write> writes) {
        int before = tb.beats(B).size();
        for (Write w : writes) {
            tb.push(AW, w.address());
            tb.push(W, w.value() & 0xffffffffL, 0xf);
        }
        return before;
    }

    /** Are the {@code n} write responses after the first {@code before} in? */
    public boolean answered(int before, int n) {
        return tb.beats(B).size() >= before + n;
    }

    /** The {@code n} write responses after the first {@code before} are all in, and all OKAY. */
    public void checkWrites(int before, int n) {
        List<Testbench.Beat> b = tb.beats(B);
        if (b.size() < before + n) throw new IllegalStateException("register writes not answered");
        for (int i = before; i < before + n; i++)
            if (b.get(i).field(0) != AxiLite.OKAY) throw new IllegalStateException("register write answered " + b.get(i).field(0));
    }

    /** Reads issued together, run until every datum is in; the words in address order. */
    public long[] readBurst(List<Integer> addresses) {
        int before = tb.beats(R).size();
        for (int a : addresses) tb.push(AR, a);
        int want = before + addresses.size();
        for (int i = 0; i < 100 && tb.beats(R).size() < want; i++) tb.run(64);
        List<Testbench.Beat> r = tb.beats(R);
        if (r.size() < want) throw new IllegalStateException("register reads not answered");
        long[] out = new long[addresses.size()];
        for (int i = 0; i < out.length; i++) {
            Testbench.Beat b = r.get(before + i);
            if (b.field(1) != AxiLite.OKAY)
                throw new IllegalStateException("read of 0x" + Integer.toHexString(addresses.get(i)) + " answered " + b.field(1));
            out[i] = b.field(0);
        }
        return out;
    }

    /** The cycle the design accepted the last write address. */
    public long lastWriteAccepted() {
        List<Long> aw = tb.acceptedCycles(AW);
        return aw.get(aw.size() - 1);
    }
}
