package org.ntsfab.sim;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.ntsfab.model.ConfigFile;
import org.ntsfab.model.ModelRun;
import org.ntsfab.model.pcap.Pcap;

/**
 * How much slower the cross-checked simulation of {@code ntsfab_top} is than the reference model alone, on one corpus:
 * what {@code ntsfab model} and {@code ntsfab sim --check} spend on it, measured in this JVM (without the JVM's start
 * and the pcap files). The model is timed first, so it is not helped by a JIT warmed by the simulation.
 */
public final class SimSpeed {
    private SimSpeed() {}

    /**
     * One measurement. {@code modelSeconds}: {@link ModelRun#run} over the corpus; {@code simSeconds}: {@link TopSim#run}
     * with the default options and the check (design elaboration, the cached Verilator build, the simulation, the model
     * beside it and the comparison); {@code cycles}: clock cycles simulated.
     */
    public record Result(int frames, long cycles, double modelSeconds, double simSeconds, int mismatches) {
        /** Simulation time over model time (the aim: at most 3). */
        public double ratio() {
            return simSeconds / modelSeconds;
        }

        /** Simulated cycles per second of simulation wall time, everything included. */
        public double cyclesPerSecond() {
            return cycles / simSeconds;
        }

        public String summary() {
            return String.format(Locale.ROOT, "%d frames: model %.2f s, sim --check %.2f s (%.1fx), %d cycles = %.2f M cycles/s, %d mismatch(es)",
                    frames, modelSeconds, simSeconds, ratio(), cycles, cyclesPerSecond() / 1e6, mismatches);
        }
    }

    public static Result measure(ConfigFile cfg, List<Pcap.Record> corpus, long seed) {
        long t0 = System.nanoTime();
        ModelRun.run(cfg, corpus, cfg.busBytes());
        double model = (System.nanoTime() - t0) / 1e9;
        long t1 = System.nanoTime();
        TopSim.Report r = TopSim.run(cfg, corpus, TopSim.Options.defaults(seed), List.of());
        double sim = (System.nanoTime() - t1) / 1e9;
        return new Result(corpus.size(), r.cycles(), model, sim, r.mismatches().size());
    }

    /**
     * The same for a configuration file and a capture (e.g. {@code ntsfab traffic --count 50000 --seed 7}); the frames
     * of a Linux cooked capture addressed as {@code model} and {@code sim} address them ({@link Pcap#address}).
     */
    public static Result measure(Path config, Path corpus, long seed) throws java.io.IOException {
        ConfigFile cfg = ConfigFile.load(config);
        return measure(cfg, Pcap.address(Pcap.read(corpus), cfg.mac()).records(), seed);
    }

    /** {@code SimSpeed CONFIG CORPUS.pcap [SEED]}: prints one {@link Result#summary()}. */
    public static void main(String[] args) throws Exception {
        Result r = measure(Path.of(args[0]), Path.of(args[1]), args.length > 2 ? Long.parseLong(args[2]) : 1);
        System.out.println(r.summary());
    }
}
