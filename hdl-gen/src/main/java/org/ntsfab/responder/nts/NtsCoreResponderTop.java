package org.ntsfab.responder.nts;

import org.ntsfab.hdl.Axis;
import org.ntsfab.hdl.Bits;
import org.ntsfab.hdl.Bool;
import org.ntsfab.hdl.Component;
import org.ntsfab.hdl.Flow;
import org.ntsfab.hdl.Stream;
import org.ntsfab.hdl.UInt;
import org.ntsfab.responder.ResponderCfg;

/**
 * {@link NtsCoreResponder} with the free-running cycle counter a top gives it (shown on {@code cycle_now}): the block's
 * bench top (its simulation test and {@code bench --nts-core}'s residence table).
 */
public final class NtsCoreResponderTop extends Component {
    public final Stream<NtsCoreResponder.Request> request;
    public final Axis in, out;
    public final Flow<NtsCoreResponder.Admission> admission;
    public final Flow<NtsDeparture.Done> done;
    public final Flow<NtsCore.Result> results;
    public final Stream<NtsCore.KeyLoad> key_load;
    public final ResponderCfg cfg = in(new ResponderCfg());
    public final Bits key_ids = in(new Bits(128));
    public final Bits key_valid = in(new Bits(4));
    public final UInt key_current = in(new UInt(2));
    public final UInt max_placeholders = in(new UInt(3));
    public final UInt cycle_now = out(new UInt(32));
    public final Bool next_departure_valid = out(new Bool());
    public final UInt next_departure = out(new UInt(32));
    public final Bool aes_issue = out(new Bool());

    public NtsCoreResponderTop(int residence, int hold, long budget) {
        moduleName("nts_core_responder_top_d" + residence + "_h" + hold + (budget == NtsAdmission.UNLIMITED ? "" : "_w" + budget));
        NtsCoreResponder r = add("responder", new NtsCoreResponder(residence, hold, budget));
        request = slave(new Stream<>(new NtsCoreResponder.Request()));
        in = slave(new Axis(8, 1));
        out = master(new Axis(8, 1));
        admission = master(new Flow<>(new NtsCoreResponder.Admission()));
        done = master(new Flow<>(new NtsDeparture.Done()));
        results = master(new Flow<>(new NtsCore.Result()));
        key_load = slave(new Stream<>(new NtsCore.KeyLoad()));
        UInt cycle = regInit(new UInt(32), 0).named("cycle_reg");
        cycle.set(cycle.plus(1));
        cycle_now.set(cycle);
        r.cycle.set(cycle);
        r.request.connectFrom(request);
        r.in.connectFrom(in);
        out.connectFrom(r.out);
        admission.connectFrom(r.admission);
        done.connectFrom(r.done);
        results.connectFrom(r.results);
        r.key_load.connectFrom(key_load);
        r.cfg.setFrom(cfg);
        r.key_ids.set(key_ids);
        r.key_valid.set(key_valid);
        r.key_current.set(key_current);
        r.max_placeholders.set(max_placeholders);
        next_departure_valid.set(r.next_departure_valid);
        next_departure.set(r.next_departure);
        aes_issue.set(r.aes_issue);
    }
}
