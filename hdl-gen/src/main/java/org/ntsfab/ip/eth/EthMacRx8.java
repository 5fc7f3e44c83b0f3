package org.ntsfab.ip.eth;

import org.ntsfab.ip.eth.Crc32;
import org.ntsfab.ip.eth.EthFcs64;
import org.ntsfab.hdl.Axis;
import org.ntsfab.hdl.Bits;
import org.ntsfab.hdl.Bool;
import org.ntsfab.hdl.Component;
import org.ntsfab.hdl.Fsm;
import org.ntsfab.hdl.UInt;

/**
 * Ethernet receive MAC, a byte at a time, for any byte-oriented PHY interface: GMII directly ({@code phy_en} tied
 * high), MII/RMII/RGMII through an adapter that assembles bytes and strobes {@code phy_en} when one is there.
 *
 * <p>A frame is {@code phy_dv} high: preamble bytes 0x55 (any number, also none), the SFD 0xD5, then the frame and
 * its 4-byte FCS. The frame goes out on {@code out} without preamble, SFD and FCS, one byte per received byte,
 * five bytes behind the wire (so that the frame's last byte can carry {@code tlast} when {@code phy_dv} falls);
 * {@code tuser} on the last byte is 1 when the FCS was wrong, {@code phy_er} was seen, or a byte was lost because
 * {@code out} was not ready. {@code sfd} pulses in the cycle the SFD is taken: the receive timestamp point (the
 * frame's first byte leaves {@code out} a fixed 6 byte slots later). A frame of at most 4 bytes after the SFD
 * (nothing but an FCS) delivers nothing and pulses {@code fragment}; a frame whose first byte is neither preamble
 * nor SFD is ignored to its end.
 */
public final class EthMacRx8 extends Component {
    /** Bytes held back so that the FCS can be cut off and the last data byte marked. */
    static final int HOLD = 5;

    public final Bool phy_en = in(new Bool());
    public final Bool phy_dv = in(new Bool());
    public final Bool phy_er = in(new Bool());
    public final Bits phy_data = in(new Bits(8));
    public final Axis out;
    public final Bool sfd = out(new Bool());
    public final Bool bad_fcs = out(new Bool());
    public final Bool fragment = out(new Bool());
    public final Bool overflow = out(new Bool());

    public EthMacRx8() {
        moduleName("eth_mac_rx_8");
        out = master(new Axis(1, 1));
        Bool startFrame = wire(new Bool(), 0).named("start_frame");
        enum RxState { IDLE, PRE, DATA, DROP }
        Fsm<RxState> f = new Fsm<>(this, "rx_state", RxState.class);
        Bits[] hold = new Bits[HOLD];
        for (int i = 0; i < HOLD; i++) hold[i] = reg(new Bits(8)).named("hold" + i + "_reg");
        UInt fill = regInit(new UInt(3), 0).named("hold_fill_reg");
        Bits crc = regInit(new Bits(32), 0xFFFFFFFFL).named("crc_state_reg");
        Bool err = regInit(new Bool(), 0).named("frame_error_reg");
        Bool lost = regInit(new Bool(), 0).named("frame_lost_reg");

        Bool isPre = let("byte_is_preamble", phy_data.eq(0x55));
        Bool isSfd = let("byte_is_sfd", phy_data.eq(0xD5));
        Bool byteIn = let("byte_in", phy_en.and(phy_dv));
        f.on(RxState.IDLE, () -> when(byteIn, () -> when(phy_er, () -> f.goTo(RxState.DROP))
                .elseWhen(isSfd, () -> startFrame.set(true))
                .elseWhen(isPre, () -> f.goTo(RxState.PRE))
                .otherwise(() -> f.goTo(RxState.DROP))));
        f.on(RxState.PRE, () -> when(phy_dv.not(), () -> f.goTo(RxState.IDLE))
                .elseWhen(byteIn, () -> when(phy_er, () -> f.goTo(RxState.DROP))
                        .elseWhen(isSfd, () -> startFrame.set(true))
                        .elseWhen(isPre.not(), () -> f.goTo(RxState.DROP))));
        when(startFrame, () -> {
            f.goTo(RxState.DATA);
            fill.set(0);
            crc.set(0xFFFFFFFFL);
            err.set(false);
            lost.set(false);
        });
        sfd.set(startFrame);

        // in DATA: every byte shifts through the hold; the oldest leaves once the hold is full
        Bool emitMid = let("emit_mid", f.is(RxState.DATA).and(byteIn).and(fill.eq(HOLD)));
        Bool ends = let("frame_ends", f.is(RxState.DATA).and(phy_dv.not()));
        Bool emitLast = let("emit_last", ends.and(fill.eq(HOLD)));
        Bool crcOk = let("crc_ok", crc.eq(Integer.toUnsignedLong(Crc32.RESIDUE)));
        Bool dropped = let("byte_dropped", emitMid.or(emitLast).and(out.ready.not()));
        f.on(RxState.DATA, () -> {
            when(byteIn, () -> {
                hold[0].set(phy_data);
                for (int i = 1; i < HOLD; i++) hold[i].set(hold[i - 1]);
                when(fill.ne(HOLD), () -> fill.set(fill.plus(1)));
                crc.set(EthFcs64.update(crc, phy_data, 1));
                when(phy_er, () -> err.set(true));
                when(dropped, () -> lost.set(true));
            });
            when(ends, () -> f.goTo(RxState.IDLE));
        });
        f.on(RxState.DROP, () -> when(phy_dv.not(), () -> f.goTo(RxState.IDLE)));

        Bool badLast = let("bad_last", crcOk.not().or(err).or(lost).or(dropped));
        out.valid.set(emitMid.or(emitLast));
        out.tdata().set(hold[HOLD - 1]);
        out.tkeep().set(Bits.lit(1, 1));
        out.tlast().set(emitLast);
        out.tuser().set(emitLast.and(badLast).asBits());
        bad_fcs.set(emitLast.and(crcOk.not()));
        fragment.set(ends.and(fill.ne(HOLD)));
        overflow.set(dropped);
    }
}
