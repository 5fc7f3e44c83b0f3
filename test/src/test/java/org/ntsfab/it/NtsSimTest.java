package org.ntsfab.it;

import org.ntsfab.sim.TopSim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.ntsfab.model.ConfigFile;
import org.ntsfab.model.Outcome;
import org.ntsfab.model.pcap.Pcap;
import org.ntsfab.model.traffic.TrafficGenerator;

/**
 * NTS in fabric ({@code ntsfab_top} with its NTS cores) against the reference model, byte for byte,
 * counter for counter and admission decision for admission decision (the model decides by its own
 * rule, spec 9.7): valid requests of both AEADs with 0–7 placeholders (some inside the
 * authenticator), cookies under the current key, a rotated-out key and unknown key ids, broken
 * cookies and authenticators, malformed field sets, and a master-key rotation through the
 * registers in the middle; then the same kinds back to back (the contexts fill: NTS requests are
 * dropped and counted, never a corrupted or lost other answer) under idle and backpressure.
 */
class NtsSimTest {
    static final String NTS_MIX = "nts=6,nts6=2,nts_bad_cookie=2,nts_bad_auth=2,nts_malformed=2,ntp=4,arp=1,icmp=1";

    static ConfigFile config() throws Exception {
        return ConfigFile.load(Path.of("../configs/example.toml"));
    }

    @Test
    void ntsRichCorpusWithKeyRotationEqualsModel() throws Exception {
        ConfigFile cfg = config();
        List<Pcap.Record> in = TrafficGenerator.spaceNts(new TrafficGenerator(cfg, 21).generate(240,
                TrafficGenerator.parseMix(NTS_MIX), NtsFabTopSimTest.START), 2_000, cfg.frequencyHz());
        TopSim.Report r = TopSim.run(cfg, in, TopSim.Options.defaults(21).rotatingKeyAt(120), List.of());
        assertTrue(r.ok(), () -> String.join("\n", r.mismatches().subList(0, Math.min(10, r.mismatches().size()))));
        Map<Outcome, Long> m = r.modelCounters();
        assertTrue(m.getOrDefault(Outcome.ANSWER_NTS, 0L) >= 80, "NTS answers: " + m);
        assertTrue(m.getOrDefault(Outcome.ANSWER_NTS_NAK_COOKIE, 0L) >= 10, "cookie NAKs: " + m);
        assertTrue(m.getOrDefault(Outcome.ANSWER_NTS_NAK_AUTH, 0L) >= 10, "authenticator NAKs: " + m);
        assertTrue(m.getOrDefault(Outcome.DROP_NTS_MALFORMED, 0L) >= 3, "malformed: " + m);
        assertEquals(0L, m.getOrDefault(Outcome.DROP_NTS_OVERLOAD, 0L), "spaced requests all find a context free");
        assertTrue(r.ntsDecisions().stream().allMatch(k -> k == 0), "one core: " + r.ntsDecisions());
        // both AEADs answered: AEAD 17 answers carry 164-byte cookies, so some answers are long
        assertTrue(r.tx().stream().anyMatch(f -> f.frame().length > 48 + 40 + 14 + 8 + 168 + 40), "an AEAD 17 answer");
    }

    static ConfigFile withCores(ConfigFile c, int cores) {
        var k = c.ntsCapacity();
        return withCapacity(c, new org.ntsfab.model.ResponderConfig.Capacity(cores, k.contexts(), k.residenceCycles(), k.holdCycles(), k.budgetBytes(),
                k.shortMaxBytes(), k.shortResidenceCycles(), k.shortHoldCycles()));
    }

    /** {@code c} with one residence class (short_max_bytes = 0): every NTS answer at residence_cycles. */
    static ConfigFile oneClass(ConfigFile c) {
        var k = c.ntsCapacity();
        return withCapacity(c, new org.ntsfab.model.ResponderConfig.Capacity(k.cores(), k.contexts(), k.residenceCycles(), k.holdCycles(), k.budgetBytes()));
    }

    static ConfigFile withCapacity(ConfigFile c, org.ntsfab.model.ResponderConfig.Capacity cap) {
        return new ConfigFile(c.mac(), c.ipv4(), c.ipv6(), c.vlan(), c.forwardUnmatched(), c.ttl(), c.icmpMaxPayload(), c.stratum(),
                c.refid(), c.precision(), c.rootDelay(), c.rootDispersion(), c.synced(), c.frequencyHz(), c.start(), c.leap(), c.leapEvent(),
                c.answerLatencyCycles(), c.ntsKeys(), c.ntsCurrentKey(), c.nonceSeed(), c.maxPlaceholders(), c.busBytes(), cap);
    }

    /** Each answer's residence is one of the two classes', and both occur. */
    static void bothClasses(ConfigFile cfg, TopSim.Report r) {
        var k = cfg.ntsCapacity();
        long shorts = 0, longs = 0;
        for (long[] t : r.ntsTimes()) {
            long d = t[1] - t[0];
            if (d == k.shortResidenceCycles()) shorts++;
            else if (d == k.residenceCycles()) longs++;
            else throw new AssertionError("an answer left " + d + " cycles after its request's first beat, neither residence");
        }
        assertTrue(shorts > 0 && longs > 0, shorts + " short and " + longs + " long answers");
    }

    /**
     * Two cores at line rate: the first 31 requests fill core 0's contexts, the next core 1's, the rest are dropped until
     * contexts free a hold later, every decision (core included) equal to the model's; with the transmit port always
     * ready, every NTS answer leaves exactly its residence after its request's first beat.
     */
    @Test
    void twoCoresAtLineRateTakeWhatTheModelAdmitsAndAnswerAtTheResidence() throws Exception {
        ConfigFile cfg = withCores(config(), 2);
        List<Pcap.Record> in = new TrafficGenerator(cfg, 23).generate(500, TrafficGenerator.parseMix("nts=6,nts6=2,nts_bad_cookie=1,nts_bad_auth=1,ntp=2"),
                NtsFabTopSimTest.START);
        TopSim.Report r = TopSim.run(cfg, in, new TopSim.Options(true, 1.0, 1.0, 1.0, 0.0, 23, Path.of("target/vcd"), true), List.of());
        assertTrue(r.ok(), () -> String.join("\n", r.mismatches().subList(0, Math.min(10, r.mismatches().size()))));
        Map<Outcome, Long> m = r.modelCounters();
        assertTrue(r.ntsDecisions().contains(0) && r.ntsDecisions().contains(1), "both cores took requests: " + r.ntsDecisions());
        assertEquals(List.of(0, 0, 0), r.ntsDecisions().subList(0, 3), "the lowest-numbered core first");
        assertTrue(m.getOrDefault(Outcome.DROP_NTS_OVERLOAD, 0L) > 0, "line rate fills both cores: " + m);
        assertTrue(m.getOrDefault(Outcome.ANSWER_NTS, 0L) >= 62, "NTS answers: " + m);
        // each answer's first beat leaves its class's residence after the request's
        bothClasses(cfg, r);
    }

    /**
     * Cookie NAKs are quick (no seal), so back to back they finish long before their departure: they wait in their core's
     * departure memory, and every one must still leave at its reserved cycle (a late one shows as a T3 mismatch and in
     * {@code count_nts_late}); the contexts, not the work, limit how many are taken. One residence class, so that one
     * hold covers the whole burst.
     */
    @Test
    void cookieNakBurstWaitsForItsDeparturesAndEveryNakLeavesOnTime() throws Exception {
        ConfigFile cfg = oneClass(config());
        List<Pcap.Record> in = new TrafficGenerator(cfg, 24).generate(240, TrafficGenerator.parseMix("nts_bad_cookie=1"), NtsFabTopSimTest.START);
        TopSim.Report r = TopSim.run(cfg, in, new TopSim.Options(true, 1.0, 1.0, 1.0, 0.0, 24, Path.of("target/vcd"), true), List.of());
        assertTrue(r.ok(), () -> String.join("\n", r.mismatches().subList(0, Math.min(10, r.mismatches().size()))));
        Map<Outcome, Long> m = r.modelCounters();
        long naks = m.getOrDefault(Outcome.ANSWER_NTS_NAK_COOKIE, 0L);
        assertEquals(cfg.ntsCapacity().contexts(), naks, "one core's contexts: " + m);
        assertEquals(240 - naks, m.getOrDefault(Outcome.DROP_NTS_OVERLOAD, 0L), "the rest dropped: " + m);
        long firstDeparture = r.ntsTimes().stream().mapToLong(t -> t[1]).min().orElseThrow();
        long arrivedBefore = r.ntsTimes().stream().filter(t -> t[0] < firstDeparture).count();
        assertEquals(naks, arrivedBefore, "every NAKed request was in before the first NAK left");
        for (long[] t : r.ntsTimes()) assertEquals(cfg.ntsCapacity().residenceCycles(), t[1] - t[0]);
    }

    @Test
    void backToBackUnderBackpressureDropsOnlyWhatItCounts() throws Exception {
        ConfigFile cfg = config();
        List<Pcap.Record> in = new TrafficGenerator(cfg, 22).generate(400, TrafficGenerator.parseMix(NTS_MIX), NtsFabTopSimTest.START);
        TopSim.Report r = TopSim.run(cfg, in, new TopSim.Options(true, 0.8, 0.7, 0.6, 0.01, 22, Path.of("target/vcd"), true), List.of());
        assertTrue(r.ok(), () -> String.join("\n", r.mismatches().subList(0, Math.min(10, r.mismatches().size()))));
        Map<Outcome, Long> m = r.modelCounters();
        assertTrue(m.getOrDefault(Outcome.DROP_NTS_OVERLOAD, 0L) > 50, "full contexts drop NTS requests: " + m);
        assertTrue(m.getOrDefault(Outcome.ANSWER_NTS, 0L) >= 1, "and still answers some: " + m);
        assertTrue(m.getOrDefault(Outcome.ANSWER_NTP, 0L) >= 60, "plain NTP keeps being answered: " + m);
    }

    /**
     * The 100 000-frame runs of {@code sim --check} at CI size: an NTS-rich corpus (both AEADs, broken cookies and
     * authenticators, malformed fields, plain NTP, ARP, ICMP, frames for the host) on two cores back to back at line
     * rate, the master key rotated halfway. Every frame enters no closer to the one before than the wire allows, after
     * the rotation's pause too; no frame is lost to a full store (offered with no gap at all, input no link delivers, the
     * NTS store once filled and lost requests the model answered: 17 233 mismatches in 100 000 frames); everything equals
     * the model.
     */
    @Test
    void ntsRichCorpusAtLineRateWithARotationLosesNothing() throws Exception {
        ConfigFile cfg = withCores(config(), 2);
        List<Pcap.Record> in = new TrafficGenerator(cfg, 18).generate(2000,
                TrafficGenerator.parseMix("nts=40,nts6=20,nts_bad_cookie=8,nts_bad_auth=8,nts_malformed=6,ntp=8,ntp6=4,arp=2,icmp=2,not_for_us=2"),
                NtsFabTopSimTest.START);
        TopSim.Report r = TopSim.run(cfg, in, new TopSim.Options(true, 1.0, 1.0, 1.0, 0.0, 18, Path.of("target/vcd"), true, 1000), List.of());
        assertTrue(r.ok(), () -> String.join("\n", r.mismatches().subList(0, Math.min(10, r.mismatches().size()))));
        assertEquals(0L, r.rtlCounters().get("count_store_overflow"), "no frame lost to a full store");
        Map<Outcome, Long> m = r.modelCounters();
        assertTrue(m.getOrDefault(Outcome.ANSWER_NTS, 0L) >= 300, "NTS answers: " + m);
        assertTrue(m.getOrDefault(Outcome.DROP_NTS_OVERLOAD, 0L) >= 300, "line rate overloads two cores: " + m);
        bothClasses(cfg, r);
        for (int i = 1; i < in.size(); i++) {
            long gap = r.rxCycles().get(i) - r.rxCycles().get(i - 1);
            double wire = TopSim.wireCycles(in.get(i - 1).frame().length, 8);
            assertTrue(gap > wire - 1, "frame " + i + " entered " + gap + " cycles after the one before, the wire needs " + wire);
        }
    }
}
