package org.ntsfab.responder.regs;

import org.ntsfab.harness.SimOptions;
import org.ntsfab.harness.SimSeeds;
import org.ntsfab.harness.Testbench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.ntsfab.gen.LibraryTops;
import org.ntsfab.hdl.Design;
import org.ntsfab.ip.axil.RegisterMap;
import org.ntsfab.responder.regs.ResponderRegisters;

/**
 * The generated AXI4-Lite register file against a plain Java model of the map: random writes with
 * random strobes (mapped, read-only, pulse and unmapped addresses), random reads, random
 * backpressure and idle on every channel; 64-bit read-only values latch their high word.
 */
class RegistersSimTest {
    final RegisterMap map = ResponderRegisters.map();

    /** Word offset → (register, word index). */
    Map<Integer, Object[]> words() {
        Map<Integer, Object[]> m = new HashMap<>();
        for (RegisterMap.Register r : map.registers())
            for (int w = 0; w < r.words(); w++) m.put(r.offset() + 4 * w, new Object[] {r, w});
        return m;
    }

    static long mask(int bits) {
        return bits == 64 ? -1L : (1L << bits) - 1;
    }

    @Test
    void registerFileBehavesAsItsMap() {
        Design d = LibraryTops.elaborate("ntsfab_regs");
        long seed = SimSeeds.announce("ntsfab_regs", "regs", false);
        SplittableRandom rnd = new SplittableRandom(seed);
        Map<Integer, Object[]> words = words();
        Map<String, Long> model = new HashMap<>();
        for (RegisterMap.Register r : map.registers()) if (r.access() == RegisterMap.Access.RW) model.put(r.name(), r.reset());
        int span = 1 << map.addressBits();
        try (Testbench tb = Testbench.of(d).source("aw").source("w").source("ar").sink("b").sink("r").build(SimOptions.fast(), seed)) {
            for (String s : new String[] {"aw", "w", "ar"}) tb.offerProbability(s, 0.5);
            tb.readyProbability("b", 0.6);
            tb.readyProbability("r", 0.6);
            Map<String, Long> ro = new HashMap<>();
            for (RegisterMap.Register r : map.registers())
                if (r.access() == RegisterMap.Access.RO) {
                    long v = rnd.nextLong() & mask(r.width());
                    ro.put(r.name(), v);
                    tb.set(r.name(), v);
                }
            // writes
            List<Integer> expectB = new ArrayList<>();
            int pulses = 0;
            for (int i = 0; i < 600; i++) {
                int addr = rnd.nextInt(8) == 0 ? 4 * rnd.nextInt(span / 4) : (Integer) new ArrayList<>(words.keySet()).get(rnd.nextInt(words.size()));
                long data = rnd.nextLong() & 0xffffffffL;
                int strb = rnd.nextInt(16);
                tb.push("aw", addr);
                tb.push("w", data, strb);
                Object[] hit = words.get(addr);
                expectB.add(hit == null ? 2 : 0);
                if (hit == null) continue;
                RegisterMap.Register r = (RegisterMap.Register) hit[0];
                int word = (Integer) hit[1];
                if (r.access() == RegisterMap.Access.RW) {
                    long v = model.get(r.name());
                    for (int byteLane = 0; byteLane < 4; byteLane++) {
                        if ((strb >> byteLane & 1) == 0) continue;
                        int bit = 32 * word + 8 * byteLane;
                        if (bit >= r.width()) continue;
                        long m = (0xffL << bit) & mask(r.width());
                        v = (v & ~m) | ((data << (32 * word)) & m);
                    }
                    model.put(r.name(), v);
                } else if (r.access() == RegisterMap.Access.PULSE && (data & 1) != 0) {
                    pulses++;
                }
            }
            tb.runUntilDrained(100_000, 50);
            List<Testbench.Beat> bs = tb.beats("b");
            assertEquals(expectB.size(), bs.size());
            for (int i = 0; i < bs.size(); i++) assertEquals((long) expectB.get(i), bs.get(i).field(0), "write " + i + " response");
            int pi = tb.plainOutIndex("clock_control");
            long seen = tb.plainHistory().stream().filter(row -> row[pi].signum() != 0).count();
            assertEquals(pulses, seen, "one pulse cycle per write of bit 0");
            BigInteger[] last = tb.plainHistory().get(tb.plainHistory().size() - 1);
            for (Map.Entry<String, Long> e : model.entrySet())
                assertEquals((long) e.getValue(), last[tb.plainOutIndex(e.getKey())].longValue(), e.getKey());
            // reads of every word, mapped or not
            List<long[]> expectR = new ArrayList<>();
            Map<String, Long> latch = new HashMap<>(); // high words latched by low-word reads (reset 0)
            for (int i = 0; i < 400; i++) {
                int addr = 4 * rnd.nextInt(span / 4);
                tb.push("ar", addr);
                Object[] hit = words.get(addr);
                if (hit == null) {
                    expectR.add(new long[] {0, 2});
                    continue;
                }
                RegisterMap.Register r = (RegisterMap.Register) hit[0];
                int word = (Integer) hit[1];
                long v = switch (r.access()) {
                    case RW -> model.get(r.name());
                    case RO -> ro.get(r.name());
                    default -> 0;
                };
                if (r.access() == RegisterMap.Access.RO && r.words() == 2) {
                    if (word == 0) latch.put(r.name(), v >>> 32);
                    else v = latch.getOrDefault(r.name(), 0L) << 32;
                }
                expectR.add(new long[] {(v >>> (32 * word)) & 0xffffffffL, 0});
            }
            tb.runUntilDrained(100_000, 50);
            List<Testbench.Beat> rs = tb.beats("r");
            assertEquals(expectR.size(), rs.size());
            for (int i = 0; i < rs.size(); i++) {
                assertEquals(expectR.get(i)[0], rs.get(i).field(0), "read " + i + " data");
                assertEquals(expectR.get(i)[1], rs.get(i).field(1), "read " + i + " resp");
            }
            // the high word of a 64-bit read-only value is latched by the low-word read
            RegisterMap.Register now = map.registers().stream().filter(r -> r.name().equals("clock_now")).findFirst().orElseThrow();
            tb.set("clock_now", 0x1111111122222222L);
            tb.run(2);
            tb.push("ar", now.offset());
            tb.runUntilDrained(1000, 10);
            tb.set("clock_now", 0x3333333344444444L);
            tb.run(2);
            tb.push("ar", now.offset() + 4);
            tb.runUntilDrained(1000, 10);
            List<Testbench.Beat> all = tb.beats("r");
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
