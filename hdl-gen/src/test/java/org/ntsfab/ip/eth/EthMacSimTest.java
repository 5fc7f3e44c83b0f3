package org.ntsfab.ip.eth;

import org.ntsfab.harness.SimOptions;
import org.ntsfab.harness.SimSeeds;
import org.ntsfab.harness.Testbench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.zip.CRC32;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.ntsfab.gen.LibraryTops;
import org.ntsfab.hdl.Design;
import org.ntsfab.harness.AxisFrames;
import org.ntsfab.harness.EthernetWire;

/**
 * The byte-wide MAC against an independent Java model of the 802.3 wire format (preamble, SFD, padding to 60
 * bytes, FCS from {@code java.util.zip.CRC32}, inter-frame gap): the transmitter's PHY-side bytes equal the model's
 * for random frames of 1..1514 bytes, with every byte slot taken (GMII) and with a slot every 4th cycle (as an RMII
 * adapter asks); the receiver gives back exactly the frames a wire carries, without preamble, SFD and FCS, marks
 * bad FCS and receive errors on the last byte, ignores fragments and junk, with 0–7 preamble bytes and random
 * gaps.
 */
class EthMacSimTest {
    static byte[] randomFrame(SplittableRandom r, int maxLen) {
        int len = r.nextInt(4) == 0 ? 1 + r.nextInt(70) : 1 + r.nextInt(maxLen);
        byte[] f = new byte[len];
        for (int i = 0; i < len; i++) f[i] = (byte) r.nextInt(256);
        return f;
    }

    static long v(BigInteger[] row, int i) {
        return row[i].longValue();
    }

    @ParameterizedTest(name = "byte slot every {0} cycle(s)")
    @ValueSource(ints = {1, 4})
    void transmitterSendsWhatTheWireModelSays(int slotEvery) {
        Design d = LibraryTops.elaborate("eth_mac_tx_8");
        long seed = SimSeeds.announce("eth_mac_tx_8", "wire", false);
        SplittableRandom r = new SplittableRandom(seed);
        List<byte[]> frames = new ArrayList<>();
        int n = slotEvery == 1 ? 300 : 60;
        // (cycle-by-cycle driving for the slower slot pattern: shorter frames keep the test quick)
        for (int i = 0; i < n; i++) frames.add(randomFrame(r, slotEvery == 1 ? 1514 : 300));
        try (Testbench tb = Testbench.of(d).source("in").build(SimOptions.fast(), seed)) {
            for (byte[] f : frames) for (AxisFrames.Beat b : AxisFrames.toBeats(f, 1, 0)) tb.push("in", b.fields());
            int dv = tb.plainOutIndex("phy_dv"), er = tb.plainOutIndex("phy_er"), data = tb.plainOutIndex("phy_data"),
                    sfd = tb.plainOutIndex("sfd"), under = tb.plainOutIndex("underrun");
            long limit = 0;
            for (byte[] f : frames) limit += (EthernetWire.wire(f).length + 12) * (long) slotEvery + 8;
            // the PHY side takes a byte in slot cycles only
            long start = tb.cycle();
            if (slotEvery == 1) {
                tb.set("phy_en", 1);
                tb.run(limit);
            } else {
                for (long c = 0; c < limit; c++) {
                    tb.set("phy_en", c % slotEvery == 0 ? 1 : 0);
                    tb.run(1);
                }
            }
            // what the PHY took, frame by frame: consecutive slots with phy_dv high
            List<BigInteger[]> rows = tb.plainHistory();
            List<byte[]> sent = new ArrayList<>();
            ByteArrayOutputStream cur = null;
            int gap = Integer.MAX_VALUE, minGap = Integer.MAX_VALUE, sfds = 0;
            for (int c = (int) start; c < rows.size(); c++) {
                boolean slot = slotEvery == 1 || (c - start) % slotEvery == 0;
                if (!slot) continue;
                BigInteger[] row = rows.get(c);
                assertEquals(0, v(row, er), "phy_er at cycle " + c);
                assertEquals(0, v(row, under), "underrun at cycle " + c);
                if (v(row, sfd) != 0) {
                    sfds++;
                    assertTrue(cur != null && cur.size() == 7 && v(row, data) == 0xD5, "sfd pulses with the SFD byte, cycle " + c);
                }
                if (v(row, dv) != 0) {
                    if (cur == null) {
                        if (!sent.isEmpty()) minGap = Math.min(minGap, gap);
                        cur = new ByteArrayOutputStream();
                    }
                    cur.write((int) v(row, data));
                } else {
                    if (cur != null) {
                        sent.add(cur.toByteArray());
                        cur = null;
                        gap = 0;
                    }
                    gap++;
                }
            }
            assertEquals(frames.size(), sent.size(), "frames on the wire");
            for (int i = 0; i < frames.size(); i++)
                assertArrayEquals(EthernetWire.wire(frames.get(i)), sent.get(i), "frame " + i + " (" + frames.get(i).length + " bytes)");
            assertEquals(frames.size(), sfds, "one SFD pulse per frame");
            assertTrue(minGap >= 12, "inter-frame gap " + minGap + " byte slots");
        }
    }

    /** A frame on the receive side: its wire bytes (maybe broken) and what the MAC must deliver (null: nothing). */
    record RxCase(byte[] wire, boolean er, byte[] deliver, boolean bad) {}

    static RxCase rxCase(SplittableRandom r) {
        int kind = r.nextInt(10);
        if (kind == 0) { // fragment: 0-3 preamble bytes, the SFD and at most 4 bytes
            int pre = r.nextInt(4), k = r.nextInt(5);
            byte[] w = new byte[pre + 1 + k];
            for (int i = 0; i < w.length; i++) w[i] = (byte) (i < pre ? 0x55 : i == pre ? 0xD5 : r.nextInt(256));
            return new RxCase(w, false, null, false);
        }
        if (kind == 1) { // junk: first byte neither preamble nor SFD, ignored to the end
            byte[] w = new byte[20 + r.nextInt(60)];
            for (int i = 0; i < w.length; i++) w[i] = (byte) r.nextInt(256);
            if (w[0] == 0x55 || w[0] == (byte) 0xD5) w[0] = 0x12;
            return new RxCase(w, false, null, false);
        }
        byte[] f = randomFrame(r, 300);
        byte[] full = EthernetWire.wire(f);
        int pre = r.nextInt(8); // 0..7 preamble bytes on the wire
        byte[] w = java.util.Arrays.copyOfRange(full, 7 - pre, full.length);
        byte[] payload = java.util.Arrays.copyOfRange(full, 8, full.length - 4); // the frame as padded on the wire
        boolean bad = false, er = false;
        if (kind == 2) { // one flipped bit after the SFD: the FCS catches it
            int bit = 8 * (pre + 1) + r.nextInt(8 * (w.length - pre - 1));
            w[bit / 8] ^= (byte) (1 << (bit % 8));
            payload = java.util.Arrays.copyOfRange(w, pre + 1, w.length - 4);
            bad = true;
        }
        if (kind == 3) { er = true; bad = true; }
        return new RxCase(w, er, payload, bad);
    }

    @ParameterizedTest(name = "byte slot every {0} cycle(s)")
    @ValueSource(ints = {1, 2})
    void receiverDeliversTheFramesTheWireCarries(int slotEvery) {
        Design d = LibraryTops.elaborate("eth_mac_rx_8");
        long seed = SimSeeds.announce("eth_mac_rx_8", "wire", false);
        SplittableRandom r = new SplittableRandom(seed);
        List<RxCase> cases = new ArrayList<>();
        for (int i = 0; i < (slotEvery == 1 ? 250 : 80); i++) cases.add(rxCase(r));
        try (Testbench tb = Testbench.of(d).sink("out").build(SimOptions.fast(), seed)) {
            int sfdIdx = tb.plainOutIndex("sfd"), fragIdx = tb.plainOutIndex("fragment");
            long start = tb.cycle();
            for (RxCase c : cases) {
                int erAt = c.er() ? c.wire().length / 2 : -1;
                for (int i = 0; i < c.wire().length; i++) {
                    for (int s = 0; s < slotEvery; s++) {
                        tb.set("phy_dv", 1);
                        tb.set("phy_en", s == 0 ? 1 : 0);
                        tb.set("phy_data", c.wire()[i] & 0xff);
                        tb.set("phy_er", i == erAt ? 1 : 0);
                        tb.run(1);
                    }
                }
                tb.set("phy_dv", 0);
                tb.set("phy_er", 0);
                int idle = 1 + r.nextInt(20);
                for (int i = 0; i < idle; i++) {
                    tb.set("phy_en", i % slotEvery == 0 ? 1 : 0);
                    tb.run(1);
                }
            }
            tb.run(10);
            List<byte[]> got = AxisFrames.frames(tb.beats("out"), 1);
            List<Boolean> gotBad = new ArrayList<>();
            for (Testbench.Beat b : tb.beats("out")) if (b.field(2) != 0) gotBad.add(b.field(3) != 0);
            List<RxCase> delivered = cases.stream().filter(c -> c.deliver() != null).toList();
            assertEquals(delivered.size(), got.size(), "frames delivered");
            for (int i = 0; i < delivered.size(); i++) {
                if (!delivered.get(i).bad()) assertArrayEquals(delivered.get(i).deliver(), got.get(i), "frame " + i);
                else assertEquals(delivered.get(i).deliver().length, got.get(i).length, "bad frame " + i + " length");
                assertEquals(delivered.get(i).bad(), gotBad.get(i), "frame " + i + " marked bad");
            }
            long sfds = tb.plainHistory().stream().skip(start).filter(row -> v(row, sfdIdx) != 0).count();
            long frags = tb.plainHistory().stream().skip(start).filter(row -> v(row, fragIdx) != 0).count();
            assertEquals(cases.stream().filter(c -> c.deliver() != null || c.wire()[0] == 0x55 || c.wire()[0] == (byte) 0xD5).count(), sfds,
                    "one SFD pulse per frame that had one");
            assertEquals(cases.stream().filter(c -> c.deliver() == null && (c.wire()[0] == 0x55 || c.wire()[0] == (byte) 0xD5)).count(), frags,
                    "fragments");
        }
    }
}
