package org.ntsfab.boards;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.ntsfab.hdl.Design;
import org.ntsfab.harness.SimOptions;
import org.ntsfab.harness.SimSeeds;
import org.ntsfab.harness.Testbench;
import org.ntsfab.ip.uart.AxiLiteSlaveModel;

/**
 * The board host at its ports: a host UART (8N1, {@code CLOCK / BAUD} cycles per bit, modelled bit by bit) sends
 * register commands on {@code uart_rx}; a Java AXI4-Lite slave ({@link AxiLiteSlaveModel}) answers on the master
 * port; the answers are decoded from {@code uart_tx} bit by bit. Every write lands as one AXI write of its data at
 * its address, every read returns the slave's word, error responses come back as {@code 'E'}, a junk byte and a
 * command cut short (abandoned after the inter-byte timeout of 16 byte times) change nothing; {@code command_byte}
 * pulses once per byte received, inside its stop bit; {@code pps_toggle} flips once per rising edge of {@code pps}
 * (a few cycles after it) and at no other time.
 */
class BoardHostSimTest {
    static final int CLOCK = 1_200_000, BAUD = 100_000, CPB = CLOCK / BAUD, ADDR_BITS = 12;

    /** Drives the pins one cycle at a time: the host UART's line, the PPS input, the slave. */
    static final class Pins {
        final Testbench tb;
        final AxiLiteSlaveModel slave;
        final ArrayDeque<Integer> line = new ArrayDeque<>();
        final List<long[]> sentBytes = new ArrayList<>();   // stop bit start cycle, byte
        final List<Long> ppsRises = new ArrayList<>();
        final SplittableRandom r;
        int pps, ppsLeft = 50;

        Pins(Testbench tb, AxiLiteSlaveModel slave, SplittableRandom r) {
            this.tb = tb;
            this.slave = slave;
            this.r = r;
        }

        void queueByte(int b, int idleBits) {
            long start = tb.cycle() + line.size();
            for (int bit = 0; bit < 10; bit++) {
                int level = bit == 0 ? 0 : bit == 9 ? 1 : (b >> (bit - 1)) & 1;
                for (int c = 0; c < CPB; c++) line.add(level);
            }
            for (int c = 0; c < idleBits * CPB; c++) line.add(1);
            sentBytes.add(new long[] {start + 9L * CPB, b});
        }

        void step() {
            tb.set("uart_rx", line.isEmpty() ? 1 : line.poll());
            if (--ppsLeft == 0) {
                pps ^= 1;
                ppsLeft = 3 + r.nextInt(400);
                if (pps == 1) ppsRises.add(tb.cycle());
            }
            tb.set("pps", pps);
            slave.step();
        }

        void drain() {
            while (!line.isEmpty()) step();
        }

        void idle(int cycles) {
            for (int i = 0; i < cycles; i++) step();
        }

        void send(int... bytes) {
            for (int b : bytes) queueByte(b, r.nextInt(3) == 0 ? r.nextInt(4) : 0);
            drain();
        }
    }

    @Test
    void uartCommandsReachTheRegistersAndPpsToggles() {
        Design d = Design.elaborate(() -> new BoardHost(ADDR_BITS, CLOCK, BAUD));
        long seed = SimSeeds.announce("board_host", "board_host", false);
        SplittableRandom r = new SplittableRandom(seed);
        Set<Long> errors = Set.of(0x7ffL);
        try (Testbench tb = Testbench.of(d).sink("m_axil_aw").sink("m_axil_w").sink("m_axil_ar").source("m_axil_b").source("m_axil_r")
                .build(SimOptions.fast(), seed)) {
            AxiLiteSlaveModel slave = new AxiLiteSlaveModel(tb, "m_axil", r, errors, 0.5);
            Pins p = new Pins(tb, slave, r);
            p.idle(3 * CPB);
            List<AxiLiteSlaveModel.Access> expect = new ArrayList<>();
            List<Integer> answers = new ArrayList<>();
            Map<Long, Long> shadow = new HashMap<>();
            for (int op = 0; op < 24; op++) {
                long addr = op % 7 == 3 ? 0x7ff : r.nextInt(1 << ADDR_BITS);
                boolean err = errors.contains(addr);
                int kind = op == 10 ? 2 : op == 17 ? 3 : r.nextInt(2);
                if (kind == 0) {
                    long data = r.nextLong() & 0xffffffffL;
                    p.send(0x57, (int) (addr >> 8), (int) (addr & 0xff), (int) (data >>> 24), (int) (data >>> 16 & 0xff), (int) (data >>> 8 & 0xff),
                            (int) (data & 0xff));
                    expect.add(new AxiLiteSlaveModel.Access(true, addr, data, 0, 0));
                    if (!err) shadow.put(addr, data);
                    answers.add(err ? 0x45 : 0x4B);
                } else if (kind == 1) {
                    p.send(0x52, (int) (addr >> 8), (int) (addr & 0xff));
                    long w = err ? AxiLiteSlaveModel.ERROR_DATA : shadow.getOrDefault(addr, AxiLiteSlaveModel.initial(addr));
                    expect.add(new AxiLiteSlaveModel.Access(false, addr, w, 0, 0));
                    answers.addAll(List.of(err ? 0x45 : 0x4B, (int) (w >>> 24), (int) (w >>> 16 & 0xff), (int) (w >>> 8 & 0xff), (int) (w & 0xff)));
                } else if (kind == 2) {
                    p.send(0x00);   // not a command
                } else {
                    p.send(0x57, 0x01, 0x23);   // cut short: abandoned after 16 byte times
                    p.idle(17 * 10 * CPB);
                }
                // the host waits for the answer: 1 or 5 bytes at 10 bits each, plus the AXI round trip
                p.idle(6 * 10 * CPB + 40);
            }
            p.idle(2 * 10 * CPB);
            assertTrue(tb.violations().isEmpty(), "protocol violations: " + tb.violations());

            List<AxiLiteSlaveModel.Access> got = slave.accesses();
            assertEquals(expect.size(), got.size(), "AXI accesses");
            for (int i = 0; i < expect.size(); i++) {
                assertEquals(expect.get(i).write(), got.get(i).write(), "access " + i + " kind");
                assertEquals(expect.get(i).addr(), got.get(i).addr(), "access " + i + " address");
                assertEquals(expect.get(i).data(), got.get(i).data(), "access " + i + " data");
            }
            assertEquals(answers, decode(tb, tb.plainOutIndex("uart_tx")), "answer bytes on uart_tx");

            // command_byte: one pulse per byte on uart_rx, inside its stop bit (+ the synchronizer)
            int cb = tb.plainOutIndex("command_byte");
            List<Long> pulses = new ArrayList<>();
            for (int c = 4; c < tb.plainHistory().size(); c++) if (tb.plainHistory().get(c)[cb].intValue() != 0) pulses.add((long) c);
            assertEquals(p.sentBytes.size(), pulses.size(), "command_byte pulses");
            for (int i = 0; i < pulses.size(); i++) {
                long stop = p.sentBytes.get(i)[0];
                assertTrue(pulses.get(i) > stop && pulses.get(i) <= stop + CPB + 4, "byte " + i + "'s pulse at " + pulses.get(i) + ", stop bit from " + stop);
            }

            // pps_toggle: flips once per rising edge of pps, 2..4 cycles after it
            int pt = tb.plainOutIndex("pps_toggle");
            List<Long> flips = new ArrayList<>();
            for (int c = 5; c < tb.plainHistory().size(); c++)
                if (!tb.plainHistory().get(c)[pt].equals(tb.plainHistory().get(c - 1)[pt])) flips.add((long) c);
            List<Long> rises = p.ppsRises.stream().filter(c -> c + 4 < tb.plainHistory().size()).toList();
            assertTrue(rises.size() > 20, "PPS edges in the run: " + rises.size());
            assertEquals(rises.size(), flips.size(), "pps_toggle flips");
            for (int i = 0; i < rises.size(); i++)
                assertTrue(flips.get(i) - rises.get(i) >= 2 && flips.get(i) - rises.get(i) <= 4,
                        "PPS edge at " + rises.get(i) + ", toggle at " + flips.get(i));
        }
    }

    /** Bytes on a UART line (8N1, CPB cycles per bit), sampled at the middle of each bit. */
    static List<Integer> decode(Testbench tb, int idx) {
        List<BigInteger[]> h = tb.plainHistory();
        List<Integer> out = new ArrayList<>();
        int c = 4;
        while (c < h.size()) {
            if (h.get(c)[idx].intValue() == 0 && h.get(c - 1)[idx].intValue() == 1) {
                int start = c, b = 0;
                assertEquals(0, h.get(start + CPB / 2)[idx].intValue(), "start bit at cycle " + start);
                for (int k = 0; k < 8; k++) b |= h.get(start + CPB / 2 + (k + 1) * CPB)[idx].intValue() << k;
                assertEquals(1, h.get(start + CPB / 2 + 9 * CPB)[idx].intValue(), "stop bit of the byte starting at cycle " + start);
                out.add(b);
                c = start + 9 * CPB + CPB / 2;
            } else c++;
        }
        return out;
    }
}
