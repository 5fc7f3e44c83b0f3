package org.ntsfab.cli;

import org.ntsfab.responder.top.ResponderDesigns;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.ntsfab.hdl.Design;
import org.ntsfab.model.ConfigFile;
import org.ntsfab.model.Outcome;
import org.ntsfab.model.pcap.Pcap;
import org.ntsfab.model.traffic.TrafficGenerator;
import org.ntsfab.responder.regs.ResponderRegisters;
import org.ntsfab.flow.CoreFiles;
import org.ntsfab.flow.Gates;
import org.ntsfab.sim.TopSim;

/** {@code ntsfab gen --config}, {@code ntsfab sim} and {@code ntsfab demo}: the generated core, simulated and checked. */
final class SimCli {
    private SimCli() {}

    /** {@code gen --config C --out DIR [--check]}: the responder core for a configuration, one module per file, and its register map. */
    static int genConfig(List<String> a) throws Exception {
        ConfigFile cfg = ConfigFile.load(Path.of(Main.option(a, "--config", null)));
        Path out = Path.of(Main.option(a, "--out", "build/rtl"));
        Design d = ResponderDesigns.design(cfg);
        int n = writeDesign(d, cfg, out);
        String status = "";
        int rc = 0;
        if (a.contains("--check")) {
            Path work = Files.createTempDirectory("ntsfab-gate");
            String lint = Gates.lint(d, work);
            for (Gates.Target t : Gates.Target.EVERY_TOP) Gates.synthesize(d, work, t);
            status = lint.isEmpty() ? "; verilator -Wall: 0 warnings; yosys clean (generic, ice40, xilinx)" : "; LINT FAILED:\n" + lint;
            rc = lint.isEmpty() ? 0 : 1;
        }
        System.out.printf("ntsfab_top: %d modules -> %s (register map in %s)%s%n", n, out, out.resolve("registers"), status);
        return rc;
    }

    static int writeDesign(Design d, ConfigFile cfg, Path out) throws Exception {
        List<Path> files = d.write(out);
        var map = ResponderRegisters.map(ResponderDesigns.defaults(cfg));
        Path regs = Files.createDirectories(out.resolve("registers"));
        Files.writeString(regs.resolve("ntsfab_regs.md"), map.markdown());
        Files.writeString(regs.resolve("ntsfab_regs.h"), map.cHeader());
        Files.writeString(regs.resolve("NtsfabRegisters.java"), map.javaConstants("org.ntsfab.regs", "NtsfabRegisters"));
        // timing constraints from the design's clock ports and declared crossings, and a FuseSoC core over all of it
        Path cons = Files.createDirectories(out.resolve("constraints"));
        for (Map.Entry<String, String> c : CoreFiles.constraints(d, cfg).entrySet()) Files.writeString(cons.resolve(c.getKey()), c.getValue());
        Files.writeString(out.resolve("ntsfab.core"), CoreFiles.fusesoc(d, cfg, files.stream().map(p -> out.relativize(p).toString()).toList()));
        return files.size();
    }

    static TopSim.Options options(List<String> a, boolean check) {
        return new TopSim.Options(a.contains("--line-rate"), Double.parseDouble(Main.option(a, "--rx-offer", "1.0")),
                Double.parseDouble(Main.option(a, "--tx-ready", "1.0")), Double.parseDouble(Main.option(a, "--host-ready", "1.0")),
                Double.parseDouble(Main.option(a, "--rx-error", "0")), Long.parseLong(Main.option(a, "--seed", "1")), Main.option(a, "--vcd", null) == null ? null : Path.of(Main.option(a, "--vcd", null)),
                check, Integer.parseInt(Main.option(a, "--rotate-key-at", "-1")));
    }

    /** {@code sim --config C --in REQ.pcap --out RESP.pcap [--host HOST.pcap] [--check] [--line-rate] [--vcd DIR] [...]}. */
    static int sim(List<String> a) throws Exception {
        ConfigFile cfg = ConfigFile.load(Path.of(required(a, "--config")));
        List<Pcap.Record> in = Pcap.read(Path.of(required(a, "--in")));
        boolean check = a.contains("--check");
        TopSim.Report r = TopSim.run(cfg, in, options(a, check), List.of());
        write(cfg, in, r, Path.of(required(a, "--out")), Main.option(a, "--host", null));
        summary(cfg, r, check);
        return check && !r.ok() ? 1 : 0;
    }

    /** {@code demo [--config C] [--count N] [--seed S] [--out DIR]}: generate, simulate a mixed corpus with --check, summarize. */
    static int demo(List<String> a) throws Exception {
        ConfigFile cfg = ConfigFile.load(Path.of(Main.option(a, "--config", "configs/example.toml")));
        int count = Integer.parseInt(Main.option(a, "--count", "20000"));
        long seed = Long.parseLong(Main.option(a, "--seed", "1"));
        Path out = Path.of(Main.option(a, "--out", "build/demo"));
        Design d = ResponderDesigns.design(cfg);
        int modules = writeDesign(d, cfg, out.resolve("rtl"));
        System.out.printf("1. generated ntsfab_top: %d Verilog modules in %s%n", modules, out.resolve("rtl"));
        List<Pcap.Record> in = new TrafficGenerator(cfg, seed).generate(count, TrafficGenerator.DEFAULT_MIX, Instant.parse("2026-11-24T12:00:00Z"));
        Files.createDirectories(out);
        Pcap.write(out.resolve("requests.pcap"), in);
        System.out.printf("2. traffic: %d mixed frames (seed %d) -> %s%n", in.size(), seed, out.resolve("requests.pcap"));
        System.out.println("3. Verilator build and simulation, every frame cross-checked against the reference model ...");
        TopSim.Report r = TopSim.run(cfg, d, in, TopSim.Options.defaults(seed), List.of());
        write(cfg, in, r, out.resolve("answers.pcap"), out.resolve("host.pcap").toString());
        summary(cfg, r, true);
        System.out.printf("answers: %s   host port: %s   Verilog: %s%n", out.resolve("answers.pcap"), out.resolve("host.pcap"), out.resolve("rtl"));
        return r.ok() ? 0 : 1;
    }

    private static void write(ConfigFile cfg, List<Pcap.Record> in, TopSim.Report r, Path out, String host) throws Exception {
        Instant t0 = in.isEmpty() ? Instant.EPOCH : in.get(0).time();
        double hz = cfg.frequencyHz();
        List<Pcap.Record> tx = new ArrayList<>();
        for (TopSim.OutFrame f : r.tx()) tx.add(new Pcap.Record(t0.plusNanos(Math.round(f.cycle() * 1e9 / hz)), f.frame()));
        Pcap.write(out, tx);
        if (host != null) {
            List<Pcap.Record> h = new ArrayList<>();
            for (TopSim.OutFrame f : r.hostRx()) h.add(new Pcap.Record(t0.plusNanos(Math.round(f.cycle() * 1e9 / hz)), f.frame()));
            Pcap.write(Path.of(host), h);
        }
    }

    static void summary(ConfigFile cfg, TopSim.Report r, boolean checked) {
        Map<String, Long> c = r.rtlCounters();
        StringBuilder answers = new StringBuilder(), host = new StringBuilder(), drops = new StringBuilder();
        long na = 0, nh = 0, nd = 0;
        for (Outcome o : Outcome.values()) {
            long v = c.get(ResponderRegisters.counterName(o.name()));
            if (v == 0) continue;
            String item = String.format(Locale.ROOT, " %s %d,", o.counterName(), v);
            switch (o.action()) {
                case ANSWER -> { answers.append(item); na += v; }
                case HOST -> { host.append(item); nh += v; }
                default -> { drops.append(item); nd += v; }
            }
        }
        double simSeconds = r.cycles() / (double) cfg.frequencyHz();
        System.out.printf(Locale.ROOT, "frames in   %8d   (%d cycles = %.3f ms at %.2f MHz)%n", r.frames(), r.cycles(), simSeconds * 1e3, cfg.frequencyHz() / 1e6);
        System.out.printf(Locale.ROOT, "answered    %8d  %s%n", na, trim(answers));
        System.out.printf(Locale.ROOT, "to host     %8d  %s%n", nh, trim(host));
        System.out.printf(Locale.ROOT, "dropped     %8d  %s%n", nd, trim(drops));
        System.out.printf(Locale.ROOT, "transmitted %8d frames; fabric events: answer_overload %d, store_overflow %d, host_tx_oversize %d%n",
                c.get("count_tx_frames"), c.get("count_answer_overload"), c.get("count_store_overflow"), c.get("count_host_tx_oversize"));
        if (checked) {
            System.out.printf("check: %d mismatch(es) against the reference model (every transmitted frame, host frame and counter)%n", r.mismatches().size());
            for (String m : r.mismatches().subList(0, Math.min(20, r.mismatches().size()))) System.out.println("  MISMATCH " + m);
        } else {
            System.out.println("check: not requested (--check compares every frame and counter with the reference model)");
        }
        System.out.printf(Locale.ROOT, "simulation: %.1f s wall, %.0f frames/s, %.2f M cycles/s (Verilator, incl. build and model)%n", r.wallSeconds(),
                r.frames() / r.wallSeconds(), r.cycles() / r.wallSeconds() / 1e6);
    }

    private static String trim(StringBuilder sb) {
        return sb.length() == 0 ? "" : "(" + sb.substring(1, sb.length() - 1) + ")";
    }

    private static String required(List<String> a, String name) {
        String v = Main.option(a, name, null);
        if (v == null) throw new IllegalArgumentException(name + " is required");
        return v;
    }
}
