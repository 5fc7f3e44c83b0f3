package org.ntsfab.boards;

import org.ntsfab.ip.eth.XgmiiMacRx64;
import org.ntsfab.ip.eth.XgmiiMacTx64;
import org.ntsfab.hdl.Axis;
import org.ntsfab.hdl.Bits;
import org.ntsfab.hdl.Bool;
import org.ntsfab.hdl.ClockDomain;
import org.ntsfab.hdl.Component;
import org.ntsfab.hdl.lib.AsyncFifo;
import org.ntsfab.responder.top.NtsFabTop;
import org.ntsfab.responder.ResponderDefaults;

/**
 * The generated logic of the VCU118 10GbE board ({@code fpga_core_vcu118}): our 64-bit XGMII MACs around the full
 * responder with its NTS cores ({@code ntsfab_top}, 64-bit frame ports), between the XGMII of Xilinx's 10G/25G
 * Ethernet Subsystem in its PCS/PMA-only mode (the one external IP, instantiated by the hand-written
 * {@code boards/vcu118/fpga_vcu118.v}) and the host's UART. Two clocks: {@code clk} (the subsystem's transmit XGMII
 * clock, 156.25 MHz from the GT reference: the responder's clock counts it) and {@code xgmii_rx_clk} (its receive
 * XGMII clock; the same net when the subsystem delivers receive data on the transmit clock).
 *
 * <p>Receive: {@link XgmiiMacRx64} (starts in lane 0 or 4, FCS checked and cut) in the receive clock, an
 * {@link AsyncFifo} into {@code clk}, the responder. Transmit: the responder, {@link XgmiiMacTx64} (padding, FCS, deficit
 * idle count), the subsystem. Host access: the register file over the board's USB UART ({@link UartRegisterBridge},
 * 115200 8N1); the host frame port is left unconnected as on the ECP5 board (frames for the host are counted and
 * dropped).
 *
 * <p>LEDs: 0 toggles at each PPS edge, 1 with each frame sent, 2 with each frame received, 3 the PCS's receive block
 * lock, 4 a receive frame with a bad FCS or an error seen since the last UART command.
 */
public final class Vcu118Core extends Component {
    /** The subsystem's receive XGMII clock. */
    public static final ClockDomain RX = new ClockDomain("xgmii_rx_clk", "xgmii_rx_rst", ClockDomain.Reset.SYNC_HIGH);

    public final Bits xgmii_rxd, xgmii_rxc;
    public final Bits xgmii_txd = out(new Bits(64));
    public final Bits xgmii_txc = out(new Bits(8));
    public final Bool block_lock = in(new Bool());
    public final Bool pps;
    public final Bool uart_rx = in(new Bool());
    public final Bool uart_tx = out(new Bool());
    public final Bits led = out(new Bits(5));

    public Vcu118Core(ResponderDefaults d, NtsFabTop.Nts nts, long clockHz, int baud) {
        // fpga_core_vcu118 is the library example's (one NTS core, EXAMPLE at 156.25 MHz, 115200 baud), the board's
        // configs/10g-nts.toml core fpga_core_vcu118_nts3_d12000_w16000_s256_d3000; another identity, clock or baud rate says so
        moduleName("fpga_core_vcu118" + nts.nameTag()
                + org.ntsfab.hdl.ModuleNames.cfgTag(java.util.List.of(ResponderDefaults.EXAMPLE, 156_250_000L, 115_200), d, clockHz, baud));
        xgmii_rxd = inDomain(RX, () -> in(new Bits(64)));
        xgmii_rxc = inDomain(RX, () -> in(new Bits(8)));
        pps = inDomain(NtsFabTop.PPS_DOMAIN, () -> in(new Bool()));
        XgmiiMacRx64 macRx = inDomain(RX, () -> add("mac_rx", new XgmiiMacRx64()));
        AsyncFifo<Axis.Beat> rxFifo = inDomain(RX, () -> add("rx_fifo", new AsyncFifo<>(() -> new Axis.Beat(8, 1), 64, ClockDomain.main(),
                "tvalid", "tready")));
        NtsFabTop core = add("responder", new NtsFabTop(d, 8, nts));
        XgmiiMacTx64 macTx = add("mac_tx", new XgmiiMacTx64());
        BoardHost host = add("host", BoardHost.forCore(core, clockHz, baud));

        withDomain(RX, () -> {
            macRx.xgmii_rxd.set(xgmii_rxd);
            macRx.xgmii_rxc.set(xgmii_rxc);
            rxFifo.in.connectFrom(macRx.out);
        });
        core.rx.connectFrom(rxFifo.out);
        macTx.in.connectFrom(core.tx);
        xgmii_txd.set(macTx.xgmii_txd);
        xgmii_txc.set(macTx.xgmii_txc);
        BoardHost.attach(core, host, pps, uart_rx, uart_tx);

        Bool txLed = regInit(new Bool(), 0).named("tx_led_reg");
        when(core.tx.fire().and(core.tx.tlast()), () -> txLed.set(txLed.not()));
        Bool rxLed = regInit(new Bool(), 0).named("rx_led_reg");
        when(core.rx.fire().and(core.rx.tlast()), () -> rxLed.set(rxLed.not()));
        Bool lock = regNextInit(block_lock, 0).named("block_lock_reg");
        Bool errLed = regInit(new Bool(), 0).named("rx_error_led_reg");
        when(core.rx.fire().and(core.rx.tlast()).and(core.rx.tuser().bit(0)), () -> errLed.set(true))
                .elseWhen(host.command_byte, () -> errLed.set(false));
        led.set(Bits.cat(errLed.asBits(), lock.asBits(), rxLed.asBits(), txLed.asBits(), host.pps_toggle.asBits()));
    }
}
