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
 * NTS in fabric ({@code ntsfab_top} with its NTS engine) against the reference model, byte for byte
 * and counter for counter: valid requests of both AEADs with 0–7 placeholders (some inside the
 * authenticator), cookies under the current key, a rotated-out key and unknown key ids, broken
 * cookies and authenticators, malformed field sets, and a master-key rotation through the
 * registers in the middle; then the same kinds back to back (most NTS requests find the engine
 * busy: dropped and counted, never a corrupted or lost other answer) under idle and backpressure.
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
                TrafficGenerator.parseMix(NTS_MIX), NtsFabTopSimTest.START), 24_000, cfg.frequencyHz());
        TopSim.Report r = TopSim.run(cfg, in, TopSim.Options.defaults(21).rotatingKeyAt(120), List.of());
        assertTrue(r.ok(), () -> String.join("\n", r.mismatches().subList(0, Math.min(10, r.mismatches().size()))));
        Map<Outcome, Long> m = r.modelCounters();
        assertTrue(m.getOrDefault(Outcome.ANSWER_NTS, 0L) >= 80, "NTS answers: " + m);
        assertTrue(m.getOrDefault(Outcome.ANSWER_NTS_NAK_COOKIE, 0L) >= 10, "cookie NAKs: " + m);
        assertTrue(m.getOrDefault(Outcome.ANSWER_NTS_NAK_AUTH, 0L) >= 10, "authenticator NAKs: " + m);
        assertTrue(m.getOrDefault(Outcome.DROP_NTS_MALFORMED, 0L) >= 3, "malformed: " + m);
        assertEquals(0L, m.getOrDefault(Outcome.DROP_NTS_OVERLOAD, 0L), "spaced requests all find the engine free");
        // both AEADs answered: AEAD 17 answers carry 164-byte cookies, so some answers are long
        assertTrue(r.tx().stream().anyMatch(f -> f.frame().length > 48 + 40 + 14 + 8 + 168 + 40), "an AEAD 17 answer");
    }

    /** Four engines sharing the AES pipelines: answers leave out of request order (NAKs overtake long answers), each equal to the model's. */
    @Test
    void fourEnginesSharingThePipelinesEqualTheModel() throws Exception {
        ConfigFile c = config();
        ConfigFile cfg = new ConfigFile(c.mac(), c.ipv4(), c.ipv6(), c.vlan(), c.forwardUnmatched(), c.ttl(), c.icmpMaxPayload(), c.stratum(),
                c.refid(), c.precision(), c.rootDelay(), c.rootDispersion(), c.synced(), c.frequencyHz(), c.start(), c.leap(), c.leapEvent(),
                c.answerLatencyCycles(), c.ntsKeys(), c.ntsCurrentKey(), c.nonceSeed(), c.maxPlaceholders(), c.busBytes(), 4);
        List<Pcap.Record> in = TrafficGenerator.spaceNts(new TrafficGenerator(cfg, 23).generate(400,
                TrafficGenerator.parseMix(NTS_MIX), NtsFabTopSimTest.START), 400, cfg.frequencyHz());
        TopSim.Report r = TopSim.run(cfg, in, new TopSim.Options(false, 1.0, 0.8, 0.7, 0.01, 23, Path.of("target/vcd"), true), List.of());
        assertTrue(r.ok(), () -> String.join("\n", r.mismatches().subList(0, Math.min(10, r.mismatches().size()))));
        Map<Outcome, Long> m = r.modelCounters();
        assertTrue(m.getOrDefault(Outcome.ANSWER_NTS, 0L) >= 100, "NTS answers: " + m);
        assertTrue(m.getOrDefault(Outcome.DROP_NTS_OVERLOAD, 0L) > 0, "four busy engines still drop some: " + m);
        long reordered = 0;
        for (int i = 1; i < r.ntsTimes().size(); i++) if (r.ntsTimes().get(i)[0] < r.ntsTimes().get(i - 1)[0]) reordered++;
        assertTrue(reordered > 0, "some answers overtook others");
    }

    /**
     * Cookie NAKs are quick (no seal), so back to back they pile up in one engine faster than they leave: more
     * arrive within one commit-to-departure latency (4 096 cycles) than the departure queue holds (its 8 entries
     * and its output register), so the queue fills, the engine waits for room (later requests are dropped as
     * overload) and takes more once the first NAKs have left. Every NAK must still leave at its reserved cycle (a
     * late one shows as a T3 mismatch and in {@code count_nts_late}; a miscounted full queue held it forever).
     */
    @Test
    void cookieNakBurstFillsTheDepartureQueueAndEveryNakLeavesOnTime() throws Exception {
        ConfigFile cfg = config();
        List<Pcap.Record> in = new TrafficGenerator(cfg, 24).generate(240, TrafficGenerator.parseMix("nts_bad_cookie=1"), NtsFabTopSimTest.START);
        TopSim.Report r = TopSim.run(cfg, in, new TopSim.Options(true, 1.0, 1.0, 1.0, 0.0, 24, Path.of("target/vcd"), true), List.of());
        assertTrue(r.ok(), () -> String.join("\n", r.mismatches().subList(0, Math.min(10, r.mismatches().size()))));
        Map<Outcome, Long> m = r.modelCounters();
        long naks = m.getOrDefault(Outcome.ANSWER_NTS_NAK_COOKIE, 0L);
        assertTrue(naks >= 20, "cookie NAKs, also after the queue drained: " + m);
        assertTrue(m.getOrDefault(Outcome.DROP_NTS_OVERLOAD, 0L) > 0, "the engine waited for room: " + m);
        // the queue was full: more NAKs in before the first one left than it has entries
        long firstDeparture = r.ntsTimes().stream().mapToLong(t -> t[1]).min().orElseThrow();
        long arrivedBefore = r.ntsTimes().stream().filter(t -> t[0] < firstDeparture).count();
        assertTrue(arrivedBefore > org.ntsfab.responder.nts.NtsEngine.DEPARTURES, "NAKed requests in before the first NAK left: " + arrivedBefore);
    }

    @Test
    void backToBackUnderBackpressureDropsOnlyWhatItCounts() throws Exception {
        ConfigFile cfg = config();
        List<Pcap.Record> in = new TrafficGenerator(cfg, 22).generate(400, TrafficGenerator.parseMix(NTS_MIX), NtsFabTopSimTest.START);
        TopSim.Report r = TopSim.run(cfg, in, new TopSim.Options(true, 0.8, 0.7, 0.6, 0.01, 22, Path.of("target/vcd"), true), List.of());
        assertTrue(r.ok(), () -> String.join("\n", r.mismatches().subList(0, Math.min(10, r.mismatches().size()))));
        Map<Outcome, Long> m = r.modelCounters();
        assertTrue(m.getOrDefault(Outcome.DROP_NTS_OVERLOAD, 0L) > 50, "a busy engine drops NTS requests: " + m);
        assertTrue(m.getOrDefault(Outcome.ANSWER_NTS, 0L) >= 1, "and still answers some: " + m);
        assertTrue(m.getOrDefault(Outcome.ANSWER_NTP, 0L) >= 60, "plain NTP keeps being answered: " + m);
    }
}
