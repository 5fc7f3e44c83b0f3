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
        if (in.isEmpty()) return new Output(List.of(), List.of(), new Responder(cfg.responder(Instant.EPOCH)).counters(), 0);
        Instant t0 = in.get(0).time();
        Responder r = new Responder(cfg.responder(t0));
        double hz = cfg.frequencyHz();
        List<Pcap.Record> answers = new ArrayList<>(), host = new ArrayList<>();
        long portFree = Long.MIN_VALUE;
        for (Pcap.Record rec : in) {
            Duration d = Duration.between(t0, rec.time());
            long rx = Math.round((d.getSeconds() + d.getNano() / 1e9) * hz);
            Responder.Result res = r.process(rec.frame(), false, rx);
            if (res.toHost()) host.add(rec);
            if (res.answer() == null) continue;
            long earliest = rx + beats(rec.frame().length, bytesPerBeat) - 1 + cfg.answerLatencyCycles();
            long tx = Math.max(earliest, portFree);
            byte[] a = res.answer().at(tx);
            portFree = tx + beats(a.length, bytesPerBeat);
            answers.add(new Pcap.Record(t0.plusNanos(Math.round(tx * 1e9 / hz)), a));
        }
        return new Output(answers, host, r.counters(), in.size());
    }
}
