package org.ntsfab.ip.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.ntsfab.hdl.Axis;
import org.ntsfab.hdl.Component;
import org.ntsfab.hdl.Design;
import org.ntsfab.harness.SimOptions;
import org.ntsfab.harness.SimSeeds;
import org.ntsfab.harness.Testbench;

/**
 * The 8 → 64 and 64 → 8 bit adapters, each alone and both in a row, against a model of the framing: a frame of
 * 1..1536 bytes is ceil(len / 8) beats, lane 0 first, tkeep contiguous and partial only on the last beat, tlast on
 * it; on the wide side tuser is the OR of the frame's byte tusers on its last beat (0 elsewhere), on the byte side
 * the last beat's tuser rides on the last byte. Random idle cycles and backpressure ({@code rates} 0: full rate,
 * where the timing promises are checked too: the upsizer takes a byte every cycle and its beat leaves one cycle
 * after its last byte; the downsizer shows a beat's first byte in the cycle the beat is offered and takes the beat
 * with its last byte).
 */
class AxisWidthAdapterSimTest {
    /** Both adapters in a row: bytes in, bytes out. */
    static final class RoundTrip extends Component {
        final Axis in = slave(new Axis(1, 1));
        final Axis out = master(new Axis(1, 1));

        RoundTrip() {
            moduleName("axis_width_round_trip");
            AxisWidthAdapter up = add("up", AxisWidthAdapter.up());
            AxisWidthAdapter down = add("down", AxisWidthAdapter.down());
            up.in.connectFrom(in);
            down.in.connectFrom(up.out);
            out.connectFrom(down.out);
        }
    }

    /** A frame and the tuser of each of its bytes (the wide side: only the last beat's counts). */
    record Frame(byte[] bytes, boolean[] user) {
        boolean anyUser() {
            for (boolean u : user) if (u) return true;
            return false;
        }
    }

    static List<Frame> frames(SplittableRandom r, int count, boolean userOnLastOnly) {
        List<Frame> out = new ArrayList<>();
        int[] corner = {1, 2, 7, 8, 9, 15, 16, 17, 63, 64, 65, 1535, 1536};
        for (int i = 0; i < count; i++) {
            int len = i < corner.length ? corner[i] : r.nextInt(3) == 0 ? 1536 - r.nextInt(40) : 1 + r.nextInt(r.nextBoolean() ? 80 : 1536);
            byte[] b = new byte[len];
            r.nextBytes(b);
            boolean[] u = new boolean[len];
            if (r.nextInt(3) == 0) u[userOnLastOnly ? len - 1 : r.nextInt(len)] = true;
            out.add(new Frame(b, u));
        }
        return out;
    }

    static final double[][] RATES = {{1.0, 1.0}, {0.7, 0.6}, {0.3, 0.9}, {0.95, 0.25}};

    @ParameterizedTest(name = "offer/ready {0}")
    @ValueSource(ints = {0, 1, 2, 3})
    void upsizerPacksBytesIntoBeats(int rates) {
        Design d = Design.elaborate(AxisWidthAdapter::up);
        long seed = SimSeeds.announce("axis_upsize_8_64", "up" + rates, false);
        SplittableRandom r = new SplittableRandom(seed);
        List<Frame> frames = frames(r, 80, false);
        try (Testbench tb = Testbench.of(d).source("in").sink("out").build(SimOptions.fast(), seed)) {
            tb.offerProbability("in", RATES[rates][0]);
            tb.readyProbability("out", RATES[rates][1]);
            int bytes = 0;
            for (Frame f : frames)
                for (int i = 0; i < f.bytes().length; i++, bytes++)
                    tb.push("in", f.bytes()[i] & 0xff, 1, i == f.bytes().length - 1 ? 1 : 0, f.user()[i] ? 1 : 0);
            tb.runUntilDrained(20L * bytes, 20);
            assertTrue(tb.violations().isEmpty(), "protocol violations: " + tb.violations());
            List<Testbench.Beat> got = tb.beats("out");
            List<Long> acc = tb.acceptedCycles("in");
            int beat = 0, byteNo = 0;
            for (int fi = 0; fi < frames.size(); fi++) {
                Frame f = frames.get(fi);
                int len = f.bytes().length;
                for (int off = 0; off < len; off += 8, beat++) {
                    int k = Math.min(8, len - off);
                    boolean last = off + k == len;
                    String what = "frame " + fi + " (" + len + " bytes) beat " + off / 8;
                    assertTrue(beat < got.size(), what + " missing");
                    Testbench.Beat g = got.get(beat);
                    assertEquals((1 << k) - 1, g.field(1), what + " tkeep");
                    long data = g.field(0);
                    for (int i = 0; i < k; i++) assertEquals(f.bytes()[off + i] & 0xff, (int) (data >>> (8 * i)) & 0xff, what + " byte " + i);
                    assertEquals(last ? 1 : 0, g.field(2), what + " tlast");
                    assertEquals(last && f.anyUser() ? 1 : 0, g.field(3), what + " tuser");
                    byteNo += k;
                    if (rates == 0) assertEquals(acc.get(byteNo - 1) + 1, g.cycle(), what + ": leaves the cycle after its last byte");
                }
            }
            assertEquals(beat, got.size(), "beats out");
            if (rates == 0)
                for (int i = 1; i < acc.size(); i++) assertEquals(acc.get(i - 1) + 1, acc.get(i), "byte " + i + " taken without a stall");
        }
    }

    @ParameterizedTest(name = "offer/ready {0}")
    @ValueSource(ints = {0, 1, 2, 3})
    void downsizerUnpacksBeatsIntoBytes(int rates) {
        Design d = Design.elaborate(AxisWidthAdapter::down);
        long seed = SimSeeds.announce("axis_downsize_64_8", "down" + rates, false);
        SplittableRandom r = new SplittableRandom(seed);
        List<Frame> frames = frames(r, 60, true);
        try (Testbench tb = Testbench.of(d).source("in").sink("out").build(SimOptions.fast(), seed)) {
            tb.offerProbability("in", RATES[rates][0]);
            tb.readyProbability("out", RATES[rates][1]);
            List<Integer> beatLens = new ArrayList<>();
            int bytes = 0;
            for (Frame f : frames) {
                int len = f.bytes().length;
                for (int off = 0; off < len; off += 8) {
                    int k = Math.min(8, len - off);
                    long data = r.nextLong();   // lanes past tkeep are junk, the adapter must not send them
                    for (int i = 0; i < k; i++) data = data & ~(0xffL << (8 * i)) | (f.bytes()[off + i] & 0xffL) << (8 * i);
                    boolean last = off + k == len;
                    tb.push("in", data, (1 << k) - 1, last ? 1 : 0, last && f.anyUser() ? 1 : 0);
                    beatLens.add(k);
                    bytes += k;
                }
            }
            tb.runUntilDrained(20L * bytes, 20);
            assertTrue(tb.violations().isEmpty(), "protocol violations: " + tb.violations());
            List<Testbench.Beat> got = tb.beats("out");
            assertEquals(bytes, got.size(), "bytes out");
            int i = 0;
            for (int fi = 0; fi < frames.size(); fi++) {
                Frame f = frames.get(fi);
                for (int b = 0; b < f.bytes().length; b++, i++) {
                    Testbench.Beat g = got.get(i);
                    boolean last = b == f.bytes().length - 1;
                    String what = "frame " + fi + " byte " + b;
                    assertEquals(f.bytes()[b] & 0xff, g.field(0), what);
                    assertEquals(1, g.field(1), what + " tkeep");
                    assertEquals(last ? 1 : 0, g.field(2), what + " tlast");
                    assertEquals(last && f.anyUser() ? 1 : 0, g.field(3), what + " tuser");
                }
            }
            // a beat is accepted with its last byte; at full rate its first byte leaves the cycle it is offered
            List<Long> acc = tb.acceptedCycles("in");
            int first = 0;
            for (int b = 0; b < beatLens.size(); b++) {
                int lastByte = first + beatLens.get(b) - 1;
                assertEquals(got.get(lastByte).cycle(), acc.get(b), "beat " + b + " accepted with its last byte");
                if (rates == 0 && b > 0) assertEquals(acc.get(b - 1) + 1, got.get(first).cycle(), "beat " + b + "'s first byte leaves at once");
                first += beatLens.get(b);
            }
        }
    }

    @ParameterizedTest(name = "offer/ready {0}")
    @ValueSource(ints = {0, 1, 3})
    void roundTripGivesBackTheFrames(int rates) {
        Design d = Design.elaborate(RoundTrip::new);
        long seed = SimSeeds.announce("axis_width_round_trip", "trip" + rates, false);
        SplittableRandom r = new SplittableRandom(seed);
        List<Frame> frames = frames(r, 60, false);
        try (Testbench tb = Testbench.of(d).source("in").sink("out").build(SimOptions.fast(), seed)) {
            tb.offerProbability("in", RATES[rates][0]);
            tb.readyProbability("out", RATES[rates][1]);
            int bytes = 0;
            for (Frame f : frames)
                for (int i = 0; i < f.bytes().length; i++, bytes++)
                    tb.push("in", f.bytes()[i] & 0xff, 1, i == f.bytes().length - 1 ? 1 : 0, f.user()[i] ? 1 : 0);
            tb.runUntilDrained(20L * bytes, 40);
            assertTrue(tb.violations().isEmpty(), "protocol violations: " + tb.violations());
            List<Testbench.Beat> got = tb.beats("out");
            assertEquals(bytes, got.size(), "bytes out");
            int i = 0;
            for (int fi = 0; fi < frames.size(); fi++) {
                Frame f = frames.get(fi);
                for (int b = 0; b < f.bytes().length; b++, i++) {
                    boolean last = b == f.bytes().length - 1;
                    assertEquals(f.bytes()[b] & 0xff, got.get(i).field(0), "frame " + fi + " byte " + b);
                    assertEquals(last ? 1 : 0, got.get(i).field(2), "frame " + fi + " byte " + b + " tlast");
                    assertEquals(last && f.anyUser() ? 1 : 0, got.get(i).field(3), "frame " + fi + " byte " + b + " tuser");
                }
            }
        }
    }
}
