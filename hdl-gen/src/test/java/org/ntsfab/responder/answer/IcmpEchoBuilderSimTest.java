package org.ntsfab.responder.answer;

import static org.ntsfab.responder.ResponderBench.b;
import static org.ntsfab.responder.ResponderBench.etherType;
import static org.ntsfab.responder.ResponderBench.field;
import static org.ntsfab.responder.ResponderBench.fold;
import static org.ntsfab.responder.ResponderBench.l3;
import static org.ntsfab.responder.ResponderBench.put16;
import static org.ntsfab.responder.ResponderBench.sum;
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
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.ntsfab.harness.AxisFrames;
import org.ntsfab.harness.SimOptions;
import org.ntsfab.harness.SimSeeds;
import org.ntsfab.harness.StreamSpec;
import org.ntsfab.harness.Testbench;
import org.ntsfab.hdl.Axis;
import org.ntsfab.hdl.Bool;
import org.ntsfab.hdl.Component;
import org.ntsfab.hdl.Design;
import org.ntsfab.hdl.Stream;
import org.ntsfab.hdl.UInt;
import org.ntsfab.responder.ResponderCfg;
import org.ntsfab.responder.decide.EchoJob;
import org.ntsfab.model.ConfigFile;
import org.ntsfab.model.Outcome;
import org.ntsfab.model.Responder;
import org.ntsfab.model.ResponderConfig;
import org.ntsfab.model.traffic.FrameBuilder;
import org.ntsfab.model.wire.Ipv4Header;
import org.ntsfab.responder.ResponderBench;

/**
 * Echo replies byte for byte against the reference model: ICMP and ICMPv6 echo requests, tagged and untagged, with
 * 0 to 40 bytes of IPv4 options, Ethernet padding or trailing bytes behind the datagram, payloads from empty to the
 * configured maximum and beyond it, are decided by the model; those it answers are replayed through the builder as
 * NtsFabTop's store reader does (the job, built here from the request's bytes with the reply checksum computed per
 * RFC 792 / RFC 4443, then the request's beats), with idle cycles on both inputs and random backpressure on the
 * reply; every reply must be the model's, and {@code out_beats} its length in beats when its first beat leaves.
 */
class IcmpEchoBuilderSimTest {
    static final Map<String, String> CONFIGS = Map.of("vlan_no_forward", ResponderBench.VLAN_NO_FORWARD,
            "ipv4_only", ResponderBench.IPV4_ONLY, "ipv6_only", ResponderBench.IPV6_ONLY);

    /**
     * The builder behind a store reader as NtsFabTop's: the next job is taken once the reader is free (the previous
     * request's last beat read), and a request's beats are offered only after its job was taken.
     */
    static final class Top extends Component {
        final Stream<EchoJob> job = slave(new Stream<>(new EchoJob()));
        final Axis in;
        final ResponderCfg cfg = in(new ResponderCfg());
        final Axis out;
        final UInt out_beats = out(new UInt(8));

        Top() {
            moduleName("icmp_echo_builder_bench");
            in = slave(new Axis(8, 1));
            out = master(new Axis(8, 1));
            IcmpEchoBuilder e = add("echo_builder", new IcmpEchoBuilder());
            e.cfg.setFrom(cfg);
            Bool reading = regInit(new Bool(), 0).named("reading_reg");
            Bool frameDone = let("frame_done", in.fire().and(in.tlast()));
            Bool free = let("reader_free", reading.not().or(frameDone));
            e.job.valid.set(job.valid.and(free));
            e.job.payload.setFrom(job.payload);
            job.ready.set(e.job.ready.and(free));
            e.in.valid.set(in.valid.and(reading));
            e.in.payload.setFrom(in.payload);
            in.ready.set(e.in.ready.and(reading));
            when(frameDone, () -> reading.set(false));
            when(e.job.fire(), () -> reading.set(true));
            out.connectFrom(e.out);
            out_beats.set(e.out_beats);
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"example", "vlan_no_forward", "ipv4_only", "ipv6_only"})
    void repliesAreTheModelsByteForByte(String config) throws Exception {
        run(config, Design.elaborate(Top::new));
    }

    /**
     * The builder alone, the next request's beats offered as soon as the previous request's are taken (before its
     * job): a request whose realigned stream ends before its reply (IPv4 options, reply padded to 60 bytes) must not
     * let the next request's first beat in while the reply is still going out.
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"example", "vlan_no_forward", "ipv4_only"})
    void nextRequestOfferedBeforeItsJob(String config) throws Exception {
        run(config, Design.elaborate(IcmpEchoBuilder::new));
    }

    static void run(String config, Design design) throws Exception {
        ConfigFile cf = config.equals("example") ? ConfigFile.load(Path.of("../configs/example.toml")) : ResponderBench.parse(CONFIGS.get(config));
        ResponderConfig rc = cf.responder(Instant.parse("2026-11-24T00:00:00Z"));
        long seed = SimSeeds.announce("icmp_echo_builder", "echo-" + config, false);
        SplittableRandom r = new SplittableRandom(seed);
        Responder model = new Responder(rc);
        List<byte[]> requests = new ArrayList<>(), replies = new ArrayList<>();
        Map<Outcome, Integer> seen = new EnumMap<>(Outcome.class);
        int maxSeen = -1;
        for (byte[] f : corpus(rc, r)) {
            Responder.Result res = model.process(f, false, 0);
            seen.merge(res.outcome(), 1, Integer::sum);
            if (res.outcome() != Outcome.ANSWER_ICMP_ECHO && res.outcome() != Outcome.ANSWER_ICMPV6_ECHO) continue;  // the verdict skips it
            requests.add(f);
            replies.add(res.answer().at(0));
            maxSeen = Math.max(maxSeen, icmpLength(f) - 8);
        }
        System.out.println("icmp_echo_builder " + config + ": " + requests.size() + " replies, decisions " + seen);
        assertTrue(seen.containsKey(Outcome.DROP_ICMP_TOO_LONG) || seen.containsKey(Outcome.DROP_OVERSIZE), "the corpus goes beyond the configured maximum");
        assertEquals(rc.icmpMaxPayload(), maxSeen, "the corpus reaches the configured maximum");

        try (Testbench tb = Testbench.of(design).source("job").source("in")
                .stream(new StreamSpec("out", "out_tvalid", "out_tready", List.of("out_tdata", "out_tkeep", "out_tlast", "out_tuser")), false)
                .build(SimOptions.fast(), seed)) {
            ResponderBench.setCfg(tb, rc);
            tb.offerProbability("job", 0.5);
            tb.offerProbability("in", 0.75);
            tb.readyProbability("out", 0.6);
            for (byte[] f : requests) {
                tb.push("job", job(f, rc));
                for (AxisFrames.Beat beat : AxisFrames.toBeats(f, 8, 0)) tb.push("in", beat.fields());
            }
            tb.runUntilDrained(2_000_000, 200);
            assertTrue(tb.violations().isEmpty(), "out changed while stalled: " + tb.violations());
            List<Testbench.Beat> beats = tb.beats("out");
            List<byte[]> got = AxisFrames.frames(beats, 8);
            assertEquals(requests.size(), got.size(), "one reply per replayed request");
            List<Long> starts = new ArrayList<>();
            boolean inFrame = false;
            for (Testbench.Beat bt : beats) {
                if (!inFrame) starts.add(bt.cycle());
                inFrame = bt.field(2) == 0;
            }
            int outBeats = tb.plainOutIndex("out_beats");
            for (int i = 0; i < replies.size(); i++) {
                byte[] want = replies.get(i);
                if (!Arrays.equals(want, got.get(i)))
                    throw tb.mismatch("reply " + i + " (request of " + requests.get(i).length + " B, previous request of "
                            + (i > 0 ? requests.get(i - 1).length + " B" : "none") + "): " + NtpAnswererSimTest.diff(want, got.get(i))
                            + "\n request " + HexFormat.of().formatHex(requests.get(i))
                            + (i > 0 ? "\n previous " + HexFormat.of().formatHex(requests.get(i - 1)) : ""),
                            starts.get(i));
                long ob = tb.plainHistory().get((int) (long) starts.get(i))[outBeats].longValue();
                assertEquals((want.length + 7) / 8, ob, "reply " + i + ": out_beats as its first beat leaves");
            }
        }
    }

    static int icmpLength(byte[] f) {
        int l3 = l3(f);
        return etherType(f) == 0x86dd ? u16(f, l3 + 4) : u16(f, l3 + 2) - 4 * (b(f, l3) & 0x0f);
    }

    /** The echo job for a request, from its bytes: addresses, options to cut, ICMP length and the reply's checksum. */
    static BigInteger[] job(byte[] f, ResponderConfig rc) {
        int l3 = l3(f);
        boolean v6 = etherType(f) == 0x86dd;
        int ihl = v6 ? 40 : 4 * (b(f, l3) & 0x0f), l4 = l3 + ihl, len = icmpLength(f);
        byte[] msg = Arrays.copyOfRange(f, l4, l4 + len);
        msg[0] = (byte) (v6 ? 129 : 0);
        put16(msg, 2, 0);
        long s = sum(msg, 0, msg.length);
        if (v6) s += sum(rc.ipv6(), 0, 16) + sum(f, l3 + 8, l3 + 24) + len + 58;
        int csum = ~fold(s) & 0xffff;
        BigInteger ip = v6 ? field(f, l3 + 8, 16) : field(f, l3 + 12, 4);
        // payload order of the job stream: tagged, tci, mac, v6, ip, option_bytes, icmp_length, checksum
        return new BigInteger[] {BigInteger.valueOf(tagged(f) ? 1 : 0), BigInteger.valueOf(tagged(f) ? u16(f, 14) : 0), field(f, 6, 6),
                BigInteger.valueOf(v6 ? 1 : 0), ip, BigInteger.valueOf(v6 ? 0 : ihl - 20), BigInteger.valueOf(len), BigInteger.valueOf(csum)};
    }

    static List<byte[]> corpus(ResponderConfig rc, SplittableRandom r) {
        List<byte[]> out = new ArrayList<>();
        int max = rc.icmpMaxPayload();
        for (int i = 0; i < 300; i++) {
            boolean v6 = rc.ipv4() == null || rc.ipv6() != null && r.nextBoolean();
            int opt = v6 || r.nextInt(3) != 0 ? 0 : 4 * (1 + r.nextInt(10));
            int room = 1514 - 14 - (v6 ? 40 : 20 + opt) - 8;
            int n = switch (r.nextInt(6)) {
                case 0 -> Math.min(max, room);
                case 1 -> Math.min(max, room) + 1 + r.nextInt(3);
                case 2 -> r.nextInt(20);
                default -> r.nextInt(Math.min(max, room) + 1);
            };
            byte[] rest = new byte[4 + n];
            for (int k = 0; k < rest.length; k++) rest[k] = (byte) r.nextInt(256);
            byte[] client = {2, 0, 0, 0, 1, (byte) r.nextInt(256)};
            byte[] c4 = {(byte) 198, 51, 100, (byte) (1 + r.nextInt(200))};
            byte[] c6 = new byte[16];
            c6[0] = 0x20;
            c6[1] = 0x01;
            c6[14] = (byte) r.nextInt(256);
            c6[15] = (byte) r.nextInt(256);
            int tci = rc.vlan() < 0 ? -1 : rc.vlan() | (r.nextInt(8) << 13);
            byte[] l3 = v6 ? FrameBuilder.ipv6(c6, rc.ipv6(), 58, 64, FrameBuilder.icmp(128, 0, rest, c6, rc.ipv6()))
                    : ipv4(c4, rc.ipv4(), opt, FrameBuilder.icmp(8, 0, rest, null, null), r);
            byte[] f = FrameBuilder.ethernet(rc.mac(), client, tci, v6 ? 0x86dd : 0x0800, l3);
            if (r.nextInt(5) == 0) { // bytes behind the datagram (not padding zeros): not part of the reply
                byte[] tail = new byte[1 + r.nextInt(12)];
                for (int k = 0; k < tail.length; k++) tail[k] = (byte) r.nextInt(256);
                f = FrameBuilder.concat(f, tail);
            }
            out.add(f);
        }
        return out;
    }

    static byte[] ipv4(byte[] src, byte[] dst, int opt, byte[] payload, SplittableRandom r) {
        byte[] plain = Ipv4Header.packet(src, dst, 1, 64, payload);
        if (opt == 0) return plain;
        int ihl = 20 + opt;
        byte[] p = new byte[ihl + payload.length];
        System.arraycopy(plain, 0, p, 0, 20);
        for (int i = 20; i < ihl; i++) p[i] = (byte) (r.nextInt(3) == 0 ? 0 : 1);
        System.arraycopy(payload, 0, p, ihl, payload.length);
        p[0] = (byte) (0x40 | (ihl / 4));
        put16(p, 2, p.length);
        put16(p, 10, 0);
        put16(p, 10, ~fold(sum(p, 0, ihl)) & 0xffff);
        return p;
    }
}
