package org.ntsfab.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.ntsfab.model.ConfigFile;
import org.ntsfab.model.Outcome;
import org.ntsfab.model.pcap.Pcap;
import org.ntsfab.responder.regs.ResponderRegisters;
import org.ntsfab.sim.TopSim;

/** {@code ntsfab sim}: a capture through the simulated RTL (ntsfab_top under Verilator), optionally checked against the model. */
final class SimVerb implements Verb {
    static final Option<Path> CONFIG = Option.required("--config", ValueType.PATH, "the responder configuration (TOML)");
    static final Option<Path> IN = Option.required("--in", ValueType.PATH, "the requests (pcap or pcapng; Ethernet or Linux cooked)").as("REQ.pcap");
    static final Option<Path> OUT = Option.required("--out", ValueType.PATH, "where the transmitted frames go (nanosecond pcap)").as("RESP.pcap");
    static final Option<Path> HOST = Option.value("--host", ValueType.PATH, null, "where the frames passed to the host go (pcap)").as("HOST.pcap");
    static final Option<Boolean> CHECK = Option.flag("--check", "compare every frame and counter with the reference model");
    static final Option<Boolean> LINE_RATE = Option.flag("--line-rate", "frames enter back to back at the port's line rate, each after the one before plus 24 bytes of FCS, preamble and gap (default: at their capture times, never closer than that)");
    static final Option<Path> VCD = Option.value("--vcd", ValueType.PATH, null,
            "waveforms go to DIR: with --check one around each of the first " + TopSim.WAVEFORMS
                    + " frames that differ (diff-frameN-cycles-FROM-TO.vcd)")
            .as("DIR");
    /**
     * The longest window: a waveform of ntsfab_top under light traffic takes about 1.7 kB a cycle (350 kB for 116 cycles,
     * 520 kB for 212), so 100 000 cycles (0.64 ms at 156.25 MHz) about 0.2 GB.
     */
    static final long MAX_WINDOW = 100_000;
    static final ValueType<TopSim.Window> WINDOW_TYPE = new ValueType<>("FROM:TO, two cycle numbers with 0 <= FROM < TO", "FROM:TO", (s, d) -> {
        int colon = s.indexOf(':');
        long from = Long.parseLong(s.substring(0, colon).trim()), to = Long.parseLong(s.substring(colon + 1).trim());
        return from >= 0 && from < to ? new TopSim.Window(from, to) : null;
    });
    static final Option<TopSim.Window> VCD_WINDOW = Option.value("--vcd-window", WINDOW_TYPE, null,
            "also the waveform of cycles FROM..TO of any run (window-cycles-FROM-TO.vcd), numbered as the messages number them; "
                    + "needs --vcd; at most " + MAX_WINDOW + " cycles");
    static final Option<Long> SEED = Option.value("--seed", ValueType.longInteger(Long.MIN_VALUE), "1", "seed of the random stalls").as("S");
    static final Option<Double> RX_OFFER = Option.value("--rx-offer", ValueType.PROBABILITY, "1.0", "chance a receive beat is offered in a cycle");
    static final Option<Double> TX_READY = Option.value("--tx-ready", ValueType.PROBABILITY, "1.0", "chance the transmit port is ready in a cycle");
    static final Option<Double> HOST_READY = Option.value("--host-ready", ValueType.PROBABILITY, "1.0", "chance the host port is ready in a cycle");
    static final Option<Double> RX_ERROR = Option.value("--rx-error", ValueType.PROBABILITY, "0", "chance a frame arrives with the receive error set");
    static final Option<Integer> ROTATE_KEY_AT = Option.value("--rotate-key-at", ValueType.integer(-1), "-1",
            "rotate the NTS master key once every frame before FRAME is answered (-1: never)").as("FRAME");

    @Override
    public Spec spec() {
        return new Spec("sim", "run a capture through the simulated RTL; --check compares it with the reference model", """
                Runs a capture through ntsfab_top for configuration C, simulated by Verilator (built on first use, cached in
                ~/.cache/ntsfab), and writes what it transmits (and passes to the host). --check compares every transmitted
                frame, host frame and counter with the reference model; the stall, error and key-rotation options exercise
                the handshakes. Prints the counters, the check's mismatches (first 20) and the simulation speed. Waveforms are
                VCD in picoseconds, replays of the run: cycle N (0: the first request's arrival) starts at N x the clock
                period ([clock] frequency_hz; 6.4 ns at 156.25 MHz), the time the output captures stamp after the first
                request's; a mismatch names its waveform's file, and --vcd says so when it writes none.""",
                List.of(CONFIG, IN, OUT, HOST, CHECK, LINE_RATE, VCD, VCD_WINDOW, SEED, RX_OFFER, TX_READY, HOST_READY, RX_ERROR, ROTATE_KEY_AT),
                "the RTL differs from the model (--check)");
    }

    @Override
    public int run(Args a, Io io) throws Exception {
        TopSim.Window window = a.get(VCD_WINDOW);
        Args.check(window == null || a.given(VCD), "--vcd-window needs --vcd DIR (where the waveform goes)");
        Args.check(a.on(CHECK) || !a.given(VCD) || window != null,
                "--vcd needs --check (waveforms around the differences it finds) or --vcd-window FROM:TO (a chosen window)");
        Args.check(window == null || window.cycles() <= MAX_WINDOW, "--vcd-window " + window(window) + ": " + (window == null ? 0 : window.cycles())
                + " cycles, at most " + MAX_WINDOW + " (a waveform of ntsfab_top is about 2 kB a cycle)");
        // every output before any work: the simulation takes long, and its results should not be lost to a typo
        Inputs.outputFile(OUT.name(), a.get(OUT));
        Inputs.outputFile(HOST.name(), a.get(HOST));
        Inputs.outputDir(VCD.name(), a.get(VCD));
        ConfigFile cfg = Inputs.config(a.get(CONFIG));
        List<Pcap.Record> in = Inputs.capture(a.get(IN), cfg, io.err(), "ntsfab sim: ");
        boolean check = a.on(CHECK);
        TopSim.Options o = new TopSim.Options(a.on(LINE_RATE), a.get(RX_OFFER), a.get(TX_READY), a.get(HOST_READY), a.get(RX_ERROR),
                a.get(SEED), a.get(VCD), check, a.get(ROTATE_KEY_AT));
        if (window != null) o = o.withVcdWindow(a.get(VCD), window);
        TopSim.Report r = TopSim.run(cfg, in, o, List.of());
        write(cfg, in, r, a.get(OUT), a.get(HOST));
        summary(cfg, r, check, io.out());
        String why = ntsOverloadNote(cfg, r, in, a.on(LINE_RATE));
        if (why != null) io.out().println(why);
        if (a.given(VCD)) waveforms(cfg, r, window, io.out());
        return check && !r.ok() ? Exit.FAILED : Exit.OK;
    }

    private static String window(TopSim.Window w) {
        return w == null ? "" : w.from() + ":" + w.to();
    }

    /** What the run's waveforms are: the chosen window's file (those around differences are named in their messages), or why none. */
    static void waveforms(ConfigFile cfg, TopSim.Report r, TopSim.Window asked, PrintStream out) {
        double ns = 1e9 / cfg.frequencyHz();
        for (TopSim.Waveform w : r.waveforms())
            if (w.difference() == null)
                out.printf(Locale.ROOT, "waveform: cycles %d..%d (%.3f ns a cycle, cycle %d at %d ps): %s%n", w.cycles().from(), w.cycles().to(), ns,
                        w.cycles().from(), Math.round(w.cycles().from() * ns * 1e3), w.file());
        if (r.windowNote() != null) out.println("waveform: " + r.windowNote());
        if (!r.waveforms().isEmpty() || asked != null) return;
        out.println(r.ok() ? "sim: no differences, no waveform written (--vcd-window FROM:TO dumps a chosen window)"
                : "sim: no waveform written: no transmitted or host frame differs, only counters or totals (--vcd-window FROM:TO dumps a chosen window)");
    }

    /** The transmitted (and host) frames as captures, each stamped with its first beat's cycle after the first request's time. */
    static void write(ConfigFile cfg, List<Pcap.Record> in, TopSim.Report r, Path out, Path host) throws Exception {
        Instant t0 = in.isEmpty() ? Instant.EPOCH : in.get(0).time();
        double hz = cfg.frequencyHz();
        List<Pcap.Record> tx = new ArrayList<>();
        for (TopSim.OutFrame f : r.tx()) tx.add(new Pcap.Record(t0.plusNanos(Math.round(f.cycle() * 1e9 / hz)), f.frame()));
        Pcap.write(out, tx);
        if (host != null) {
            List<Pcap.Record> h = new ArrayList<>();
            for (TopSim.OutFrame f : r.hostRx()) h.add(new Pcap.Record(t0.plusNanos(Math.round(f.cycle() * 1e9 / hz)), f.frame()));
            Pcap.write(host, h);
        }
    }

    static void summary(ConfigFile cfg, TopSim.Report r, boolean checked, PrintStream out) {
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
        out.printf(Locale.ROOT, "frames in   %8d   (%d cycles = %.3f ms at %.2f MHz)%n", r.frames(), r.cycles(), simSeconds * 1e3, cfg.frequencyHz() / 1e6);
        out.printf(Locale.ROOT, "answered    %8d  %s%n", na, trim(answers));
        out.printf(Locale.ROOT, "to host     %8d  %s%n", nh, trim(host));
        out.printf(Locale.ROOT, "dropped     %8d  %s%n", nd, trim(drops));
        out.printf(Locale.ROOT, "transmitted %8d frames; fabric events: answer_overload %d, store_overflow %d, host_tx_oversize %d%n",
                c.get("count_tx_frames"), c.get("count_answer_overload"), c.get("count_store_overflow"), c.get("count_host_tx_oversize"));
        if (checked) {
            out.printf("check: %d mismatch(es) against the reference model (every transmitted frame, host frame and counter)%n", r.mismatches().size());
            for (String m : r.mismatches().subList(0, Math.min(20, r.mismatches().size()))) out.println("  MISMATCH " + m);
        } else {
            out.println("check: not requested (--check compares every frame and counter with the reference model)");
        }
        out.printf(Locale.ROOT, "simulation: %.1f s wall, %.0f frames/s, %.2f M cycles/s (Verilator, incl. build and model)%n", r.wallSeconds(),
                r.frames() / r.wallSeconds(), r.cycles() / r.wallSeconds() / 1e6);
    }

    /**
     * Why NTS requests were dropped as overload, in one plain line (null when none were): how fast they came, how many
     * the configuration's cores answered, and what would answer them all. Each core holds a request's context for its
     * hold (spec 9.7), so a capture sent faster than the cores' contexts turn over loses the rest, counted, and nothing else.
     */
    static String ntsOverloadNote(ConfigFile cfg, TopSim.Report r, List<Pcap.Record> in, boolean lineRate) {
        Map<String, Long> c = r.rtlCounters();
        long overload = c.get(ResponderRegisters.counterName("DROP_NTS_OVERLOAD"));
        if (overload == 0) return null;
        long taken = 0;
        for (String o : List.of("ANSWER_NTS", "ANSWER_NTS_NAK_COOKIE", "ANSWER_NTS_NAK_AUTH", "DROP_NTS_MALFORMED"))
            taken += c.get(ResponderRegisters.counterName(o));
        long bound = taken + overload;
        var cap = cfg.ntsCapacity();
        double perCore = cap.contexts() * cfg.frequencyHz() / cap.holdCycles();
        String rate = "";
        if (!lineRate && in.size() > 1) {
            java.time.Duration span = java.time.Duration.between(in.get(0).time(), in.get(in.size() - 1).time());
            double secs = span.getSeconds() + span.getNano() / 1e9;
            if (secs > 0) rate = String.format(Locale.ROOT, " at %.0f/s over the capture's %.3f ms, its own timing, while the core%s took %.0f/s",
                    bound / secs, secs * 1e3, cap.cores() == 1 ? "" : "s", taken / secs);
        }
        String held = cap.twoClasses()
                ? String.format(Locale.ROOT, "each context held %d cycles for a request of up to %d payload bytes (at most %.0f requests/s per core) and %d for"
                        + " the others (%.0f/s)", cap.shortHoldCycles(), cap.shortMaxBytes(), (double) cap.contexts() * cfg.frequencyHz() / cap.shortHoldCycles(),
                        cap.holdCycles(), perCore)
                : String.format(Locale.ROOT, "each context held %d cycles (at most %.0f requests/s per core", cap.holdCycles(), perCore) + ")";
        return String.format(Locale.ROOT, "NTS: %d of %d NTS requests (%.0f %%) dropped as drop_nts_overload: they came%s%s; this configuration has %d NTS"
                + " core%s of %d contexts, %s, fewer when %d payload bytes fill first%s."
                + " To answer them all: more cores ([nts] cores, up to 4), a shorter residence_cycles, or a capture at a lower NTS rate.",
                overload, bound, 100.0 * overload / bound, lineRate ? " at line rate" : "", rate, cap.cores(), cap.cores() == 1 ? "" : "s",
                cap.contexts(), held, cap.budgetBytes(),
                c.getOrDefault("count_answer_overload", 0L) + c.getOrDefault("count_store_overflow", 0L) == 0 ? " (nothing else was lost)" : "");
    }

    private static String trim(StringBuilder sb) {
        return sb.length() == 0 ? "" : "(" + sb.substring(1, sb.length() - 1) + ")";
    }
}
