package org.ntsfab.boards;

import org.ntsfab.blocks.UartRegisterBridge;
import org.ntsfab.blocks.UartRx;
import org.ntsfab.blocks.UartTx;
import org.ntsfab.hdl.Axis;
import org.ntsfab.hdl.Bits;
import org.ntsfab.hdl.Bool;
import org.ntsfab.hdl.ClockDomain;
import org.ntsfab.hdl.Component;
import org.ntsfab.hdl.lib.Synchronizer;
import org.ntsfab.rtl.NtsFabTop;
import org.ntsfab.rtl.ResponderDefaults;

/**
 * The generated logic of the VCU118 10GbE board ({@code fpga_core_vcu118}): the full responder with its NTS engines
 * ({@code ntsfab_top}, 64-bit frame ports) on the AXI4-Stream ports of Xilinx's 10G/25G Ethernet Subsystem (MAC and
 * PCS/PMA, the one external IP, instantiated by the hand-written {@code boards/vcu118/fpga_vcu118.v}), one clock:
 * the subsystem's {@code tx_clk_out} at 156.25 MHz, which also clocks its receive FIFO's read side. The subsystem's
 * receive port cannot be stalled; the responder's receive port is always ready (it drops, and counts, what it cannot
 * hold). Host access: the register file over the board's USB UART ({@link UartRegisterBridge}, 115200 8N1); the host
 * frame port is left unconnected as on the ECP5 board (frames for the host are counted and dropped).
 *
 * <p>LEDs: 0 toggles at each PPS edge, 1 with each frame sent, 2 with each frame received, 3 the subsystem's receive
 * block lock, 4 a receive frame with a bad FCS seen since the last UART command.
 */
public final class Vcu118Core extends Component {
    public final Axis rx_axis;
    public final Axis tx_axis;
    public final Bool block_lock = in(new Bool());
    public final Bool pps;
    public final Bool uart_rx = in(new Bool());
    public final Bool uart_tx = out(new Bool());
    public final Bits led = out(new Bits(5));

    public Vcu118Core(ResponderDefaults d, NtsFabTop.Nts nts, long clockHz, int baud) {
        moduleName("fpga_core_vcu118");
        rx_axis = slave(new Axis(8, 1));
        tx_axis = master(new Axis(8, 1));
        pps = inDomain(NtsFabTop.PPS_DOMAIN, () -> in(new Bool()));
        NtsFabTop core = add("responder", new NtsFabTop(d, 8, nts));
        int clocksPerBit = (int) Math.round((double) clockHz / baud);
        UartRx uartIn = add("uart_in", new UartRx(clocksPerBit));
        UartTx uartOut = add("uart_out", new UartTx(clocksPerBit));
        UartRegisterBridge bridge = add("register_bridge", new UartRegisterBridge(core.s_axil_aw.payload.addr.width(), clocksPerBit * 10 * 16));

        core.rx.connectFrom(rx_axis);
        tx_axis.connectFrom(core.tx);
        core.host_rx.ready.set(true);
        core.host_tx.valid.set(false);
        core.host_tx.payload.tdata.set(0);
        core.host_tx.payload.tkeep.set(0);
        core.host_tx.payload.tlast.set(false);
        core.host_tx.payload.tuser.set(0);
        core.pps.set(pps);
        uartIn.rx.set(uart_rx);
        bridge.rx_valid.set(uartIn.valid);
        bridge.rx_data.set(uartIn.data);
        uartOut.in.connectFrom(bridge.tx);
        uart_tx.set(uartOut.tx);
        core.s_axil_aw.connectFrom(bridge.m_axil_aw);
        core.s_axil_w.connectFrom(bridge.m_axil_w);
        bridge.m_axil_b.connectFrom(core.s_axil_b);
        core.s_axil_ar.connectFrom(bridge.m_axil_ar);
        bridge.m_axil_r.connectFrom(core.s_axil_r);

        Synchronizer ppsSync = add("pps_led_sync", new Synchronizer(1, ClockDomain.main()));
        ppsSync.in.set(pps.asBits());
        Bool ppsLevel = ppsSync.out.bit(0);
        Bool ppsPrev = regNextInit(ppsLevel, 0).named("pps_prev_reg");
        Bool ppsLed = regInit(new Bool(), 0).named("pps_led_reg");
        when(ppsLevel.and(ppsPrev.not()), () -> ppsLed.set(ppsLed.not()));
        Bool txLed = regInit(new Bool(), 0).named("tx_led_reg");
        when(core.tx.fire().and(core.tx.tlast()), () -> txLed.set(txLed.not()));
        Bool rxLed = regInit(new Bool(), 0).named("rx_led_reg");
        when(rx_axis.fire().and(rx_axis.tlast()), () -> rxLed.set(rxLed.not()));
        Bool lock = regNextInit(block_lock, 0).named("block_lock_reg");
        Bool errLed = regInit(new Bool(), 0).named("rx_error_led_reg");
        when(rx_axis.fire().and(rx_axis.tlast()).and(rx_axis.tuser().bit(0)), () -> errLed.set(true))
                .elseWhen(uartIn.valid, () -> errLed.set(false));
        led.set(Bits.cat(errLed.asBits(), lock.asBits(), rxLed.asBits(), txLed.asBits(), ppsLed.asBits()));
    }
}
