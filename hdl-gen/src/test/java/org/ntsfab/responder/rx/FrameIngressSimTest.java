package org.ntsfab.responder.rx;

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
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.ntsfab.gen.LibraryTops;
import org.ntsfab.hdl.Axis;
import org.ntsfab.hdl.Bool;
import org.ntsfab.hdl.Component;
import org.ntsfab.hdl.Design;
import org.ntsfab.hdl.UInt;
import org.ntsfab.model.ConfigFile;
import org.ntsfab.model.pcap.Pcap;
import org.ntsfab.model.traffic.FrameBuilder;
import org.ntsfab.model.traffic.TrafficGenerator;
import org.ntsfab.harness.AxisFrames;

/**
 * The receive front end's descriptor for every frame of a mixed corpus (VLAN, malformed, junk, idle cycles) against a plain Java
 * computation. Some frames carry a receive error (tuser) on their first, a middle or their last beat, or on several: per
 * FrameIngress, such a frame still gets its one descriptor, complete, with {@code rx_error} set (any beat's tuser; the
 * decision stage makes it {@code drop_rx_error}, docs/responder-spec.md §3), and every frame without one has it clear.
 * And every descriptor field (the extension-field walk's too) against a reference computed here from the frame bytes (the
 * rules of {@link FrameIngress}'s documentation, the walk as docs/responder-spec.md §8.1 has it), with frames back to back
 * at one beat per cycle (single-beat runts, minimum-size and maximum-size frames among them) and with random idle cycles:
 * T2 and the leap indicator are the clock's in the cycle of the frame's first beat, and every descriptor comes the same
 * number of cycles after its frame's last beat.
 */
class FrameIngressSimTest {
    static int b(byte[] f, int i) {
        return i < f.length ? f[i] & 0xff : 0;
    }

    static int u16(byte[] f, int i) {
        return (b(f, i) << 8) | b(f, i + 1);
    }

    static int sum(byte[] f, int from, int to) {
        long s = 0;
        for (int p = from; p < Math.min(to, f.length); p++) s += (p % 2 == 0 ? (f[p] & 0xff) << 8 : f[p] & 0xff);
        while (s > 0xffff) s = (s & 0xffff) + (s >>> 16);
        return (int) s;
    }

    /** {ip header sum, l4 sum} per the descriptor's definition. */
    static int[] sums(byte[] f) {
        int l3 = u16(f, 12) == 0x8100 ? 18 : 14;
        int et = l3 == 18 ? u16(f, 16) : u16(f, 12);
        if (et == 0x0800) {
            int h = Math.max(4 * (b(f, l3) & 0x0f), 20);
            return new int[] {sum(f, l3, l3 + h), sum(f, l3 + h, l3 + u16(f, l3 + 2))};
        }
        if (et == 0x86dd) return new int[] {0, sum(f, l3 + 40, l3 + 40 + u16(f, l3 + 4))};
        return new int[] {0, 0};
    }

    /** The receive error (tuser bit 0) set on beat {@code at}. */
    static void mark(List<AxisFrames.Beat> beats, int at) {
        AxisFrames.Beat b = beats.get(at);
        beats.set(at, new AxisFrames.Beat(b.tdata(), b.tkeep(), b.tlast(), 1));
    }

    @Test
    void descriptorsMatchForAMixedCorpus() throws Exception {
        Design d = LibraryTops.elaborate("frame_ingress");
        long seed = SimSeeds.announce("frame_ingress", "ingress", false);
        SplittableRandom r = new SplittableRandom(seed);
        ConfigFile cfg = ConfigFile.load(Path.of("../configs/example.toml"));
        List<byte[]> frames = new ArrayList<>();
        for (Pcap.Record rec : new TrafficGenerator(cfg, seed).generate(1200, TrafficGenerator.DEFAULT_MIX, Instant.EPOCH)) frames.add(rec.frame());
        FrameBuilder.Endpoints tagged = new FrameBuilder.Endpoints(cfg.mac(), cfg.ipv4(), cfg.ipv6(), new byte[] {2, 0, 0, 0, 0, 9},
                new byte[] {(byte) 198, 51, 100, 9}, cfg.ipv6(), 100);
        for (int i = 0; i < 100; i++) frames.add(FrameBuilder.udpFrame(tagged, i % 2 == 0, 1000 + i, 123, FrameBuilder.ntpRequest(4, 3, i)));
        for (int i = 0; i < 50; i++) { // junk of any size, up to jumbo
            byte[] j = new byte[1 + r.nextInt(3000)];
            for (int k = 0; k < j.length; k++) j[k] = (byte) r.nextInt(256);
            frames.add(j);
        }
        try (Testbench tb = Testbench.of(d).source("in").flow("desc", "desc_valid", "desc_hdr", "desc_length", "desc_rx_error", "desc_t2", "desc_ip_hdr_sum", "desc_l4_sum", "desc_t2_leap")
                .build(SimOptions.fast(), seed)) {
            tb.offerProbability("in", 0.7);
            boolean[] err = new boolean[frames.size()];
            int[] errAt = new int[3]; // errored frames by where the error was: first beat, a middle beat, last beat (of frames of 3+ beats)
            for (int i = 0; i < frames.size(); i++) {
                tb.set("now", 0x1000_0000_0000L + i);
                tb.set("leap", i % 3);
                List<AxisFrames.Beat> beats = new ArrayList<>(AxisFrames.toBeats(frames.get(i), 8, 0));
                // a run of errored frames now and then (an error must not leak into the frame after it), else one in 12
                err[i] = i % 200 < 3 || r.nextInt(12) == 0;
                if (err[i]) {
                    int n = beats.size(), k = r.nextInt(4); // on the first beat, the last, any one, or any one and one more
                    int at = k == 0 ? 0 : k == 1 ? n - 1 : r.nextInt(n);
                    mark(beats, at);
                    if (k == 3) mark(beats, r.nextInt(n));
                    if (n >= 3) errAt[at == 0 ? 0 : at == n - 1 ? 2 : 1]++;
                }
                for (AxisFrames.Beat beat : beats) tb.push("in", beat.fields());
                tb.runUntilDrained(100_000, 2);
            }
            assertTrue(errAt[0] >= 10 && errAt[1] >= 10 && errAt[2] >= 10, "errors on first, middle and last beats: " + Arrays.toString(errAt));
            tb.run(5);
            List<Testbench.Beat> got = tb.beats("desc");
            assertEquals(frames.size(), got.size(), "one descriptor per frame");
            for (int i = 0; i < frames.size(); i++) {
                byte[] f = frames.get(i);
                Testbench.Beat g = got.get(i);
                byte[] hdr = new byte[136];
                System.arraycopy(f, 0, hdr, 0, Math.min(136, f.length));
                BigInteger h = g.fields()[0];
                byte[] gotHdr = new byte[136];
                for (int k = 0; k < 136; k++) gotHdr[k] = h.shiftRight(8 * k).byteValue();
                int[] s = sums(f);
                String ctx = "frame " + i + " (" + f.length + " B)";
                if (!Arrays.equals(hdr, gotHdr)) throw tb.mismatch(ctx + ": captured header differs", g.cycle());
                assertEquals(Math.min(f.length, 8191), g.field(1), ctx + " length");
                assertEquals(err[i] ? 1 : 0, g.field(2), ctx + (err[i] ? ", received with an error: rx_error set" : ", received without error: rx_error clear"));
                assertEquals(0x1000_0000_0000L + i, g.field(3), ctx + " t2 = clock at the first beat");
                assertEquals(i % 3, g.field(6), ctx + " leap indicator at the first beat");
                if (s[0] != g.field(4) || s[1] != g.field(5))
                    throw tb.mismatch(ctx + ": sums ip " + Long.toHexString(g.field(4)) + " l4 " + Long.toHexString(g.field(5))
                            + ", model ip " + Integer.toHexString(s[0]) + " l4 " + Integer.toHexString(s[1]), g.cycle());
            }
        }
    }

    /** FrameIngress with a free-running cycle count as its clock (leap indicator: the count's low two bits). */
    static final class Top extends Component {
        final Axis in;
        final Bool desc_valid = out(new Bool());
        final IngressDescriptor desc = out(new IngressDescriptor());

        Top() {
            moduleName("frame_ingress_bench");
            in = slave(new Axis(8, 1));
            UInt count = regInit(new UInt(64), 0).named("cycle_count_reg");
            count.set(count.plus(1));
            FrameIngress ingress = add("ingress", new FrameIngress());
            ingress.in.connectFrom(in);
            ingress.now.set(count);
            ingress.leap.set(count.slice(1, 0));
            desc_valid.set(ingress.desc_valid);
            desc.setFrom(ingress.desc);
        }
    }

    static final String[] FIELDS = {"desc_hdr", "desc_length", "desc_rx_error", "desc_t2", "desc_t2_leap", "desc_ip_hdr_sum",
            "desc_l4_sum", "desc_l4_tail_sum", "desc_ef_status", "desc_ef_nts"};

    @ParameterizedTest(name = "offer {0}")
    @ValueSource(doubles = {1.0, 0.6})
    void descriptorsAreTheReferences(double offer) throws Exception {
        ConfigFile cf = ConfigFile.load(Path.of("../configs/example.toml"));
        long seed = SimSeeds.announce("frame_ingress", "offer-" + offer, false);
        SplittableRandom r = new SplittableRandom(seed);
        List<byte[]> frames = corpus(cf, seed, r);
        boolean[] err = new boolean[frames.size()];
        Design d = Design.elaborate(Top::new);
        try (Testbench tb = Testbench.of(d).source("in").flow("desc", "desc_valid", FIELDS).build(SimOptions.fast(), seed)) {
            tb.offerProbability("in", offer);
            List<Integer> lastBeat = new ArrayList<>(), firstBeat = new ArrayList<>();
            int beats = 0;
            for (int i = 0; i < frames.size(); i++) {
                err[i] = r.nextInt(20) == 0;
                List<AxisFrames.Beat> bs = AxisFrames.toBeats(frames.get(i), 8, err[i] ? 1 : 0);
                firstBeat.add(beats);
                for (AxisFrames.Beat b : bs) tb.push("in", b.fields());
                beats += bs.size();
                lastBeat.add(beats - 1);
            }
            tb.runUntilDrained(10_000_000, 4);
            tb.run(16);
            List<Testbench.Beat> got = tb.beats("desc");
            List<Long> accepted = tb.acceptedCycles("in");
            assertEquals(frames.size(), got.size(), "one descriptor per frame");
            long t2Offset = 0, latency = 0;
            int ef = 0, nts = 0, runts = 0, max = 0;
            for (int i = 0; i < frames.size(); i++) {
                byte[] f = frames.get(i);
                Testbench.Beat g = got.get(i);
                String ctx = "frame " + i + " (" + f.length + " B)";
                BigInteger[] want = reference(f, err[i]);
                for (int k = 0; k < FIELDS.length; k++) {
                    if (FIELDS[k].startsWith("desc_t2")) continue;
                    if (!want[k].equals(g.fields()[k]))
                        throw tb.mismatch(ctx + ": " + FIELDS[k] + " 0x" + g.fields()[k].toString(16) + ", reference 0x" + want[k].toString(16), g.cycle());
                }
                long first = accepted.get(firstBeat.get(i)), last = accepted.get(lastBeat.get(i));
                long t2 = g.field(3);
                if (i == 0) {
                    t2Offset = t2 - first;
                    latency = g.cycle() - last;
                }
                assertEquals(t2Offset, t2 - first, ctx + ": T2 is the clock at the first beat's cycle");
                assertEquals(t2 & 3, g.field(4), ctx + ": the leap indicator of the first beat's cycle");
                assertEquals(latency, g.cycle() - last, ctx + ": descriptor latency");
                if (want[8].intValue() != 0 || want[9].signum() != 0) ef++;
                if (want[9].signum() != 0) nts++;
                if (f.length <= 8) runts++;
                if (f.length >= 1514) max++;
            }
            System.out.println("frame_ingress offer " + offer + ": " + frames.size() + " frames, " + ef + " with a field walk status or NTS field ("
                    + nts + " NTS), " + runts + " single-beat, " + max + " of 1514 bytes or more; descriptor " + latency + " cycles after the last beat");
            assertTrue(nts > 10 && runts > 5 && max > 5, "the corpus reaches NTS fields, single-beat and maximum-size frames");
        }
    }

    /** Generated traffic, NTP requests with extension-field chains (good and broken), maximum-size frames, and cuts of all. */
    static List<byte[]> corpus(ConfigFile cf, long seed, SplittableRandom r) {
        List<byte[]> out = new ArrayList<>();
        for (Pcap.Record rec : new TrafficGenerator(cf, seed).generate(200, TrafficGenerator.DEFAULT_MIX, Instant.EPOCH)) out.add(rec.frame());
        byte[] mac = {2, 0, 0, 0, 0, 1}, client = {2, 0, 0, 0, 0, 0x42};
        byte[] c4 = {(byte) 198, 51, 100, 66}, s4 = {(byte) 192, 0, 2, 1};
        byte[] c6 = new byte[16], s6 = new byte[16];
        c6[0] = s6[0] = 0x20;
        c6[15] = 0x66;
        s6[15] = 1;
        int[] types = {0x0104, 0x0204, 0x0304, 0x0404, 0x0504, 0x2005, 0x0000};
        for (int i = 0; i < 300; i++) {
            List<byte[]> parts = new ArrayList<>();
            parts.add(FrameBuilder.ntpRequest(4, 3, r.nextLong()));
            int n = r.nextInt(5);
            for (int j = 0; j < n; j++) parts.add(FrameBuilder.ef(types[r.nextInt(types.length)], bytes(r, 12 + 4 * r.nextInt(r.nextInt(8) == 0 ? 300 : 12))));
            int tail = r.nextInt(6);
            if (tail == 1) parts.add(bytes(r, r.nextBoolean() ? 20 : 24));   // a legacy MAC
            if (tail == 2) parts.add(bytes(r, 1 + r.nextInt(30)));           // stray bytes
            byte[] payload = FrameBuilder.concat(parts.toArray(byte[][]::new));
            if (r.nextInt(6) == 0 && payload.length > 52) {                     // a broken length field
                int at = 48 + 4 * r.nextInt((payload.length - 52) / 4 + 1);
                payload[at + 2 + r.nextInt(2)] ^= (byte) (1 << r.nextInt(8));
            }
            int vlan = r.nextInt(4) == 0 ? r.nextInt(4096) : -1;
            byte[] f;
            if (r.nextBoolean()) {
                byte[] ip = FrameBuilder.ipv4(c4, s4, 17, 64, FrameBuilder.udp(c4, s4, 1000 + i, 123, payload));
                if (r.nextInt(4) == 0) ip = withOptions(ip, 1 + r.nextInt(10), r);
                f = FrameBuilder.ethernet(mac, client, vlan, 0x0800, ip);
            } else {
                f = FrameBuilder.ethernet(mac, client, vlan, 0x86dd, FrameBuilder.ipv6(c6, s6, 17, 64, FrameBuilder.udp(c6, s6, 1000 + i, 123, payload)));
            }
            out.add(f);
        }
        // maximum size (and beyond: the length saturates past 8191)
        for (int i = 0; i < 8; i++) {
            int len = i < 6 ? 1514 + 4 * (i % 2) : 8000 + r.nextInt(1000);
            byte[] f = Arrays.copyOf(out.get(r.nextInt(out.size())), len);
            for (int k = 60; k < len; k++) f[k] = (byte) r.nextInt(256);
            out.add(f);
        }
        // cuts: runts of one beat, truncated headers and fields
        int whole = out.size();
        for (int i = 0; i < 150; i++) {
            byte[] f = out.get(r.nextInt(whole));
            out.add(Arrays.copyOf(f, 1 + r.nextInt(i % 3 == 0 ? 8 : Math.min(f.length, 200))));
        }
        java.util.Collections.shuffle(out, new java.util.Random(r.nextLong()));
        return out;
    }

    /** An IPv4 packet with {@code words} 4-byte option words inserted after the fixed header (lengths and checksum fixed up). */
    static byte[] withOptions(byte[] ip, int words, SplittableRandom r) {
        byte[] out = new byte[ip.length + 4 * words];
        System.arraycopy(ip, 0, out, 0, 20);
        for (int k = 0; k < 4 * words; k++) out[20 + k] = (byte) r.nextInt(256);
        System.arraycopy(ip, 20, out, 20 + 4 * words, ip.length - 20);
        out[0] = (byte) (0x40 | (5 + words));
        out[2] = (byte) (out.length >> 8);
        out[3] = (byte) out.length;
        out[10] = out[11] = 0;
        long s = 0;
        for (int k = 0; k < 20 + 4 * words; k += 2) s += ((out[k] & 0xff) << 8) | (out[k + 1] & 0xff);
        while (s > 0xffff) s = (s & 0xffff) + (s >> 16);
        out[10] = (byte) (~s >> 8);
        out[11] = (byte) ~s;
        return out;
    }

    static byte[] bytes(SplittableRandom r, int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) b[i] = (byte) r.nextInt(256);
        return b;
    }

    /** The descriptor fields (in {@link #FIELDS} order; T2 and leap left 0) the documentation gives for {@code f}. */
    static BigInteger[] reference(byte[] f, boolean err) {
        int n = f.length;
        java.util.function.IntUnaryOperator u = i -> i < n ? f[i] & 0xff : 0;
        java.util.function.IntUnaryOperator be16 = i -> (u.applyAsInt(i) << 8) | u.applyAsInt(i + 1);
        byte[] hdr = new byte[FrameIngress.HDR_BYTES];
        System.arraycopy(f, 0, hdr, 0, Math.min(n, hdr.length));
        byte[] le = new byte[hdr.length];
        for (int i = 0; i < hdr.length; i++) le[i] = hdr[hdr.length - 1 - i];
        boolean tagged = be16.applyAsInt(12) == 0x8100;
        int l3 = tagged ? 18 : 14;
        int et = tagged ? be16.applyAsInt(16) : be16.applyAsInt(12);
        boolean v4 = et == 0x0800, v6 = et == 0x86dd;
        int ihl = Math.max(20, 4 * (u.applyAsInt(l3) & 15));
        int hEnd = v4 ? l3 + ihl : l3, lStart = v4 ? l3 + ihl : l3 + 40;
        int lEnd = v4 ? l3 + be16.applyAsInt(l3 + 2) : v6 ? l3 + 40 + be16.applyAsInt(l3 + 4) : l3 + 40;
        long hs = 0, ls = 0, ts = 0;
        for (int i = 0; i < n; i++) {
            long w = (i % 2 == 0 ? (long) u.applyAsInt(i) << 8 : u.applyAsInt(i));
            if (i >= l3 && i < hEnd) hs += w;
            if (i >= lStart && i < lEnd) ls += w;
            if (i >= lStart + 4 && i < lEnd) ts += w;
        }
        // the extension-field walk: a field's header must complete within the frame's beats to be read
        int lastBeat = (n - 1) / 8;
        int p = lStart + 8 + 48, status = 0;
        boolean nts = false;
        while (true) {
            int rem = lEnd - p;
            boolean atEnd = p >= lEnd, mac = rem == 20 || rem == 24, tooShort = rem < 16;
            int endStatus = atEnd ? 0 : mac ? 1 : 2;
            if (atEnd || mac || tooShort || (p + 3) / 8 > lastBeat) {
                status = endStatus;
                break;
            }
            int type = be16.applyAsInt(p), len = be16.applyAsInt(p + 2);
            if (len < 16 || len % 4 != 0 || len > rem) {
                status = 2;
                break;
            }
            if (type == 0x0104 || type == 0x0204 || type == 0x0304 || type == 0x0404) nts = true;
            if ((p + 3) / 8 == lastBeat) break;   // the field ends the frame's last beat: well formed
            p += len;
        }
        return new BigInteger[] {new BigInteger(1, le), BigInteger.valueOf(Math.min(n, 8191)), BigInteger.valueOf(err ? 1 : 0),
                BigInteger.ZERO, BigInteger.ZERO, BigInteger.valueOf(fold(hs)), BigInteger.valueOf(fold(ls)), BigInteger.valueOf(fold(ts)),
                BigInteger.valueOf(status), BigInteger.valueOf(nts ? 1 : 0)};
    }

    static long fold(long s) {
        s &= 0xffffffffL;   // the accumulators are 32 bits
        while (s > 0xffff) s = (s & 0xffff) + (s >> 16);
        return s;
    }
}
