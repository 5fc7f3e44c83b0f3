package org.ntsfab.it;

import org.ntsfab.flow.Tools;
import org.ntsfab.sim.SimBackend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ntsfab.it.Chrony;
import org.ntsfab.ke.SelfSigned;
import org.ntsfab.appliance.Serve;
import org.ntsfab.model.ConfigFile;

/**
 * chrony 4.3 (Debian) against {@code serve --backend sim}: the NTP side is the Verilator model of the generated
 * {@code ntsfab_top} (one NTS core), driven through its AXI4-Lite registers like a host CPU drives the board, and
 * every request is also run through the reference model. As an NTS client chrony must finish NTS-KE, hold 8
 * cookies, get answers the RTL authenticated, select the simulated hardware as its source with an offset within
 * 1 ms, and keep working across two master-key rotations pushed into the RTL's key slots; as a plain NTP client it
 * must measure an offset within 1 ms. The RTL and the model must not differ on a single frame or counter, and
 * tshark must find nothing wrong in the pcap of everything the RTL received and sent. chronyd runs with -x (never
 * touches the system clock).
 */
class SimServeChronyTest {
    static Serve start(Path dir) throws Exception {
        Assumptions.assumeTrue(Chrony.available(), "chrony cannot be installed here (apt-get install chrony failed); interop not tested");
        SelfSigned.create(dir.resolve("cert.pem"), dir.resolve("key.pem"), "localhost", List.of("localhost"), List.of("127.0.0.1"));
        ConfigFile cfg = ConfigFile.load(Path.of("../configs/example.toml"));
        SimBackend.Options o = new SimBackend.Options(true, dir.resolve("bridge.pcap"), 0);
        return new Serve(cfg, new InetSocketAddress("127.0.0.1", 0), new InetSocketAddress("127.0.0.1", 0), dir.resolve("cert.pem"),
                dir.resolve("key.pem"), dir.resolve("keys.toml"), null, Duration.ofHours(1), (c, k) -> new SimBackend(c, k, o));
    }

    static double offsetSeconds(String ntpdata) {
        String line = ntpdata.lines().filter(l -> l.startsWith("Offset")).findFirst().orElseThrow(() -> new AssertionError("no offset in\n" + ntpdata));
        return Double.parseDouble(line.replaceAll(".*: *([-+0-9.e]+) seconds.*", "$1"));
    }

    @Test
    void chronyNtsClientSynchronizesToTheSimulatedHardwareAcrossKeyRotations(@TempDir Path dir) throws Exception {
        try (Serve serve = start(dir)) {
            Path sock = dir.resolve("chronyd.sock");
            // an NTS answer takes its residence (12 000 cycles) x the bridge's real time per cycle, a few tenths of a
            // second: poll every 4 s (chrony's initial burst then sends every second, not every 0.25 s as at minpoll 0)
            Process chronyd = Chrony.startNtsClient(dir, serve.ntpPort(), serve.kePort(), dir.resolve("cert.pem"), "minpoll 2 maxpoll 2");
            try {
                String[] a = Chrony.waitFor(() -> {
                    String[] x = Chrony.authdata(sock);
                    return x.length >= 10 && Integer.parseInt(x[8]) == 8 ? x : null;
                }, 60);
                assertTrue(a != null, "chrony never held 8 cookies; authdata " + String.join(",", Chrony.authdata(sock)) + "\nchronyd log:\n"
                        + Files.readString(dir.resolve("chronyd.log")) + "\nserve counters " + serve.counters());
                assertEquals("NTS", a[1], "mode");
                // the RTL's own counter of NTS answers (read through the register interface after each request)
                assertTrue(Chrony.waitFor(() -> serve.counters().getOrDefault("ntp.answer_nts", 0L) >= 4 ? 1L : null, 60) != null,
                        "NTS answers from the RTL: " + serve.counters());
                String selected = Chrony.waitFor(() -> {
                    String src = Chrony.run("chronyc", "-h", sock.toString(), "-n", "-c", "sources").trim();
                    return src.startsWith("^,*,") ? src : null;
                }, 60);
                assertTrue(selected != null, "chrony never selected the simulated hardware: " + Chrony.run("chronyc", "-h", sock.toString(), "-n", "sources")
                        + "\n" + serve.counters());
                String ntpdata = Chrony.run("chronyc", "-h", sock.toString(), "-n", "ntpdata");
                assertTrue(ntpdata.contains("Authenticated   : Yes"), ntpdata);
                double offset = offsetSeconds(ntpdata);
                assertTrue(Math.abs(offset) < 0.001, "offset " + offset + " s\n" + ntpdata + "\n" + serve.counters());

                // two master-key rotations through the register interface while chrony keeps polling
                long before = serve.counters().get("ntp.answer_nts");
                serve.rotate(Duration.ofHours(1));
                Thread.sleep(9000);
                serve.rotate(Duration.ofHours(1));
                assertTrue(Chrony.waitFor(() -> serve.counters().get("ntp.answer_nts") >= before + 6 ? 1L : null, 90) != null,
                        "answers continue across rotations: " + serve.counters());
                String[] after = Chrony.authdata(sock);
                assertEquals("0", after[7], "no NAK after the rotations: " + String.join(",", after));
                String ntpdataAfter = Chrony.run("chronyc", "-h", sock.toString(), "-n", "ntpdata");
                Map<String, Long> c = serve.counters();
                assertEquals(0L, c.getOrDefault("ntp.answer_nts_nak_cookie", 0L), "cookie NAKs: " + c);
                assertEquals(0L, c.get("check.mismatches"), "RTL/model differences: " + c);
                assertTrue(c.get("check.checked_frames") >= before + 6, "every request checked: " + c);
                System.out.println("chrony authdata: " + String.join(",", after));
                System.out.println("chrony ntpdata (after the rotations):\n" + ntpdataAfter.lines().filter(l -> l.startsWith("Offset")
                        || l.startsWith("Authenticated") || l.startsWith("Stratum") || l.startsWith("Remote") || l.startsWith("Peer delay")
                        || l.startsWith("Total")).reduce("", (x, y) -> x + y + "\n"));
                System.out.println("serve counters: " + c);
            } finally {
                chronyd.destroy();
                chronyd.waitFor(10, TimeUnit.SECONDS);
            }
            // everything the RTL received and sent, dissected by tshark
            Tools.require("tshark");
            Path pcap = dir.resolve("bridge.pcap");
            String opts = "-o ip.check_checksum:TRUE -o udp.check_checksum:TRUE";
            String bad = Tools.run(List.of("bash", "-c", "tshark -n -r " + pcap + " " + opts
                    + " -Y '_ws.malformed || _ws.expert.severity >= error || ip.checksum.status == \"Bad\" || udp.checksum.status == \"Bad\"'"
                    + " 2>/dev/null"), true).trim();
            assertEquals("", bad, "tshark objects to the bridge's pcap");
            long auth = Long.parseLong(Tools.run(List.of("bash", "-c", "tshark -n -r " + pcap
                    + " -Y 'ntp.flags.mode == 4 && ntp.ext.type == 0x0404' 2>/dev/null | wc -l"), true).trim());
            assertTrue(auth >= 6, "NTS answers with an authenticator in the pcap: " + auth);
        }
    }

    @Test
    void plainNtpChronyMeasuresAnOffsetWithinOneMillisecond(@TempDir Path dir) throws Exception {
        try (Serve serve = start(dir)) {
            Files.writeString(dir.resolve("chrony.conf"), "server 127.0.0.1 port " + serve.ntpPort() + " iburst minpoll 0 maxpoll 0\n"
                    + "pidfile " + dir.resolve("chronyd.pid") + "\ncmdport 0\n");
            // -Q: measure and print the offset, never set the clock
            String out = Chrony.run("timeout", "90", "chronyd", "-x", "-u", "root", "-Q", "-t", "40", "-f", dir.resolve("chrony.conf").toString());
            String wrong = out.lines().filter(l -> l.contains("System clock wrong by")).findFirst().orElse(null);
            assertTrue(wrong != null, "chronyd -Q printed no offset:\n" + out + "\nserve " + serve.counters());
            double offset = Double.parseDouble(wrong.replaceAll(".*wrong by (-?[0-9.]+) seconds.*", "$1"));
            System.out.println("chrony -Q against serve --backend sim: " + wrong.trim() + "; serve counters " + serve.counters());
            assertTrue(Math.abs(offset) < 0.001, "offset " + offset + " s");
            Map<String, Long> c = serve.counters();
            assertTrue(c.getOrDefault("ntp.answer_ntp", 0L) >= 1, "plain NTP answered by the RTL: " + c);
            assertEquals(0L, c.get("check.mismatches"), "RTL/model differences: " + c);
        }
    }
}
