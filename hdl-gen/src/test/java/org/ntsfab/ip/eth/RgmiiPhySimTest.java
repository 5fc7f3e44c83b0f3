package org.ntsfab.ip.eth;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.ntsfab.gen.LibraryTops;
import org.ntsfab.hdl.Design;
import org.ntsfab.harness.EthernetWire;
import org.ntsfab.harness.SimOptions;
import org.ntsfab.harness.SimSeeds;
import org.ntsfab.harness.Testbench;

/**
 * The RGMII adapter's fabric side (what the DDR cells give and take: a rising-edge and a falling-edge bit per pin)
 * against a model of RGMII 2.0 at 1 Gb/s: a byte per clock, bits 3..0 on the rising edge and 7..4 on the falling
 * edge; the control line DV on the rising edge and DV xor ER on the falling edge; between frames (control low on
 * both edges) the PHY's in-band status on the data nibbles (both equal): bit 0 link, bits 2..1 speed (2 = 1000),
 * bit 3 duplex. Receive: frames from {@link EthernetWire} with receive errors, false-carrier and carrier-extend
 * symbols (DV low, ER high), idle symbols with and without status; every output, every cycle, equal to the
 * model's (one register stage), and the frames the MAC sees are the wire's. Transmit: random DV/ER/data and wire
 * frames; the pins one cycle later, and the frames a PHY decodes from them equal the MAC's.
 */
class RgmiiPhySimTest {
    /** One RGMII clock on the receive pins: DV, ER, the byte. */
    record Symbol(boolean dv, boolean er, int data) {}

    @Test
    void receiveAssemblesBytesAndTracksLinkStatus() {
        Design d = LibraryTops.elaborate("rgmii_phy_1000");
        long seed = SimSeeds.announce("rgmii_phy_1000", "rgmii_rx", false);
        SplittableRandom r = new SplittableRandom(seed);
        int[] statuses = {0b1101, 0b0000, 0b1011, 0b0101, 0b1100, 0b0111};
        List<Symbol> line = new ArrayList<>();
        List<byte[]> frames = new ArrayList<>();
        int status = 0b1101;
        for (int f = 0; f < 50; f++) {
            int idle = 1 + r.nextInt(16);
            if (r.nextInt(4) == 0) status = statuses[r.nextInt(statuses.length)];
            for (int i = 0; i < idle; i++) {
                int k = r.nextInt(8);
                if (k == 0) line.add(new Symbol(false, true, r.nextBoolean() ? 0x0E : 0x0F));   // false carrier / carrier extend
                else if (k == 1) line.add(new Symbol(false, false, r.nextInt(256)));           // idle without status (nibbles may differ)
                else line.add(new Symbol(false, false, status * 0x11));
            }
            byte[] frame = new byte[1 + r.nextInt(300)];
            r.nextBytes(frame);
            byte[] wire = EthernetWire.wire(frame);
            int errAt = r.nextInt(5) == 0 ? r.nextInt(wire.length) : -1;
            for (int i = 0; i < wire.length; i++) line.add(new Symbol(true, i == errAt, wire[i] & 0xff));
            frames.add(wire);
        }
        for (int i = 0; i < 4; i++) line.add(new Symbol(false, false, status * 0x11));
        try (Testbench tb = Testbench.of(d).build(SimOptions.fast(), seed)) {
            long start = tb.cycle();
            for (Symbol s : line) {
                tb.set("rxd_rise", s.data() & 0xf);
                tb.set("rxd_fall", s.data() >> 4);
                tb.set("rx_ctl_rise", s.dv() ? 1 : 0);
                tb.set("rx_ctl_fall", s.dv() ^ s.er() ? 1 : 0);
                tb.run(1);
            }
            tb.run(2);
            int dv = tb.plainOutIndex("rx_dv"), er = tb.plainOutIndex("rx_er"), data = tb.plainOutIndex("rx_data"),
                    up = tb.plainOutIndex("link_up"), g = tb.plainOutIndex("link_1000");
            int st = 0;   // link status out of reset: down
            List<byte[]> got = new ArrayList<>();
            ByteArrayOutputStream cur = null;
            for (int i = 0; i < line.size(); i++) {
                Symbol s = line.get(i);
                // the status the PHY sent, held until the next in-band status
                if (!s.dv() && !s.er() && (s.data() & 0xf) == s.data() >> 4) st = s.data() & 0xf;
                BigInteger[] row = tb.plainHistory().get((int) start + i + 1);
                String at = "symbol " + i + " (cycle " + (start + i + 1) + ")";
                assertEquals(s.dv() ? 1 : 0, row[dv].intValue(), at + " rx_dv");
                assertEquals(s.er() ? 1 : 0, row[er].intValue(), at + " rx_er");
                assertEquals(st & 1, row[up].intValue(), at + " link_up");
                assertEquals(((st >> 1) & 3) == 2 ? 1 : 0, row[g].intValue(), at + " link_1000");
                if (s.dv()) {
                    assertEquals(s.data(), row[data].intValue(), at + " rx_data");
                    if (cur == null) cur = new ByteArrayOutputStream();
                    cur.write(row[data].intValue());
                } else if (cur != null) {
                    got.add(cur.toByteArray());
                    cur = null;
                }
            }
            assertEquals(frames.size(), got.size(), "frames");
            for (int i = 0; i < frames.size(); i++) assertArrayEquals(frames.get(i), got.get(i), "frame " + i);
        }
    }

    @Test
    void transmitSplitsBytesOntoTheEdges() {
        Design d = LibraryTops.elaborate("rgmii_phy_1000");
        long seed = SimSeeds.announce("rgmii_phy_1000", "rgmii_tx", false);
        SplittableRandom r = new SplittableRandom(seed);
        List<Symbol> mac = new ArrayList<>();
        List<byte[]> frames = new ArrayList<>();
        for (int f = 0; f < 40; f++) {
            for (int i = 0; i < 12 + r.nextInt(8); i++) mac.add(new Symbol(false, r.nextInt(6) == 0, r.nextInt(256)));
            byte[] frame = new byte[1 + r.nextInt(300)];
            r.nextBytes(frame);
            byte[] wire = EthernetWire.wire(frame);
            for (byte b : wire) mac.add(new Symbol(true, r.nextInt(200) == 0, b & 0xff));
            frames.add(wire);
        }
        mac.add(new Symbol(false, false, 0));
        try (Testbench tb = Testbench.of(d).build(SimOptions.fast(), seed)) {
            long start = tb.cycle();
            for (Symbol s : mac) {
                tb.set("tx_en", s.dv() ? 1 : 0);
                tb.set("tx_er", s.er() ? 1 : 0);
                tb.set("tx_data", s.data());
                tb.run(1);
            }
            tb.run(2);
            int rise = tb.plainOutIndex("txd_rise"), fall = tb.plainOutIndex("txd_fall"), cr = tb.plainOutIndex("tx_ctl_rise"),
                    cf = tb.plainOutIndex("tx_ctl_fall");
            List<byte[]> got = new ArrayList<>();
            ByteArrayOutputStream cur = null;
            for (int i = 0; i < mac.size(); i++) {
                Symbol s = mac.get(i);
                BigInteger[] row = tb.plainHistory().get((int) start + i + 1);
                String at = "byte " + i + " (cycle " + (start + i + 1) + ")";
                assertEquals(s.data() & 0xf, row[rise].intValue(), at + " TXD rising edge");
                assertEquals(s.data() >> 4, row[fall].intValue(), at + " TXD falling edge");
                assertEquals(s.dv() ? 1 : 0, row[cr].intValue(), at + " TX_CTL rising edge (TX_EN)");
                assertEquals(s.dv() ^ s.er() ? 1 : 0, row[cf].intValue(), at + " TX_CTL falling edge (TX_EN xor TX_ER)");
                // what the PHY decodes
                boolean pdv = row[cr].intValue() != 0;
                if (pdv) {
                    if (cur == null) cur = new ByteArrayOutputStream();
                    cur.write(row[fall].intValue() << 4 | row[rise].intValue());
                } else if (cur != null) {
                    got.add(cur.toByteArray());
                    cur = null;
                }
            }
            assertEquals(frames.size(), got.size(), "frames");
            for (int i = 0; i < frames.size(); i++) assertArrayEquals(frames.get(i), got.get(i), "frame " + i);
        }
    }
}
