package org.ntsfab.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.ntsfab.model.ConfigFile;
import org.ntsfab.model.Outcome;
import org.ntsfab.model.pcap.Pcap;
import org.ntsfab.model.traffic.TrafficGenerator;

/**
 * The whole responder core ({@code ntsfab_top}) against the reference model: a mixed corpus (every
 * non-NTS kind, NTS requests that a server without NTS drops, malformed frames, echo requests with
 * IPv4 options, host frames to merge into the transmit port) at capture timing, back to back, and
 * under random receive idle and transmit/host backpressure. Every transmitted frame, every host
 * frame and every counter must equal the model's.
 */
class NtsFabTopSimTest {
    @ParameterizedTest(name = "{0} frames, line rate {1}, rx offer {2}, tx ready {3}, host ready {4}")
    @CsvSource({"3000, false, 1.0, 1.0, 1.0", "3000, true, 1.0, 1.0, 1.0", "3000, true, 0.8, 0.7, 0.6"})
    void equalsTheModel(int count, boolean lineRate, double offer, double txReady, double hostReady) throws Exception {
        long seed = SimSeeds.announce("ntsfab_top", "top" + lineRate + offer, false);
        ConfigFile cfg = ConfigFile.load(Path.of("../configs/example.toml"));
        List<Pcap.Record> in = new ArrayList<>(new TrafficGenerator(cfg, seed).generate(count, TrafficGenerator.DEFAULT_MIX,
                Instant.parse("2026-11-24T12:00:00Z")));
        SplittableRandom rnd = new SplittableRandom(seed);
        List<byte[]> hostTx = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            byte[] f = new byte[60 + rnd.nextInt(1455)];
            rnd.nextBytes(f);
            f[12] = (byte) 0x88;
            f[13] = (byte) 0xb5; // local experimental EtherType
            hostTx.add(f);
        }
        TopSim.Report r = TopSim.run(cfg, in, new TopSim.Options(lineRate, offer, txReady, hostReady, seed, Path.of("target/vcd"), true), hostTx);
        assertTrue(r.ok(), () -> r.mismatches().size() + " mismatches, first: " + String.join("\n", r.mismatches().subList(0, Math.min(10, r.mismatches().size()))));
        long answers = r.modelCounters().entrySet().stream().filter(e -> e.getKey().action() == Outcome.Action.ANSWER).mapToLong(e -> e.getValue()).sum();
        assertTrue(answers > count / 3, "the corpus is answer-rich: " + answers);
        assertTrue(r.modelCounters().getOrDefault(Outcome.ANSWER_ICMP_ECHO, 0L) > 0);
        assertEquals(r.rtlCounters().get("count_tx_frames"), (long) r.tx().size());
        System.out.printf("ntsfab_top: %d frames, %d tx (incl. %d host), %d host rx, %d cycles, overload %d, store overflow %d, %.1f s%n", r.frames(),
                r.tx().size(), hostTx.size(), r.hostRx().size(), r.cycles(), r.rtlCounters().get("count_answer_overload"),
                r.rtlCounters().get("count_store_overflow"), r.wallSeconds());
    }
}
