package org.ntsfab.ip.eth;

import org.ntsfab.hdl.Bits;
import org.ntsfab.hdl.Bool;
import org.ntsfab.hdl.Component;
import org.ntsfab.hdl.Fsm;
import org.ntsfab.hdl.UInt;

/**
 * RMII (100 Mb/s) between a PHY and the byte-wide MAC ({@link EthMacRx8}, {@link EthMacTx8}), clocked by the
 * 50 MHz REF_CLK: two bits per cycle, least significant pair first, so a byte every four cycles.
 *
 * <p>Receive: the pins are registered; after CRS_DV rises the preamble dibits (01) are skipped and the byte
 * boundary is found at the SFD's last dibit (11), for which the SFD byte 0xD5 is handed to the MAC; from then on
 * every four dibits make a byte ({@code rx_en} pulses with it). The frame ends when CRS_DV is low in two cycles in
 * a row: a PHY that loses carrier toggles CRS_DV at the nibble rate while it empties its FIFO, so a single low
 * cycle is not the end. A partial last byte is dropped (the MAC then sees a wrong FCS).
 *
 * <p>Transmit: every fourth cycle {@code tx_slot} asks the MAC for its next byte slot, whose (valid, data) are
 * registered and shifted out two bits per cycle on TX_EN/TXD (registered outputs).
 */
public final class RmiiPhy extends Component {
    public final Bool rmii_crs_dv = in(new Bool());
    public final Bits rmii_rxd = in(new Bits(2));
    public final Bool rmii_tx_en = out(new Bool());
    public final Bits rmii_txd = out(new Bits(2));
    // toward the receive MAC
    public final Bool rx_en = out(new Bool());
    public final Bool rx_dv = out(new Bool());
    public final Bits rx_data = out(new Bits(8));
    // toward the transmit MAC
    public final Bool tx_slot = out(new Bool());
    public final Bool tx_dv = in(new Bool());
    public final Bits tx_data = in(new Bits(8));

    public RmiiPhy() {
        moduleName("rmii_phy_100");
        // ---- receive -------------------------------------------------------------------------------
        Bool crs = regNextInit(rmii_crs_dv, 0).named("crs_dv_reg");
        Bits rxd = regNextInit(rmii_rxd, 0).named("rxd_reg");
        Bool crsPrev = regNextInit(crs, 0).named("crs_dv_prev_reg");
        Bits shift = reg(new Bits(6)).named("rx_shift_reg");
        UInt phase = regInit(new UInt(2), 0).named("rx_phase_reg");
        Bool enOut = regInit(new Bool(), 0).named("rx_en_reg");
        Bool dvOut = regInit(new Bool(), 0).named("rx_dv_reg");
        Bits dataOut = reg(new Bits(8)).named("rx_data_reg");
        enOut.set(false);
        enum RxState { IDLE, PRE, DATA }
        Fsm<RxState> f = new Fsm<>(this, "rx_state", RxState.class);
        f.on(RxState.IDLE, () -> when(crs.and(rxd.eq(1)), () -> f.goTo(RxState.PRE)));
        f.on(RxState.PRE, () -> when(crs.not().and(crsPrev.not()), () -> f.goTo(RxState.IDLE))
                .elseWhen(crs.and(rxd.eq(3)), () -> {
                    // the SFD's last dibit: the byte boundary
                    enOut.set(true);
                    dvOut.set(true);
                    dataOut.set(0xD5);
                    phase.set(0);
                    f.goTo(RxState.DATA);
                }).elseWhen(crs.and(rxd.ne(1)), () -> f.goTo(RxState.IDLE)));
        f.on(RxState.DATA, () -> {
            when(crs.not().and(crsPrev.not()), () -> {
                dvOut.set(false);
                f.goTo(RxState.IDLE);
            }).otherwise(() -> {
                phase.set(phase.plus(1));
                shift.set(Bits.cat(rxd, shift.slice(5, 2)));
                when(phase.eq(3), () -> {
                    enOut.set(true);
                    dataOut.set(Bits.cat(rxd, shift));
                });
            });
        });
        rx_en.set(enOut);
        rx_dv.set(dvOut);
        rx_data.set(dataOut);

        // ---- transmit ------------------------------------------------------------------------------
        UInt txPhase = regInit(new UInt(2), 0).named("tx_phase_reg");
        Bits txShift = regInit(new Bits(8), 0).named("tx_shift_reg");
        Bool txEn = regInit(new Bool(), 0).named("tx_en_reg");
        Bool slot = let("tx_slot_now", txPhase.eq(0));
        txPhase.set(txPhase.plus(1));
        when(slot, () -> {
            txShift.set(tx_data);
            txEn.set(tx_dv);
        }).otherwise(() -> txShift.set(Bits.cat(Bits.lit(0, 2), txShift.slice(7, 2))));
        tx_slot.set(slot);
        rmii_tx_en.set(txEn);
        rmii_txd.set(txEn.mux(txShift.slice(1, 0), Bits.lit(0, 2)));
    }
}
