package org.ntsfab.responder.nts;

import java.util.ArrayList;
import java.util.List;
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
 * The NTS cores with their admission and their departures, frame in, frame out (spec §9.7): what the top gives every
 * NTS-bound request and gets back. Each {@code request} (in arrival order: the decision stage's job, where the UDP
 * payload is, the cycle its first beat arrived and the clock D cycles after it, T3) is admitted to the lowest-numbered
 * core with room or dropped, by {@link NtsAdmission} (contexts held per core, and with a budget their payload bytes;
 * {@code admission}, in the cycle it is taken); its frame's beats follow on {@code in} and are cut to the payload
 * ({@link NtsPayloadSlice}) and steered to its core, or, dropped, consumed. An admitted request gets the next request
 * number (its nonces, §9.6; counted over all cores from the nonce seed's load), its answer header (§8.2, T3 given) and
 * a context in its core's {@link NtsCore}; the core's {@link NtsDeparture} sends its answer or NAK with its first beat
 * offered exactly at first beat + {@code residence}, in request order, then releases the context. The cores' answers
 * never overlap (each is D after its request, no longer than its request), so they merge without waiting.
 *
 * <p>{@code key_load} goes to every core; {@code key_loaded} pulses once all of them have it in effect.
 */
public final class NtsCoreResponder extends Component {
    public static final class Request extends Bundle {
        public final AnswerJob request = new AnswerJob();
        public final UInt payload_offset = new UInt(8);
        public final UInt payload_length = new UInt(11);
        /** The cycle the request's first beat arrived, and the clock {@code residence} cycles later (T3). */
        public final UInt rx_cycle = new UInt(32);
        public final Bits t3 = new Bits(64);
        /** With two residence classes: the clock the short residence after the first beat (the short class's T3); else absent. */
        public final Bits t3_short;

        public Request() {
            this(false);
        }

        public Request(boolean twoClasses) {
            t3_short = twoClasses ? new Bits(64) : null;
        }

        @Override
        protected String memberName(String field) {
            return field.equals("request") ? "" : field;
        }
    }

    public static final class Admission extends Bundle {
        public final Bool admitted = new Bool();
        public final UInt core;

        public Admission(int coreBits) {
            core = new UInt(coreBits);
        }
    }

    /**
     * Beats queued in front of each core's capture. The capture pauses a few cycles between requests (its last chunk's
     * write, the parser's fields, the sequencer taking the request), more than the wire's gap between frames; the
     * lowest-numbered core takes a burst of up to 31 requests back to back, so without a queue of its own it held up
     * the payload slice, and with it the NTS store's reader, which overflowed at line rate with every request admitted.
     */
    public static final int PAYLOAD_QUEUE = 128;

    public final int cores, residence, hold;
    public final long budget;
    /** The short residence class, or null: one class. */
    public final NtsAdmission.Classes classes;
    public final Stream<Request> request;
    public final Axis in;
    public final org.ntsfab.hdl.Flow<Admission> admission;
    public final ResponderCfg cfg = in(new ResponderCfg());
    public final UInt cycle = in(new UInt(32));
    public final Stream<NtsCore.KeyLoad> key_load;
    /** One pulse when the last {@code key_load} taken is in effect in every core. */
    public final Bool key_loaded = out(new Bool());
    public final Bits key_ids = in(new Bits(128));
    public final Bits key_valid = in(new Bits(4));
    public final UInt key_current = in(new UInt(2));
    public final UInt max_placeholders = in(new UInt(3));
    public final Axis out;
    /** Per core: its next departure (the cycle its next answer's first beat is due), when it has one. */
    public final List<Bool> next_departure_valid = new ArrayList<>();
    public final List<UInt> next_departure = new ArrayList<>();
    /** Per core: each admitted request's end (its outcome, and whether it was late), as its context is released. */
    public final List<org.ntsfab.hdl.Flow<NtsDeparture.Done>> done = new ArrayList<>();
    /** Per core: high in every cycle a block enters its AES pipeline. */
    public final Bits aes_issue;
    /** Per core: each request's result as the core hands it to its departures (outcome, length, request number): a trace. */
    public final List<org.ntsfab.hdl.Flow<NtsCore.Result>> results = new ArrayList<>();

    public NtsCoreResponder(int residence, int hold, long budget) {
        this(1, residence, hold, budget);
    }

    /**
     * @param cores N: the cores, each one {@link NtsCore}
     * @param residence D: cycles from a request's first beat to its answer's
     * @param hold H: cycles a context is held from the request's first beat (more than D and the longest answer's beats)
     * @param budget W: the most payload bytes a core holds at once ({@link NtsAdmission#UNLIMITED}: the count alone)
     */
    public NtsCoreResponder(int cores, int residence, int hold, long budget) {
        this(cores, residence, hold, budget, null);
    }

    /**
     * @param classes the short residence class (its requests' answers leave at first beat + its residence, T3 from the
     *     request's {@code t3_short}), or null: one class
     */
    public NtsCoreResponder(int cores, int residence, int hold, long budget, NtsAdmission.Classes classes) {
        if (classes != null && classes.longResidence() != residence) throw new IllegalArgumentException("the classes' long residence is the residence");
        this.classes = classes;
        boolean two = classes != null;
        if (hold <= residence + 190) throw new IllegalArgumentException("the hold must cover the residence and the longest answer's beats");
        this.cores = cores;
        this.residence = residence;
        this.hold = hold;
        this.budget = budget;
        moduleName("nts_core_responder" + (cores > 1 ? "_n" + cores : "") + "_d" + residence + "_h" + hold
                + (budget == NtsAdmission.UNLIMITED ? "" : "_w" + budget)
                + (two ? "_s" + classes.shortMax() + "_d" + classes.shortResidence() + "_h" + classes.shortHold() : ""));
        NtsAdmission adm = add("admission", new NtsAdmission(cores, NtsCore.CONTEXTS, hold, budget, classes));
        int cb = adm.core.width();
        request = slave(new Stream<>(new Request(two)));
        in = slave(new Axis(8, 1));
        admission = master(new org.ntsfab.hdl.Flow<>(new Admission(cb)));
        key_load = slave(new Stream<>(new NtsCore.KeyLoad()));
        out = master(new Axis(8, 1));
        aes_issue = out(new Bits(cores));
        List<NtsCore> coreList = new ArrayList<>();
        List<NtsDeparture> deps = new ArrayList<>();
        List<StreamFifo<NtsCore.Job>> jobQs = new ArrayList<>();
        List<StreamFifo<Axis.Beat>> payloadQs = new ArrayList<>();
        for (int k = 0; k < cores; k++) {
            String tag = cores == 1 ? "" : String.valueOf(k);
            next_departure_valid.add((Bool) out(new Bool()).named("next_departure_valid" + tag));
            next_departure.add((UInt) out(new UInt(32)).named("next_departure" + tag));
            done.add((org.ntsfab.hdl.Flow<NtsDeparture.Done>) master(new org.ntsfab.hdl.Flow<>(new NtsDeparture.Done())).named("done" + tag));
            results.add((org.ntsfab.hdl.Flow<NtsCore.Result>) master(new org.ntsfab.hdl.Flow<>(new NtsCore.Result())).named("results" + tag));
            String ct = cores == 1 ? "" : "_" + k;
            coreList.add(add("core" + ct, new NtsCore()));
            deps.add(add("departure" + ct, new NtsDeparture(two)));
            jobQs.add(add("core_jobs" + ct, new StreamFifo<>(NtsCore.Job::new, 4)));
            payloadQs.add(add("core_payloads" + ct, new StreamFifo<>(() -> new Axis.Beat(8, 1), PAYLOAD_QUEUE, "tvalid", "tready")));
        }
        NtsPayloadSlice slice = add("slice", new NtsPayloadSlice());
        StreamFifo<NtsPayloadSlice.Job> sliceJobs = add("slice_jobs", new StreamFifo<>(NtsPayloadSlice.Job::new, 4));
        // which core each admitted request's payload goes to, in order
        StreamFifo<UInt> route = add("payload_route", new StreamFifo<>(() -> new UInt(cb), 4));

        // ---- the decision: admission, and the jobs of an admitted request, in one transfer --------------------------
        Bool room = sliceJobs.in.ready.and(route.in.ready);
        for (int k = 0; k < cores; k++) {
            room = room.and(jobQs.get(k).in.ready).and(deps.get(k).entry.ready);
            if (two) room = room.and(deps.get(k).short_entry.ready).and(deps.get(k).tag_free);
        }
        room = let("room_for_request", room);
        adm.decide.valid.set(request.valid.and(room));
        adm.decide.payload.rx_cycle.set(request.payload.rx_cycle);
        adm.decide.payload.bytes.set(request.payload.payload_length);
        request.ready.set(adm.decide.ready.and(room));
        Bool taken = let("request_taken", request.fire());
        Bool admit = let("request_admitted", adm.admitted);
        UInt to = let("request_core", adm.core);
        Bool isShort = two ? let("request_short", adm.short_class) : Bool.lit(false);
        admission.valid.set(taken);
        admission.payload.admitted.set(admit);
        admission.payload.core.set(to);
        sliceJobs.in.valid.set(taken);
        sliceJobs.in.payload.offset.set(request.payload.payload_offset);
        sliceJobs.in.payload.length.set(request.payload.payload_length);
        sliceJobs.in.payload.discard.set(admit.not());
        slice.job.connectFrom(sliceJobs.out);
        slice.in.connectFrom(in);
        route.in.valid.set(taken.and(admit));
        route.in.payload.set(to);

        // the request number: admitted requests since the nonce seed was loaded (spec §9.6), over all cores
        UInt number = regInit(new UInt(64), 0).named("request_number_reg");
        Bool seedLoad = let("nonce_seed_load", key_load.fire().and(key_load.payload.seed));
        when(seedLoad, () -> number.set(0)).elseWhen(taken.and(admit), () -> number.set(number.plus(1)));
        AnswerJob j = request.payload.request;
        // the answer header (§8.2): LI the clock's (3 unsynchronized), VN kept, mode 4, stratum (16 unsynchronized), poll
        // kept, precision, root delay and dispersion, refid, reference timestamp T2's second, origin, T2, T3
        Bits header = let("answer_header", Bits.cat(cfg.synced.mux(j.leap, Bits.lit(3, 2)), j.vn, Bits.lit(4, 3),
                cfg.synced.mux(cfg.stratum.asBits(), Bits.lit(16, 8)), j.poll, cfg.precision, cfg.root_delay, cfg.root_dispersion, cfg.refid,
                j.t2.slice(63, 32), Bits.lit(0, 32), j.origin, j.t2, two ? isShort.mux(request.payload.t3_short, request.payload.t3) : request.payload.t3));

        // ---- the payload to its core ---------------------------------------------------------------------------------
        Bool toReady = Bool.lit(false);
        for (int k = cores - 1; k >= 0; k--) toReady = cores == 1 ? payloadQs.get(0).in.ready : route.out.payload.eq(k).mux(payloadQs.get(k).in.ready, toReady);
        // a register slice between the slice and the cores: its registered tlast ends a payload's route (with four cores the
        // slice's own last-beat compare, the cores' readies and the route's pop were 9 levels)
        org.ntsfab.hdl.lib.StreamStage<Axis.Beat> payloads = add("payload_stage", new org.ntsfab.hdl.lib.StreamStage<>(() -> new Axis.Beat(8, 1),
                org.ntsfab.hdl.lib.StreamStage.Kind.SKID, "tvalid", "tready"));
        payloads.in.connectFrom(slice.out);
        payloads.out.ready.set(route.out.valid.and(toReady));
        route.out.ready.set(payloads.out.fire().and(payloads.out.payload.tlast));

        // ---- key loads to every core ---------------------------------------------------------------------------------
        Bool allTake = Bool.lit(true), allDone = Bool.lit(true);
        List<Bool> tookK = new ArrayList<>(), doneK = new ArrayList<>();
        for (int k = 0; k < cores; k++) {
            Bool took = regInit(new Bool(), 0).named("key_load_taken" + k + "_reg");
            tookK.add(took);
            allTake = allTake.and(took.or(coreList.get(k).key_load.ready));
            if (cores > 1) {
                Bool kd = regInit(new Bool(), 0).named("key_load_done" + k + "_reg");
                doneK.add(kd);
                allDone = allDone.and(kd.or(coreList.get(k).key_done));
            }
        }
        key_load.ready.set(allTake);
        key_loaded.set(cores == 1 ? coreList.get(0).key_done : let("key_loaded_all", allDone));

        // ---- the cores and their departures --------------------------------------------------------------------------
        List<Axis> outs = new ArrayList<>();
        for (int k = 0; k < cores; k++) {
            final int kk = k;
            NtsCore core = coreList.get(k);
            NtsDeparture dep = deps.get(k);
            StreamFifo<NtsCore.Job> jobs = jobQs.get(k);
            Bool mine = cores == 1 ? Bool.lit(true) : let("request_to_core" + k, to.eq(k));
            // the core's own count of its requests: its departures match results by it (at most its contexts are in flight,
            // so its low bits are unique among them, which the request number's are not once cores interleave)
            // (two classes: the departure's lowest tag not in flight, since answers then leave out of admission order)
            UInt tag = two ? dep.next_tag.zext(16) : regInit(new UInt(16), 0).named("departure_tag" + k + "_reg");
            if (!two) when(taken.and(admit).and(mine), () -> tag.set(tag.plus(1)));
            jobs.in.valid.set(taken.and(admit).and(mine));
            jobs.in.payload.request_number.set(number.asBits());
            jobs.in.payload.header.set(header);
            jobs.in.payload.departure_tag.set(tag.asBits());
            core.job.connectFrom(jobs.out);
            StreamFifo<Axis.Beat> pq = payloadQs.get(k);
            pq.in.valid.set(payloads.out.valid.and(route.out.valid).and(cores == 1 ? Bool.lit(true) : route.out.payload.eq(k)));
            pq.in.payload.setFrom(payloads.out.payload);
            core.in.valid.set(pq.out.valid);
            core.in.payload.setFrom(pq.out.payload);
            pq.out.ready.set(core.in.ready);
            dep.entry.valid.set(two ? taken.and(admit).and(mine).and(isShort.not()) : taken.and(admit).and(mine));
            if (two) dep.short_entry.valid.set(taken.and(admit).and(mine).and(isShort));
            for (NtsDeparture.Entry e : two ? List.of(dep.entry.payload, dep.short_entry.payload) : List.of(dep.entry.payload)) {
                e.request.set(tag.asBits());
                e.depart.set(two ? request.payload.rx_cycle.plus(isShort.mux(UInt.lit(classes.shortResidence(), 32), UInt.lit(residence, 32)))
                        : request.payload.rx_cycle.plus(residence));
                e.v6.set(j.v6);
                e.tagged.set(j.tagged);
                e.tci.set(j.tci);
                e.mac.set(j.mac);
                e.ip.set(j.ip);
                e.port.set(j.port);
            }

            Bool took = tookK.get(k);
            core.key_load.valid.set(key_load.valid.and(took.not()));
            core.key_load.payload.setFrom(key_load.payload);
            when(key_load.fire(), () -> took.set(false)).elseWhen(core.key_load.fire(), () -> took.set(true));
            if (cores > 1) {
                Bool kd = doneK.get(k);
                when(key_loaded, () -> kd.set(false)).elseWhen(core.key_done, () -> kd.set(true));
            }
            core.key_ids.set(key_ids);
            core.key_valid.set(key_valid);
            core.key_current.set(key_current);
            core.max_placeholders.set(max_placeholders);
            core.rd_req.valid.set(false);
            core.rd_req.payload.addr.set(UInt.lit(0, core.rd_req.payload.addr.width()));
            core.rd_res.ready.set(true);

            dep.result.connectFrom(core.result);
            results.get(k).valid.set(core.result.fire());
            results.get(k).payload.setFrom(core.result.payload);
            core.release.connectFrom(dep.release);
            core.ans_rd_req.connectFrom(dep.ans_rd_req);
            dep.ans_rd_res.connectFrom(core.ans_rd_res);
            core.sum_context.set(dep.sum_context);
            dep.payload_sum.set(core.payload_sum);
            dep.cfg.setFrom(cfg);
            dep.cycle.set(cycle);
            outs.add(dep.out);
            next_departure_valid.get(k).set(dep.next_departure_valid);
            next_departure.get(k).set(dep.next_departure);
            done.get(k).connectFrom(dep.done);
        }
        List<Bool> issues = new ArrayList<>();
        for (int k = cores - 1; k >= 0; k--) issues.add(coreList.get(k).aes_issue);
        Bits issue = cores == 1 ? issues.get(0).asBits() : Bits.cat(issues);
        aes_issue.set(issue);
        if (cores == 1) {
            out.connectFrom(outs.get(0));
        } else {
            org.ntsfab.ip.stream.AxisFrameMux mux = add("answer_merge", new org.ntsfab.ip.stream.AxisFrameMux(cores));
            for (int k = 0; k < cores; k++) mux.in(k).connectFrom(outs.get(k));
            mux.may_start.set(Bits.lit((1L << cores) - 1, cores));
            out.connectFrom(mux.out);
        }
    }
}
