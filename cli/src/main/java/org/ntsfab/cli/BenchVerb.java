package org.ntsfab.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.ntsfab.flow.BoardFlow;
import org.ntsfab.flow.Gates;
import org.ntsfab.flow.Tools;
import org.ntsfab.gen.LibraryTops;
import org.ntsfab.harness.SimOptions;
import org.ntsfab.harness.Testbench;
import org.ntsfab.hdl.Design;
import org.ntsfab.model.ConfigFile;
import org.ntsfab.model.ResponderConfig;
import org.ntsfab.responder.top.ResponderDesigns;

/**
 * {@code ntsfab bench}: measured numbers, printed as tables. Synthesis: Yosys cell counts for
 * iCE40 and Xilinx 7-series, and for designs that fit an iCE40 HX8K's pins, nextpnr's Fmax.
 * Simulation: sustained beats per cycle with both sides always willing, first-in to first-out
 * latency in cycles, and Verilator's speed in simulated cycles per second of wall time.
 *
 * <p>The run is a plan of steps ({@link Step}) made first and then run: each measured step prints its phase, its place
 * in the plan and its time on stderr ({@code bench: [3/21] synthesis eth_fcs_64 (iCE40, Xilinx)... 41 s}), its table
 * rows on stdout, and every row is in the JSON copy as soon as it is measured ({@link JsonRows}).
 */
final class BenchVerb implements Verb {

    /** The library tops {@code --quick} synthesizes (without place and route): small ones, one of each kind. */
    static final List<String> QUICK_TOPS = List.of("axis_skid_buffer_64", "axis_fifo_64_d512", "eth_fcs_64", "ntp_clock");
    /** The small tops the simulation table times; {@code --quick} times the first three. */
    static final List<String> SIM_TOPS = List.of("axis_skid_buffer_64", "axis_fifo_64_d512", "eth_fcs_64", "axis_forward_stage_64",
            "axis_backward_stage_64", "axis_fifo_64_d16", "axis_realign_64", "ones_complement_sum_64");
    static final int QUICK_SIM_TOPS = 3;

    /** One thing the run does: printing only ({@code label} null, no progress line) or a measured phase. */
    record Step(String label, Work work) {}

    /** A step's work: its table text goes to {@code o} (stdout once the step is done), its rows to {@link #row}. */
    @FunctionalInterface
    interface Work {
        void run(PrintWriter o) throws Exception;
    }

    private final List<Step> plan = new ArrayList<>();
    /** The JSON copy, or null. */
    private JsonRows json;
    /** The repository: the configurations the tables run. */
    private Path home = Path.of("");
    /** {@code --quick}: the headings say what it leaves out. */
    private boolean quick;
    /** {@code --nts-only}: the core counts are the user's. */
    private boolean partialNts;

    private void text(String s) {
        plan.add(new Step(null, o -> o.print(s)));
    }

    private void step(String label, Work w) {
        plan.add(new Step(label, w));
    }

    private void row(String table, Object... kv) throws IOException {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("table", table);
        for (int i = 0; i < kv.length; i += 2) m.put((String) kv[i], kv[i + 1]);
        if (json != null) json.add(m);
    }

    private Path config(String name) {
        return home.resolve(name);
    }

    /**
     * Runs the steps in order: a measured step's progress ({@code bench: [i/n] label... 12 s}) on {@code err}, its text on
     * {@code out} when it is done; at the end {@code bench: done in 3 min 12 s}.
     */
    static void execute(List<Step> steps, PrintStream out, PrintStream err) throws Exception {
        int n = (int) steps.stream().filter(s -> s.label() != null).count();
        long start = System.nanoTime();
        int i = 0;
        for (Step s : steps) {
            StringWriter sw = new StringWriter();
            PrintWriter o = new PrintWriter(sw);
            if (s.label() != null) {
                i++;
                err.printf("bench: [%d/%d] %s... ", i, n, s.label());
                err.flush();
                long t0 = System.nanoTime();
                try {
                    s.work().run(o);
                } catch (Exception | AssertionError e) {
                    err.println("failed after " + duration(System.nanoTime() - t0));
                    throw e;
                }
                err.println(duration(System.nanoTime() - t0));
            } else {
                s.work().run(o);
            }
            o.flush();
            out.print(sw);
            out.flush();
        }
        err.println("bench: done in " + duration(System.nanoTime() - start));
    }

    /** {@code 41 s}, {@code 3 min 12 s}. */
    static String duration(long nanos) {
        long s = Math.round(nanos / 1e9);
        return s < 60 ? s + " s" : s / 60 + " min " + s % 60 + " s";
    }

    /**
     * The JSON copy of the rows measured so far: the whole file rewritten after each row (a temporary file beside it, then
     * moved over it), so an interrupted run leaves valid JSON with every row finished, {@code "complete": false}.
     */
    static final class JsonRows {
        private final Path file;
        private final Map<String, Object> doc = new LinkedHashMap<>();
        private final List<Map<String, Object>> rows = new ArrayList<>();

        JsonRows(Path file, Map<String, Object> header) throws IOException {
            this.file = file;
            doc.putAll(header);
            doc.put("complete", false);
            doc.put("rows", rows);
            if (file.toAbsolutePath().getParent() != null) Files.createDirectories(file.toAbsolutePath().getParent());
            write();
        }

        void add(Map<String, Object> row) throws IOException {
            rows.add(row);
            write();
        }

        /** The run finished: {@code "complete": true}. */
        void complete() throws IOException {
            doc.put("complete", true);
            write();
        }

        private void write() throws IOException {
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            new com.fasterxml.jackson.databind.ObjectMapper().writerWithDefaultPrettyPrinter().writeValue(tmp.toFile(), doc);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        }
    }

    static final Option<Boolean> QUICK = Option.flag("--quick", "a few minutes: a subset of every table, shorter runs, no place and route "
            + "(each table's heading says what it leaves out)");
    static final Option<Boolean> BOARDS = Option.flag("--boards", "only the boards table");
    static final Option<Boolean> NTS_ONLY = Option.flag("--nts-only", "only the NTS throughput tables, for --cores");
    static final Option<List<Integer>> CORES = Option.value("--cores", ValueType.integers(1), "1", "--nts-only: NTS core counts (1..4)");
    static final Option<Boolean> NTS_AREA = Option.flag("--nts-area", "only the NTS area table (Yosys synth_xilinx of the whole 10GbE NTS top)");
    static final Option<Boolean> NTS_CORE = Option.flag("--nts-core", "only the NTS core tables (its crypto on the lanes, its requests to answers)");
    static final Option<Boolean> NTS_CORPUS = Option.flag("--nts-corpus", "only the long NTS-rich corpus through sim --check (configs/10g-nts.toml, --frames)");
    static final Option<Integer> FRAMES = Option.value("--frames", ValueType.integer(1000, 2_000_000), "100000", "--nts-corpus: frames in the corpus");
    static final Option<Boolean> SIM_SPEED = Option.flag("--sim-speed", "only the simulation speed table (sim --check against model alone)");
    static final Option<Path> JSON = Option.value("--json", ValueType.PATH, "build/bench.json",
            "the JSON copy of every row, written as rows finish (the full and --quick runs; the others only when given)");

    @Override
    public Spec spec() {
        return new Spec("bench", "synthesis, boards and simulation tables (measured here; --quick: a few minutes)", """
                Measures and prints Markdown tables: synthesis of every library top (iCE40 and Xilinx LUT/FF/BRAM, iCE40 Fmax
                from nextpnr on an HX8K), the boards (per configuration: LUT/FF/BRAM, Fmax where routed), and simulation
                (beats/cycle, latency, Verilator speed; ntsfab_top NTP at line rate; NTS with 1 and 2 cores; the
                cross-checked simulation's time against the model's alone on one mixed corpus);
                writes the rows as JSON as they finish. The full run takes more than 40 minutes on a 2-core machine.
                --quick prints every table with fewer rows, in about 5 minutes with a cold Verilator cache: 4 small library
                tops synthesized without place and route (no Fmax), the iCE40 board only (its full flow), 3 of the 8
                simulated blocks with 20 000 beats, ntsfab_top NTP (example.toml only, 2 000 requests), NTS with 1 core
                (600 requests), the simulation speed on 10 000 frames; not the byte-wide ntsfab_top_8 tables.
                --boards, --nts-only, --nts-area and --sim-speed each print only their table; --nts-corpus runs the long
                NTS-rich corpus (100 000 frames, a key rotation half way) through sim --check three ways, about an hour.
                Progress (phase, step i/n, its time; the total at the end) goes to stderr, the tables to stdout.""",
                List.of(QUICK, BOARDS, NTS_ONLY, CORES, NTS_AREA, NTS_CORE, NTS_CORPUS, FRAMES, SIM_SPEED, JSON), null);
    }

    @Override
    public int run(Args a, Io io) throws Exception {
        boolean partial = buildPlan(a, io);
        Path jsonFile = null;
        if (!partial || a.given(JSON)) {
            jsonFile = a.get(JSON);
            Map<String, Object> header = new LinkedHashMap<>();
            header.put("date", java.time.Instant.now().toString());
            header.put("yosys", Tools.version("yosys"));
            header.put("verilator", Tools.version("verilator"));
            header.put("quick", quick);
            header.put("mode", a.on(BOARDS) ? "boards" : a.on(NTS_ONLY) ? "nts-only" : a.on(NTS_AREA) ? "nts-area" : a.on(NTS_CORE) ? "nts-core" : a.on(NTS_CORPUS) ? "nts-corpus" : a.on(SIM_SPEED) ? "sim-speed"
                    : quick ? "quick" : "full");
            json = new JsonRows(jsonFile, header);
        }
        execute(plan, io.out(), io.err());
        if (json != null) {
            json.complete();
            io.out().println();
            io.out().println("JSON copy: " + jsonFile);
        }
        return Exit.OK;
    }

    /**
     * Builds the run's steps (each table's heading and measurements, none run yet) into {@link #plan}; whether it is a
     * partial run (one table). {@code BenchPlanTest} builds every mode's plan, so a heading that cannot be formatted fails
     * in the suite rather than after a user's first minute.
     */
    boolean buildPlan(Args a, Io io) throws Exception {
        home = io.home();
        quick = a.on(QUICK);
        boolean partial = a.on(BOARDS) || a.on(NTS_ONLY) || a.on(NTS_AREA) || a.on(SIM_SPEED) || a.on(NTS_CORE) || a.on(NTS_CORPUS);
        Args.check((a.on(BOARDS) ? 1 : 0) + (a.on(NTS_ONLY) ? 1 : 0) + (a.on(NTS_AREA) ? 1 : 0) + (a.on(SIM_SPEED) ? 1 : 0) + (a.on(NTS_CORE) ? 1 : 0)
                + (a.on(NTS_CORPUS) ? 1 : 0) <= 1, "--boards, --nts-only, --nts-area, --nts-core, --nts-corpus and --sim-speed are exclusive");
        Args.check(!a.given(FRAMES) || a.on(NTS_CORPUS), "--frames applies to --nts-corpus");
        Args.check(!a.given(CORES) || a.on(NTS_ONLY), "--cores applies to --nts-only");
        if (a.given(CORES)) for (int c : a.get(CORES)) Args.check(c >= 1 && c <= 4, "--cores " + c + ": 1..4 NTS cores");
        Path work = Files.createTempDirectory("ntsfab-bench");
        if (a.on(SIM_SPEED)) {
            simSpeed(quick ? 10_000 : 50_000);
        } else if (a.on(NTS_CORPUS)) {
            ntsCorpus(quick ? 5_000 : a.get(FRAMES));
        } else if (a.on(NTS_CORE)) {
            ntsCore(quick);
            ntsCoreAnswers(quick);
            ntsCoreResidence(quick);
        } else if (a.on(BOARDS)) {
            boards(work, false);
        } else if (a.on(NTS_AREA)) {
            ntsArea(work);
        } else if (a.on(NTS_ONLY)) {
            partialNts = true;
            for (int c : a.get(CORES)) nts(quick ? 600 : 3000, "configs/example.toml", c);
        } else {
            full(work, quick);
        }
        return partial;
    }

    /** The steps built so far. */
    List<Step> plan() {
        return plan;
    }

    /** Every table (the full run), or each one's subset ({@code --quick}). */
    private void full(Path work, boolean quick) throws Exception {
        synthesis(work, quick);
        text("\n");
        boards(work, quick);
        text("\nThe whole 10GbE NTS top (configs/10g-nts.toml) is synthesized by `ntsfab bench --nts-area` (not in this run: it takes"
                + " longer than the rest together).\n\n");
        blocks(quick);
        ntpFastPath(quick ? 2000 : 20000, "configs/example.toml");
        if (!quick) ntpFastPath(5000, "configs/gige.toml");
        else text("\n(--quick leaves out the table of ntsfab_top_8, the 8-bit bus for 1GbE: configs/gige.toml, 5 000 requests.)\n");
        for (int c : quick ? new int[] {1} : new int[] {1, 2}) nts(quick ? 600 : 3000, "configs/example.toml", c);
        text("Line rate at 156.25 MHz on a 64-bit bus needs 1.000 beats/cycle.\n");
        ntsCore(quick);
        ntsCoreAnswers(quick);
        ntsCoreResidence(quick);
        simSpeed(quick ? 10_000 : 50_000);
    }

    /** The synthesis table: every library top but the board cores (those go through their board flows), or {@link #QUICK_TOPS}. */
    private void synthesis(Path work, boolean quick) {
        List<String> tops = new ArrayList<>();
        for (String name : LibraryTops.all().keySet())
            if (!name.startsWith("fpga_core_") && (!quick || QUICK_TOPS.contains(name))) tops.add(name);
        long all = LibraryTops.all().keySet().stream().filter(n -> !n.startsWith("fpga_core_")).count();
        plan.add(new Step(null, o -> {
            o.println("## Synthesis (Yosys " + Tools.version("yosys").replace("Yosys ", "") + ")"
                    + (quick ? " -- --quick: " + tops.size() + " of " + all + " library tops, no place and route (Fmax '-')" : ""));
            o.println();
            o.println("| top | iCE40 LUT4 | iCE40 FF | iCE40 BRAM | iCE40 carry | iCE40 levels | iCE40 Fmax (HX8K, nextpnr) | Xilinx LUT | Xilinx FF | Xilinx BRAM | Xilinx LUTRAM | Xilinx levels / budget |");
            o.println("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        }));
        List<String> deepest = new ArrayList<>();
        List<Routed> routed = new ArrayList<>();
        for (String name : tops) {
            step("synthesis " + name + " (iCE40, Xilinx" + (quick ? "" : ", nextpnr") + ")", o -> {
                Design d = LibraryTops.elaborate(name);
                Gates.Utilization ice = Gates.synthesize(d, work, Gates.Target.ICE40);
                Gates.Utilization xil = Gates.synthesize(d, work, Gates.Target.XILINX);
                String fmax = quick ? "-" : ice.luts() > 7680 || ice.brams() > 32
                        ? "n/a (does not fit an HX8K: " + ice.luts() + " / 7680 LUT4, " + ice.brams() + " / 32 BRAM)" : fmaxIce40(d, work);
                Matcher mhz = Pattern.compile("([0-9.]+) MHz").matcher(fmax);
                if (mhz.matches()) routed.add(new Routed(name, ice.levels().levels(), ice.carries(), ice.brams(), Double.parseDouble(mhz.group(1))));
                int budget = org.ntsfab.flow.LevelBudget.xilinx(name), levels = xil.levels().levels();
                o.printf("| %s | %d | %d | %d | %d | %d | %s | %d | %d | %d | %d | %d / %d%s |%n", name, ice.luts(), ice.ffs(), ice.brams(),
                        ice.carries(), ice.levels().levels(), fmax, xil.luts(), xil.ffs(), xil.brams(), xil.lutRams(), levels,
                        budget, levels > org.ntsfab.flow.LevelBudget.XILINX ? " (over 8)" : "");
                deepest.add(String.format("| %s | %d | %s | %s |", name, xil.levels().levels(),
                        Gates.source(d, xil.levels().deepest().from()), Gates.source(d, xil.levels().deepest().to())));
                row("synthesis", "top", name, "ice40_lut4", ice.luts(), "ice40_ff", ice.ffs(), "ice40_bram", ice.brams(), "ice40_carry",
                        ice.carries(), "ice40_levels", ice.levels().levels(), "ice40_fmax", fmax, "xilinx_lut", xil.luts(), "xilinx_ff",
                        xil.ffs(), "xilinx_bram", xil.brams(), "xilinx_lutram", xil.lutRams(), "xilinx_levels", levels,
                        "xilinx_level_budget", budget, "xilinx_deepest_from", xil.levels().deepest().from(), "xilinx_deepest_to",
                        xil.levels().deepest().to());
            });
        }
        plan.add(new Step(null, o -> {
            o.println();
            o.println("### Deepest register-to-register path per top (Xilinx, flat synth_xilinx; LUT one level, MUXF7/F8 free, a carry"
                    + " chain once where entered; budget " + org.ntsfab.flow.LevelBudget.XILINX + " at 156.25 MHz; the levels column above"
                    + ")");
            o.println();
            o.println("| top | levels | from (Java source) | to (Java source) |");
            o.println("|---|---:|---|---|");
            for (String l : deepest) o.println(l);
            o.println();
            if (!routed.isEmpty()) o.print(levelsAgainstFmax(routed));
        }));
    }

    /** One top placed and routed on the HX8K: its iCE40 LUT4 levels (the proxy) and nextpnr's Fmax. */
    record Routed(String top, int levels, int carries, int brams, double fmaxMhz) {
        double nsPerLevel() {
            return 1000.0 / fmaxMhz / Math.max(1, levels);
        }
    }

    /**
     * The table "iCE40: logic levels against routed Fmax": each routed top's LUT4 levels, Fmax and period per level, then
     * how well the levels predict the period (Pearson's r of levels against 1/Fmax, the spread of ns per level).
     */
    static String levelsAgainstFmax(List<Routed> rows) {
        StringBuilder b = new StringBuilder("### iCE40: logic levels against routed Fmax (synth_ice40 LUT4 levels, nextpnr-ice40 --hx8k, seed 1)\n\n"
                + "| top | LUT4 levels | Fmax (MHz) | period (ns) | ns per level | SB_CARRY | BRAM |\n|---|---:|---:|---:|---:|---:|---:|\n");
        List<Routed> sorted = new ArrayList<>(rows);
        sorted.sort(java.util.Comparator.comparingInt(Routed::levels).thenComparing(Routed::top));
        for (Routed r : sorted)
            b.append(String.format("| %s | %d | %.1f | %.2f | %.2f | %d | %d |%n", r.top(), r.levels(), r.fmaxMhz(), 1000.0 / r.fmaxMhz(),
                    r.nsPerLevel(), r.carries(), r.brams()));
        double[] x = sorted.stream().mapToDouble(Routed::levels).toArray(), y = sorted.stream().mapToDouble(r -> 1000.0 / r.fmaxMhz()).toArray();
        double[] per = sorted.stream().mapToDouble(Routed::nsPerLevel).sorted().toArray();
        b.append(String.format("%n%d tops: Pearson r (levels, period) = %s; ns per level %.2f-%.2f, median %.2f%n%n", sorted.size(),
                sorted.size() < 3 ? "-" : String.format("%.2f", pearson(x, y)), per[0], per[per.length - 1], per[per.length / 2]));
        return b.toString();
    }

    /** Pearson's correlation coefficient of two equally long series (NaN when either is constant). */
    static double pearson(double[] x, double[] y) {
        int n = x.length;
        double mx = java.util.Arrays.stream(x).average().orElse(0), my = java.util.Arrays.stream(y).average().orElse(0);
        double sxy = 0, sxx = 0, syy = 0;
        for (int i = 0; i < n; i++) {
            sxy += (x[i] - mx) * (y[i] - my);
            sxx += (x[i] - mx) * (x[i] - mx);
            syy += (y[i] - my) * (y[i] - my);
        }
        return sxy / Math.sqrt(sxx * syy);
    }

    /** The boards table: each board's configuration through the flow this machine has (`ntsfab build --board`); quick: iCE40 only. */
    void boards(Path work, boolean quick) {
        text("## Boards (`ntsfab build --board NAME`: the board's configuration, top-level and pins, through the flow available here)"
                + (quick ? " -- --quick: the iCE40 board only" : "") + "\n\n"
                + "| board | configuration | device | logic | block RAM | I/O | LUT4 levels | Fmax (routed) | required | state |\n"
                + "|---|---|---|---:|---:|---:|---:|---:|---:|---|\n");
        for (BoardFlow.Board b : BoardFlow.boards()) {
            if (quick && b.flow() != BoardFlow.Flow.ICE40) continue;
            if (b.pins().isEmpty()) {
                plan.add(new Step(null, o -> {
                    o.printf("| %s | %s | %s | - | - | - | - | - | - | %s |%n", b.name(), b.config(), b.device(), b.status());
                    row("boards", "board", b.name(), "config", b.config(), "state", b.status());
                }));
                continue;
            }
            step("board " + b.name() + " (" + b.flow().name().toLowerCase(java.util.Locale.ROOT) + " flow)", o -> {
                BoardFlow.Result r = BoardFlow.build(b, home, work.resolve("board-" + b.name()));
                if (b.flow() == BoardFlow.Flow.VIVADO) {
                    o.printf("| %s | %s | %s | - | - | %d | - | - | %.2f MHz | %s; would run: %s |%n", b.name(), b.config(), b.device(), r.ios(),
                            r.requiredMhz(), r.state(), String.join("; ", r.notRun()));
                    row("boards", "board", b.name(), "config", b.config(), "state", r.state());
                    return;
                }
                o.printf("| %s | %s | %s-%s | %d / %d%s | %d / %d | %d | %s | %s | %.2f MHz | %s |%n", b.name(), b.config(), b.device(), b.pkg(),
                        r.lcs(), r.lcCapacity(), r.ffs() > 0 ? " LUT4, " + r.ffs() + " FF" : "", r.rams(), r.ramCapacity(), r.ios(),
                        r.levels() == null ? "-" : r.levels().levels() + " (" + r.levels().deepest().from() + " -> " + r.levels().deepest().to() + ")",
                        r.fmaxMhz() > 0 ? String.format(java.util.Locale.ROOT, "%.2f MHz", r.fmaxMhz()) : "not routed here", r.requiredMhz(),
                        r.state());
                row("boards", "board", b.name(), "config", b.config(), "logic_cells", r.lcs(), "logic_cell_capacity", r.lcCapacity(), "brams", r.rams(),
                        "ios", r.ios(), "lut4_levels", r.levels() == null ? -1 : r.levels().levels(), "fmax_mhz", r.fmaxMhz(), "required_mhz",
                        r.requiredMhz());
            });
        }
    }

    /** The small blocks' simulation table: sustained beats/cycle, latency, Verilator speed; quick: 3 blocks, 20 000 beats. */
    private void blocks(boolean quick) {
        text("## Simulation (Verilator " + Tools.version("verilator").replace("Verilator ", "") + ", -O3, single thread)"
                + (quick ? " -- --quick: " + QUICK_SIM_TOPS + " of " + SIM_TOPS.size() + " blocks, 20 000 beats (full run: 200 000)" : "")
                + "\n\n| top | beats/cycle (full rate) | latency (cycles) | sim speed (cycles/s) |\n|---|---:|---:|---:|\n");
        int n = quick ? 20_000 : 200_000;
        for (String name : quick ? SIM_TOPS.subList(0, QUICK_SIM_TOPS) : SIM_TOPS) {
            step("simulation " + name + " (" + n + " beats)", o -> {
                Design d = LibraryTops.elaborate(name);
                boolean flow = name.startsWith("eth_fcs") || name.startsWith("ones_");
                Testbench.Builder b = Testbench.of(d).source("in");
                if (flow) {
                    if (name.startsWith("eth")) b.flow("res", "crc_valid", "crc", "crc_ok");
                    else b.flow("res", "sum_valid", "sum");
                } else {
                    b.sink("out");
                }
                try (Testbench tb = b.build(SimOptions.fast(), 1)) {
                    // one long frame: every beat but the last is full
                    for (int i = 0; i < n; i++) tb.push("in", 0x0123456789abcdefL ^ i, 0xff, i == n - 1 ? 1 : 0, 0);
                    long t0 = System.nanoTime();
                    long c0 = tb.cycle();
                    tb.runUntilDrained(10L * n, 16);
                    double secs = (System.nanoTime() - t0) / 1e9;
                    long cycles = tb.cycle() - c0;
                    List<Testbench.Beat> beats = tb.beats(flow ? "res" : "out");
                    String rate, latency;
                    if (flow) {
                        // one result per frame, one cycle after the last beat: n beats took (result - start) cycles
                        long first = beats.get(0).cycle();
                        rate = String.format("%.3f", (double) n / (first - c0));
                        // a one-beat frame offered at a known cycle, to time the result
                        tb.push("in", 1, 0xff, 1, 0);
                        long c1 = tb.cycle();
                        tb.run(16);
                        latency = Long.toString(beats.get(1).cycle() - c1);
                    } else {
                        long span = beats.get(beats.size() - 1).cycle() - beats.get(0).cycle() + 1;
                        rate = String.format("%.3f", (double) beats.size() / span);
                        latency = Long.toString(beats.get(0).cycle() - c0);
                    }
                    o.printf("| %s | %s | %s | %.2e |%n", name, rate, latency, cycles / secs);
                    row("simulation", "top", name, "beats_per_cycle", Double.parseDouble(rate), "latency_cycles", Long.parseLong(latency),
                            "sim_cycles_per_second", Math.round(cycles / secs));
                }
            });
        }
        text("\nLatency: cycles from the first beat offered to the first beat out (for FCS and checksum: from the frame's last beat to its result).\n");
    }

    /**
     * The cross-checked simulation against the model alone on one mixed corpus ({@code traffic --count N --seed 7},
     * capture timing): what {@code sim --check} costs beyond {@code model}, and the simulator's speed with everything
     * included.
     */
    /** The NTS-rich mix of the long corpus runs (session 10's by hand): both AEADs, every broken kind, plain NTP and ARP/ICMP/host frames among them. */
    static final String NTS_CORPUS_MIX = "nts=40,nts6=20,nts_bad_cookie=8,nts_bad_auth=8,nts_malformed=6,ntp=8,ntp6=4,arp=2,icmp=2,not_for_us=2";

    /**
     * A long NTS-rich corpus (configs/10g-nts.toml: its cores and both residence classes) through {@code sim --check}
     * with a key rotation half way: back to back at line rate, at the capture's own timing (NTS requests at least 200
     * cycles apart), and at line rate under backpressure. Every row must have 0 mismatches; the drops are the model's.
     */
    private void ntsCorpus(int frames) {
        text("\n### NTS-rich corpus through `sim --check` (configs/10g-nts.toml, `traffic --count " + frames + " --seed 18 --nts-spacing 200 --mix "
                + NTS_CORPUS_MIX + "`, key rotation at frame " + frames / 2 + ")\n\n"
                + "| timing | frames | NTS requests | NTS answers and NAKs | drop_nts_overload | store_overflow | mismatches | wall (s) |\n"
                + "|---|---:|---:|---:|---:|---:|---:|---:|\n");
        String[] modes = {"back to back at line rate", "the capture's own timing", "line rate, --tx-ready 0.8 --rx-offer 0.9 --host-ready 0.7"};
        for (int m = 0; m < modes.length; m++) {
            final int mode = m;
            step("NTS corpus: " + frames + " frames, " + modes[m], o -> {
                ConfigFile cfg = ConfigFile.load(config("configs/10g-nts.toml"));
                List<org.ntsfab.model.pcap.Pcap.Record> in = org.ntsfab.model.traffic.TrafficGenerator.spaceNts(new org.ntsfab.model.traffic.TrafficGenerator(cfg, 18)
                        .generate(frames, org.ntsfab.model.traffic.TrafficGenerator.parseMix(NTS_CORPUS_MIX), java.time.Instant.parse("2026-11-24T12:00:00Z")),
                        200, cfg.frequencyHz());
                long t0 = System.nanoTime();
                var opt = mode == 2 ? new org.ntsfab.sim.TopSim.Options(true, 0.9, 0.8, 0.7, 0, 18, null, true, frames / 2)
                        : new org.ntsfab.sim.TopSim.Options(mode == 0, 1, 1, 1, 0, 18, null, true, frames / 2);
                org.ntsfab.sim.TopSim.Report r = org.ntsfab.sim.TopSim.run(cfg, in, opt, List.of());
                double wall = (System.nanoTime() - t0) / 1e9;
                var mc = r.modelCounters();
                long answers = mc.getOrDefault(org.ntsfab.model.Outcome.ANSWER_NTS, 0L) + mc.getOrDefault(org.ntsfab.model.Outcome.ANSWER_NTS_NAK_COOKIE, 0L)
                        + mc.getOrDefault(org.ntsfab.model.Outcome.ANSWER_NTS_NAK_AUTH, 0L);
                long overload = mc.getOrDefault(org.ntsfab.model.Outcome.DROP_NTS_OVERLOAD, 0L);
                long requests = r.ntsDecisions().size();
                long overflow = r.rtlCounters().getOrDefault("count_store_overflow", 0L);
                o.printf(java.util.Locale.ROOT, "| %s | %d | %d | %d | %d | %d | %d | %.0f |%n", modes[mode], frames, requests, answers, overload, overflow,
                        r.mismatches().size(), wall);
                row("nts_corpus", "timing", modes[mode], "frames", frames, "nts_requests", requests, "nts_answers", answers, "drop_nts_overload", overload,
                        "store_overflow", overflow, "mismatches", r.mismatches().size(), "wall_seconds", wall);
                if (!r.ok()) throw new IllegalStateException("NTS corpus run differs from the model: " + r.mismatches().get(0));
            });
        }
    }

    private void simSpeed(int frames) {
        text("\n### Simulation speed: `sim --check` against `model` alone (configs/example.toml, `traffic --count " + frames + " --seed 7`)"
                + (quick ? " -- --quick: 10 000 frames (full run: 50 000)" : "") + "\n\n");
        step("simulation speed: sim --check against model, " + frames + " frames (a warm-up run, then the measured one)", o -> {
            ConfigFile cfg = ConfigFile.load(config("configs/example.toml"));
            List<org.ntsfab.model.pcap.Pcap.Record> corpus = new org.ntsfab.model.traffic.TrafficGenerator(cfg, 7)
                    .generate(frames, org.ntsfab.model.traffic.TrafficGenerator.DEFAULT_MIX, java.time.Instant.parse("2026-11-24T12:00:00Z"));
            org.ntsfab.sim.SimSpeed.measure(cfg, corpus, 1); // warm-up: the Verilator build and both JITs
            org.ntsfab.sim.SimSpeed.Result r = org.ntsfab.sim.SimSpeed.measure(cfg, corpus, 1);
            o.println("| frames | cycles | model alone (s) | sim --check (s) | ratio | M cycles/s (all included) | mismatches |");
            o.println("|---:|---:|---:|---:|---:|---:|---:|");
            o.printf(java.util.Locale.ROOT, "| %d | %d | %.2f | %.2f | %.1f | %.2f | %d |%n", r.frames(), r.cycles(), r.modelSeconds(), r.simSeconds(),
                    r.ratio(), r.cyclesPerSecond() / 1e6, r.mismatches());
            row("sim_speed", "frames", r.frames(), "cycles", r.cycles(), "model_seconds", r.modelSeconds(), "sim_check_seconds", r.simSeconds(),
                    "ratio", r.ratio(), "cycles_per_second", Math.round(r.cyclesPerSecond()), "mismatches", r.mismatches());
        });
    }

    /**
     * Back-to-back minimum-size NTP requests (IPv4 90 bytes, IPv6 110 bytes without FCS) into the
     * whole core ({@code ntsfab_top}, configured from its reset values = configs/example.toml) with
     * an always-ready transmit port: answers, drops, and latency from the request's last beat to
     * the answer's first beat (min = max means zero jitter).
     */
    void ntpFastPath(int n, String config) throws Exception {
        ConfigFile cfg = ConfigFile.load(config(config));
        int bytes = cfg.busBytes();
        double mhz = cfg.frequencyHz() / 1e6;
        String port = bytes == 8 ? "10GbE" : "1GbE";
        Design[] design = new Design[1];
        String top = bytes == 8 ? "ntsfab_top" : "ntsfab_top_8";
        text(String.format("%n## %s (%d-bit bus, %s): minimum-size NTP requests at %s line rate and back to back%s%n%n", top, 8 * bytes, config, port,
                        quick ? " -- --quick: " + n + " requests (full run: " + n * 10 + ")" : "")
                + String.format("| family | arrival | requests | answers | dropped | cycles/request | Mpps at %.2f MHz | latency min..max (cycles) |%n", mhz)
                + "|---|---|---:|---:|---:|---:|---:|---:|\n");
        for (boolean v6 : new boolean[] {false, true}) for (boolean lineRate : new boolean[] {true, false}) {
            step(top + " NTP " + (v6 ? "IPv6" : "IPv4") + ", " + (lineRate ? port + " line rate" : "back to back") + ", " + n + " requests", o -> {
                if (design[0] == null) design[0] = ResponderDesigns.design(cfg);
                Design d = design[0];
                try (Testbench tb = Testbench.of(d).source("rx").sink("tx").build(SimOptions.fast(), 1)) {
                    // 10GbE: a frame of B beats every (frame + FCS + preamble + IFG) / 8 cycles: 4 frames in 57 (IPv4) / 67 (IPv6) cycles;
                    // 1GbE: one byte per cycle, 90 / 110 bytes of frame in 114 / 134 cycles
                    int[] starts = bytes == 1 ? new int[] {0} : v6 ? new int[] {0, 17, 34, 50} : new int[] {0, 14, 28, 43};
                    int period = bytes == 1 ? (v6 ? 134 : 114) : v6 ? 67 : 57;
                    int frameBeats = bytes == 1 ? (v6 ? 110 : 90) : v6 ? 14 : 12;
                    int framesPerPeriod = starts.length;
                    long origin = tb.cycle();
                    if (lineRate) tb.offerWhen("rx", c -> {
                        long t = Math.floorMod(c - origin, period);
                        for (int st : starts) if (t >= st && t < st + frameBeats) return true;
                        return false;
                    });
                    org.ntsfab.model.traffic.FrameBuilder.Endpoints e = new org.ntsfab.model.traffic.FrameBuilder.Endpoints(cfg.mac(),
                            cfg.ipv4(), cfg.ipv6(), new byte[] {2, 0, 0, 0, 0, 1}, new byte[] {(byte) 198, 51, 100, 1},
                            java.util.HexFormat.of().parseHex("20010db8000000000000000000000001"), -1);
                    List<Integer> lastBeat = new ArrayList<>();
                    int beats = 0;
                    for (int i = 0; i < n; i++) {
                        byte[] f = org.ntsfab.model.traffic.FrameBuilder.udpFrame(e, v6, 1024 + (i & 0x7fff), 123,
                                org.ntsfab.model.traffic.FrameBuilder.ntpRequest(4, 3, i));
                        for (org.ntsfab.harness.AxisFrames.Beat b : org.ntsfab.harness.AxisFrames.toBeats(f, bytes, 0)) {
                            tb.push("rx", b.fields());
                            beats++;
                        }
                        lastBeat.add(beats - 1);
                    }
                    tb.runUntilDrained(10L * beats, 256);
                    List<Long> acc = tb.acceptedCycles("rx");
                    List<Testbench.Beat> tx = tb.beats("tx");
                    List<Long> txStarts = new ArrayList<>();
                    boolean sof = true;
                    for (Testbench.Beat b : tx) {
                        if (sof) txStarts.add(b.cycle());
                        sof = b.field(2) != 0;
                    }
                    long min = Long.MAX_VALUE, max = Long.MIN_VALUE;
                    for (int i = 0; i < txStarts.size(); i++) {
                        long lat = txStarts.get(i) - acc.get(lastBeat.get(i));
                        min = Math.min(min, lat);
                        max = Math.max(max, lat);
                    }
                    double perReq = (double) (acc.get(acc.size() - 1) - acc.get(0) + 1
                            + (lineRate ? (double) period / framesPerPeriod - frameBeats : 0)) / n;
                    o.printf("| %s | %s | %d | %d | %d | %.2f | %.3f | %d..%d |%n", v6 ? "IPv6" : "IPv4",
                            lineRate ? port + " line rate" : "back to back", n, txStarts.size(), n - txStarts.size(), perReq, mhz / perReq, min, max);
                    row("ntp_line_rate", "top", d.topName(), "bus_bits", 8 * bytes, "clock_mhz", mhz, "family", v6 ? "IPv6" : "IPv4",
                            "arrival", lineRate ? port + " line rate" : "back to back", "requests", n, "answers", txStarts.size(),
                            "dropped", n - txStarts.size(), "cycles_per_request", perReq, "mpps", mhz / perReq, "latency_min_cycles", min,
                            "latency_max_cycles", max);
                }
            });
        }
        text("\n" + (bytes == 8 ? "10GbE line rate for minimum-size NTP is 10.96 Mpps (IPv4) and 9.33 Mpps (IPv6) at 14.25 / 16.75 cycles per request."
                : "1GbE line rate for minimum-size NTP is 1.096 Mpps (IPv4) and 0.933 Mpps (IPv6) at 114 / 134 cycles per request; latency counts from the request's last byte to the answer's first.")
                + "\n");
    }

    /**
     * NTS through the whole core: identical requests back to back at line rate, so the cores' contexts stay full;
     * sustained answers = the spacing of consecutive answers' departures; latency from the request's first
     * beat to the answer's first beat; AES blocks per answer counted from the request's shape (RFC 5297: S2V
     * = 2 + one per 16-byte word of each component + the plaintext's words, CTR = the plaintext's words).
     */
    void nts(int n, String config, int cores) throws Exception {
        ConfigFile c0 = ConfigFile.load(config(config));
        ResponderConfig.Capacity cap0 = c0.ntsCapacity();
        ConfigFile cfg = new ConfigFile(c0.mac(), c0.ipv4(), c0.ipv6(), c0.vlan(), c0.forwardUnmatched(),
                c0.ttl(), c0.icmpMaxPayload(), c0.stratum(), c0.refid(), c0.precision(), c0.rootDelay(), c0.rootDispersion(), c0.synced(),
                c0.frequencyHz(), c0.start(), c0.leap(), c0.leapEvent(), c0.answerLatencyCycles(), c0.ntsKeys(), c0.ntsCurrentKey(),
                c0.nonceSeed(), c0.maxPlaceholders(), c0.busBytes(),
                new ResponderConfig.Capacity(cores, cap0.contexts(), cap0.residenceCycles(), cap0.holdCycles(), cap0.budgetBytes(),
                        cap0.shortMaxBytes(), cap0.shortResidenceCycles(), cap0.shortHoldCycles()));
        var ntsCfg = ResponderDesigns.ntsConfig(cfg);
        double mhz = cfg.frequencyHz() / 1e6;
        text(String.format("%n## ntsfab_top NTS (%s, %d NTS core(s) of %d contexts, residence %d cycles%s, budget %d bytes per core): identical"
                + " requests at 10GbE line rate%s%n%n", config, cores, cap0.contexts(), ntsCfg.residence(),
                ntsCfg.classes() == null ? "" : " (" + ntsCfg.classes().shortResidence() + " up to " + ntsCfg.classes().shortMax() + " bytes)", ntsCfg.budget(),
                quick ? " -- --quick: " + n + " requests (full run: " + n * 5 + ")" + (partialNts ? "" : "; the table for 2 cores only in the full run") : "")
                + String.format("| request | line rate (cycles/request) | requests | answered | dropped (contexts or budget full) | cycles/answer | answers/s at %.2f MHz | latency min..max (cycles) | AES blocks/answer |%n", mhz)
                + "|---|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        var keys = new org.ntsfab.model.nts.MasterKeys(cfg.ntsKeys(), cfg.ntsCurrentKey());
        var codec = new org.ntsfab.model.nts.CookieCodec(keys);
        java.util.Random rnd = new java.util.Random(5);
        org.ntsfab.model.traffic.FrameBuilder.Endpoints e = new org.ntsfab.model.traffic.FrameBuilder.Endpoints(cfg.mac(),
                cfg.ipv4(), cfg.ipv6(), new byte[] {2, 0, 0, 0, 0, 1}, new byte[] {(byte) 198, 51, 100, 1},
                java.util.HexFormat.of().parseHex("20010db8000000000000000000000001"), -1);
        for (int[] kind : new int[][] {{15, 0}, {15, 7}, {17, 0}, {17, 5}}) {
            int aead = kind[0], ph = kind[1];
            step("NTS " + cores + " core(s), AEAD " + aead + ", " + ph + " placeholder(s), " + n + " requests", o -> {
                var k = org.ntsfab.model.traffic.NtsClient.keys(rnd, aead);
                byte[] cookie = codec.seal(k, new byte[16]);
                List<org.ntsfab.model.pcap.Pcap.Record> in = new ArrayList<>();
                java.time.Instant t0 = java.time.Instant.parse("2026-11-24T12:00:00Z");
                int payload = 0;
                double period = 0;
                for (int i = 0; i < n; i++) {
                    byte[] uid = new byte[32];
                    rnd.nextBytes(uid);
                    byte[] nonce = new byte[16];
                    rnd.nextBytes(nonce);
                    byte[] p = org.ntsfab.model.traffic.NtsClient.request(org.ntsfab.model.traffic.FrameBuilder.ntpRequest(4, 3, i), uid, cookie,
                            ph, k.c2s(), nonce, new byte[0]);
                    payload = p.length;
                    byte[] frame = org.ntsfab.model.traffic.FrameBuilder.udpFrame(e, false, 1024 + (i & 0x7fff), 123, p);
                    // 10GbE: the frame on the wire (FCS, preamble, inter-frame gap), 8 bytes per 156.25 MHz cycle
                    period = org.ntsfab.sim.TopSim.wireCycles(frame.length, 8);
                    in.add(new org.ntsfab.model.pcap.Pcap.Record(t0.plusNanos(Math.round(i * period * 1e9 / cfg.frequencyHz())), frame));
                }
                org.ntsfab.sim.TopSim.Report r = org.ntsfab.sim.TopSim.run(cfg, in, new org.ntsfab.sim.TopSim.Options(false, 1, 1, 1, 0, 5, null, true), List.of());
                if (!r.ok()) throw new IllegalStateException("NTS bench run differs from the model: " + r.mismatches().get(0));
                List<long[]> t = r.ntsTimes();
                long min = Long.MAX_VALUE, max = 0;
                for (long[] x : t) {
                    min = Math.min(min, x[1] - x[0]);
                    max = Math.max(max, x[1] - x[0]);
                }
                double per = t.size() < 2 ? Double.NaN : (double) (t.get(t.size() - 1)[1] - t.get(0)[1]) / (t.size() - 1);
                int cookieLen = cookie.length, fresh = 1 + Math.min(ph, cfg.maxPlaceholders()), authOff = payload - (8 + 16 + 16);
                long blocks = sivBlocks(new int[] {4, 16}, 2 * (cookieLen - 36))                  // cookie open (keys)
                        + sivBlocks(new int[] {authOff, 16}, 0)                                      // authenticator open (no encrypted fields)
                        + fresh * sivBlocks(new int[] {4, 16}, cookieLen - 36)                      // fresh cookies
                        + sivBlocks(new int[] {48 + 36, 16}, fresh * (cookieLen + 4))              // the answer
                        + fresh + 1;                                                                 // nonces
                String what = "AEAD " + aead + ", " + ph + " placeholder(s), " + payload + "-byte payload";
                o.printf("| %s | %.2f | %d | %d | %d | %.0f | %.0f | %d..%d | %d |%n", what, period, n, t.size(),
                        r.modelCounters().getOrDefault(org.ntsfab.model.Outcome.DROP_NTS_OVERLOAD, 0L), per, cfg.frequencyHz() / per, min, max, blocks);
                row("nts", "cores", cores, "request", what, "line_rate_cycles_per_request", period, "requests", n, "answers", t.size(), "cycles_per_answer", per, "answers_per_s", cfg.frequencyHz() / per,
                        "latency_min_cycles", min, "latency_max_cycles", max, "aes_blocks_per_answer", blocks);
            });
        }
        var cls = ntsCfg.classes();
        String shortPart = cls == null ? "" : " Requests of up to " + cls.shortMax() + " payload bytes are the short class: their answers leave "
                + cls.shortResidence() + " cycles after the first beat (T3 the clock then), their contexts held " + cls.shortHold() + " cycles, so one core"
                + " admits at most " + cap0.contexts() + " per " + cls.shortHold() + " cycles ("
                + String.format(java.util.Locale.ROOT, "%.0f", (double) cap0.contexts() * cfg.frequencyHz() / cls.shortHold()) + "/s) of them;"
                + " the others, and a short one whose answer would meet a long answer's, are the long class:";
        text("\n" + shortPart + (cls == null ? "T3 is the clock " : " T3 is the clock ") + ntsCfg.residence() + " cycles after the request's first beat, the cycle the answer's first beat leaves"
                + " (0 cycles of error in every cross-check). A core holds a request's context for " + ntsCfg.hold() + " cycles, so with "
                + cap0.contexts() + " contexts one core admits at most " + cap0.contexts() + " requests per " + ntsCfg.hold() + " cycles ("
                + String.format(java.util.Locale.ROOT, "%.0f", (double) cap0.contexts() * cfg.frequencyHz() / ntsCfg.hold()) + "/s); the rest are"
                + " drop_nts_overload, decided by the model's own rule (spec 9.7) and equal in the RTL.\n");
    }

    /**
     * What NTS costs on Xilinx 7-series (Yosys synth_xilinx), measured as a whole: the entire 10GbE NTS top
     * (configs/10g-nts.toml) and the one-core top of configs/example.toml, each synthesized in one piece, beside the NTS
     * cores alone and the figures of the per-request engines they replaced (issue 18).
     */
    void ntsArea(Path work) throws Exception {
        String[] configs = {"configs/example.toml", "configs/10g-nts.toml"};
        // the two tops and the cores' part whole, then the part around its cores for each core count the configuration allows
        // (the cores black boxes: the admission, slices, departures and merge, whose paths grow with the count)
        int rows = 3 + 4;
        Gates.Utilization[] u = new Gates.Utilization[rows];
        long[] secs = new long[rows];
        String[] what = new String[rows];
        for (int k = 0; k < configs.length; k++) {
            int kk = k;
            var cfg = ConfigFile.load(config(configs[k]));
            var n = ResponderDesigns.ntsConfig(cfg);
            what[k] = "ntsfab_top, " + configs[k] + " (" + n.cores() + " NTS core(s), residence " + n.residence() + ")";
            step("NTS area: " + what[k] + " (synth_xilinx, whole)", o -> {
                long t = System.nanoTime();
                u[kk] = Gates.synthesize(ResponderDesigns.design(cfg), work, Gates.Target.XILINX);
                secs[kk] = (System.nanoTime() - t) / 1_000_000_000L;
            });
        }
        var n1 = ResponderDesigns.ntsConfig(ConfigFile.load(config(configs[0])));
        what[2] = "nts_core_responder, 1 core (the NTS cores' part alone)";
        step("NTS area: " + what[2], o -> {
            long t = System.nanoTime();
            u[2] = Gates.synthesize(Design.elaborate(() -> new org.ntsfab.responder.nts.NtsCoreResponder(1, n1.residence(), n1.hold(), n1.budget(), n1.classes())),
                    work, Gates.Target.XILINX);
            secs[2] = (System.nanoTime() - t) / 1_000_000_000L;
        });
        for (int c = 1; c <= 4; c++) {
            int kk = 2 + c, cores = c;
            what[kk] = "nts_core_responder, " + c + " core(s), around its cores (nts_core_32 a black box)";
            step("NTS area: " + what[kk], o -> {
                long t = System.nanoTime();
                u[kk] = Gates.synthesizeOutside(Design.elaborate(() -> new org.ntsfab.responder.nts.NtsCoreResponder(cores, n1.residence(), n1.hold(), n1.budget(), n1.classes())),
                        work, Gates.Target.XILINX, "nts_core_32");
                secs[kk] = (System.nanoTime() - t) / 1_000_000_000L;
            });
        }
        // the byte-wide build's candidate core (issue 18 item 3): 15 contexts on four iterative AES units, on the ECP5 part of
        // the Versa board, beside which ntsfab_top_8 already takes its share
        Gates.Utilization[] small = new Gates.Utilization[1];
        long[] smallSecs = new long[1];
        step("NTS area: nts_core_16_aes_x4 (the byte-wide build's core, synth_ecp5)", o -> {
            long t = System.nanoTime();
            small[0] = Gates.synthesize(LibraryTops.elaborate("nts_core_16_aes_x4"), work, Gates.Target.ECP5);
            smallSecs[0] = (System.nanoTime() - t) / 1_000_000_000L;
        });
        plan.add(new Step(null, o -> {
            o.println();
            o.println("## NTS area (Yosys " + Tools.version("yosys").replace("Yosys ", "") + " synth_xilinx, each design synthesized in one piece;"
                    + " the AES S-box is mapped on its own, as the emitted Verilog's keep_hierarchy asks, and a path through it counts its levels)");
            o.println();
            o.println("| design | LUT | FF | BRAM (RAMB36E1 and RAMB18E1 cells) | LUTRAM | logic levels (budget 8) | synthesis time (s) |");
            o.println("|---|---:|---:|---:|---:|---:|---:|");
            for (int k = 0; k < rows; k++) {
                o.printf("| %s | %d | %d | %d | %d | %d | %d |%n", what[k], u[k].luts(), u[k].ffs(), u[k].brams(), u[k].lutRams(),
                        u[k].levels().levels(), secs[k]);
                row("nts_area", "design", what[k], "luts", u[k].luts(), "ffs", u[k].ffs(), "brams", u[k].brams(), "lutrams", u[k].lutRams(),
                        "levels", u[k].levels().levels(), "seconds", secs[k]);
            }
            o.println("| before issue 18: configs/10g-nts.toml with 48 per-request engines (whole, synth_xilinx; the issue's measurement) "
                    + "| 865 638 | - | - | - | not timed | ~840 |");
            o.println();
            o.println("A Kintex-7 325T has 203 800 LUT, 407 600 FF and 445 BRAM36; a VU9P 1 182 240 LUT.");
            o.println();
            o.println("| the byte-wide build's NTS core on ECP5 (synth_ecp5) | LUT4 | FF | DP16KD | distributed RAM (DPR16X4) | logic levels | synthesis time (s) |");
            o.println("|---|---:|---:|---:|---:|---:|---:|");
            Gates.Utilization e = small[0];
            o.printf("| nts_core_16_aes_x4 (15 contexts, four iterative AES units) | %d | %d | %d | %d | %d | %d |%n", e.luts(), e.ffs(), e.brams(), e.lutRams(),
                    e.levels().levels(), smallSecs[0]);
            row("nts_area_ecp5", "design", "nts_core_16_aes_x4", "lut4", e.luts(), "ffs", e.ffs(), "dp16kd", e.brams(), "lutrams", e.lutRams(),
                    "levels", e.levels().levels(), "seconds", smallSecs[0]);
            o.println();
            o.println("The LFE5UM-45 of the ECP5 Versa board has 43 848 LUT4 and 108 DP16KD; ntsfab_top_8 without NTS takes about 22 805 and 12.");
        }));
    }

    /**
     * The new NTS core's crypto (issue 18): {@code AesSivOpsUnit}, 32 lanes on one AES pipeline, each lane doing a
     * chrony-sized answer's AES-SIV work over and over (open the cookie, load C2S and S2C, open the authenticator, seal
     * a new cookie, seal the answer: the lengths of a real request, one cookie, no placeholders), the next operation
     * offered as soon as the lane's last one is done: the pipeline's use and answers per second per pipeline.
     */
    private void ntsCore(boolean quick) {
        text("\n## NTS core crypto (issue 18): a chrony-sized answer's AES-SIV work on 32 lanes of one AES pipeline\n\n"
                + "| AES | operations per answer | AES blocks per answer | blocks/cycle | answers | cycles | answers/s at 156.25 MHz "
                + "| pipelines for 10GbE line rate (4.31 M/s) | answer latency (cycles, min..max) |\n|---|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        int perLane = quick ? 3 : 12;
        for (int keyBits : quick ? new int[] {128} : new int[] {128, 256}) {
            step("NTS core crypto: AES-" + keyBits + " lanes, " + perLane + " answers per lane", o -> {
                int lanes = 32, words = 4096, region = words / lanes;
                Design d = Design.elaborate(() -> new org.ntsfab.ip.aes.AesSivOpsUnit(keyBits, lanes, 64, words));
                try (Testbench tb = Testbench.of(d).source("data_wr").source("key_wr").source("key_op").source("op").source("rd_req")
                        .sink("done").sink("rd_res").build(SimOptions.fast(), 1)) {
                    java.util.SplittableRandom rnd = new java.util.SplittableRandom(1);
                    for (int w = 0; w < words; w++) tb.push("data_wr", w, rnd.nextLong() & 0xffffffffL);
                    for (int k = 0; k < 64; k++) {
                        java.math.BigInteger key = new java.math.BigInteger(keyBits, new java.util.Random(k));
                        tb.push("key_wr", java.math.BigInteger.valueOf(k), key, java.math.BigInteger.valueOf(k + 1));
                    }
                    tb.run(words + 80);
                    // the master key (entries 0 and 1) loaded with its S2V constants, as at a key rotation: the cookies'
                    // S2V then starts after their empty AD
                    tb.push("key_op", big(0), big(0), new java.math.BigInteger(keyBits, new java.util.Random(-1)), big(1));
                    tb.push("key_op", big(1), big(1), new java.math.BigInteger(keyBits, new java.util.Random(-2)), big(0));
                    tb.run(400);
                    if (tb.beats("done").size() != 2) throw new IllegalStateException("the master key's loads did not finish");
                    int[] step = new int[lanes], answers = new int[lanes];
                    long[] started = new long[lanes];
                    List<Long> latencies = new ArrayList<>();
                    long c0 = tb.cycle();
                    for (int l = 0; l < lanes; l++) {
                        started[l] = tb.cycle();
                        offerNtsStep(tb, l, 0, region, keyBits);
                    }
                    int seen = 2, total = 0;
                    while (total < lanes * perLane && tb.cycle() - c0 < 20_000_000L) {
                        tb.run(32);
                        List<Testbench.Beat> dones = tb.beats("done");
                        for (; seen < dones.size(); seen++) {
                            int l = (int) dones.get(seen).field(0);
                            if (++step[l] == 6) {
                                latencies.add(dones.get(seen).cycle() - started[l]);
                                total++;
                                step[l] = 0;
                                if (++answers[l] >= perLane) continue;
                                started[l] = dones.get(seen).cycle();
                            }
                            offerNtsStep(tb, l, step[l], region, keyBits);
                        }
                    }
                    long cycles = tb.cycle() - c0;
                    int ii = tb.plainOutIndex("aes_issue");
                    long issued = tb.plainHistory().stream().filter(r -> r[ii].signum() != 0).count();
                    double perCycle = (double) total / cycles, answersPerSecond = perCycle * 156.25e6;
                    long min = latencies.stream().mapToLong(Long::longValue).min().orElse(0), max = latencies.stream().mapToLong(Long::longValue).max().orElse(0);
                    o.printf(java.util.Locale.ROOT, "| AES-%d | 6 | %.1f | %.3f | %d | %d | %.0f | %d | %d..%d |%n", keyBits, (double) issued / total,
                            (double) issued / cycles, total, cycles, answersPerSecond, (long) Math.ceil(4.31e6 / answersPerSecond), min, max);
                    row("nts_core_crypto", "aes_bits", keyBits, "answers", total, "cycles", cycles, "aes_blocks", issued, "answers_per_second",
                            Math.round(answersPerSecond), "latency_min_cycles", min, "latency_max_cycles", max);
                }
            });
        }
        text("\nOne lane per answer, its operations in order (the core will run an answer's independent operations on two lanes);"
                + " the master key's S2V constants are loaded with it, so the cookies' S2V starts after their empty AD; C2S and S2C"
                + " are loaded per answer (their subkeys on the lane). AES-256 here runs every operation on AES-256 lanes (AEAD 17 keeps its cookies on"
                + " AES-128): an upper bound.\n");
    }

    /**
     * The NTS core itself ({@code NtsCore}, both AEADs on one mixed AES-128/256 pipeline, 31 contexts): real requests
     * (cookies sealed under the loaded master key, authenticators under their C2S) offered back to back, each job as soon
     * as a context is free, the payload at a beat per cycle; a context released as its result comes (the readout is the
     * emitter's, not measured here). Corpora: chrony's requests (one cookie, no placeholders) with AEAD 15 and with AEAD
     * 17, and a mix (a third AEAD 17, placeholders 0-7 within a 1472-byte payload, nonces up to 28 bytes, a tenth with
     * broken cookies, a twentieth with broken authenticators).
     */
    private void ntsCoreAnswers(boolean quick) {
        text("\n## NTS core (issue 18): requests to answers, AEAD 15 and 17 on one mixed AES-128/256 pipeline, 31 contexts\n\n"
                + "| corpus | requests | answers | NAKs | cycles | requests/s at 156.25 MHz | line rate of the corpus (10GbE) | cores (pipelines) for line rate "
                + "| AES blocks/cycle | latency, job to result (cycles, min..max) |\n|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        int n = quick ? 93 : 620;
        for (String corpus : quick ? new String[] {"chrony", "chrony AEAD 17"} : new String[] {"chrony", "chrony AEAD 17", "mixed"}) {
            step("NTS core: " + corpus + ", " + n + " requests", o -> {
                NtsCorpus corp = ntsCoreCorpus(corpus, n, 7);
                List<byte[]> reqs = corp.payloads();
                long wireBytes = 0;
                for (byte[] q : reqs) wireBytes += q.length + 8 + 20 + 14 + 4 + 8 + 12;  // UDP, IPv4, Ethernet, FCS, preamble, gap
                Design d = Design.elaborate(org.ntsfab.responder.nts.NtsCore::new);
                try (Testbench tb = Testbench.of(d).source("job").source("in").source("key_load").source("release").source("rd_req")
                        .sink("result").sink("rd_res").build(SimOptions.fast(), 1)) {
                    loadNtsCoreKeys(tb, corp);
                    long c0 = tb.cycle();
                    for (int i = 0; i < n; i++) {
                        tb.push("job", big(i), java.math.BigInteger.ONE.shiftLeft(300), big(i & 0xffff));
                        for (org.ntsfab.harness.AxisFrames.Beat b : org.ntsfab.harness.AxisFrames.toBeats(reqs.get(i), 8, 0)) tb.push("in", b.fields());
                    }
                    int seen = 0, answers = 0, naks = 0;
                    long last = c0;
                    List<Long> latencies = new ArrayList<>();
                    while (seen < n && tb.cycle() - c0 < 50_000_000L) {
                        tb.run(64);
                        List<Testbench.Beat> res = tb.beats("result");
                        List<Long> acc = tb.acceptedCycles("job");
                        for (; seen < res.size(); seen++) {
                            Testbench.Beat b = res.get(seen);
                            tb.push("release", b.field(0));
                            if (b.field(1) == org.ntsfab.responder.nts.NtsCore.OUT_ANSWER) answers++;
                            else naks++;
                            latencies.add(b.cycle() - acc.get((int) b.field(3)));
                            last = b.cycle();
                        }
                    }
                    if (seen < n) throw new IllegalStateException("the NTS core finished " + seen + " of " + n + " requests");
                    long cycles = last - c0;
                    int ii = tb.plainOutIndex("aes_issue");
                    List<java.math.BigInteger[]> hist = tb.plainHistory();
                    long issued = 0;
                    for (int c = (int) c0; c < Math.min(hist.size(), last); c++) if (hist.get(c)[ii].signum() != 0) issued++;
                    double rate = n * 156.25e6 / cycles, lineRate = 10e9 / 8 / ((double) wireBytes / n);
                    long min = latencies.stream().mapToLong(Long::longValue).min().orElse(0), max = latencies.stream().mapToLong(Long::longValue).max().orElse(0);
                    o.printf(java.util.Locale.ROOT, "| %s | %d | %d | %d | %d | %.0f | %.0f | %d | %.3f | %d..%d |%n", corpus, n, answers, naks, cycles, rate, lineRate,
                            (long) Math.ceil(lineRate / rate), (double) issued / cycles, min, max);
                    row("nts_core", "corpus", corpus, "requests", n, "answers", answers, "naks", naks, "cycles", cycles, "requests_per_second", Math.round(rate),
                            "line_rate", Math.round(lineRate), "latency_min_cycles", min, "latency_max_cycles", max);
                }
            });
        }
        text("\nThe latency includes the wait for a free context and the capture (a request waits for the one before it to be parsed),"
                + " so it grows with the queue in front of a saturated core; the answer's departure at a fixed residence is the next step (issue 18).\n");
    }

    /**
     * The NTS core with its admission and departures ({@code NtsCoreResponder}, one core of 31 contexts) at 10GbE line
     * rate: every request's frame arriving back to back (its bytes, FCS, preamble and gap at 8 bytes a cycle), each
     * admitted by spec §9.7's rule (31 contexts held H = D + 400 cycles) or dropped; the admitted ones' answers leave at
     * first beat + D, with a work budget W (the payload bytes held at once) or by count alone. The table shows what the
     * rule admits and how long the core took (first beat to result): the longest must stay under D (0 late), and the
     * admitted share is what one core carries.
     */
    private void ntsCoreResidence(boolean quick) {
        text("\n## NTS core at a fixed residence (issue 18): one core, 31 contexts, 10GbE line rate, spec 9.7's admission\n\n"
                + "| corpus | D (cycles) | D (us) | budget W (bytes) | requests | admitted | answers/s at 156.25 MHz | late | first beat to result (cycles, min..max) |\n"
                + "|---|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        int n = quick ? 120 : 620;
        long none = org.ntsfab.responder.nts.NtsAdmission.UNLIMITED;
        long[][] configs = quick ? new long[][] {{2400, 6000}} : new long[][] {{12000, none}, {2400, none}, {2400, 6000}, {12000, 16000}};
        for (String corpus : quick ? new String[] {"chrony"} : new String[] {"chrony", "chrony AEAD 17", "mixed"})
            for (long[] cf : configs) {
                int dCycles = (int) cf[0];
                long budget = cf[1];
                step("NTS core residence: " + corpus + ", D " + dCycles + (budget == none ? "" : ", W " + budget), o -> {
                    NtsCorpus corp = ntsCoreCorpus(corpus, n, 7);
                    byte[] mac = {2, 0, 0, 0, 0, 1}, ip4 = {(byte) 192, 0, 2, 1};
                    org.ntsfab.model.traffic.FrameBuilder.Endpoints ep = new org.ntsfab.model.traffic.FrameBuilder.Endpoints(mac, ip4, new byte[16],
                            new byte[] {2, 0, 0, 0, 0, 7}, new byte[] {(byte) 192, 0, 2, 7}, new byte[16], -1);
                    Design d = Design.elaborate(() -> new org.ntsfab.responder.nts.NtsCoreResponderTop(dCycles, dCycles + 400, budget));
                    try (Testbench tb = Testbench.of(d).source("request").source("in").source("key_load").sink("out").build(SimOptions.fast(), 1)) {
                        tb.set("cfg_synced", 1);
                        tb.set("cfg_stratum", 1);
                        loadNtsCoreKeys(tb, corp);
                        int ci = tb.plainOutIndex("cycle_now");
                        List<java.math.BigInteger[]> h0 = tb.plainHistory();
                        long offset = h0.get(h0.size() - 1)[ci].longValue() - (h0.size() - 1);
                        double t = tb.cycle() + offset + 50;
                        List<Long> rxs = new ArrayList<>();
                        for (int i = 0; i < n; i++) {
                            byte[] q = corp.payloads().get(i);
                            byte[] frame = org.ntsfab.model.traffic.FrameBuilder.udpFrame(ep, false, 40000, 123, q);
                            long rx = (long) Math.ceil(t);
                            rxs.add(rx);
                            t = rx + (frame.length + 4 + 20) / 8.0;  // the frame, its FCS, preamble and gap at 8 bytes a cycle
                            long at = rx + 8 - offset;
                            if (at > tb.cycle()) tb.run(at - tb.cycle());
                            tb.push("request", big(0), big(0), big(0), big(0), big(0), big(0), new java.math.BigInteger(1, ep.clientMac()),
                                    new java.math.BigInteger(1, ep.clientIp4()), big(40000), big(4), big(6), big(i), big(rx), big(0), big(42), big(q.length),
                                    big(rx & 0xffffffffL), big(rx + dCycles));
                            for (org.ntsfab.harness.AxisFrames.Beat b : org.ntsfab.harness.AxisFrames.toBeats(frame, 8, 0)) tb.push("in", b.fields());
                        }
                        tb.runUntilDrained(5_000_000, dCycles + 2000);
                        List<java.math.BigInteger[]> hist = tb.plainHistory();
                        int av = tb.plainOutIndex("admission_valid"), aa = tb.plainOutIndex("admission_admitted");
                        int dv = tb.plainOutIndex("done_valid"), dl = tb.plainOutIndex("done_late");
                        int rv = tb.plainOutIndex("results_valid"), rq = tb.plainOutIndex("results_request");
                        List<Long> admittedRx = new ArrayList<>();
                        int k = 0, late = 0;
                        long minL = Long.MAX_VALUE, maxL = 0;
                        for (int c = 0; c < hist.size(); c++) {
                            java.math.BigInteger[] row = hist.get(c);
                            if (row[av].signum() != 0) {
                                if (row[aa].signum() != 0) admittedRx.add(rxs.get(k));
                                k++;
                            }
                            if (row[dv].signum() != 0 && row[dl].signum() != 0) late++;
                            if (row[rv].signum() != 0) {
                                int req = row[rq].intValue();
                                long lat = c + offset - admittedRx.get(req);
                                minL = Math.min(minL, lat);
                                maxL = Math.max(maxL, lat);
                            }
                        }
                        long span = rxs.get(n - 1) - rxs.get(0);
                        double rate = admittedRx.size() * 156.25e6 / span;
                        o.printf(java.util.Locale.ROOT, "| %s | %d | %.1f | %s | %d | %d | %.0f | %d | %d..%d |%n", corpus, dCycles, dCycles / 156.25,
                                budget == none ? "-" : String.valueOf(budget), n, admittedRx.size(), rate, late, minL, maxL);
                        row("nts_core_residence", "corpus", corpus, "residence_cycles", dCycles, "budget_bytes", budget == none ? -1 : budget, "requests", n,
                                "admitted", admittedRx.size(),
                                "answers_per_second", Math.round(rate), "late", late, "latency_min_cycles", minL, "latency_max_cycles", maxL);
                    }
                });
            }
        text("\nBy count alone one core admits 31 requests per H cycles whatever their size, and its lanes are shared round robin, so"
                + " a burst of 31 large requests all finish near the burst's total work: D must cover that. The work budget W bounds the"
                + " work in flight, but not a request's own: its blocks run one after another on one lane (about 23 cycles each), so"
                + " about 1 550 cycles for chrony's request and up to 10 000 for 1 472 bytes with 7 placeholders; D must cover the"
                + " largest until a request's independent operations and CTR blocks run in parallel (docs/nts-core.md).\n");
    }

    /** A corpus of NTS requests for the core's benches: their UDP payloads, under one master key (id 1) and nonce seed. */
    private record NtsCorpus(byte[] masterKey, byte[] nonceSeed, List<byte[]> payloads) {}

    /**
     * {@code n} requests: "chrony" (AEAD 15, one cookie, no placeholders, 16-byte nonce), "chrony AEAD 17" (the same with
     * AEAD 17) or "mixed" (a third AEAD 17, placeholders 0-7 within a 1472-byte payload, nonces of 16-28 bytes, a tenth
     * with broken cookies, a twentieth with broken authenticators).
     */
    private static NtsCorpus ntsCoreCorpus(String corpus, int n, long seed) {
        java.util.SplittableRandom r = new java.util.SplittableRandom(seed);
        byte[] masterKey = new byte[32], nonceSeed = new byte[16];
        r.nextBytes(masterKey);
        r.nextBytes(nonceSeed);
        org.ntsfab.model.nts.CookieCodec codec = new org.ntsfab.model.nts.CookieCodec(new org.ntsfab.model.nts.MasterKeys(java.util.Map.of(1L, masterKey), 1L));
        boolean mixed = corpus.equals("mixed");
        List<byte[]> reqs = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            boolean aead17 = corpus.equals("chrony AEAD 17") || mixed && r.nextInt(3) == 0;
            var keys = org.ntsfab.model.traffic.NtsClient.keys(new java.util.Random(r.nextLong()),
                    aead17 ? org.ntsfab.model.nts.CookieCodec.AEAD_AES_SIV_CMAC_512 : org.ntsfab.model.nts.CookieCodec.AEAD_AES_SIV_CMAC_256);
            byte[] nonce = new byte[16], cn = new byte[16], uid = new byte[32];
            r.nextBytes(cn);
            r.nextBytes(uid);
            byte[] cookie = codec.seal(keys, cn);
            int ph = 0;
            if (mixed) {
                nonce = new byte[16 + 4 * r.nextInt(4)];
                // placeholders 0-7, as many as fit a 1472-byte payload (header, identifier, cookie, authenticator)
                int room = (1472 - 48 - 36 - (cookie.length + 4) - (8 + nonce.length + 16)) / (cookie.length + 4);
                ph = Math.min(room, r.nextInt(4) == 0 ? r.nextInt(8) : r.nextInt(2));
                if (r.nextInt(10) == 0) cookie[40 + r.nextInt(cookie.length - 40)] ^= 1;
            }
            r.nextBytes(nonce);
            byte[] q = org.ntsfab.model.traffic.NtsClient.request(org.ntsfab.model.traffic.FrameBuilder.ntpRequest(4, 3, r.nextLong()), uid, cookie,
                    ph, keys.c2s(), nonce, new byte[0]);
            if (mixed && r.nextInt(20) == 0) q[q.length - 1 - r.nextInt(16)] ^= 1;
            reqs.add(q);
        }
        return new NtsCorpus(masterKey, nonceSeed, reqs);
    }

    /** The corpus's master key into slot 0 (id 1, current) and its nonce seed, on an NTS core bench; up to 7 placeholders answered. */
    private static void loadNtsCoreKeys(Testbench tb, NtsCorpus c) {
        tb.set("max_placeholders", 7);
        tb.push("key_load", big(0), big(0), new java.math.BigInteger(1, java.util.Arrays.copyOf(c.masterKey(), 16)),
                new java.math.BigInteger(1, java.util.Arrays.copyOfRange(c.masterKey(), 16, 32)));
        tb.push("key_load", big(1), big(0), new java.math.BigInteger(1, c.nonceSeed()), big(0));
        tb.set("key_ids", 1);
        tb.set("key_valid", 1);
        tb.set("key_current", 0);
        tb.run(500);
    }

    /** The lane's operation {@code step} (0..5) of a chrony-sized answer, offered on the unit (lengths as a real request's). */
    private static void offerNtsStep(Testbench tb, int lane, int step, int region, int keyBits) {
        long base = (long) lane * region, mac = 2L * lane, ctr = 2L * lane + 1;
        java.math.BigInteger tag = java.math.BigInteger.valueOf(lane * 7919L + step);
        switch (step) {
            // the cookie: nonce 16, ciphertext 64 -> C2S || S2C (master key: entries 0, 1)
            case 0 -> tb.push("op", java.math.BigInteger.valueOf(lane), java.math.BigInteger.ONE, java.math.BigInteger.ZERO, java.math.BigInteger.ONE,
                    big(base), big(0), big(base), big(16), big(base + 4), big(64), big(base + 20), tag, big(org.ntsfab.ip.aes.AesSivOps.S2V_AFTER_EMPTY_AD));
            // C2S and S2C into the lane's key entries
            case 1, 2 -> tb.push("key_op", java.math.BigInteger.valueOf(lane), big(step == 1 ? mac : ctr),
                    new java.math.BigInteger(keyBits, new java.util.Random(lane * 31L + step)), big(0));
            // the authenticator under C2S: header and fields 188 bytes of AD, nonce 16, nothing to decrypt
            case 3 -> tb.push("op", big(lane), java.math.BigInteger.ONE, big(mac), big(ctr), big(base + 36), big(188), big(base + 83), big(16),
                    big(base + 87), big(0), big(base + 87), tag, big(org.ntsfab.ip.aes.AesSivOps.S2V_FULL));
            // a new cookie under the master key: nonce 16, C2S || S2C 64
            case 4 -> tb.push("op", big(lane), java.math.BigInteger.ZERO, java.math.BigInteger.ZERO, java.math.BigInteger.ONE, big(base), big(0),
                    big(base + 87), big(16), big(base + 20), big(64), big(base + 91), tag, big(org.ntsfab.ip.aes.AesSivOps.S2V_AFTER_EMPTY_AD));
            // the answer under S2C: header and Unique Identifier 84 bytes of AD, nonce 16, the cookie field 108
            default -> tb.push("op", big(lane), java.math.BigInteger.ZERO, big(mac), big(ctr), big(base + 36), big(84), big(base + 87), big(16),
                    big(base + 91), big(108), big(base + 91), tag, big(org.ntsfab.ip.aes.AesSivOps.S2V_FULL));
        }
    }

    private static java.math.BigInteger big(long v) {
        return java.math.BigInteger.valueOf(v);
    }

    /** AES blocks of one AES-SIV operation (seal or open) with these associated-data lengths and plaintext length. */
    static long sivBlocks(int[] ad, int plain) {
        long b = 2;
        for (int a : ad) b += Math.max(1, (a + 15) / 16);
        long p = Math.max(1, (plain + 15) / 16);
        return b + p + (plain == 0 ? 0 : (plain + 15) / 16);
    }

    private static final Pattern FMAX = Pattern.compile("Max frequency for clock\\s+'([^']+)':\\s+([0-9.]+) MHz");

    /** Places and routes on an HX8K (ct256) when the top's ports fit its pins; returns the worst clock's Fmax. */
    static String fmaxIce40(Design d, Path work) {
        int pins = d.ports().stream().mapToInt(Design.Port::width).sum();
        if (pins > 200) return "n/a (" + pins + " pins > HX8K)";
        try {
            Tools.require("nextpnr-ice40");
            Path json = work.resolve(d.topName() + ".json");
            StringBuilder script = new StringBuilder();
            for (Path p : d.write(work.resolve("pnr-" + d.topName()))) script.append("read_verilog ").append(p).append("; ");
            script.append("synth_ice40 -top ").append(d.topName()).append(" -json ").append(json);
            Tools.run(List.of("yosys", "-q", "-p", script.toString()), true);
            String log;
            try {
                log = Tools.run(List.of("nextpnr-ice40", "--hx8k", "--package", "ct256", "--json", json.toString(),
                        "--pcf-allow-unconstrained", "--timing-allow-fail", "--freq", "100", "--seed", "1"), true);
            } catch (Tools.ToolException e) {
                return "n/a (place/route failed)";
            }
            Matcher m = FMAX.matcher(log);
            double worst = Double.MAX_VALUE;
            while (m.find()) worst = Math.min(worst, Double.parseDouble(m.group(2)));
            return worst == Double.MAX_VALUE ? "n/a" : String.format("%.1f MHz", worst);
        } catch (Exception e) {
            return "n/a (" + e.getMessage().lines().findFirst().orElse("") + ")";
        }
    }

}
