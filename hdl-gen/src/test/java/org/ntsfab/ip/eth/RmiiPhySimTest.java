package org.ntsfab.ip.eth;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.ntsfab.hdl.Design;
import org.ntsfab.harness.EthernetWire;
import org.ntsfab.harness.SimOptions;
import org.ntsfab.harness.SimSeeds;
import org.ntsfab.harness.Testbench;

/**
 * The RMII adapter against a model of the RMII wire (RMII 1.2): a byte is four dibits, least significant pair
 * first, one per 50 MHz cycle.
 * <ul>
 * <li>Receive: frames from {@link EthernetWire} with CRS_DV high, sometimes after a few 00 dibits (a PHY still
 *     decoding), with part of the preamble missing, with CRS_DV toggling (low on the first dibit of each nibble,
 *     high on the second) over the last bytes as a PHY does after carrier loss while it empties its FIFO, with a
 *     stray dibit or three after the last byte, and false starts (preamble then a bad dibit): the MAC side gets
 *     exactly SFD (0xD5) then every whole byte after it, one {@code rx_en} pulse per byte, four cycles apart,
 *     {@code rx_dv} high from the SFD to the frame's end; nothing for a false start.
 * <li>Transmit: {@code tx_slot} every fourth cycle; the byte (and DV) offered in a slot goes out on TXD over the
 *     next four cycles, least significant dibit first, TX_EN with it, TXD 00 when TX_EN is low; whatever is on the
 *     MAC side between slots is ignored.
 * </ul>
 */
class RmiiPhySimTest {
    static int dibit(byte[] w, int i) {
        return (w[i / 4] >> (2 * (i % 4))) & 3;
    }

    @Test
    void receiveGivesTheMacTheBytesAfterThePreamble() {
        Design d = Design.elaborate(RmiiPhy::new);
        long seed = SimSeeds.announce("rmii_phy_100", "rmii_rx", false);
        SplittableRandom r = new SplittableRandom(seed);
        try (Testbench tb = Testbench.of(d).build(SimOptions.fast(), seed)) {
            List<byte[]> expect = new ArrayList<>();
            tb.run(3);
            for (int f = 0; f < 60; f++) {
                if (f % 10 == 9) { // false start: preamble dibits, then a bad one, then noise that never is a preamble
                    tb.set("rmii_crs_dv", 1);
                    for (int i = 0; i < 3 + r.nextInt(10); i++) {
                        tb.set("rmii_rxd", 1);
                        tb.run(1);
                    }
                    for (int i = 0; i < 8 + r.nextInt(20); i++) {
                        tb.set("rmii_rxd", r.nextBoolean() ? 2 : 0);
                        tb.run(1);
                    }
                    tb.set("rmii_crs_dv", 0);
                    tb.set("rmii_rxd", 0);
                    tb.run(4);
                    continue;
                }
                byte[] frame = new byte[1 + r.nextInt(f < 5 ? 8 : 200)];
                r.nextBytes(frame);
                byte[] wire = EthernetWire.wire(frame);
                int skip = r.nextInt(29);                      // preamble dibits the PHY ate (of 28)
                int dibits = wire.length * 4;
                int toggleFrom = r.nextInt(3) == 0 ? dibits - 4 * (1 + r.nextInt(Math.min(8, wire.length - 8))) : dibits;
                int stray = r.nextInt(4) == 0 ? 1 + r.nextInt(3) : 0;
                tb.set("rmii_crs_dv", 1);
                for (int i = 0; i < (r.nextInt(3) == 0 ? 1 + r.nextInt(6) : 0); i++) {
                    tb.set("rmii_rxd", 0);
                    tb.run(1);
                }
                for (int i = skip; i < dibits + stray; i++) {
                    tb.set("rmii_rxd", i < dibits ? dibit(wire, i) : r.nextInt(4));
                    tb.set("rmii_crs_dv", i < toggleFrom ? 1 : (i % 2));
                    tb.run(1);
                }
                tb.set("rmii_crs_dv", 0);
                tb.set("rmii_rxd", 0);
                tb.run(2 + r.nextInt(12));
                expect.add(java.util.Arrays.copyOfRange(wire, 7, wire.length));   // SFD, frame, FCS
            }
            tb.run(4);
            int en = tb.plainOutIndex("rx_en"), dv = tb.plainOutIndex("rx_dv"), data = tb.plainOutIndex("rx_data");
            List<byte[]> got = new ArrayList<>();
            ByteArrayOutputStream cur = null;
            long lastEn = -1;
            for (int c = 4; c < tb.plainHistory().size(); c++) {
                BigInteger[] row = tb.plainHistory().get(c);
                boolean isDv = row[dv].intValue() != 0, isEn = row[en].intValue() != 0;
                if (isEn) {
                    assertTrue(isDv, "rx_en without rx_dv at cycle " + c);
                    if (cur == null) {
                        cur = new ByteArrayOutputStream();
                    } else assertEquals(lastEn + 4, c, "a byte every four cycles (cycle " + c + ")");
                    cur.write(row[data].intValue());
                    lastEn = c;
                }
                if (!isDv && cur != null) {
                    got.add(cur.toByteArray());
                    cur = null;
                }
            }
            assertEquals(expect.size(), got.size(), "frames");
            for (int i = 0; i < expect.size(); i++) assertArrayEquals(expect.get(i), got.get(i), "frame " + i);
        }
    }

    @Test
    void transmitShiftsTheSlotsBytesOut() {
        Design d = Design.elaborate(RmiiPhy::new);
        long seed = SimSeeds.announce("rmii_phy_100", "rmii_tx", false);
        SplittableRandom r = new SplittableRandom(seed);
        try (Testbench tb = Testbench.of(d).build(SimOptions.fast(), seed)) {
            int slotIdx = tb.plainOutIndex("tx_slot");
            tb.run(8);
            long phase = -1;
            for (int c = 4; c < 8; c++) if (tb.plainHistory().get(c)[slotIdx].intValue() != 0) phase = c % 4;
            assertTrue(phase >= 0, "a tx_slot in four cycles");
            // the MAC's byte stream: wire frames separated by idle slots
            List<int[]> slots = new ArrayList<>();   // dv, byte
            for (int f = 0; f < 30; f++) {
                byte[] frame = new byte[1 + r.nextInt(150)];
                r.nextBytes(frame);
                for (byte b : EthernetWire.wire(frame)) slots.add(new int[] {1, b & 0xff});
                for (int i = 0; i < 12 + r.nextInt(5); i++) slots.add(new int[] {0, r.nextInt(256)});
            }
            // drive: the slot's values in slot cycles, junk in the others
            int s = 0;
            List<long[]> offered = new ArrayList<>();   // slot cycle, dv, byte
            while (s < slots.size()) {
                long c = tb.cycle();
                if (c % 4 == phase) {
                    tb.set("tx_dv", slots.get(s)[0]);
                    tb.set("tx_data", slots.get(s)[1]);
                    offered.add(new long[] {c, slots.get(s)[0], slots.get(s)[1]});
                    s++;
                } else {
                    tb.set("tx_dv", r.nextInt(2));
                    tb.set("tx_data", r.nextInt(256));
                }
                tb.run(1);
            }
            tb.set("tx_dv", 0);
            tb.run(8);
            int txEn = tb.plainOutIndex("rmii_tx_en"), txd = tb.plainOutIndex("rmii_txd");
            for (int c = 8; c < tb.plainHistory().size(); c++)
                assertEquals(c % 4 == phase ? 1 : 0, tb.plainHistory().get(c)[slotIdx].intValue(), "tx_slot at cycle " + c);
            for (long[] o : offered)
                for (int k = 0; k < 4; k++) {
                    int c = (int) o[0] + 1 + k;
                    BigInteger[] row = tb.plainHistory().get(c);
                    assertEquals(o[1], row[txEn].intValue(), "TX_EN at cycle " + c);
                    assertEquals(o[1] == 0 ? 0 : (o[2] >> (2 * k)) & 3, row[txd].intValue(), "TXD at cycle " + c + " (dibit " + k + " of 0x" + Long.toHexString(o[2]) + ")");
                }
        }
    }
}
