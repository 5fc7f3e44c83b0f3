package org.ntsfab.ip.eth;

import org.ntsfab.hdl.Bits;
import org.ntsfab.hdl.Bool;
import org.ntsfab.hdl.ClockDomain;
import org.ntsfab.hdl.Component;

/**
 * The logic side of a 1 Gb/s RGMII interface, between the board's DDR I/O cells and the byte-wide MACs. RGMII
 * carries a byte per clock as two nibbles (bits 3..0 on the rising edge, 7..4 on the falling edge) and its control
 * line as two bits: on the rising edge DV (TX_EN), on the falling edge DV xor ER. The DDR cells (vendor primitives,
 * in the board's top level) turn each pin into a rising-edge and a falling-edge bit in the fabric clock; this
 * component assembles and splits bytes from those, one register stage each way.
 *
 * <p>Receive side in {@code rxDomain} (the PHY's RX_CLK): {@code rx_dv}, {@code rx_er}, {@code rx_data} for
 * {@link EthMacRx8} (a byte every clock). Between frames (DV and ER low) the PHY sends its link status in-band
 * (RGMII 2.0 §3.4.1): bit 0 link up, bits 2..1 speed (2 = 1000 Mb/s), bit 3 full duplex; {@code link_up} and
 * {@code link_1000} hold the last status seen. Transmit side in the current domain (the MAC's GTX clock).
 */
public final class RgmiiPhy extends Component {
    public final Bits rxd_rise, rxd_fall;
    public final Bool rx_ctl_rise, rx_ctl_fall;
    public final Bool rx_dv, rx_er;
    public final Bits rx_data;
    public final Bool link_up, link_1000;

    public final Bool tx_en = in(new Bool());
    public final Bool tx_er = in(new Bool());
    public final Bits tx_data = in(new Bits(8));
    public final Bits txd_rise = out(new Bits(4));
    public final Bits txd_fall = out(new Bits(4));
    public final Bool tx_ctl_rise = out(new Bool());
    public final Bool tx_ctl_fall = out(new Bool());

    public RgmiiPhy(ClockDomain rxDomain) {
        // two domains: the name says which is the receive side's and which the transmit side's (one domain: Design adds its tag)
        String tt = clockDomain().tag(), rt = rxDomain.tag();
        moduleName("rgmii_phy_1000" + (tt.equals(rt) ? "" : (tt.isEmpty() ? "" : "_tx_" + tt) + (rt.isEmpty() ? "" : "_rx_" + rt)));
        rxd_rise = inDomain(rxDomain, () -> in(new Bits(4)));
        rxd_fall = inDomain(rxDomain, () -> in(new Bits(4)));
        rx_ctl_rise = inDomain(rxDomain, () -> in(new Bool()));
        rx_ctl_fall = inDomain(rxDomain, () -> in(new Bool()));
        rx_dv = inDomain(rxDomain, () -> out(new Bool()));
        rx_er = inDomain(rxDomain, () -> out(new Bool()));
        rx_data = inDomain(rxDomain, () -> out(new Bits(8)));
        link_up = inDomain(rxDomain, () -> out(new Bool()));
        link_1000 = inDomain(rxDomain, () -> out(new Bool()));

        withDomain(rxDomain, () -> {
            Bool dv = regInit(new Bool(), 0).named("rx_dv_reg");
            Bool er = regInit(new Bool(), 0).named("rx_er_reg");
            Bits data = reg(new Bits(8)).named("rx_data_reg");
            Bits status = regInit(new Bits(4), 0).named("rx_link_status_reg");
            dv.set(rx_ctl_rise);
            er.set(rx_ctl_rise.xor(rx_ctl_fall));
            data.set(Bits.cat(rxd_fall, rxd_rise));
            // in-band status: between frames, both control bits low and the two nibbles equal
            when(rx_ctl_rise.not().and(rx_ctl_fall.not()).and(rxd_rise.eq(rxd_fall)), () -> status.set(rxd_rise));
            rx_dv.set(dv);
            rx_er.set(er);
            rx_data.set(data);
            link_up.set(status.bit(0));
            link_1000.set(status.slice(2, 1).eq(2));
        });

        Bits txd = reg(new Bits(8)).named("tx_data_reg");
        Bool txEn = regInit(new Bool(), 0).named("tx_en_reg");
        Bool txErr = regInit(new Bool(), 0).named("tx_er_reg");
        txd.set(tx_data);
        txEn.set(tx_en);
        txErr.set(tx_er);
        txd_rise.set(txd.slice(3, 0));
        txd_fall.set(txd.slice(7, 4));
        tx_ctl_rise.set(txEn);
        tx_ctl_fall.set(txEn.xor(txErr));
    }
}
