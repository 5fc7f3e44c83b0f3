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
    static final Option<Path> IN = Option.required("--in", ValueType.PATH, "the requests (classic pcap, Ethernet)").as("REQ.pcap");
    static final Option<Path> OUT = Option.required("--out", ValueType.PATH, "where the transmitted frames go (pcap)").as("RESP.pcap");
    static final Option<Path> HOST = Option.value("--host", ValueType.PATH, null, "where the frames passed to the host go (pcap)").as("HOST.pcap");
    static final Option<Boolean> CHECK = Option.flag("--check", "compare every frame and counter with the reference model");
    static final Option<Boolean> LINE_RATE = Option.flag("--line-rate", "frames enter at their capture times (default: back to back)");
    static final Option<Path> VCD = Option.value("--vcd", ValueType.PATH, null, "a waveform window per mismatch (first 5) in DIR").as("DIR");
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
                the handshakes. Prints the counters, the check's mismatches (first 20) and the simulation speed.""",
                List.of(CONFIG, IN, OUT, HOST, CHECK, LINE_RATE, VCD, SEED, RX_OFFER, TX_READY, HOST_READY, RX_ERROR, ROTATE_KEY_AT),
                "the RTL differs from the model (--check)");
    }

    @Override
    public int run(Args a, Io io) throws Exception {
        Args.check(a.on(CHECK) || !a.given(VCD), "--vcd needs --check (the waveform windows are around the differences it finds)");
        ConfigFile cfg = Inputs.config(a.get(CONFIG));
        List<Pcap.Record> in = Inputs.capture(a.get(IN));
        boolean check = a.on(CHECK);
        TopSim.Options o = new TopSim.Options(a.on(LINE_RATE), a.get(RX_OFFER), a.get(TX_READY), a.get(HOST_READY), a.get(RX_ERROR),
                a.get(SEED), a.get(VCD), check, a.get(ROTATE_KEY_AT));
        TopSim.Report r = TopSim.run(cfg, in, o, List.of());
        write(cfg, in, r, a.get(OUT), a.get(HOST));
        summary(cfg, r, check, io.out());
        return check && !r.ok() ? Exit.FAILED : Exit.OK;
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

    private static String trim(StringBuilder sb) {
        return sb.length() == 0 ? "" : "(" + sb.substring(1, sb.length() - 1) + ")";
    }
}
