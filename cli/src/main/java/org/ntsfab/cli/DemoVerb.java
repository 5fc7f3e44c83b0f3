package org.ntsfab.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.ntsfab.hdl.Design;
import org.ntsfab.model.ConfigFile;
import org.ntsfab.model.pcap.Pcap;
import org.ntsfab.model.traffic.TrafficGenerator;
import org.ntsfab.responder.top.ResponderDesigns;
import org.ntsfab.sim.TopSim;

/** {@code ntsfab demo}: generate ntsfab_top, simulate a mixed corpus through it checked against the model, summarize. */
final class DemoVerb implements Verb {
    static final Option<Path> CONFIG = Option.repositoryFile("--config", "configs/example.toml", "the responder configuration");
    static final Option<Integer> COUNT = Option.value("--count", ValueType.integer(0, org.ntsfab.model.traffic.TrafficGenerator.MAX_FRAMES), "20000", "frames in the corpus");
    static final Option<Long> SEED = Option.value("--seed", ValueType.longInteger(Long.MIN_VALUE), "1", "seed of the corpus and the stalls").as("S");
    static final Option<Path> OUT = Option.value("--out", ValueType.PATH, "build/demo", "where the Verilog, corpus and answers go").as("DIR");

    @Override
    public Spec spec() {
        return new Spec("demo", "generate ntsfab_top, build the simulator, run a mixed corpus through it checked against the model", """
                The whole loop in one command: 1. writes ntsfab_top's Verilog for the configuration (DIR/rtl), 2. a mixed
                request corpus (DIR/requests.pcap), 3. builds the Verilator simulator and runs the corpus through it, every
                frame cross-checked against the reference model; writes DIR/answers.pcap and DIR/host.pcap and summarizes.""",
                List.of(CONFIG, COUNT, SEED, OUT), "the RTL differs from the model");
    }

    @Override
    public int run(Args a, Io io) throws Exception {
        Inputs.outputDir(OUT.name(), a.get(OUT));
        ConfigFile cfg = Inputs.config(a.get(CONFIG));
        int count = a.get(COUNT);
        long seed = a.get(SEED);
        Path out = a.get(OUT);
        Design d = ResponderDesigns.design(cfg);
        int modules = GenCore.write(d, cfg, out.resolve("rtl"));
        io.out().printf("1. generated ntsfab_top: %d Verilog modules in %s%n", modules, out.resolve("rtl"));
        List<Pcap.Record> in = new TrafficGenerator(cfg, seed).generate(count, TrafficGenerator.DEFAULT_MIX, Instant.parse("2026-11-24T12:00:00Z"));
        Files.createDirectories(out);
        Pcap.write(out.resolve("requests.pcap"), in);
        io.out().printf("2. traffic: %d mixed frames (seed %d) -> %s%n", in.size(), seed, out.resolve("requests.pcap"));
        io.out().println("3. Verilator build and simulation, every frame cross-checked against the reference model ...");
        TopSim.Report r = TopSim.run(cfg, d, in, TopSim.Options.defaults(seed), List.of());
        SimVerb.write(cfg, in, r, out.resolve("answers.pcap"), out.resolve("host.pcap"));
        SimVerb.summary(cfg, r, true, io.out());
        String why = SimVerb.ntsOverloadNote(cfg, r, in, false);
        if (why != null) io.out().println(why);
        io.out().printf("answers: %s   host port: %s   Verilog: %s%n", out.resolve("answers.pcap"), out.resolve("host.pcap"), out.resolve("rtl"));
        return r.ok() ? Exit.OK : Exit.FAILED;
    }
}
