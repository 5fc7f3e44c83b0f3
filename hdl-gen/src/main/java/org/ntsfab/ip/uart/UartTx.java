package org.ntsfab.ip.uart;

import org.ntsfab.hdl.Bits;
import org.ntsfab.hdl.Bool;
import org.ntsfab.hdl.Component;
import org.ntsfab.hdl.Stream;
import org.ntsfab.hdl.UInt;

/**
 * UART transmitter, 8 data bits, no parity, one stop bit, {@code clocksPerBit} clock cycles per bit: a byte taken
 * from {@code in} goes out least significant bit first between a start bit and a stop bit; the line idles high
 * (registered output).
 */
public final class UartTx extends Component {
    public final Stream<Bits> in;
    public final Bool tx = out(new Bool());

    public UartTx(int clocksPerBit) {
        moduleName("uart_tx_" + clocksPerBit);
        in = slave(new Stream<>(new Bits(8), "valid", "ready"));
        int w = 32 - Integer.numberOfLeadingZeros(clocksPerBit);
        UInt timer = regInit(new UInt(w), 0).named("bit_timer_reg");
        UInt bit = regInit(new UInt(4), 0).named("bit_index_reg");   // 0 idle, 1 start, 2..9 data, 10 stop
        Bits shift = regInit(new Bits(8), 0).named("shift_reg");
        Bool line = regInit(new Bool(), 1).named("line_reg");
        in.ready.set(bit.eq(0));
        when(in.fire(), () -> {
            shift.set(in.payload);
            bit.set(1);
            timer.set(clocksPerBit - 1);
            line.set(false);
        }).elseWhen(bit.ne(0), () -> when(timer.ne(0), () -> timer.set(timer.minus(1))).otherwise(() -> {
            timer.set(clocksPerBit - 1);
            bit.set(bit.eq(10).mux(UInt.lit(0, 4), bit.plus(1)));
            when(bit.le(8), () -> {
                line.set(shift.bit(0));
                shift.set(Bits.cat(Bits.lit(0, 1), shift.slice(7, 1)));
            }).elseWhen(bit.eq(9), () -> line.set(true));
        }));
        tx.set(line);
    }
}
