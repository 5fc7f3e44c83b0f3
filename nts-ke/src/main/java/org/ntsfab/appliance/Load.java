package org.ntsfab.appliance;

import org.ntsfab.ke.KeClient;
import org.ntsfab.ke.NtsKeServer;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.bouncycastle.tls.ProtocolVersion;
import org.ntsfab.model.traffic.FrameBuilder;
import org.ntsfab.model.traffic.NtsClient;

/**
 * A load generator for any NTS server (ours or chrony): NTS-KE handshakes per second from
 * {@code threads} parallel clients, then NTS-protected NTP requests per second from {@code threads}
 * UDP clients with a window of outstanding requests each. Every 64th answer is verified with the
 * S2C key. Runs on the same machine as the server, so both share its cores: say so with the numbers.
 */
public final class Load {
    private Load() {}

    public record Result(double handshakesPerSecond, long handshakeFailures, double requestsPerSecond, long lost, long badAnswers) {}

    public static Result run(String host, int kePort, int ntpPort, int seconds, int threads) throws Exception {
        AtomicLong ok = new AtomicLong(), failed = new AtomicLong();
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        List<Thread> ts = new ArrayList<>();
        byte[] req = KeClient.request(15);
        // one handshake first: a server that is not there is one line, not a run of failures
        try {
            KeClient.exchange(host, kePort, req, NtsKeServer.ALPN, ProtocolVersion.TLSv13.only());
        } catch (IOException e) {
            String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage().lines().findFirst().orElse("");
            throw new IOException("NTS-KE " + host + ":" + kePort + ": " + m.toLowerCase(java.util.Locale.ROOT), e);
        }
        long t0 = System.nanoTime();
        for (int i = 0; i < threads; i++) {
            Thread t = new Thread(() -> {
                while (System.nanoTime() < end) {
                    try {
                        KeClient.Result r = KeClient.exchange(host, kePort, req, NtsKeServer.ALPN, ProtocolVersion.TLSv13.only());
                        if (r.cookies().size() == 8) ok.incrementAndGet();
                        else failed.incrementAndGet();
                    } catch (IOException e) {
                        failed.incrementAndGet();
                    }
                }
            });
            t.start();
            ts.add(t);
        }
        for (Thread t : ts) t.join();
        double hs = ok.get() / ((System.nanoTime() - t0) / 1e9);
        if (ntpPort < 0) return new Result(hs, failed.get(), 0, 0, 0);

        KeClient.Result session = KeClient.exchange(host, kePort, req, NtsKeServer.ALPN, ProtocolVersion.TLSv13.only());
        byte[] cookie = session.cookies().get(0);
        AtomicLong answers = new AtomicLong(), lost = new AtomicLong(), bad = new AtomicLong();
        long end2 = System.nanoTime() + seconds * 1_000_000_000L;
        ts.clear();
        long t1 = System.nanoTime();
        for (int i = 0; i < threads; i++) {
            Thread t = new Thread(() -> {
                SecureRandom rnd = new SecureRandom();
                byte[] uid = new byte[32];
                rnd.nextBytes(uid);
                byte[] nonce = new byte[16];
                byte[] request = NtsClient.request(FrameBuilder.ntpRequest(4, 3, rnd.nextLong()), uid, cookie, 0, session.c2s(), nonce, new byte[0]);
                try (DatagramSocket s = new DatagramSocket()) {
                    s.connect(new InetSocketAddress(host, ntpPort));
                    s.setSoTimeout(500);
                    byte[] buf = new byte[2048];
                    int window = 16;
                    long n = 0;
                    while (System.nanoTime() < end2) {
                        for (int w = 0; w < window; w++) s.send(new DatagramPacket(request, request.length));
                        for (int w = 0; w < window; w++) {
                            DatagramPacket p = new DatagramPacket(buf, buf.length);
                            try {
                                s.receive(p);
                            } catch (SocketTimeoutException e) {
                                lost.addAndGet(window - w);
                                break;
                            }
                            answers.incrementAndGet();
                            if (n++ % 64 == 0) {
                                byte[] a = java.util.Arrays.copyOf(p.getData(), p.getLength());
                                if (NtsClient.verify(a, uid, session.s2c()).isEmpty()) bad.incrementAndGet();
                            }
                        }
                    }
                } catch (IOException e) {
                    bad.incrementAndGet();
                }
            });
            t.start();
            ts.add(t);
        }
        for (Thread t : ts) t.join();
        double rps = answers.get() / ((System.nanoTime() - t1) / 1e9);
        return new Result(hs, failed.get(), rps, lost.get(), bad.get());
    }
}
