package org.ntsfab.flow;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * External tools (Verilator, Yosys, nextpnr): found on the PATH, or installed from Debian's packages
 * when running as root; otherwise a clear message says what to install.
 */
public final class Tools {
    private Tools() {}

    private static final Map<String, String> PACKAGES = Map.of(
            "verilator", "verilator", "yosys", "yosys", "nextpnr-ice40", "nextpnr-ice40", "icepack", "fpga-icestorm",
            "iverilog", "iverilog", "tshark", "tshark");

    public static boolean onPath(String tool) {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
            if (new java.io.File(dir, tool).canExecute()) return true;
        }
        return false;
    }

    /** Deletes {@code dir} and everything below it; nothing when it does not exist. */
    public static void deleteTree(java.nio.file.Path dir) throws IOException {
        if (!java.nio.file.Files.exists(dir, java.nio.file.LinkOption.NOFOLLOW_LINKS)) return;
        try (var s = java.nio.file.Files.walk(dir)) {
            for (java.nio.file.Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) java.nio.file.Files.delete(p);
        }
    }

    /** Makes sure {@code tool} is runnable, installing its Debian package if we are root. */
    public static synchronized void require(String tool) {
        if (onPath(tool)) return;
        String pkg = PACKAGES.getOrDefault(tool, tool);
        boolean root = "root".equals(System.getProperty("user.name"));
        if (!root)
            throw new IllegalStateException(tool + " is not installed; install it with: sudo apt-get install -y " + pkg);
        try {
            run(List.of("apt-get", "install", "-y", "--no-install-recommends", pkg), true);
        } catch (RuntimeException e) {
            run(List.of("apt-get", "update"), true);
            run(List.of("apt-get", "install", "-y", "--no-install-recommends", pkg), true);
        }
        if (!onPath(tool)) throw new IllegalStateException("installing " + pkg + " did not provide " + tool);
    }

    /** Runs a command; returns its combined output; throws with the output on a non-zero exit. */
    public static String run(List<String> cmd, boolean quiet) {
        return run(cmd, null, quiet);
    }

    public static String run(List<String> cmd, java.nio.file.Path dir, boolean quiet) {
        try {
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
            if (dir != null) pb.directory(dir.toFile());
            pb.environment().put("DEBIAN_FRONTEND", "noninteractive");
            Process p = pb.start();
            p.getOutputStream().close();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            int rc = p.waitFor();
            if (rc != 0) throw new ToolException(String.join(" ", cmd), rc, out);
            if (!quiet) System.out.print(out);
            return out;
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + cmd.get(0) + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted running " + cmd.get(0), e);
        }
    }

    public static String version(String tool) {
        List<String> cmd = new ArrayList<>(List.of(tool, tool.equals("yosys") ? "-V" : "--version"));
        return run(cmd, true).trim().lines().findFirst().orElse("?");
    }

    /** A tool that exited non-zero, with everything it printed. */
    public static final class ToolException extends RuntimeException {
        private final String output;

        ToolException(String cmd, int rc, String output) {
            super(cmd + " exited " + rc + ":\n" + output);
            this.output = output;
        }

        public String output() {
            return output;
        }
    }
}
