package org.ntsfab.ip.eth;

import org.ntsfab.ip.eth.Crc32;
import org.ntsfab.ip.eth.EthFcs64;
import org.ntsfab.hdl.Axis;
import org.ntsfab.hdl.Bits;
import org.ntsfab.hdl.Bool;
import org.ntsfab.hdl.Component;
import org.ntsfab.hdl.Switch;
import org.ntsfab.hdl.UInt;

/**
 * 10GbE receive MAC on a 64-bit XGMII (the PCS's SDR form: 8 lanes, lane i in data bits 8i+7..8i and control bit i,
 * one beat per clock at 156.25 MHz; what a vendor's 10GBASE-R PCS/PMA hands over).
 *
 * <p>A frame starts with /S/ (0xFB, control) in lane 0 or lane 4 (IEEE 802.3 clause 46 allows both), followed by six
 * preamble bytes and the SFD; a start in lane 4 is realigned by four bytes so that every frame's data begins at a
 * beat boundary. The frame ends at the first control character: /T/ (0xFD) ends it normally, anything else (/E/, an
 * idle, a second /S/) ends it as errored. The frame leaves on {@code out} (64-bit AXI-Stream, contiguous
 * {@code tkeep}) without preamble, SFD and FCS, one beat behind the wire; {@code tuser} on the last beat is 1 when
 * the FCS was wrong or the frame ended on an error. A frame with at most the FCS after its SFD delivers nothing and
 * pulses {@code fragment}. {@code out} must always be ready (the responder's receive port is): a beat it refuses is
 * lost and pulses {@code overflow}.
 *
 * <p>{@code sfd} pulses in the cycle the (realigned) start column is taken: the receive timestamp point;
 * {@code sfd_lane4} says that frame started in lane 4, so its SFD crossed the XGMII four byte times (3.2 ns) before
 * the cycle {@code sfd} stands for.
 */
public final class XgmiiMacRx64 extends Component {
    public static final int START = 0xFB, TERMINATE = 0xFD, IDLE = 0x07, ERROR = 0xFE;

    public final Bits xgmii_rxd = in(new Bits(64));
    public final Bits xgmii_rxc = in(new Bits(8));
    public final Axis out;
    public final Bool sfd = out(new Bool());
    public final Bool sfd_lane4 = out(new Bool());
    public final Bool bad_fcs = out(new Bool());
    public final Bool fragment = out(new Bool());
    public final Bool overflow = out(new Bool());

    public XgmiiMacRx64() {
        moduleName("xgmii_mac_rx_64");
        out = master(new Axis(8, 1));

        // ---- lane-4 starts realigned to lane 0 ----------------------------------------------------------------
        Bits prevD = reg(new Bits(64)).named("prev_rxd_reg");
        Bits prevC = regInit(new Bits(8), 0xff).named("prev_rxc_reg");
        Bool shiftReg = regInit(new Bool(), 0).named("lane4_mode_reg");
        prevD.set(xgmii_rxd);
        prevC.set(xgmii_rxc);
        Bool rawStart0 = let("raw_start_lane0", xgmii_rxc.bit(0).and(xgmii_rxd.part(0, 8).eq(START)));
        Bool rawStart4 = let("raw_start_lane4", xgmii_rxc.bit(4).and(xgmii_rxd.part(32, 8).eq(START)));
        Bool shift = let("lane4_mode", shiftReg.and(rawStart0.not()));
        when(rawStart4, () -> shiftReg.set(true)).elseWhen(rawStart0, () -> shiftReg.set(false));
        Bits d = let("rxd", shift.mux(Bits.cat(xgmii_rxd.part(0, 32), prevD.part(32, 32)), xgmii_rxd));
        Bits c = let("rxc", shift.mux(Bits.cat(xgmii_rxc.part(0, 4), prevC.part(4, 4)), xgmii_rxc));

        // ---- the frame --------------------------------------------------------------------------------------
        Bool inFrame = regInit(new Bool(), 0).named("in_frame_reg");
        Bits crc = regInit(new Bits(32), 0xFFFFFFFFL).named("crc_state_reg");
        Bits held = reg(new Bits(64)).named("held_data_reg");
        Bool heldValid = regInit(new Bool(), 0).named("held_valid_reg");
        Bool pending = regInit(new Bool(), 0).named("pending_last_reg");
        Bits pendingData = reg(new Bits(64)).named("pending_data_reg");
        Bits pendingKeep = reg(new Bits(8)).named("pending_keep_reg");
        Bool pendingBad = reg(new Bool()).named("pending_bad_reg");
        Bool oValid = regInit(new Bool(), 0).named("out_valid_reg");
        Bits oData = reg(new Bits(64)).named("out_data_reg");
        Bits oKeep = reg(new Bits(8)).named("out_keep_reg");
        Bool oLast = reg(new Bool()).named("out_last_reg");
        Bool oUser = reg(new Bool()).named("out_user_reg");

        Bool startCol = let("start_column", c.bit(0).and(d.part(0, 8).eq(START)));
        // the start column: /S/ then six data bytes and the SFD, no other control character
        Bool goodStart = let("good_start", startCol.and(c.slice(7, 1).eq(0)).and(d.part(56, 8).eq(0xD5)));
        // the first control lane ends the frame: k data bytes before it (8 when none)
        UInt k = wire(new UInt(4), 8).named("data_lanes");
        for (int i = 7; i >= 0; i--) {
            final int lane = i;
            when(c.bit(lane), () -> k.set(lane));
        }
        Bool ends = let("frame_ends", inFrame.and(c.ne(0)));
        Bool term = wire(new Bool(), 0).named("ends_on_terminate");
        Switch sk = switchOn(k);
        for (int i = 0; i < 8; i++) {
            final int lane = i;
            sk.is(lane, () -> term.set(d.part(8 * lane, 8).eq(TERMINATE)));
        }
        sk.otherwise(() -> { });
        Bits crcEnd = wire(new Bits(32), 0).named("crc_at_end");
        Switch sc = switchOn(k);
        sc.is(0, () -> crcEnd.set(crc));
        for (int i = 1; i < 8; i++) {
            final int n = i;
            sc.is(n, () -> crcEnd.set(EthFcs64.update(crc, d, n)));
        }
        sc.otherwise(() -> { });
        Bool fcsOk = let("fcs_ok", crcEnd.eq(Integer.toUnsignedLong(Crc32.RESIDUE)));
        Bool bad = let("frame_bad", fcsOk.not().or(term.not()));
        Bits keepHeld = keepOf("keep_held_last", k.plus(4));
        Bits keepEnding = keepOf("keep_ending_beat", k.minus(4));

        oValid.set(false);
        when(pending, () -> {
            oValid.set(true);
            oData.set(pendingData);
            oKeep.set(pendingKeep);
            oLast.set(true);
            oUser.set(pendingBad);
            pending.set(false);
        });
        when(inFrame.and(c.eq(0)), () -> {
            crc.set(EthFcs64.update(crc, d, 8));
            held.set(d);
            heldValid.set(true);
            when(heldValid, () -> {
                oValid.set(true);
                oData.set(held);
                oKeep.set(Bits.lit(0xff, 8));
                oLast.set(false);
                oUser.set(false);
            });
        });
        // the last four bytes (FCS) are cut: with k bytes in the ending beat, the frame's last 4 + k bytes (held and these)
        // minus 4 remain
        when(ends, () -> {
            inFrame.set(false);
            when(heldValid, () -> {
                oValid.set(true);
                oData.set(held);
                oUser.set(bad);
                oLast.set(k.le(4));
                oKeep.set(keepHeld);
                when(k.gt(4), () -> {
                    oKeep.set(Bits.lit(0xff, 8));
                    oUser.set(false);
                    pending.set(true);
                    pendingData.set(d);
                    pendingKeep.set(keepEnding);
                    pendingBad.set(bad);
                });
            }).elseWhen(k.gt(4), () -> {
                oValid.set(true);
                oData.set(d);
                oKeep.set(keepEnding);
                oLast.set(true);
                oUser.set(bad);
            });
        });
        // a start column opens a frame (a start inside a frame ended it above, as an error)
        when(goodStart, () -> {
            inFrame.set(true);
            crc.set(0xFFFFFFFFL);
            heldValid.set(false);
        });

        out.valid.set(oValid);
        out.tdata().set(oData);
        out.tkeep().set(oKeep);
        out.tlast().set(oLast);
        out.tuser().set(oUser.asBits());
        sfd.set(goodStart);
        sfd_lane4.set(goodStart.and(shift));
        bad_fcs.set(ends.and(fcsOk.not()).and(heldValid.or(k.gt(4))));
        fragment.set(ends.and(heldValid.not()).and(k.le(4)));
        overflow.set(oValid.and(out.ready.not()));
    }

    /** tkeep for n (0..8) bytes. */
    private Bits keepOf(String name, UInt n) {
        Bits keep = wire(new Bits(8), 0).named(name);
        Switch s = switchOn(n);
        for (int i = 1; i <= 8; i++) {
            final int b = i;
            s.is(b, () -> keep.set(Bits.lit((1L << b) - 1, 8)));
        }
        s.otherwise(() -> { });
        return keep;
    }
}
