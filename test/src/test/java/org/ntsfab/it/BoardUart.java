package org.ntsfab.it;

import org.ntsfab.harness.Testbench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.List;
import org.ntsfab.ip.uart.UartRegisterBridge;
import org.ntsfab.sim.host.RegisterPort;

/**
 * The host's side of a board's UART in a testbench: 8N1 bytes on {@code uart_rx} at {@code bitCycles} clock cycles
 * per bit, and the bytes coming back on {@code uart_tx}, sampled mid-bit (an independent UART model); on a board with
 * the UART register bridge, the register file's {@link RegisterPort}.
 */
final class BoardUart implements RegisterPort {
    private final Testbench tb;
    private final int bit;

    BoardUart(Testbench tb, int bitCycles) {
        this.tb = tb;
        this.bit = bitCycles;
    }

    void send(int b) {
        tb.set("uart_rx", 0);
        tb.run(bit);
        for (int i = 0; i < 8; i++) {
            tb.set("uart_rx", (b >> i) & 1);
            tb.run(bit);
        }
        tb.set("uart_rx", 1);
        tb.run(bit);
    }

    /** The bytes sent on {@code uart_tx} from cycle {@code from} on. */
    byte[] received(long from) {
        int idx = tb.plainOutIndex("uart_tx");
        List<BigInteger[]> h = tb.plainHistory();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        long c = Math.max(1, from);
        while (c + 10L * bit < h.size()) {
            if (h.get((int) c - 1)[idx].signum() != 0 && h.get((int) c)[idx].signum() == 0) {
                int b = 0;
                for (int i = 0; i < 8; i++) if (h.get((int) (c + (long) bit * (3 + 2 * i) / 2))[idx].signum() != 0) b |= 1 << i;
                assertEquals(1, h.get((int) (c + (long) bit * 19 / 2))[idx].intValue(), "stop bit at cycle " + c);
                out.write(b);
                c += 10L * bit - bit / 2;
            } else {
                c++;
            }
        }
        return out.toByteArray();
    }

    /** A register write: 'W', address, data; the bridge answers 'K'. */
    @Override
    public void write(int addr, long value) {
        long from = tb.cycle();
        send(UartRegisterBridge.WRITE);
        send(addr >> 8);
        send(addr & 0xff);
        for (int i = 3; i >= 0; i--) send((int) (value >>> (8 * i)) & 0xff);
        tb.run(12L * bit);
        assertArrayEquals(new byte[] {UartRegisterBridge.OK}, received(from), "write of 0x" + Integer.toHexString(addr) + " answered");
    }

    /** A register read: 'R', address; the bridge answers 'K' and the word. */
    @Override
    public long read(int addr) {
        long from = tb.cycle();
        send(UartRegisterBridge.READ);
        send(addr >> 8);
        send(addr & 0xff);
        tb.run(52L * bit);
        byte[] got = received(from);
        assertEquals(5, got.length, "read of 0x" + Integer.toHexString(addr) + ": " + Arrays.toString(got));
        assertEquals(UartRegisterBridge.OK, got[0]);
        return java.nio.ByteBuffer.wrap(got, 1, 4).getInt() & 0xffffffffL;
    }
}
