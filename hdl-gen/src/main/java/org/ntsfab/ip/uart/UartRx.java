package org.ntsfab.ip.uart;

import org.ntsfab.hdl.Bits;
import org.ntsfab.hdl.Bool;
import org.ntsfab.hdl.ClockDomain;
import org.ntsfab.hdl.Component;
import org.ntsfab.hdl.UInt;
import org.ntsfab.hdl.lib.Synchronizer;

/**
 * UART receiver, 8 data bits, no parity, one stop bit, {@code clocksPerBit} clock cycles per bit. The line is
 * asynchronous and crosses through a declared two-flop synchronizer; a start bit is confirmed at its middle, each
 * data bit sampled at its middle, and a byte is delivered ({@code valid} for one cycle) only with a high stop bit
 * ({@code framing_error} pulses otherwise).
 */
public final class UartRx extends Component {
    public final Bool rx = in(new Bool());
    public final Bool valid = out(new Bool());
    public final Bits data = out(new Bits(8));
    public final Bool framing_error = out(new Bool());

    public UartRx(int clocksPerBit) {
        if (clocksPerBit < 4) throw new IllegalArgumentException("at least 4 clocks per bit");
        moduleName("uart_rx_" + clocksPerBit);
        Synchronizer sync = add("sync", new Synchronizer(1, ClockDomain.main()));
        sync.in.set(rx.asBits());
        Bool line = sync.out.bit(0);
        int w = 32 - Integer.numberOfLeadingZeros(clocksPerBit);
        UInt timer = regInit(new UInt(w), 0).named("bit_timer_reg");
        UInt bit = regInit(new UInt(4), 0).named("bit_index_reg");   // 0 idle, 1 start, 2..9 data, 10 stop
        Bits shift = reg(new Bits(8)).named("shift_reg");
        Bool vOut = regInit(new Bool(), 0).named("valid_reg");
        Bool ferr = regInit(new Bool(), 0).named("framing_error_reg");
        vOut.set(false);
        ferr.set(false);
        when(bit.eq(0), () -> when(line.not(), () -> {
            bit.set(1);
            timer.set(clocksPerBit / 2);
        })).elseWhen(timer.ne(0), () -> timer.set(timer.minus(1))).otherwise(() -> {
            // the middle of a bit
            timer.set(clocksPerBit - 1);
            bit.set(bit.plus(1));
            when(bit.eq(1).and(line), () -> bit.set(0));   // a glitch, not a start bit
            when(bit.ge(2).and(bit.le(9)), () -> shift.set(Bits.cat(line.asBits(), shift.slice(7, 1))));
            when(bit.eq(10), () -> {
                bit.set(0);
                when(line, () -> vOut.set(true)).otherwise(() -> ferr.set(true));
            });
        });
        valid.set(vOut);
        data.set(shift);
        framing_error.set(ferr);
    }
}
