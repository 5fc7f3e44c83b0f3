package org.ntsfab.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The synthesis gate ({@link GatesTest#synthesisIsClean}) for the responder's tops and the slowest blocks
 * ({@link GatesTest#SECOND_CLASS}), in a class of its own so it runs beside the rest.
 */
class ResponderGatesTest {
    @ParameterizedTest
    @MethodSource("org.ntsfab.it.GatesTest#responderTops")
    void yosysSynthesisIsCleanOnEveryTarget(String top, @TempDir Path work) throws Exception {
        GatesTest.synthesisIsClean(top, work);
    }

    @Test
    void everyResponderTopIsALibraryTop() {
        assertEquals(GatesTest.SECOND_CLASS.size(), GatesTest.responderTops().count(), "a top was renamed: " + GatesTest.SECOND_CLASS);
    }
}
