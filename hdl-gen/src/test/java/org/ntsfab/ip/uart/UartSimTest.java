package org.ntsfab.ip.uart;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.ntsfab.hdl.Bits;
import org.ntsfab.hdl.Bool;
import org.ntsfab.hdl.Component;
import org.ntsfab.hdl.Design;
import org.ntsfab.hdl.Stream;
import org.ntsfab.harness.SimOptions;
import org.ntsfab.harness.SimSeeds;
import org.ntsfab.harness.Testbench;

/**
 * The UART transmitter and receiver against a bit-level model of 8N1 framing (a low start bit, 8 data bits least
 * significant first, a high stop bit, {@code clocksPerBit} cycles each, the line idling high):
 * <ul>
 * <li>{@link UartTx}: its line, cycle by cycle, is exactly the model's waveform for the bytes it took, each frame
 *     starting the cycle after the byte was taken; waiting bytes follow with at most one idle cycle.
 * <li>{@link UartRx}: a line driven by the model, with the sender's bit time off by up to ±2.5 %, random idle
 *     between bytes (none too), low stop bits (a {@code framing_error} pulse, no byte) and short low glitches on
 *     the idle line (nothing): every byte delivered once, with one {@code valid} pulse inside its stop bit.
 * <li>both in a row: a byte stream goes through unchanged.
 * </ul>
 */
class UartSimTest {
    static final int RESET = 4;

    /** Transmitter then receiver at the same rate. */
    static final class Loop extends Component {
        final Stream<Bits> in;
        final Bool valid = out(new Bool());
        final Bits data = out(new Bits(8));
        final Bool framing_error = out(new Bool());
        final Bool line = out(new Bool());

        Loop(int clocksPerBit) {
            moduleName("uart_loop_" + clocksPerBit);
            in = slave(new Stream<>(new Bits(8), "valid", "ready"));
            UartTx tx = add("uart_tx", new UartTx(clocksPerBit));
            UartRx rx = add("uart_rx", new UartRx(clocksPerBit));
            tx.in.connectFrom(in);
            rx.rx.set(tx.tx);
            line.set(tx.tx);
            valid.set(rx.valid);
            data.set(rx.data);
            framing_error.set(rx.framing_error);
        }
    }

    @ParameterizedTest(name = "{0} clocks per bit")
    @ValueSource(ints = {4, 13})
    void transmitterLineIsTheModelsWaveform(int cpb) {
        Design d = Design.elaborate(() -> new UartTx(cpb));
        long seed = SimSeeds.announce("uart_tx_" + cpb, "tx" + cpb, false);
        SplittableRandom r = new SplittableRandom(seed);
        List<Integer> bytes = new ArrayList<>(List.of(0x00, 0xff, 0x55, 0xaa, 0x01, 0x80));
        for (int i = 0; i < 250; i++) bytes.add(r.nextInt(256));
        try (Testbench tb = Testbench.of(d).source("in").build(SimOptions.fast(), seed)) {
            for (int b : bytes) tb.push("in", b);
            // bursts (back to back) and pauses
            tb.offerWhen("in", c -> (c / (cpb * 60L)) % 3 != 2 || (c % 7 == 0));
            tb.runUntilDrained(bytes.size() * 40L * cpb, 12 * cpb);
            List<Long> acc = tb.acceptedCycles("in");
            int lineIdx = tb.plainOutIndex("tx");
            int n = tb.plainHistory().size();
            int[] expect = new int[n];
            java.util.Arrays.fill(expect, 1);
            for (int i = 0; i < bytes.size(); i++) {
                long s = acc.get(i) + 1;
                if (i > 0) {
                    long prevEnd = acc.get(i - 1) + 1 + 10L * cpb;
                    assertTrue(s >= prevEnd, "byte " + i + " starts before byte " + (i - 1) + "'s stop bit ended");
                    // a byte waiting when the line is free is taken at once (at most one idle cycle after a stop bit)
                    if (waitedFrom(tb, i, acc, cpb) <= prevEnd)
                        assertTrue(s <= prevEnd + 1, "byte " + i + " waited: starts " + (s - prevEnd) + " cycles after the line was free");
                }
                for (int bit = 0; bit < 10; bit++) {
                    int level = bit == 0 ? 0 : bit == 9 ? 1 : (bytes.get(i) >> (bit - 1)) & 1;
                    for (int c = 0; c < cpb; c++) if (s + bit * (long) cpb + c < n) expect[(int) (s + bit * (long) cpb + c)] = level;
                }
            }
            for (int c = RESET; c < n; c++)
                if (expect[c] != tb.plainHistory().get(c)[lineIdx].intValue())
                    throw tb.mismatch("tx line at cycle " + c + ": expected " + expect[c], c);
        }
    }

    /** The cycle byte i was first offered: the first cycle after byte i - 1 was taken that its offer pattern allows. */
    static long waitedFrom(Testbench tb, int i, List<Long> acc, int cpb) {
        long c = acc.get(i - 1) + 1;
        while ((c / (cpb * 60L)) % 3 == 2 && c % 7 != 0) c++;
        return c;
    }

    /** What the receiver should report for one thing on the line. */
    record Event(long stopStart, long stopEnd, int data, boolean framingError) {}

    @ParameterizedTest(name = "{0} clocks per bit")
    @ValueSource(ints = {8, 13})
    void receiverDeliversWhatTheLineCarries(int cpb) {
        Design d = Design.elaborate(() -> new UartRx(cpb));
        long seed = SimSeeds.announce("uart_rx_" + cpb, "rx" + cpb, false);
        SplittableRandom r = new SplittableRandom(seed);
        try (Testbench tb = Testbench.of(d).build(SimOptions.fast(), seed)) {
            List<Event> events = new ArrayList<>();
            tb.set("rx", 1);
            tb.run(3 * cpb);
            for (int i = 0; i < 300; i++) {
                int kind = r.nextInt(10);
                if (kind == 0) { // a glitch: shorter than half a bit, on the idle line
                    tb.set("rx", 0);
                    tb.run(1 + r.nextInt(cpb / 2 - 1));
                    tb.set("rx", 1);
                    tb.run(cpb + r.nextInt(cpb));
                    continue;
                }
                int data = i < 4 ? new int[] {0, 0xff, 0x55, 0xaa}[i] : r.nextInt(256);
                boolean badStop = kind == 1;
                // the sender's clock, ±2.5 % (nominal for a low stop bit, so the line is high again when the receiver looks
                // for the next start bit at the middle of what would be the next bit)
                double bitTime = badStop ? cpb : cpb * (1 + (r.nextDouble() - 0.5) * 0.05);
                long start = tb.cycle();
                long[] edge = new long[11];
                for (int k = 0; k <= 10; k++) edge[k] = start + Math.round(k * bitTime);
                for (int bit = 0; bit < 10; bit++) {
                    int level = bit == 0 ? 0 : bit == 9 ? (badStop ? 0 : 1) : (data >> (bit - 1)) & 1;
                    tb.set("rx", level);
                    tb.run(edge[bit + 1] - edge[bit]);
                }
                events.add(new Event(edge[9], edge[10], data, badStop));
                tb.set("rx", 1);
                // back to back most of the time; after a low stop bit the line must be seen idle again
                int idle = badStop ? 2 * cpb : r.nextInt(3) == 0 ? 0 : r.nextInt(3 * cpb);
                if (idle > 0) tb.run(idle);
            }
            tb.run(3 * cpb);
            int v = tb.plainOutIndex("valid"), dt = tb.plainOutIndex("data"), fe = tb.plainOutIndex("framing_error");
            List<long[]> got = new ArrayList<>();   // cycle, data, framing error
            for (int c = RESET; c < tb.plainHistory().size(); c++) {
                BigInteger[] row = tb.plainHistory().get(c);
                if (row[v].intValue() != 0 || row[fe].intValue() != 0) {
                    assertTrue(row[v].intValue() == 0 || row[fe].intValue() == 0, "valid and framing_error together at cycle " + c);
                    got.add(new long[] {c, row[dt].intValue(), row[fe].intValue()});
                }
            }
            assertEquals(events.size(), got.size(), "bytes and framing errors reported");
            for (int i = 0; i < events.size(); i++) {
                Event e = events.get(i);
                long[] g = got.get(i);
                String what = "event " + i + " (stop bit " + e.stopStart() + ".." + e.stopEnd() + ")";
                assertEquals(e.framingError() ? 1 : 0, g[2], what + ": framing error");
                if (!e.framingError()) assertEquals(e.data(), g[1], what + ": data");
                assertTrue(g[0] > e.stopStart() && g[0] <= e.stopEnd() + 4, what + ": reported at cycle " + g[0]);
            }
        }
    }

    @ParameterizedTest(name = "{0} clocks per bit")
    @ValueSource(ints = {5, 16})
    void bytesGoRoundTrip(int cpb) {
        Design d = Design.elaborate(() -> new Loop(cpb));
        long seed = SimSeeds.announce("uart_loop_" + cpb, "loop" + cpb, false);
        SplittableRandom r = new SplittableRandom(seed);
        List<Integer> bytes = new ArrayList<>();
        for (int i = 0; i < 400; i++) bytes.add(r.nextInt(256));
        try (Testbench tb = Testbench.of(d).source("in").flow("rx", "valid", "data").build(SimOptions.fast(), seed)) {
            tb.offerProbability("in", 0.3);
            for (int b : bytes) tb.push("in", b);
            tb.runUntilDrained(bytes.size() * 60L * cpb, 12 * cpb);
            List<Testbench.Beat> got = tb.beats("rx");
            assertEquals(bytes.size(), got.size(), "bytes received");
            for (int i = 0; i < bytes.size(); i++) assertEquals((long) bytes.get(i), got.get(i).field(0), "byte " + i);
            int fe = tb.plainOutIndex("framing_error");
            assertTrue(tb.plainHistory().stream().allMatch(row -> row[fe].intValue() == 0), "no framing error");
        }
    }
}
