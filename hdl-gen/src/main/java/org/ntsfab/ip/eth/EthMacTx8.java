package org.ntsfab.ip.eth;

import org.ntsfab.ip.eth.EthFcs64;
import org.ntsfab.hdl.Axis;
import org.ntsfab.hdl.Bits;
import org.ntsfab.hdl.Bool;
import org.ntsfab.hdl.Component;
import org.ntsfab.hdl.Fsm;
import org.ntsfab.hdl.UInt;

/**
 * Ethernet transmit MAC, a byte at a time, for any byte-oriented PHY interface: the PHY side takes
 * ({@code phy_dv}, {@code phy_er}, {@code phy_data}) in every cycle {@code phy_en} is high (GMII: tie it high and
 * register the outputs in the I/O flops; MII/RMII/RGMII: an adapter strobes it when it needs the next byte).
 *
 * <p>Each frame from {@code in}: 7 preamble bytes 0x55, the SFD 0xD5 ({@code sfd} pulses as it is taken: the
 * transmit timestamp point; the frame's first byte is taken from {@code in} in the next byte slot), the frame,
 * zero padding to 60 bytes, the FCS (CRC-32 of frame and padding, least significant byte first), then at least 12
 * idle byte slots (the inter-frame gap). {@code in.ready} is high only in the byte slots that take a frame byte,
 * so the source must have each next byte ready (a core that sends whole frames from a buffer does); if it runs
 * dry inside a frame the frame is aborted ({@code phy_er} in that slot, the rest of the frame discarded,
 * {@code underrun} pulses) so that the receiver drops it.
 */
public final class EthMacTx8 extends Component {
    static final int PREAMBLE = 7, MIN_FRAME = 60, IFG = 12;

    public final Axis in;
    public final Bool phy_en = in(new Bool());
    public final Bool phy_dv = out(new Bool());
    public final Bool phy_er = out(new Bool());
    public final Bits phy_data = out(new Bits(8));
    public final Bool sfd = out(new Bool());
    public final Bool underrun = out(new Bool());

    public EthMacTx8() {
        moduleName("eth_mac_tx_8");
        in = slave(new Axis(1, 1));
        enum TxState { IDLE, PRE, SFD, DATA, PAD, FCS, IFG, DRAIN }
        Fsm<TxState> f = new Fsm<>(this, "tx_state", TxState.class);
        UInt count = regInit(new UInt(4), 0).named("count_reg");
        UInt len = regInit(new UInt(6), 0).named("length_reg");
        Bits crc = regInit(new Bits(32), 0xFFFFFFFFL).named("crc_state_reg");

        Bool slot = phy_en;
        Bits fcs = let("fcs", crc.not());
        Bits fcsByte = wire(new Bits(8), 0).named("fcs_byte");
        var sw = switchOn(count.trunc(2));
        for (int k = 0; k < 4; k++) {
            final int kk = k;
            sw.is(k, () -> fcsByte.set(fcs.part(8 * kk, 8)));
        }
        Bool dry = let("source_dry", f.is(TxState.DATA).and(in.valid.not()));
        Bool lenShort = let("length_short", len.lt(MIN_FRAME - 1));
        // the PHY side, from the state (and the source's byte in DATA)
        phy_dv.set(f.is(TxState.PRE).or(f.is(TxState.SFD)).or(f.is(TxState.DATA)).or(f.is(TxState.PAD)).or(f.is(TxState.FCS)));
        phy_er.set(dry);
        phy_data.set(f.is(TxState.PRE).mux(Bits.lit(0x55, 8), f.is(TxState.SFD).mux(Bits.lit(0xD5, 8),
                f.is(TxState.DATA).mux(in.tdata(), f.is(TxState.FCS).mux(fcsByte, Bits.lit(0, 8))))));
        sfd.set(f.is(TxState.SFD).and(slot));
        underrun.set(dry.and(slot));
        in.ready.set(f.is(TxState.DRAIN).or(f.is(TxState.DATA).and(slot)));

        f.on(TxState.IDLE, () -> when(slot.and(in.valid), () -> {
            count.set(1);
            f.goTo(TxState.PRE);
        }));
        f.on(TxState.PRE, () -> when(slot, () -> {
            count.set(count.plus(1));
            when(count.eq(PREAMBLE), () -> f.goTo(TxState.SFD));
        }));
        f.on(TxState.SFD, () -> when(slot, () -> {
            len.set(0);
            crc.set(0xFFFFFFFFL);
            f.goTo(TxState.DATA);
        }));
        f.on(TxState.DATA, () -> when(slot, () -> {
            when(in.valid, () -> {
                crc.set(EthFcs64.update(crc, in.tdata(), 1));
                when(len.ne(MIN_FRAME), () -> len.set(len.plus(1)));
                when(in.tlast(), () -> {
                    count.set(0);
                    when(lenShort, () -> f.goTo(TxState.PAD)).otherwise(() -> f.goTo(TxState.FCS));
                });
            }).otherwise(() -> {
                // aborted: the rest of the frame is discarded, then the gap
                count.set(0);
                f.goTo(TxState.DRAIN);
            });
        }));
        f.on(TxState.PAD, () -> when(slot, () -> {
            crc.set(EthFcs64.update(crc, Bits.lit(0, 8), 1));
            len.set(len.plus(1));
            when(len.eq(MIN_FRAME - 1), () -> {
                count.set(0);
                f.goTo(TxState.FCS);
            });
        }));
        f.on(TxState.FCS, () -> when(slot, () -> {
            count.set(count.plus(1));
            when(count.eq(3), () -> {
                count.set(0);
                f.goTo(TxState.IFG);
            });
        }));
        f.on(TxState.DRAIN, () -> when(in.valid.and(in.tlast()), () -> f.goTo(TxState.IFG)));
        f.on(TxState.IFG, () -> when(slot, () -> {
            count.set(count.plus(1));
            when(count.eq(IFG - 1), () -> f.goTo(TxState.IDLE));
        }));
    }
}
