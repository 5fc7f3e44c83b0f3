package org.ntsfab.it;

import org.ntsfab.responder.top.ResponderDesigns;

import org.ntsfab.harness.SimOptions;
import org.ntsfab.harness.SimSeeds;
import org.ntsfab.harness.Testbench;
import org.ntsfab.sim.FrameFields;
import org.ntsfab.sim.TopSim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.ntsfab.hdl.Design;
import org.ntsfab.model.ConfigFile;
import org.ntsfab.model.Outcome;
import org.ntsfab.model.Responder;
import org.ntsfab.model.clock.NtpClock;
import org.ntsfab.model.pcap.Pcap;
import org.ntsfab.model.traffic.TrafficGenerator;
import org.ntsfab.responder.lite.NtpLite8;
import org.ntsfab.responder.ResponderDefaults;
import org.ntsfab.harness.AxisFrames;

/**
 * The reduced byte-wide responder ({@code ntp_lite_8}, for iCE40-class boards) against the reference model, frame by
 * frame: every frame the model answers with {@code answer_ntp} over untagged IPv4 or with {@code answer_arp} must
 * come out byte for byte equal (T2 at the request's first byte, T3 at the cycle the answer's first byte is taken),
 * and nothing else may come out (the reduced profile drops IPv6, VLAN, ICMP, NTS and host-port traffic). The corpus
 * mixes valid NTP (versions 1–4, with unknown extension fields), ARP, IPv4 with options, every kind of malformed
 * frame, receive errors, and traffic the profile does not serve; bytes arrive with gaps and the output is taken
 * with backpressure.
 */
class NtpLiteSimTest {
    static final String MIX = "ntp=30,ntp_old=6,ntp_ef=10,ntp6=4,arp=8,icmp=4,icmp6=2,ndp=2,control=4,other_port=4,not_for_us=4,"
            + "malformed=14,junk=4,nts=4,nts_malformed=2";

    static boolean served(byte[] frame, Outcome o) {
        boolean ipv4Untagged = frame.length > 14 && frame[12] == 0x08 && frame[13] == 0x00;
        return o == Outcome.ANSWER_ARP || (o == Outcome.ANSWER_NTP && ipv4Untagged);
    }

    /**
     * The corpus with a copy of some NTP requests put before them, its UDP length 1, 3 or 5 (not answered): the request
     * behind must not see that length (an odd datagram's last byte is summed as a padded word, at UDP byte length - 1).
     */
    static List<Pcap.Record> withShortUdpLengths(List<Pcap.Record> in) {
        List<Pcap.Record> out = new ArrayList<>();
        int probes = 0;
        for (Pcap.Record r : in) {
            byte[] f = r.frame();
            boolean ntp4 = f.length >= 90 && f[12] == 0x08 && f[13] == 0x00 && f[14] == 0x45 && f[23] == 17 && f[36] == 0 && f[37] == 123;
            if (ntp4 && probes < 60) {
                byte[] bad = f.clone();
                bad[38] = 0;
                bad[39] = (byte) (1 + 2 * (probes++ % 3));
                out.add(new Pcap.Record(r.time(), bad));
            }
            out.add(r);
        }
        assertTrue(probes >= 30, "short-length probes: " + probes);
        return out;
    }

    @ParameterizedTest(name = "tx ready {0}")
    @ValueSource(doubles = {1.0, 0.6})
    void answersEqualTheModelsForEveryServedFrameAndNothingElse(double txReady) throws Exception {
        ConfigFile cfg = ConfigFile.load(Path.of("../configs/example.toml"));
        ResponderDefaults defaults = ResponderDesigns.defaults(cfg);
        Design d = Design.elaborate(() -> new NtpLite8(defaults));
        long seed = SimSeeds.announce("ntp_lite_8", "model", false) + (txReady < 1 ? 1 : 0);
        SplittableRandom r = new SplittableRandom(seed);
        List<Pcap.Record> in = withShortUdpLengths(
                new TrafficGenerator(cfg, seed).generate(1500, TrafficGenerator.parseMix(MIX), Instant.parse("2026-11-24T12:00:00Z")));
        long loadTime = ConfigFile.ntpTime(Instant.parse("2026-11-24T12:00:00Z"));
        try (Testbench tb = Testbench.of(d).source("in").sink("out").build(SimOptions.fast(), seed)) {
            tb.readyProbability("out", txReady);
            tb.set("clock_load_time", loadTime);
            tb.set("clock_load", 1);
            tb.run(1);
            tb.set("clock_load", 0);
            long c0 = tb.cycle();  // the clock reads loadTime in the cycle after the load was high
            tb.run(2);
            boolean[] err = new boolean[in.size()];
            List<Integer> firstBeat = new ArrayList<>(), lastBeat = new ArrayList<>();
            int beats = 0;
            for (int i = 0; i < in.size(); i++) {
                err[i] = r.nextInt(50) == 0;
                firstBeat.add(beats);
                for (AxisFrames.Beat b : AxisFrames.toBeats(in.get(i).frame(), 1, err[i] ? 1 : 0)) {
                    tb.push("in", b.fields());
                    beats++;
                }
                lastBeat.add(beats - 1);
                // the frame's bytes, then a gap: at least the 20 byte slots of preamble and inter-frame gap, often more
                tb.runUntilDrained(10_000, 20 + (r.nextInt(3) == 0 ? r.nextInt(400) : 0));
            }
            tb.run(2000);
            List<Long> acc = tb.acceptedCycles("in");
            List<TopSim.OutFrame> out = new ArrayList<>();
            List<byte[]> frames = AxisFrames.frames(tb.beats("out"), 1);
            boolean sof = true;
            int k = 0;
            for (Testbench.Beat b : tb.beats("out")) {
                if (sof) out.add(new TopSim.OutFrame(b.cycle() - c0, frames.get(k++)));
                sof = b.field(2) != 0;
            }
            Responder model = new Responder(TopSim.modelConfig(cfg, Instant.parse("2026-11-24T12:00:00Z")));
            model.useClock(new NtpClock(loadTime, defaults.clockStep(), NtpClock.Leap.NONE, 0));
            Map<Outcome, Integer> answered = new EnumMap<>(Outcome.class);
            int next = 0, overloads = 0;
            int overloadIdx = tb.plainOutIndex("ev_overload");
            for (int i = 0; i < in.size(); i++) {
                long rx = acc.get(firstBeat.get(i)) - c0;
                Responder.Result res = model.process(in.get(i).frame(), err[i], rx);
                if (!served(in.get(i).frame(), res.outcome())) continue;
                // judged the cycle after its last byte, decided the cycle after that; an answer due while the previous one is still leaving is dropped
                long verdict = acc.get(lastBeat.get(i)) + 2;
                if (tb.plainHistory().get((int) verdict)[overloadIdx].signum() != 0) {
                    overloads++;
                    continue;
                }
                answered.merge(res.outcome(), 1, Integer::sum);
                assertTrue(next < out.size(), "frame #" + i + " (" + res.outcome().counterName() + "): no answer from the RTL");
                TopSim.OutFrame f = out.get(next++);
                byte[] want = res.answer().at(f.cycle());
                if (!java.util.Arrays.equals(want, f.frame()))
                    throw tb.mismatch("answer to frame #" + i + " (" + res.outcome().counterName() + ", rx cycle " + rx + ") leaving at cycle "
                            + f.cycle() + ": " + FrameFields.describeDifference(want, f.frame()), f.cycle() + c0);
            }
            assertEquals(next, out.size(), "the RTL sent answers the model's served outcomes do not have");
            assertTrue(answered.getOrDefault(Outcome.ANSWER_NTP, 0) >= 300, "NTP answers: " + answered);
            assertTrue(answered.getOrDefault(Outcome.ANSWER_ARP, 0) >= 40, "ARP answers: " + answered);
            assertTrue(tb.violations().isEmpty(), "AXI-Stream violations: " + tb.violations());
            System.out.printf("ntp_lite_8, tx ready %.1f: %s, %d overload drop(s), %d frames%n", txReady, answered, overloads, in.size());
            // with the output always taken an answer is always gone before the next request is decided
            if (txReady >= 1.0) assertEquals(0, overloads, "overload drops");
            else assertTrue(overloads < answered.values().stream().mapToInt(Integer::intValue).sum() / 10, "overload drops: " + overloads);
        }
    }
}
