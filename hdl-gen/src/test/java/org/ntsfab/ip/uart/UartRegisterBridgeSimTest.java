package org.ntsfab.ip.uart;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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

/**
 * The UART register bridge at its byte ports against a host model and a Java AXI4-Lite slave
 * ({@link AxiLiteSlaveModel}) on its master port. The host sends {@code 'W' addr16 data32} and {@code 'R' addr16}
 * (most significant byte first) with random gaps between bytes up to the inter-byte timeout, and waits for the
 * answer: {@code 'K'} (OKAY) or {@code 'E'} (SLVERR) for a write, the same and the word (most significant byte first)
 * for a read. Each command makes exactly one AXI access at the address's low 12 bits with the command's data and
 * full strobes; other bytes are ignored; a command whose bytes stop for longer than the timeout is abandoned (no
 * access, no answer; its late bytes are then ignored as non-commands) and the next command works; bytes sent while
 * a command is being served are dropped.
 */
class UartRegisterBridgeSimTest {
    static final int TIMEOUT = 40, ADDR_BITS = 12;

    @Test
    void commandsBecomeAxiAccessesAndAnswers() {
        Design d = Design.elaborate(() -> new UartRegisterBridge(ADDR_BITS, TIMEOUT));
        long seed = SimSeeds.announce("uart_register_bridge", "bridge", false);
        SplittableRandom r = new SplittableRandom(seed);
        Set<Long> errors = Set.of(0xbadL, 0x0f0L);
        try (Testbench tb = Testbench.of(d).sink("tx").sink("m_axil_aw").sink("m_axil_w").sink("m_axil_ar")
                .source("m_axil_b").source("m_axil_r").build(SimOptions.fast(), seed)) {
            tb.readyProbability("tx", 0.5);
            AxiLiteSlaveModel slave = new AxiLiteSlaveModel(tb, "m_axil", r, errors, 0.6);
            Host h = new Host(tb, slave);
            List<AxiLiteSlaveModel.Access> expect = new ArrayList<>();
            List<Integer> answers = new ArrayList<>();
            Map<Long, Long> shadow = new HashMap<>();
            h.idle(5);
            for (int op = 0; op < 220; op++) {
                int kind = r.nextInt(12);
                long addr16 = r.nextInt(1 << 16);
                if (r.nextInt(5) == 0) addr16 = (addr16 & 0xf000) | new long[] {0xbad, 0x0f0, 0x000, 0xfff}[r.nextInt(4)];
                long addr = addr16 & ((1 << ADDR_BITS) - 1);
                boolean err = errors.contains(addr);
                if (kind < 5) { // write
                    long data = r.nextLong() & 0xffffffffL;
                    h.send(r, 0x57, addr16 >> 8, addr16 & 0xff, data >>> 24, data >>> 16 & 0xff, data >>> 8 & 0xff, data & 0xff);
                    if (kind == 0) h.sendNow(0x52);   // a command byte while this one is served: dropped
                    expect.add(new AxiLiteSlaveModel.Access(true, addr, data, err ? 2 : 0, 0));
                    if (!err) shadow.put(addr, data);
                    int status = err ? 0x45 : 0x4B;
                    answers.add(status);
                    h.awaitAnswer(answers.size());
                } else if (kind < 9) { // read
                    h.send(r, 0x52, addr16 >> 8, addr16 & 0xff);
                    if (kind == 5) h.sendNow(0x57);
                    long word = err ? AxiLiteSlaveModel.ERROR_DATA : shadow.getOrDefault(addr, AxiLiteSlaveModel.initial(addr));
                    expect.add(new AxiLiteSlaveModel.Access(false, addr, word, err ? 2 : 0, 0));
                    List<Integer> a = List.of(err ? 0x45 : 0x4B, (int) (word >>> 24), (int) (word >>> 16 & 0xff), (int) (word >>> 8 & 0xff), (int) (word & 0xff));
                    answers.addAll(a);
                    h.awaitAnswer(answers.size());
                } else if (kind == 9) { // junk: not a command
                    int b;
                    do b = r.nextInt(256); while (b == 0x57 || b == 0x52);
                    h.send(r, b);
                    h.quiet(3 * TIMEOUT);
                } else { // a command cut short: timeout, then its late bytes (none a command byte) are ignored
                    boolean write = kind == 10;
                    int args = 1 + r.nextInt(write ? 5 : 1);
                    int[] bytes = new int[1 + args];
                    bytes[0] = write ? 0x57 : 0x52;
                    for (int i = 1; i <= args; i++) do bytes[i] = r.nextInt(256); while (bytes[i] == 0x57 || bytes[i] == 0x52);
                    h.send(r, bytes);
                    h.idle(TIMEOUT + 1 + r.nextInt(5));
                    int rest = (write ? 7 : 3) - 1 - args;
                    for (int i = 0; i < rest; i++) {
                        int b;
                        do b = r.nextInt(256); while (b == 0x57 || b == 0x52);
                        h.send(r, b);
                    }
                    h.quiet(3 * TIMEOUT);
                }
                h.idle(r.nextInt(4));
            }
            h.quiet(3 * TIMEOUT);
            assertTrue(tb.violations().isEmpty(), "protocol violations: " + tb.violations());
            List<AxiLiteSlaveModel.Access> got = slave.accesses();
            assertEquals(expect.size(), got.size(), "AXI accesses");
            for (int i = 0; i < expect.size(); i++) {
                AxiLiteSlaveModel.Access e = expect.get(i), g = got.get(i);
                assertEquals(e.write(), g.write(), "access " + i + " kind (cycle " + g.cycle() + ")");
                assertEquals(e.addr(), g.addr(), "access " + i + " address");
                assertEquals(e.data(), g.data(), "access " + i + " data");
            }
            List<Integer> tx = new ArrayList<>();
            for (Testbench.Beat b : tb.beats("tx")) tx.add((int) b.field(0));
            assertEquals(answers, tx, "answer bytes");
        }
    }

    /** The host side: bytes on rx_valid/rx_data, the slave stepped every cycle. */
    static final class Host {
        final Testbench tb;
        final AxiLiteSlaveModel slave;

        Host(Testbench tb, AxiLiteSlaveModel slave) {
            this.tb = tb;
            this.slave = slave;
        }

        void idle(int cycles) {
            for (int i = 0; i < cycles; i++) slave.step();
        }

        /** One byte in the next cycle. */
        void sendNow(long b) {
            tb.set("rx_valid", 1);
            tb.set("rx_data", b & 0xff);
            slave.step();
            tb.set("rx_valid", 0);
        }

        /** Bytes with gaps of 0..TIMEOUT idle cycles between them (the timeout itself now and then). */
        void send(SplittableRandom r, long... bytes) {
            for (int i = 0; i < bytes.length; i++) {
                if (i > 0) {
                    int k = r.nextInt(8);
                    idle(k == 0 ? TIMEOUT : k == 1 ? TIMEOUT - 1 : k < 4 ? 0 : r.nextInt(TIMEOUT));
                }
                sendNow(bytes[i]);
            }
        }

        void send(SplittableRandom r, int... bytes) {
            long[] b = new long[bytes.length];
            for (int i = 0; i < b.length; i++) b[i] = bytes[i];
            send(r, b);
        }

        /** Waits until {@code total} answer bytes have come (at most a few hundred cycles), then checks no more come. */
        void awaitAnswer(int total) {
            long limit = tb.cycle() + 400;
            while (tb.beats("tx").size() < total && tb.cycle() < limit) slave.step();
            assertEquals(total, tb.beats("tx").size(), "answer bytes by cycle " + tb.cycle());
            quiet(20);
        }

        /** Runs {@code cycles} cycles, checking the bridge sends nothing. */
        void quiet(int cycles) {
            int n = tb.beats("tx").size();
            idle(cycles);
            assertEquals(n, tb.beats("tx").size(), "answer bytes nobody asked for, by cycle " + tb.cycle());
        }
    }
}
