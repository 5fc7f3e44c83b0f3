package org.ntsfab.ip.eth;

import org.ntsfab.ip.eth.EthFcs64;
import org.ntsfab.hdl.Axis;
import org.ntsfab.hdl.Bits;
import org.ntsfab.hdl.Bool;
import org.ntsfab.hdl.Component;
import org.ntsfab.hdl.Fsm;
import org.ntsfab.hdl.Switch;
import org.ntsfab.hdl.UInt;

/**
 * 10GbE transmit MAC on a 64-bit XGMII (8 lanes per beat, one beat per clock; see {@link XgmiiMacRx64}).
 *
 * <p>A frame from {@code in} (64-bit AXI-Stream, contiguous {@code tkeep}, no FCS) goes out as /S/, six preamble
 * bytes, the SFD, the frame padded with zeros to 60 bytes, its FCS, /T/. Frames start in lane 0 or lane 4, whichever
 * keeps the inter-packet gap at 12 bytes on average with the deficit idle count of IEEE 802.3 clause 46 (a gap may
 * shrink to 9 bytes while at most 3 idles are owed, and is made up by the next ones): back-to-back frames leave at
 * the line rate. Internally every frame starts at lane 0 of a beat; an output stage delays the stream by four bytes
 * when a frame is to start in lane 4 (the extra or missing four bytes are always idles). Whether a frame offered may
 * start, in which lane, and the idles then owed are {@link #startRule}, tabulated over the registers it reads (the
 * cycles since /T/, the lane of /T/, the lane-4 mode, the count owed), so the decision is a lookup, not arithmetic.
 * The start column is on {@code xgmii_txd} the cycle after the frame's first beat is taken.
 *
 * <p>{@code tuser} on a frame's last beat, or {@code in} running dry inside a frame, ends the frame with /E/ (the
 * receiver discards it) and pulses {@code underrun} for the dry case; the rest of such a frame is taken and dropped.
 * {@code sfd} pulses in the cycle a start column is on {@code xgmii_txd} (the transmit timestamp point),
 * {@code sfd_lane4} when it is in lane 4 (the SFD leaves four byte times, 3.2 ns, later than that cycle).
 */
public final class XgmiiMacTx64 extends Component {
    static final int START = 0xFB, TERMINATE = 0xFD, IDLE = 0x07, ERROR = 0xFE;
    static final int MIN_DATA = 60;
    /** Idles after /T/ on average: with the /T/ byte, the 12-byte interpacket gap of IEEE 802.3 (4.4.2, 46.3.1.4). */
    static final int IDLES_AFTER_TERMINATE = 11;

    public final Axis in;
    public final Bits xgmii_txd = out(new Bits(64));
    public final Bits xgmii_txc = out(new Bits(8));
    public final Bool sfd = out(new Bool());
    public final Bool sfd_lane4 = out(new Bool());
    public final Bool underrun = out(new Bool());

    private static final long IDLE_D = 0x0707070707070707L;

    public XgmiiMacTx64() {
        moduleName("xgmii_mac_tx_64");
        in = slave(new Axis(8, 1));

        Bits normD = wire(new Bits(64)).named("norm_txd");
        Bits normC = wire(new Bits(8)).named("norm_txc");
        normD.set(Bits.lit(IDLE_D, 64));
        normC.set(Bits.lit(0xff, 8));
        Bool takeIn = wire(new Bool(), 0).named("take_in");
        Bool startNow = wire(new Bool(), 0).named("start_now");
        Bool startLane4 = wire(new Bool(), 0).named("start_lane4");
        Bool dry = wire(new Bool(), 0).named("underrun_now");

        Bits crc = regInit(new Bits(32), 0xFFFFFFFFL).named("crc_state_reg");
        UInt count = regInit(new UInt(7), 0).named("byte_count_reg");      // frame bytes so far, saturating at 64
        UInt dic = regInit(new UInt(2), 0).named("deficit_idle_count_reg");
        UInt beatsSinceEnd = regInit(new UInt(2), 3).named("beats_since_end_reg");
        UInt endLane = regInit(new UInt(3), 0).named("terminate_lane_reg");
        Bool mode4 = regInit(new Bool(), 0).named("lane4_mode_reg");
        Bits tailD = reg(new Bits(64)).named("tail_txd_reg");
        Bits tailC = reg(new Bits(8)).named("tail_txc_reg");
        UInt tailEnd = reg(new UInt(3)).named("tail_terminate_lane_reg");

        // ---- the data of the beat offered: bytes past tkeep are zero (they become padding when the frame is short) ----
        Bits keepBytes = wire(new Bits(64)).named("keep_mask");
        java.util.List<Bool> mask = new java.util.ArrayList<>();
        for (int i = 7; i >= 0; i--) for (int b = 0; b < 8; b++) mask.add(in.tkeep().bit(i));
        keepBytes.set(Bits.cat(mask));
        Bits data = let("in_data_masked", in.tdata().and(keepBytes));
        UInt keepCount = wire(new UInt(4), 0).named("in_bytes");
        for (int i = 0; i < 8; i++) {
            final int n = i + 1;
            when(in.tkeep().bit(i), () -> keepCount.set(n));
        }

        // ---- when may the next frame start, in which lane, and what is then owed: the clause-46 rule of startRule,
        // tabulated at elaboration over the eight register bits it depends on (the gap's arithmetic, a few carry chains
        // in series, becomes one lookup a LUT level or two deep) ---------------------------------------------------------
        UInt gapState = let("gap_state", UInt.cat(beatsSinceEnd, endLane, mode4, dic));
        Bool startOk = wire(new Bool(), 0).named("start_ok");
        Bool startIn4 = wire(new Bool(), 0).named("start_in_lane4");
        UInt dicAfter = wire(new UInt(2), 0).named("deficit_idle_count_after");
        java.util.Map<Integer, java.util.List<Long>> byOutcome = new java.util.TreeMap<>();
        for (int st = 0; st < 256; st++) {
            int[] r = startRule(st >> 6, st >> 3 & 7, (st >> 2 & 1) != 0, st & 3);
            if (r != null) byOutcome.computeIfAbsent(r[0] << 2 | r[1], k -> new java.util.ArrayList<>()).add((long) st);
        }
        Switch rule = switchOn(gapState);
        byOutcome.forEach((outcome, states) -> rule.is(states.stream().mapToLong(Long::longValue).toArray(), () -> {
            startOk.set(true);
            startIn4.set((outcome >> 2) != 0);
            dicAfter.set(outcome & 3);
        }));
        rule.otherwise(() -> { });

        // ---- the frame's last beat: n bytes (1..8), then FCS and /T/ over up to 16 lanes ----------------------------
        Bool needPad = let("needs_padding", count.plus(keepCount.zext(7)).lt(MIN_DATA));
        UInt lastBytes = wire(new UInt(4), 0).named("last_bytes");
        Bits lastData = wire(new Bits(64)).named("last_data");   // the offered beat, or zeros when padding
        lastData.set(data);
        Bits endD = wire(new Bits(128), 0).named("end_txd");
        Bits endC = wire(new Bits(16), 0).named("end_txc");
        Switch s = switchOn(lastBytes);
        for (int n = 1; n <= 8; n++) {
            final int nn = n;
            s.is(n, () -> {
                Bits fcs = EthFcs64.update(crc, lastData, nn).not();
                java.util.List<Bits> lanes = new java.util.ArrayList<>();
                java.util.List<Bool> ctl = new java.util.ArrayList<>();
                for (int lane = 15; lane >= 0; lane--) {
                    if (lane < nn) {
                        lanes.add(lastData.part(8 * lane, 8));
                        ctl.add(Bool.lit(false));
                    } else if (lane < nn + 4) {
                        lanes.add(fcs.part(8 * (lane - nn), 8));
                        ctl.add(Bool.lit(false));
                    } else {
                        lanes.add(Bits.lit(lane == nn + 4 ? TERMINATE : IDLE, 8));
                        ctl.add(Bool.lit(true));
                    }
                }
                endD.set(Bits.cat(lanes));
                endC.set(Bits.cat(ctl));
            });
        }
        s.otherwise(() -> { });

        enum TxState { IDLE, DATA, PAD, TAIL, DRAIN }

        Fsm<TxState> f = new Fsm<>(this, "tx_state", TxState.class);
        // the beat with /T/ goes out now when it fits, else the rest follows from TAIL
        Runnable finish = () -> {
            normD.set(endD.part(0, 64));
            normC.set(endC.part(0, 8));
            crc.set(0xFFFFFFFFL);
            when(lastBytes.le(3), () -> {
                endLane.set(lastBytes.plus(4).trunc(3));
                beatsSinceEnd.set(1);
                f.goTo(TxState.IDLE);
            }).otherwise(() -> {
                tailD.set(endD.part(64, 64));
                tailC.set(endC.part(8, 8));
                tailEnd.set(lastBytes.minus(4).trunc(3));
                f.goTo(TxState.TAIL);
            });
        };
        Runnable abort = () -> {
            normD.set(Bits.lit(new java.math.BigInteger("FDFEFEFEFEFEFEFE", 16), 64));
            normC.set(Bits.lit(0xff, 8));
            crc.set(0xFFFFFFFFL);
            endLane.set(7);
            beatsSinceEnd.set(1);
        };
        f.on(TxState.IDLE, () -> {
            when(beatsSinceEnd.ne(3), () -> beatsSinceEnd.set(beatsSinceEnd.plus(1)));
            when(in.valid.and(startOk), () -> {
                startNow.set(true);
                startLane4.set(startIn4);
                mode4.set(startIn4);
                dic.set(dicAfter);
                normD.set(Bits.lit(new java.math.BigInteger("D5555555555555FB", 16), 64));
                normC.set(Bits.lit(0x01, 8));
                count.set(0);
                f.goTo(TxState.DATA);
            });
        });
        f.on(TxState.DATA, () -> {
            takeIn.set(true);
            when(in.valid.not(), () -> {
                dry.set(true);
                abort.run();
                f.goTo(TxState.DRAIN);
            }).elseWhen(in.tlast().and(in.tuser().bit(0)), () -> {
                abort.run();
                f.goTo(TxState.IDLE);
            }).elseWhen(in.tlast().and(needPad.not()), () -> {
                lastBytes.set(keepCount);
                finish.run();
            }).elseWhen(in.tlast().and(count.eq(56)), () -> {
                lastBytes.set(4);
                finish.run();
            }).otherwise(() -> {
                normD.set(data);
                normC.set(0);
                crc.set(EthFcs64.update(crc, data, 8));
                when(count.lt(64), () -> count.set(count.plus(8)));
                when(in.tlast(), () -> f.goTo(TxState.PAD));
            });
        });
        f.on(TxState.PAD, () -> when(count.eq(56), () -> {
            lastBytes.set(4);
            lastData.set(0);
            finish.run();
        }).otherwise(() -> {
            normD.set(0);
            normC.set(0);
            crc.set(EthFcs64.update(crc, Bits.lit(0, 64), 8));
            count.set(count.plus(8));
        }));
        f.on(TxState.TAIL, () -> {
            normD.set(tailD);
            normC.set(tailC);
            endLane.set(tailEnd);
            beatsSinceEnd.set(1);
            f.goTo(TxState.IDLE);
        });
        f.on(TxState.DRAIN, () -> {
            takeIn.set(true);
            when(in.valid.and(in.tlast()), () -> f.goTo(TxState.IDLE));
        });
        in.ready.set(takeIn);

        // ---- output: the normalized stream, four bytes late while in lane-4 mode -------------------------------------
        Bits nD = regInit(new Bits(64), IDLE_D).named("norm_txd_reg");
        Bits nC = regInit(new Bits(8), 0xff).named("norm_txc_reg");
        Bool nMode = regInit(new Bool(), 0).named("norm_lane4_reg");
        Bool nStart = regInit(new Bool(), 0).named("norm_start_reg");
        Bits pD = regInit(new Bits(64), IDLE_D).named("prev_txd_reg");
        Bits pC = regInit(new Bits(8), 0xff).named("prev_txc_reg");
        Bits oD = regInit(new Bits(64), IDLE_D).named("txd_reg");
        Bits oC = regInit(new Bits(8), 0xff).named("txc_reg");
        Bool oSfd = regInit(new Bool(), 0).named("sfd_reg");
        Bool oSfd4 = regInit(new Bool(), 0).named("sfd_lane4_reg");
        nD.set(normD);
        nC.set(normC);
        nMode.set(startNow.mux(startLane4, mode4));
        nStart.set(startNow);
        pD.set(nD);
        pC.set(nC);
        oD.set(nMode.mux(Bits.cat(nD.part(0, 32), pD.part(32, 32)), nD));
        oC.set(nMode.mux(Bits.cat(nC.part(0, 4), pC.part(4, 4)), nC));
        oSfd.set(nStart);
        oSfd4.set(nStart.and(nMode));
        xgmii_txd.set(oD);
        xgmii_txc.set(oC);
        sfd.set(oSfd);
        sfd_lane4.set(oSfd4);
        underrun.set(dry);
    }

    /**
     * The start rule of IEEE 802.3 clause 46 with the deficit idle count, for a frame offered in a cycle of {@code IDLE}:
     * {@code beats} cycles since the beat that held /T/ (1..3, saturating), {@code endLane} that /T/'s lane in the
     * internal (lane-0 aligned) stream, {@code lane4Mode} whether that frame went out four bytes late, {@code dic} the
     * idles owed (0..3). A start in lane 0 now would leave a gap of {@code 8 * (beats - 1) + 7 - endLane} bytes after
     * /T/, less four in lane-4 mode; one in lane 4, four more. The interpacket gap of 802.3 (96 bit times from the last
     * FCS byte to the next preamble) includes the /T/ byte, so 11 idles after /T/ make the 12-byte gap: a gap is allowed
     * at 11 idles or more, or at 8..10 while the idles owed (plus the ones it drops) stay at most 3; a longer gap pays
     * back what it exceeds 11 by (the gap, /T/ included, is 9..15 bytes and averages 12: line rate, 84 bytes per
     * minimum frame). Lane 0 is taken when allowed, else lane 4. Returns null when neither is allowed, else {lane4
     * (0/1), idles owed after}.
     */
    static int[] startRule(int beats, int endLane, boolean lane4Mode, int dic) {
        int gap0 = 8 * (beats - 1) + 7 - endLane - (lane4Mode ? 4 : 0);
        for (int lane4 = 0; lane4 <= 1; lane4++) {
            int gap = gap0 + 4 * lane4;
            if (gap >= IDLES_AFTER_TERMINATE) return new int[] {lane4, Math.max(0, dic - (gap - IDLES_AFTER_TERMINATE))};
            if (gap >= IDLES_AFTER_TERMINATE - 3 && dic + IDLES_AFTER_TERMINATE - gap <= 3) return new int[] {lane4, dic + IDLES_AFTER_TERMINATE - gap};
        }
        return null;
    }
}
