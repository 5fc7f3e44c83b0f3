package org.ntsfab.ip.stream;

import java.util.ArrayList;
import java.util.List;
import org.ntsfab.hdl.Axis;
import org.ntsfab.hdl.Bits;
import org.ntsfab.hdl.Bool;
import org.ntsfab.hdl.Component;
import org.ntsfab.hdl.UInt;
import org.ntsfab.hdl.lib.RoundRobin;

/**
 * Merges {@code n} AXI-Stream frame sources into one, whole frames at a time, round robin: between
 * frames the next source with a valid beat after the last one served wins; once a frame's first
 * beat is offered the mux is locked to that source until its last beat is accepted. No register on the data
 * path: a beat is accepted on the output in the same cycle its source sees it accepted, so a
 * source that stamps its first beat (the NTP answerer's T3) stamps the cycle it leaves the mux.
 * Valid and data depend only on the sources' valid and state, never on the output's ready.
 */
public final class AxisFrameMux extends Component {
    private final List<Axis> ins = new ArrayList<>();
    public final Axis out;
    /** The source whose beat is on {@code out} this cycle. */
    public final UInt grant;
    /** Per source: may a new frame start from it this cycle (a frame already started always continues). */
    public final Bits may_start;

    public AxisFrameMux(int n) {
        if (n < 2 || n > 16) throw new IllegalArgumentException("2..16 sources");
        moduleName("axis_frame_mux_" + n);
        for (int i = 0; i < n; i++) ins.add((Axis) slave(new Axis(8, 1)).named("s" + i));
        out = master(new Axis(8, 1));
        int sb = 32 - Integer.numberOfLeadingZeros(n - 1);
        grant = out(new UInt(sb));
        may_start = in(new Bits(n));

        Bool locked = regInit(new Bool(), 0).named("locked_reg");
        UInt sel = regInit(new UInt(sb), 0).named("sel_reg");
        UInt lastServed = regInit(new UInt(sb), n - 1).named("last_served_reg");

        // round robin: the first valid source after lastServed
        List<Bool> valids = new ArrayList<>();
        for (int i = 0; i < n; i++) valids.add(ins.get(i).valid.and(may_start.bit(i)));
        UInt pick = RoundRobin.next(valids, lastServed);
        grant.set(locked.mux(sel, pick));

        Bits data = ins.get(0).tdata(), keep = ins.get(0).tkeep(), user = ins.get(0).tuser();
        Bool valid = ins.get(0).valid, last = ins.get(0).tlast();
        for (int i = 1; i < n; i++) {
            Bool g = grant.eq(i);
            Axis s = ins.get(i);
            data = g.mux(s.tdata(), data);
            keep = g.mux(s.tkeep(), keep);
            user = g.mux(s.tuser(), user);
            valid = g.mux(s.valid, valid);
            last = g.mux(s.tlast(), last);
        }
        Bool startOk = may_start.bit(0);
        for (int i = 1; i < n; i++) startOk = grant.eq(i).mux(may_start.bit(i), startOk);
        Bool mayGo = let("may_go", locked.or(startOk));
        out.valid.set(valid.and(mayGo));
        out.tdata().set(data);
        out.tkeep().set(keep);
        out.tlast().set(last);
        out.tuser().set(user);
        // a source held back from starting sees no ready either
        for (int i = 0; i < n; i++) ins.get(i).ready.set(out.ready.and(grant.eq(i)).and(mayGo));

        // the grant holds from the first cycle a beat is offered (accepted or not) to the frame's last beat,
        // so a waiting beat never changes under the sink
        when(out.valid, () -> {
            sel.set(grant);
            locked.set(out.ready.and(out.tlast()).not());
            when(out.fire().and(out.tlast()), () -> lastServed.set(grant));
        });
    }

    public Axis in(int i) {
        return ins.get(i);
    }
}
