package org.ntsfab.gen;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import org.ntsfab.hdl.Bits;
import org.ntsfab.hdl.Bool;
import org.ntsfab.hdl.Component;
import org.ntsfab.hdl.Fsm;
import org.ntsfab.hdl.Mem;
import org.ntsfab.hdl.SInt;
import org.ntsfab.hdl.UInt;

/**
 * One top that uses every construct of the HDL: arithmetic, comparison, shifts, extension,
 * slicing, concatenation, reductions, mux, switch, an FSM, a child instance, and a memory with a
 * byte-masked write port, an asynchronous and a registered read port and initial contents. Its
 * Verilog is a golden file, and its behaviour is simulated against Java arithmetic.
 */
public final class FeatureDemo extends Component {
    // combinational operator outputs for a, b
    public final UInt a = in(new UInt(16));
    public final UInt b = in(new UInt(16));
    public final UInt shamt = in(new UInt(4));
    public final UInt add = out(new UInt(16));
    public final UInt sub = out(new UInt(16));
    public final UInt add_x = out(new UInt(17));
    public final UInt mul = out(new UInt(32));
    public final SInt mul_s = out(new SInt(32));
    public final Bits flags = out(new Bits(8));
    public final UInt shl = out(new UInt(16));
    public final UInt shr = out(new UInt(16));
    public final SInt sra = out(new SInt(16));
    public final SInt sext = out(new SInt(24));
    public final Bits swap = out(new Bits(16));
    public final UInt sel = out(new UInt(8));

    // memory: 16 words of 32 bits
    public final Bool wr_en = in(new Bool());
    public final UInt wr_addr = in(new UInt(4));
    public final Bits wr_data = in(new Bits(32));
    public final Bits wr_mask = in(new Bits(4));
    public final UInt rd_addr = in(new UInt(4));
    public final Bits rd_async = out(new Bits(32));
    public final Bits rd_sync = out(new Bits(32));

    // sequential: a counter child and an FSM that counts runs of 'go'
    public final Bool go = in(new Bool());
    public final UInt ticks = out(new UInt(8));
    public final UInt runs = out(new UInt(8));
    public final Ticker ticker;

    public FeatureDemo() {
        moduleName("feature_demo");
        add.set(a.plus(b));
        sub.set(a.minus(b));
        add_x.set(a.plusExpand(b));
        mul.set(a.times(b));
        mul_s.set(a.asSInt().times(b.asSInt()));
        flags.set(Bits.cat(a.lt(b), a.ge(b), a.asSInt().lt(b.asSInt()), a.eq(b), a.orReduce(), a.andReduce(),
                a.xorReduce(), a.asSInt().ge(b.asSInt())));
        shl.set(a.shl(shamt));
        shr.set(a.shr(shamt));
        sra.set(a.asSInt().shr(shamt));
        sext.set(a.asSInt().sext(24));
        swap.set(Bits.cat(a.slice(7, 0), a.slice(15, 8)));
        UInt s = wire(new UInt(8)).named("sel_int");
        switchOn(a.slice(1, 0))
                .is(0, () -> s.set(b.trunc(8)))
                .is(1, () -> s.set(b.slice(15, 8)))
                .is(2, () -> s.set(a.slice(15, 8).xor(b.slice(7, 0))))
                .otherwise(() -> s.set(0xA5));
        sel.set(s);

        Mem ram = mem(32, 16).named("ram");
        List<BigInteger> init = new ArrayList<>();
        for (int i = 0; i < 16; i++) init.add(BigInteger.valueOf(0x01010101L * i));
        ram.init(init);
        ram.write(wr_addr, wr_data, wr_en, wr_mask);
        rd_async.set(ram.readAsync(rd_addr));
        rd_sync.set(ram.readSync(rd_addr, Bool.lit(true)));

        ticker = add(new Ticker());
        ticker.enable.set(go);
        ticks.set(ticker.count);

        UInt runCount = regInit(new UInt(8), 0).named("run_count_reg");
        enum State { IDLE, RUN }
        Fsm<State> fsm = new Fsm<>(this, "state", State.class);
        fsm.on(State.IDLE, () -> when(go, () -> fsm.goTo(State.RUN)));
        fsm.on(State.RUN, () -> when(go.not(), () -> fsm.goTo(State.IDLE)));
        fsm.onEntry(State.RUN, () -> runCount.set(runCount.plus(1)));
        runs.set(runCount);
    }

    /** A counter, as a child instance. */
    public static final class Ticker extends Component {
        public final Bool enable = in(new Bool());
        public final UInt count = out(new UInt(8));

        public Ticker() {
            moduleName("ticker");
            UInt value = regInit(new UInt(8), 0).named("value_reg");
            when(enable, () -> value.set(value.plus(1)));
            count.set(value);
        }
    }
}
