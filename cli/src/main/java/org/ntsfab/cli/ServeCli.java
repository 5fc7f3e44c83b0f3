package org.ntsfab.cli;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.ntsfab.appliance.Load;
import org.ntsfab.appliance.ModelBackend;
import org.ntsfab.appliance.NtpBackend;
import org.ntsfab.appliance.Serve;
import org.ntsfab.model.ConfigFile;
import org.ntsfab.sim.SimBackend;

/** {@code ntsfab serve} (the software appliance) and {@code ntsfab load}. */
final class ServeCli {
    private ServeCli() {}

    static InetSocketAddress addr(String s) {
        int i = s.lastIndexOf(':');
        if (i < 0) throw new IllegalArgumentException("address needs HOST:PORT, got " + s);
        String host = s.substring(0, i).replace("[", "").replace("]", "");
        return new InetSocketAddress(host, Integer.parseInt(s.substring(i + 1)));
    }

    private static String req(List<String> a, String name) {
        String v = Main.option(a, name, null);
        if (v == null) throw new IllegalArgumentException(name + " is required");
        return v;
    }

    static int serve(List<String> a) throws Exception {
        String backend = Main.option(a, "--backend", "model");
        NtpBackend.Factory factory = switch (backend) {
            case "model" -> ModelBackend::new;
            case "sim" -> {
                String pcap = Main.option(a, "--pcap", null);
                SimBackend.Options o = new SimBackend.Options(!a.contains("--no-check"), pcap == null ? null : Path.of(pcap),
                        Long.parseLong(Main.option(a, "--cycle-ns", "0")));
                yield (cfg, keys) -> new SimBackend(cfg, keys, o);
            }
            default -> throw new IllegalArgumentException("--backend model|sim, not " + backend);
        };
        String rotate = Main.option(a, "--rotate", null);
        Serve s = new Serve(ConfigFile.load(Path.of(req(a, "--config"))), addr(req(a, "--ntp")), addr(req(a, "--ke")),
                Path.of(req(a, "--cert")), Path.of(req(a, "--key")), Path.of(Main.option(a, "--keys", "ntsfab-keys.toml")),
                rotate == null ? null : Duration.ofSeconds(Long.parseLong(rotate)),
                Duration.ofSeconds(Long.parseLong(Main.option(a, "--retain", "86400"))), factory);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> print("exit", s.counters())));
        try {
            sun.misc.Signal.handle(new sun.misc.Signal("USR1"), sig -> print("signal", s.counters()));
        } catch (IllegalArgumentException e) {
            System.err.println("serve: SIGUSR1 not available; counters on exit only");
        }
        Thread.currentThread().join(); // until stopped
        return 0;
    }

    private static void print(String why, Map<String, Long> counters) {
        StringBuilder sb = new StringBuilder("serve counters (" + why + "):");
        counters.forEach((k, v) -> sb.append(' ').append(k).append('=').append(v));
        System.err.println(sb);
    }

    static int load(List<String> a) throws Exception {
        InetSocketAddress ke = addr(req(a, "--ke"));
        String ntp = Main.option(a, "--ntp", null);
        int seconds = Integer.parseInt(Main.option(a, "--seconds", "10"));
        int threads = Integer.parseInt(Main.option(a, "--threads", "4"));
        Load.Result r = Load.run(ke.getHostString(), ke.getPort(), ntp == null ? -1 : addr(ntp).getPort(), seconds, threads);
        System.out.printf("NTS-KE: %.0f handshakes/s (%d failed); NTS NTP: %.0f requests/s answered (%d lost, %d failed verification); %d threads, %d s each%n",
                r.handshakesPerSecond(), r.handshakeFailures(), r.requestsPerSecond(), r.lost(), r.badAnswers(), threads, seconds);
        return 0;
    }
}
