package org.ntsfab.it;

import org.ntsfab.responder.top.ResponderDesigns;

import org.ntsfab.harness.SimOptions;
import org.ntsfab.harness.SimSeeds;
import org.ntsfab.harness.Testbench;
import org.ntsfab.harness.EthernetWire;
import org.ntsfab.sim.FrameFields;
import org.ntsfab.sim.TopSim;
import org.ntsfab.sim.host.SimHost;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.ntsfab.boards.Ice40Hx8kBoard;
import org.ntsfab.hdl.Design;
import org.ntsfab.model.ConfigFile;
import org.ntsfab.model.Outcome;
import org.ntsfab.model.Responder;
import org.ntsfab.model.clock.NtpClock;
import org.ntsfab.model.pcap.Pcap;
import org.ntsfab.model.traffic.TrafficGenerator;

/**
 * The iCE40 board top-level ({@code fpga_ice40_hx8k}) at its pins, against the reference model: requests go in as
 * RMII dibits (a Java PHY model: preamble, SFD, frame, FCS, two bits per 50 MHz cycle, least significant first;
 * sometimes with idle dibits before the preamble and CRS_DV toggling at the end as a PHY emptying its FIFO), the
 * time is set over the UART (load now, then load at a PPS edge), and every answer leaving on TX_EN/TXD must be a
 * valid Ethernet frame (preamble, SFD, FCS) whose contents equal the model's answer, with T2 at the cycle the
 * request's first byte reached the responder and T3 at the cycle the answer's first byte left it.
 */
class Ice40BoardSimTest {
    static final int BAUD_CYCLES = 434; // 50 MHz / 115200

    /** A time command of the board's own UART protocol: the command byte, then the time (32.32 NTP), most significant byte first. */
    static void uartTime(BoardUart uart, int command, long time) {
        uart.send(command);
        for (int i = 7; i >= 0; i--) uart.send((int) (time >>> (8 * i)) & 0xff);
    }

    /** The first cycle from {@code from} on in which LED {@code bit} reads {@code value}. */
    static long ledCycle(Testbench tb, int ledIdx, int bit, int value, long from) {
        List<BigInteger[]> h = tb.plainHistory();
        for (long c = from; c < h.size(); c++) if (h.get((int) c)[ledIdx].testBit(bit) == (value == 1)) return c;
        throw new AssertionError("LED " + bit + " never read " + value);
    }

    /**
     * Drives one frame on the RMII receive pins; returns the cycle in which the responder takes the frame's first
     * byte: the byte leaves the receive MAC when the sixth has arrived (the MAC holds five back to cut the FCS),
     * which is two cycles after that byte's last dibit was on the pins (pin register, byte assembly register).
     */
    static long rmiiFrame(Testbench tb, byte[] frame, SplittableRandom r) {
        byte[] wire = EthernetWire.wireAsIs(frame);
        int idle = r.nextInt(4); // dibits 00 with CRS_DV before the preamble
        for (int i = 0; i < idle; i++) {
            tb.set("rmii_crs_dv", 1);
            tb.set("rmii_rxd", 0);
            tb.run(1);
        }
        long firstTaken = -1;
        boolean toggleTail = r.nextBoolean();
        for (int i = 0; i < wire.length; i++) {
            for (int j = 0; j < 4; j++) {
                // carrier lost near the end: CRS_DV low in the first dibit of each nibble, the data still valid
                boolean low = toggleTail && i >= wire.length - 2 && j % 2 == 0;
                tb.set("rmii_crs_dv", low ? 0 : 1);
                tb.set("rmii_rxd", (wire[i] >> (2 * j)) & 3);
                if (i == 8 + 5 && j == 3) firstTaken = tb.cycle() + 2;
                tb.run(1);
            }
        }
        tb.set("rmii_crs_dv", 0);
        tb.set("rmii_rxd", 0);
        tb.run(48 + r.nextInt(100)); // inter-frame gap: 12 bytes or more
        return firstTaken;
    }

    /** A frame that left on the RMII transmit pins: the cycle the responder gave up its first byte, and the frame. */
    record TxFrame(long t3Cycle, byte[] frame) {}

    static List<TxFrame> transmitted(Testbench tb, long from) {
        int en = tb.plainOutIndex("rmii_tx_en"), txd = tb.plainOutIndex("rmii_txd");
        List<BigInteger[]> h = tb.plainHistory();
        List<TxFrame> out = new ArrayList<>();
        for (int c = (int) from; c < h.size(); ) {
            if (h.get(c)[en].signum() == 0) {
                c++;
                continue;
            }
            int start = c;
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            int cur = 0, n = 0;
            while (c < h.size() && h.get(c)[en].signum() != 0) {
                cur |= h.get(c)[txd].intValue() << (2 * n);
                if (++n == 4) {
                    bytes.write(cur);
                    cur = 0;
                    n = 0;
                }
                c++;
            }
            assertEquals(0, n, "whole bytes on TXD (frame at cycle " + start + ")");
            byte[] wire = bytes.toByteArray();
            byte[] payload = BoardCheck.payload(wire, start);
            // the first frame byte's first dibit is on the pins the cycle after the MAC took it from the responder
            out.add(new TxFrame(start + 32 - 1, payload));
        }
        return out;
    }

    @Test
    void answersAtThePinsEqualTheModelsWithTheTimeFromTheUartAndThePps() throws Exception {
        ConfigFile cfg = ConfigFile.load(Path.of("../configs/ice40-hx8k.toml"));
        Design d = Design.elaborate(() -> new Ice40Hx8kBoard(ResponderDesigns.defaults(cfg), cfg.frequencyHz(), 115_200));
        long seed = SimSeeds.announce("fpga_ice40_hx8k", "model", false);
        SplittableRandom r = new SplittableRandom(seed);
        Instant t0 = Instant.parse("2026-11-24T12:00:00Z");
        List<Pcap.Record> in = new TrafficGenerator(cfg, seed).generate(120,
                TrafficGenerator.parseMix("ntp=20,ntp_old=3,ntp_ef=4,arp=5,icmp=2,control=2,other_port=2,not_for_us=2,malformed=5,junk=2"), t0);
        long time1 = ConfigFile.ntpTime(t0), time2 = ConfigFile.ntpTime(t0.plusSeconds(3600));
        try (Testbench tb = Testbench.of(d).build(SimOptions.fast(), seed)) {
            int ledIdx = tb.plainOutIndex("led");
            BoardUart uart = new BoardUart(tb, BAUD_CYCLES);
            tb.set("uart_rx", 1);
            tb.run(100);
            // the time, loaded at once: the clock reads time1 in the cycle after the load, when LED 3 comes on
            uartTime(uart, 0x5A, time1); // boards/ice40-hx8k/README.md: 0x5A + 8 bytes loads at once
            tb.run(10);
            long c1 = ledCycle(tb, ledIdx, 3, 1, 0);
            Responder model = new Responder(TopSim.modelConfig(cfg, t0));
            NtpClock clock1 = new NtpClock(time1, ResponderDesigns.defaults(cfg).clockStep(), NtpClock.Leap.NONE, 0);
            int half = in.size() / 2;
            long txFrom = tb.cycle();
            List<long[]> rx = new ArrayList<>(); // frame index, T2 cycle
            for (int i = 0; i < half; i++) rx.add(new long[] {i, rmiiFrame(tb, in.get(i).frame(), r)});
            tb.run(2000);
            List<TxFrame> tx = transmitted(tb, txFrom);
            int served = check(model, clock1, c1, in, rx, tx);

            // a second time armed over the UART and loaded at the next PPS edge: LED 2 on while armed, off from the load
            uartTime(uart, 0xA5, time2); // 0xA5 + 8 bytes arms a load at the next PPS rising edge
            tb.run(10);
            long armedAt = ledCycle(tb, ledIdx, 2, 1, c1);
            tb.run(1000);
            SimHost.ppsPulse(tb, 20);
            long c2 = ledCycle(tb, ledIdx, 2, 0, armedAt);
            assertTrue(ledCycle(tb, ledIdx, 0, 1, armedAt) <= c2 + 1, "the PPS LED toggled with the edge");
            NtpClock clock2 = new NtpClock(time2, ResponderDesigns.defaults(cfg).clockStep(), NtpClock.Leap.NONE, 0);
            txFrom = tb.cycle();
            rx.clear();
            for (int i = half; i < in.size(); i++) rx.add(new long[] {i, rmiiFrame(tb, in.get(i).frame(), r)});
            tb.run(2000);
            served += check(model, clock2, c2, in, rx, transmitted(tb, txFrom));
            assertTrue(served >= 30, "answers checked: " + served);

            // the counters over the UART: NTP answers, ARP answers, frames not answered, overload drops
            long ntp = model.counters().get(Outcome.ANSWER_NTP), arp = model.counters().get(Outcome.ANSWER_ARP);
            long reportFrom = tb.cycle();
            uart.send(0xC0); // 0xC0: the four counters
            tb.run(17L * 10 * BAUD_CYCLES);
            byte[] rep = uart.received(reportFrom);
            assertEquals(16, rep.length, "report bytes");
            java.nio.ByteBuffer bb = java.nio.ByteBuffer.wrap(rep);
            long gotNtp = bb.getInt() & 0xffffffffL, gotArp = bb.getInt() & 0xffffffffL, gotDrop = bb.getInt() & 0xffffffffL, gotOver = bb.getInt();
            assertEquals(served, gotNtp + gotArp, "answers counted");
            assertEquals(arp, gotArp, "ARP answers counted");
            assertEquals(served - arp, gotNtp, "NTP answers counted (the model also answered " + ntp + " over any family)");
            assertEquals(in.size() - served, gotDrop, "frames not answered, counted");
            assertEquals(0, gotOver, "overload drops");
        }
    }

    /** Each request the model answers (NTP over IPv4, ARP) has its answer on the pins, equal; nothing else leaves. */
    static int check(Responder model, NtpClock clock, long c0, List<Pcap.Record> in, List<long[]> rx, List<TxFrame> tx) {
        model.useClock(clock);
        int next = 0;
        for (long[] e : rx) {
            byte[] req = in.get((int) e[0]).frame();
            Responder.Result res = model.process(req, false, e[1] - c0);
            boolean served = res.outcome() == Outcome.ANSWER_ARP || (res.outcome() == Outcome.ANSWER_NTP && req[12] == 0x08 && req[13] == 0);
            if (!served) continue;
            assertTrue(next < tx.size(), "frame #" + e[0] + " (" + res.outcome().counterName() + "): no answer on the pins");
            TxFrame f = tx.get(next++);
            byte[] want = res.answer().at(f.t3Cycle() - c0);
            assertArrayEquals(want, f.frame(), "answer to frame #" + e[0] + " (" + res.outcome().counterName() + "): "
                    + FrameFields.describeDifference(want, f.frame()));
        }
        assertEquals(next, tx.size(), "frames on the pins that the model does not send");
        return next;
    }
}
