package org.ntsfab.gen;

import org.ntsfab.hdl.Bits;
import org.ntsfab.hdl.Bool;
import org.ntsfab.hdl.ClockDomain;
import org.ntsfab.hdl.Component;
import org.ntsfab.hdl.Fsm;
import org.ntsfab.hdl.UInt;
import org.ntsfab.hdl.lib.Synchronizer;

/**
 * Two clock domains joined by a declared synchronizer, with an FSM on the receiving side: the shape
 * of the PPS input path (an asynchronous pulse brought into the MAC clock and edge-detected).
 */
public final class CdcDemo extends Component {
    public static final ClockDomain REF = new ClockDomain("ref_clk", "ref_rst", ClockDomain.Reset.SYNC_HIGH);

    public final Bool pps_in;
    public final Bool pps_seen;
    public final UInt pulses;

    public CdcDemo() {
        moduleName("cdc_demo");
        // the pulse is registered in the reference domain...
        pps_in = inDomain(REF, () -> in(new Bool()));
        Bool ppsRef = inDomain(REF, () -> regNextInit(pps_in, 0).named("pps_ref_reg"));
        // ...and crosses into the main domain through a two-flop synchronizer
        Synchronizer sync = add("pps_sync", new Synchronizer(1, ClockDomain.main()));
        sync.in.set(ppsRef.asBits());
        Bits synced = sync.out;
        pps_seen = out(new Bool());
        pulses = out(new UInt(8));

        Bool prev = regNextInit(synced.bit(0), 0).named("pps_prev_reg");
        Bool rise = synced.bit(0).and(prev.not());
        UInt count = regInit(new UInt(8), 0).named("pulse_count_reg");
        enum State { WAIT, SEEN }
        Fsm<State> fsm = new Fsm<>(this, "state", State.class);
        fsm.on(State.WAIT, () -> when(rise, () -> fsm.goTo(State.SEEN)));
        fsm.on(State.SEEN, () -> when(rise.not(), () -> fsm.goTo(State.WAIT)));
        fsm.onEntry(State.SEEN, () -> count.set(count.plus(1)));
        pps_seen.set(fsm.is(State.SEEN));
        pulses.set(count);
    }
}
