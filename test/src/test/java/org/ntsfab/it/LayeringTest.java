package org.ntsfab.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The dependency directions of the sources, read from the files themselves (imports, static imports and fully
 * qualified names in code): every layer may use only the layers below it, and no two packages use each other.
 *
 * <pre>
 *   model (ref-model)          nothing of ours
 *   hdl, hdl.lib               hdl core only;  hdl.ir: nothing of ours;  hdl.emit: hdl.ir only
 *   ip.*                       hdl core, ip
 *   responder.*                hdl core, ip, responder, model (the configuration file)
 *   boards                     hdl core, ip, responder
 *   gen                        hdl core, ip, responder, boards
 *   flow                       hdl core, ip, responder, boards, gen, model
 *   harness                    hdl core, flow
 *   ke (NTS-KE protocol)       model
 *   appliance (serve, load)    ke, model
 *   sim                        everything above except cli
 *   cli                        everything
 * </pre>
 */
class LayeringTest {
    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final Pattern PACKAGE = Pattern.compile("^package (org\\.ntsfab(?:\\.[a-z0-9]+)*);", Pattern.MULTILINE);
    /** Any reference to one of our classes: {@code org.ntsfab.<lowercase packages>.<Uppercase class>}, or a wildcard import of a package. */
    private static final Pattern REFERENCE = Pattern.compile("\\borg\\.ntsfab((?:\\.[a-z0-9]+)+)\\.(?:[A-Z]|\\*)");

    /** Layer of a package, by its longest matching prefix. */
    private static final Map<String, String> LAYER = new LinkedHashMap<>();
    /** Layers each layer may use (itself included implicitly). */
    private static final Map<String, Set<String>> ALLOWED = new LinkedHashMap<>();

    static {
        layer("model", "org.ntsfab.model");
        layer("hdl.ir", "org.ntsfab.hdl.ir");
        layer("hdl.emit", "org.ntsfab.hdl.emit");
        layer("hdl", "org.ntsfab.hdl");
        layer("ip", "org.ntsfab.ip");
        layer("responder", "org.ntsfab.responder");
        layer("boards", "org.ntsfab.boards");
        layer("gen", "org.ntsfab.gen");
        layer("flow", "org.ntsfab.flow");
        layer("harness", "org.ntsfab.harness");
        layer("ke", "org.ntsfab.ke");
        layer("appliance", "org.ntsfab.appliance");
        layer("sim", "org.ntsfab.sim");
        layer("cli", "org.ntsfab.cli");
        allow("model");
        allow("hdl.ir");
        allow("hdl.emit", "hdl.ir");
        allow("hdl", "hdl.ir", "hdl.emit");
        allow("ip", "hdl", "hdl.ir");
        allow("responder", "hdl", "hdl.ir", "ip", "model");
        allow("boards", "hdl", "hdl.ir", "ip", "responder");
        allow("gen", "hdl", "hdl.ir", "ip", "responder", "boards");
        allow("flow", "hdl", "hdl.ir", "hdl.emit", "ip", "responder", "boards", "gen", "model");
        allow("harness", "hdl", "hdl.ir", "flow");
        allow("ke", "model");
        allow("appliance", "ke", "model");
        allow("sim", "hdl", "hdl.ir", "hdl.emit", "ip", "responder", "boards", "gen", "flow", "harness", "model", "ke", "appliance");
        allow("cli", LAYER.keySet().toArray(String[]::new));
    }

    private static void layer(String name, String prefix) {
        LAYER.put(name, prefix);
    }

    private static void allow(String layer, String... below) {
        ALLOWED.put(layer, new TreeSet<>(List.of(below)));
    }

    static String layerOf(String pkg) {
        String best = null;
        for (Map.Entry<String, String> e : LAYER.entrySet())
            if ((pkg.equals(e.getValue()) || pkg.startsWith(e.getValue() + "."))
                    && (best == null || e.getValue().length() > LAYER.get(best).length())) best = e.getKey();
        return best;
    }

    /** package → the packages of ours it references, over every main source file of every module. */
    static Map<String, Set<String>> packageGraph() throws IOException {
        Map<String, Set<String>> graph = new TreeMap<>();
        List<Path> files;
        try (Stream<Path> s = Files.walk(ROOT)) {
            files = s.filter(p -> p.toString().endsWith(".java") && p.toString().contains("/src/main/java/"))
                    .filter(p -> !p.startsWith(ROOT.resolve("build")) && !p.toString().contains("/target/")).toList();
        }
        for (Path f : files) {
            String src;
            try {
                src = Files.readString(f);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            Matcher pm = PACKAGE.matcher(src);
            assertTrue(pm.find(), f + ": no package declaration");
            String pkg = pm.group(1);
            Set<String> uses = graph.computeIfAbsent(pkg, k -> new TreeSet<>());
            Matcher m = REFERENCE.matcher(code(src.substring(pm.end())));
            while (m.find()) {
                String used = "org.ntsfab" + m.group(1);
                if (!used.equals(pkg)) uses.add(used);
            }
        }
        return graph;
    }

    /** The source without its comments (a name in a comment is no dependency); string literals are kept whole. */
    static String code(String src) {
        StringBuilder out = new StringBuilder(src.length());
        int i = 0, n = src.length();
        while (i < n) {
            char c = src.charAt(i);
            if (c == '"' || c == '\'') {
                int j = i + 1;
                if (c == '"' && src.startsWith("\"\"\"", i)) {
                    j = src.indexOf("\"\"\"", i + 3);
                    j = j < 0 ? n : j + 3;
                } else {
                    while (j < n && src.charAt(j) != c) j += src.charAt(j) == '\\' ? 2 : 1;
                    j = Math.min(n, j + 1);
                }
                out.append(src, i, j);
                i = j;
            } else if (src.startsWith("//", i)) {
                int j = src.indexOf('\n', i);
                i = j < 0 ? n : j;
            } else if (src.startsWith("/*", i)) {
                int j = src.indexOf("*/", i + 2);
                i = j < 0 ? n : j + 2;
                out.append(' ');
            } else {
                out.append(c);
                i++;
            }
        }
        return out.toString();
    }

    @Test
    void everyLayerUsesOnlyTheLayersBelowIt() throws IOException {
        Map<String, Set<String>> graph = packageGraph();
        assertTrue(graph.size() > 20, "found only " + graph.keySet());
        List<String> wrong = new ArrayList<>();
        for (Map.Entry<String, Set<String>> e : graph.entrySet()) {
            String from = layerOf(e.getKey());
            if (from == null) {
                wrong.add(e.getKey() + " belongs to no layer");
                continue;
            }
            for (String used : e.getValue()) {
                String to = layerOf(used);
                if (to == null || (!to.equals(from) && !ALLOWED.get(from).contains(to)))
                    wrong.add(e.getKey() + " (" + from + ") uses " + used + " (" + to + ")");
            }
        }
        assertEquals(List.of(), wrong);
    }

    @Test
    void noTwoPackagesUseEachOther() throws IOException {
        Map<String, Set<String>> graph = packageGraph();
        List<String> cycles = new ArrayList<>();
        // a package is on a cycle when it reaches itself
        for (String start : graph.keySet()) {
            List<String> path = cycleFrom(start, start, graph, new TreeSet<>(), new ArrayList<>());
            if (path != null) cycles.add(String.join(" -> ", path));
        }
        assertEquals(List.of(), cycles);
    }

    private static List<String> cycleFrom(String start, String at, Map<String, Set<String>> g, Set<String> seen, List<String> path) {
        path.add(at);
        for (String next : g.getOrDefault(at, Set.of())) {
            if (next.equals(start)) {
                List<String> p = new ArrayList<>(path);
                p.add(start);
                return p;
            }
            if (seen.add(next)) {
                List<String> r = cycleFrom(start, next, g, seen, path);
                if (r != null) return r;
            }
        }
        path.remove(path.size() - 1);
        return null;
    }

    /** The checker itself: a wrong direction and a cycle are found in a graph made for the purpose. */
    @Test
    void theRulesCatchAWrongDirection() {
        assertEquals("model", layerOf("org.ntsfab.model.nts"));
        assertEquals("hdl.emit", layerOf("org.ntsfab.hdl.emit"));
        assertEquals("hdl", layerOf("org.ntsfab.hdl.lib"));
        assertTrue(!ALLOWED.get("model").contains("hdl"));
        assertTrue(!ALLOWED.get("hdl").contains("ip") && !ALLOWED.get("hdl").contains("harness"));
        assertTrue(!ALLOWED.get("ip").contains("responder"));
        assertTrue(!ALLOWED.get("ke").contains("responder") && !ALLOWED.get("ke").contains("hdl"));
        Map<String, Set<String>> g = Map.of("a", Set.of("b"), "b", Set.of("c"), "c", Set.of("a"), "d", Set.of("a"));
        assertEquals(List.of("a", "b", "c", "a"), cycleFrom("a", "a", g, new TreeSet<>(), new ArrayList<>()));
        assertEquals(null, cycleFrom("d", "d", g, new TreeSet<>(), new ArrayList<>()));
        String stripped = code("int a; /* org.ntsfab.hdl.lib.Z */ String s = \"// org.ntsfab.x.Y\"; // org.ntsfab.ip.W\n b();\n");
        assertTrue(stripped.contains("\"// org.ntsfab.x.Y\"") && stripped.contains("b();"), stripped);
        assertTrue(!stripped.contains("hdl.lib") && !stripped.contains("ip.W"), stripped);
        Matcher wildcard = REFERENCE.matcher(code("import org.ntsfab.responder.top.*;\n"));
        assertTrue(wildcard.find() && wildcard.group(1).equals(".responder.top"), "a wildcard import is a dependency");
    }
}
