package org.ntsfab.cli;

import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.ntsfab.appliance.ModelBackend;
import org.ntsfab.appliance.NtpBackend;
import org.ntsfab.appliance.Serve;
import org.ntsfab.sim.SimBackend;

/** {@code ntsfab serve}: the software appliance. */
final class ServeVerb implements Verb {
    static final Option<String> BACKEND = Option.value("--backend", ValueType.oneOf("model|sim", List.of("model", "sim")), "model",
            "who answers NTP/NTS: the reference model, or the simulated RTL checked against the model");
    static final Option<Path> CONFIG = Option.required("--config", ValueType.PATH, "the responder configuration (TOML)");
    static final Option<InetSocketAddress> NTP = Option.required("--ntp", ValueType.ADDRESS, "UDP address to answer NTP/NTS on").as("ADDR:PORT");
    static final Option<InetSocketAddress> KE = Option.required("--ke", ValueType.ADDRESS, "TCP address of the NTS-KE server (TLS 1.3)").as("ADDR:PORT");
    static final Option<Path> CERT = Option.required("--cert", ValueType.PATH, "the TLS certificate chain (PEM)");
    static final Option<Path> KEY = Option.required("--key", ValueType.PATH, "the TLS private key (PEM)");
    static final Option<Path> KEYS = Option.value("--keys", ValueType.PATH, "ntsfab-keys.toml", "the NTS master key file: ours (TOML, created when missing) or chrony's ntsdumpdir/ntskeys as it is");
    static final Option<Duration> ROTATE = Option.value("--rotate", ValueType.DURATION, null, "rotate the master key this often (default: never); with chrony's key file: re-read it this often");
    static final Option<Duration> RETAIN = Option.value("--retain", ValueType.DURATION, "86400", "keep retired master keys this long");
    static final Option<Path> PCAP = Option.value("--pcap", ValueType.PATH, null, "--backend sim: record the simulated port's frames");
    static final Option<Boolean> NO_CHECK = Option.flag("--no-check", "--backend sim: do not compare the RTL's answers with the model");
    static final Option<Long> CYCLE_NS = Option.value("--cycle-ns", ValueType.longInteger(0), "0",
            "--backend sim: wall-clock nanoseconds per simulated cycle (0: as fast as it runs)").as("N");

    @Override
    public Spec spec() {
        return new Spec("serve", "the software appliance: NTP/NTS answered by the model or the simulated RTL, NTS-KE beside it", """
                Serves NTP and NTS on --ntp and NTS-KE on --ke until stopped. --backend model answers with the reference
                model; --backend sim answers with ntsfab_top simulated by Verilator, each answer checked against the model.
                Counters are printed on stderr on exit and on SIGUSR1.""",
                List.of(BACKEND, CONFIG, NTP, KE, CERT, KEY, KEYS, ROTATE, RETAIN, PCAP, NO_CHECK, CYCLE_NS), null);
    }

    @Override
    public int run(Args a, Io io) throws Exception {
        boolean sim = a.get(BACKEND).equals("sim");
        for (Option<?> o : List.of(PCAP, NO_CHECK, CYCLE_NS)) Args.check(sim || !a.given(o), o.name() + " applies to --backend sim");
        Inputs.outputFile(KEYS.name(), a.get(KEYS));
        Inputs.outputFile(PCAP.name(), a.get(PCAP));
        NtpBackend.Factory factory;
        if (sim) {
            SimBackend.Options o = new SimBackend.Options(!a.on(NO_CHECK), a.get(PCAP), a.get(CYCLE_NS));
            factory = (cfg, keys) -> new SimBackend(cfg, keys, o);
        } else {
            factory = ModelBackend::new;
        }
        Serve s = new Serve(Inputs.config(a.get(CONFIG)), a.get(NTP), a.get(KE), a.get(CERT), a.get(KEY), a.get(KEYS), a.get(ROTATE),
                a.get(RETAIN), factory);
        PrintStream err = io.err();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> print("exit", s.counters(), err)));
        try {
            sun.misc.Signal.handle(new sun.misc.Signal("USR1"), sig -> print("signal", s.counters(), err));
        } catch (IllegalArgumentException e) {
            err.println("serve: SIGUSR1 not available; counters on exit only");
        }
        Thread.currentThread().join(); // until stopped
        return Exit.OK;
    }

    private static void print(String why, Map<String, Long> counters, PrintStream err) {
        StringBuilder sb = new StringBuilder("serve counters (" + why + "):");
        counters.forEach((k, v) -> sb.append(' ').append(k).append('=').append(v));
        err.println(sb);
    }
}
