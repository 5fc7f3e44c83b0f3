package org.ntsfab.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.ntsfab.gen.LibraryTops;
import org.ntsfab.hdl.Design;
import org.ntsfab.hdl.ElaborationException;
import org.ntsfab.flow.Gates;

/** The ntsfab command line (the {@code ./ntsfab} launcher runs this). */
public final class Main {
    private Main() {}

    public static void main(String[] args) throws Exception {
        String verb = args.length == 0 ? "help" : args[0];
        List<String> rest = Arrays.asList(args).subList(Math.min(1, args.length), args.length);
        try {
            int rc = switch (verb) {
                case "gen" -> rest.contains("--config") ? SimCli.genConfig(rest) : gen(rest);
                case "sim" -> SimCli.sim(rest);
                case "demo" -> SimCli.demo(rest);
                case "lint" -> gen(withCheck(rest));
                case "bench" -> Bench.run(rest);
                case "model" -> ModelCli.model(rest);
                case "traffic" -> ModelCli.traffic(rest);
                case "serve" -> ServeCli.serve(rest);
                case "build" -> build(rest);
                case "load" -> ServeCli.load(rest);
                case "help", "-h", "--help" -> {
                    usage();
                    yield 0;
                }
                default -> {
                    System.err.println("ntsfab: unknown verb '" + verb + "'");
                    usage();
                    yield 2;
                }
            };
            System.exit(rc);
        } catch (ElaborationException e) {
            System.err.println(e.getMessage());
            System.exit(1);
        } catch (IllegalArgumentException e) {
            System.err.println("ntsfab: " + e.getMessage());
            System.exit(2);
        }
    }

    private static List<String> withCheck(List<String> a) {
        List<String> l = new ArrayList<>(a);
        if (!l.contains("--check")) l.add("--check");
        return l;
    }

    /** {@code gen [--out DIR] [--check] [--top NAME]}: emit the Verilog; with --check also lint and synthesize each top. */
    static int gen(List<String> a) throws Exception {
        Path out = Path.of(option(a, "--out", "build/rtl"));
        boolean check = a.contains("--check");
        String only = option(a, "--top", null);
        int files = 0, failures = 0;
        for (String name : LibraryTops.all().keySet()) {
            if (only != null && !only.equals(name)) continue;
            Design d = LibraryTops.elaborate(name);
            files += d.write(out.resolve(name)).size();
            String status = "";
            if (check) {
                Path work = Files.createTempDirectory("ntsfab-gate");
                String lint = Gates.lint(d, work);
                String synth;
                try {
                    for (Gates.Target t : Gates.Target.EVERY_TOP) Gates.synthesize(d, work, t);
                    synth = "yosys clean (generic, ice40, xilinx)";
                } catch (RuntimeException e) {
                    synth = "YOSYS FAILED: " + e.getMessage();
                    failures++;
                }
                if (!lint.isEmpty()) failures++;
                status = "  lint " + (lint.isEmpty() ? "0 warnings" : "FAILED:\n" + lint) + "; " + synth;
            }
            System.out.printf("%-24s %2d module(s) -> %s%s%n", name, d.modules().size(), out.resolve(name), status);
        }
        // the register map in the three forms software needs, from the same description as the RTL
        var map = org.ntsfab.responder.regs.ResponderRegisters.map();
        Path regs = java.nio.file.Files.createDirectories(out.resolve("registers"));
        java.nio.file.Files.writeString(regs.resolve("ntsfab_regs.md"), map.markdown());
        java.nio.file.Files.writeString(regs.resolve("ntsfab_regs.h"), map.cHeader());
        java.nio.file.Files.writeString(regs.resolve("NtsfabRegisters.java"), map.javaConstants("org.ntsfab.regs", "NtsfabRegisters"));
        System.out.println("register map (Markdown, C header, Java constants) -> " + regs);
        System.out.println(files + " Verilog files written under " + out + (check ? (failures == 0 ? "; all gates passed" : "; " + failures + " gate failure(s)") : ""));
        return failures == 0 ? 0 : 1;
    }

    /** {@code build --board NAME [--out DIR]}, or {@code build --list}. */
    static int build(List<String> a) throws Exception {
        if (a.contains("--list") || option(a, "--board", null) == null) {
            for (org.ntsfab.flow.BoardFlow.Board b : org.ntsfab.flow.BoardFlow.boards())
                System.out.printf("%-12s %s%n%-12s config %s; %s%n", b.name(), b.description(), "", b.config(), b.status());
            return a.contains("--list") ? 0 : 1;
        }
        org.ntsfab.flow.BoardFlow.Board b = org.ntsfab.flow.BoardFlow.board(option(a, "--board", null));
        if (b.pins().isEmpty()) {
            System.out.println(b.name() + ": " + b.description() + "\n" + b.status());
            return 2;
        }
        Path out = Path.of(option(a, "--out", "build/boards/" + b.name()));
        org.ntsfab.flow.BoardFlow.Result r = org.ntsfab.flow.BoardFlow.build(b, out);
        if (!r.notRun().isEmpty()) System.out.println("(not run here, printed: see below)");
        for (String c : r.commands()) System.out.println("$ " + c);
        System.out.println(org.ntsfab.flow.BoardFlow.describe(r));
        return r.ok() ? 0 : 1;
    }

    static String option(List<String> a, String name, String dflt) {
        int i = a.indexOf(name);
        if (i < 0) return dflt;
        if (i + 1 >= a.size()) throw new IllegalArgumentException(name + " needs a value");
        return a.get(i + 1);
    }

    private static void usage() {
        System.out.println("""
                usage: ./ntsfab <verb> [options]
                  demo  [--config C] [--count N] [--seed S] [--out DIR]
                                                             generate ntsfab_top, build the simulator, run a mixed corpus
                                                             through it cross-checked against the model, summarize
                  gen   --config C --out DIR [--check]       the responder core (ntsfab_top and submodules) for a configuration
                  sim   --config C --in REQ.pcap --out RESP.pcap [--host HOST.pcap] [--check] [--line-rate] [--vcd DIR]
                        [--seed S] [--rx-offer P] [--tx-ready P] [--host-ready P] [--rx-error P] [--rotate-key-at FRAME]
                                                             run a capture through the simulated RTL; --check compares every
                                                             frame and counter with the reference model (exit 1 on a difference)
                  gen   [--out DIR] [--top NAME] [--check]   emit the Verilog of every library top (one module per file);
                                                             --check also runs verilator -Wall and Yosys on each
                  lint  [--out DIR]                          gen --check
                  bench [--quick] | --boards | --nts-only [--engines N,..] | --nts-area
                                                             synthesis (iCE40/Xilinx LUT/FF/BRAM, iCE40 Fmax), boards (per
                                                             configuration: LUT/FF/BRAM, Fmax where routed) and simulation
                                                             (beats/cycle, latency, Verilator speed) tables; --boards: only
                                                             the boards table
                  model --config C --in REQ.pcap --out RESP.pcap [--host HOST.pcap]
                                                             answer a capture with the reference model; prints counters
                  traffic --config C --out REQ.pcap [--count N] [--seed S] [--mix kind=w,...] [--start ISO-TIME] [--nts-spacing CYCLES]
                                                             write a mixed request corpus (kinds: ntp, nts, arp, ... malformed)
                  build --board NAME [--out DIR] | --list   a board's top-level, pins, constraints and the flow available here
                                                             (ice40-hx8k: Yosys, nextpnr-ice40, icepack, utilization and Fmax;
                                                             ecp5-versa: Yosys synth_ecp5, prints nextpnr-ecp5/ecppack;
                                                             vcu118: writes core, XDC and Vivado scripts, prints the run)
                  serve --backend model|sim --config C --ntp ADDR:PORT --ke ADDR:PORT --cert F --key F [--keys FILE]
                        [--rotate SECONDS] [--retain SECONDS]  the software appliance: NTP/NTS answered by the model (model)
                        [--pcap F] [--no-check] [--cycle-ns N] or by the simulated RTL, checked against the model (sim);
                                                             NTS-KE beside it; counters on exit and on SIGUSR1
                  load --ke HOST:PORT [--ntp HOST:PORT] [--seconds S] [--threads T]
                                                             measure NTS-KE handshakes/s and NTS NTP requests/s of a server
                  test                                       every test of every module (mvn verify)
                """);
    }
}
