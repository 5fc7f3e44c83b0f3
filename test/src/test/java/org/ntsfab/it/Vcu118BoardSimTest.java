package org.ntsfab.it;

import org.ntsfab.responder.top.ResponderDesigns;

import org.ntsfab.harness.SimOptions;
import org.ntsfab.harness.SimSeeds;
import org.ntsfab.harness.Testbench;
import org.ntsfab.harness.EthernetWire;
import org.ntsfab.sim.host.HostRegisters;
import org.ntsfab.sim.host.SimHost;

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
import org.ntsfab.boards.Vcu118Core;
import org.ntsfab.hdl.Design;
import org.ntsfab.model.ConfigFile;
import org.ntsfab.model.Outcome;
import org.ntsfab.model.clock.NtpClock;
import org.ntsfab.model.pcap.Pcap;
import org.ntsfab.model.traffic.TrafficGenerator;
import org.ntsfab.responder.regs.ResponderRegisters;

/**
 * The VCU118 board's generated core ({@code fpga_core_vcu118_nts48}) at its XGMII, against the reference model: requests go
 * in as XGMII beats (a clause-46 wire model: /S/ in lane 0 or lane 4 at random, preamble, SFD, frame, FCS, /T/, idles),
 * through our receive MAC, the asynchronous FIFO (clocks in phase) and the 64-bit responder; the time is armed over the
 * UART register bridge and loaded at a PPS edge. Every frame on the transmit XGMII must be a well-formed clause-46 frame
 * (start in lane 0 or 4, idles between frames, no /E/) equal to the model's answer, in order, with T2 and T3 a constant
 * number of cycles from the cycle the (realigned) start column is taken on receive and the cycle the start column is on
 * the transmit XGMII. The configuration is configs/example.toml (one NTS core; the board's two-core configuration differs
 * only in the core count, which NtsSimTest covers).
 */
class Vcu118BoardSimTest {
    static final int BAUD_CYCLES = 1356; // 156.25 MHz / 115200
    static final int S = 0xFB, T = 0xFD, I = 0x07;

    /** XGMII lanes (value, control) to drive, beat by beat. */
    static final class Xgmii {
        final List<int[]> lanes = new ArrayList<>();

        void idle(int n) {
            for (int i = 0; i < n; i++) lanes.add(new int[] {I, 1});
        }

        /** Appends one frame starting in lane 0 or 4; returns the index of its start lane. */
        int frame(byte[] frame, boolean lane4) {
            idle(12);
            while (lanes.size() % 8 != (lane4 ? 4 : 0)) lanes.add(new int[] {I, 1});
            int at = lanes.size();
            byte[] w = EthernetWire.wire(frame);
            lanes.add(new int[] {S, 1});
            for (int i = 1; i < w.length; i++) lanes.add(new int[] {w[i] & 0xff, 0});
            lanes.add(new int[] {T, 1});
            return at;
        }
    }

    @Test
    void answersAtTheXgmiiEqualTheModelsWithTheTimeSetOverTheUartAndLoadedAtPps() throws Exception {
        ConfigFile cfg = ConfigFile.load(Path.of("../configs/example.toml"));
        Design d = Design.elaborate(() -> new Vcu118Core(ResponderDesigns.defaults(cfg), ResponderDesigns.ntsConfig(cfg), cfg.frequencyHz(), 115_200));
        long seed = SimSeeds.announce("fpga_core_vcu118", "model", false);
        SplittableRandom r = new SplittableRandom(seed);
        Instant t0 = Instant.parse("2026-11-25T12:00:00Z");
        List<Pcap.Record> in = new TrafficGenerator(cfg, seed).generate(100, TrafficGenerator.parseMix(
                "ntp=20,ntp6=6,ntp_ef=3,arp=5,icmp=3,icmp6=2,ndp=2,control=2,other_port=2,not_for_us=2,malformed=5,junk=2"), t0);
        long time = ConfigFile.ntpTime(t0);
        try (Testbench tb = Testbench.of(d).build(SimOptions.fast(), seed)) {
            HostRegisters regs = new HostRegisters(new BoardUart(tb, BAUD_CYCLES));
            tb.set("uart_rx", 1);
            tb.set("pps", 0);
            tb.set("block_lock", 1);
            tb.setBig("xgmii_rxd", BigInteger.valueOf(0x0707070707070707L));
            tb.set("xgmii_rxc", 0xff);
            tb.run(100);
            assertEquals(0x4e545346L, regs.read("identity"), "the register file answers over the UART (identity \"NTSF\")");
            regs.armClockAtPps(time);
            long edge = tb.cycle();
            SimHost.ppsPulse(tb, 50);
            assertEquals(1, regs.ppsStatus(), "one edge, load done");

            // the requests, 600..800 byte times apart so that answers leave in request order
            Xgmii x = new Xgmii();
            List<Integer> starts = new ArrayList<>();
            for (Pcap.Record rec : in) {
                starts.add(x.frame(rec.frame(), r.nextBoolean()));
                x.idle(600 + r.nextInt(200));
            }
            x.idle(8 * 400);
            while (x.lanes.size() % 8 != 0) x.idle(1);
            long base = tb.cycle(), txFrom = tb.cycle();
            for (int b = 0; b < x.lanes.size(); b += 8) {
                BigInteger data = BigInteger.ZERO;
                int ctl = 0;
                for (int l = 7; l >= 0; l--) {
                    data = data.shiftLeft(8).or(BigInteger.valueOf(x.lanes.get(b + l)[0]));
                    ctl |= x.lanes.get(b + l)[1] << l;
                }
                tb.setBig("xgmii_rxd", data);
                tb.set("xgmii_rxc", ctl);
                tb.run(1);
            }
            // receive reference: the cycle the start column is taken (a lane-4 start is realigned into the next beat)
            List<Long> rxSfd = new ArrayList<>();
            for (int at : starts) rxSfd.add(base + at / 8 + (at % 8 == 4 ? 1 : 0));

            // the transmit XGMII: clause-46 frames, their start column's cycle as the reference
            List<BigInteger[]> h = tb.plainHistory();
            int dIdx = tb.plainOutIndex("xgmii_txd"), cIdx = tb.plainOutIndex("xgmii_txc");
            List<int[]> w = new ArrayList<>();
            for (int c = (int) txFrom; c < h.size(); c++)
                for (int l = 0; l < 8; l++) w.add(new int[] {h.get(c)[dIdx].shiftRight(8 * l).intValue() & 0xff, h.get(c)[cIdx].intValue() >> l & 1});
            List<BoardCheck.TxFrame> tx = new ArrayList<>();
            int lane4 = 0;
            for (int p = 0; p < w.size(); ) {
                if (w.get(p)[1] == 1 && w.get(p)[0] == I) {
                    p++;
                    continue;
                }
                assertTrue(w.get(p)[1] == 1 && w.get(p)[0] == S && p % 4 == 0, "a start in lane 0 or 4 at byte " + p);
                if (p % 8 == 4) lane4++;
                long cycle = txFrom + p / 8;
                ByteArrayOutputStream f = new ByteArrayOutputStream();
                f.write(0x55);
                for (p++; !(w.get(p)[1] == 1 && w.get(p)[0] == T); p++) {
                    assertEquals(0, w.get(p)[1], "no control character inside a frame, byte " + p);
                    f.write(w.get(p)[0]);
                }
                p++;
                tx.add(new BoardCheck.TxFrame(cycle, BoardCheck.payload(f.toByteArray(), cycle)));
            }
            NtpClock clock = new NtpClock(time, ResponderDesigns.defaults(cfg).clockStep(), NtpClock.Leap.NONE, 0);
            BoardCheck.Result res = BoardCheck.check(cfg, t0, clock, in, rxSfd, tx, edge);
            System.out.println("vcu118 board: T2 is stamped " + res.rxLatency() + " cycles after the receive start column is taken, T3 "
                    + res.txLatency() + " cycles before the transmit start column; " + res.answers() + " answers, " + lane4 + " sent in lane 4");
            assertTrue(res.ntp() >= 15 && res.answers() >= 30, "answers checked: " + res.answers() + ", NTP " + res.ntp());
            assertEquals(tx.size(), regs.read("count_tx_frames"), "frames sent, counted");
            for (Outcome o : new Outcome[] {Outcome.ANSWER_NTP, Outcome.ANSWER_ARP})
                assertEquals((long) res.model().counters().getOrDefault(o, 0L), regs.read(ResponderRegisters.counterName(o.name())), o + " counted");
        }
    }
}
