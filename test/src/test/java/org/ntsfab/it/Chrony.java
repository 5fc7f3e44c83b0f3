package org.ntsfab.it;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** Running Debian's chrony (4.3) as the interop peer: installing it when absent, its command-line queries. */
public final class Chrony {
    private Chrony() {}

    /** chronyd is present, or was installed now (as root, from Debian's packages). */
    public static boolean available() {
        if (new File("/usr/sbin/chronyd").canExecute()) return true;
        if (!"root".equals(System.getProperty("user.name"))) return false;
        try {
            Process p = new ProcessBuilder("bash", "-c", "DEBIAN_FRONTEND=noninteractive apt-get install -y chrony || "
                    + "(apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y chrony)").redirectErrorStream(true).start();
            p.getInputStream().transferTo(java.io.OutputStream.nullOutputStream());
            p.waitFor(600, TimeUnit.SECONDS);
        } catch (IOException | InterruptedException e) {
            return false;
        }
        return new File("/usr/sbin/chronyd").canExecute();
    }

    /** Runs a command and returns its output (stdout and stderr). */
    public static String run(String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor(30, TimeUnit.SECONDS);
        return out;
    }

    /** One line of `chronyc -c authdata`: name, mode, key id, type, key bits, last, attempts, NAKs, cookies, cookie length. */
    public static String[] authdata(Path sock) throws IOException, InterruptedException {
        String out = run("chronyc", "-h", sock.toString(), "-n", "-c", "authdata").trim();
        return out.isEmpty() ? new String[0] : out.lines().findFirst().orElse("").split(",");
    }

    /**
     * Starts {@code chronyd -x -u root -d} (never touching the system clock) as an NTS client of 127.0.0.1:{@code ntpPort}
     * with NTS-KE on {@code kePort}, trusting {@code cert}; its command socket is {@code dir/chronyd.sock}, its output
     * {@code dir/chronyd.log}. {@code poll} is the server line's polling options (e.g. "minpoll 0 maxpoll 0").
     */
    public static Process startNtsClient(Path dir, int ntpPort, int kePort, Path cert, String poll) throws IOException {
        java.nio.file.Files.writeString(dir.resolve("chrony.conf"), String.join("\n",
                "server 127.0.0.1 port " + ntpPort + " nts ntsport " + kePort + " iburst " + poll,
                "ntstrustedcerts " + cert,
                "nocerttimecheck 1",
                "pidfile " + dir.resolve("chronyd.pid"),
                "bindcmdaddress " + dir.resolve("chronyd.sock"),
                "cmdport 0",
                ""));
        return new ProcessBuilder("chronyd", "-x", "-u", "root", "-d", "-f", dir.resolve("chrony.conf").toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("chronyd.log").toFile()).start();
    }

    public interface Probe<T> {
        T get() throws Exception;
    }

    /** Polls every half second until the probe gives a value, at most {@code seconds}; null if it never did. */
    public static <T> T waitFor(Probe<T> p, int seconds) throws Exception {
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        while (System.nanoTime() < end) {
            T v = p.get();
            if (v != null) return v;
            Thread.sleep(500);
        }
        return null;
    }
}
