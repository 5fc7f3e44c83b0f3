package org.ntsfab.responder.nts;

import org.ntsfab.hdl.Axis;
import org.ntsfab.hdl.Bits;
import org.ntsfab.hdl.Bool;
import org.ntsfab.hdl.Bundle;
import org.ntsfab.hdl.Component;
import org.ntsfab.hdl.Stream;
import org.ntsfab.hdl.UInt;
import org.ntsfab.hdl.lib.StreamFifo;
import org.ntsfab.responder.ResponderCfg;
import org.ntsfab.responder.decide.AnswerJob;

/**
 * The NTS core with its admission and its departures, frame in, frame out (spec §9.7): what the top gives every
 * NTS-bound request and gets back. Each {@code request} (in arrival order: the decision stage's job, where the UDP
 * payload is, the cycle its first beat arrived and the clock D cycles after it, T3) is admitted or dropped by {@link
 * NtsAdmission} (contexts held, and with a budget their payload bytes; {@code admission}, in the cycle it is taken); its frame's beats follow on {@code in} and are cut to the
 * payload ({@link NtsPayloadSlice}) or, dropped, consumed. An admitted request gets the next request number (its
 * nonces, §9.6; counted from the nonce seed's load), its answer header (§8.2, T3 given) and a context in {@link
 * NtsCore}; {@link NtsDeparture} sends its answer or NAK with its first beat offered exactly at first beat + {@code
 * residence}, in request order, then releases the context.
 */
public final class NtsCoreResponder extends Component {
    public static final class Request extends Bundle {
        public final AnswerJob request = new AnswerJob();
        public final UInt payload_offset = new UInt(8);
        public final UInt payload_length = new UInt(11);
        /** The cycle the request's first beat arrived, and the clock {@code residence} cycles later (T3). */
        public final UInt rx_cycle = new UInt(32);
        public final Bits t3 = new Bits(64);

        @Override
        protected String memberName(String field) {
            return field.equals("request") ? "" : field;
        }
    }

    public static final class Admission extends Bundle {
        public final Bool admitted = new Bool();
    }

    public final int residence, hold;
    public final long budget;
    public final Stream<Request> request;
    public final Axis in;
    public final org.ntsfab.hdl.Flow<Admission> admission;
    public final ResponderCfg cfg = in(new ResponderCfg());
    public final UInt cycle = in(new UInt(32));
    public final Stream<NtsCore.KeyLoad> key_load;
    public final Bits key_ids = in(new Bits(128));
    public final Bits key_valid = in(new Bits(4));
    public final UInt key_current = in(new UInt(2));
    public final UInt max_placeholders = in(new UInt(3));
    public final Axis out;
    public final Bool next_departure_valid = out(new Bool());
    public final UInt next_departure = out(new UInt(32));
    public final org.ntsfab.hdl.Flow<NtsDeparture.Done> done;
    /** High in every cycle a block enters the AES pipeline. */
    public final Bool aes_issue = out(new Bool());
    /** Each request's result as the core hands it to the departures (its outcome, length and request number): a trace. */
    public final org.ntsfab.hdl.Flow<NtsCore.Result> results;

    /**
     * @param residence D: cycles from a request's first beat to its answer's
     * @param hold H: cycles a context is held from the request's first beat (more than D and the longest answer's beats)
     * @param budget W: the most payload bytes held at once ({@link NtsAdmission#UNLIMITED}: the count alone)
     */
    public NtsCoreResponder(int residence, int hold, long budget) {
        if (hold <= residence + 190) throw new IllegalArgumentException("the hold must cover the residence and the longest answer's beats");
        this.residence = residence;
        this.hold = hold;
        this.budget = budget;
        moduleName("nts_core_responder_d" + residence + "_h" + hold + (budget == NtsAdmission.UNLIMITED ? "" : "_w" + budget));
        request = slave(new Stream<>(new Request()));
        in = slave(new Axis(8, 1));
        admission = master(new org.ntsfab.hdl.Flow<>(new Admission()));
        key_load = slave(new Stream<>(new NtsCore.KeyLoad()));
        out = master(new Axis(8, 1));
        done = master(new org.ntsfab.hdl.Flow<>(new NtsDeparture.Done()));
        results = master(new org.ntsfab.hdl.Flow<>(new NtsCore.Result()));

        NtsAdmission adm = add("admission", new NtsAdmission(NtsCore.CONTEXTS, hold, budget));
        NtsPayloadSlice slice = add("slice", new NtsPayloadSlice());
        NtsCore core = add("core", new NtsCore());
        NtsDeparture dep = add("departure", new NtsDeparture());
        StreamFifo<NtsPayloadSlice.Job> sliceJobs = add("slice_jobs", new StreamFifo<>(NtsPayloadSlice.Job::new, 4));
        StreamFifo<NtsCore.Job> coreJobs = add("core_jobs", new StreamFifo<>(NtsCore.Job::new, 4));

        // ---- the decision: admission, and the jobs of an admitted request, in one transfer --------------------------
        Bool room = let("room_for_request", sliceJobs.in.ready.and(coreJobs.in.ready).and(dep.entry.ready));
        adm.decide.valid.set(request.valid.and(room));
        adm.decide.payload.rx_cycle.set(request.payload.rx_cycle);
        adm.decide.payload.bytes.set(request.payload.payload_length);
        request.ready.set(adm.decide.ready.and(room));
        Bool taken = let("request_taken", request.fire());
        Bool admit = let("request_admitted", adm.admitted);
        admission.valid.set(taken);
        admission.payload.admitted.set(admit);
        sliceJobs.in.valid.set(taken);
        sliceJobs.in.payload.offset.set(request.payload.payload_offset);
        sliceJobs.in.payload.length.set(request.payload.payload_length);
        sliceJobs.in.payload.discard.set(admit.not());
        slice.job.connectFrom(sliceJobs.out);
        slice.in.connectFrom(in);

        // the request number: admitted requests since the nonce seed was loaded (spec §9.6)
        UInt number = regInit(new UInt(64), 0).named("request_number_reg");
        Bool seedLoad = let("nonce_seed_load", key_load.fire().and(key_load.payload.seed));
        when(seedLoad, () -> number.set(0)).elseWhen(taken.and(admit), () -> number.set(number.plus(1)));
        AnswerJob j = request.payload.request;
        // the answer header (§8.2): LI the clock's (3 unsynchronized), VN kept, mode 4, stratum (16 unsynchronized), poll
        // kept, precision, root delay and dispersion, refid, reference timestamp T2's second, origin, T2, T3
        Bits header = let("answer_header", Bits.cat(cfg.synced.mux(j.leap, Bits.lit(3, 2)), j.vn, Bits.lit(4, 3),
                cfg.synced.mux(cfg.stratum.asBits(), Bits.lit(16, 8)), j.poll, cfg.precision, cfg.root_delay, cfg.root_dispersion, cfg.refid,
                j.t2.slice(63, 32), Bits.lit(0, 32), j.origin, j.t2, request.payload.t3));
        coreJobs.in.valid.set(taken.and(admit));
        coreJobs.in.payload.request_number.set(number.asBits());
        coreJobs.in.payload.header.set(header);
        core.job.connectFrom(coreJobs.out);
        core.in.connectFrom(slice.out);
        dep.entry.valid.set(taken.and(admit));
        NtsDeparture.Entry e = dep.entry.payload;
        e.request.set(number.asBits().slice(15, 0));
        e.depart.set(request.payload.rx_cycle.plus(residence));
        e.v6.set(j.v6);
        e.tagged.set(j.tagged);
        e.tci.set(j.tci);
        e.mac.set(j.mac);
        e.ip.set(j.ip);
        e.port.set(j.port);

        // ---- the core ---------------------------------------------------------------------------------------------------
        core.key_load.connectFrom(key_load);
        core.key_ids.set(key_ids);
        core.key_valid.set(key_valid);
        core.key_current.set(key_current);
        core.max_placeholders.set(max_placeholders);
        core.rd_req.valid.set(false);
        core.rd_req.payload.addr.set(UInt.lit(0, core.rd_req.payload.addr.width()));
        core.rd_res.ready.set(true);
        aes_issue.set(core.aes_issue);

        // ---- the departures -------------------------------------------------------------------------------------------
        dep.result.connectFrom(core.result);
        results.valid.set(core.result.fire());
        results.payload.setFrom(core.result.payload);
        core.release.connectFrom(dep.release);
        core.ans_rd_req.connectFrom(dep.ans_rd_req);
        dep.ans_rd_res.connectFrom(core.ans_rd_res);
        core.sum_context.set(dep.sum_context);
        dep.payload_sum.set(core.payload_sum);
        dep.cfg.setFrom(cfg);
        dep.cycle.set(cycle);
        out.connectFrom(dep.out);
        next_departure_valid.set(dep.next_departure_valid);
        next_departure.set(dep.next_departure);
        done.connectFrom(dep.done);
    }
}
