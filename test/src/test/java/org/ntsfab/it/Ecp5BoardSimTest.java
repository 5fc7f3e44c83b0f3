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
import org.ntsfab.boards.Ecp5VersaCore;
import org.ntsfab.hdl.Design;
import org.ntsfab.model.ConfigFile;
import org.ntsfab.model.Outcome;
import org.ntsfab.model.Responder;
import org.ntsfab.model.clock.NtpClock;
import org.ntsfab.model.pcap.Pcap;
import org.ntsfab.model.traffic.TrafficGenerator;
import org.ntsfab.responder.regs.ResponderRegisters;

/**
 * The ECP5 board's generated core ({@code fpga_core_ecp5_versa}) at the DDR cells' fabric side, against the reference
 * model. Requests go in as RGMII nibble pairs (a Java model of the wire: preamble, SFD, frame, FCS; in-band link status
 * between frames), through the receive MAC, the asynchronous FIFO (both clocks in phase here; unrelated clocks are
 * {@code AsyncFifoSimTest}'s) and the byte-wide responder; the host sets the time over the UART register bridge (the
 * load armed by register writes, taken at a PPS edge) and reads counters back. Every frame leaving on the transmit
 * nibbles must be a valid Ethernet frame equal to the model's answer, in order, with T2 and T3 a constant number of
 * cycles from the receive and transmit SFDs on the pins: the two latencies are found on the first NTP answer and then
 * must hold, to the cycle, for every other answer (constant latency is what a board calibrates away).
 */
class Ecp5BoardSimTest {
    static final int BAUD_CYCLES = 1085; // 125 MHz / 115200
    static final int LINK_STATUS = 0xD; // up, 1000 Mb/s, full duplex

    static void idle(Testbench tb, int cycles) {
        tb.set("rgmii_rx_ctl_rise", 0);
        tb.set("rgmii_rx_ctl_fall", 0);
        tb.set("rgmii_rxd_rise", LINK_STATUS);
        tb.set("rgmii_rxd_fall", LINK_STATUS);
        tb.run(cycles);
    }

    /** Drives one frame on the receive nibbles; returns the cycle its SFD is on the pins. */
    static long rgmiiFrame(Testbench tb, byte[] frame) {
        long sfd = -1;
        byte[] wire = EthernetWire.wireAsIs(frame);
        for (int i = 0; i < wire.length; i++) {
            if (i == 7) sfd = tb.cycle();
            tb.set("rgmii_rx_ctl_rise", 1);
            tb.set("rgmii_rx_ctl_fall", 1); // DV xor ER
            tb.set("rgmii_rxd_rise", wire[i] & 0xf);
            tb.set("rgmii_rxd_fall", (wire[i] >> 4) & 0xf);
            tb.run(1);
        }
        return sfd;
    }

    static List<BoardCheck.TxFrame> transmitted(Testbench tb, long from) {
        int en = tb.plainOutIndex("rgmii_tx_ctl_rise"), er = tb.plainOutIndex("rgmii_tx_ctl_fall");
        int lo = tb.plainOutIndex("rgmii_txd_rise"), hi = tb.plainOutIndex("rgmii_txd_fall");
        List<BigInteger[]> h = tb.plainHistory();
        List<BoardCheck.TxFrame> out = new ArrayList<>();
        for (int c = (int) from; c < h.size(); ) {
            if (h.get(c)[en].signum() == 0) {
                c++;
                continue;
            }
            int start = c;
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            while (c < h.size() && h.get(c)[en].signum() != 0) {
                assertEquals(1, h.get(c)[er].intValue(), "TX_CTL falling = TX_EN xor TX_ER: no transmit error at cycle " + c);
                bytes.write(h.get(c)[lo].intValue() | h.get(c)[hi].intValue() << 4);
                c++;
            }
            byte[] wire = bytes.toByteArray();
            byte[] payload = BoardCheck.payload(wire, start);
            out.add(new BoardCheck.TxFrame(start + 7, payload));
        }
        return out;
    }

    @Test
    void answersAtTheRgmiiPinsEqualTheModelsWithTheTimeSetOverTheUartAndLoadedAtPps() throws Exception {
        ConfigFile cfg = ConfigFile.load(Path.of("../configs/gige.toml"));
        Design d = Design.elaborate(() -> new Ecp5VersaCore(ResponderDesigns.defaults(cfg), cfg.frequencyHz(), 115_200));
        long seed = SimSeeds.announce("fpga_core_ecp5_versa", "model", false);
        Instant t0 = Instant.parse("2026-11-25T12:00:00Z");
        List<Pcap.Record> in = new TrafficGenerator(cfg, seed).generate(100, TrafficGenerator.parseMix(
                "ntp=20,ntp6=6,ntp_ef=3,arp=5,icmp=3,icmp6=2,ndp=2,control=2,other_port=2,not_for_us=2,malformed=5,junk=2"), t0);
        long time = ConfigFile.ntpTime(t0);
        try (Testbench tb = Testbench.of(d).build(SimOptions.fast(), seed)) {
            HostRegisters regs = new HostRegisters(new BoardUart(tb, BAUD_CYCLES));
            tb.set("uart_rx", 1);
            tb.set("pps", 0);
            idle(tb, 100);
            int ledIdx = tb.plainOutIndex("led");
            assertEquals(0x4e545346L, regs.read("identity"), "the register file answers over the UART (identity \"NTSF\")");
            List<BigInteger[]> h = tb.plainHistory();
            long led = h.get(h.size() - 1)[ledIdx].longValue();
            assertEquals(0b11000, led & 0b11000, "link up and 1000 Mb/s from the in-band status: LEDs " + Long.toBinaryString(led));

            // the time for the coming second, armed over the UART, loaded at the PPS edge
            regs.armClockAtPps(time);
            assertEquals(1L << 31, regs.ppsStatus(), "armed");
            long edge = tb.cycle();
            SimHost.ppsPulse(tb, 50);
            assertEquals(1, regs.ppsStatus(), "one edge, load done");

            NtpClock clock = new NtpClock(time, ResponderDesigns.defaults(cfg).clockStep(), NtpClock.Leap.NONE, 0);
            long txFrom = tb.cycle();
            List<Long> sfds = new ArrayList<>();
            SplittableRandom r = new SplittableRandom(seed);
            for (Pcap.Record rec : in) {
                sfds.add(rgmiiFrame(tb, rec.frame()));
                idle(tb, 400 + r.nextInt(200)); // room for the echo builder: answers leave in request order
            }
            idle(tb, 3000);
            List<BoardCheck.TxFrame> tx = transmitted(tb, txFrom);

            BoardCheck.Result res = BoardCheck.check(cfg, t0, clock, in, sfds, tx, edge);
            System.out.println("ecp5 board: T2 is stamped " + res.rxLatency() + " cycles after the receive SFD on the pins (clock origin at the PPS "
                    + "input edge), T3 " + res.txLatency() + " cycles before the transmit SFD");
            assertTrue(res.ntp() >= 15 && res.answers() >= 30, "answers checked: " + res.answers() + ", NTP " + res.ntp());
            Responder model = res.model();

            // counters through the UART, against the model's
            assertEquals(tx.size(), regs.read("count_tx_frames"), "frames sent, counted");
            for (Outcome o : new Outcome[] {Outcome.ANSWER_NTP, Outcome.ANSWER_ARP})
                assertEquals((long) model.counters().getOrDefault(o, 0L), regs.read(ResponderRegisters.counterName(o.name())), o + " counted");
            h = tb.plainHistory();
            led = h.get(h.size() - 1)[ledIdx].longValue();
            assertEquals(0, led & 0b100000, "no receive error seen");
        }
    }
}
