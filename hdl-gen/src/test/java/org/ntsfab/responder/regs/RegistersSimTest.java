package org.ntsfab.responder.regs;

import org.ntsfab.harness.SimOptions;
import org.ntsfab.harness.SimSeeds;
import org.ntsfab.harness.Testbench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.ntsfab.gen.LibraryTops;
import org.ntsfab.hdl.Design;
import org.ntsfab.ip.axil.RegisterMap;
import org.ntsfab.responder.regs.ResponderRegisters;

/**
 * The generated AXI4-Lite register file against the published register ABI, written out below rather than taken from
 * the generator: the map has exactly the published registers at their offsets, widths, access types and reset values;
 * every word reads its reset value (read-write), 0 (pulse) or its input (read-only) through the simulated port; then
 * random writes with random strobes (mapped, read-only, pulse and unmapped addresses), random reads, random
 * backpressure and idle on every channel against a plain Java model of the ABI; 64-bit read-only values latch their
 * high word.
 */
class RegistersSimTest {
    final RegisterMap map = ResponderRegisters.map();

    /** One register of the published ABI: access "ro", "rw" or "pulse" as docs/registers.md spells it. */
    record Abi(String name, int offset, int width, String access, long reset) {
        int words() {
            return width > 32 ? 2 : 1;
        }
    }

    /**
     * The register ABI host software is written against: docs/registers.md as committed at 1319ff3 (offsets, bits,
     * access, reset; the read-write resets are the example configuration's), with one counter per outcome of
     * docs/responder-spec.md. Copied by hand, not computed: a change of the generator that moves, resizes, retypes or
     * re-resets a register fails here, whatever the generated documents say.
     */
    static final List<Abi> ABI = List.of(
            new Abi("identity", 0x000, 32, "ro", 0x4e545346L),
            new Abi("version", 0x004, 32, "ro", 0x10000L),
            new Abi("ntp_stratum", 0x008, 8, "rw", 0x1L),
            new Abi("ntp_precision", 0x00c, 8, "rw", 0xe8L),
            new Abi("ntp_refid", 0x010, 32, "rw", 0x47505300L),
            new Abi("ntp_root_delay", 0x014, 32, "rw", 0x0L),
            new Abi("ntp_root_dispersion", 0x018, 32, "rw", 0x10L),
            new Abi("ntp_synchronized", 0x01c, 1, "rw", 0x1L),
            new Abi("mac", 0x020, 48, "rw", 0x2005e100001L),
            new Abi("ipv4_enable", 0x028, 1, "rw", 0x1L),
            new Abi("ipv4", 0x02c, 32, "rw", 0xc000027bL),
            new Abi("ipv6_enable", 0x030, 1, "rw", 0x1L),
            new Abi("ipv6_high", 0x034, 64, "rw", 0x20010db800000000L),
            new Abi("ipv6_low", 0x03c, 64, "rw", 0x123L),
            new Abi("vlan_enable", 0x044, 1, "rw", 0x0L),
            new Abi("vlan_id", 0x048, 12, "rw", 0x0L),
            new Abi("forward_unmatched", 0x04c, 1, "rw", 0x1L),
            new Abi("icmp_max_payload", 0x050, 16, "rw", 0x5c0L),
            new Abi("ttl", 0x054, 8, "rw", 0x40L),
            new Abi("clock_step", 0x058, 64, "rw", 0x1b7cdfd9d8L),
            new Abi("clock_load_time", 0x060, 64, "rw", 0x0L),
            new Abi("clock_control", 0x068, 2, "pulse", 0x0L),
            new Abi("leap_mode", 0x06c, 2, "rw", 0x0L),
            new Abi("leap_event", 0x070, 32, "rw", 0x0L),
            new Abi("clock_now", 0x074, 64, "ro", 0x0L),
            new Abi("pps_time", 0x07c, 64, "ro", 0x0L),
            new Abi("pps_status", 0x084, 32, "ro", 0x0L),
            new Abi("nts_enable", 0x088, 1, "rw", 0x1L),
            new Abi("nts_max_placeholders", 0x08c, 3, "rw", 0x7L),
            new Abi("nts_nonce_seed_high", 0x090, 64, "rw", 0x0L),
            new Abi("nts_nonce_seed_low", 0x098, 64, "rw", 0x0L),
            new Abi("nts_control", 0x0a0, 1, "pulse", 0x0L),
            new Abi("nts_key_current", 0x0a4, 2, "rw", 0x0L),
            new Abi("nts_key0_valid", 0x0a8, 1, "rw", 0x0L),
            new Abi("nts_key0_id", 0x0ac, 32, "rw", 0x0L),
            new Abi("nts_key0_0", 0x0b0, 64, "rw", 0x0L),
            new Abi("nts_key0_1", 0x0b8, 64, "rw", 0x0L),
            new Abi("nts_key0_2", 0x0c0, 64, "rw", 0x0L),
            new Abi("nts_key0_3", 0x0c8, 64, "rw", 0x0L),
            new Abi("nts_key1_valid", 0x0d0, 1, "rw", 0x0L),
            new Abi("nts_key1_id", 0x0d4, 32, "rw", 0x0L),
            new Abi("nts_key1_0", 0x0d8, 64, "rw", 0x0L),
            new Abi("nts_key1_1", 0x0e0, 64, "rw", 0x0L),
            new Abi("nts_key1_2", 0x0e8, 64, "rw", 0x0L),
            new Abi("nts_key1_3", 0x0f0, 64, "rw", 0x0L),
            new Abi("nts_key2_valid", 0x0f8, 1, "rw", 0x0L),
            new Abi("nts_key2_id", 0x0fc, 32, "rw", 0x0L),
            new Abi("nts_key2_0", 0x100, 64, "rw", 0x0L),
            new Abi("nts_key2_1", 0x108, 64, "rw", 0x0L),
            new Abi("nts_key2_2", 0x110, 64, "rw", 0x0L),
            new Abi("nts_key2_3", 0x118, 64, "rw", 0x0L),
            new Abi("nts_key3_valid", 0x120, 1, "rw", 0x0L),
            new Abi("nts_key3_id", 0x124, 32, "rw", 0x0L),
            new Abi("nts_key3_0", 0x128, 64, "rw", 0x0L),
            new Abi("nts_key3_1", 0x130, 64, "rw", 0x0L),
            new Abi("nts_key3_2", 0x138, 64, "rw", 0x0L),
            new Abi("nts_key3_3", 0x140, 64, "rw", 0x0L),
            new Abi("count_answer_ntp", 0x148, 64, "ro", 0x0L),
            new Abi("count_answer_nts", 0x150, 64, "ro", 0x0L),
            new Abi("count_answer_nts_nak_cookie", 0x158, 64, "ro", 0x0L),
            new Abi("count_answer_nts_nak_auth", 0x160, 64, "ro", 0x0L),
            new Abi("count_answer_arp", 0x168, 64, "ro", 0x0L),
            new Abi("count_answer_icmp_echo", 0x170, 64, "ro", 0x0L),
            new Abi("count_answer_icmpv6_echo", 0x178, 64, "ro", 0x0L),
            new Abi("count_answer_ndp_advert", 0x180, 64, "ro", 0x0L),
            new Abi("count_host_not_for_us", 0x188, 64, "ro", 0x0L),
            new Abi("count_host_ethertype", 0x190, 64, "ro", 0x0L),
            new Abi("count_host_arp", 0x198, 64, "ro", 0x0L),
            new Abi("count_host_ipv4_fragment", 0x1a0, 64, "ro", 0x0L),
            new Abi("count_host_ipv4_protocol", 0x1a8, 64, "ro", 0x0L),
            new Abi("count_host_ipv6_next_header", 0x1b0, 64, "ro", 0x0L),
            new Abi("count_host_icmp", 0x1b8, 64, "ro", 0x0L),
            new Abi("count_host_icmpv6", 0x1c0, 64, "ro", 0x0L),
            new Abi("count_host_udp_port", 0x1c8, 64, "ro", 0x0L),
            new Abi("count_drop_rx_error", 0x1d0, 64, "ro", 0x0L),
            new Abi("count_drop_runt", 0x1d8, 64, "ro", 0x0L),
            new Abi("count_drop_oversize", 0x1e0, 64, "ro", 0x0L),
            new Abi("count_drop_not_for_us", 0x1e8, 64, "ro", 0x0L),
            new Abi("count_drop_ipv4_header", 0x1f0, 64, "ro", 0x0L),
            new Abi("count_drop_ipv4_checksum", 0x1f8, 64, "ro", 0x0L),
            new Abi("count_drop_ipv6_header", 0x200, 64, "ro", 0x0L),
            new Abi("count_drop_bad_source", 0x208, 64, "ro", 0x0L),
            new Abi("count_drop_udp_length", 0x210, 64, "ro", 0x0L),
            new Abi("count_drop_udp_checksum", 0x218, 64, "ro", 0x0L),
            new Abi("count_drop_icmp_malformed", 0x220, 64, "ro", 0x0L),
            new Abi("count_drop_icmp_too_long", 0x228, 64, "ro", 0x0L),
            new Abi("count_drop_ntp_short", 0x230, 64, "ro", 0x0L),
            new Abi("count_drop_ntp_version", 0x238, 64, "ro", 0x0L),
            new Abi("count_drop_ntp_mode", 0x240, 64, "ro", 0x0L),
            new Abi("count_drop_ntp_control", 0x248, 64, "ro", 0x0L),
            new Abi("count_drop_ntp_extension", 0x250, 64, "ro", 0x0L),
            new Abi("count_drop_ntp_mac", 0x258, 64, "ro", 0x0L),
            new Abi("count_drop_nts_disabled", 0x260, 64, "ro", 0x0L),
            new Abi("count_drop_nts_malformed", 0x268, 64, "ro", 0x0L),
            new Abi("count_drop_nts_overload", 0x270, 64, "ro", 0x0L),
            new Abi("count_answer_overload", 0x278, 64, "ro", 0x0L),
            new Abi("count_store_overflow", 0x280, 64, "ro", 0x0L),
            new Abi("count_host_tx_oversize", 0x288, 64, "ro", 0x0L),
            new Abi("count_tx_frames", 0x290, 64, "ro", 0x0L),
            new Abi("count_host_rx_frames", 0x298, 64, "ro", 0x0L),
            new Abi("count_nts_late", 0x2a0, 64, "ro", 0x0L),
            // issue 18: the key slots' load status, after everything that was there
            new Abi("nts_key_loaded", 0x2a8, 5, "ro", 0x0L));

    /** The decoded address space: 10 address bits (the map ends at 0x2ac); everything from 0x2ac up answers SLVERR. */
    static final int SPAN = 0x400, END = 0x2ac;
    static final int OKAY = 0, SLVERR = 2;

    /** Word offset → (register, word index), from the ABI. */
    static Map<Integer, Object[]> words() {
        Map<Integer, Object[]> m = new LinkedHashMap<>();
        for (Abi r : ABI)
            for (int w = 0; w < r.words(); w++) m.put(r.offset() + 4 * w, new Object[] {r, w});
        return m;
    }

    static long mask(int bits) {
        return bits == 64 ? -1L : (1L << bits) - 1;
    }

    static long word(long v, int w) {
        return (v >>> (32 * w)) & 0xffffffffL;
    }

    @Test
    void theMapIsExactlyThePublishedAbi() {
        Map<String, RegisterMap.Register> have = new LinkedHashMap<>();
        for (RegisterMap.Register r : map.registers()) have.put(r.name(), r);
        TreeSet<String> missing = new TreeSet<>(), extra = new TreeSet<>(have.keySet());
        for (Abi a : ABI) {
            extra.remove(a.name());
            if (!have.containsKey(a.name())) missing.add(a.name());
        }
        assertTrue(missing.isEmpty() && extra.isEmpty(), "published registers missing from the map: " + missing
                + "; registers in the map that the ABI does not have: " + extra);
        assertEquals(ABI.size(), map.registers().size(), "register count");
        List<String> wrong = new ArrayList<>();
        for (Abi a : ABI) {
            RegisterMap.Register r = have.get(a.name());
            if (r.offset() != a.offset()) wrong.add(String.format("%s at 0x%03x, published at 0x%03x", a.name(), r.offset(), a.offset()));
            if (r.width() != a.width()) wrong.add(a.name() + " " + r.width() + " bits, published " + a.width());
            if (!r.access().name().toLowerCase(Locale.ROOT).equals(a.access())) wrong.add(a.name() + " " + r.access() + ", published " + a.access());
            if (r.reset() != a.reset()) wrong.add(String.format("%s resets to 0x%x, published 0x%x", a.name(), r.reset(), a.reset()));
        }
        assertTrue(wrong.isEmpty(), "the generator's map differs from the published ABI:\n" + String.join("\n", wrong));
    }

    /** A value for a read-only input of {@code width} bits with its top bit set, distinct per offset. */
    static long roPattern(Abi a) {
        return ((0x9e3779b97f4a7c15L * (a.offset() + 1)) | (1L << (a.width() - 1))) & mask(a.width());
    }

    @Test
    void everyRegisterReadsItsPublishedResetValueThroughTheAxiPort() {
        Design d = LibraryTops.elaborate("ntsfab_regs");
        try (Testbench tb = Testbench.of(d).source("s_axil_aw").source("s_axil_w").source("s_axil_ar").sink("s_axil_b").sink("s_axil_r").build(SimOptions.fast(), 1)) {
            // read-only values are this design's inputs (the core drives them): identity and version as the core does,
            // every other one a pattern of its published width
            Map<String, Long> ro = new HashMap<>();
            for (Abi a : ABI)
                if (a.access().equals("ro")) {
                    long v = a.name().equals("identity") || a.name().equals("version") ? a.reset() : roPattern(a);
                    ro.put(a.name(), v);
                    tb.set(a.name(), v);
                }
            tb.run(3);
            BigInteger[] row = tb.plainHistory().get(tb.plainHistory().size() - 1); // the outputs out of reset, checked below
            // every word, in address order, through the read channel; then the first unmapped word and the last one
            List<String> what = new ArrayList<>();
            List<long[]> expect = new ArrayList<>();
            for (Map.Entry<Integer, Object[]> e : words().entrySet()) {
                Abi a = (Abi) e.getValue()[0];
                int w = (Integer) e.getValue()[1];
                long v = switch (a.access()) {
                    case "rw" -> a.reset();
                    case "ro" -> ro.get(a.name());
                    default -> 0;
                };
                tb.push("s_axil_ar", e.getKey());
                what.add(String.format("%s word %d (0x%03x)", a.name(), w, e.getKey()));
                expect.add(new long[] {word(v, w), OKAY});
            }
            for (int addr : new int[] {END, SPAN - 4}) {
                tb.push("s_axil_ar", addr);
                what.add(String.format("unmapped 0x%03x", addr));
                expect.add(new long[] {0, SLVERR});
            }
            tb.runUntilDrained(100_000, 10);
            List<Testbench.Beat> rs = tb.beats("s_axil_r");
            assertEquals(expect.size(), rs.size(), "read responses");
            for (int i = 0; i < rs.size(); i++) {
                assertEquals(expect.get(i)[1], rs.get(i).field(1), what.get(i) + ": response");
                assertEquals(expect.get(i)[0], rs.get(i).field(0), what.get(i) + ": data after reset");
            }
            // and out of reset, before any write, every read-write output held its published reset value, pulses were low
            for (Abi a : ABI) {
                if (a.access().equals("ro")) continue;
                long want = a.access().equals("rw") ? a.reset() : 0;
                assertEquals(want, row[tb.plainOutIndex(a.name())].longValue(), a.name() + " output after reset");
            }
            // widths: all ones written to every word of every read-write register reads back as its published width's ones
            int reads = rs.size(), writes = 0;
            expect.clear();
            what.clear();
            for (Abi a : ABI) {
                if (!a.access().equals("rw")) continue;
                for (int w = 0; w < a.words(); w++) {
                    tb.push("s_axil_aw", a.offset() + 4 * w);
                    tb.push("s_axil_w", 0xffffffffL, 0xf);
                    writes++;
                }
            }
            tb.runUntilDrained(100_000, 10); // the writes done before the reads start (the channels are independent)
            for (Abi a : ABI) {
                if (!a.access().equals("rw")) continue;
                for (int w = 0; w < a.words(); w++) {
                    tb.push("s_axil_ar", a.offset() + 4 * w);
                    what.add(String.format("%s word %d (0x%03x)", a.name(), w, a.offset() + 4 * w));
                    expect.add(new long[] {word(mask(a.width()), w), OKAY});
                }
            }
            tb.runUntilDrained(100_000, 10);
            List<Testbench.Beat> bs = tb.beats("s_axil_b");
            assertEquals(writes, bs.size(), "write responses");
            for (Testbench.Beat b : bs) assertEquals(OKAY, b.field(0), "write response at cycle " + b.cycle());
            rs = tb.beats("s_axil_r");
            assertEquals(reads + expect.size(), rs.size(), "read responses");
            for (int i = 0; i < expect.size(); i++) {
                assertEquals(expect.get(i)[1], rs.get(reads + i).field(1), what.get(i) + ": response");
                assertEquals(expect.get(i)[0], rs.get(reads + i).field(0), what.get(i) + ": all ones written, read back");
            }
            assertTrue(tb.violations().isEmpty(), tb.violations().toString());
        }
    }

    @Test
    void registerFileBehavesAsItsMap() {
        Design d = LibraryTops.elaborate("ntsfab_regs");
        long seed = SimSeeds.announce("ntsfab_regs", "regs", false);
        SplittableRandom rnd = new SplittableRandom(seed);
        Map<Integer, Object[]> words = words();
        Map<String, Long> model = new HashMap<>();
        for (Abi r : ABI) if (r.access().equals("rw")) model.put(r.name(), r.reset());
        int span = SPAN;
        try (Testbench tb = Testbench.of(d).source("s_axil_aw").source("s_axil_w").source("s_axil_ar").sink("s_axil_b").sink("s_axil_r").build(SimOptions.fast(), seed)) {
            for (String s : new String[] {"s_axil_aw", "s_axil_w", "s_axil_ar"}) tb.offerProbability(s, 0.5);
            tb.readyProbability("s_axil_b", 0.6);
            tb.readyProbability("s_axil_r", 0.6);
            Map<String, Long> ro = new HashMap<>();
            for (Abi r : ABI)
                if (r.access().equals("ro")) {
                    long v = rnd.nextLong() & mask(r.width());
                    ro.put(r.name(), v);
                    tb.set(r.name(), v);
                }
            // writes
            List<Integer> expectB = new ArrayList<>();
            Map<String, List<Long>> pulses = new HashMap<>(); // per pulse register: the values it must pulse, in order
            for (Abi r : ABI) if (r.access().equals("pulse")) pulses.put(r.name(), new ArrayList<>());
            for (int i = 0; i < 600; i++) {
                int addr = rnd.nextInt(8) == 0 ? 4 * rnd.nextInt(span / 4) : (Integer) new ArrayList<>(words.keySet()).get(rnd.nextInt(words.size()));
                long data = rnd.nextLong() & 0xffffffffL;
                int strb = rnd.nextInt(16);
                Object[] hit = words.get(addr);
                // pulse writes always strobe byte 0: what an unstrobed pulse write does is not settled (the register file
                // pulses regardless of strobes), and this test does not decide it
                if (hit != null && ((Abi) hit[0]).access().equals("pulse")) strb |= 1;
                tb.push("s_axil_aw", addr);
                tb.push("s_axil_w", data, strb);
                expectB.add(hit == null ? SLVERR : OKAY);
                if (hit == null) continue;
                Abi r = (Abi) hit[0];
                int word = (Integer) hit[1];
                if (r.access().equals("rw")) {
                    long v = model.get(r.name());
                    for (int byteLane = 0; byteLane < 4; byteLane++) {
                        if ((strb >> byteLane & 1) == 0) continue;
                        int bit = 32 * word + 8 * byteLane;
                        if (bit >= r.width()) continue;
                        long m = (0xffL << bit) & mask(r.width());
                        v = (v & ~m) | ((data << (32 * word)) & m);
                    }
                    model.put(r.name(), v);
                } else if (r.access().equals("pulse") && (data & mask(r.width())) != 0) {
                    pulses.get(r.name()).add(data & mask(r.width()));
                }
            }
            tb.runUntilDrained(100_000, 50);
            List<Testbench.Beat> bs = tb.beats("s_axil_b");
            assertEquals(expectB.size(), bs.size());
            for (int i = 0; i < bs.size(); i++) assertEquals((long) expectB.get(i), bs.get(i).field(0), "write " + i + " response");
            for (Map.Entry<String, List<Long>> e : pulses.entrySet()) {
                int pi = tb.plainOutIndex(e.getKey());
                List<Long> seen = tb.plainHistory().stream().filter(row -> row[pi].signum() != 0).map(row -> row[pi].longValue()).toList();
                assertEquals(e.getValue(), seen, e.getKey() + ": one cycle of the written bits per write of a non-zero value");
            }
            BigInteger[] last = tb.plainHistory().get(tb.plainHistory().size() - 1);
            for (Map.Entry<String, Long> e : model.entrySet())
                assertEquals((long) e.getValue(), last[tb.plainOutIndex(e.getKey())].longValue(), e.getKey());
            // reads of every word, mapped or not
            List<long[]> expectR = new ArrayList<>();
            Map<String, Long> latch = new HashMap<>(); // high words latched by low-word reads (reset 0)
            for (int i = 0; i < 400; i++) {
                int addr = 4 * rnd.nextInt(span / 4);
                tb.push("s_axil_ar", addr);
                Object[] hit = words.get(addr);
                if (hit == null) {
                    expectR.add(new long[] {0, 2});
                    continue;
                }
                Abi r = (Abi) hit[0];
                int word = (Integer) hit[1];
                long v = switch (r.access()) {
                    case "rw" -> model.get(r.name());
                    case "ro" -> ro.get(r.name());
                    default -> 0;
                };
                if (r.access().equals("ro") && r.words() == 2) {
                    if (word == 0) latch.put(r.name(), v >>> 32);
                    else v = latch.getOrDefault(r.name(), 0L) << 32;
                }
                expectR.add(new long[] {(v >>> (32 * word)) & 0xffffffffL, 0});
            }
            tb.runUntilDrained(100_000, 50);
            List<Testbench.Beat> rs = tb.beats("s_axil_r");
            assertEquals(expectR.size(), rs.size());
            for (int i = 0; i < rs.size(); i++) {
                assertEquals(expectR.get(i)[0], rs.get(i).field(0), "read " + i + " data");
                assertEquals(expectR.get(i)[1], rs.get(i).field(1), "read " + i + " resp");
            }
            // the high word of a 64-bit read-only value is latched by the low-word read
            int now = 0x074; // clock_now
            tb.set("clock_now", 0x1111111122222222L);
            tb.run(2);
            tb.push("s_axil_ar", now);
            tb.runUntilDrained(1000, 10);
            tb.set("clock_now", 0x3333333344444444L);
            tb.run(2);
            tb.push("s_axil_ar", now + 4);
            tb.runUntilDrained(1000, 10);
            List<Testbench.Beat> all = tb.beats("s_axil_r");
            assertEquals(0x22222222L, all.get(all.size() - 2).field(0));
            assertEquals(0x11111111L, all.get(all.size() - 1).field(0), "high word as it was when the low word was read");
            assertTrue(tb.violations().isEmpty(), tb.violations().toString());
        }
    }

    @Test
    void theCommittedRegisterMapIsCurrent() throws Exception {
        String committed = java.nio.file.Files.readString(java.nio.file.Path.of("../docs/registers.md"));
        assertEquals(map.markdown(), committed, "docs/registers.md is stale: regenerate with ./ntsfab gen and copy build/rtl/registers/ntsfab_regs.md");
    }

    @Test
    void documentationIsGeneratedFromTheSameMap() {
        String md = map.markdown(), h = map.cHeader(), j = map.javaConstants("org.ntsfab.regs", "Registers");
        for (RegisterMap.Register r : map.registers()) {
            String off = String.format("0x%03x", r.offset());
            assertTrue(md.contains("| " + off + " | " + r.name() + " |"), r.name());
            assertTrue(h.contains("NTSFAB_" + r.name().toUpperCase()) && h.contains(off + "u"), r.name());
            assertTrue(j.contains(r.name().toUpperCase() + " = " + off), r.name());
        }
    }
}
