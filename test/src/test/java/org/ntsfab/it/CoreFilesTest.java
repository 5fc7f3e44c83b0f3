package org.ntsfab.it;

import org.ntsfab.responder.top.ResponderDesigns;

import org.ntsfab.flow.CoreFiles;
import org.ntsfab.sim.TopSim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.ntsfab.hdl.Design;
import org.ntsfab.flow.Constraints;
import org.ntsfab.model.ConfigFile;

/**
 * The committed {@code constraints/<config>/} files are what the design generates today (a change to the design's
 * clocks or crossings without regenerating them fails here), every declared crossing is constrained and nothing
 * else is, and the FuseSoC core lists exactly the files {@code gen} writes.
 */
class CoreFilesTest {
    @ParameterizedTest
    @ValueSource(strings = {"example", "gige", "10g-nts"})
    void committedConstraintsEqualTheGeneratedOnesAndCoverEveryCrossing(String config) throws Exception {
        ConfigFile cfg = ConfigFile.load(Path.of("../configs/" + config + ".toml"));
        Design d = ResponderDesigns.design(cfg);
        Map<String, String> gen = CoreFiles.constraints(d, cfg);
        Path dir = Path.of("../constraints/" + config);
        assertEquals(new TreeSet<>(gen.keySet()), Files.list(dir).map(p -> p.getFileName().toString()).collect(Collectors.toCollection(TreeSet::new)),
                "files in " + dir);
        for (Map.Entry<String, String> e : gen.entrySet())
            assertEquals(e.getValue(), Files.readString(dir.resolve(e.getKey())), dir.resolve(e.getKey())
                    + " is stale: regenerate with ./ntsfab gen --config configs/" + config + ".toml --out DIR and copy DIR/constraints");
        String xdc = gen.get(d.topName() + ".xdc");
        assertTrue(d.crossings().size() >= 1, "the PPS input is a declared crossing");
        for (Design.Crossing c : d.crossings())
            assertTrue(xdc.contains("-to [get_cells -quiet " + Constraints.instanceBelowTop(c) + "/sync_stage0_reg_reg*]"), c + "\n" + xdc);
        assertEquals(d.crossings().size(), xdc.split("set_max_delay -datapath_only", -1).length - 1, "no stale crossing:\n" + xdc);
        // the constrained instance is the one in the emitted top
        for (Design.Crossing c : d.crossings())
            assertTrue(d.verilog(d.topName()).contains(c.moduleName() + " " + Constraints.instanceBelowTop(c) + " ("), c.toString());
    }

    @Test
    void fusesocCoreListsExactlyTheGeneratedFiles(@TempDir Path out) throws Exception {
        ConfigFile cfg = ConfigFile.load(Path.of("../configs/example.toml"));
        Design d = ResponderDesigns.design(cfg);
        List<String> files = d.write(out).stream().map(p -> out.relativize(p).toString()).toList();
        String core = CoreFiles.fusesoc(d, cfg, files);
        assertTrue(core.startsWith("CAPI=2:\n"), core);
        assertTrue(core.contains("\nname: ntsfab:ntsfab:ntsfab_top:1.0.0\n"), core);
        List<String> listed = core.lines().filter(l -> l.startsWith("      - ") && l.endsWith(".v")).map(l -> l.substring(8)).toList();
        assertEquals(new TreeSet<>(files), new TreeSet<>(listed), "rtl fileset");
        try (var s = Files.list(out)) {
            assertEquals(s.filter(p -> p.toString().endsWith(".v")).count(), listed.size(), "every written module is in the core");
        }
        assertEquals(d.modules().size(), listed.size());
        assertTrue(core.contains("toplevel: ntsfab_top\n"), core);
        for (String ref : List.of("constraints/ntsfab_top.xdc", "constraints/ntsfab_top.lpf", "constraints/ntsfab_top_nextpnr.py", "registers/ntsfab_regs.h"))
            assertTrue(core.contains(ref), ref);
    }
}
