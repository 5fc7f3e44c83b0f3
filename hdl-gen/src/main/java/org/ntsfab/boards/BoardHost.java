package org.ntsfab.boards;

import org.ntsfab.ip.uart.UartRegisterBridge;
import org.ntsfab.ip.uart.UartRx;
import org.ntsfab.ip.uart.UartTx;
import org.ntsfab.hdl.Bool;
import org.ntsfab.hdl.ClockDomain;
import org.ntsfab.hdl.Component;
import org.ntsfab.hdl.lib.Synchronizer;
import org.ntsfab.ip.axil.AxiLite;
import org.ntsfab.responder.top.NtsFabTop;

/**
 * What a board without a CPU puts beside {@code ntsfab_top} ({@code board_host_a<address bits>_<clocks per bit>}): the
 * register file's host over a UART (receiver, transmitter and {@link UartRegisterBridge}, 8N1 at {@code baud}), and the
 * board's status signals for LEDs: a toggle per PPS rising edge and {@code command_byte}, a pulse per UART byte received
 * (boards clear sticky error LEDs with it). {@link #attach} wires it to the responder and closes the host frame port.
 */
public final class BoardHost extends Component {
    public final Bool uart_rx = in(new Bool());
    public final Bool uart_tx = out(new Bool());
    public final Bool pps;
    public final Bool pps_toggle = out(new Bool());
    public final Bool command_byte = out(new Bool());
    /** The AXI4-Lite master to the register file ({@code m_axil_awvalid}, ...: AMBA names). */
    public final AxiLite m_axil;

    public BoardHost(int addrBits, long clockHz, int baud) {
        pps = inDomain(NtsFabTop.PPS_DOMAIN, () -> in(new Bool()));
        m_axil = master(new AxiLite(addrBits));
        int clocksPerBit = (int) Math.round((double) clockHz / baud);
        moduleName("board_host_a" + addrBits + "_" + clocksPerBit);
        UartRx uartIn = add("uart_in", new UartRx(clocksPerBit));
        UartTx uartOut = add("uart_out", new UartTx(clocksPerBit));
        UartRegisterBridge bridge = add("register_bridge", new UartRegisterBridge(addrBits, clocksPerBit * 10 * 16));
        uartIn.rx.set(uart_rx);
        bridge.rx_valid.set(uartIn.valid);
        bridge.rx_data.set(uartIn.data);
        uartOut.in.connectFrom(bridge.tx);
        uart_tx.set(uartOut.tx);
        command_byte.set(uartIn.valid);
        m_axil.connectFrom(bridge.m_axil);

        Synchronizer ppsSync = add("pps_sync", new Synchronizer(1, ClockDomain.main()));
        ppsSync.in.set(pps.asBits());
        Bool ppsLevel = ppsSync.out.bit(0);
        Bool ppsPrev = regNextInit(ppsLevel, 0).named("pps_prev_reg");
        Bool toggle = regInit(new Bool(), 0).named("pps_toggle_reg");
        when(ppsLevel.and(ppsPrev.not()), () -> toggle.set(toggle.not()));
        pps_toggle.set(toggle);
    }

    /** A host for {@code core}'s register file. */
    public static BoardHost forCore(NtsFabTop core, long clockHz, int baud) {
        return new BoardHost(core.s_axil.addressBits(), clockHz, baud);
    }

    /**
     * Wires {@code host} (added by the caller) to {@code core}: registers, PPS (the board's pin to both) and the host frame
     * port closed: frames for the host are counted by the responder and dropped, none are sent.
     */
    public static void attach(NtsFabTop core, BoardHost host, Bool boardPps, Bool uartRx, Bool uartTx) {
        core.s_axil.connectFrom(host.m_axil);
        core.host_rx.ready.set(true);
        core.host_tx.valid.set(false);
        core.host_tx.payload.tdata.set(0);
        core.host_tx.payload.tkeep.set(0);
        core.host_tx.payload.tlast.set(false);
        core.host_tx.payload.tuser.set(0);
        core.pps.set(boardPps);
        host.pps.set(boardPps);
        host.uart_rx.set(uartRx);
        uartTx.set(host.uart_tx);
    }
}
