package org.ntsfab.responder.decide;

import static org.ntsfab.responder.ResponderBench.b;
import static org.ntsfab.responder.ResponderBench.etherType;
import static org.ntsfab.responder.ResponderBench.field;
import static org.ntsfab.responder.ResponderBench.l3;
import static org.ntsfab.responder.ResponderBench.put16;
import static org.ntsfab.responder.ResponderBench.refix;
import static org.ntsfab.responder.ResponderBench.tagged;
import static org.ntsfab.responder.ResponderBench.u16;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.ntsfab.harness.AxisFrames;
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
import org.ntsfab.model.wire.Ipv4Header;
import org.ntsfab.model.wire.Ipv6Header;
import org.ntsfab.responder.ResponderBench;
import org.ntsfab.responder.ResponderCfg;
import org.ntsfab.responder.rx.FrameIngress;

/**
 * The decision stage behind the receive front end (as NtsFabTop wires them), frame by frame against the reference
 * model: for every frame of a mixed corpus (the traffic generator's kinds, single-field mutations with and without
 * fixed-up checksums, IPv4 options, other VLAN tags and priorities, size limits, receive errors), under four
 * configurations with non-default served fields, its outcome is the model's {@link Outcome} (an NTS-bound request is
 * ANSWER_NTS until the engine decides), its host and echo verdicts are the model's, and its answer and echo jobs carry
 * what the model's answer frame shows (addresses, port, version, poll, origin, T2, leap, tag; the echo reply's length
 * and checksum). The expected jobs are read from the model's answer frames and the request bytes, never from the RTL.
 */
class FrameClassifierSimTest {
    /** The bench top: FrameIngress → FrameClassifier, the classifier's outputs as ports. */
    static final class Top extends Component {
        final Axis in;
        final UInt now = in(new UInt(64));
        final UInt leap = in(new UInt(2));
        final ResponderCfg cfg = in(new ResponderCfg());
        final Bool valid = out(new Bool());
        final UInt outcome = out(new UInt(6));
        final Flow<AnswerJob> answer = out(new Flow<>(new AnswerJob()));
        final Flow<EchoJob> echo = out(new Flow<>(new EchoJob()));
        final Bool to_host = out(new Bool());
        final UInt nts_payload_offset = out(new UInt(8));
        final UInt nts_payload_length = out(new UInt(11));

        Top() {
            moduleName("frame_classifier_bench");
            in = slave(new Axis(8, 1));
            FrameIngress ingress = add("ingress", new FrameIngress());
            ingress.in.connectFrom(in);
            ingress.now.set(now);
            ingress.leap.set(leap);
            FrameClassifier c = add("classifier", new FrameClassifier());
            c.desc_valid.set(ingress.desc_valid);
            c.desc.setFrom(ingress.desc);
            c.cfg.setFrom(cfg);
            valid.set(c.valid);
            outcome.set(c.outcome);
            answer.connectFrom(c.answer);
            echo.connectFrom(c.echo);
            to_host.set(c.to_host);
            nts_payload_offset.set(c.nts_payload_offset);
            nts_payload_length.set(c.nts_payload_length);
        }
    }

    static final List<String> FIELDS = List.of("outcome", "to_host", "answer_valid", "echo_valid", "nts_payload_offset",
            "nts_payload_length", "answer_ns", "answer_ns_multicast", "answer_arp", "answer_v6", "answer_tagged", "answer_tci",
            "answer_mac", "answer_ip", "answer_port", "answer_vn", "answer_poll", "answer_origin", "answer_t2", "answer_leap",
            "echo_tagged", "echo_tci", "echo_mac", "echo_v6", "echo_ip", "echo_option_bytes", "echo_icmp_length", "echo_checksum");

    static final Map<String, String> CONFIGS = Map.of("example", "", "vlan_no_forward", ResponderBench.VLAN_NO_FORWARD,
            "ipv4_only", ResponderBench.IPV4_ONLY, "ipv6_only", ResponderBench.IPV6_ONLY);

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"example", "vlan_no_forward", "ipv4_only", "ipv6_only"})
    void decisionsAndJobsAreTheModels(String config) throws Exception {
        ConfigFile cf = config.equals("example") ? ConfigFile.load(Path.of("../configs/example.toml")) : ResponderBench.parse(CONFIGS.get(config));
        ResponderConfig rc = cf.responder(Instant.parse("2026-11-24T00:00:00Z"));
        NtpClock clock = rc.clock();
        Responder model = new Responder(rc);
        long seed = SimSeeds.announce("frame_classifier", "classifier-" + config, false);
        SplittableRandom r = new SplittableRandom(seed);
        List<byte[]> frames = corpus(cf, rc, seed, r);
        Design d = Design.elaborate(Top::new);
        String[] payload = FIELDS.toArray(String[]::new);
        Map<Outcome, Integer> seen = new EnumMap<>(Outcome.class);
        try (Testbench tb = Testbench.of(d).source("in").flow("decision", "valid", payload).build(SimOptions.fast(), seed)) {
            ResponderBench.setCfg(tb, rc);
            tb.offerProbability("in", 0.7);
            long[] rx = new long[frames.size()];
            boolean[] err = new boolean[frames.size()];
            for (int i = 0; i < frames.size(); i++) {
                rx[i] = i * 1_000_000L + r.nextInt(1000);
                err[i] = r.nextInt(25) == 0;
                tb.set("now", clock.at(rx[i]));
                tb.set("leap", clock.leapIndicator(rx[i]));
                for (AxisFrames.Beat beat : AxisFrames.toBeats(frames.get(i), 8, err[i] ? 1 : 0)) tb.push("in", beat.fields());
                tb.runUntilDrained(100_000, 4);
            }
            tb.run(8);
            List<Testbench.Beat> got = tb.beats("decision");
            assertEquals(frames.size(), got.size(), "one decision per frame");
            for (int i = 0; i < frames.size(); i++) {
                byte[] f = frames.get(i);
                Responder.Result res = model.process(f, err[i], rx[i]);
                seen.merge(res.outcome(), 1, Integer::sum);
                check(tb, got.get(i), i, f, res, rc, clock, rx[i]);
            }
        }
        System.out.println("frame_classifier " + config + ": " + frames.size() + " frames, outcomes " + new TreeMap<>(seen));
        // the corpus reaches the rules it is meant to
        for (Outcome o : List.of(Outcome.ANSWER_NTP, Outcome.ANSWER_ICMP_ECHO, Outcome.DROP_RX_ERROR, Outcome.DROP_UDP_CHECKSUM,
                Outcome.DROP_NTP_VERSION, Outcome.DROP_BAD_SOURCE, Outcome.HOST_UDP_PORT, Outcome.DROP_RUNT, Outcome.DROP_OVERSIZE)) {
            if (rc.ipv4() == null && o == Outcome.ANSWER_ICMP_ECHO) continue;
            assertTrue(seen.containsKey(o), config + ": corpus never reached " + o);
        }
        assertTrue(seen.containsKey(rc.nts() != null ? Outcome.ANSWER_NTS : Outcome.DROP_NTS_DISABLED), config + ": NTS-bound requests");
        assertTrue(seen.containsKey(Outcome.DROP_NTP_SHORT) && seen.containsKey(Outcome.DROP_NTP_MODE), config + ": NTP rules");
        if (rc.ipv4() != null) assertTrue(seen.containsKey(Outcome.ANSWER_ARP) && seen.containsKey(Outcome.HOST_IPV4_FRAGMENT));
        if (rc.ipv6() != null) assertTrue(seen.containsKey(Outcome.ANSWER_NDP_ADVERT) && seen.containsKey(Outcome.ANSWER_ICMPV6_ECHO));
    }

    /** The classifier's code for the model's outcome: NTS-bound requests are ANSWER_NTS until the NTS engine decides. */
    static Outcome expectedOutcome(Outcome o) {
        return switch (o) {
            case ANSWER_NTS_NAK_COOKIE, ANSWER_NTS_NAK_AUTH, DROP_NTS_MALFORMED, DROP_NTS_OVERLOAD -> Outcome.ANSWER_NTS;
            default -> o;
        };
    }

    static void check(Testbench tb, Testbench.Beat g, int i, byte[] f, Responder.Result res, ResponderConfig rc, NtpClock clock, long rx) {
        String ctx = "frame " + i + " (" + f.length + " B, model " + res.outcome() + ")";
        java.util.function.ToLongFunction<String> v = n -> g.field(FIELDS.indexOf(n));
        java.util.function.Function<String, BigInteger> vb = n -> g.fields()[FIELDS.indexOf(n)];
        Outcome want = expectedOutcome(res.outcome());
        int code = (int) v.applyAsLong("outcome");
        if (code != want.ordinal())
            throw tb.mismatch(ctx + ": outcome " + (code < Outcome.values().length ? Outcome.values()[code] : code) + ", model " + want, g.cycle());
        assertEquals(res.toHost() ? 1 : 0, v.applyAsLong("to_host"), ctx + " to_host");
        boolean echo = want == Outcome.ANSWER_ICMP_ECHO || want == Outcome.ANSWER_ICMPV6_ECHO;
        boolean header = want == Outcome.ANSWER_NTP || want == Outcome.ANSWER_ARP || want == Outcome.ANSWER_NDP_ADVERT;
        assertEquals(echo ? 1 : 0, v.applyAsLong("echo_valid"), ctx + " echo verdict");
        assertEquals(header ? 1 : 0, v.applyAsLong("answer_valid"), ctx + " answer job valid");
        Map<String, BigInteger> exp = new TreeMap<>();
        int l3 = l3(f);
        if (header) {
            byte[] a = res.answer().at(rx + 100);
            int al3 = l3(a);
            exp.put("answer_mac", field(a, 0, 6));
            exp.put("answer_tagged", BigInteger.valueOf(tagged(a) ? 1 : 0));
            if (tagged(a)) exp.put("answer_tci", field(a, 14, 2));
            exp.put("answer_arp", BigInteger.valueOf(want == Outcome.ANSWER_ARP ? 1 : 0));
            exp.put("answer_ns", BigInteger.valueOf(want == Outcome.ANSWER_NDP_ADVERT ? 1 : 0));
            if (want == Outcome.ANSWER_ARP) {
                exp.put("answer_ip", field(a, al3 + 24, 4));
                exp.put("answer_origin", field(a, al3 + 18, 6));
            } else if (want == Outcome.ANSWER_NDP_ADVERT) {
                exp.put("answer_v6", BigInteger.ONE);
                exp.put("answer_ip", field(a, al3 + 24, 16));
                exp.put("answer_ns_multicast", BigInteger.valueOf(u16(a, al3 + 4) == 32 ? 1 : 0));
            } else {
                boolean v6 = etherType(a) == 0x86dd;
                int l4 = al3 + (v6 ? 40 : 20), ntp = l4 + 8;
                exp.put("answer_v6", BigInteger.valueOf(v6 ? 1 : 0));
                exp.put("answer_ip", v6 ? field(a, al3 + 24, 16) : field(a, al3 + 16, 4));
                exp.put("answer_port", field(a, l4 + 2, 2));
                exp.put("answer_vn", BigInteger.valueOf((b(a, ntp) >> 3) & 7));
                exp.put("answer_poll", field(a, ntp + 2, 1));
                exp.put("answer_origin", field(a, ntp + 24, 8));
                exp.put("answer_t2", field(a, ntp + 32, 8));
                exp.put("answer_leap", BigInteger.valueOf(rc.synced() ? b(a, ntp) >> 6 : clock.leapIndicator(rx)));
            }
        } else if (want == Outcome.ANSWER_NTS) {
            // the NTS engine's job, from the request's bytes
            boolean v6 = etherType(f) == 0x86dd;
            int l4 = l3 + (v6 ? 40 : 4 * (b(f, l3) & 0x0f)), ntp = l4 + 8;
            exp.put("nts_payload_offset", BigInteger.valueOf(ntp));
            exp.put("nts_payload_length", BigInteger.valueOf(u16(f, l4 + 4) - 8));
            exp.put("answer_mac", field(f, 6, 6));
            exp.put("answer_tagged", BigInteger.valueOf(tagged(f) ? 1 : 0));
            if (tagged(f)) exp.put("answer_tci", field(f, 14, 2));
            exp.put("answer_v6", BigInteger.valueOf(v6 ? 1 : 0));
            exp.put("answer_ip", v6 ? field(f, l3 + 8, 16) : field(f, l3 + 12, 4));
            exp.put("answer_port", field(f, l4, 2));
            exp.put("answer_vn", BigInteger.valueOf((b(f, ntp) >> 3) & 7));
            exp.put("answer_poll", field(f, ntp + 2, 1));
            exp.put("answer_origin", field(f, ntp + 40, 8));
            exp.put("answer_t2", new BigInteger(Long.toUnsignedString(clock.at(rx))));
            exp.put("answer_leap", BigInteger.valueOf(clock.leapIndicator(rx)));
        }
        if (echo) {
            byte[] a = res.answer().at(rx + 100);
            int al3 = l3(a);
            boolean v6 = want == Outcome.ANSWER_ICMPV6_ECHO;
            exp.put("echo_mac", field(a, 0, 6));
            exp.put("echo_tagged", BigInteger.valueOf(tagged(a) ? 1 : 0));
            if (tagged(a)) exp.put("echo_tci", field(a, 14, 2));
            exp.put("echo_v6", BigInteger.valueOf(v6 ? 1 : 0));
            exp.put("echo_ip", v6 ? field(a, al3 + 24, 16) : field(a, al3 + 16, 4));
            exp.put("echo_icmp_length", BigInteger.valueOf(v6 ? u16(a, al3 + 4) : u16(a, al3 + 2) - 20));
            exp.put("echo_checksum", field(a, al3 + (v6 ? 40 : 20) + 2, 2));
            exp.put("echo_option_bytes", BigInteger.valueOf(v6 ? 0 : 4 * (b(f, l3) & 0x0f) - 20));
        }
        for (Map.Entry<String, BigInteger> e : exp.entrySet()) {
            BigInteger got = vb.apply(e.getKey());
            if (!got.equals(e.getValue()))
                throw tb.mismatch(ctx + ": " + e.getKey() + " = 0x" + got.toString(16) + ", model 0x" + e.getValue().toString(16), g.cycle());
        }
    }

    // ---- the corpus -------------------------------------------------------------------------------
    static List<byte[]> corpus(ConfigFile cf, ResponderConfig rc, long seed, SplittableRandom r) {
        List<byte[]> out = new ArrayList<>();
        for (Pcap.Record rec : new TrafficGenerator(cf, seed).generate(140, TrafficGenerator.DEFAULT_MIX, Instant.EPOCH)) out.add(rec.frame());
        // single-field mutations of well-formed requests, checksums fixed up (mostly) so the mutation reaches its rule
        List<byte[]> base = new ArrayList<>();
        for (Pcap.Record rec : new TrafficGenerator(cf, seed + 1).generate(120, TrafficGenerator.parseMix("ntp=3,ntp6=3,icmp=2,icmp6=2,ndp=2,arp=2"),
                Instant.EPOCH)) base.add(rec.frame());
        for (byte[] f : base) {
            byte[] m = f.clone();
            int k = 1 + r.nextInt(2);
            for (int j = 0; j < k; j++) m = mutate(m, rc, r);
            out.add(r.nextInt(8) == 0 ? m : refix(m));
        }
        byte[] client = {2, 0, 0, 0, 0, 0x42};
        byte[] c4 = {(byte) 198, 51, 100, 66};
        byte[] c6 = new byte[16];
        c6[0] = 0x20;
        c6[1] = 0x01;
        c6[15] = 0x66;
        int tci = rc.vlan();
        // IPv4 options (IHL 6..15) on NTP requests and echo requests
        if (rc.ipv4() != null) {
            for (int i = 0; i < 16; i++) {
                int optWords = 1 + r.nextInt(10);
                byte[] l4 = i % 2 == 0 ? FrameBuilder.udp(c4, rc.ipv4(), 1000 + i, 123, FrameBuilder.ntpRequest(4, 3, r.nextLong()))
                        : FrameBuilder.icmp(8, 0, bytes(r, 4 + r.nextInt(Math.max(1, Math.min(rc.icmpMaxPayload(), 200)) + 4)), null, null);
                out.add(FrameBuilder.ethernet(rc.mac(), client, withPcp(tci, r), 0x0800, ipv4Options(c4, rc.ipv4(), i % 2 == 0 ? 17 : 1, optWords, l4, r)));
            }
        }
        // echo requests at the configured maximum payload and one byte beyond
        for (int extra = 0; extra <= 1; extra++) {
            int n = Math.min(rc.icmpMaxPayload(), 1400) + extra;
            byte[] rest = bytes(r, 4 + n);
            if (rc.ipv4() != null)
                out.add(FrameBuilder.ethernet(rc.mac(), client, tci, 0x0800, FrameBuilder.ipv4(c4, rc.ipv4(), 1, 64, FrameBuilder.icmp(8, 0, rest, null, null))));
            if (rc.ipv6() != null)
                out.add(FrameBuilder.ethernet(rc.mac(), client, tci, 0x86dd, FrameBuilder.ipv6(c6, rc.ipv6(), 58, 64, FrameBuilder.icmp(128, 0, rest, c6, rc.ipv6()))));
        }
        // neighbour solicitations to our unicast address (no option needed) and with options
        if (rc.ipv6() != null) {
            for (int i = 0; i < 4; i++) {
                byte[] ns = i % 2 == 0 ? FrameBuilder.concat(new byte[4], rc.ipv6()) : FrameBuilder.concat(new byte[4], rc.ipv6(), new byte[] {1, 1}, client);
                out.add(FrameBuilder.ethernet(rc.mac(), client, withPcp(tci, r), 0x86dd, FrameBuilder.ipv6(c6, rc.ipv6(), 58, 255, FrameBuilder.icmp(135, 0, ns, c6, rc.ipv6()))));
            }
        }
        // size limits: exactly the largest frame, and one byte more
        for (int extra = 0; extra <= 1; extra++) {
            boolean v6 = rc.ipv4() == null;
            int hdr = (tci >= 0 ? 18 : 14) + (v6 ? 40 : 20) + 8;
            byte[] p = FrameBuilder.concat(FrameBuilder.ntpRequest(4, 3, r.nextLong()), new byte[1514 - 48 - hdr + (tci >= 0 ? 4 : 0) + extra]);
            // a long legacy-MAC-sized tail makes it a DROP_NTP_* or an answer; the point is the length rule
            byte[] u = FrameBuilder.udp(v6 ? c6 : c4, v6 ? rc.ipv6() : rc.ipv4(), 4000, 123, p);
            out.add(FrameBuilder.ethernet(rc.mac(), client, tci, v6 ? 0x86dd : 0x0800,
                    v6 ? FrameBuilder.ipv6(c6, rc.ipv6(), 17, 64, u) : FrameBuilder.ipv4(c4, rc.ipv4(), 17, 64, u)));
        }
        // NTP rules one by one: every version and mode, short, an NTS field (with NTS off: DROP_NTS_DISABLED)
        byte[] our4 = rc.ipv4() != null ? rc.ipv4() : new byte[] {(byte) 192, 0, 2, 1};
        byte[] our6 = rc.ipv6() != null ? rc.ipv6() : Ipv6Header.solicitedNode(c6);
        for (int i = 0; i < 20; i++) {
            boolean v6 = rc.ipv4() == null || rc.ipv6() != null && i % 3 == 0;
            byte[] p = switch (i % 5) {
                case 0, 1 -> FrameBuilder.ntpRequest(r.nextInt(8), r.nextInt(8), r.nextLong());
                case 2 -> Arrays.copyOf(FrameBuilder.ntpRequest(4, 3, r.nextLong()), 40 + r.nextInt(8));
                case 3 -> FrameBuilder.concat(FrameBuilder.ntpRequest(4, 3, r.nextLong()), FrameBuilder.ef(Responder.EF_UNIQUE_ID, bytes(r, 32)));
                default -> FrameBuilder.ntpRequest(3 + r.nextInt(2), 3, r.nextLong());
            };
            byte[] u = FrameBuilder.udp(v6 ? c6 : c4, v6 ? our6 : our4, 1 + r.nextInt(65535), 123, p);
            out.add(FrameBuilder.ethernet(rc.mac(), client, withPcp(tci, r), v6 ? 0x86dd : 0x0800,
                    v6 ? FrameBuilder.ipv6(c6, our6, 17, 64, u) : FrameBuilder.ipv4(c4, our4, 17, 64, u)));
        }
        // and one of each for certain: mode 1, version 0, short, another port, a broken UDP checksum
        for (int i = 0; i < 5; i++) {
            boolean v6 = rc.ipv4() == null;
            byte[] p = switch (i) {
                case 0 -> FrameBuilder.ntpRequest(4, 1, r.nextLong());
                case 1 -> FrameBuilder.ntpRequest(0, 3, r.nextLong());
                case 2 -> Arrays.copyOf(FrameBuilder.ntpRequest(4, 3, r.nextLong()), 44);
                default -> FrameBuilder.ntpRequest(4, 3, r.nextLong());
            };
            byte[] u = FrameBuilder.udp(v6 ? c6 : c4, v6 ? our6 : our4, 2000 + i, i == 3 ? 124 : 123, p);
            if (i == 4) u[6] ^= 0x10;
            out.add(FrameBuilder.ethernet(rc.mac(), client, tci, v6 ? 0x86dd : 0x0800,
                    v6 ? FrameBuilder.ipv6(c6, our6, 17, 64, u) : FrameBuilder.ipv4(c4, our4, 17, 64, u)));
        }
        // the family the configuration leaves out (HOST_ETHERTYPE, HOST_ARP)
        {
            byte[] u4 = FrameBuilder.udp(c4, our4, 5000, 123, FrameBuilder.ntpRequest(4, 3, 1));
            out.add(FrameBuilder.ethernet(rc.mac(), client, tci, 0x0800, FrameBuilder.ipv4(c4, our4, 17, 64, u4)));
            byte[] u6 = FrameBuilder.udp(c6, our6, 5000, 123, FrameBuilder.ntpRequest(4, 3, 1));
            out.add(FrameBuilder.ethernet(rc.mac(), client, tci, 0x86dd, FrameBuilder.ipv6(c6, our6, 17, 64, u6)));
            byte[] arp = FrameBuilder.concat(new byte[] {0, 1, 8, 0, 6, 4, 0, 1}, client, c4, new byte[6], our4);
            out.add(FrameBuilder.ethernet(new byte[] {-1, -1, -1, -1, -1, -1}, client, tci, 0x0806, arp));
        }
        // runts: frames cut to 14..60 bytes
        for (int i = 0; i < 8; i++) {
            byte[] f = base.get(r.nextInt(base.size()));
            out.add(Arrays.copyOf(f, i == 0 ? 60 : 14 + r.nextInt(46)));
        }
        // other VLANs, tagged frames without a VLAN, untagged frames with one, priority bits
        for (int i = 0; i < 12; i++) {
            byte[] f = base.get(r.nextInt(base.size()));
            int vid = switch (i % 3) { case 0 -> -1; case 1 -> r.nextInt(4095); default -> rc.vlan() < 0 ? 100 : rc.vlan(); };
            out.add(retag(f, vid < 0 ? -1 : vid | (r.nextInt(8) << 13) | (r.nextInt(2) << 12)));
        }
        return out;
    }

    static int withPcp(int vlan, SplittableRandom r) {
        return vlan < 0 ? -1 : vlan | (r.nextInt(8) << 13);
    }

    static byte[] bytes(SplittableRandom r, int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) b[i] = (byte) r.nextInt(256);
        return b;
    }

    /** The frame with its tag replaced: {@code tci} -1 for none. */
    static byte[] retag(byte[] f, int tci) {
        int l3 = l3(f);
        byte[] body = Arrays.copyOfRange(f, l3 - 2, f.length);
        byte[] head = Arrays.copyOf(f, 12);
        byte[] tag = tci < 0 ? new byte[0] : new byte[] {(byte) 0x81, 0, (byte) (tci >> 8), (byte) tci};
        return FrameBuilder.concat(head, tag, body);
    }

    static byte[] ipv4Options(byte[] src, byte[] dst, int proto, int optWords, byte[] payload, SplittableRandom r) {
        byte[] plain = Ipv4Header.packet(src, dst, proto, 64, payload);
        int ihl = 20 + 4 * optWords;
        byte[] p = new byte[ihl + payload.length];
        System.arraycopy(plain, 0, p, 0, 20);
        for (int i = 20; i < ihl; i++) p[i] = (byte) (r.nextInt(3) == 0 ? 0 : 1);  // NOPs and end-of-list
        System.arraycopy(payload, 0, p, ihl, payload.length);
        p[0] = (byte) (0x40 | (ihl / 4));
        put16(p, 2, p.length);
        put16(p, 10, 0);
        put16(p, 10, ~ResponderBench.fold(ResponderBench.sum(p, 0, ihl)) & 0xffff);
        return p;
    }

    /** One field of the frame changed to a value some rule of the spec looks at. */
    static byte[] mutate(byte[] f, ResponderConfig rc, SplittableRandom r) {
        byte[] g = f.clone();
        int l3 = l3(g), et = etherType(g);
        if (r.nextInt(8) == 0) { // the destination MAC
            byte[] mac = switch (r.nextInt(4)) {
                case 0 -> new byte[] {-1, -1, -1, -1, -1, -1};
                case 1 -> rc.mac();
                case 2 -> rc.ipv6() == null ? new byte[] {0x33, 0x33, -1, 1, 2, 3} : new byte[] {0x33, 0x33, -1, rc.ipv6()[13], rc.ipv6()[14], rc.ipv6()[15]};
                default -> new byte[] {0x01, 0x00, 0x5e, 0, 0, (byte) r.nextInt(256)};
            };
            System.arraycopy(mac, 0, g, 0, 6);
            return g;
        }
        if (et == 0x0800 && g.length >= l3 + 20) {
            int ihl = 4 * (b(g, l3) & 0x0f), l4 = l3 + ihl, proto = b(g, l3 + 9);
            switch (r.nextInt(proto == 17 ? 14 : 10)) {
                case 0 -> g[l3] = (byte) ((r.nextInt(16) << 4) | (b(g, l3) & 0x0f));
                case 1 -> g[l3] = (byte) (0x40 | r.nextInt(5));
                case 2 -> put16(g, l3 + 2, u16(g, l3 + 2) + r.nextInt(9) - 4);
                case 3 -> put16(g, l3 + 6, r.nextBoolean() ? 0x2000 | (u16(g, l3 + 6) & 0x4000) : 1 + r.nextInt(0x1fff));
                case 4 -> g[l3 + 9] = (byte) new int[] {0, 1, 2, 6, 17, 58}[r.nextInt(6)];
                case 5 -> g[l3 + 12] = (byte) new int[] {0, 127, 224, 239, 240, 255, 10}[r.nextInt(7)];
                case 6 -> Arrays.fill(g, l3 + 12, l3 + 16, (byte) -1);
                case 7 -> g[l3 + 16 + r.nextInt(4)] ^= (byte) (1 << r.nextInt(8));
                case 8 -> { if (proto == 1) g[l4] = (byte) new int[] {0, 8, 13, 8}[r.nextInt(4)]; else g[l3 + 8] = 1; }
                case 9 -> { if (proto == 1) g[l4 + 1] = (byte) r.nextInt(2); else put16(g, l3 + 6, 0x4000); }
                case 10 -> put16(g, l4, r.nextInt(3) == 0 ? 0 : r.nextInt(65536));
                case 11 -> put16(g, l4 + 2, new int[] {123, 124, 1, 0x7b00}[r.nextInt(4)]);
                case 12 -> put16(g, l4 + 4, u16(g, l4 + 4) + r.nextInt(9) - 4);
                default -> mutateNtp(g, l4 + 8, r);
            }
        } else if (et == 0x86dd && g.length >= l3 + 40) {
            int l4 = l3 + 40, nh = b(g, l3 + 6);
            switch (r.nextInt(12)) {
                case 0 -> g[l3] = (byte) ((r.nextInt(16) << 4) | (b(g, l3) & 0x0f));
                case 1 -> put16(g, l3 + 4, u16(g, l3 + 4) + r.nextInt(9) - 4);
                case 2 -> g[l3 + 6] = (byte) new int[] {17, 58, 6, 0}[r.nextInt(4)];
                case 3 -> { // source: multicast, loopback, unspecified
                    Arrays.fill(g, l3 + 8, l3 + 24, (byte) 0);
                    if (r.nextBoolean()) g[l3 + 8] = (byte) 0xff;
                    else if (r.nextBoolean()) g[l3 + 23] = 1;
                }
                case 4 -> { // destination: ours, our solicited-node group, another
                    byte[] dst = switch (r.nextInt(3)) {
                        case 0 -> rc.ipv6();
                        case 1 -> Ipv6Header.solicitedNode(rc.ipv6());
                        default -> bytes(r, 16);
                    };
                    System.arraycopy(dst, 0, g, l3 + 24, 16);
                }
                case 5 -> g[l3 + 7] = (byte) (r.nextBoolean() ? 255 : 64);
                case 6 -> { if (nh == 58) g[l4] = (byte) new int[] {128, 135, 136, 129}[r.nextInt(4)]; else put16(g, l4 + 6, 0); }
                case 7 -> { if (nh == 58) g[l4 + 1] = 1; else put16(g, l4, 0); }
                case 8 -> { if (nh == 58 && g.length > l4 + 24) g[l4 + 8 + r.nextInt(16)] ^= 1; else put16(g, l4 + 2, 124); }
                case 9 -> { if (nh == 58) put16(g, l3 + 4, r.nextBoolean() ? 24 : 20); else put16(g, l4 + 4, u16(g, l4 + 4) + 1); }
                default -> { if (nh == 17) mutateNtp(g, l4 + 8, r); else g[l3 + 7] = (byte) 254; }
            }
        } else if (et == 0x0806 && g.length >= l3 + 28) {
            switch (r.nextInt(4)) {
                case 0 -> g[l3 + 7] = (byte) r.nextInt(4);
                case 1 -> g[l3 + r.nextInt(6)] ^= (byte) (1 << r.nextInt(8));
                case 2 -> g[l3 + 24 + r.nextInt(4)] ^= 1;
                default -> System.arraycopy(rc.ipv4() != null ? rc.ipv4() : new byte[4], 0, g, l3 + 24, 4);
            }
        } else {
            g[r.nextInt(g.length)] ^= (byte) (1 << r.nextInt(8));
        }
        return g;
    }

    static void mutateNtp(byte[] g, int ntp, SplittableRandom r) {
        if (ntp >= g.length) return;
        g[ntp] = (byte) ((r.nextInt(4) << 6) | (r.nextInt(8) << 3) | (r.nextInt(3) == 0 ? r.nextInt(8) : 3));
        if (ntp + 2 < g.length && r.nextBoolean()) g[ntp + 2] = (byte) r.nextInt(256);
    }
}
