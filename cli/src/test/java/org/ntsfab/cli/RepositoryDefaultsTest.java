package org.ntsfab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One notion of the repository ({@link Main#home}, {@link Io#home}): a default that names a repository file resolves
 * against it, a path given and a default output against the working directory.
 */
class RepositoryDefaultsTest {
    private static final Path REPO = Path.of("..").toAbsolutePath().normalize();

    @Test
    void demoConfigDefaultIsTheRepositorysOutputDefaultTheWorkingDirectorys(@TempDir Path dir) throws Exception {
        Args a = Args.parse(new DemoVerb().spec(), List.of(), dir, REPO);
        assertEquals(REPO.resolve("configs/example.toml"), a.get(DemoVerb.CONFIG));
        assertEquals(dir.resolve("build/demo"), a.get(DemoVerb.OUT));
        a = Args.parse(new DemoVerb().spec(), List.of("--config", "my.toml"), dir, REPO);
        assertEquals(dir.resolve("my.toml"), a.get(DemoVerb.CONFIG));
        // bench's JSON copy is an output: the working directory's
        assertEquals(dir.resolve("build/bench.json"), Args.parse(new BenchVerb().spec(), List.of(), dir, REPO).get(BenchVerb.JSON));
    }

    private static String[] demo(Path dir, Path home, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
        int rc;
        try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8); PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
            rc = Main.run(List.of(args), o, e, dir, home);
        }
        return new String[] {Integer.toString(rc), err.toString(StandardCharsets.UTF_8).strip()};
    }

    /** In-process: with home elsewhere (no configs/ there), demo's default configuration is looked for there, and named. */
    @Test
    void demoReadsItsDefaultConfigurationFromHome(@TempDir Path dir) throws Exception {
        Path home = Files.createDirectories(dir.resolve("home"));
        String[] r = demo(dir, home, "demo", "--out", "d");
        assertEquals("3", r[0], r[1]);
        assertEquals("ntsfab demo: no such file: " + home.resolve("configs/example.toml"), r[1]);
        assertTrue(Files.notExists(home.resolve("d")), "the output is the working directory's");
    }
}
