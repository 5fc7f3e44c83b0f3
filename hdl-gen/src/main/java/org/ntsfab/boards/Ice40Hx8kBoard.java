package org.ntsfab.boards;

import org.ntsfab.ip.uart.UartRx;
import org.ntsfab.ip.uart.UartTx;
import org.ntsfab.ip.eth.EthMacRx8;
import org.ntsfab.ip.eth.EthMacTx8;
import org.ntsfab.ip.eth.RmiiPhy;
import org.ntsfab.hdl.Bits;
import org.ntsfab.hdl.Bool;
import org.ntsfab.hdl.ClockDomain;
import org.ntsfab.hdl.Component;
import org.ntsfab.hdl.UInt;
import org.ntsfab.hdl.lib.Synchronizer;
import org.ntsfab.responder.lite.NtpLite8;
import org.ntsfab.responder.ResponderDefaults;

/**
 * Board top-level for an iCE40-HX8K with a 100 Mb/s RMII PHY (e.g. a LAN8720 module), a PPS input and a UART from
 * the host or GNSS receiver: {@code fpga_ice40_hx8k}. Clocked by the PHY's 50 MHz REF_CLK. Inside: the RMII
 * interface, the byte-wide receive and transmit MACs and the reduced responder {@link NtpLite8}.
 *
 * <p>Setting the time (UART, 8N1 at {@code baud}): 0xA5 followed by the 32.32 NTP time (8 bytes, most significant
 * first) arms a load at the next PPS rising edge, the way a GNSS receiver announces the time of the coming pulse;
 * 0x5A followed by 8 bytes loads the time at once (labs without PPS). 0xC0 asks for the counters: 16 bytes back, four
 * 32-bit counts, most significant byte first: NTP answers, ARP answers, frames dropped (not answered), answers
 * dropped because two were already waiting. Any other first byte is ignored.
 *
 * <p>LEDs: 0 toggles at each PPS edge, 1 toggles with each answer sent, 2 is on while a PPS load is armed, 3 is on
 * once the clock has been set.
 */
public final class Ice40Hx8kBoard extends Component {
    public static final byte LOAD_AT_PPS = (byte) 0xA5, LOAD_NOW = (byte) 0x5A, REPORT = (byte) 0xC0;

    public final Bool rmii_crs_dv = in(new Bool());
    public final Bits rmii_rxd = in(new Bits(2));
    public final Bool rmii_tx_en = out(new Bool());
    public final Bits rmii_txd = out(new Bits(2));
    public final Bool pps = in(new Bool());
    public final Bool uart_rx = in(new Bool());
    public final Bool uart_tx = out(new Bool());
    public final Bits led = out(new Bits(4));

    /** The example identity (configs/ice40-hx8k.toml's) at the RMII REF_CLK of 50 MHz and 115200 baud. */
    public static Ice40Hx8kBoard example() {
        return new Ice40Hx8kBoard(ICE40, 50_000_000, 115_200);
    }

    /** configs/ice40-hx8k.toml's identity as the generator gets it: EXAMPLE's IPv4 at 50 MHz, no IPv6, nothing forwarded, no NTS. */
    private static final ResponderDefaults ICE40;
    static {
        ResponderDefaults e = ResponderDefaults.EXAMPLE;
        long step = ResponderDefaults.clockStepFor(50_000_000);
        ICE40 = new ResponderDefaults(e.mac(), true, e.ipv4(), false, java.math.BigInteger.ZERO, false, 0, false,
                e.icmpMaxPayload(), e.ttl(), e.stratum(), e.precision(), e.refid(), e.rootDelay(), e.rootDispersion(), e.synced(), step,
                false, 7);
    }

    public Ice40Hx8kBoard(ResponderDefaults d, long clockHz, int baud) {
        // fpga_ice40_hx8k (boards/ice40-hx8k/fpga_ice40_hx8k.pcf) is example()'s; another identity, clock or baud rate says so
        moduleName("fpga_ice40_hx8k" + org.ntsfab.hdl.ModuleNames.cfgTag(java.util.List.of(ICE40, 50_000_000L, 115_200), d, clockHz, baud));
        RmiiPhy phy = add("phy", new RmiiPhy());
        EthMacRx8 macRx = add("mac_rx", new EthMacRx8());
        EthMacTx8 macTx = add("mac_tx", new EthMacTx8());
        NtpLite8 core = add("responder", new NtpLite8(d));
        int clocksPerBit = (int) Math.round((double) clockHz / baud);
        UartRx uart = add("uart_rx", new UartRx(clocksPerBit));
        UartTx uartOut = add("uart_tx", new UartTx(clocksPerBit));

        phy.rmii_crs_dv.set(rmii_crs_dv);
        phy.rmii_rxd.set(rmii_rxd);
        rmii_tx_en.set(phy.rmii_tx_en);
        rmii_txd.set(phy.rmii_txd);
        macRx.phy_en.set(phy.rx_en);
        macRx.phy_dv.set(phy.rx_dv);
        macRx.phy_er.set(false);
        macRx.phy_data.set(phy.rx_data);
        core.in.connectFrom(macRx.out);
        macTx.in.connectFrom(core.out);
        macTx.phy_en.set(phy.tx_slot);
        phy.tx_dv.set(macTx.phy_dv);
        phy.tx_data.set(macTx.phy_data);
        uart.rx.set(uart_rx);

        // ---- time from the UART, loaded now or at the next PPS edge -------------------------------
        Synchronizer ppsSync = add("pps_sync", new Synchronizer(1, ClockDomain.main()));
        ppsSync.in.set(pps.asBits());
        Bool ppsLevel = ppsSync.out.bit(0);
        Bool ppsPrev = regNextInit(ppsLevel, 0).named("pps_prev_reg");
        Bool ppsEdge = let("pps_edge", ppsLevel.and(ppsPrev.not()));
        UInt count = regInit(new UInt(4), 0).named("time_bytes_reg");     // 0: waiting for a command byte
        Bool atPps = reg(new Bool()).named("command_at_pps_reg");
        Bits time = reg(new Bits(64)).named("time_reg");
        Bool armed = regInit(new Bool(), 0).named("armed_reg");
        Bool set = regInit(new Bool(), 0).named("clock_set_reg");
        Bool loadNow = wire(new Bool(), 0).named("load_now");
        Bool report = wire(new Bool(), 0).named("report_request");
        when(uart.valid, () -> when(count.eq(0), () -> {
            when(uart.data.eq(REPORT & 0xff), () -> report.set(true));
            when(uart.data.eq(LOAD_AT_PPS & 0xff).or(uart.data.eq(LOAD_NOW & 0xff)), () -> {
                count.set(1);
                atPps.set(uart.data.eq(LOAD_AT_PPS & 0xff));
            });
        }).otherwise(() -> {
            time.set(Bits.cat(time.slice(55, 0), uart.data));
            count.set(count.eq(8).mux(UInt.lit(0, 4), count.plus(1)));
            when(count.eq(8), () -> when(atPps, () -> armed.set(true)).otherwise(() -> loadNow.set(true)));
        }));
        Bool loadAtPps = let("load_at_pps", armed.and(ppsEdge));
        when(loadAtPps, () -> armed.set(false));
        Bool load = let("clock_load", loadNow.or(loadAtPps));
        // the eighth byte goes into the register in the same cycle it is loaded: take it from the UART directly then
        core.clock_load.set(load);
        core.clock_load_time.set(loadNow.mux(Bits.cat(time.slice(55, 0), uart.data), time).asUInt());
        when(load, () -> set.set(true));

        // ---- counters, reported over the UART ---------------------------------------------------------
        UInt nNtp = counter("answers_ntp_reg", core.ev_answer_ntp);
        UInt nArp = counter("answers_arp_reg", core.ev_answer_arp);
        UInt nDrop = counter("dropped_reg", core.ev_drop);
        UInt nOverload = counter("overload_reg", core.ev_overload);
        Bits out = regInit(new Bits(128), 0).named("report_reg");
        UInt left = regInit(new UInt(5), 0).named("report_bytes_left_reg");
        uartOut.in.valid.set(left.ne(0));
        uartOut.in.payload.set(out.slice(127, 120));
        when(report.and(left.eq(0)), () -> {
            out.set(Bits.cat(nNtp.asBits(), nArp.asBits(), nDrop.asBits(), nOverload.asBits()));
            left.set(16);
        }).elseWhen(uartOut.in.fire(), () -> {
            out.set(Bits.cat(out.slice(119, 0), Bits.lit(0, 8)));
            left.set(left.minus(1));
        });
        uart_tx.set(uartOut.tx);

        // ---- LEDs -------------------------------------------------------------------------------------
        Bool ppsLed = regInit(new Bool(), 0).named("pps_led_reg");
        Bool answerLed = regInit(new Bool(), 0).named("answer_led_reg");
        when(ppsEdge, () -> ppsLed.set(ppsLed.not()));
        when(core.ev_answer_ntp.or(core.ev_answer_arp), () -> answerLed.set(answerLed.not()));
        led.set(Bits.cat(set.asBits(), armed.asBits(), answerLed.asBits(), ppsLed.asBits()));
    }

    /** A 32-bit event counter (wraps). */
    private UInt counter(String name, Bool event) {
        UInt c = regInit(new UInt(32), 0).named(name);
        when(event, () -> c.set(c.plus(1)));
        return c;
    }
}
