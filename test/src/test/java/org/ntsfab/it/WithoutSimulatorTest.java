package org.ntsfab.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ntsfab.ke.SelfSigned;

/**
 * {@code gen --config}, {@code traffic}, {@code model} and {@code serve --backend model} need no simulator: each runs
 * as its own process with a {@code PATH} from which {@code verilator} and {@code yosys} have been removed (a directory
 * of links to everything else on the real {@code PATH}).
 */
class WithoutSimulatorTest {
    private static final Path CONFIG = Path.of("../configs/example.toml").toAbsolutePath().normalize();
    @TempDir
    static Path dir;
    private static Path bin;

    @BeforeAll
    static void pathWithoutSimulator() throws IOException {
        bin = Files.createDirectories(dir.resolve("bin"));
        for (String d : System.getenv("PATH").split(":")) {
            Path p = Path.of(d);
            if (!Files.isDirectory(p)) continue;
            try (Stream<Path> s = Files.list(p)) {
                for (Path f : s.toList()) {
                    String n = f.getFileName().toString();
                    if (n.startsWith("verilator") || n.startsWith("yosys")) continue;
                    Path link = bin.resolve(n);
                    if (!Files.exists(link, java.nio.file.LinkOption.NOFOLLOW_LINKS)) Files.createSymbolicLink(link, f);
                }
            }
        }
        assertTrue(Files.exists(bin.resolve("sh")) && !Files.exists(bin.resolve("verilator")));
    }

    private static ProcessBuilder cli(String... args) {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "org.ntsfab.cli.Main"));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true);
        pb.environment().put("PATH", bin.toString());
        return pb;
    }

    private static String run(String... args) throws Exception {
        Process p = cli(args).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(300, TimeUnit.SECONDS), String.join(" ", args) + " did not finish");
        assertEquals(0, p.exitValue(), String.join(" ", args) + ":\n" + out);
        return out;
    }

    @Test
    void genTrafficAndModelRunWithoutVerilator() throws Exception {
        String gen = run("gen", "--config", CONFIG.toString(), "--out", "rtl");
        assertTrue(Files.exists(dir.resolve("rtl/ntsfab_top.v")), gen);
        run("traffic", "--config", CONFIG.toString(), "--out", "req.pcap", "--count", "500", "--seed", "5");
        String model = run("model", "--config", CONFIG.toString(), "--in", "req.pcap", "--out", "resp.pcap");
        assertTrue(model.contains("answer_ntp"), model);
        assertTrue(Files.size(dir.resolve("resp.pcap")) > 24, "no answers written");
    }

    @Test
    void serveWithTheModelBackendAnswersWithoutVerilator() throws Exception {
        SelfSigned.create(dir.resolve("cert.pem"), dir.resolve("key.pem"), "localhost", List.of("localhost"), List.of("127.0.0.1"));
        Process p = cli("serve", "--backend", "model", "--config", CONFIG.toString(), "--ntp", "127.0.0.1:0", "--ke", "127.0.0.1:0",
                "--cert", "cert.pem", "--key", "key.pem", "--keys", "keys.toml").start();
        try {
            BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            Matcher m = null;
            for (String line; (line = r.readLine()) != null; ) {
                m = Pattern.compile("serve: NTP on [^ ]*:(\\d+),").matcher(line);
                if (m.find()) break;
                m = null;
            }
            assertTrue(m != null, "serve never said where it listens");
            int port = Integer.parseInt(m.group(1));
            byte[] req = new byte[48];
            req[0] = 0x23; // LI 0, version 4, mode 3 (client)
            for (int i = 40; i < 48; i++) req[i] = (byte) (0x11 * (i - 39)); // transmit timestamp, echoed as origin
            try (DatagramSocket s = new DatagramSocket()) {
                s.setSoTimeout(5000);
                s.send(new DatagramPacket(req, req.length, InetAddress.getLoopbackAddress(), port));
                DatagramPacket resp = new DatagramPacket(new byte[1500], 1500);
                s.receive(resp);
                assertEquals(48, resp.getLength());
                assertEquals(0x24, resp.getData()[0] & 0x3f, "version 4, mode 4 (server)");
                for (int i = 0; i < 8; i++) assertEquals(req[40 + i], resp.getData()[24 + i], "origin timestamp byte " + i);
            }
        } finally {
            p.destroy();
            p.waitFor(10, TimeUnit.SECONDS);
        }
    }
}
