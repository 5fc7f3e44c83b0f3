package org.ntsfab.cli;

import org.ntsfab.responder.top.ResponderDesigns;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.ntsfab.gen.LibraryTops;
import org.ntsfab.hdl.Design;
import org.ntsfab.flow.Gates;
import org.ntsfab.harness.SimOptions;
import org.ntsfab.harness.Testbench;
import org.ntsfab.flow.Tools;

/**
 * {@code ntsfab bench}: measured numbers, printed as tables. Synthesis: Yosys cell counts for
 * iCE40 and Xilinx 7-series, and for designs that fit an iCE40 HX8K's pins, nextpnr's Fmax.
 * Simulation: sustained beats per cycle with both sides always willing, first-in to first-out
 * latency in cycles, and Verilator's speed in simulated cycles per second of wall time.
 */
final class BenchVerb implements Verb {

    /** Every measured row, for the JSON copy ({@code --json FILE}, default build/bench.json). */
    private final List<java.util.Map<String, Object>> rows = new java.util.ArrayList<>();
    /** Where the tables go. */
    private java.io.PrintStream out;

    private void row(String table, Object... kv) {
        java.util.Map<String, Object> m = new java.util.LinkedHashMap<>();
        m.put("table", table);
        for (int i = 0; i < kv.length; i += 2) m.put((String) kv[i], kv[i + 1]);
        rows.add(m);
    }

    /** The boards table: each board's configuration through the flow this machine has (`ntsfab build --board`). */
    void boards(Path work) throws Exception {
        out.println("## Boards (`ntsfab build --board NAME`: the board's configuration, top-level and pins, through the flow available here)");
        out.println();
        out.println("| board | configuration | device | logic | block RAM | I/O | Fmax (routed) | required | state |");
        out.println("|---|---|---|---:|---:|---:|---:|---:|---|");
        for (org.ntsfab.flow.BoardFlow.Board b : org.ntsfab.flow.BoardFlow.boards()) {
            if (b.pins().isEmpty()) {
                out.printf("| %s | %s | %s | - | - | - | - | - | %s |%n", b.name(), b.config(), b.device(), b.status());
                row("boards", "board", b.name(), "config", b.config(), "state", b.status());
                continue;
            }
            org.ntsfab.flow.BoardFlow.Result r = org.ntsfab.flow.BoardFlow.build(b, work.resolve("board-" + b.name()));
            if (b.flow() == org.ntsfab.flow.BoardFlow.Flow.VIVADO) {
                out.printf("| %s | %s | %s | - | - | %d | - | %.2f MHz | %s; would run: %s |%n", b.name(), b.config(), b.device(), r.ios(),
                        r.requiredMhz(), r.state(), String.join("; ", r.notRun()));
                row("boards", "board", b.name(), "config", b.config(), "state", r.state());
                continue;
            }
            out.printf("| %s | %s | %s-%s | %d / %d%s | %d / %d | %d | %s | %.2f MHz | %s |%n", b.name(), b.config(), b.device(), b.pkg(),
                    r.lcs(), r.lcCapacity(), r.ffs() > 0 ? " LUT4, " + r.ffs() + " FF" : "", r.rams(), r.ramCapacity(), r.ios(),
                    r.fmaxMhz() > 0 ? String.format(java.util.Locale.ROOT, "%.2f MHz", r.fmaxMhz()) : "not routed here", r.requiredMhz(),
                    r.state());
            row("boards", "board", b.name(), "config", b.config(), "logic_cells", r.lcs(), "logic_cell_capacity", r.lcCapacity(), "brams", r.rams(),
                    "ios", r.ios(), "fmax_mhz", r.fmaxMhz(), "required_mhz", r.requiredMhz());
        }
    }

    /**
     * The cross-checked simulation against the model alone on one mixed corpus ({@code traffic --count N --seed 7},
     * capture timing): what {@code sim --check} costs beyond {@code model}, and the simulator's speed with everything
     * included.
     */
    private void simSpeed(int frames) throws Exception {
        out.println();
        out.println("### Simulation speed: `sim --check` against `model` alone (configs/example.toml, `traffic --count " + frames + " --seed 7`)");
        out.println();
        org.ntsfab.model.ConfigFile cfg = org.ntsfab.model.ConfigFile.load(Path.of("configs/example.toml"));
        List<org.ntsfab.model.pcap.Pcap.Record> corpus = new org.ntsfab.model.traffic.TrafficGenerator(cfg, 7)
                .generate(frames, org.ntsfab.model.traffic.TrafficGenerator.DEFAULT_MIX, java.time.Instant.parse("2026-11-24T12:00:00Z"));
        org.ntsfab.sim.SimSpeed.measure(cfg, corpus, 1); // warm-up: the Verilator build and both JITs
        org.ntsfab.sim.SimSpeed.Result r = org.ntsfab.sim.SimSpeed.measure(cfg, corpus, 1);
        out.println("| frames | cycles | model alone (s) | sim --check (s) | ratio | M cycles/s (all included) | mismatches |");
        out.println("|---:|---:|---:|---:|---:|---:|---:|");
        out.printf(java.util.Locale.ROOT, "| %d | %d | %.2f | %.2f | %.1f | %.2f | %d |%n", r.frames(), r.cycles(), r.modelSeconds(), r.simSeconds(),
                r.ratio(), r.cyclesPerSecond() / 1e6, r.mismatches());
        row("sim_speed", "frames", r.frames(), "cycles", r.cycles(), "model_seconds", r.modelSeconds(), "sim_check_seconds", r.simSeconds(),
                "ratio", r.ratio(), "cycles_per_second", Math.round(r.cyclesPerSecond()), "mismatches", r.mismatches());
    }

    static final Option<Boolean> QUICK = Option.flag("--quick", "shorter runs, no place and route (Fmax '-')");
    static final Option<Boolean> BOARDS = Option.flag("--boards", "only the boards table");
    static final Option<Boolean> NTS_ONLY = Option.flag("--nts-only", "only the NTS throughput tables, for --engines");
    static final Option<List<Integer>> ENGINES = Option.value("--engines", ValueType.integers(1), "1", "--nts-only: NTS engine counts");
    static final Option<Boolean> NTS_AREA = Option.flag("--nts-area", "only the NTS area table (Yosys synth_xilinx, composed from parts)");
    static final Option<Boolean> SIM_SPEED = Option.flag("--sim-speed", "only the simulation speed table (sim --check against model alone)");
    static final Option<Path> JSON = Option.value("--json", ValueType.PATH, "build/bench.json", "the JSON copy of every row (full run)");

    @Override
    public Spec spec() {
        return new Spec("bench", "synthesis, boards and simulation tables (measured here)", """
                Measures and prints Markdown tables: synthesis of every library top (iCE40 and Xilinx LUT/FF/BRAM, iCE40 Fmax
                from nextpnr on an HX8K), the boards (per configuration: LUT/FF/BRAM, Fmax where routed), and simulation
                (beats/cycle, latency, Verilator speed; ntsfab_top NTP at line rate; NTS with 1, 4, 16 and 48 engines; the
                cross-checked simulation's time against the model's alone on one mixed corpus);
                writes the rows as JSON. --boards, --nts-only and --nts-area each print only their table.""",
                List.of(QUICK, BOARDS, NTS_ONLY, ENGINES, NTS_AREA, SIM_SPEED, JSON), null);
    }

    @Override
    public int run(Args a, Io io) throws Exception {
        out = io.out();
        boolean quick = a.on(QUICK);
        Args.check((a.on(BOARDS) ? 1 : 0) + (a.on(NTS_ONLY) ? 1 : 0) + (a.on(NTS_AREA) ? 1 : 0) + (a.on(SIM_SPEED) ? 1 : 0) <= 1,
                "--boards, --nts-only, --nts-area and --sim-speed are exclusive");
        Args.check(!a.given(ENGINES) || a.on(NTS_ONLY), "--engines applies to --nts-only");
        Args.check(!a.given(JSON) || !(a.on(BOARDS) || a.on(NTS_ONLY) || a.on(NTS_AREA) || a.on(SIM_SPEED)), "--json applies to the full run");
        if (a.on(SIM_SPEED)) {
            simSpeed(quick ? 10_000 : 50_000);
            return 0;
        }
        if (a.on(BOARDS)) {
            boards(Files.createTempDirectory("ntsfab-bench"));
            return 0;
        }
        if (a.on(NTS_AREA)) {
            ntsArea(Files.createTempDirectory("ntsfab-bench"));
            return 0;
        }
        if (a.on(NTS_ONLY)) {
            for (int e : a.get(ENGINES)) nts(quick ? 600 : 3000, "configs/example.toml", e);
            return 0;
        }
        Path work = Files.createTempDirectory("ntsfab-bench");
        out.println("## Synthesis (Yosys " + Tools.version("yosys").replace("Yosys ", "") + ")");
        out.println();
        out.println("| top | iCE40 LUT4 | iCE40 FF | iCE40 BRAM | iCE40 carry | iCE40 Fmax (HX8K, nextpnr) | Xilinx LUT | Xilinx FF | Xilinx BRAM | Xilinx LUTRAM |");
        out.println("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        for (String name : LibraryTops.all().keySet()) {
            if (name.startsWith("fpga_core_")) continue; // board cores: the boards table below, through their board flows
            Design d = LibraryTops.elaborate(name);
            Gates.Utilization ice = Gates.synthesize(d, work, Gates.Target.ICE40);
            Gates.Utilization xil = Gates.synthesize(d, work, Gates.Target.XILINX);
            String fmax = quick ? "-" : ice.luts() > 7680 || ice.brams() > 32
                    ? "n/a (does not fit an HX8K: " + ice.luts() + " / 7680 LUT4, " + ice.brams() + " / 32 BRAM)" : fmaxIce40(d, work);
            out.printf("| %s | %d | %d | %d | %d | %s | %d | %d | %d | %d |%n", name, ice.luts(), ice.ffs(), ice.brams(),
                    ice.carries(), fmax, xil.luts(), xil.ffs(), xil.brams(), xil.lutRams());
            row("synthesis", "top", name, "ice40_lut4", ice.luts(), "ice40_ff", ice.ffs(), "ice40_bram", ice.brams(), "ice40_carry",
                    ice.carries(), "ice40_fmax", fmax, "xilinx_lut", xil.luts(), "xilinx_ff", xil.ffs(), "xilinx_bram", xil.brams(),
                    "xilinx_lutram", xil.lutRams());
        }
        out.println();
        boards(work);
        out.println();
        out.println("The 10GbE NTS configuration (configs/10g-nts.toml, 48 engines) is too large for Yosys here in one piece: "
                + "`ntsfab bench --nts-area` composes it from synthesized parts.");
        out.println();
        out.println("## Simulation (Verilator " + Tools.version("verilator").replace("Verilator ", "") + ", -O3, single thread)");
        out.println();
        out.println("| top | beats/cycle (full rate) | latency (cycles) | sim speed (cycles/s) |");
        out.println("|---|---:|---:|---:|");
        int n = quick ? 20_000 : 200_000;
        for (String name : List.of("axis_skid_buffer_64", "axis_forward_stage_64", "axis_backward_stage_64", "axis_fifo_64_d16",
                "axis_fifo_64_d512", "axis_realign_64", "eth_fcs_64", "ones_complement_sum_64")) {
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
                List<Testbench.Beat> out = tb.beats(flow ? "res" : "out");
                String rate, latency;
                if (flow) {
                    // one result per frame, one cycle after the last beat: n beats took (result - start) cycles
                    long first = out.get(0).cycle();
                    rate = String.format("%.3f", (double) n / (first - c0));
                    // a one-beat frame offered at a known cycle, to time the result
                    tb.push("in", 1, 0xff, 1, 0);
                    long c1 = tb.cycle();
                    tb.run(16);
                    latency = Long.toString(out.get(1).cycle() - c1);
                } else {
                    long span = out.get(out.size() - 1).cycle() - out.get(0).cycle() + 1;
                    rate = String.format("%.3f", (double) out.size() / span);
                    latency = Long.toString(out.get(0).cycle() - c0);
                }
                this.out.printf("| %s | %s | %s | %.2e |%n", name, rate, latency, cycles / secs);
                row("simulation", "top", name, "beats_per_cycle", Double.parseDouble(rate), "latency_cycles", Long.parseLong(latency),
                        "sim_cycles_per_second", Math.round(cycles / secs));
            }
        }
        out.println();
        out.println("Latency: cycles from the first beat offered to the first beat out (for FCS and checksum: from the frame's last beat to its result).");
        ntpFastPath(quick ? 2000 : 20000, "configs/example.toml");
        ntpFastPath(quick ? 500 : 5000, "configs/gige.toml");
        for (int e : new int[] {1, 4, 16, 48}) nts(quick ? 600 : 3000, "configs/example.toml", e);
        out.println("Line rate at 156.25 MHz on a 64-bit bus needs 1.000 beats/cycle.");
        simSpeed(quick ? 10_000 : 50_000);
        Path json = a.get(JSON);
        if (json.getParent() != null) Files.createDirectories(json.getParent());
        java.util.Map<String, Object> doc = new java.util.LinkedHashMap<>();
        doc.put("date", java.time.Instant.now().toString());
        doc.put("yosys", Tools.version("yosys"));
        doc.put("verilator", Tools.version("verilator"));
        doc.put("quick", quick);
        doc.put("rows", rows);
        new com.fasterxml.jackson.databind.ObjectMapper().writerWithDefaultPrettyPrinter().writeValue(json.toFile(), doc);
        out.println();
        out.println("JSON copy: " + json);
        return 0;
    }

    /**
     * Back-to-back minimum-size NTP requests (IPv4 90 bytes, IPv6 110 bytes without FCS) into the
     * whole core ({@code ntsfab_top}, configured from its reset values = configs/example.toml) with
     * an always-ready transmit port: answers, drops, and latency from the request's last beat to
     * the answer's first beat (min = max means zero jitter).
     */
    void ntpFastPath(int n, String config) throws Exception {
        org.ntsfab.model.ConfigFile cfg = org.ntsfab.model.ConfigFile.load(Path.of(config));
        int bytes = cfg.busBytes();
        double mhz = cfg.frequencyHz() / 1e6;
        String port = bytes == 8 ? "10GbE" : "1GbE";
        Design d = ResponderDesigns.design(cfg);
        out.println();
        out.printf("## %s (%d-bit bus, %s): minimum-size NTP requests at %s line rate and back to back%n", d.topName(), 8 * bytes, config, port);
        out.println();
        out.printf("| family | arrival | requests | answers | dropped | cycles/request | Mpps at %.2f MHz | latency min..max (cycles) |%n", mhz);
        out.println("|---|---|---:|---:|---:|---:|---:|---:|");
        for (boolean v6 : new boolean[] {false, true}) for (boolean lineRate : new boolean[] {true, false}) {
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
                List<Integer> lastBeat = new java.util.ArrayList<>();
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
                List<Long> txStarts = new java.util.ArrayList<>();
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
                out.printf("| %s | %s | %d | %d | %d | %.2f | %.3f | %d..%d |%n", v6 ? "IPv6" : "IPv4",
                        lineRate ? port + " line rate" : "back to back", n, txStarts.size(), n - txStarts.size(), perReq, mhz / perReq, min, max);
                row("ntp_line_rate", "top", d.topName(), "bus_bits", 8 * bytes, "clock_mhz", mhz, "family", v6 ? "IPv6" : "IPv4",
                        "arrival", lineRate ? port + " line rate" : "back to back", "requests", n, "answers", txStarts.size(),
                        "dropped", n - txStarts.size(), "cycles_per_request", perReq, "mpps", mhz / perReq, "latency_min_cycles", min,
                        "latency_max_cycles", max);
            }
        }
        out.println();
        out.println(bytes == 8 ? "10GbE line rate for minimum-size NTP is 10.96 Mpps (IPv4) and 9.33 Mpps (IPv6) at 14.25 / 16.75 cycles per request."
                : "1GbE line rate for minimum-size NTP is 1.096 Mpps (IPv4) and 0.933 Mpps (IPv6) at 114 / 134 cycles per request; latency counts from the request's last byte to the answer's first.");
    }

    /**
     * NTS through the whole core: identical requests back to back at line rate, so the engine is always busy;
     * sustained answers = the spacing of consecutive answers' departures; latency from the request's first
     * beat to the answer's first beat; AES blocks per answer counted from the request's shape (RFC 5297: S2V
     * = 2 + one per 16-byte word of each component + the plaintext's words, CTR = the plaintext's words).
     */
    void nts(int n, String config, int engines) throws Exception {
        org.ntsfab.model.ConfigFile c0 = org.ntsfab.model.ConfigFile.load(Path.of(config));
        org.ntsfab.model.ConfigFile cfg = new org.ntsfab.model.ConfigFile(c0.mac(), c0.ipv4(), c0.ipv6(), c0.vlan(), c0.forwardUnmatched(),
                c0.ttl(), c0.icmpMaxPayload(), c0.stratum(), c0.refid(), c0.precision(), c0.rootDelay(), c0.rootDispersion(), c0.synced(),
                c0.frequencyHz(), c0.start(), c0.leap(), c0.leapEvent(), c0.answerLatencyCycles(), c0.ntsKeys(), c0.ntsCurrentKey(),
                c0.nonceSeed(), c0.maxPlaceholders(), c0.busBytes(), engines);
        var ntsCfg = ResponderDesigns.ntsConfig(cfg);
        double mhz = cfg.frequencyHz() / 1e6;
        out.println();
        out.printf("## ntsfab_top NTS (%s, %d engine(s), %s): identical requests at 10GbE line rate%n%n", config, engines,
                ntsCfg.sharedAes() ? (engines + 15) / 16 + " pair(s) of shared AES-128/AES-256 pipelines" : "iterative AES cores");
        out.printf("| request | line rate (cycles/request) | requests | answered | dropped (engines busy) | cycles/answer | answers/s at %.2f MHz | latency min..max (cycles) | AES blocks/answer |%n", mhz);
        out.println("|---|---:|---:|---:|---:|---:|---:|---:|---:|");
        var keys = new org.ntsfab.model.nts.MasterKeys(cfg.ntsKeys(), cfg.ntsCurrentKey());
        var codec = new org.ntsfab.model.nts.CookieCodec(keys);
        java.util.Random rnd = new java.util.Random(5);
        org.ntsfab.model.traffic.FrameBuilder.Endpoints e = new org.ntsfab.model.traffic.FrameBuilder.Endpoints(cfg.mac(),
                cfg.ipv4(), cfg.ipv6(), new byte[] {2, 0, 0, 0, 0, 1}, new byte[] {(byte) 198, 51, 100, 1},
                java.util.HexFormat.of().parseHex("20010db8000000000000000000000001"), -1);
        for (int[] kind : new int[][] {{15, 0}, {15, 7}, {17, 0}, {17, 5}}) {
            int aead = kind[0], ph = kind[1];
            var k = org.ntsfab.model.traffic.NtsClient.keys(rnd, aead);
            byte[] cookie = codec.seal(k, new byte[16]);
            List<org.ntsfab.model.pcap.Pcap.Record> in = new java.util.ArrayList<>();
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
                // 10GbE: frame + FCS + preamble + inter-frame gap, 8 bytes per 156.25 MHz cycle
                period = (frame.length + 4 + 8 + 12) / 8.0;
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
            out.printf("| %s | %.2f | %d | %d | %d | %.0f | %.0f | %d..%d | %d |%n", what, period, n, t.size(),
                    r.modelCounters().getOrDefault(org.ntsfab.model.Outcome.DROP_NTS_OVERLOAD, 0L), per, cfg.frequencyHz() / per, min, max, blocks);
            row("nts", "engines", engines, "request", what, "line_rate_cycles_per_request", period, "requests", n, "answers", t.size(), "cycles_per_answer", per, "answers_per_s", cfg.frequencyHz() / per,
                    "latency_min_cycles", min, "latency_max_cycles", max, "aes_blocks_per_answer", blocks);
        }
        out.println();
        out.println("T3 is the clock " + ntsCfg.latency() + " cycles after the commit, the cycle the answer's first beat leaves (0 cycles of error in every cross-check).");
    }

    /**
     * What NTS costs on Xilinx 7-series (Yosys synth_xilinx): the parts synthesized alone, and configurations
     * composed from them (the NTS-free core is ntsfab_top minus its one iterative engine).
     */
    void ntsArea(Path work) throws Exception {
        var cfg = org.ntsfab.model.ConfigFile.load(Path.of("configs/example.toml"));
        org.ntsfab.responder.ResponderDefaults d = ResponderDesigns.defaults(cfg);
        Gates.Utilization top = Gates.synthesize(Design.elaborate(() -> new org.ntsfab.responder.top.NtsFabTop(d, 8)), work, Gates.Target.XILINX);
        Gates.Utilization iter = Gates.synthesize(Design.elaborate(() -> new org.ntsfab.responder.nts.NtsEngine(4096, false)), work, Gates.Target.XILINX);
        Gates.Utilization shared = Gates.synthesize(Design.elaborate(() -> new org.ntsfab.responder.nts.NtsEngine(4096, true)), work, Gates.Target.XILINX);
        Gates.Utilization a128 = Gates.synthesize(Design.elaborate(() -> new org.ntsfab.ip.aes.AesArbiter(16, 128, 1)), work, Gates.Target.XILINX);
        Gates.Utilization a256 = Gates.synthesize(Design.elaborate(() -> new org.ntsfab.ip.aes.AesArbiter(16, 256, 1)), work, Gates.Target.XILINX);
        out.println();
        out.println("## NTS area (Yosys synth_xilinx)");
        out.println();
        out.println("| part or configuration | LUT | FF | BRAM | LUTRAM |");
        out.println("|---|---:|---:|---:|---:|");
        String f = "| %s | %d | %d | %d | %d |%n";
        out.printf(f, "ntsfab_top, 1 iterative engine (synthesized)", top.luts(), top.ffs(), top.brams(), top.lutRams());
        out.printf(f, "nts_engine (iterative AES-128 + AES-256 inside)", iter.luts(), iter.ffs(), iter.brams(), iter.lutRams());
        out.printf(f, "nts_engine_x (AES outside)", shared.luts(), shared.ffs(), shared.brams(), shared.lutRams());
        out.printf(f, "AES-128 pipeline shared by 16 engines", a128.luts(), a128.ffs(), a128.brams(), a128.lutRams());
        out.printf(f, "AES-256 pipeline shared by 16 engines", a256.luts(), a256.ffs(), a256.brams(), a256.lutRams());
        int[] base = {top.luts() - iter.luts(), top.ffs() - iter.ffs(), top.brams() - iter.brams(), top.lutRams() - iter.lutRams()};
        for (int e : new int[] {16, 32, 48}) {
            int g = (e + 15) / 16;
            out.printf(f, "composed: core + " + e + " shared engines + " + g + " pipeline pair(s)",
                    base[0] + e * shared.luts() + g * (a128.luts() + a256.luts()), base[1] + e * shared.ffs() + g * (a128.ffs() + a256.ffs()),
                    base[2] + e * shared.brams() + g * (a128.brams() + a256.brams()), base[3] + e * shared.lutRams() + g * (a128.lutRams() + a256.lutRams()));
        }
        // Netnod's 40 engines give about 4.25 M minimal answers/s; one iterative engine of ours gives 143 k/s (bench), so 30 match it
        out.printf(f, "composed: core + 30 iterative engines (Netnod-equivalent throughput)", base[0] + 30 * iter.luts(), base[1] + 30 * iter.ffs(),
                base[2] + 30 * iter.brams(), base[3] + 30 * iter.lutRams());
        row("nts_area", "top_luts", top.luts(), "engine_iterative_luts", iter.luts(), "engine_shared_luts", shared.luts(),
                "aes128_shared_luts", a128.luts(), "aes256_shared_luts", a256.luts());
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
