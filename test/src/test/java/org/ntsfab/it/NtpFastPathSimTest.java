package org.ntsfab.it;

import org.ntsfab.harness.SimOptions;
import org.ntsfab.harness.SimSeeds;
import org.ntsfab.harness.Testbench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.ntsfab.gen.LibraryTops;
import org.ntsfab.hdl.Design;
import org.ntsfab.model.ConfigFile;
import org.ntsfab.model.Outcome;
import org.ntsfab.model.Responder;
import org.ntsfab.model.ResponderConfig;
import org.ntsfab.model.clock.NtpClock;
import org.ntsfab.model.pcap.Pcap;
import org.ntsfab.model.traffic.FrameBuilder;
import org.ntsfab.model.traffic.TrafficGenerator;
import org.ntsfab.model.wire.EthernetHeader;
import org.ntsfab.model.wire.Ipv4Header;
import org.ntsfab.model.wire.Ipv6Header;
import org.ntsfab.model.wire.UdpHeader;
import org.ntsfab.harness.AxisFrames;

/**
 * The RTL NTP fast path against the reference model, frame by frame: for a mixed corpus (every
 * kind, malformed variants, VLAN frames, IPv4 options, a receive error on any beat of some frames) under random
 * receive idle and transmit backpressure, every frame gets the model's outcome (the model without NTS, as the RTL has no NTS
 * engine yet), and the RTL answers exactly the frames the model answers as {@code answer_ntp} (with
 * or without extension fields), {@code answer_arp} or {@code answer_ndp_advert}, byte for byte, with
 * T2 and T3 the clock at the cycles the request's first beat arrived and the answer's first beat left.
 */
class NtpFastPathSimTest {
    static ResponderConfig modelConfig(ConfigFile cfg, NtpClock clock) {
        ResponderConfig b = cfg.responder(Instant.EPOCH);
        return new ResponderConfig(b.mac(), b.ipv4(), b.ipv6(), b.vlan(), b.forwardUnmatched(), b.ttl(), b.stratum(), b.refid(),
                b.precision(), b.rootDelay(), b.rootDispersion(), b.synced(), b.icmpMaxPayload(), b.maxPlaceholders(), clock, null);
    }

    static long bits(byte[] b) {
        long v = 0;
        for (byte x : b) v = (v << 8) | (x & 0xff);
        return v;
    }

    static BigInteger big(byte[] b) {
        return new BigInteger(1, b);
    }

    /** The UDP payload length of an IPv4/IPv6 request, or -1. */
    static int udpPayload(byte[] f) {
        try {
            EthernetHeader e = EthernetHeader.parse(f);
            int o = e.length();
            if (e.etherType() == 0x0800) {
                Ipv4Header ip = Ipv4Header.parse(f, o, f.length - o);
                return UdpHeader.parse(f, o + ip.headerLength(), ip.payloadLength()).length() - 8;
            }
            Ipv6Header ip = Ipv6Header.parse(f, o, f.length - o);
            return UdpHeader.parse(f, o + 40, ip.payloadLength()).length() - 8;
        } catch (Exception ex) {
            return -1;
        }
    }

    /** The NTP version of an IPv4/IPv6 UDP request. */
    static int ntpVersion(byte[] f) {
        try {
            EthernetHeader e = EthernetHeader.parse(f);
            int o = e.length();
            int l4 = e.etherType() == 0x0800 ? o + Ipv4Header.parse(f, o, f.length - o).headerLength() : o + 40;
            return (f[l4 + 8] >> 3) & 7;
        } catch (Exception ex) {
            return -1;
        }
    }

    static byte[] ipv4WithOptions(ConfigFile cfg, int optionWords, long xmt) {
        byte[] src = {(byte) 198, 51, 100, 77};
        byte[] u = FrameBuilder.udp(src, cfg.ipv4(), 4000, 123, FrameBuilder.ntpRequest(4, 3, xmt));
        return FrameBuilder.ethernet(cfg.mac(), new byte[] {2, 0, 0, 0, 0, 77}, -1, 0x0800, ipv4Packet(src, cfg.ipv4(), 17, optionWords, u));
    }

    /** An IPv4 packet with {@code optionWords} words of NOP options (TTL 64), header checksum filled in. */
    static byte[] ipv4Packet(byte[] src, byte[] dst, int protocol, int optionWords, byte[] payload) {
        int ihl = 5 + optionWords;
        byte[] ip = new byte[4 * ihl + payload.length];
        ip[0] = (byte) (0x40 | ihl);
        ip[2] = (byte) (ip.length >> 8);
        ip[3] = (byte) ip.length;
        ip[8] = 64;
        ip[9] = (byte) protocol;
        System.arraycopy(src, 0, ip, 12, 4);
        System.arraycopy(dst, 0, ip, 16, 4);
        for (int i = 20; i < 4 * ihl; i++) ip[i] = 1; // NOP options
        long s = 0;
        for (int i = 0; i < 4 * ihl; i += 2) s += ((ip[i] & 0xff) << 8) | (ip[i + 1] & 0xff);
        while (s > 0xffff) s = (s & 0xffff) + (s >> 16);
        int c = ~(int) s & 0xffff;
        ip[10] = (byte) (c >> 8);
        ip[11] = (byte) c;
        System.arraycopy(payload, 0, ip, 4 * ihl, payload.length);
        return ip;
    }

    @ParameterizedTest(name = "offer {0}, ready {1}")
    @CsvSource({"0.8, 0.7", "1.0, 1.0"})
    void rtlAnswersExactlyAsTheModel(double offer, double ready) throws Exception {
        Design d = LibraryTops.elaborate("ntp_fast_path");
        long seed = SimSeeds.announce("ntp_fast_path", "fastpath" + offer, false);
        ConfigFile cfg = ConfigFile.load(Path.of("../configs/example.toml"));
        List<byte[]> frames = new ArrayList<>();
        for (Pcap.Record r : new TrafficGenerator(cfg, seed).generate(1500, TrafficGenerator.DEFAULT_MIX, Instant.EPOCH)) frames.add(r.frame());
        for (int w = 1; w <= 10; w++) frames.add(ipv4WithOptions(cfg, w, 0x1000 + w));
        FrameBuilder.Endpoints tagged = new FrameBuilder.Endpoints(cfg.mac(), cfg.ipv4(), cfg.ipv6(), new byte[] {2, 0, 0, 0, 0, 9},
                new byte[] {(byte) 198, 51, 100, 9}, HexFormat.of().parseHex("20010db8000000000000000000000009"), 100);
        for (int i = 0; i < 20; i++) frames.add(FrameBuilder.udpFrame(tagged, i % 2 == 0, 1000 + i, 123, FrameBuilder.ntpRequest(4, 3, i)));
        // neighbour solicitations sent to our unicast address, with and without the source link-layer option
        byte[] client6 = HexFormat.of().parseHex("20010db8000000000000000000000042");
        for (int opt = 0; opt < 2; opt++) {
            byte[] body = opt == 0 ? FrameBuilder.concat(new byte[4], cfg.ipv6())
                    : FrameBuilder.concat(new byte[4], cfg.ipv6(), new byte[] {1, 1, 2, 0, 0, 0, 0, 0x42});
            for (int hop : new int[] {255, 64})
                frames.add(FrameBuilder.ethernet(cfg.mac(), new byte[] {2, 0, 0, 0, 0, 0x42}, -1, 0x86dd,
                        FrameBuilder.ipv6(client6, cfg.ipv6(), 58, hop, FrameBuilder.icmp(135, 0, body, client6, cfg.ipv6()))));
        }

        long start = ConfigFile.ntpTime(Instant.parse("2026-11-24T12:00:00.123456789Z"));
        long step = NtpClock.stepFor(cfg.frequencyHz());
        NtpClock clock = new NtpClock(start, step, NtpClock.Leap.NONE, 0);
        Responder model = new Responder(modelConfig(cfg, clock));

        try (Testbench tb = Testbench.of(d).source("rx").sink("tx").flow("outcome", "outcome_valid", "outcome")
                .build(SimOptions.fast(), seed)) {
            tb.set("cfg_mac", bits(cfg.mac()));
            tb.set("cfg_ipv4_en", 1);
            tb.set("cfg_ipv4", bits(cfg.ipv4()));
            tb.set("cfg_ipv6_en", 1);
            tb.set("cfg_ipv6", 0); // set below (128 bits)
            tb.set("cfg_ttl", cfg.ttl());
            tb.set("cfg_stratum", cfg.stratum());
            tb.set("cfg_precision", cfg.precision() & 0xff);
            tb.set("cfg_refid", bits(cfg.refid()));
            tb.set("cfg_root_delay", cfg.rootDelay());
            tb.set("cfg_root_dispersion", cfg.rootDispersion());
            tb.set("cfg_synced", 1);
            tb.set("cfg_vlan_en", 0);
            tb.set("cfg_forward_unmatched", cfg.forwardUnmatched() ? 1 : 0);
            tb.set("cfg_icmp_max_payload", cfg.icmpMaxPayload());
            tb.setBig("cfg_ipv6", big(cfg.ipv6()));
            tb.set("clock_step", step);
            tb.set("clock_load_time", start);
            tb.set("clock_load", 1);
            long loadCycle = tb.cycle();
            tb.run(1);
            tb.set("clock_load", 0);
            long cycle0 = loadCycle + 1;

            tb.offerProbability("rx", offer);
            tb.readyProbability("tx", ready);
            List<Integer> firstBeat = new ArrayList<>();
            int beats = 0;
            // one frame in 25 with a receive error (tuser) on one of its beats: drop_rx_error, whatever the frame is
            java.util.SplittableRandom errRnd = new java.util.SplittableRandom(seed ^ 0x5eed);
            boolean[] err = new boolean[frames.size()];
            for (int i = 0; i < frames.size(); i++) {
                firstBeat.add(beats);
                List<AxisFrames.Beat> bs = new ArrayList<>(AxisFrames.toBeats(frames.get(i), 8, 0));
                if (errRnd.nextInt(25) == 0) {
                    err[i] = true;
                    int at = errRnd.nextInt(bs.size());
                    AxisFrames.Beat b = bs.get(at);
                    bs.set(at, new AxisFrames.Beat(b.tdata(), b.tkeep(), b.tlast(), 1));
                }
                for (AxisFrames.Beat b : bs) {
                    tb.push("rx", b.fields());
                    beats++;
                }
            }
            tb.runUntilDrained(10_000_000, 400);
            List<Long> acc = tb.acceptedCycles("rx");
            List<Testbench.Beat> txBeats = tb.beats("tx");
            List<byte[]> answers = AxisFrames.frames(txBeats, 8);
            List<Long> txStart = new ArrayList<>();
            boolean startOfFrame = true;
            for (Testbench.Beat b : txBeats) {
                if (startOfFrame) txStart.add(b.cycle());
                startOfFrame = b.field(2) != 0;
            }
            List<Testbench.Beat> outcomes = tb.beats("outcome");
            assertEquals(frames.size(), outcomes.size(), "one classification per frame");
            int next = 0, compared = 0, efPath = 0, rxErrors = 0;
            for (int i = 0; i < frames.size(); i++) {
                byte[] f = frames.get(i);
                long rx = acc.get(firstBeat.get(i)) - cycle0;
                Responder.Result r = model.process(f, err[i], rx);
                if (err[i]) rxErrors++;
                String rtlOutcome = org.ntsfab.responder.decide.FrameClassifier.OUTCOMES.get((int) outcomes.get(i).field(0));
                assertEquals(r.outcome().name(), rtlOutcome, "frame " + i + " (" + f.length + " B) " + HexFormat.of().formatHex(
                        Arrays.copyOf(f, Math.min(f.length, 80))));
                boolean expect = r.outcome() == Outcome.ANSWER_NTP || r.outcome() == Outcome.ANSWER_ARP
                        || r.outcome() == Outcome.ANSWER_NDP_ADVERT;
                if (r.outcome() == Outcome.ANSWER_NTP && udpPayload(f) > 48) efPath++;
                if (!expect) continue;
                assertTrue(next < answers.size(), "frame " + i + ": the model answers, the RTL did not (" + answers.size() + " RTL answers)");
                long tx = txStart.get(next) - cycle0;
                byte[] want = r.answer().at(tx);
                byte[] got = answers.get(next);
                if (!Arrays.equals(want, got))
                    throw tb.mismatch("frame " + i + " (" + f.length + " B, answer " + next + "): RTL " + HexFormat.of().formatHex(got)
                            + "\n model " + HexFormat.of().formatHex(want), txStart.get(next));
                next++;
                compared++;
            }
            assertEquals(answers.size(), next, "the RTL answered frames the model does not answer");
            assertTrue(compared > 400, "answers compared: " + compared);
            assertTrue(rxErrors > 30, "frames with a receive error: " + rxErrors);
            assertTrue(tb.violations().isEmpty(), tb.violations().toString());
            System.out.printf("ntp_fast_path: %d frames, %d answers equal to the model (%d of them to requests with extension fields)%n",
                    frames.size(), compared, efPath);
        }
    }
}
