package org.ntsfab.responder.top;

import org.ntsfab.responder.ResponderDefaults;

import org.ntsfab.responder.ResponderCfg;

import org.ntsfab.ip.axil.AxiLite;
import org.ntsfab.ip.axil.AxiLiteRegisters;
import org.ntsfab.ip.axil.RegisterMap;
import org.ntsfab.ip.stream.AxisFrameMux;
import org.ntsfab.responder.answer.IcmpEchoBuilder;
import org.ntsfab.responder.answer.NtpAnswerer;
import org.ntsfab.responder.clock.NtpClockCore;
import org.ntsfab.responder.decide.FrameClassifier;
import org.ntsfab.responder.nts.NtsAdmission;
import org.ntsfab.responder.nts.NtsCore;
import org.ntsfab.responder.nts.NtsCoreResponder;
import org.ntsfab.responder.nts.NtsDeparture;
import org.ntsfab.responder.nts.NtsKeyLoader;
import org.ntsfab.responder.regs.ResponderRegisters;
import org.ntsfab.responder.rx.FrameIngress;
import org.ntsfab.responder.rx.FrameStore;

import java.util.List;
import org.ntsfab.hdl.Axis;
import org.ntsfab.hdl.Bits;
import org.ntsfab.hdl.Bool;
import org.ntsfab.hdl.ClockDomain;
import org.ntsfab.hdl.Component;
import org.ntsfab.hdl.Stream;
import org.ntsfab.hdl.UInt;
import org.ntsfab.hdl.lib.StreamFifo;
import org.ntsfab.hdl.lib.Synchronizer;

/**
 * The responder core ({@code ntsfab_top}), everything at the MAC clock:
 * <ul>
 * <li>{@code rx_*} (slave, always ready: a MAC cannot wait) and {@code tx_*} (master): 64-bit
 *     AXI-Stream frames without FCS, {@code tuser} = receive error / transmit abort;
 * <li>{@code host_rx_*} (master): frames whose outcome is a host outcome, unchanged;
 *     {@code host_tx_*} (slave): the host's frames, merged into the transmit port whole (a frame
 *     is sent only once it is completely buffered, so the MAC never underruns);
 * <li>{@code s_axil_*}: the AXI4-Lite register file of {@link ResponderRegisters} (identity,
 *     served fields, clock load/steer/leap/PPS, one counter per outcome);
 * <li>{@code pps}: an asynchronous pulse-per-second input (two-flop synchronizer, rising edge).
 * </ul>
 * Inside: the front end and decision stage of the NTP fast path; header-built answers (NTP, ARP,
 * neighbour advertisements) leave from the answerer, whose T3 is the clock when their first beat
 * is accepted on {@code tx}; every frame is also written to a frame store (block RAM) so that, once
 * classified, host frames are replayed to {@code host_rx} and echo requests to the echo builder;
 * the three transmit sources (answers, echo replies, host frames) are merged frame by frame,
 * round robin.
 */
public final class NtsFabTop extends Component {
    /** Frame store depth in beats (8 bytes each). */
    public static final int STORE_BEATS = 1024;
    /** The NTS store: frames for the NTS cores (all are written; the reader skips all but NTS requests), 8 KiB. */
    public static final int NTS_STORE_BEATS = 1024;
    /** Beats a frame may occupy in a store: 1536 bytes, more than the longest frame (1518) the spec accepts. */
    public static final int MAX_FRAME_BEATS = 192;
    /** Verdicts (one per stored frame) waiting for the store reader. */
    public static final int VERDICTS = 64;
    /** Stored flags of the frames between their last beat and their verdict. */
    public static final int STORED_FLAGS = 32;
    /** Host transmit buffer in beats. */
    public static final int HOST_TX_BEATS = 512;
    /**
     * The NTS fabric (spec §9.7): {@code cores} {@link NtsCore}s of {@link NtsCore#CONTEXTS} contexts each; every answer
     * leaves {@code residence} cycles after its request's first beat, T3 the clock then; a context is held {@code hold}
     * cycles from the first beat; {@code budget} payload bytes at most in a core at once. From the configuration's
     * {@code [nts]} cores, residence_cycles and budget_bytes ({@code ConfigFile.ntsCapacity}).
     */
    public record Nts(int cores, int residence, int hold, long budget, NtsAdmission.Classes classes) {
        /**
         * configs/example.toml's: one core, 12 000 cycles (76.8 us at 156.25 MHz), 16 000 bytes, and requests of up to 256
         * bytes at 3 000 cycles (19.2 us).
         */
        public static final Nts DEFAULT = new Nts(1, 12000, 12000 + 400, 16000, new NtsAdmission.Classes(256, 3000, 3400, 12000));

        /** One residence class. */
        public Nts(int cores, int residence, int hold, long budget) {
            this(cores, residence, hold, budget, null);
        }

        public Nts {
            if (cores < 1 || cores > 4) throw new IllegalArgumentException("1..4 NTS cores");
            // the transmit merge's departure guard is registered a cycle ahead and must see a departure a frame's length early
            if (residence < 2 * MAX_FRAME_BEATS) throw new IllegalArgumentException("NTS residence " + residence + ": at least " + 2 * MAX_FRAME_BEATS + " cycles");
            if (classes != null && classes.shortResidence() < 2 * MAX_FRAME_BEATS)
                throw new IllegalArgumentException("NTS short residence " + classes.shortResidence() + ": at least " + 2 * MAX_FRAME_BEATS + " cycles");
            if (classes != null && classes.longResidence() != residence) throw new IllegalArgumentException("the classes' long residence is the residence");
        }

        public static Nts of(org.ntsfab.model.ResponderConfig.Capacity c) {
            NtsAdmission.Classes cls = c.twoClasses() ? new NtsAdmission.Classes(c.shortMaxBytes(), Math.toIntExact(c.shortResidenceCycles()),
                    Math.toIntExact(c.shortHoldCycles()), Math.toIntExact(c.residenceCycles())) : null;
            return new Nts(c.cores(), Math.toIntExact(c.residenceCycles()), Math.toIntExact(c.holdCycles()), c.budgetBytes(), cls);
        }

        /** In the core's module name: nothing for {@link #DEFAULT}, else {@code _nts<cores>_d<residence>[_h<hold>]_w<budget>}. */
        public String nameTag() {
            if (equals(DEFAULT)) return "";
            return "_nts" + cores + "_d" + residence + (hold == residence + 400 ? "" : "_h" + hold)
                    + (budget == NtsAdmission.UNLIMITED ? "" : "_w" + budget)
                    + (classes == null ? "" : "_s" + classes.shortMax() + "_d" + classes.shortResidence()
                            + (classes.shortHold() == classes.shortResidence() + 400 ? "" : "_h" + classes.shortHold()));
        }
    }

    /** A frame's first beat: its cycle, and the clock a residence later (its T3 if it is an NTS request); with two classes the clock the short residence later too. */
    public static final class Arrival extends org.ntsfab.hdl.Bundle {
        public final UInt rx_cycle = new UInt(32);
        public final Bits t3 = new Bits(64);
        public final Bits t3_short;

        public Arrival(boolean twoClasses) {
            t3_short = twoClasses ? new Bits(64) : null;
        }
    }

    /** NTS-bound requests between the decision stage and the cores' admission: one per verdict the store can hold. */
    public static final int NTS_REQUESTS = VERDICTS;
    public final Nts nts;
    /** The asynchronous domain the PPS input lives in. */
    public static final ClockDomain PPS_DOMAIN = new ClockDomain("pps_async", null, ClockDomain.Reset.NONE);

    public final Axis rx;
    public final Axis tx;
    public final Axis host_rx;
    public final Axis host_tx;
    public final Bool pps;
    /** One pulse per NTS-bound request, in order: was it admitted to a core (else drop_nts_overload), and to which? A trace for hosts and the cross-check. */
    public final Bool nts_admission_valid;
    public final Bool nts_admission_admitted;
    public final UInt nts_admission_core;
    public final AxiLiteRegisters regs;
    /** The register file's AXI4-Lite slave, AMBA names ({@code s_axil_awvalid}, ...). */
    public final AxiLite s_axil;

    public NtsFabTop() {
        this(ResponderDefaults.EXAMPLE);
    }

    public NtsFabTop(ResponderDefaults defaults) {
        this(defaults, 8);
    }

    /**
     * @param busBytes the width of the four frame ports: 8 (10GbE, 156.25 MHz) or 1 (a 1G MAC's
     *     byte stream at 125 MHz; width adapters around the same 8-byte core, T3 still taken when
     *     the answer's first byte leaves)
     */
    public NtsFabTop(ResponderDefaults defaults, int busBytes) {
        this(defaults, busBytes, Nts.DEFAULT);
    }

    public NtsFabTop(ResponderDefaults defaults, int busBytes, Nts ntsConfig) {
        if (busBytes != 8 && busBytes != 1) throw new IllegalArgumentException("bus widths: 8 or 1 bytes");
        this.nts = ntsConfig;
        // ntsfab_top is configs/example.toml's core, ntsfab_top_8 configs/gige.toml's; other fabrics and identities say so
        moduleName((busBytes == 8 ? "ntsfab_top" : "ntsfab_top_" + 8 * busBytes) + ntsConfig.nameTag()
                + defaults.nameTag(busBytes == 8 ? ResponderDefaults.EXAMPLE : ResponderDefaults.GIGE));
        rx = slave(new Axis(busBytes, 1));
        tx = master(new Axis(busBytes, 1));
        host_rx = master(new Axis(busBytes, 1));
        host_tx = slave(new Axis(busBytes, 1));
        // the core's 8-byte view of the four ports
        Axis coreRx, coreTx, coreHostRx, coreHostTx;
        Bool txFirstByte;
        if (busBytes == 8) {
            coreRx = rx;
            coreTx = tx;
            coreHostRx = host_rx;
            coreHostTx = host_tx;
        } else {
            org.ntsfab.ip.stream.AxisWidthAdapter rxUp = add("rx_widen", org.ntsfab.ip.stream.AxisWidthAdapter.up());
            org.ntsfab.ip.stream.AxisWidthAdapter txDown = add("tx_narrow", org.ntsfab.ip.stream.AxisWidthAdapter.down());
            org.ntsfab.ip.stream.AxisWidthAdapter hostDown = add("host_rx_narrow", org.ntsfab.ip.stream.AxisWidthAdapter.down());
            org.ntsfab.ip.stream.AxisWidthAdapter hostUp = add("host_tx_widen", org.ntsfab.ip.stream.AxisWidthAdapter.up());
            rxUp.in.connectFrom(rx);
            tx.connectFrom(txDown.out);
            host_rx.connectFrom(hostDown.out);
            hostUp.in.connectFrom(host_tx);
            coreRx = rxUp.out;
            coreTx = txDown.in;
            coreHostRx = hostDown.in;
            coreHostTx = hostUp.out;
        }
        pps = inDomain(PPS_DOMAIN, () -> in(new Bool()));
        nts_admission_valid = out(new Bool());
        nts_admission_admitted = out(new Bool());
        nts_admission_core = out(new UInt(2));

        // ---- registers --------------------------------------------------------------------------
        RegisterMap map = ResponderRegisters.map(defaults);
        regs = add(new AxiLiteRegisters(map));
        int ab = map.addressBits();
        s_axil = slave(new AxiLite(ab));
        regs.s_axil.connectFrom(s_axil);
        documentPorts(defaults, busBytes, ab);
        regs.ports.get("identity").set(UInt.lit(ResponderRegisters.IDENTITY, 32));
        regs.ports.get("version").set(UInt.lit(ResponderRegisters.VERSION, 32));

        ResponderCfg cfg = wire(new ResponderCfg());
        cfg.mac.set(regs.ports.get("mac").asBits());
        cfg.ipv4_en.set(regs.ports.get("ipv4_enable").bit(0));
        cfg.ipv4.set(regs.ports.get("ipv4").asBits());
        cfg.ipv6_en.set(regs.ports.get("ipv6_enable").bit(0));
        cfg.ipv6.set(Bits.cat(regs.ports.get("ipv6_high").asBits(), regs.ports.get("ipv6_low").asBits()));
        cfg.vlan_en.set(regs.ports.get("vlan_enable").bit(0));
        cfg.vlan.set(regs.ports.get("vlan_id"));
        cfg.forward_unmatched.set(regs.ports.get("forward_unmatched").bit(0));
        cfg.icmp_max_payload.set(regs.ports.get("icmp_max_payload"));
        cfg.ttl.set(regs.ports.get("ttl"));
        cfg.stratum.set(regs.ports.get("ntp_stratum"));
        cfg.precision.set(regs.ports.get("ntp_precision").asBits());
        cfg.refid.set(regs.ports.get("ntp_refid").asBits());
        cfg.root_delay.set(regs.ports.get("ntp_root_delay").asBits());
        cfg.root_dispersion.set(regs.ports.get("ntp_root_dispersion").asBits());
        cfg.synced.set(regs.ports.get("ntp_synchronized").bit(0));
        // the NTS cores serve the 8-byte core at 10GbE; the byte-wide build has none (its departure guard would be 8x longer)
        boolean withNts = busBytes == 8;
        cfg.nts_en.set(withNts ? regs.ports.get("nts_enable").bit(0) : Bool.lit(false));

        // ---- clock, PPS -------------------------------------------------------------------------
        NtpClockCore clock = add("clock", new NtpClockCore());
        Synchronizer ppsSync = add("pps_sync", new Synchronizer(1, ClockDomain.main()));
        ppsSync.in.set(pps.asBits());
        Bool ppsLevel = ppsSync.out.bit(0);
        Bool ppsPrev = regNextInit(ppsLevel, 0).named("pps_prev_reg");
        Bool ppsEdge = let("pps_edge", ppsLevel.and(ppsPrev.not()));
        UInt control = regs.ports.get("clock_control");
        Bool armed = regInit(new Bool(), 0).named("pps_load_armed_reg");
        UInt ppsTime = regInit(new UInt(64), 0).named("pps_time_reg");
        UInt ppsCount = regInit(new UInt(31), 0).named("pps_count_reg");
        when(control.bit(1), () -> armed.set(true));
        when(ppsEdge, () -> {
            ppsTime.set(clock.now);
            ppsCount.set(ppsCount.plus(1));
            armed.set(false);
        });
        clock.load.set(control.bit(0).or(ppsEdge.and(armed)));
        clock.load_time.set(regs.ports.get("clock_load_time"));
        clock.step.set(regs.ports.get("clock_step"));
        clock.leap_mode.set(regs.ports.get("leap_mode"));
        clock.leap_event.set(regs.ports.get("leap_event"));
        regs.ports.get("clock_now").set(clock.now);
        UInt cycle = regInit(new UInt(32), 0).named("cycle_reg");
        cycle.set(cycle.plus(1));
        regs.ports.get("pps_time").set(ppsTime);
        regs.ports.get("pps_status").set(UInt.cat(armed.asUInt(), ppsCount));

        // ---- receive: front end, decision, header-built answers ---------------------------------
        FrameIngress ingress = add("ingress", new FrameIngress());
        ingress.in.connectFrom(coreRx);
        if (busBytes == 8) {
            ingress.now.set(clock.now);
            ingress.leap.set(clock.leap_indicator);
        } else {
            // T2 is the clock when the frame's first byte arrives; the core sees its first 8-byte beat up to 8 cycles
            // later, before the next frame's first byte can arrive
            Bool rxNarrowInFrame = regInit(new Bool(), 0).named("rx_narrow_in_frame_reg");
            when(rx.valid, () -> rxNarrowInFrame.set(rx.tlast().not()));
            Bool sof = let("rx_first_byte", rx.valid.and(rxNarrowInFrame.not()));
            UInt t2 = reg(new UInt(64)).named("rx_first_byte_time_reg");
            UInt t2Leap = reg(new UInt(2)).named("rx_first_byte_leap_reg");
            when(sof, () -> {
                t2.set(clock.now);
                t2Leap.set(clock.leap_indicator);
            });
            ingress.now.set(t2);
            ingress.leap.set(t2Leap);
        }
        FrameClassifier classifier = add("classifier", new FrameClassifier());
        classifier.desc_valid.set(ingress.desc_valid);
        classifier.desc.setFrom(ingress.desc);
        classifier.cfg.setFrom(cfg);
        NtpAnswerer answerer = add("answerer", new NtpAnswerer());
        answerer.job.connectFrom(classifier.answer);
        answerer.cfg.setFrom(cfg);
        answerer.now.set(clock.now);
        Bool txInFrame = regInit(new Bool(), 0).named("tx_in_frame_reg");
        when(tx.fire(), () -> txInFrame.set(tx.tlast().not()));

        // ---- frame store: every frame that fits, written as it arrives ---------------------------
        Bool rxInFrame = regInit(new Bool(), 0).named("rx_in_frame_reg");
        Bool rxFirst = let("rx_first_beat", coreRx.valid.and(rxInFrame.not()));
        when(coreRx.valid, () -> rxInFrame.set(coreRx.tlast().not()));
        FrameStore store = add("frame_store", new FrameStore(STORE_BEATS, MAX_FRAME_BEATS, STORED_FLAGS, VERDICTS));
        StreamFifo<Verdict> verdicts = add("verdict_queue", new StreamFifo<>(() -> new Verdict(), VERDICTS));
        store.in.valid.set(coreRx.valid);
        store.in.payload.setFrom(coreRx.payload);
        store.decided.set(classifier.valid);
        store.verdicts_waiting.set(verdicts.level);
        Bool storedAtDecision = let("stored_at_decision", store.stored_at_decision);
        verdicts.in.valid.set(classifier.valid.and(storedAtDecision));

        // ---- the NTS store: every frame again, for the NTS cores alone. A request's residence counts from its first beat
        // (spec 9.7), so its payload must never wait behind an echo reply or a host frame that the transmit port or the
        // host holds up in the frame store: this store's reader only feeds the cores or skips, at a beat per cycle
        FrameStore ntsStore = withNts ? add("nts_frame_store", new FrameStore(NTS_STORE_BEATS, MAX_FRAME_BEATS, STORED_FLAGS, VERDICTS)) : null;
        StreamFifo<Bool> ntsVerdicts = withNts ? add("nts_verdict_queue", new StreamFifo<>(Bool::new, VERDICTS)) : null;
        Bool ntsStoredAtDecision = Bool.lit(false);
        if (withNts) {
            ntsStore.in.valid.set(coreRx.valid);
            ntsStore.in.payload.setFrom(coreRx.payload);
            ntsStore.decided.set(classifier.valid);
            ntsStore.verdicts_waiting.set(ntsVerdicts.level);
            ntsStoredAtDecision = let("nts_stored_at_decision", ntsStore.stored_at_decision);
            ntsVerdicts.in.valid.set(classifier.valid.and(ntsStoredAtDecision));
        }
        // NTS-bound requests in the NTS store go to the cores' admission (spec §9.7) with the cycle their first beat arrived
        // and the clock a residence later (T3), both taken at that first beat; their frames go to the cores in any case
        // (the cores discard a dropped one's). One not stored (a full store) has lost its bytes: counted as a store overflow.
        Bool ntsBound = let("nts_bound", classifier.valid.and(classifier.outcome.eq(FrameClassifier.code("ANSWER_NTS"))));
        Bool ntsGo = let("nts_to_cores", ntsBound.and(ntsStoredAtDecision));
        Verdict verdict = verdicts.in.payload;
        verdict.to_host.set(classifier.to_host);
        verdict.echo.set(classifier.echo.valid);

        verdict.echo_job.setFrom(classifier.echo.payload);
        Bool storeOverflow = let("store_overflow", classifier.valid.and(storedAtDecision.not()).and(classifier.to_host.or(classifier.echo.valid))
                .or(ntsBound.and(ntsStoredAtDecision.not())));

        // ---- store reader: each stored frame to the host port, to the echo builder, or away --------
        IcmpEchoBuilder echo = add("echo_builder", new IcmpEchoBuilder());
        echo.cfg.setFrom(cfg);
        Bool rdActive = regInit(new Bool(), 0).named("reader_active_reg");
        Bool rdHost = regInit(new Bool(), 0).named("reader_host_reg");
        Bool rdEcho = regInit(new Bool(), 0).named("reader_echo_reg");
        Verdict v = verdicts.out.payload;
        NtsCoreResponder ntsCores = withNts ? add("nts", new NtsCoreResponder(ntsConfig.cores(), ntsConfig.residence(), ntsConfig.hold(), ntsConfig.budget(), ntsConfig.classes())) : null;
        Bool beatReady = let("reader_beat_ready", rdActive.and(rdHost.mux(coreHostRx.ready, rdEcho.mux(echo.in.ready, Bool.lit(true)))));
        store.out.ready.set(beatReady);
        Bool frameDone = let("reader_frame_done", store.out.fire().and(store.out.payload.tlast));
        Bool free = rdActive.not().or(frameDone);
        // the next verdict is taken once the reader is free, an echo verdict only together with its job
        Stream<Verdict> next = verdicts.out.continueWhen(free).nameHandshake("next_verdict");
        next.ready.set(v.echo.not().or(echo.job.ready));
        echo.job.valid.set(next.valid.and(v.echo));
        echo.job.payload.setFrom(v.echo_job);
        when(frameDone, () -> rdActive.set(false));
        when(next.fire(), () -> {
            rdActive.set(true);
            rdHost.set(v.to_host);
            rdEcho.set(v.echo);
        });
        coreHostRx.valid.set(rdActive.and(rdHost).and(store.out.valid));
        coreHostRx.payload.setFrom(store.out.payload);
        echo.in.valid.set(rdActive.and(rdEcho).and(store.out.valid));
        echo.in.payload.setFrom(store.out.payload);

        // ---- host transmit: buffered whole, oversize frames cut and aborted ----------------------
        StreamFifo<Axis.Beat> hostBuf = add("host_tx_buffer", new StreamFifo<>(() -> new Axis.Beat(8, 1), HOST_TX_BEATS, "tvalid", "tready"));
        UInt htBeats = regInit(new UInt(8), 0).named("host_tx_beats_reg");
        Bool htCut = let("host_tx_cut", htBeats.eq(MAX_FRAME_BEATS - 1));
        Bool htDiscard = let("host_tx_discard", htBeats.ge(MAX_FRAME_BEATS));
        hostBuf.in.valid.set(coreHostTx.valid.and(htDiscard.not()));
        hostBuf.in.payload.tdata.set(coreHostTx.tdata());
        hostBuf.in.payload.tkeep.set(coreHostTx.tkeep());
        hostBuf.in.payload.tlast.set(coreHostTx.tlast().or(htCut));
        hostBuf.in.payload.tuser.set(coreHostTx.tuser().or(htCut.and(coreHostTx.tlast().not()).asBits()));
        coreHostTx.ready.set(htDiscard.or(hostBuf.in.ready));
        when(coreHostTx.fire(), () -> htBeats.set(coreHostTx.tlast().mux(UInt.lit(0, 8), htDiscard.mux(htBeats, htBeats.plus(1)))));
        Bool htOversize = let("host_tx_oversize", hostBuf.in.fire().and(htCut).and(coreHostTx.tlast().not()));
        // frames buffered whole and frames sent, each counted on its own (one carry chain behind each event, instead of an
        // up/down counter behind both); the buffer holds at most HOST_TX_BEATS frames, so 11 bits never wrap past each other
        UInt htFramesIn = regInit(new UInt(11), 0).named("host_tx_frames_in_reg");
        UInt htFramesOut = regInit(new UInt(11), 0).named("host_tx_frames_out_reg");
        Bool htIn = hostBuf.in.fire().and(hostBuf.in.payload.tlast);
        // each buffered frame's length in beats (a frame has at least one beat, so this never fills before the buffer),
        // so that a host frame starts only if it ends before the next NTS departure
        StreamFifo<UInt> htLens = add("host_tx_lengths", new StreamFifo<>(() -> new UInt(8), HOST_TX_BEATS));
        htLens.in.valid.set(htIn);
        htLens.in.payload.set(htBeats.plus(1));

        // ---- transmit merge ---------------------------------------------------------------------
        AxisFrameMux mux = add("tx_mux", new AxisFrameMux(withNts ? 4 : 3));
        mux.in(0).connectFrom(answerer.out);
        mux.in(1).connectFrom(echo.out);
        Axis hostSrc = mux.in(2);
        // a host frame leaves only once it is buffered whole
        hostSrc.connectFrom(hostBuf.out.continueWhen(htFramesIn.ne(htFramesOut)).nameHandshake("host_tx_whole"));
        Bool htOut = hostBuf.out.fire().and(hostBuf.out.payload.tlast);
        htLens.out.ready.set(htOut);
        when(htIn, () -> htFramesIn.set(htFramesIn.plus(1)));
        when(htOut, () -> htFramesOut.set(htFramesOut.plus(1)));
        coreTx.connectFrom(mux.out);

        // ---- NTS: the cores, their keys, the clock a residence ahead, the departure guard ---------------
        List<org.ntsfab.hdl.Flow<NtsDeparture.Done>> ntsDone = new java.util.ArrayList<>();
        Bool ntsDropped = Bool.lit(false);
        if (withNts) {
            int resid = ntsConfig.residence();
            // T3 of a request's answer: the clock at first beat + residence, read at the first beat from a clock that runs that
            // far ahead (loads, steps and leaps included), with the cycle of that beat; one entry per frame, taken at its decision
            NtpClockCore ahead = clockAhead("clock_ahead", resid, clock);
            boolean two = ntsConfig.classes() != null;
            StreamFifo<Arrival> arrivals = add("nts_arrivals", new StreamFifo<>(() -> new Arrival(two), 2 * STORED_FLAGS));
            arrivals.in.valid.set(rxFirst);
            arrivals.in.payload.rx_cycle.set(cycle);
            arrivals.in.payload.t3.set(ahead.now.asBits());
            if (two) {
                // the short class's T3: the clock the short residence ahead, read at the same first beat
                NtpClockCore aheadShort = clockAhead("clock_ahead_short", ntsConfig.classes().shortResidence(), clock);
                arrivals.in.payload.t3_short.set(aheadShort.now.asBits());
            }
            arrivals.out.ready.set(classifier.valid);
            // the requests wait for the admission in order (it takes one in three cycles at most, and only with room behind it)
            StreamFifo<NtsCoreResponder.Request> requests = add("nts_requests", new StreamFifo<>(() -> new NtsCoreResponder.Request(two), NTS_REQUESTS));
            requests.in.valid.set(ntsGo);
            requests.in.payload.request.setFrom(classifier.answer.payload);
            requests.in.payload.payload_offset.set(classifier.nts_payload_offset);
            requests.in.payload.payload_length.set(classifier.nts_payload_length);
            requests.in.payload.rx_cycle.set(arrivals.out.payload.rx_cycle);
            requests.in.payload.t3.set(arrivals.out.payload.t3);
            if (two) requests.in.payload.t3_short.set(arrivals.out.payload.t3_short);
            // (a full queue: the cores are backed up behind a stalled transmit port; the frame is skipped and counted)
            ntsDropped = let("nts_requests_full", ntsGo.and(requests.in.ready.not()));
            ntsVerdicts.in.payload.set(ntsGo.and(requests.in.ready));
            ntsCores.request.connectFrom(requests.out);
            // the NTS store's reader: each frame to the cores (a request the queue took) or skipped
            Bool nrActive = regInit(new Bool(), 0).named("nts_reader_active_reg");
            Bool nrToCores = regInit(new Bool(), 0).named("nts_reader_to_cores_reg");
            ntsStore.out.ready.set(nrActive.and(nrToCores.not().or(ntsCores.in.ready)));
            Bool nrDone = let("nts_reader_frame_done", ntsStore.out.fire().and(ntsStore.out.payload.tlast));
            ntsVerdicts.out.ready.set(nrActive.not().or(nrDone));
            when(nrDone, () -> nrActive.set(false));
            when(ntsVerdicts.out.fire(), () -> {
                nrActive.set(true);
                nrToCores.set(ntsVerdicts.out.payload);
            });
            ntsCores.in.valid.set(nrActive.and(nrToCores).and(ntsStore.out.valid));
            ntsCores.in.payload.setFrom(ntsStore.out.payload);
            ntsCores.cfg.setFrom(cfg);
            ntsCores.cycle.set(cycle);
            ntsCores.key_current.set(regs.ports.get("nts_key_current"));
            ntsCores.max_placeholders.set(regs.ports.get("nts_max_placeholders"));

            // the master keys and the nonce seed into the cores; a slot is live for them once loaded
            NtsKeyLoader keys = add("nts_keys", new NtsKeyLoader(ntsConfig.hold()));
            List<Bits> ids = new java.util.ArrayList<>(), keyData = new java.util.ArrayList<>(), valid = new java.util.ArrayList<>();
            for (int s = NtsKeyLoader.SLOTS - 1; s >= 0; s--) {
                ids.add(regs.ports.get("nts_key" + s + "_id").asBits());
                keyData.add(Bits.cat(regs.ports.get("nts_key" + s + "_0").asBits(), regs.ports.get("nts_key" + s + "_1").asBits(),
                        regs.ports.get("nts_key" + s + "_2").asBits(), regs.ports.get("nts_key" + s + "_3").asBits()));
                valid.add(regs.ports.get("nts_key" + s + "_valid").asBits());
            }
            keys.slot_valid.set(Bits.cat(valid));
            keys.slot_keys.set(Bits.cat(keyData));
            keys.seed.set(Bits.cat(regs.ports.get("nts_nonce_seed_high").asBits(), regs.ports.get("nts_nonce_seed_low").asBits()));
            keys.seed_load.set(regs.ports.get("nts_control").bit(0));
            ntsCores.key_load.connectFrom(keys.key_load);
            keys.key_loaded.set(ntsCores.key_loaded);
            ntsCores.key_ids.set(Bits.cat(ids));
            ntsCores.key_valid.set(keys.key_valid);
            regs.ports.get("nts_key_loaded").set(keys.status);

            nts_admission_valid.set(ntsCores.admission.valid);
            nts_admission_admitted.set(ntsCores.admission.payload.admitted);
            nts_admission_core.set(ntsCores.admission.payload.core.zext(2));
            mux.in(3).connectFrom(ntsCores.out);
            ntsDone.addAll(ntsCores.done);

            // the departure guard, each flag for the next cycle and registered (the clock against the departures, then the
            // merge's grant and every source's ready, would be one path otherwise): from each core's next departure, the
            // lengths and the clock of this cycle. A departure is entered a residence (at least 2 x MAX_FRAME_BEATS) ahead and
            // leaves with its frame, which the cores' valid covers until the cycle after its last beat; the lengths a start is
            // checked against are the echo job's and the host length queue head's, each start held back a cycle after it changes
            Bool soon = Bool.lit(false), verySoon = Bool.lit(false), hostSoon = Bool.lit(false);
            UInt nextCycle = let("cycle_next", cycle.plus(1));
            for (int k = 0; k < ntsConfig.cores(); k++) {
                Bool ndv = ntsCores.next_departure_valid.get(k);
                UInt toDeparture = let("nts_to_departure" + k, ntsCores.next_departure.get(k).minus(nextCycle));
                soon = soon.or(ndv.and(toDeparture.lt(echo.out_beats.zext(32).plus(8))));
                hostSoon = hostSoon.or(ndv.and(toDeparture.lt(htLens.out.payload.zext(32).plus(2))));
                verySoon = verySoon.or(ndv.and(toDeparture.lt(16)));
            }
            // echo replies and host frames (their own lengths; echo with slack for a bubble from the store) must end before it,
            // answers (at most 15 beats) too
            Bool ntsWaitingR = regNextInit(ntsCores.out.valid, 0).named("guard_nts_waiting_reg");
            Bool echoSoonR = regNextInit(soon, 0).named("guard_echo_soon_reg");
            Bool hostSoonR = regNextInit(hostSoon, 0).named("guard_host_soon_reg");
            Bool answerSoonR = regNextInit(verySoon, 0).named("guard_answer_soon_reg");
            Bool echoJobNewR = regNextInit(echo.job.fire(), 0).named("guard_echo_job_new_reg");
            // the length queue's head is what a host frame is checked against: it must have been there unchanged a cycle (valid and
            // not taken), which also holds a frame back until its own length has come through the queue (two cycles after its
            // last beat was buffered)
            Bool hostHeadNewR = regNextInit(htOut.or(htLens.out.valid.not()), 1).named("guard_host_head_new_reg");
            mux.may_start.set(Bits.cat(Bool.lit(true), hostSoonR.or(ntsWaitingR).or(hostHeadNewR).not(),
                    echoSoonR.or(ntsWaitingR).or(echoJobNewR).not(), answerSoonR.or(ntsWaitingR).not()));
        } else {
            mux.may_start.set(Bits.lit(7, 3));
            nts_admission_valid.set(false);
            nts_admission_admitted.set(false);
            nts_admission_core.set(UInt.lit(0, 2));
            regs.ports.get("nts_key_loaded").set(UInt.lit(0, 5));
        }
        answerer.t3_stamp.set(tx.fire().and(txInFrame.not()).and(mux.grant.eq(0)));

        // ---- counters ---------------------------------------------------------------------------
        List<String> outcomes = FrameClassifier.OUTCOMES;
        int ntsCode = FrameClassifier.code("ANSWER_NTS");
        int[] doneCodes = new int[4];
        doneCodes[NtsCore.OUT_MALFORMED] = FrameClassifier.code("DROP_NTS_MALFORMED");
        doneCodes[NtsCore.OUT_NAK_COOKIE] = FrameClassifier.code("ANSWER_NTS_NAK_COOKIE");
        doneCodes[NtsCore.OUT_NAK_AUTH] = FrameClassifier.code("ANSWER_NTS_NAK_AUTH");
        doneCodes[NtsCore.OUT_ANSWER] = ntsCode;
        for (int i = 0; i < outcomes.size(); i++) {
            // NTS-bound requests are counted when their core is done with them (or when no core admits them)
            Bool event = i == ntsCode ? Bool.lit(false) : classifier.valid.and(classifier.outcome.eq(i));
            // cores may finish in the same cycle: one increment per core
            List<Bool> events = new java.util.ArrayList<>(List.of(event));
            for (int d = 0; d < 4; d++)
                if (doneCodes[d] == i) for (org.ntsfab.hdl.Flow<NtsDeparture.Done> dn : ntsDone) events.add(dn.valid.and(dn.payload.outcome.eq(d)));
            if (outcomes.get(i).equals("DROP_NTS_OVERLOAD")) events = List.of(nts_admission_valid.and(nts_admission_admitted.not()));
            counter(ResponderRegisters.counterName(outcomes.get(i)), events);
        }
        List<Bool> late = new java.util.ArrayList<>();
        for (org.ntsfab.hdl.Flow<NtsDeparture.Done> dn : ntsDone) late.add(dn.valid.and(dn.payload.late));
        counter("count_nts_late", late.isEmpty() ? List.of(Bool.lit(false)) : late);
        counter("count_answer_overload", answerer.overload_drop);
        counter("count_store_overflow", List.of(storeOverflow, ntsDropped));
        counter("count_host_tx_oversize", htOversize);
        counter("count_tx_frames", tx.fire().and(tx.tlast()));
        counter("count_host_rx_frames", coreHostRx.fire().and(coreHostRx.tlast()));
    }

    /** The port comment above the module (the emitter prints it; the elaboration insists every port has its entry). */
    private void documentPorts(ResponderDefaults defaults, int busBytes, int addressBits) {
        boolean wide = busBytes == 8;
        String unit = wide ? "beat" : "byte";
        String beats = wide ? "64-bit beats (tdata[63:0], one tkeep bit per byte), byte 0 of a frame in tdata[7:0] of its first beat; "
                + "tkeep contiguous from bit 0, all ones on every beat but a frame's last (tlast)"
                : "one byte per beat (tdata[7:0]; tkeep unused on input, 1 on output), tlast on a frame's last byte";
        String mhz = java.math.BigDecimal.valueOf(defaults.clockHz()).movePointLeft(6).stripTrailingZeros().toPlainString();
        docDomain(ClockDomain.main(),
                "The core clock, for every port but pps. The NTP clock advances clock_step = " + defaults.clockStep()
                        + " x 2^-64 s per cycle (the register's reset value, from the configuration's [clock] frequency_hz = " + defaults.clockHz()
                        + "), so clk must run at " + mhz + " MHz" + (wide ? " (a 10GbE MAC's clock)" : " (a 1G MAC's byte clock)")
                        + "; a host that knows the oscillator better writes clock_step.",
                "Resets every control register: the register file to its reset values (registers/ntsfab_regs.md: identity and "
                        + "served fields from the configuration), the NTP clock to 0 (it counts from there until a clock load), the counters to 0; the frame "
                        + "memories keep their contents, which nothing reads before they are written again. One cycle is enough; "
                        + "keep rx, host_tx and the AXI4-Lite valids low meanwhile.");
        doc("AXI4-Stream slave: received frames from the MAC, destination MAC first, without FCS (the MAC checks and strips it); "
                + beats + ". Always ready (rx_tready is 1: a MAC cannot wait). tuser: bad frame, high on any " + unit
                + " of a frame with a bad FCS or any receive error the MAC reports; the frame is dropped and counted "
                + "(count_drop_rx_error). T2 of a request is the NTP clock in the cycle its first " + unit + " is accepted.", rx);
        doc("AXI4-Stream master to the MAC: the fabric's answers (NTP" + (wide ? ", NTS" : "") + ", ARP, IPv6 neighbour advertisements, "
                + "ICMP and ICMPv6 echo replies) and the host's frames (host_tx), merged whole frame by frame, round robin; without "
                + "FCS (the MAC appends it); " + beats + ". tx_tready may stall it. tuser: abort, high on the last " + unit
                + " of a frame that must not go out intact (a host frame the host aborted, or one cut at 1536 bytes: "
                + "count_host_tx_oversize); the fabric's own answers never set it. T3 of an NTP answer is the NTP clock in the cycle "
                + "its first " + unit + " is accepted" + (wide ? "; an NTS answer takes T3 for the cycle it is scheduled to leave "
                + "(early by any stall of tx_tready then)" : "") + ".", tx);
        doc("AXI4-Stream master: received frames with a host_* outcome (docs/responder-spec.md: other EtherTypes, protocols "
                + "and UDP ports, fragments, ...; frames not for us when forward_unmatched), unchanged (a VLAN tag included), "
                + "replayed from the frame store once decided; " + (wide ? "beats as on tx" : "bytes as on tx") + ". host_rx_tready "
                + "may stall it: frames wait in the 8 KiB store, and one that finds it full is lost and counted "
                + "(count_store_overflow). host_rx_tuser is always 0 (frames with an error are dropped).", host_rx);
        doc("AXI4-Stream slave: the host's frames to send, without FCS; " + beats + ". Each is buffered whole (4 KiB) and merged "
                + "into tx once complete, so the MAC never underruns; host_tx_tready is low while the buffer is full. host_tx_tuser "
                + "high on a frame's last " + unit + " aborts the frame (tx_tuser). A frame over 1536 bytes is cut there, sent aborted "
                + "and counted (count_host_tx_oversize); the rest of it is taken and discarded.", host_tx);
        doc("Pulse per second, asynchronous to clk: a two-flop synchronizer (sync2_w1, ASYNC_REG; the crossing is in the "
                + "generated constraints) and one more flop (pps_prev_reg) find its rising edge. At each rising edge pps_time takes "
                + "the NTP clock of the cycle two cycles after the one the pin rose in (three if the first flop resolves late), "
                + "pps_status counts it, and a load armed by clock_control bit 1 loads clock_load_time. Hold it high and low for "
                + "at least two clk cycles each.", pps);
        doc("Trace outputs for testbenches: the simulator's cross-check compares them with the reference model's own decisions "
                + "(docs/responder-spec.md 9.7); leave them open in a design. nts_admission_valid is high for one cycle per NTS-bound "
                + "request, in request order" + (wide ? "" : " (never here: this core has no NTS)") + "; nts_admission_admitted, in "
                + "that cycle: a core admitted the request (1), or none did and it is dropped and counted, count_drop_nts_overload (0); "
                + "nts_admission_core: the core that took it (the lowest-numbered one that admits it; meaningful only when admitted).",
                nts_admission_valid, nts_admission_admitted, nts_admission_core);
        doc("AXI4-Lite slave with the AMBA names (Vivado infers an AXI4-Lite interface s_axil from them), synchronous to clk: " + addressBits
                + "-bit byte addresses, 32-bit data, wstrb per byte, no AWPROT/ARPROT. One write and one read at a time; a write is "
                + "taken when AW and W are both valid (awready and wready rise together). Responses: OKAY, or SLVERR for an address "
                + "not in the map (reads return 0 there, writes are ignored). The register map: registers/ntsfab_regs.md (and "
                + "ntsfab_regs.h, NtsfabRegisters.java), which ntsfab gen --config writes beside this file; configs/example.toml's "
                + "is docs/registers.md.", s_axil);
    }

    private void counter(String reg, Bool event) {
        counter(reg, List.of(event));
    }

    /** A counter that adds the number of its events high in a cycle. */
    private void counter(String reg, List<Bool> events) {
        UInt c = regInit(new UInt(64), 0).named(reg + "_reg");
        if (events.size() == 1) {
            when(events.get(0), () -> c.set(c.plus(1)));
        } else {
            UInt n = UInt.lit(0, 64);
            for (Bool b : events) n = n.plus(b.asUInt().zext(64));
            c.set(c.plus(n));
        }
        regs.ports.get(reg).set(c);
    }

    /** A copy of {@code clock} running {@code cycles} ahead: the same loads, steps and leaps. */
    private NtpClockCore clockAhead(String name, int cycles, NtpClockCore clock) {
        NtpClockCore c = add(name, new NtpClockCore(cycles));
        c.load.set(clock.load);
        c.load_time.set(clock.load_time);
        c.step.set(clock.step);
        c.leap_mode.set(clock.leap_mode);
        c.leap_event.set(clock.leap_event);
        return c;
    }
}
