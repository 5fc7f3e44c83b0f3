package org.ntsfab.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.ntsfab.model.ConfigFile;
import org.ntsfab.model.ModelRun;
import org.ntsfab.model.Outcome;
import org.ntsfab.model.pcap.Pcap;

/** {@code ntsfab model}: a capture answered by the reference model (no simulator). */
final class ModelVerb implements Verb {
    static final Option<Path> CONFIG = Option.required("--config", ValueType.PATH, "the responder configuration (TOML)");
    static final Option<Path> IN = Option.required("--in", ValueType.PATH, "the requests (pcap or pcapng; Ethernet or Linux cooked)").as("REQ.pcap");
    static final Option<Path> OUT = Option.required("--out", ValueType.PATH, "where the answers go (nanosecond pcap)").as("RESP.pcap");
    static final Option<Path> HOST = Option.value("--host", ValueType.PATH, null, "where the frames passed to the host go (pcap)").as("HOST.pcap");

    @Override
    public Spec spec() {
        return new Spec("model", "answer a capture with the reference model; prints counters", """
                Answers every frame of a capture with the pure-Java reference model (what the RTL must do, bit for bit),
                writes the answers (and the frames passed to the host), and prints the model's speed and its counters.""",
                List.of(CONFIG, IN, OUT, HOST), null);
    }

    @Override
    public int run(Args a, Io io) throws Exception {
        Inputs.outputFile(OUT.name(), a.get(OUT));
        Inputs.outputFile(HOST.name(), a.get(HOST));
        ConfigFile cfg = Inputs.config(a.get(CONFIG));
        List<Pcap.Record> in = Inputs.capture(a.get(IN), cfg, io.err(), "ntsfab model: ");
        long t0 = System.nanoTime();
        ModelRun.Output out = ModelRun.run(cfg, in, cfg.busBytes());
        double secs = (System.nanoTime() - t0) / 1e9;
        Pcap.write(a.get(OUT), out.answers());
        Path host = a.get(HOST);
        if (host != null) Pcap.write(host, out.host());
        io.out().printf("%d frames in, %d answers, %d to host, %.0f frames/s (model, one thread)%n",
                out.frames(), out.answers().size(), out.host().size(), out.frames() / secs);
        printCounters(out.counters(), io.out());
        return Exit.OK;
    }

    static void printCounters(Map<Outcome, Long> counters, PrintStream out) {
        for (Map.Entry<Outcome, Long> e : counters.entrySet())
            if (e.getValue() > 0) out.printf("  %-24s %10d  (%s)%n", e.getKey().counterName(), e.getValue(), e.getKey().action().name().toLowerCase());
    }
}
