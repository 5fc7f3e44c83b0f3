package org.ntsfab.responder.nts;

import static org.ntsfab.ip.eth.OnesComplement.words;
import static org.ntsfab.ip.stream.FrameBytes.littleEndian;

import java.util.ArrayList;
import java.util.List;
import org.ntsfab.hdl.Axis;
import org.ntsfab.hdl.Bits;
import org.ntsfab.hdl.Bool;
import org.ntsfab.hdl.Bundle;
import org.ntsfab.hdl.Component;
import org.ntsfab.hdl.Mem;
import org.ntsfab.hdl.Stream;
import org.ntsfab.hdl.UInt;
import org.ntsfab.hdl.lib.StreamFifo;
import org.ntsfab.responder.ResponderCfg;

/**
 * The NTS core's departures (spec §9.7): each admitted request's answer or NAK leaves as a frame whose first beat is
 * offered exactly at its departure cycle (the request's first beat + the fixed residence D), in request order.
 *
 * <p>An {@code entry} per admitted request (in order: the low bits of its request number, its departure cycle, what
 * the frame's headers need of the request) waits in a queue; the core's {@code result}s (in any order) are kept by
 * request number. When the oldest entry's result is in, its frame is prepared: the UDP checksum from the payload's sum
 * (the core's, per context) and the pseudo header, the IPv4 header's checksum, each summed in registered stages of
 * four 16-bit terms, then the Ethernet, IPv4 or IPv6 (802.1Q or not) and UDP headers in a register; the payload's
 * 8-byte words are read from the core's answer memory into a queue meanwhile. At the departure cycle the headers'
 * beats leave, then the payload's, realigned behind them; then the context is released. A malformed request has no
 * frame: its context is released when its result is in. A frame whose result came too late for its departure leaves
 * as soon as it is ready, with {@code late} (never expected: D is a bound).
 *
 * <p>With two residence classes the short requests' entries come on {@code short_entry} into a queue of their own:
 * each class's departures are in order, and a short answer may leave before a long one admitted earlier. The next
 * frame prepared is the one of the two queues' heads that departs first (registered a cycle ahead); a long head is
 * taken only from {@link #LONG_LEAD} cycles before its departure, because a short request admitted after it may still
 * depart before it until then (the admission decides a request long before its short departure). A short head is
 * taken as soon as its result is in: nothing admitted after it departs before it.
 */
public final class NtsDeparture extends Component {
    /** An admitted request's departure: what its frame's headers need, in request order. */
    public static final class Entry extends Bundle {
        /** The request's departure tag (its job's, which the core's result carries back). */
        public final Bits request = new Bits(16);
        public final UInt depart = new UInt(32);
        public final Bool v6 = new Bool(), tagged = new Bool();
        public final Bits tci = new Bits(16);
        public final Bits mac = new Bits(48), ip = new Bits(128), port = new Bits(16);
    }

    public static final class Done extends Bundle {
        public final UInt outcome = new UInt(3);
        public final Bool late = new Bool();
    }

    /** A request's result as the table keeps it until its departure. */
    static final class Kept extends Bundle {
        final UInt context = new UInt(5), outcome = new UInt(3), length = new UInt(11);
        /** The result came too late for its frame to be prepared before its departure cycle (the core's miss). */
        final Bool late = new Bool();
    }

    /** Requests in flight at most (the result table's size; the admission's contexts are fewer). */
    public static final int IN_FLIGHT = 32;
    /** With two classes: cycles before its departure from which a long head may be prepared. */
    public static final int LONG_LEAD = 32;

    public final Stream<Entry> entry;
    /** The short class's entries (two classes only; null with one). */
    public final Stream<Entry> short_entry;
    public final Stream<NtsCore.Result> result;
    public final ResponderCfg cfg = in(new ResponderCfg());
    /** The free-running cycle counter: one more every cycle (the departure's due flag is computed a cycle ahead from it). */
    public final UInt cycle = in(new UInt(32));
    public final Stream<NtsCore.AnswerRead> ans_rd_req;
    public final Stream<NtsCore.AnswerData> ans_rd_res;
    public final UInt sum_context = out(new UInt(5));
    public final Bits payload_sum = in(new Bits(16));
    public final Stream<NtsCore.Release> release;
    public final Axis out;
    /** The oldest waiting departure (for the transmit merge, which keeps the port free then). */
    public final Bool next_departure_valid = out(new Bool());
    public final UInt next_departure = out(new UInt(32));
    /**
     * With two classes: the tag the next entry must carry (the lowest not in flight), and whether one is free. Departures
     * leave out of admission order then, so the admission's running count would not keep the tags in flight apart.
     */
    public final UInt next_tag;
    public final Bool tag_free;
    /** One per admitted request, when its frame has left (or, malformed, when its context is released). */
    public final org.ntsfab.hdl.Flow<Done> done;

    public NtsDeparture() {
        this(false);
    }

    /** @param twoClasses a second entry queue for the short residence class */
    public NtsDeparture(boolean twoClasses) {
        moduleName(twoClasses ? "nts_departure_64_2c" : "nts_departure_64");
        entry = slave(new Stream<>(new Entry()));
        short_entry = twoClasses ? slave(new Stream<>(new Entry())) : null;
        next_tag = twoClasses ? out(new UInt(5)) : null;
        tag_free = twoClasses ? out(new Bool()) : null;
        result = slave(new Stream<>(new NtsCore.Result()));
        ans_rd_req = master(new Stream<>(new NtsCore.AnswerRead()));
        ans_rd_res = slave(new Stream<>(new NtsCore.AnswerData()));
        release = master(new Stream<>(new NtsCore.Release()));
        out = master(new Axis(8, 1));
        done = master(new org.ntsfab.hdl.Flow<>(new Done()));

        StreamFifo<Entry> queue = add("entry_queue", new StreamFifo<>(Entry::new, IN_FLIGHT, null, null, "nts_departure"));
        queue.in.connectFrom(entry);
        // ---- results, by request number --------------------------------------------------------------------------
        int rb = Integer.numberOfTrailingZeros(IN_FLIGHT);
        Mem table = mem(new Kept().totalWidth(), IN_FLIGHT).named("result_mem");
        Bits known = regInit(new Bits(IN_FLIGHT), 0).named("result_known_reg");
        result.ready.set(Bool.lit(true));
        UInt rAt = result.payload.departure_tag.trunc(rb).asUInt();
        Kept in = wire(new Kept());
        in.named("result_kept");
        in.context.set(result.payload.context);
        in.outcome.set(result.payload.outcome);
        in.length.set(result.payload.length);
        table.write(rAt, in.asBits(), result.fire());

        Entry head;
        Bool headKnown;
        StreamFifo<Entry> squeue = null;
        Bool useShort = null, pickShort = null;
        // each entry's departure cycle by its tag, to judge its result's timing when the result comes
        Mem departs = mem(32, IN_FLIGHT).named("departure_cycle_mem");
        if (twoClasses) {
            squeue = add("short_entry_queue", new StreamFifo<>(Entry::new, IN_FLIGHT, null, null, "nts_departure"));
            squeue.in.connectFrom(short_entry);
            // (an entry of each class never comes in the same cycle: one request a decision)
            departs.write(short_entry.fire().mux(short_entry.payload.request, entry.payload.request).trunc(rb).asUInt(),
                    short_entry.fire().mux(short_entry.payload.depart, entry.payload.depart).asBits(), entry.fire().or(short_entry.fire()));
            Entry hL = queue.out.payload, hS = squeue.out.payload;
            // registered from this cycle's heads for the next: the short head when it departs first (or is alone); the long
            // head's departure within LONG_LEAD; each head past the cycle its frame could still be prepared on time (stale only
            // in the cycle after a pop, when no entry is taken, or after a push, whose departure is a short residence away)
            pickShort = regNextInit(squeue.out.valid.and(queue.out.valid.not().or(hS.depart.minus(hL.depart).bit(31))), 0).named("pick_short_reg");
            Bool longDue = regNextInit(queue.out.valid.and(cycle.plus(LONG_LEAD + 1).minus(hL.depart).bit(31).not()), 0).named("long_head_due_reg");
            // overdue: a result noticed now would make its frame late (the preparation's lead, below)
            int due = lead(true);
            Bool sOverdue = regNextInit(cycle.plus(due + 1).minus(hS.depart).bit(31).not(), 0).named("short_head_overdue_reg");
            Bool lOverdue = regNextInit(cycle.plus(due + 1).minus(hL.depart).bit(31).not(), 0).named("long_head_overdue_reg");
            // whether each head's result is in, registered too (the table's bit by the head's tag, then the choice between the
            // heads, was a 9-level path into the preparation): a result is noticed a cycle later, which the lead allows for
            Bool knownS = regNextInit(squeue.out.valid.and(known.shr(hS.request.trunc(rb).asUInt()).bit(0)), 0).named("short_head_known_reg");
            Bool knownL = regNextInit(queue.out.valid.and(known.shr(hL.request.trunc(rb).asUInt()).bit(0)), 0).named("long_head_known_reg");
            Bool canL = let("long_head_may_go", knownL.and(longDue));
            // the head that departs first goes when its result is in. If that result is still missing when the frame could no
            // longer leave on time (the core's miss, counted late), the other queue's head goes first when it may: a late
            // short answer's context must not wait behind long answers that hold contexts and may only leave after it
            Bool sGoes = let("short_head_goes", pickShort.and(knownS).or(pickShort.not().and(queue.out.valid).and(knownL.not()).and(lOverdue).and(knownS)));
            Bool lGoes = let("long_head_goes", pickShort.not().and(canL).or(pickShort.and(knownS.not()).and(sOverdue).and(canL)));
            useShort = sGoes;
            head = wire(new Entry());
            head.named("next_entry");
            head.setFromBits(sGoes.mux(hS.asBits(), hL.asBits()));
            headKnown = let("head_result_known", sGoes.or(lGoes));
        } else {
            departs.write(entry.payload.request.trunc(rb).asUInt(), entry.payload.depart.asBits(), entry.fire());
            head = queue.out.payload;
            headKnown = null;
        }
        UInt hAt = head.request.trunc(rb).asUInt();
        Kept hRes = wire(new Kept());
        hRes.named("head_result");
        hRes.setFromBits(table.readAsync(hAt));
        if (!twoClasses) headKnown = let("head_result_known", queue.out.valid.and(known.shr(hAt).bit(0)));

        // ---- the preparation: the oldest departure whose result is in ---------------------------------------------------
        final int P_IDLE = 0, P_PREP = 1, P_READY = 2, P_RELEASE = 3;
        UInt pState = regInit(new UInt(2), P_IDLE).named("prep_state_reg");
        UInt ctx = reg(new UInt(5)).named("prep_context_reg");
        UInt outcome = reg(new UInt(3)).named("prep_outcome_reg");
        UInt length = reg(new UInt(11)).named("prep_payload_length_reg");
        UInt depart = reg(new UInt(32)).named("prep_depart_reg");
        Bool v6 = reg(new Bool()).named("prep_v6_reg"), tagged = reg(new Bool()).named("prep_tagged_reg");
        Bits tci = reg(new Bits(16)).named("prep_tci_reg"), mac = reg(new Bits(48)).named("prep_mac_reg"), ip = reg(new Bits(128)).named("prep_ip_reg");
        Bits port = reg(new Bits(16)).named("prep_port_reg");
        Bits sum = reg(new Bits(16)).named("prep_payload_sum_reg");
        UInt prep = reg(new UInt(4)).named("prep_step_reg");
        UInt prepTag = twoClasses ? reg(new UInt(5)).named("prep_tag_reg") : null;
        sum_context.set(ctx);
        Bool take = let("take_departure", pState.eq(P_IDLE).and(headKnown));
        if (twoClasses) {
            queue.out.ready.set(take.and(useShort.not()));
            squeue.out.ready.set(take.and(useShort));
        } else queue.out.ready.set(take);
        Bits clearBit = Bits.repeat(take, IN_FLIGHT).and(Bits.lit(1, IN_FLIGHT).shl(hAt));
        Bits setBit = Bits.repeat(result.fire(), IN_FLIGHT).and(Bits.lit(1, IN_FLIGHT).shl(rAt));
        known.set(known.and(clearBit.not()).or(setBit));

        // the headers (from registered inputs; the sums in registered stages)
        UInt udpLen = let("udp_length", length.zext(16).plus(8));
        Bits ourIp = v6.mux(cfg.ipv6, Bits.cat(Bits.lit(0, 96), cfg.ipv4));
        Bits theirIp = v6.mux(ip, Bits.cat(Bits.lit(0, 96), ip.slice(31, 0)));
        List<UInt> udpTerms = new ArrayList<>(words(ourIp));
        udpTerms.addAll(words(theirIp));
        udpTerms.add(UInt.lit(17, 16));
        udpTerms.add(udpLen);
        udpTerms.add(UInt.lit(123, 16));
        udpTerms.add(port.asUInt());
        udpTerms.add(udpLen);
        udpTerms.add(sum.asUInt());
        UInt udpFolded = sumTree("udp_sum", udpTerms);
        UInt udpCsum = let("udp_checksum", udpFolded.eq(0xffff).mux(UInt.lit(0xffff, 16), udpFolded.not()));
        Bits ip4NoSum = Bits.cat(Bits.lit(0x4500, 16), udpLen.plus(20).asBits(), Bits.lit(0, 16), Bits.lit(0x4000, 16), cfg.ttl.asBits(),
                Bits.lit(17, 8), Bits.lit(0, 16), cfg.ipv4, ip.slice(31, 0));
        UInt ip4Csum = sumTree("ipv4_sum", words(ip4NoSum)).not();
        int prepSteps = treeStages(udpTerms.size()) + 1;
        // a result at cycle t: known at t + 1, taken, its context at t + 2, the sum at step SUM_AT, the headers after
        // prepSteps more, handed over and leaving a cycle later: on time when its departure is at least that far ahead
        if (udpTerms.size() != UDP_SUM_TERMS) throw new IllegalStateException("the UDP sum's terms: " + udpTerms.size());
        int lead = lead(twoClasses);
        in.late.set(departs.readAsync(rAt).asUInt().minus(cycle.plus(lead)).bit(31));
        Bits udp = Bits.cat(Bits.lit(123, 16), port, udpLen.asBits(), udpCsum.asBits());
        Bits ip4 = Bits.cat(ip4NoSum.slice(159, 80), ip4Csum.asBits(), ip4NoSum.slice(63, 0));
        Bits ip6 = Bits.cat(Bits.lit(0x60000000L, 32), udpLen.asBits(), Bits.lit(17, 8), cfg.ttl.asBits(), cfg.ipv6, ip);
        Bits ethTagged = Bits.cat(mac, cfg.mac, Bits.lit(0x8100, 16), tci);
        Bits ethPlain = Bits.cat(mac, cfg.mac);
        Bits headers = let("frame_headers", v6.mux(
                tagged.mux(littleEndian(Bits.cat(ethTagged, Bits.lit(0x86dd, 16), ip6, udp), 72), littleEndian(Bits.cat(ethPlain, Bits.lit(0x86dd, 16), ip6, udp), 72)),
                tagged.mux(littleEndian(Bits.cat(ethTagged, Bits.lit(0x0800, 16), ip4, udp), 72), littleEndian(Bits.cat(ethPlain, Bits.lit(0x0800, 16), ip4, udp), 72))));
        Bits pHdr = reg(new Bits(576)).named("prep_headers_reg");
        UInt pHdrLen = reg(new UInt(7)).named("prep_headers_length_reg");
        UInt pFrameLen = reg(new UInt(11)).named("prep_frame_length_reg");
        UInt pLastBeat = reg(new UInt(8)).named("prep_last_beat_reg");
        UInt pWords = reg(new UInt(8)).named("prep_payload_words_reg");
        Bool pLate = reg(new Bool()).named("prep_late_reg");
        when(take, () -> {
            ctx.set(hRes.context);
            if (twoClasses) prepTag.set(head.request.trunc(rb).asUInt());
            outcome.set(hRes.outcome);
            length.set(hRes.length);
            depart.set(head.depart);
            v6.set(head.v6);
            tagged.set(head.tagged);
            tci.set(head.tci);
            mac.set(head.mac);
            ip.set(head.ip);
            port.set(head.port);
            pLate.set(hRes.late);
            prep.set(0);
            // a malformed request has no frame: its context goes back at once
            pState.set(hRes.length.eq(0).mux(UInt.lit(P_RELEASE, 2), UInt.lit(P_PREP, 2)));
        });
        // the payload's sum, three cycles after the context is known (the core's sum memory, read by context): the core
        // gives a result once its last write has left its write queue, and a write takes three cycles more into the sum
        when(pState.eq(P_PREP).and(prep.eq(SUM_AT)), () -> sum.set(payload_sum));
        UInt hLen = let("headers_length", tagged.mux(UInt.lit(18, 7), UInt.lit(14, 7)).plus(v6.mux(UInt.lit(48, 7), UInt.lit(28, 7))));
        Bool dueNextP = let("prepared_due_next_cycle", cycle.plus(1).minus(depart).bit(31).not());
        when(pState.eq(P_PREP), () -> {
            prep.set(prep.plus(1));
            pHdrLen.set(hLen);
            pFrameLen.set(hLen.zext(11).plus(length));
            pLastBeat.set(hLen.zext(11).plus(length).minus(1).slice(10, 3).asUInt().zext(8));
            pWords.set(length.plus(7).slice(10, 3).asUInt().zext(8));
            // the sums' stages run from the registered inputs (the payload's sum taken at step SUM_AT): done after prepSteps more
            when(prep.eq(SUM_AT + prepSteps + 1), () -> {
                pHdr.set(headers);
                pState.set(P_READY);

            });
        });

        // ---- the emission: one frame at a time, from the cycle of its departure -----------------------------------------
        final int E_IDLE = 0, E_WAIT = 1, E_EMIT = 2;
        UInt eState = regInit(new UInt(2), E_IDLE).named("emit_state_reg");
        UInt eCtx = reg(new UInt(5)).named("emit_context_reg");
        UInt eTag = twoClasses ? reg(new UInt(5)).named("emit_tag_reg") : null;
        UInt eOutcome = reg(new UInt(3)).named("emit_outcome_reg");
        UInt eDepart = reg(new UInt(32)).named("emit_depart_reg");
        Bits hdr = reg(new Bits(576)).named("emit_headers_reg");
        UInt hdrLen = reg(new UInt(7)).named("emit_headers_length_reg");
        UInt frameLen = reg(new UInt(11)).named("emit_frame_length_reg");
        UInt lastBeat = reg(new UInt(8)).named("emit_last_beat_reg");
        UInt words8 = reg(new UInt(8)).named("emit_payload_words_reg");
        Bool late = reg(new Bool()).named("emit_late_reg");
        UInt beat = reg(new UInt(8)).named("beat_reg");
        Bits prev = reg(new Bits(64)).named("previous_word_reg");
        // the beat's place in the frame, registered with the beat count (computed for the count's next value: the flags
        // reach the transmit merge straight from registers)
        Bool lastB = regInit(new Bool(), 0).named("beat_is_last_reg");
        Bool inHeaders = regInit(new Bool(), 0).named("beat_in_headers_reg");
        Bool atB0 = regInit(new Bool(), 0).named("beat_at_boundary_reg");
        Bool pops = regInit(new Bool(), 0).named("beat_takes_word_reg");
        Bool lastFire = let("frame_ends", out.fire().and(lastB));
        // the prepared frame moves to the emission when that is free (or frees in this cycle); it starts at once when its
        // departure is the next cycle (the frame before may end in the cycle before it)
        Bool handoff = let("frame_handoff", pState.eq(P_READY).and(eState.eq(E_IDLE).or(lastFire)));
        // "the departure is the next cycle" for the frame the emission holds, registered: computed a cycle ahead from the
        // departure it will hold then (the one handed over now, else its own) and the cycle counter, which advances by one a
        // cycle (with four cores the compare in front of the beat flags and the merge was 9 levels)
        Bool dueHanded = let("handed_due_in_two", cycle.plus(2).minus(depart).bit(31).not());
        Bool dueHeld = let("departure_due_in_two", cycle.plus(2).minus(eDepart).bit(31).not());
        Bool dueNextE = regInit(new Bool(), 0).named("departure_next_cycle_reg");
        dueNextE.set(handoff.mux(dueHanded, dueHeld));
        // the departure in hand (emission waiting, prepared), else the oldest queued: for the transmit merge
        Bool eWaiting = eState.eq(E_WAIT);
        Bool pHolds = pState.eq(P_PREP).or(pState.eq(P_READY));
        // (with two classes the earlier of the two heads, whether or not it may be taken yet)
        Bool anyQueued = twoClasses ? queue.out.valid.or(squeue.out.valid) : queue.out.valid;
        UInt queuedDepart = twoClasses ? pickShort.mux(squeue.out.payload.depart, queue.out.payload.depart) : head.depart;
        next_departure_valid.set(eWaiting.or(pHolds).or(anyQueued));
        next_departure.set(eWaiting.mux(eDepart, pHolds.mux(depart, queuedDepart)));

        // the payload's words: read ahead into a queue, 8 bytes each
        StreamFifo<NtsCore.AnswerData> wordQ = add("word_queue", new StreamFifo<>(NtsCore.AnswerData::new, 8));
        wordQ.in.connectFrom(ans_rd_res);
        UInt issued = reg(new UInt(8)).named("words_issued_reg");
        UInt popped = reg(new UInt(8)).named("words_popped_reg");
        ans_rd_req.valid.set(eState.ne(E_IDLE).and(issued.lt(words8)).and(issued.minus(popped).lt(6)));
        ans_rd_req.payload.context.set(eCtx);
        ans_rd_req.payload.offset.set(issued.zext(11).shl(3).trunc(11));
        when(ans_rd_req.fire(), () -> issued.set(issued.plus(1)));

        UInt hb = hdrLen.trunc(3);
        // the answer memory's word, byte 0 first in its top bits: as lanes, byte 0 in bits 7..0
        List<Bits> lanesOf = new ArrayList<>();
        Bits w = wordQ.out.payload.data;
        for (int i = 7; i >= 0; i--) lanesOf.add(w.part(56 - 8 * i, 8));
        Bits cur = let("payload_word_lanes", Bits.cat(lanesOf));
        Bits hdrBeat = let("headers_beat", hdr.asUInt().shr(beat.trunc(4).zext(10).shl(6)).asBits().trunc(64));
        UInt hbBits = let("boundary_bits", UInt.cat(hb, UInt.lit(0, 3)));
        Bits curPart = pops.mux(cur.asUInt().shl(hbBits.zext(7)).asBits().trunc(64), Bits.lit(0, 64));
        Bits low = atB0.mux(hdrBeat.and(Bits.lit(new java.math.BigInteger("ffffffffffffffff", 16), 64).asUInt().shl(hbBits.zext(7)).asBits().trunc(64).not()),
                prev.asUInt().shr(UInt.lit(64, 7).minus(hbBits.zext(7))).asBits().trunc(64));
        Bits data = let("beat_data", inHeaders.mux(hdrBeat, low.or(curPart)));
        Bool emitting = eState.eq(E_EMIT);
        out.valid.set(emitting.and(pops.not().or(wordQ.out.valid)));
        out.payload.tdata.set(data);
        UInt lastBytes = frameLen.trunc(3);
        Bits keepLast = let("last_keep", org.ntsfab.ip.stream.FrameBytes.keepFirst(lastBytes, 8));
        out.payload.tkeep.set(lastB.mux(keepLast, Bits.lit(0xff, 8)));
        out.payload.tlast.set(lastB);
        out.payload.tuser.set(Bits.lit(0, 1));
        wordQ.out.ready.set(emitting.and(pops).and(out.ready));
        when(wordQ.out.fire(), () -> {
            prev.set(cur);
            popped.set(popped.plus(1));
        });
        when(eState.eq(E_WAIT).and(dueNextE), () -> {
            eState.set(E_EMIT);
            beat.set(0);
            late.set(cycle.plus(1).ne(eDepart));
        });
        when(out.fire(), () -> {
            beat.set(beat.plus(1));
            when(lastB, () -> eState.set(E_IDLE));
        });
        // the flags of the beat count's next value: 0 of the frame handed over, 0 of the waiting frame at its departure, or the
        // next beat (a beat takes a payload word when its payload part starts one: beat - b0 < the payload's words)
        Bool[] fNew = beatFlags(UInt.lit(0, 8), pHdrLen, pWords, pLastBeat, "handed");
        Bool[] fStart = beatFlags(UInt.lit(0, 8), hdrLen, words8, lastBeat, "start");
        Bool[] fNext = beatFlags(beat.plus(1), hdrLen, words8, lastBeat, "next");
        Bool[] flags = {lastB, inHeaders, atB0, pops};
        for (int f = 0; f < 4; f++) {
            Bool r = flags[f], a = fNew[f], b = fStart[f], c = fNext[f];
            when(handoff, () -> r.set(a)).elseWhen(eState.eq(E_WAIT).and(dueNextE), () -> r.set(b)).elseWhen(out.fire(), () -> r.set(c));
        }
        when(handoff, () -> {
            eCtx.set(ctx);
            if (twoClasses) eTag.set(prepTag);
            eOutcome.set(outcome);
            eDepart.set(depart);
            hdr.set(pHdr);
            hdrLen.set(pHdrLen);
            frameLen.set(pFrameLen);
            lastBeat.set(pLastBeat);
            words8.set(pWords);
            issued.set(0);
            popped.set(0);
            beat.set(0);
            eState.set(dueNextP.mux(UInt.lit(E_EMIT, 2), UInt.lit(E_WAIT, 2)));
            // late only when the core's result came too late; a frame delayed by the one before it (the transmit port
            // stalled it) is the port's stall, which leaves T3 early by the stall (spec 9.7), not a miss
            late.set(pLate);
            pState.set(P_IDLE);
        });

        // ---- the contexts back to the core: a sent frame's (first), a malformed request's ----------------------------
        Bool relPending = regInit(new Bool(), 0).named("release_sent_reg");
        UInt relCtx = reg(new UInt(5)).named("release_context_reg");
        UInt relTag = twoClasses ? reg(new UInt(5)).named("release_tag_reg") : null;
        UInt relOutcome = reg(new UInt(3)).named("release_outcome_reg");
        Bool relLate = reg(new Bool()).named("release_late_reg");
        when(lastFire, () -> {
            relPending.set(true);
            relCtx.set(eCtx);
            if (twoClasses) relTag.set(eTag);
            relOutcome.set(eOutcome);
            relLate.set(late);
        }).elseWhen(release.fire().and(relPending), () -> relPending.set(false));
        release.valid.set(relPending.or(pState.eq(P_RELEASE)));
        release.payload.context.set(relPending.mux(relCtx, ctx));
        if (twoClasses) {
            // the tags in flight: taken by an entry, free again when its context is released
            Bits inUse = regInit(new Bits(IN_FLIGHT), 0).named("tags_in_flight_reg");
            Bool entered = entry.fire().or(short_entry.fire());
            UInt enteredTag = short_entry.fire().mux(short_entry.payload.request, entry.payload.request).trunc(rb).asUInt();
            Bits setTag = Bits.repeat(entered, IN_FLIGHT).and(Bits.lit(1, IN_FLIGHT).shl(enteredTag));
            Bits clearTag = Bits.repeat(release.fire(), IN_FLIGHT).and(Bits.lit(1, IN_FLIGHT).shl(relPending.mux(relTag, prepTag)));
            inUse.set(inUse.and(clearTag.not()).or(setTag));
            // the lowest free tag, registered (the priority over 32 tags into the entry queues' memories was 10 levels): it is
            // a cycle old, so no tag is offered in the cycle after an entry took one
            UInt lowest = UInt.lit(0, 5);
            for (int i = IN_FLIGHT - 1; i >= 0; i--) lowest = inUse.bit(i).mux(lowest, UInt.lit(i, 5));
            next_tag.set(regNext(lowest).named("lowest_free_tag_reg"));
            Bool anyFree = regNextInit(inUse.eq(Bits.lit(new java.math.BigInteger("ffffffff", 16), IN_FLIGHT)).not(), 0).named("any_tag_free_reg");
            Bool enteredLast = regNextInit(entered, 0).named("tag_taken_1_reg");
            tag_free.set(let("tag_offered", anyFree.and(enteredLast.not())));
        }
        when(release.fire().and(relPending.not()), () -> pState.set(P_IDLE));
        done.valid.set(release.fire());
        done.payload.outcome.set(relPending.mux(relOutcome, outcome));
        done.payload.late.set(relPending.and(relLate));
    }

    /** The step of the preparation at which the payload's sum is taken. */
    private static final int SUM_AT = 2;
    /** The UDP checksum's 16-bit terms: both addresses (8 words each as IPv6), protocol, length twice, ports, payload sum. */
    private static final int UDP_SUM_TERMS = 22;

    /**
     * Cycles from a result's arrival to its frame's first beat at the soonest: known a cycle later (two with two classes,
     * the head's known bit registered), taken, its context's sum at step SUM_AT, the headers after the sums' stages,
     * handed over and leaving a cycle later.
     */
    private static int lead(boolean twoClasses) {
        return SUM_AT + treeStages(UDP_SUM_TERMS) + 1 + 6 + (twoClasses ? 1 : 0);
    }

    /** A beat's flags (last, in the headers, at the headers' last beat, takes a payload word) for beat {@code b} of a frame. */
    private Bool[] beatFlags(UInt b, UInt hl, UInt w8, UInt lb, String name) {
        UInt b0 = hl.slice(6, 3).asUInt().zext(8);
        Bool inH = let("beat_" + name + "_in_headers", b.lt(b0));
        return new Bool[] {let("beat_" + name + "_is_last", b.eq(lb)), inH, let("beat_" + name + "_at_boundary", b.eq(b0)),
                let("beat_" + name + "_takes_word", inH.not().and(b.minus(b0).lt(w8)))};
    }

    /** Registered stages of four-term sums down to one term, then the fold to 16 bits in two more. */
    private UInt sumTree(String name, List<UInt> terms) {
        List<UInt> level = new ArrayList<>();
        for (UInt t : terms) level.add(t.zext(32));
        int stage = 0;
        while (level.size() > 1) {
            List<UInt> next = new ArrayList<>();
            for (int i = 0; i < level.size(); i += 4) {
                UInt s = level.get(i);
                for (int j = i + 1; j < Math.min(i + 4, level.size()); j++) s = s.plus(level.get(j));
                next.add(regNext(s).named(name + "_s" + stage + "_" + i / 4 + "_reg"));
            }
            level = next;
            stage++;
        }
        UInt acc = level.get(0);
        UInt f1 = regNext(acc.slice(15, 0).zext(17).plus(acc.slice(31, 16).zext(17))).named(name + "_fold1_reg");
        return regNext(f1.slice(15, 0).plus(f1.bit(16).asUInt().zext(16))).named(name + "_fold2_reg");
    }

    private static int treeStages(int terms) {
        int s = 0;
        for (int n = terms; n > 1; n = (n + 3) / 4) s++;
        return s + 2;
    }
}
