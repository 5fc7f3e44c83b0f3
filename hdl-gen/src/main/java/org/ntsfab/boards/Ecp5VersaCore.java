package org.ntsfab.boards;

import org.ntsfab.ip.eth.EthMacRx8;
import org.ntsfab.ip.eth.EthMacTx8;
import org.ntsfab.ip.eth.RgmiiPhy;
import org.ntsfab.hdl.Axis;
import org.ntsfab.hdl.Bits;
import org.ntsfab.hdl.Bool;
import org.ntsfab.hdl.ClockDomain;
import org.ntsfab.hdl.Component;
import org.ntsfab.hdl.lib.AsyncFifo;
import org.ntsfab.responder.top.NtsFabTop;
import org.ntsfab.responder.ResponderDefaults;

/**
 * The generated logic of the ECP5 Versa board ({@code fpga_core_ecp5_versa}): everything between the DDR I/O cells and
 * PLL of the hand-written board top ({@code boards/ecp5-versa/fpga_ecp5_versa.v}, vendor primitives only) and the
 * responder. Two clocks: {@code clk} (125 MHz from the PLL, locked to the 10 MHz reference: the responder's clock
 * counts it) and {@code rgmii_rx_clk} (the PHY's receive clock, 125 MHz give or take 100 ppm).
 *
 * <p>Receive: RGMII nibbles → {@link RgmiiPhy} → {@link EthMacRx8} (preamble, SFD, FCS checked and cut) in the
 * receive clock, then an {@link AsyncFifo} into {@code clk} and the byte-wide responder {@code ntsfab_top_8} (NTP,
 * ARP, ICMP, IPv6/NDP). Transmit: the responder → {@link EthMacTx8} (preamble, SFD, padding, FCS, inter-frame gap)
 * → {@link RgmiiPhy} → DDR cells, all in {@code clk}. The host side is the register file over the UART
 * ({@link UartRegisterBridge}, 115200 8N1): clock loads (now or at PPS), identity, counters, everything
 * {@code docs/registers.md} lists. Frames for the host port are counted by the responder and dropped here (no CPU on
 * this board); nothing is sent from the host port.
 *
 * <p>LEDs (1 = lit; the board top inverts them for the Versa's active-low LEDs): 0 toggles at each PPS edge, 1 toggles
 * with each frame sent, 2 toggles with each frame received, 3 link up, 4 link at 1000 Mb/s, 5 a frame with a bad FCS
 * or receive error seen since the last UART command.
 */
public final class Ecp5VersaCore extends Component {
    /** The PHY's receive clock domain. */
    public static final ClockDomain RX = new ClockDomain("rgmii_rx_clk", "rgmii_rx_rst", ClockDomain.Reset.SYNC_HIGH);

    public final Bits rgmii_rxd_rise, rgmii_rxd_fall;
    public final Bool rgmii_rx_ctl_rise, rgmii_rx_ctl_fall;
    public final Bits rgmii_txd_rise = out(new Bits(4));
    public final Bits rgmii_txd_fall = out(new Bits(4));
    public final Bool rgmii_tx_ctl_rise = out(new Bool());
    public final Bool rgmii_tx_ctl_fall = out(new Bool());
    public final Bool pps;
    public final Bool uart_rx = in(new Bool());
    public final Bool uart_tx = out(new Bool());
    public final Bits led = out(new Bits(6));

    /** configs/gige.toml's identity at 125 MHz, 115200 baud. */
    public static Ecp5VersaCore example() {
        return new Ecp5VersaCore(ResponderDefaults.GIGE, 125_000_000, 115_200);
    }

    public Ecp5VersaCore(ResponderDefaults d, long clockHz, int baud) {
        // fpga_core_ecp5_versa (what boards/ecp5-versa/fpga_ecp5_versa.v instantiates) is example()'s; another core says so
        moduleName("fpga_core_ecp5_versa"
                + org.ntsfab.hdl.ModuleNames.cfgTag(java.util.List.of(ResponderDefaults.GIGE, 125_000_000L, 115_200), d, clockHz, baud));
        rgmii_rxd_rise = inDomain(RX, () -> in(new Bits(4)));
        rgmii_rxd_fall = inDomain(RX, () -> in(new Bits(4)));
        rgmii_rx_ctl_rise = inDomain(RX, () -> in(new Bool()));
        rgmii_rx_ctl_fall = inDomain(RX, () -> in(new Bool()));
        pps = inDomain(NtsFabTop.PPS_DOMAIN, () -> in(new Bool()));

        RgmiiPhy phy = add("rgmii", new RgmiiPhy(RX));
        EthMacRx8 macRx = inDomain(RX, () -> add("mac_rx", new EthMacRx8()));
        AsyncFifo<Axis.Beat> rxFifo = inDomain(RX, () -> add("rx_fifo", new AsyncFifo<>(() -> new Axis.Beat(1, 1), 64, ClockDomain.main(), "tvalid", "tready")));
        NtsFabTop core = add("responder", new NtsFabTop(d, 1));
        EthMacTx8 macTx = add("mac_tx", new EthMacTx8());
        BoardHost host = add("host", BoardHost.forCore(core, clockHz, baud));

        // ---- receive: pins → MAC (receive clock) → FIFO → responder (clk) -------------------------------------
        phy.rxd_rise.set(rgmii_rxd_rise);
        phy.rxd_fall.set(rgmii_rxd_fall);
        phy.rx_ctl_rise.set(rgmii_rx_ctl_rise);
        phy.rx_ctl_fall.set(rgmii_rx_ctl_fall);
        withDomain(RX, () -> {
            macRx.phy_en.set(true);
            macRx.phy_dv.set(phy.rx_dv);
            macRx.phy_er.set(phy.rx_er);
            macRx.phy_data.set(phy.rx_data);
            rxFifo.in.connectFrom(macRx.out);
        });
        core.rx.connectFrom(rxFifo.out);

        // ---- transmit: responder → MAC → pins, all in clk -----------------------------------------------------
        macTx.in.connectFrom(core.tx);
        macTx.phy_en.set(true);
        phy.tx_en.set(macTx.phy_dv);
        phy.tx_er.set(macTx.phy_er);
        phy.tx_data.set(macTx.phy_data);
        rgmii_txd_rise.set(phy.txd_rise);
        rgmii_txd_fall.set(phy.txd_fall);
        rgmii_tx_ctl_rise.set(phy.tx_ctl_rise);
        rgmii_tx_ctl_fall.set(phy.tx_ctl_fall);

        // ---- host: registers over the UART; the host frame port has no one behind it ---------------------------
        BoardHost.attach(core, host, pps, uart_rx, uart_tx);

        // ---- LEDs ---------------------------------------------------------------------------------------------
        org.ntsfab.hdl.lib.Synchronizer statusSync = add("link_status_sync", new org.ntsfab.hdl.lib.Synchronizer(3, ClockDomain.main()));
        statusSync.in.set(Bits.cat(phy.link_up.asBits(), phy.link_1000.asBits(), rxErrorToggle(macRx)));
        Bits linkStatus = statusSync.out;
        Bool txLed = regInit(new Bool(), 0).named("tx_led_reg");
        when(core.tx.fire().and(core.tx.tlast()), () -> txLed.set(txLed.not()));
        Bool rxLed = regInit(new Bool(), 0).named("rx_led_reg");
        when(core.rx.fire().and(core.rx.tlast()), () -> rxLed.set(rxLed.not()));
        Bool errPrev = regNextInit(linkStatus.bit(0), 0).named("rx_error_toggle_prev_reg");
        Bool errLed = regInit(new Bool(), 0).named("rx_error_led_reg");
        when(linkStatus.bit(0).ne(errPrev), () -> errLed.set(true)).elseWhen(host.command_byte, () -> errLed.set(false));
        led.set(Bits.cat(errLed.asBits(), linkStatus.slice(1, 1), linkStatus.slice(2, 2), rxLed.asBits(), txLed.asBits(), host.pps_toggle.asBits()));
    }

    /** A register in the receive clock that toggles with every frame the MAC marks bad (FCS or receive error). */
    private Bits rxErrorToggle(EthMacRx8 macRx) {
        return inDomain(RX, () -> {
            Bool t = regInit(new Bool(), 0).named("rx_error_toggle_reg");
            when(macRx.out.fire().and(macRx.out.tlast()).and(macRx.out.tuser().bit(0)), () -> t.set(t.not()));
            return t.asBits();
        });
    }
}
