package org.ntsfab.model;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.ntsfab.model.pcap.Pcap;

/**
 * Runs a capture through the responder model. Cycle 0 is the first frame's arrival; a frame's
 * arrival cycle is its capture time in cycles of the configured clock. Answers leave on one output
 * port of {@code bytesPerBeat} bytes per cycle: an answer's first beat departs at
 * max(last beat of its request + answer latency, the cycle the port is free), and its record time
 * is that cycle's time. The NTP clock reads the first frame's arrival time at cycle 0 unless the
 * config sets {@code [clock] start}.
 */
public final class ModelRun {
    public record Output(List<Pcap.Record> answers, List<Pcap.Record> host, Map<Outcome, Long> counters, long frames) {}

    private ModelRun() {}

    public static long beats(int bytes, int bytesPerBeat) {
        return (bytes + bytesPerBeat - 1) / bytesPerBeat;
    }

    public static Output run(ConfigFile cfg, List<Pcap.Record> in, int bytesPerBeat) {
        if (in.isEmpty()) return new Output(List.of(), List.of(), new Responder(cfg.fabricResponder(Instant.EPOCH)).counters(), 0);
        Instant t0 = in.get(0).time();
        Responder r = new Responder(cfg.fabricResponder(t0));
        double hz = cfg.frequencyHz();
        List<Pcap.Record> answers = new ArrayList<>(), host = new ArrayList<>();
        long portFree = Long.MIN_VALUE;
        // the NTS core's departures, each [first beat, end): the port is kept free for them
        java.util.TreeMap<Long, Long> reserved = new java.util.TreeMap<>();
        for (Pcap.Record rec : in) {
            Duration d = Duration.between(t0, rec.time());
            long rx = Math.round((d.getSeconds() + d.getNano() / 1e9) * hz);
            Responder.Result res = r.process(rec.frame(), false, rx);
            while (!reserved.isEmpty() && reserved.firstEntry().getValue() <= rx) reserved.pollFirstEntry();
            if (res.toHost()) host.add(rec);
            if (res.answer() == null) continue;
            long earliest = rx + beats(rec.frame().length, bytesPerBeat) - 1 + cfg.answerLatencyCycles();
            // the NTS core's answers leave at their fixed residence after the request's first beat (spec 9.7), the port kept free
            boolean fixed = res.ntsResidence() > 0;
            long tx = fixed ? rx + res.ntsResidence() : Math.max(earliest, portFree);
            if (!fixed) tx = pastReserved(reserved, tx, beats(res.answer().at(tx).length, bytesPerBeat));
            byte[] a = res.answer().at(tx);
            long end = tx + beats(a.length, bytesPerBeat);
            if (fixed) reserved.put(tx, end);
            else portFree = end;
            answers.add(new Pcap.Record(t0.plusNanos(Math.round(tx * 1e9 / hz)), a));
        }
        return new Output(answers, host, r.counters(), in.size());
    }

    /** The first cycle at or after {@code tx} from which {@code beats} beats end before or start after every reserved departure. */
    static long pastReserved(java.util.TreeMap<Long, Long> reserved, long tx, long beats) {
        while (true) {
            Map.Entry<Long, Long> before = reserved.floorEntry(tx);
            if (before != null && before.getValue() > tx) {
                tx = before.getValue();
                continue;
            }
            Long next = reserved.ceilingKey(tx);
            if (next != null && next < tx + beats) {
                tx = reserved.get(next);
                continue;
            }
            return tx;
        }
    }
}
