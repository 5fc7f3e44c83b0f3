package org.ntsfab.cli;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every mode of {@code bench} builds its plan (each table's heading is formatted when the plan is built, the measurements
 * are not run): a heading that cannot be formatted (a {@code %.0f} given a long, as {@code --nts-only} once had) used to
 * surface only when a user ran the mode.
 */
class BenchPlanTest {
    private static final Path REPO = Path.of("..").toAbsolutePath().normalize();

    @ParameterizedTest
    @ValueSource(strings = {"--quick", "", "--boards", "--nts-only --cores 1,2", "--nts-area", "--nts-core", "--nts-core --quick", "--sim-speed", "--nts-corpus", "--nts-corpus --frames 2000"})
    void everyModeBuildsItsPlan(String options) throws Exception {
        BenchVerb b = new BenchVerb();
        List<String> argv = options.isEmpty() ? List.of() : List.of(options.split(" "));
        Args a = Args.parse(b.spec(), argv, REPO, REPO);
        PrintStream sink = new PrintStream(new ByteArrayOutputStream());
        boolean partial = b.buildPlan(a, new Io(sink, sink, REPO, REPO));
        assertTrue(b.plan().stream().anyMatch(s -> s.label() != null), "a measured step for '" + options + "'");
        assertTrue(b.plan().stream().anyMatch(s -> s.label() == null), "a heading for '" + options + "'");
        if (options.isEmpty() || options.equals("--quick")) assertFalse(partial);
        else assertTrue(partial);
    }
}
