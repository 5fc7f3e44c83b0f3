package org.ntsfab.cli;

import java.net.InetSocketAddress;
import java.util.List;
import org.ntsfab.appliance.Load;

/** {@code ntsfab load}: NTS-KE handshakes/s and NTS NTP requests/s of a server. */
final class LoadVerb implements Verb {
    static final Option<InetSocketAddress> KE = Option.required("--ke", ValueType.PEER, "the server's NTS-KE address");
    static final Option<InetSocketAddress> NTP = Option.value("--ntp", ValueType.PEER, null,
            "also send NTS NTP requests to this port (the host is --ke's)");
    static final Option<Integer> SECONDS = Option.value("--seconds", ValueType.integer(1), "10", "how long each thread runs").as("S");
    static final Option<Integer> THREADS = Option.value("--threads", ValueType.integer(1), "4", "concurrent TLS clients").as("T");

    @Override
    public Spec spec() {
        return new Spec("load", "measure NTS-KE handshakes/s and NTS NTP requests/s of a server", """
                Runs T clients for S seconds each against a server: NTS-KE handshakes (TLS 1.3) and, with --ntp, NTS NTP
                requests with the cookies they got, each answer verified. Prints the rates, failures and losses.""",
                List.of(KE, NTP, SECONDS, THREADS), null);
    }

    @Override
    public int run(Args a, Io io) throws Exception {
        InetSocketAddress ke = a.get(KE);
        InetSocketAddress ntp = a.get(NTP);
        int seconds = a.get(SECONDS), threads = a.get(THREADS);
        Load.Result r = Load.run(ke.getHostString(), ke.getPort(), ntp == null ? -1 : ntp.getPort(), seconds, threads);
        if (r.handshakesPerSecond() == 0) {
            io.err().println("ntsfab load: no NTS-KE handshake succeeded (" + r.handshakeFailures() + " failed)");
            return Exit.FAILED;
        }
        io.out().printf("NTS-KE: %.0f handshakes/s (%d failed); NTS NTP: %.0f requests/s answered (%d lost, %d failed verification); %d threads, %d s each%n",
                r.handshakesPerSecond(), r.handshakeFailures(), r.requestsPerSecond(), r.lost(), r.badAnswers(), threads, seconds);
        return Exit.OK;
    }
}
