package org.ntsfab.hdl.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.ntsfab.gen.LibraryTops;
import org.ntsfab.hdl.Design;
import org.ntsfab.model.ConfigFile;
import org.ntsfab.responder.top.ResponderDesigns;

/**
 * The emitted Verilog is deterministic and reviewed: each module of these tops must equal its
 * golden file in {@code src/test/resources/golden/<top>/}. After an intended change of the emitter,
 * regenerate with {@code mvn test -Dntsfab.updateGolden=true} and review the diff like code.
 */
class GoldenFileTest {
    /** A library top, or the responder as {@code configs/example.toml} makes it (every stage's module is in it once). */
    static Design responder(String top) throws IOException {
        return top.equals("ntsfab_top_example") ? ResponderDesigns.design(ConfigFile.load(Path.of("../configs/example.toml")))
                : LibraryTops.elaborate(top);
    }

    @ParameterizedTest
    @ValueSource(strings = {"feature_demo", "cdc_demo", "axis_realign_64", "axis_fifo_64_d16", "ntsfab_top_example"})
    void emittedVerilogMatchesGolden(String top) throws IOException {
        Design d = responder(top);
        boolean update = Boolean.getBoolean("ntsfab.updateGolden");
        for (Map.Entry<String, String> m : d.modules().entrySet()) {
            String res = "/golden/" + top + "/" + m.getKey() + ".v";
            if (update) {
                Path p = Path.of("src/test/resources" + res);
                Files.createDirectories(p.getParent());
                Files.writeString(p, m.getValue(), StandardCharsets.UTF_8);
                continue;
            }
            try (InputStream in = getClass().getResourceAsStream(res)) {
                assertTrue(in != null, "no golden file " + res + "; generate with -Dntsfab.updateGolden=true and review it");
                assertEquals(new String(in.readAllBytes(), StandardCharsets.UTF_8), m.getValue(), res);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"feature_demo", "eth_fcs_64", "axis_fifo_64_d512"})
    void elaborationIsDeterministic(String top) {
        assertEquals(LibraryTops.elaborate(top).modules(), LibraryTops.elaborate(top).modules());
    }
}
