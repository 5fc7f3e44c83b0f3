package org.ntsfab.it;

import org.ntsfab.appliance.Serve;
import org.ntsfab.ke.SelfSigned;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ntsfab.model.ConfigFile;

/**
 * chrony 4.3 (Debian) against the software appliance: as an NTS client it must finish NTS-KE, hold
 * 8 cookies of 100 bytes for AEAD 15, get authenticated answers, and keep working across master-key
 * rotations; as a plain NTP client it must measure a sub-millisecond offset. chronyd runs with -x so
 * it never touches the system clock.
 */
class ChronyInteropTest {
    /** The appliance on loopback with a fresh self-signed certificate and key file in {@code dir}; skips without chrony. */
    static Serve startServe(Path dir) throws Exception {
        Assumptions.assumeTrue(Chrony.available(), "chrony cannot be installed here (apt-get install chrony failed); interop not tested");
        SelfSigned.create(dir.resolve("cert.pem"), dir.resolve("key.pem"), "localhost", List.of("localhost"), List.of("127.0.0.1"));
        ConfigFile cfg = ConfigFile.load(Path.of("../configs/example.toml"));
        return new Serve(cfg, new InetSocketAddress("127.0.0.1", 0), new InetSocketAddress("127.0.0.1", 0),
                dir.resolve("cert.pem"), dir.resolve("key.pem"), dir.resolve("keys.toml"), null, Duration.ofHours(1));
    }

    @Test
    void chronyNtsClientSynchronizesAndSurvivesKeyRotation(@TempDir Path dir) throws Exception {
        try (Serve serve = startServe(dir)) {
            Path sock = dir.resolve("chronyd.sock");
            Process chronyd = Chrony.startNtsClient(dir, serve.ntpPort(), serve.kePort(), dir.resolve("cert.pem"), "minpoll 0 maxpoll 0");
            try {
                String[] a = Chrony.waitFor(() -> {
                    String[] x = Chrony.authdata(sock);
                    return x.length >= 10 && Integer.parseInt(x[8]) == 8 ? x : null;
                }, 40);
                String log = Files.readString(dir.resolve("chronyd.log"));
                assertTrue(a != null, "chrony never held 8 cookies; authdata " + String.join(",", Chrony.authdata(sock)) + "\nchronyd log:\n" + log
                        + "\nserve counters " + serve.counters());
                assertEquals("NTS", a[1], "mode");
                assertEquals("15", a[3], "AEAD 15 (AES-SIV-CMAC-256)");
                assertEquals("100", a[9], "cookie length");
                long answered = Chrony.waitFor(() -> serve.counters().getOrDefault("ntp.answer_nts", 0L) >= 4 ? 1L : null, 30);
                assertEquals(1L, answered, "chrony's NTS requests answered: " + serve.counters());
                // chrony selects the appliance as its synchronisation source ('*' in the state column)
                String selected = Chrony.waitFor(() -> {
                    String src = Chrony.run("chronyc", "-h", sock.toString(), "-n", "-c", "sources").trim();
                    return src.startsWith("^,*,") ? src : null;
                }, 40);
                assertTrue(selected != null, "chrony never selected the source: " + Chrony.run("chronyc", "-h", sock.toString(), "-n", "sources"));
                String ntpdata = Chrony.run("chronyc", "-h", sock.toString(), "-n", "ntpdata");
                assertTrue(ntpdata.contains("Authenticated   : Yes"), ntpdata);
                // two master-key rotations while chrony keeps polling: older cookies still open, new ones use the new key
                long before = serve.counters().get("ntp.answer_nts");
                serve.rotate(Duration.ofHours(1));
                Thread.sleep(3000);
                serve.rotate(Duration.ofHours(1));
                Long more = Chrony.waitFor(() -> serve.counters().get("ntp.answer_nts") >= before + 6 ? 1L : null, 30);
                assertEquals(1L, more, "answers continue across rotations: " + serve.counters());
                String[] after = Chrony.authdata(sock);
                assertEquals("0", after[7], "no NAK after rotation: " + String.join(",", after));
                assertEquals(0L, serve.counters().getOrDefault("ntp.answer_nts_nak_cookie", 0L));
                System.out.println("chrony authdata: " + String.join(",", after));
                System.out.println("chrony ntpdata:\n" + ntpdata.lines().filter(l -> l.startsWith("Offset") || l.startsWith("Authenticated")
                        || l.startsWith("Stratum") || l.startsWith("Remote")).reduce("", (x, y) -> x + y + "\n"));
                System.out.println("serve counters: " + serve.counters());
            } finally {
                chronyd.destroy();
                chronyd.waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    @Test
    void plainNtpChronyMeasuresASubMillisecondOffset(@TempDir Path dir) throws Exception {
        try (Serve serve = startServe(dir)) {
            Files.writeString(dir.resolve("chrony.conf"), "server 127.0.0.1 port " + serve.ntpPort() + " iburst minpoll 0 maxpoll 0\n"
                    + "pidfile " + dir.resolve("chronyd.pid") + "\ncmdport 0\n");
            // -Q: measure and print the offset, never set the clock
            String out = Chrony.run("timeout", "60", "chronyd", "-x", "-u", "root", "-Q", "-t", "20", "-f", dir.resolve("chrony.conf").toString());
            List<String> lines = new ArrayList<>(out.lines().toList());
            String wrong = lines.stream().filter(l -> l.contains("System clock wrong by")).findFirst().orElse(null);
            assertTrue(wrong != null, "chronyd -Q printed no offset:\n" + out + "\nserve " + serve.counters());
            double offset = Double.parseDouble(wrong.replaceAll(".*wrong by (-?[0-9.]+) seconds.*", "$1"));
            System.out.println("chrony -Q against serve: " + wrong.trim());
            assertTrue(Math.abs(offset) < 0.001, "offset " + offset + " s");
            assertTrue(serve.counters().getOrDefault("ntp.answer_ntp", 0L) >= 1);
        }
    }
}
