package org.ntsfab.it;

import org.ntsfab.responder.top.ResponderDesigns;

import org.ntsfab.harness.SimSeeds;
import org.ntsfab.harness.Testbench;
import org.ntsfab.sim.FrameFields;
import org.ntsfab.sim.TopSim;
import org.ntsfab.sim.host.AxiLiteHost;
import org.ntsfab.sim.host.HostRegisters;
import org.ntsfab.sim.host.SimHost;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.ntsfab.hdl.Design;
import org.ntsfab.model.ConfigFile;
import org.ntsfab.model.Outcome;
import org.ntsfab.model.pcap.Pcap;
import org.ntsfab.model.traffic.FrameBuilder;
import org.ntsfab.model.traffic.TrafficGenerator;
import org.ntsfab.responder.top.NtsFabTop;
import org.ntsfab.responder.ResponderDefaults;
import org.ntsfab.responder.regs.ResponderRegisters;

/**
 * The whole responder core ({@code ntsfab_top}) against the reference model: a mixed corpus (every
 * non-NTS kind, NTP with extension fields and legacy MACs, NTS requests that a server without NTS
 * drops, malformed frames, frames with a receive error, echo requests with IPv4 options and of
 * every small size, host frames to merge into the transmit port) at capture timing, back to back,
 * and under random receive idle and transmit/host backpressure. Every transmitted frame, every host
 * frame and every counter must equal the model's.
 */
class NtsFabTopSimTest {
    static final Instant START = Instant.parse("2026-11-24T12:00:00Z");

    static ConfigFile config() throws Exception {
        return ConfigFile.load(Path.of("../configs/example.toml"));
    }

    /** Echo requests the traffic generator does not make: IPv4 options of 1..10 words, data of 0..80 bytes, both families. */
    static List<byte[]> echoVariants(ConfigFile cfg, SplittableRandom rnd) {
        List<byte[]> out = new ArrayList<>();
        byte[] src4 = {(byte) 198, 51, 100, 7};
        byte[] src6 = HexFormat.of().parseHex("20010db8000000000000000000000077");
        byte[] mac = {2, 0, 0, 0, 0, 7};
        for (int words = 0; words <= 10; words++) {
            for (int data : new int[] {0, 1, 3, 4, 7, 18, 31, 80}) {
                byte[] rest = new byte[4 + data];
                rnd.nextBytes(rest);
                byte[] icmp = FrameBuilder.icmp(8, 0, rest, null, null);
                byte[] ip = NtpFastPathSimTest.ipv4Packet(src4, cfg.ipv4(), 1, words, icmp);
                out.add(FrameBuilder.ethernet(cfg.mac(), mac, -1, 0x0800, ip));
                if (words == 0)
                    out.add(FrameBuilder.ethernet(cfg.mac(), mac, -1, 0x86dd,
                            FrameBuilder.ipv6(src6, cfg.ipv6(), 58, 64, FrameBuilder.icmp(128, 0, rest, src6, cfg.ipv6()))));
            }
        }
        return out;
    }

    static List<Pcap.Record> corpus(ConfigFile cfg, long seed, int count) {
        List<Pcap.Record> in = new ArrayList<>(new TrafficGenerator(cfg, seed).generate(count, TrafficGenerator.DEFAULT_MIX, START));
        // the echo variants in between, a microsecond apart
        Instant t = in.get(in.size() - 1).time();
        for (byte[] f : echoVariants(cfg, new SplittableRandom(seed))) in.add(new Pcap.Record(t = t.plusNanos(1000), f));
        return in;
    }

    static List<byte[]> hostFrames(long seed, int n) {
        SplittableRandom rnd = new SplittableRandom(seed);
        List<byte[]> hostTx = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            byte[] f = new byte[60 + rnd.nextInt(1455)];
            rnd.nextBytes(f);
            f[12] = (byte) 0x88;
            f[13] = (byte) 0xb5; // local experimental EtherType
            hostTx.add(f);
        }
        return hostTx;
    }

    @ParameterizedTest(name = "{0} frames, line rate {1}, rx offer {2}, tx ready {3}, host ready {4}")
    @CsvSource({"3000, false, 1.0, 1.0, 1.0", "3000, true, 1.0, 1.0, 1.0", "3000, true, 0.8, 0.7, 0.6", "2000, false, 0.5, 0.3, 0.2"})
    void equalsTheModel(int count, boolean lineRate, double offer, double txReady, double hostReady) throws Exception {
        long seed = SimSeeds.announce("ntsfab_top", "top" + lineRate + offer + txReady, false);
        ConfigFile cfg = config();
        List<Pcap.Record> in = corpus(cfg, seed, count);
        List<byte[]> hostTx = hostFrames(seed, 40);
        TopSim.Report r = TopSim.run(cfg, in, new TopSim.Options(lineRate, offer, txReady, hostReady, 0.02, seed, Path.of("target/vcd"), true),
                hostTx);
        assertTrue(r.ok(), () -> r.mismatches().size() + " mismatches, first: " + String.join("\n",
                r.mismatches().subList(0, Math.min(10, r.mismatches().size()))));
        var m = r.modelCounters();
        for (Outcome o : new Outcome[] {Outcome.ANSWER_NTP, Outcome.ANSWER_ARP, Outcome.ANSWER_ICMP_ECHO, Outcome.ANSWER_ICMPV6_ECHO,
                Outcome.ANSWER_NDP_ADVERT, Outcome.HOST_UDP_PORT, Outcome.DROP_RX_ERROR, Outcome.DROP_NTP_EXTENSION, Outcome.DROP_NTP_MAC,
                Outcome.DROP_NTS_OVERLOAD, Outcome.DROP_OVERSIZE})
            assertTrue(m.getOrDefault(o, 0L) > 0, "the corpus exercises " + o);
        assertEquals(r.rtlCounters().get("count_tx_frames"), (long) r.tx().size());
        assertEquals(r.rtlCounters().get("count_host_rx_frames"), (long) r.hostRx().size());
        System.out.printf("ntsfab_top: %d frames, %d tx (incl. %d host), %d host rx, %d cycles, overload %d, store overflow %d, %.1f s%n",
                r.frames(), r.tx().size(), hostTx.size(), r.hostRx().size(), r.cycles(), r.rtlCounters().get("count_answer_overload"),
                r.rtlCounters().get("count_store_overflow"), r.wallSeconds());
    }

    /** The 1G configuration: the same core behind byte-wide ports (width adapters), T3 when the answer's first byte leaves. */
    @ParameterizedTest(name = "1G: line rate {0}, rx offer {1}, tx ready {2}, host ready {3}")
    @CsvSource({"false, 1.0, 1.0, 1.0", "true, 0.9, 0.6, 0.5"})
    void oneGigabitConfigurationEqualsTheModel(boolean lineRate, double offer, double txReady, double hostReady) throws Exception {
        long seed = SimSeeds.announce("ntsfab_top_8", "gige" + lineRate, false);
        ConfigFile cfg = ConfigFile.load(Path.of("../configs/gige.toml"));
        assertEquals(1, cfg.busBytes());
        List<Pcap.Record> in = corpus(cfg, seed, 1500);
        TopSim.Report r = TopSim.run(cfg, in, new TopSim.Options(lineRate, offer, txReady, hostReady, 0.02, seed, Path.of("target/vcd"), true),
                hostFrames(seed, 10));
        assertTrue(r.ok(), () -> r.mismatches().size() + " mismatches, first: " + String.join("\n",
                r.mismatches().subList(0, Math.min(10, r.mismatches().size()))));
        assertTrue(r.modelCounters().getOrDefault(Outcome.ANSWER_NTP, 0L) > 300);
        assertTrue(r.modelCounters().getOrDefault(Outcome.ANSWER_ICMP_ECHO, 0L) > 50);
        System.out.printf("ntsfab_top_8: %d frames, %d tx, %d host rx, %d cycles, overload %d, %.1f s%n", r.frames(), r.tx().size(),
                r.hostRx().size(), r.cycles(), r.rtlCounters().get("count_answer_overload"), r.wallSeconds());
    }

    /**
     * A host port that hardly reads: the frame store fills, host and echo frames that do not fit are
     * lost and counted ({@code store_overflow}), and every NTP and ARP answer still leaves.
     */
    @Test
    void aStalledHostPortCostsHostFramesNeverAnswers() throws Exception {
        long seed = SimSeeds.announce("ntsfab_top", "stalled-host", false);
        ConfigFile cfg = config();
        List<Pcap.Record> in = new TrafficGenerator(cfg, seed).generate(3000,
                TrafficGenerator.parseMix("not_for_us=4,other_port=4,junk=2,ntp=4,ntp6=2,arp=1,icmp=2"), START);
        TopSim.Report r = TopSim.run(cfg, in, new TopSim.Options(true, 1.0, 1.0, 0.01, 0.0, seed, Path.of("target/vcd"), true), List.of());
        assertTrue(r.ok(), () -> String.join("\n", r.mismatches().subList(0, Math.min(10, r.mismatches().size()))));
        assertTrue(r.rtlCounters().get("count_store_overflow") > 100, "the store overflowed: " + r.rtlCounters().get("count_store_overflow"));
        assertEquals(0L, r.rtlCounters().get("count_answer_overload"));
        assertEquals(r.modelCounters().get(Outcome.ANSWER_NTP) + r.modelCounters().get(Outcome.ANSWER_ARP),
                r.tx().stream().filter(f -> !FrameFields.isEchoReply(f.frame())).count(), "every NTP and ARP answer sent");
    }

    /** The check itself can fail: an RTL built with another TTL than the model's differs in exactly that field. */
    @Test
    void aDifferenceIsReportedWithFrameFieldAndBytes() throws Exception {
        ConfigFile cfg = config();
        ResponderDefaults d = ResponderDesigns.defaults(cfg);
        ResponderDefaults other = new ResponderDefaults(d.mac(), d.ipv4Enable(), d.ipv4(), d.ipv6Enable(), d.ipv6(), d.vlanEnable(), d.vlan(),
                d.forwardUnmatched(), d.icmpMaxPayload(), d.ttl() - 1, d.stratum(), d.precision(), d.refid(), d.rootDelay(), d.rootDispersion(),
                d.synced(), d.clockStep(), d.ntsEnable(), d.maxPlaceholders());
        Design design = Design.elaborate(() -> new NtsFabTop(other));
        List<Pcap.Record> in = new TrafficGenerator(cfg, 5).generate(200, TrafficGenerator.parseMix("ntp=1"), START);
        TopSim.Report r = TopSim.run(cfg, design, in, TopSim.Options.defaults(5), List.of());
        assertFalse(r.ok());
        assertEquals(200, r.mismatches().size(), String.join("\n", r.mismatches().subList(0, 3)));
        assertTrue(r.mismatches().get(0).matches("answer to frame #0 \\(answer_ntp, rx cycle 0\\) leaving at cycle \\d+: IPv4 TTL at byte 22: "
                + "expected 40.*, got 3f.*"), r.mismatches().get(0));
    }

    /** PPS: the edge is counted and time-stamped, and an armed load takes effect at it. */
    @Test
    void ppsCapturesTheClockAndLoadsAtTheEdge() throws Exception {
        ConfigFile cfg = config();
        // the clock reads start + floor(n * step / 2^32) after n cycles: steps back from a reading
        double perCycle = ResponderDesigns.defaults(cfg).clockStep() / 4294967296.0;
        try (SimHost host = SimHost.of(cfg, 3)) {
            Testbench tb = host.tb();
            HostRegisters regs = host.registers();
            assertEquals(0x4e545346L, regs.read("identity"), "identity \"NTSF\" (docs/registers.md)");
            assertEquals(0x00010000L, regs.read("version"), "version 1.0 (docs/registers.md)");
            long t0 = 0xeb00000000000000L;
            regs.loadClock(t0);
            long loadedAt = host.clockLoadedAt();
            long t1 = 0xeb00001000000000L;
            regs.armClockAtPps(t1);
            tb.run(5);
            assertEquals(1L << 31, regs.ppsStatus(), "armed, no edge yet");
            tb.run(10);
            long edgeInput = tb.cycle();
            host.ppsPulse(20);
            tb.run(20);
            assertEquals(1, regs.ppsStatus(), "one edge, load done");
            long ppsTime = regs.read64("pps_time");
            // the input is high from cycle edgeInput; two synchronizer flops and the edge detector: captured 2 cycles later
            long edgeCycle = (long) Math.ceil((ppsTime - t0) / perCycle) + loadedAt;
            assertTrue(edgeCycle >= edgeInput + 1 && edgeCycle <= edgeInput + 3, "edge seen at cycle " + edgeCycle + ", input at " + edgeInput);
            long now = regs.read64("clock_now");
            long since = (long) Math.ceil((now - t1) / perCycle);
            assertTrue(now >= t1 && since < 200, "clock loaded at the PPS edge: " + Long.toHexString(now) + " = t1 + " + since + " steps");
            assertEquals(edgeCycle + 1 + since, tb.beats(AxiLiteHost.R).get(tb.beats(AxiLiteHost.R).size() - 2).cycle() - 1,
                    "the clock reads t1 in the cycle after the edge");
        }
    }
}
