package org.ntsfab.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ntsfab.gen.LibraryTops;
import org.ntsfab.hdl.Design;
import org.ntsfab.flow.BoardFlow;
import org.ntsfab.model.ConfigFile;
import org.ntsfab.responder.top.ResponderDesigns;

/**
 * One module name, one content, across every design ntsfab emits: every library top {@code ntsfab gen} writes, the core
 * of every configuration under {@code configs/} ({@code gen --config}) and every board's generated design
 * ({@code build --board}; the hand-written board tops instantiate their cores by name). Each is elaborated and written (no
 * tool runs), and every module file is compared with the files of the same name from all the others, so any of them can
 * go into one Verilog project together: a name that stood for two modules would have one silently replace the other there.
 */
class ModuleNamesTest {
    static final Path ROOT = Path.of("..");

    /** Where a design comes from (the command that writes it) → the design. */
    static Map<String, Supplier<Design>> everyDesign() throws Exception {
        Map<String, Supplier<Design>> m = new LinkedHashMap<>();
        for (String top : LibraryTops.all().keySet()) m.put("gen " + top, () -> LibraryTops.elaborate(top));
        try (var s = Files.list(ROOT.resolve("configs"))) {
            for (Path p : s.filter(p -> p.toString().endsWith(".toml")).sorted().toList())
                m.put("gen --config configs/" + p.getFileName(), () -> ResponderDesigns.design(load(p)));
        }
        for (BoardFlow.Board b : BoardFlow.boards())
            m.put("build --board " + b.name(), () -> {
                Design d = BoardFlow.design(b, load(ROOT.resolve(b.config())));
                // a core under a hand-written top: the top instantiates it by this name
                if (b.flow() != BoardFlow.Flow.ICE40) BoardFlow.checkCoreInstance(read(ROOT.resolve(BoardFlow.boardTop(b))), d);
                return d;
            });
        return m;
    }

    static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    static ConfigFile load(Path p) {
        try {
            return ConfigFile.load(p);
        } catch (Exception e) {
            throw new IllegalStateException(p.toString(), e);
        }
    }

    @Test
    void everyModuleNameHasOneContentInEveryDesign(@TempDir Path out) throws Exception {
        Map<String, Supplier<Design>> designs = everyDesign();
        assertTrue(designs.keySet().containsAll(List.of("gen --config configs/example.toml", "gen --config configs/10g-nts.toml",
                "gen --config configs/gige.toml", "gen --config configs/ice40-hx8k.toml", "build --board ice40-hx8k",
                "build --board ecp5-versa", "build --board vcu118")), designs.keySet().toString());
        // module name → its text → the designs that emit it so
        Map<String, Map<String, List<String>>> byName = new TreeMap<>();
        int i = 0, files = 0;
        for (Map.Entry<String, Supplier<Design>> e : designs.entrySet()) {
            Design d = e.getValue().get();
            for (Path f : d.write(out.resolve(String.valueOf(i++)))) {
                String name = f.getFileName().toString().replaceFirst("\\.v$", "");
                String text = Files.readString(f);
                assertTrue(text.contains("module " + name + " ("), f + " of " + e.getKey() + " declares " + name);
                byName.computeIfAbsent(name, k -> new LinkedHashMap<>()).computeIfAbsent(text, k -> new ArrayList<>()).add(e.getKey());
                files++;
            }
        }
        List<String> clashes = new ArrayList<>();
        for (Map.Entry<String, Map<String, List<String>>> e : byName.entrySet()) {
            if (e.getValue().size() == 1) continue;
            StringBuilder sb = new StringBuilder(e.getKey() + ": " + e.getValue().size() + " contents");
            List<String> texts = List.copyOf(e.getValue().keySet());
            for (String t : texts) sb.append("\n    ").append(e.getValue().get(t)).append(firstDifference(texts.get(0), t));
            clashes.add(sb.toString());
        }
        assertEquals("", String.join("\n", clashes), clashes.size() + " module name(s) with more than one content across the "
                + designs.size() + " designs (a component must carry the parameters that change its Verilog in its name)");
        System.out.printf("%d designs, %d module files, %d module names, each with one content%n", designs.size(), files, byName.size());
    }

    /** The first line where {@code b} differs from {@code a}, for the message. */
    static String firstDifference(String a, String b) {
        String[] x = a.split("\n", -1), y = b.split("\n", -1);
        for (int k = 0; k < Math.min(x.length, y.length); k++)
            if (!x[k].equals(y[k])) return ": line " + (k + 1) + " `" + y[k].strip() + "` (first: `" + x[k].strip() + "`)";
        return x.length == y.length ? "" : ": " + y.length + " lines (first: " + x.length + ")";
    }
}
