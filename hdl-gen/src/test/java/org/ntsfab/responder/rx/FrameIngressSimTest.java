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
import org.ntsfab.gen.LibraryTops;
import org.ntsfab.hdl.Design;
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
}
