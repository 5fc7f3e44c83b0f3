package org.ntsfab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real {@code ./ntsfab} launcher script, copied into a repository of its own in a temporary directory (the
 * modules' POMs and {@code src/main} trees, {@code configs/}, and {@code cli/target/classpath.txt} pointing at the
 * classes this build just compiled), with a fake {@code mvn} first on the PATH that logs its arguments and fails, so
 * no real Maven ever runs inside the build. Run from another directory: no Maven build while the stamp is newer than
 * every source and POM, however new the Java files the verbs write (build/, a user's out/, target/) or the tests'
 * sources are; a changed main source does start one. Demo's default configuration is the repository's, a path given
 * is the working directory's.
 */
class LauncherTest {
    private static final Path REPO = Path.of("..").toAbsolutePath().normalize();
    private static final List<String> MODULES = List.of("ref-model", "hdl-gen", "nts-ke", "sim", "cli", "test");
    private static final Instant NOW = Instant.now();

    @TempDir
    Path tmp;
    Path root, bin, cwd, log;

    record Result(int rc, String out, String err) {}

    private static void age(Path p, long secondsAgo) throws IOException {
        Files.setLastModifiedTime(p, FileTime.from(NOW.minusSeconds(secondsAgo)));
    }

    private static Path write(Path p, String text, long secondsAgo) throws IOException {
        Files.createDirectories(p.getParent());
        Files.writeString(p, text);
        age(p, secondsAgo);
        return p;
    }

    private static void executable(Path p) throws IOException {
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    @BeforeEach
    void repository() throws IOException {
        root = tmp.resolve("repo");
        Files.createDirectories(root);
        Files.copy(REPO.resolve("ntsfab"), root.resolve("ntsfab"));
        executable(root.resolve("ntsfab"));
        StringBuilder pom = new StringBuilder("<project>\n  <modules>\n");
        for (String m : MODULES) pom.append("    <module>").append(m).append("</module>\n");
        write(root.resolve("pom.xml"), pom.append("  </modules>\n</project>\n").toString(), 3600);
        for (String m : MODULES) {
            write(root.resolve(m).resolve("pom.xml"), "<project/>\n", 3600);
            write(root.resolve(m).resolve("src/main/java/org/ntsfab/X.java"), "class X {}\n", 3600);
        }
        write(root.resolve("hdl-gen/src/main/resources/org/ntsfab/lib.v"), "module m; endmodule\n", 3600);
        Files.createDirectories(root.resolve("configs"));
        Files.copy(REPO.resolve("configs/example.toml"), root.resolve("configs/example.toml"));
        // the classes the launcher runs: this build's, as the real classpath.txt lists them (plus the modules' classes)
        List<String> cp = new ArrayList<>();
        for (String m : List.of("ref-model", "hdl-gen", "nts-ke", "sim", "cli")) {
            cp.add(REPO.resolve(m).resolve("target/classes").toString());
            Files.createDirectories(root.resolve(m).resolve("target/classes")); // the launcher's own classes (empty here)
        }
        cp.add(Files.readString(REPO.resolve("cli/target/classpath.txt")).strip());
        write(root.resolve("cli/target/classpath.txt"), String.join(":", cp), 600);
        write(root.resolve("cli/target/.ntsfab-built"), "", 600);
        // what the verbs and the tests leave behind, newer than the stamp: none of it is a source of the command line
        write(root.resolve("build/x/org/ntsfab/Gen.java"), "class Gen {}\n", 0);
        write(root.resolve("build/x/pom.xml"), "<project/>\n", 0);
        write(root.resolve("out/Gen.java"), "class Gen {}\n", 0);
        write(root.resolve("out/sub/pom.xml"), "<project/>\n", 0);
        write(root.resolve("out/pom.xml"), "<project/>\n", 0);
        write(root.resolve("out/src/main/java/Gen.java"), "class Gen {}\n", 0);
        write(root.resolve("cli/target/generated-sources/Y.java"), "class Y {}\n", 0);
        write(root.resolve("sim/src/test/java/org/ntsfab/XTest.java"), "class XTest {}\n", 0);
        // the fake tools: mvn logs and fails; the simulation tools the launcher checks for are never run by these commands
        bin = Files.createDirectories(tmp.resolve("bin"));
        log = tmp.resolve("mvn.log");
        Files.writeString(bin.resolve("mvn"), "#!/bin/sh\necho \"$@\" >> '" + log + "'\nexit 1\n");
        executable(bin.resolve("mvn"));
        for (String t : List.of("verilator", "yosys", "g++", "make", "tshark", "clang++")) {
            Files.writeString(bin.resolve(t), "#!/bin/sh\necho fake " + t + " >&2\nexit 1\n");
            executable(bin.resolve(t));
        }
        Files.writeString(bin.resolve("java"), "#!/bin/sh\nexec '" + Path.of(System.getProperty("java.home"), "bin", "java") + "' \"$@\"\n");
        executable(bin.resolve("java"));
        cwd = Files.createDirectories(tmp.resolve("elsewhere"));
    }

    private Result launch(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(root.resolve("ntsfab").toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(cwd.toFile());
        Map<String, String> env = pb.environment();
        env.put("PATH", bin + ":/usr/bin:/bin");
        env.remove("NTSFAB_HOME");
        env.put("NTSFAB_CACHE", tmp.resolve("vcache").toString()); // empty: demo's Verilator build is attempted (and fails)
        Path out = tmp.resolve("stdout"), err = tmp.resolve("stderr");
        pb.redirectOutput(out.toFile()).redirectError(err.toFile());
        Process p = pb.start();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "launcher timed out");
        return new Result(p.exitValue(), Files.readString(out), Files.readString(err));
    }

    private boolean mvnRan() {
        return Files.exists(log);
    }

    @Test
    void noBuildWhenOnlyGeneratedFilesAreNewer() throws Exception {
        Result r = launch("help");
        assertEquals(0, r.rc(), r.err());
        assertFalse(mvnRan(), "mvn ran");
        assertEquals("", r.err());
        assertTrue(r.out().startsWith("usage: ./ntsfab <verb> [options]"), r.out());
        assertTrue(r.out().contains("\n  demo "), r.out());

        r = launch("demo", "--help");
        assertEquals(0, r.rc(), r.err());
        assertFalse(mvnRan(), "mvn ran");
        assertTrue(r.out().startsWith("usage: ntsfab demo"), r.out());
        assertTrue(r.out().contains("default configs/example.toml of the repository"), r.out());
    }

    /**
     * demo from another directory: its default configuration is read from the repository, its outputs go under the
     * working directory. The run gets as far as the Verilator build, which the fake verilator fails: the Verilog it wrote
     * first (for the repository's configs/example.toml) is there. A --config given is the working directory's.
     */
    @Test
    void demoFindsTheRepositorysConfigurationFromAnyDirectory() throws Exception {
        Result r = launch("help");
        assertTrue(r.out().contains("found in the repository, from any directory:\n  " + root.toRealPath() + "\n")
                || r.out().contains("found in the repository, from any directory:\n  " + root + "\n"), r.out());

        r = launch("demo", "--count", "10", "--out", "d");
        assertFalse(mvnRan(), "mvn ran");
        assertNotEquals(0, r.rc(), "the fake verilator cannot build: " + r.out() + r.err());
        assertTrue(r.out().startsWith("1. generated ntsfab_top: "), r.out() + r.err());
        assertTrue(Files.isRegularFile(cwd.resolve("d/rtl/ntsfab_top.v")), r.out() + r.err());
        assertTrue(Files.isRegularFile(cwd.resolve("d/requests.pcap")), r.out() + r.err());
        assertFalse(r.err().contains("example.toml"), r.err());
        assertFalse(Files.exists(root.resolve("d")), "an output in the repository");

        // a relative --config is the working directory's: absent here (though the repository has configs/example.toml)
        r = launch("demo", "--config", "configs/example.toml", "--out", "e");
        assertEquals(3, r.rc(), r.err());
        assertEquals("ntsfab demo: no such file: configs/example.toml", r.err().strip());
        assertFalse(mvnRan(), "mvn ran");
    }

    @Test
    void aChangedMainSourceOrPomBuilds() throws Exception {
        age(root.resolve("hdl-gen/src/main/java/org/ntsfab/X.java"), 0);
        Result r = launch("help");
        assertTrue(mvnRan(), "mvn did not run for a changed source");
        assertNotEquals(0, r.rc(), "the fake mvn fails, so must the launcher");
        assertTrue(r.err().contains("ntsfab: building (mvn compile)"), r.err());
        String args = Files.readString(log);
        assertTrue(args.contains("compile") && !args.contains("install"), args);
        assertEquals("", r.out(), "nothing runs after a failed build");
        try (java.util.stream.Stream<Path> s = Files.list(root.resolve("cli/target"))) {
            assertEquals(List.of(), s.map(p -> p.getFileName().toString()).filter(n -> n.startsWith(".ntsfab-built.")).toList(),
                    "a failed build leaves its temporary stamp");
        }

        Files.delete(log);
        age(root.resolve("hdl-gen/src/main/java/org/ntsfab/X.java"), 3600);
        age(root.resolve("hdl-gen/src/main/resources/org/ntsfab/lib.v"), 0);
        launch("help");
        assertTrue(mvnRan(), "mvn did not run for a changed resource");

        Files.delete(log);
        age(root.resolve("hdl-gen/src/main/resources/org/ntsfab/lib.v"), 3600);
        age(root.resolve("sim/pom.xml"), 0);
        launch("help");
        assertTrue(mvnRan(), "mvn did not run for a changed module POM");

        Files.delete(log);
        age(root.resolve("sim/pom.xml"), 3600);
        age(root.resolve("pom.xml"), 0);
        launch("help");
        assertTrue(mvnRan(), "mvn did not run for a changed root POM");

        // a module's classes gone (mvn clean in that module), the stamp still there
        Files.delete(log);
        age(root.resolve("pom.xml"), 3600);
        assertFalse(mvnRan());
        launch("help");
        assertFalse(mvnRan(), "mvn ran with nothing changed");
        Files.delete(root.resolve("nts-ke/target/classes"));
        launch("help");
        assertTrue(mvnRan(), "mvn did not run for removed classes");
    }
}
