package org.ntsfab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * How {@code bench} runs its plan ({@link BenchVerb#execute}, {@link BenchVerb.JsonRows}), with steps that measure
 * nothing (the real ones take minutes): progress lines on stderr only, tables on stdout only, and the JSON copy valid
 * after every row, also when a step fails midway.
 */
class BenchProgressTest {

    private static JsonNode read(Path f) throws IOException {
        return new ObjectMapper().readTree(Files.readString(f));
    }

    private static Map<String, Object> row(String top, int luts) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("table", "synthesis");
        m.put("top", top);
        m.put("luts", luts);
        return m;
    }

    @Test
    void progressOnStderrTablesOnStdoutJsonAfterEveryRow(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("out/bench.json");
        BenchVerb.JsonRows json = new BenchVerb.JsonRows(f, Map.of("quick", true));
        // before any row: valid, empty, not complete
        assertEquals(0, read(f).get("rows").size());
        assertFalse(read(f).get("complete").asBoolean());
        List<Integer> seen = new ArrayList<>();
        List<BenchVerb.Step> plan = List.of(
                new BenchVerb.Step(null, o -> o.println("| top | LUT |")),
                new BenchVerb.Step("synthesis a", o -> {
                    json.add(row("a", 10));
                    o.println("| a | 10 |");
                }),
                new BenchVerb.Step("synthesis b", o -> {
                    // what an interrupted run would leave now: the first row, valid JSON
                    JsonNode d = read(f);
                    seen.add(d.get("rows").size());
                    assertEquals("a", d.get("rows").get(0).get("top").asText());
                    json.add(row("b", 20));
                    o.println("| b | 20 |");
                }),
                new BenchVerb.Step("check", o -> seen.add(read(f).get("rows").size())));
        ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
        try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8); PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
            BenchVerb.execute(plan, o, e);
        }
        json.complete();
        assertEquals(List.of(1, 2), seen);
        assertEquals("| top | LUT |\n| a | 10 |\n| b | 20 |\n", out.toString(StandardCharsets.UTF_8));
        List<String> lines = err.toString(StandardCharsets.UTF_8).lines().toList();
        assertEquals(4, lines.size(), lines.toString());
        assertTrue(lines.get(0).matches("bench: \\[1/3\\] synthesis a\\.\\.\\. \\d+ s"), lines.get(0));
        assertTrue(lines.get(1).matches("bench: \\[2/3\\] synthesis b\\.\\.\\. \\d+ s"), lines.get(1));
        assertTrue(lines.get(2).matches("bench: \\[3/3\\] check\\.\\.\\. \\d+ s"), lines.get(2));
        assertTrue(lines.get(3).matches("bench: done in \\d+ s"), lines.get(3));
        JsonNode d = read(f);
        assertTrue(d.get("complete").asBoolean());
        assertTrue(d.get("quick").asBoolean());
        assertEquals(2, d.get("rows").size());
        assertEquals(20, d.get("rows").get(1).get("luts").asInt());
        try (Stream<Path> s = Files.list(f.getParent())) {
            assertEquals(List.of(f), s.toList(), "the temporary file is moved over the copy, not left beside it");
        }
    }

    @Test
    void aFailedStepLeavesTheRowsSoFar(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("bench.json");
        BenchVerb.JsonRows json = new BenchVerb.JsonRows(f, Map.of());
        List<BenchVerb.Step> plan = List.of(
                new BenchVerb.Step("one", o -> json.add(row("a", 1))),
                new BenchVerb.Step("two", o -> {
                    throw new IOException("yosys died");
                }),
                new BenchVerb.Step("three", o -> json.add(row("c", 3))));
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try (PrintStream o = new PrintStream(new ByteArrayOutputStream()); PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
            assertEquals("yosys died", assertThrows(IOException.class, () -> BenchVerb.execute(plan, o, e)).getMessage());
        }
        List<String> lines = err.toString(StandardCharsets.UTF_8).lines().toList();
        assertEquals(2, lines.size(), lines.toString());
        assertTrue(lines.get(1).matches("bench: \\[2/3\\] two\\.\\.\\. failed after \\d+ s"), lines.get(1));
        JsonNode d = read(f);
        assertFalse(d.get("complete").asBoolean());
        assertEquals(1, d.get("rows").size());
        assertEquals("a", d.get("rows").get(0).get("top").asText());
    }

    @Test
    void durations() {
        assertEquals("0 s", BenchVerb.duration(0));
        assertEquals("41 s", BenchVerb.duration(41_200_000_000L));
        assertEquals("3 min 12 s", BenchVerb.duration(192_000_000_000L));
        assertEquals("62 min 0 s", BenchVerb.duration(3_720_000_000_000L));
    }
}
