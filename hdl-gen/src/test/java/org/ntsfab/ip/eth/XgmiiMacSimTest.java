package org.ntsfab.ip.eth;

import org.ntsfab.harness.EthernetWire;

import org.ntsfab.harness.SimOptions;
import org.ntsfab.harness.SimSeeds;
import org.ntsfab.harness.Testbench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.ntsfab.gen.LibraryTops;
import org.ntsfab.hdl.Design;
import org.ntsfab.harness.AxisFrames;

/**
 * The 64-bit XGMII MACs against a Java model of IEEE 802.3 clause 46 (the wire bytes of a frame are those of
 * {@link EthernetWire#wire}: preamble, SFD, frame padded to 60 bytes, FCS from {@code java.util.zip.CRC32}; on XGMII
 * the first preamble byte is /S/ in lane 0 or 4 and the frame ends with /T/, idles /I/ between).
 *
 * <p>Transmit, saturated with 400 random frames: every frame appears once, in order, exactly as the model says, starting
 * in lane 0 or 4; every byte between frames is an idle; gaps (/T/ included) are 9..15 bytes and average 12 (the deficit idle count),
 * so the port runs at line rate; aborted frames carry /E/. Receive: a stream with random lane-0/lane-4 starts, gaps
 * of 5..20 bytes, corrupted FCSs, /E/ inside frames and fragments gives back exactly the frames the wire carries,
 * errored ones marked on their last beat, fragments dropped.
 */
class XgmiiMacSimTest {
    static final int S = 0xFB, T = 0xFD, I = 0x07, E = 0xFE;

    /** One XGMII byte: value and control flag. */
    record Lane(int value, boolean ctl) {}

    static List<Lane> lanes(List<BigInteger[]> rows, int dIdx, int cIdx, long from) {
        List<Lane> out = new ArrayList<>();
        for (int c = (int) from; c < rows.size(); c++) {
            BigInteger d = rows.get(c)[dIdx];
            int ctl = rows.get(c)[cIdx].intValue();
            for (int l = 0; l < 8; l++) out.add(new Lane(d.shiftRight(8 * l).intValue() & 0xff, (ctl >> l & 1) != 0));
        }
        return out;
    }

    @Test
    void transmitterSendsTheWireModelsFramesAtLineRate() {
        Design d = LibraryTops.elaborate("xgmii_mac_tx_64");
        long seed = SimSeeds.announce("xgmii_mac_tx_64", "wire", false);
        SplittableRandom r = new SplittableRandom(seed);
        List<byte[]> frames = new ArrayList<>();
        List<Boolean> aborted = new ArrayList<>();
        for (int i = 0; i < 400; i++) {
            frames.add(EthMacSimTest.randomFrame(r, 1514));
            aborted.add(r.nextInt(40) == 0);
        }
        try (Testbench tb = Testbench.of(d).source("in").build(SimOptions.fast(), seed)) {
            for (int i = 0; i < frames.size(); i++)
                for (AxisFrames.Beat b : AxisFrames.toBeats(frames.get(i), 8, aborted.get(i) ? 1 : 0)) tb.push("in", b.fields());
            long start = tb.cycle(), wireBytes = 0;
            for (byte[] f : frames) wireBytes += EthernetWire.wire(f).length + 12;
            tb.run(wireBytes / 8 + 200);
            List<Lane> w = lanes(tb.plainHistory(), tb.plainOutIndex("xgmii_txd"), tb.plainOutIndex("xgmii_txc"), start);
            int sfdIdx = tb.plainOutIndex("sfd"), sfd4Idx = tb.plainOutIndex("sfd_lane4");
            List<BigInteger[]> rows = tb.plainHistory();

            int next = 0, gap = -1, minGap = Integer.MAX_VALUE, maxGap = 0;
            long gapSum = 0, gaps = 0, firstStart = -1, lastEnd = -1;
            for (int p = 0; p < w.size(); ) {
                Lane l = w.get(p);
                if (l.ctl() && l.value() == I) {
                    if (gap >= 0) gap++;
                    p++;
                    continue;
                }
                assertTrue(l.ctl() && l.value() == S, "only idles or a start between frames: byte " + p + " = " + l);
                assertTrue(p % 4 == 0, "start in lane 0 or 4, not " + p % 8);
                long cycle = start + p / 8;
                assertEquals(1, rows.get((int) cycle)[sfdIdx].intValue(), "sfd with the start column, cycle " + cycle);
                assertEquals(p % 8 == 4 ? 1 : 0, rows.get((int) cycle)[sfd4Idx].intValue(), "sfd_lane4, cycle " + cycle);
                if (firstStart < 0) firstStart = p;
                if (gap >= 0) {
                    minGap = Math.min(minGap, gap);
                    maxGap = Math.max(maxGap, gap);
                    gapSum += gap;
                    gaps++;
                }
                ByteArrayOutputStream got = new ByteArrayOutputStream();
                got.write(0x55); // /S/ stands for the first preamble byte
                boolean errored = false;
                p++;
                while (!(w.get(p).ctl() && w.get(p).value() == T)) {
                    if (w.get(p).ctl()) {
                        assertEquals(E, w.get(p).value(), "only /E/ may interrupt a frame, byte " + p);
                        errored = true;
                    } else {
                        got.write(w.get(p).value());
                    }
                    p++;
                }
                lastEnd = p;
                p++;
                gap = 0;
                assertTrue(next < frames.size(), "more frames than sent");
                if (aborted.get(next)) assertTrue(errored, "frame " + next + " aborted with /E/");
                else {
                    assertTrue(!errored, "frame " + next + " has no /E/");
                    assertArrayEquals(EthernetWire.wire(frames.get(next)), got.toByteArray(), "frame " + next + " (" + frames.get(next).length + " bytes)");
                }
                next++;
            }
            assertEquals(frames.size(), next, "frames on the XGMII");
            double avg = (double) gapSum / gaps;
            System.out.printf("xgmii tx: %d frames, gaps %d..%d bytes, average %.3f; %d wire bytes in %d byte times%n", next, minGap, maxGap, avg,
                    wireBytes, lastEnd - firstStart + 13);
            // idles after /T/: 8..14, 11 on average, so that with /T/ the gap is 9..15 and 12 on average (IEEE 802.3 46.3.1.4)
            assertTrue(minGap >= IDLES - 3 && maxGap <= IDLES + 3, "gaps " + minGap + ".." + maxGap);
            assertTrue(avg >= IDLES - 0.1 && avg <= IDLES + 0.2, "average gap " + avg + " idles after /T/ (deficit idle count keeps it at " + IDLES + ")");
            // line rate: no more byte times than the frames' wire bytes and a 12-byte gap each (/T/ and 11 idles), plus the
            // at most 3 idles the deficit count may still owe (a gap of 13 after /T/ each, as before, is 400 byte times more)
            assertTrue(lastEnd - firstStart + 12 <= wireBytes + 3,
                    (lastEnd - firstStart + 12) + " byte times for " + wireBytes + " bytes of frames and gaps");
        }
    }

    /** A frame as the transmitter put it on the XGMII: the byte positions of its /S/ and its /T/, its bytes (/S/ as 0x55). */
    record SentFrame(int start, int terminate, byte[] bytes, boolean errored) {}

    /** The frames on a transmit XGMII (byte positions counted from the first lane of {@code lanes}), idles checked between. */
    static List<SentFrame> sentFrames(List<Lane> w) {
        List<SentFrame> out = new ArrayList<>();
        for (int p = 0; p < w.size(); ) {
            Lane l = w.get(p);
            if (l.ctl() && l.value() == I) {
                p++;
                continue;
            }
            assertTrue(l.ctl() && l.value() == S, "only idles or a start between frames: byte " + p + " = " + l);
            int start = p;
            ByteArrayOutputStream got = new ByteArrayOutputStream();
            got.write(0x55);
            boolean errored = false;
            for (p++; p < w.size() && !(w.get(p).ctl() && w.get(p).value() == T); p++) {
                if (w.get(p).ctl()) {
                    assertEquals(E, w.get(p).value(), "only /E/ may interrupt a frame, byte " + p);
                    errored = true;
                } else {
                    got.write(w.get(p).value());
                }
            }
            assertTrue(p < w.size(), "the frame started at byte " + start + " ends on the wire");
            out.add(new SentFrame(start, p, got.toByteArray(), errored));
            p++;
        }
        return out;
    }

    /**
     * Idles the transmitter keeps after /T/ on average; the deficit idle count lets one gap shrink to {@code IDLES - 3}
     * while at most 3 idles are owed, and a longer gap pays back what it exceeds {@code IDLES} by (IEEE 802.3 46.3.1.4,
     * the start aligned to lane 0 or lane 4). 802.3 counts the 96-bit interpacket gap from the last FCS byte, /T/
     * included: 11 idles after /T/ (a minimum frame every 84 bytes, 14.88 Mpps at 10 Gb/s).
     */
    static final int IDLES = 11;

    /** The first start position at or after {@code notBefore} that the deficit idle count allows after /T/ at {@code t}. */
    static int firstAllowedStart(int t, int dic, int notBefore) {
        for (int p = Math.max(t + 1, notBefore) + 3 & ~3; ; p += 4) {
            int gap = p - t - 1;
            if (gap >= IDLES || gap >= IDLES - 3 && dic + IDLES - gap <= 3) return p;
        }
    }

    /** The idles owed after a gap of {@code gap} idles, {@code dic} owed before. */
    static int owedAfter(int gap, int dic) {
        return gap >= IDLES ? Math.max(0, dic - (gap - IDLES)) : dic + IDLES - gap;
    }

    /**
     * Back-to-back short frames whose /T/ falls in every lane (60..67 bytes, padded ones below 60, a few longer), all
     * queued at once: each frame must start at the very byte the deficit idle count gives after the previous /T/ (so
     * lane-4 starts follow lane-0 starts as the owed idles come and go), and the start column goes out a constant one
     * cycle after the frame's first beat is taken (the transmit timestamp's reference, T3).
     */
    @Test
    void transmitterStartsBackToBackShortFramesWhereTheDeficitIdleCountSays() {
        Design d = LibraryTops.elaborate("xgmii_mac_tx_64");
        long seed = SimSeeds.announce("xgmii_mac_tx_64", "dic", false);
        SplittableRandom r = new SplittableRandom(seed);
        List<byte[]> frames = new ArrayList<>();
        for (int i = 0; i < 240; i++) {
            int len = i % 10 < 8 ? 60 + (i * 5 + i / 8) % 8 : i % 10 == 8 ? 1 + r.nextInt(59) : 68 + r.nextInt(120);
            byte[] f = new byte[len];
            for (int k = 0; k < len; k++) f[k] = (byte) r.nextInt(256);
            frames.add(f);
        }
        try (Testbench tb = Testbench.of(d).source("in").build(SimOptions.fast(), seed)) {
            List<Integer> firstBeat = new ArrayList<>();
            int beats = 0;
            for (byte[] f : frames) {
                firstBeat.add(beats);
                for (AxisFrames.Beat b : AxisFrames.toBeats(f, 8, 0)) {
                    tb.push("in", b.fields());
                    beats++;
                }
            }
            long start = tb.cycle();
            tb.run(frames.size() * 12 + 100);
            List<SentFrame> sent = sentFrames(lanes(tb.plainHistory(), tb.plainOutIndex("xgmii_txd"), tb.plainOutIndex("xgmii_txc"), start));
            assertEquals(frames.size(), sent.size(), "frames on the XGMII");
            List<Long> accepted = tb.acceptedCycles("in");
            int dic = 0, lane4 = 0, shrunk = 0;
            for (int i = 0; i < frames.size(); i++) {
                SentFrame s = sent.get(i);
                assertArrayEquals(EthernetWire.wire(frames.get(i)), s.bytes(), "frame " + i + " (" + frames.get(i).length + " bytes)");
                assertEquals(s.start() + EthernetWire.wire(frames.get(i)).length, s.terminate(), "frame " + i + ": /T/ right after the FCS");
                if (i > 0) {
                    int t = sent.get(i - 1).terminate();
                    assertEquals(firstAllowedStart(t, dic, 0), s.start(), "frame " + i + ": start after /T/ at byte " + t + " with " + dic + " idles owed");
                    int gap = s.start() - t - 1;
                    if (gap < IDLES) shrunk++;
                    dic = owedAfter(gap, dic);
                } else {
                    assertEquals(0, s.start() % 8, "the first frame after reset starts in lane 0");
                }
                if (s.start() % 8 == 4) lane4++;
                assertEquals(start + s.start() / 8, accepted.get(firstBeat.get(i)) + 1,
                        "frame " + i + ": the start column is on the XGMII the cycle after the first beat is taken");
            }
            System.out.printf("xgmii tx back-to-back: %d frames, %d in lane 4, %d gaps shrunk by the deficit idle count%n", sent.size(), lane4, shrunk);
            assertTrue(lane4 > frames.size() / 4 && shrunk > frames.size() / 4, "lane-4 starts and shrunk gaps exercised");
        }
    }

    /**
     * Frames offered with pauses between them (the next frame queued 0..7 cycles after the last beat of the one before is taken, so some
     * frames arrive while the gap is still running and some long after): every gap obeys the deficit idle count, a
     * frame starts in lane 4 only when lane 0 of the same column was not allowed, and the start column is on the
     * XGMII a constant one cycle after the frame's first beat is taken.
     */
    @Test
    void transmitterKeepsTheGapRuleAndItsLatencyWithPausesBetweenFrames() {
        Design d = LibraryTops.elaborate("xgmii_mac_tx_64");
        long seed = SimSeeds.announce("xgmii_mac_tx_64", "pauses", false);
        SplittableRandom r = new SplittableRandom(seed);
        try (Testbench tb = Testbench.of(d).source("in").build(SimOptions.fast(), seed)) {
            long start = tb.cycle();
            List<byte[]> frames = new ArrayList<>();
            List<Integer> firstBeat = new ArrayList<>();
            int beats = 0;
            for (int i = 0; i < 200; i++) {
                byte[] f = EthMacSimTest.randomFrame(r, 300);
                frames.add(f);
                firstBeat.add(beats);
                List<AxisFrames.Beat> bs = AxisFrames.toBeats(f, 8, 0);
                for (AxisFrames.Beat b : bs) tb.push("in", b.fields());
                beats += bs.size();
                tb.run(bs.size());
                while (tb.queued("in") > 0) tb.run(1);
                tb.run(r.nextInt(3) == 0 ? 2 + r.nextInt(6) : r.nextInt(2));
            }
            tb.run(200);
            List<SentFrame> sent = sentFrames(lanes(tb.plainHistory(), tb.plainOutIndex("xgmii_txd"), tb.plainOutIndex("xgmii_txc"), start));
            assertEquals(frames.size(), sent.size(), "frames on the XGMII");
            List<Long> accepted = tb.acceptedCycles("in");
            int dic = 0, lane4 = 0, waited = 0;
            for (int i = 0; i < frames.size(); i++) {
                SentFrame s = sent.get(i);
                assertArrayEquals(EthernetWire.wire(frames.get(i)), s.bytes(), "frame " + i);
                if (i > 0) {
                    int t = sent.get(i - 1).terminate(), gap = s.start() - t - 1;
                    assertTrue(gap >= IDLES - 3 && (gap >= IDLES || dic + IDLES - gap <= 3), "frame " + i + ": gap " + gap + " with " + dic + " idles owed");
                    if (s.start() % 8 == 4) {
                        int g0 = gap - 4;
                        assertTrue(g0 < IDLES - 3 || g0 < IDLES && dic + IDLES - g0 > 3, "frame " + i + " in lane 4 though lane 0 was allowed (gap " + g0 + ")");
                    }
                    if (gap > IDLES + 3) waited++;
                    dic = owedAfter(gap, dic);
                }
                if (s.start() % 8 == 4) lane4++;
                assertEquals(start + s.start() / 8, accepted.get(firstBeat.get(i)) + 1,
                        "frame " + i + ": the start column is on the XGMII the cycle after the first beat is taken");
            }
            System.out.printf("xgmii tx with pauses: %d frames, %d in lane 4, %d after a pause longer than the gap%n", sent.size(), lane4, waited);
            assertTrue(lane4 > 10 && waited > 10, "both kinds of start exercised");
        }
    }

    /** A receive case: what goes on the wire and what the MAC must deliver (null: nothing), marked bad or not. */
    record RxCase(List<Lane> wire, byte[] deliver, boolean bad) {}

    static RxCase rxCase(SplittableRandom r) {
        int kind = r.nextInt(10);
        List<Lane> w = new ArrayList<>();
        w.add(new Lane(S, true));
        if (kind == 0) { // fragment: the SFD and at most the FCS
            for (int i = 0; i < 6; i++) w.add(new Lane(0x55, false));
            w.add(new Lane(0xD5, false));
            for (int i = r.nextInt(5); i > 0; i--) w.add(new Lane(r.nextInt(256), false));
            w.add(new Lane(T, true));
            return new RxCase(w, null, false);
        }
        byte[] f = EthMacSimTest.randomFrame(r, 1514);
        byte[] full = EthernetWire.wire(f);
        if (kind == 1) { // one flipped bit after the SFD
            int bit = 64 + r.nextInt(8 * (full.length - 8));
            full[bit / 8] ^= (byte) (1 << (bit % 8));
        }
        for (int i = 1; i < full.length; i++) w.add(new Lane(full[i] & 0xff, false));
        boolean bad = kind == 1;
        if (kind == 2) { // /E/ in the frame, after at least five data bytes: what came before it, less four, delivered as bad
            int at = 13 + r.nextInt(full.length - 13);
            w.set(at, new Lane(E, true));
            w.add(new Lane(T, true));
            return new RxCase(w, Arrays.copyOfRange(full, 8, at - 4), true);
        }
        w.add(new Lane(T, true));
        return new RxCase(w, Arrays.copyOfRange(full, 8, full.length - 4), bad);
    }

    @Test
    void receiverDeliversTheFramesTheXgmiiCarries() {
        Design d = LibraryTops.elaborate("xgmii_mac_rx_64");
        long seed = SimSeeds.announce("xgmii_mac_rx_64", "wire", false);
        SplittableRandom r = new SplittableRandom(seed);
        List<RxCase> cases = new ArrayList<>();
        for (int i = 0; i < 300; i++) cases.add(rxCase(r));
        List<Lane> stream = new ArrayList<>();
        for (int i = 0; i < 8; i++) stream.add(new Lane(I, true));
        int lane4 = 0;
        for (RxCase c : cases) {
            for (int i = 5 + r.nextInt(16); i > 0; i--) stream.add(new Lane(I, true));
            boolean want4 = r.nextBoolean();
            while (stream.size() % 8 != (want4 ? 4 : 0)) stream.add(new Lane(I, true));
            if (want4) lane4++;
            stream.addAll(c.wire());
        }
        for (int i = 0; i < 24 || stream.size() % 8 != 0; i++) stream.add(new Lane(I, true));
        try (Testbench tb = Testbench.of(d).sink("out").build(SimOptions.fast(), seed)) {
            long start = tb.cycle();
            for (int b = 0; b < stream.size(); b += 8) {
                BigInteger data = BigInteger.ZERO;
                int ctl = 0;
                for (int l = 7; l >= 0; l--) {
                    data = data.shiftLeft(8).or(BigInteger.valueOf(stream.get(b + l).value()));
                    if (stream.get(b + l).ctl()) ctl |= 1 << l;
                }
                tb.setBig("xgmii_rxd", data);
                tb.set("xgmii_rxc", ctl);
                tb.run(1);
            }
            tb.run(10);
            List<byte[]> got = AxisFrames.frames(tb.beats("out"), 8);
            List<Boolean> gotBad = new ArrayList<>();
            for (Testbench.Beat b : tb.beats("out")) if (b.field(2) != 0) gotBad.add(b.field(3) != 0);
            int gi = 0;
            for (RxCase c : cases) {
                if (c.deliver() == null) continue;
                assertTrue(gi < got.size(), "frame missing");
                if (!c.bad()) assertArrayEquals(c.deliver(), got.get(gi), "frame " + gi);
                else assertEquals(c.deliver().length, got.get(gi).length, "bad frame " + gi + " length");
                assertEquals(c.bad(), gotBad.get(gi), "frame " + gi + " marked bad");
                gi++;
            }
            assertEquals(got.size(), gi, "no extra frames");
            List<BigInteger[]> rows = tb.plainHistory();
            int sfdIdx = tb.plainOutIndex("sfd"), sfd4Idx = tb.plainOutIndex("sfd_lane4"), fragIdx = tb.plainOutIndex("fragment");
            long sfds = rows.stream().skip(start).filter(row -> row[sfdIdx].signum() != 0).count();
            long sfd4 = rows.stream().skip(start).filter(row -> row[sfd4Idx].signum() != 0).count();
            long frags = rows.stream().skip(start).filter(row -> row[fragIdx].signum() != 0).count();
            assertEquals(cases.size(), sfds, "one SFD pulse per frame");
            assertEquals(lane4, sfd4, "lane-4 starts");
            assertEquals(cases.stream().filter(c -> c.deliver() == null).count(), frags, "fragments");
        }
    }
}
