package org.ntsfab.it;

import org.ntsfab.appliance.NtpBackend;
import org.ntsfab.appliance.ModelBackend;
import org.ntsfab.appliance.Serve;
import org.ntsfab.ke.SelfSigned;
import org.ntsfab.sim.SimBackend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ntsfab.model.ConfigFile;
import org.ntsfab.model.nts.CookieCodec;
import org.ntsfab.model.nts.KeyFile;
import org.ntsfab.model.traffic.FrameBuilder;
import org.ntsfab.model.traffic.NtsClient;

/**
 * Cookies interchangeable with chrony's (spec §9.2), end to end: chronyd 4.3 is the NTS-KE server on 127.0.0.1 (its
 * keys in {@code ntsdumpdir/ntskeys}, {@code ntsntpserver} = our {@code serve} on 127.0.0.2, its {@code port} = ours,
 * so it sends both negotiation records); our {@code serve} is the NTP side only, reading chrony's key file as it is;
 * a chrony client gets its cookies from chronyd's NTS-KE and must authenticate and synchronise against our serve:
 * our NTP side opens chrony's cookies and chrony's client accepts the fresh cookies we seal under chrony's key.
 * The other way round, chronyd's own NTS server opens a cookie our model sealed. Every chronyd runs with -x -u root.
 */
class ChronyCookieInteropTest {
    static final String KE_HOST = "127.0.0.1", NTP_HOST = "127.0.0.2";

    static int freeUdpPort(String host) throws Exception {
        try (DatagramSocket s = new DatagramSocket(new InetSocketAddress(host, 0))) {
            return s.getLocalPort();
        }
    }

    static int freeTcpPort() throws Exception {
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /** chronyd as NTS-KE server (and, on KE_HOST:ntpPort, its own NTS server), keys dumped in {@code dir/dump}. */
    static Process startChronyKe(Path dir, int ntpPort, int kePort) throws Exception {
        Files.createDirectories(dir.resolve("dump"));
        Files.writeString(dir.resolve("ke.conf"), String.join("\n", "local stratum 1", "allow 127.0.0.0/8", "port " + ntpPort,
                "bindaddress " + KE_HOST, "ntsport " + kePort, "ntsserverkey " + dir.resolve("key.pem"), "ntsservercert " + dir.resolve("cert.pem"),
                "ntsdumpdir " + dir.resolve("dump"), "ntsntpserver " + NTP_HOST, "cmdport 0", "pidfile " + dir.resolve("ke.pid"), ""));
        Process p = new ProcessBuilder("chronyd", "-x", "-u", "root", "-d", "-f", dir.resolve("ke.conf").toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("ke.log").toFile()).start();
        Path keys = dir.resolve("dump/ntskeys");
        boolean up = Chrony.waitFor(() -> {
            if (!Files.exists(keys)) return null;
            try (java.net.Socket s = new java.net.Socket(KE_HOST, kePort)) {
                return true;
            } catch (java.io.IOException e) {
                return null;
            }
        }, 20) != null;
        assertTrue(up, "chronyd's NTS-KE server did not start or wrote no ntskeys:\n" + Files.readString(dir.resolve("ke.log")));
        return p;
    }

    @Test
    void chronyClientWithChronysCookiesSynchronizesToServeModel(@TempDir Path dir) throws Exception {
        run(dir, ModelBackend::new, "minpoll 0 maxpoll 0", 40);
    }

    @Test
    void chronyClientWithChronysCookiesSynchronizesToServeSim(@TempDir Path dir) throws Exception {
        SimBackend.Options o = new SimBackend.Options(true, null, 0);
        run(dir, (c, k) -> new SimBackend(c, k, o), "minpoll 2 maxpoll 2", 90);
    }

    void run(Path dir, NtpBackend.Factory backend, String poll, int seconds) throws Exception {
        Assumptions.assumeTrue(Chrony.available(), "chrony cannot be installed here (apt-get install chrony failed); interop not tested");
        SelfSigned.create(dir.resolve("cert.pem"), dir.resolve("key.pem"), "localhost", List.of("localhost"), List.of(KE_HOST));
        int ntpPort = freeUdpPort(NTP_HOST), kePort = freeTcpPort();
        Process ke = startChronyKe(dir, ntpPort, kePort);
        Process client = null;
        Path keys = dir.resolve("dump/ntskeys");
        try {
            KeyFile chronyKeys = KeyFile.load(keys);
            assertEquals(KeyFile.Format.CHRONY, chronyKeys.format());
            String keysBefore = Files.readString(keys);
            ConfigFile cfg = ConfigFile.load(Path.of("../configs/example.toml"));
            try (Serve serve = new Serve(cfg, new InetSocketAddress(NTP_HOST, ntpPort), new InetSocketAddress(NTP_HOST, 0), dir.resolve("cert.pem"),
                    dir.resolve("key.pem"), keys, null, Duration.ofHours(1), backend)) {
                assertEquals(chronyKeys.current(), serve.keys().current(), "serve took chrony's current key");
                Path sock = dir.resolve("client.sock");
                Files.writeString(dir.resolve("client.conf"), String.join("\n",
                        "server " + KE_HOST + " nts ntsport " + kePort + " iburst " + poll, "ntstrustedcerts " + dir.resolve("cert.pem"),
                        "nocerttimecheck 1", "port 0", "pidfile " + dir.resolve("client.pid"), "bindcmdaddress " + sock, "cmdport 0", ""));
                client = new ProcessBuilder("chronyd", "-x", "-u", "root", "-d", "-f", dir.resolve("client.conf").toString())
                        .redirectErrorStream(true).redirectOutput(dir.resolve("client.log").toFile()).start();
                String diag = "";
                String selected = Chrony.waitFor(() -> {
                    String src = Chrony.run("chronyc", "-h", sock.toString(), "-n", "-c", "sources").trim();
                    return src.startsWith("^,*,") ? src : null;
                }, seconds);
                // chrony's 8 cookies from its NTS-KE go first, one a request; from the 9th request on it uses the fresh
                // cookies our serve sealed under chrony's current key
                Chrony.waitFor(() -> serve.counters().getOrDefault("ntp.answer_nts", 0L) >= 10 ? 1L : null, seconds);
                String[] auth = Chrony.authdata(sock);
                String ntpdata = Chrony.run("chronyc", "-h", sock.toString(), "-n", "ntpdata");
                Map<String, Long> c = serve.counters();
                diag = "\nauthdata " + String.join(",", auth) + "\nntpdata\n" + ntpdata + "\nserve " + c + "\nclient log:\n"
                        + Files.readString(dir.resolve("client.log")) + "\nKE server log:\n" + Files.readString(dir.resolve("ke.log"));
                assertTrue(selected != null, "chrony never selected our serve: "
                        + Chrony.run("chronyc", "-h", sock.toString(), "-n", "sources") + diag);
                assertEquals("NTS", auth[1], "mode" + diag);
                assertEquals("15", auth[3], "AEAD 15" + diag);
                assertEquals("0", auth[7], "no NAKs" + diag);
                assertEquals("100", auth[9], "cookie length" + diag);
                assertTrue(ntpdata.contains("Remote address  : " + NTP_HOST + " (7F000002)"), "chrony took NTP from ntsntpserver" + diag);
                assertTrue(ntpdata.contains("Remote port     : " + ntpPort), "and the negotiated port" + diag);
                assertTrue(ntpdata.contains("Authenticated   : Yes"), diag);
                assertTrue(c.getOrDefault("ntp.answer_nts", 0L) >= 10, "NTS answers from serve, beyond chrony's own 8 cookies" + diag);
                assertEquals(0L, c.getOrDefault("ntp.answer_nts_nak_cookie", 0L), "chrony's cookies open in serve" + diag);
                assertEquals(0L, c.getOrDefault("nts_ke.handshake", 0L), "no NTS-KE with our own server: the cookies were chrony's" + diag);
                if (c.containsKey("check.mismatches")) assertEquals(0L, c.get("check.mismatches"), "RTL/model differences" + diag);
                // a rotation re-reads chrony's file (chronyd rotates it) and never writes it
                serve.rotate(Duration.ofHours(1));
                assertEquals(chronyKeys.current(), serve.keys().current(), "the same keys after re-reading chrony's file");
                assertEquals(keysBefore, Files.readString(keys), "chrony's key file untouched");
                System.out.println("chrony client authdata: " + String.join(",", auth));
                System.out.println("chrony client sources: " + selected);
                System.out.println("chrony client ntpdata:\n" + ntpdata.lines().filter(l -> l.startsWith("Remote") || l.startsWith("Offset")
                        || l.startsWith("Authenticated") || l.startsWith("Stratum") || l.startsWith("Total")).reduce("", (x, y) -> x + y + "\n"));
                System.out.println("serve counters: " + c);
            }
            chronyOpensACookieOurModelSealed(KeyFile.load(keys), ntpPort);
        } finally {
            for (Process p : Arrays.asList(client, ke)) {
                if (p == null) continue;
                p.destroy();
                p.waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    /** The other direction: chronyd's NTS server (KE_HOST:ntpPort) answers a request carrying a cookie our model sealed under its key. */
    static void chronyOpensACookieOurModelSealed(KeyFile chronyKeys, int ntpPort) throws Exception {
        SecureRandom rnd = new SecureRandom();
        byte[] c2s = new byte[32], s2c = new byte[32], nonce = new byte[16], uid = new byte[32];
        rnd.nextBytes(c2s);
        rnd.nextBytes(s2c);
        rnd.nextBytes(nonce);
        rnd.nextBytes(uid);
        byte[] cookie = new CookieCodec(chronyKeys.masterKeys()).seal(new CookieCodec.Keys(15, c2s, s2c), nonce);
        byte[] request = NtsClient.request(FrameBuilder.ntpRequest(4, 3, 0x0102030405060708L), uid, cookie, 1, c2s, new byte[16], new byte[0]);
        byte[] answer = null;
        try (DatagramSocket s = new DatagramSocket()) {
            s.setSoTimeout(1000);
            for (int attempt = 0; attempt < 10 && answer == null; attempt++) {
                s.send(new DatagramPacket(request, request.length, new InetSocketAddress(KE_HOST, ntpPort)));
                DatagramPacket p = new DatagramPacket(new byte[2048], 2048);
                try {
                    s.receive(p);
                    answer = Arrays.copyOf(p.getData(), p.getLength());
                } catch (java.net.SocketTimeoutException e) {
                    Thread.sleep(300);
                }
            }
        }
        assertTrue(answer != null, "chronyd's NTS server did not answer our cookie");
        assertTrue(!(answer[1] == 0 && answer[12] == 'N' && answer[13] == 'T' && answer[14] == 'S' && answer[15] == 'N'), "chronyd NAKed our cookie");
        NtsClient.Verified v = NtsClient.verify(answer, uid, s2c).orElseThrow(() -> new AssertionError("chronyd's answer did not verify under our S2C"));
        assertEquals(2, v.cookies().size(), "1 + 1 placeholder fresh cookies");
        System.out.println("chronyd's NTS server answered a cookie sealed by our model: authenticated, " + v.cookies().size() + " fresh cookies");
    }
}
