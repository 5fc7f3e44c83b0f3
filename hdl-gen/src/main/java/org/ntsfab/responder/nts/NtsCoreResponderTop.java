package org.ntsfab.responder.nts;

import java.util.ArrayList;
import java.util.List;
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
 * bench top (its simulation test and {@code bench --nts-core}'s residence table). Per core {@code k} (no suffix with one
 * core): {@code done<k>}, {@code results<k>}, {@code next_departure<k>}.
 */
public final class NtsCoreResponderTop extends Component {
    public final Stream<NtsCoreResponder.Request> request;
    public final Axis in, out;
    public final Flow<NtsCoreResponder.Admission> admission;
    public final List<Flow<NtsDeparture.Done>> done = new ArrayList<>();
    public final List<Flow<NtsCore.Result>> results = new ArrayList<>();
    public final Stream<NtsCore.KeyLoad> key_load;
    public final ResponderCfg cfg = in(new ResponderCfg());
    public final Bits key_ids = in(new Bits(128));
    public final Bits key_valid = in(new Bits(4));
    public final UInt key_current = in(new UInt(2));
    public final UInt max_placeholders = in(new UInt(3));
    public final UInt cycle_now = out(new UInt(32));
    public final Bool key_loaded = out(new Bool());
    public final List<Bool> next_departure_valid = new ArrayList<>();
    public final List<UInt> next_departure = new ArrayList<>();
    public final Bits aes_issue;

    public NtsCoreResponderTop(int residence, int hold, long budget) {
        this(1, residence, hold, budget);
    }

    @SuppressWarnings("unchecked")
    public NtsCoreResponderTop(int cores, int residence, int hold, long budget) {
        this(cores, residence, hold, budget, null);
    }

    /** @param classes the short residence class, or null: one class */
    public NtsCoreResponderTop(int cores, int residence, int hold, long budget, NtsAdmission.Classes classes) {
        moduleName("nts_core_responder_top" + (cores > 1 ? "_n" + cores : "") + "_d" + residence + "_h" + hold
                + (budget == NtsAdmission.UNLIMITED ? "" : "_w" + budget)
                + (classes == null ? "" : "_s" + classes.shortMax() + "_d" + classes.shortResidence() + "_h" + classes.shortHold()));
        NtsCoreResponder r = add("responder", new NtsCoreResponder(cores, residence, hold, budget, classes));
        request = slave(new Stream<>(new NtsCoreResponder.Request(classes != null)));
        in = slave(new Axis(8, 1));
        out = master(new Axis(8, 1));
        admission = master(new Flow<>(new NtsCoreResponder.Admission(r.admission.payload.core.width())));
        key_load = slave(new Stream<>(new NtsCore.KeyLoad()));
        aes_issue = out(new Bits(cores));
        UInt cycle = regInit(new UInt(32), 0).named("cycle_reg");
        cycle.set(cycle.plus(1));
        cycle_now.set(cycle);
        r.cycle.set(cycle);
        r.request.connectFrom(request);
        r.in.connectFrom(in);
        out.connectFrom(r.out);
        admission.connectFrom(r.admission);
        for (int k = 0; k < cores; k++) {
            String tag = cores == 1 ? "" : String.valueOf(k);
            Flow<NtsDeparture.Done> d = (Flow<NtsDeparture.Done>) master(new Flow<>(new NtsDeparture.Done())).named("done" + tag);
            Flow<NtsCore.Result> res = (Flow<NtsCore.Result>) master(new Flow<>(new NtsCore.Result())).named("results" + tag);
            Bool ndv = (Bool) out(new Bool()).named("next_departure_valid" + tag);
            UInt nd = (UInt) out(new UInt(32)).named("next_departure" + tag);
            d.connectFrom(r.done.get(k));
            res.connectFrom(r.results.get(k));
            ndv.set(r.next_departure_valid.get(k));
            nd.set(r.next_departure.get(k));
            done.add(d);
            results.add(res);
            next_departure_valid.add(ndv);
            next_departure.add(nd);
        }
        r.key_load.connectFrom(key_load);
        key_loaded.set(r.key_loaded);
        r.cfg.setFrom(cfg);
        r.key_ids.set(key_ids);
        r.key_valid.set(key_valid);
        r.key_current.set(key_current);
        r.max_placeholders.set(max_placeholders);
        aes_issue.set(r.aes_issue);
    }
}
