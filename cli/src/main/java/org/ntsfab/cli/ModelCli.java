package org.ntsfab.cli;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.ntsfab.model.ConfigFile;
import org.ntsfab.model.ModelRun;
import org.ntsfab.model.Outcome;
import org.ntsfab.model.pcap.Pcap;
import org.ntsfab.model.traffic.TrafficGenerator;

/** {@code ntsfab model} and {@code ntsfab traffic}. */
final class ModelCli {
    private ModelCli() {}

    static int model(List<String> a) throws Exception {
        ConfigFile cfg = ConfigFile.load(Path.of(required(a, "--config")));
        List<Pcap.Record> in = Pcap.read(Path.of(required(a, "--in")));
        long t0 = System.nanoTime();
        ModelRun.Output out = ModelRun.run(cfg, in, cfg.busBytes());
        double secs = (System.nanoTime() - t0) / 1e9;
        Pcap.write(Path.of(required(a, "--out")), out.answers());
        String host = Main.option(a, "--host", null);
        if (host != null) Pcap.write(Path.of(host), out.host());
        System.out.printf("%d frames in, %d answers, %d to host, %.0f frames/s (model, one thread)%n",
                out.frames(), out.answers().size(), out.host().size(), out.frames() / secs);
        printCounters(out.counters());
        return 0;
    }

    static void printCounters(Map<Outcome, Long> counters) {
        for (Map.Entry<Outcome, Long> e : counters.entrySet())
            if (e.getValue() > 0) System.out.printf("  %-24s %10d  (%s)%n", e.getKey().counterName(), e.getValue(), e.getKey().action().name().toLowerCase());
    }

    static int traffic(List<String> a) throws Exception {
        ConfigFile cfg = ConfigFile.load(Path.of(required(a, "--config")));
        int count = Integer.parseInt(Main.option(a, "--count", "10000"));
        long seed = Long.parseLong(Main.option(a, "--seed", "1"));
        String mix = Main.option(a, "--mix", null);
        Instant start = Instant.parse(Main.option(a, "--start", "2026-11-24T12:00:00Z"));
        List<Pcap.Record> frames = new TrafficGenerator(cfg, seed).generate(count,
                mix == null ? TrafficGenerator.DEFAULT_MIX : TrafficGenerator.parseMix(mix), start);
        String spacing = Main.option(a, "--nts-spacing", null);
        if (spacing != null) frames = TrafficGenerator.spaceNts(frames, Long.parseLong(spacing), cfg.frequencyHz());
        Pcap.write(Path.of(required(a, "--out")), frames);
        System.out.println(frames.size() + " frames written to " + required(a, "--out"));
        return 0;
    }

    private static String required(List<String> a, String name) {
        String v = Main.option(a, name, null);
        if (v == null) throw new IllegalArgumentException(name + " is required");
        return v;
    }
}
