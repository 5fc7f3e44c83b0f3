package org.ntsfab.responder.answer;

import static org.ntsfab.responder.ResponderBench.b;
import static org.ntsfab.responder.ResponderBench.etherType;
import static org.ntsfab.responder.ResponderBench.field;
import static org.ntsfab.responder.ResponderBench.l3;
import static org.ntsfab.responder.ResponderBench.tagged;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.ntsfab.harness.SimOptions;
import org.ntsfab.harness.SimSeeds;
import org.ntsfab.harness.Testbench;
import org.ntsfab.hdl.Axis;
import org.ntsfab.hdl.Bool;
import org.ntsfab.hdl.Component;
import org.ntsfab.hdl.Design;
import org.ntsfab.hdl.Flow;
import org.ntsfab.hdl.UInt;
import org.ntsfab.model.ConfigFile;
import org.ntsfab.model.Outcome;
import org.ntsfab.model.Responder;
import org.ntsfab.model.ResponderConfig;
import org.ntsfab.model.clock.NtpClock;
import org.ntsfab.model.pcap.Pcap;
import org.ntsfab.model.traffic.FrameBuilder;
import org.ntsfab.model.traffic.TrafficGenerator;
import org.ntsfab.model.wire.Ipv6Header;
import org.ntsfab.responder.ResponderBench;
import org.ntsfab.responder.ResponderCfg;
import org.ntsfab.responder.decide.AnswerJob;

/**
 * The header-built answers (NTP over IPv4 and IPv6, ARP replies, neighbour advertisements to unicast and multicast
 * solicitations, tagged and untagged) byte for byte against the reference model: each job is built here from the
 * request's bytes and the model's decision (never by the classifier), T2 is the model clock at the job's cycle, and
 * the answer must be the model's answer completed with T3 = the model clock in the cycle its first beat is accepted,
 * with the clock advancing every cycle, random backpressure on the transmit side and bursts that queue jobs, under
 * four configurations with non-default served fields (VLAN, TTL, stratum, precision, refid, root delay and
 * dispersion, unsynchronized, leap second pending).
 */
class NtpAnswererSimTest {
    /** The answerer with T3 stamped when its first beat is accepted, as on a 64-bit port. */
    static final class Top extends Component {
        final Flow<AnswerJob> job = slave(new Flow<>(new AnswerJob()));
        final ResponderCfg cfg = in(new ResponderCfg());
        final UInt now = in(new UInt(64));
        final Axis out;
        final Bool answered = out(new Bool()), overload_drop = out(new Bool());

        Top() {
            moduleName("ntp_answerer_bench");
            out = master(new Axis(8, 1));
            NtpAnswerer a = add("answerer", new NtpAnswerer());
            a.job.connectFrom(job);
            a.cfg.setFrom(cfg);
            a.now.set(now);
            a.t3_stamp.set(a.out.fire());
            out.connectFrom(a.out);
            answered.set(a.answered);
            overload_drop.set(a.overload_drop);
        }
    }

    static final Map<String, String> CONFIGS = Map.of("vlan_no_forward", ResponderBench.VLAN_NO_FORWARD,
            "ipv4_only", ResponderBench.IPV4_ONLY, "ipv6_only", ResponderBench.IPV6_ONLY);

    record Request(byte[] frame, Outcome kind) {}

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"example", "vlan_no_forward", "ipv4_only", "ipv6_only"})
    void answersAreTheModelsByteForByte(String config) throws Exception {
        ConfigFile cf = config.equals("example") ? ConfigFile.load(Path.of("../configs/example.toml")) : ResponderBench.parse(CONFIGS.get(config));
        ResponderConfig rc = cf.responder(Instant.parse("2026-11-24T00:00:00Z"));
        NtpClock clock = rc.clock();
        long seed = SimSeeds.announce("ntp_answerer", "answerer-" + config, false);
        SplittableRandom r = new SplittableRandom(seed);
        List<Request> reqs = requests(cf, rc, seed, r);
        Map<Outcome, Integer> kinds = new EnumMap<>(Outcome.class);
        for (Request q : reqs) kinds.merge(q.kind(), 1, Integer::sum);
        System.out.println("ntp_answerer " + config + ": " + reqs.size() + " answers " + kinds);

        Responder model = new Responder(rc);
        List<Responder.Result> results = new ArrayList<>();
        try (Testbench tb = Testbench.of(Design.elaborate(Top::new)).sink("out").build(SimOptions.fast(), seed)) {
            ResponderBench.setCfg(tb, rc);
            tb.readyProbability("out", 0.6);
            int next = 0, done = 0, scanned = 0;
            long lastProgress = 0;
            while (done < reqs.size()) {
                long c = tb.cycle();
                if (c - lastProgress > 5000) throw new AssertionError("no answer for 5000 cycles: " + done + " of " + reqs.size());
                tb.set("now", clock.at(c));
                // bursts of jobs (up to 28 waiting: the queue is 32 deep), and quiet stretches
                boolean burst = (c / 600) % 2 == 0;
                boolean push = next < reqs.size() && next - done < 28 && r.nextDouble() < (burst ? 0.7 : 0.04);
                if (push) {
                    Request q = reqs.get(next++);
                    Responder.Result res = model.process(q.frame(), false, c);
                    assertEquals(q.kind(), res.outcome(), "the model's decision is the one the job was built for");
                    results.add(res);
                    setJob(tb, job(q, rc, clock, c));
                }
                tb.set("job_valid", push ? 1 : 0);
                tb.run(1);
                List<Testbench.Beat> bs = tb.beats("out");
                for (; scanned < bs.size(); scanned++) {
                    if (bs.get(scanned).field(2) != 0) done++;
                    lastProgress = c;
                }
            }
            tb.run(20);
            assertTrue(tb.violations().isEmpty(), "out changed while stalled: " + tb.violations());
            // every job taken into the queue (never more than 28 waiting), none dropped
            int answered = tb.plainOutIndex("answered"), overload = tb.plainOutIndex("overload_drop");
            long taken = 0, dropped = 0;
            for (BigInteger[] row : tb.plainHistory()) {
                taken += row[answered].longValue();
                dropped += row[overload].longValue();
            }
            assertEquals(reqs.size(), taken, "answered: one per job");
            assertEquals(0, dropped, "overload_drop with the queue never full");
            List<Testbench.Beat> beats = tb.beats("out");
            List<byte[]> frames = org.ntsfab.harness.AxisFrames.frames(beats, 8);
            assertEquals(reqs.size(), frames.size(), "one answer per job");
            List<Long> starts = new ArrayList<>();
            boolean inFrame = false;
            for (Testbench.Beat bt : beats) {
                if (!inFrame) starts.add(bt.cycle());
                inFrame = bt.field(2) == 0;
            }
            for (int i = 0; i < frames.size(); i++) {
                byte[] want = results.get(i).answer().at(starts.get(i));
                byte[] got = frames.get(i);
                if (!Arrays.equals(want, got))
                    throw tb.mismatch("answer " + i + " (" + reqs.get(i).kind() + ", first beat at cycle " + starts.get(i) + "): "
                            + diff(want, got), starts.get(i));
            }
        }
    }

    static String diff(byte[] want, byte[] got) {
        HexFormat h = HexFormat.of();
        if (want.length != got.length) return want.length + " bytes in the model, " + got.length + " sent\n model " + h.formatHex(want) + "\n  sent " + h.formatHex(got);
        for (int i = 0; i < want.length; i++)
            if (want[i] != got[i]) return "first difference at byte " + i + "\n model " + h.formatHex(want) + "\n  sent " + h.formatHex(got);
        return "equal";
    }

    /** The answer job for a request, from its bytes and the model's decision, with T2 and leap of cycle {@code c}. */
    static Map<String, BigInteger> job(Request q, ResponderConfig rc, NtpClock clock, long c) {
        byte[] f = q.frame();
        int l3 = l3(f);
        Map<String, BigInteger> j = new LinkedHashMap<>();
        boolean arp = q.kind() == Outcome.ANSWER_ARP, ns = q.kind() == Outcome.ANSWER_NDP_ADVERT, v6 = etherType(f) == 0x86dd;
        j.put("job_ns", bit(ns));
        j.put("job_ns_multicast", bit(ns && Arrays.equals(Arrays.copyOfRange(f, l3 + 24, l3 + 40), Ipv6Header.solicitedNode(rc.ipv6()))));
        j.put("job_arp", bit(arp));
        j.put("job_v6", bit(v6));
        j.put("job_tagged", bit(tagged(f)));
        j.put("job_tci", tagged(f) ? field(f, 14, 2) : BigInteger.ZERO);
        j.put("job_mac", field(f, 6, 6));
        int l4 = l3 + (v6 ? 40 : 4 * (b(f, l3) & 0x0f)), ntp = l4 + 8;
        j.put("job_ip", arp ? field(f, l3 + 14, 4) : v6 ? field(f, l3 + 8, 16) : field(f, l3 + 12, 4));
        j.put("job_port", arp || ns ? BigInteger.ZERO : field(f, l4, 2));
        j.put("job_vn", BigInteger.valueOf(arp || ns ? 0 : (b(f, ntp) >> 3) & 7));
        j.put("job_poll", arp || ns ? BigInteger.ZERO : field(f, ntp + 2, 1));
        j.put("job_origin", arp ? field(f, l3 + 8, 6) : ns ? BigInteger.ZERO : field(f, ntp + 40, 8));
        j.put("job_t2", new BigInteger(Long.toUnsignedString(clock.at(c))));
        j.put("job_leap", BigInteger.valueOf(clock.leapIndicator(c)));
        return j;
    }

    static BigInteger bit(boolean b) {
        return b ? BigInteger.ONE : BigInteger.ZERO;
    }

    static void setJob(Testbench tb, Map<String, BigInteger> j) {
        for (Map.Entry<String, BigInteger> e : j.entrySet()) tb.setBig(e.getKey(), e.getValue());
    }

    /** Requests the header-built answers serve, each with the model's decision. */
    static List<Request> requests(ConfigFile cf, ResponderConfig rc, long seed, SplittableRandom r) {
        List<byte[]> frames = new ArrayList<>();
        for (Pcap.Record rec : new TrafficGenerator(cf, seed).generate(260, TrafficGenerator.parseMix("ntp=6,ntp6=4,ntp_old=3,arp=3,ndp=2"),
                Instant.EPOCH)) frames.add(rec.frame());
        byte[] client = {2, 0, 0, 0, 0, 0x42};
        byte[] c6 = new byte[16];
        c6[0] = 0x20;
        c6[1] = 0x01;
        c6[15] = 0x66;
        if (rc.ipv6() != null) {
            // solicitations to our unicast address (no option in the advert) and other priorities in the tag
            for (int i = 0; i < 16; i++) {
                byte[] ns = i % 2 == 0 ? FrameBuilder.concat(new byte[4], rc.ipv6()) : FrameBuilder.concat(new byte[4], rc.ipv6(), new byte[] {1, 1}, client);
                int tci = rc.vlan() < 0 ? -1 : rc.vlan() | (r.nextInt(8) << 13);
                frames.add(FrameBuilder.ethernet(rc.mac(), client, tci, 0x86dd, FrameBuilder.ipv6(c6, rc.ipv6(), 58, 255, FrameBuilder.icmp(135, 0, ns, c6, rc.ipv6()))));
            }
        }
        // NTP with every poll value and version, priority bits in the tag
        for (int i = 0; i < 24; i++) {
            boolean v6 = rc.ipv4() == null || rc.ipv6() != null && i % 2 == 0;
            byte[] p = FrameBuilder.ntpRequest(1 + r.nextInt(4), 3, r.nextLong());
            p[2] = (byte) r.nextInt(256);
            p[0] |= (byte) (r.nextInt(4) << 6);
            byte[] c4 = {(byte) 198, 51, 100, (byte) r.nextInt(256)};
            int tci = rc.vlan() < 0 ? -1 : rc.vlan() | (r.nextInt(8) << 13) | (r.nextInt(2) << 12);
            byte[] u = FrameBuilder.udp(v6 ? c6 : c4, v6 ? rc.ipv6() : rc.ipv4(), 1 + r.nextInt(65535), 123, p);
            frames.add(FrameBuilder.ethernet(rc.mac(), client, tci, v6 ? 0x86dd : 0x0800,
                    v6 ? FrameBuilder.ipv6(c6, rc.ipv6(), 17, 64, u) : FrameBuilder.ipv4(c4, rc.ipv4(), 17, 64, u)));
        }
        Responder decide = new Responder(rc);
        List<Request> out = new ArrayList<>();
        for (byte[] f : frames) {
            Outcome o = decide.process(f, false, 0).outcome();
            if (o == Outcome.ANSWER_NTP || o == Outcome.ANSWER_ARP || o == Outcome.ANSWER_NDP_ADVERT) out.add(new Request(f, o));
        }
        // shuffled, so kinds and layouts follow each other in every order
        for (int i = out.size() - 1; i > 0; i--) {
            int k = r.nextInt(i + 1);
            Request t = out.get(i);
            out.set(i, out.get(k));
            out.set(k, t);
        }
        return out;
    }
}
