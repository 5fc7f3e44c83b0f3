package org.ntsfab.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ntsfab.flow.Gates;
import org.ntsfab.flow.LogicLevels;
import org.ntsfab.flow.Tools;
import org.ntsfab.gen.LibraryTops;

/**
 * The logic-level proxy on netlists Yosys really writes: designs whose depth any sane mapping gives (counted by hand),
 * and the Java source it names for a path's ends, checked against the Java file itself.
 */
class LogicLevelsYosysTest {
    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

    private static LogicLevels.Report synth(Path dir, String verilog, String top) throws IOException {
        Path v = Files.writeString(dir.resolve(top + ".v"), verilog);
        Path json = dir.resolve(top + ".json");
        Tools.run(List.of("yosys", "-q", "-p", "read_verilog " + v + "; synth_xilinx -flatten -noiopad -top " + top + "; write_json " + json), true);
        return LogicLevels.of(json, top);
    }

    @Test
    void registeredAdderIsTwoLevelsAndWideAndTwo(@TempDir Path dir) throws IOException {
        // a + b between registers: the propagate LUT (1) and the carry chain entered once (2)
        LogicLevels.Report add = synth(dir, """
                module add(input wire clk, input wire [63:0] a, input wire [63:0] b, output reg [63:0] s);
                reg [63:0] ra, rb;
                always @(posedge clk) begin ra <= a; rb <= b; s <= ra + rb; end
                endmodule
                """, "add");
        assertEquals(2, add.levels(), add.deepest().toString());
        // a 6-input AND between registers: one LUT6
        LogicLevels.Report and6 = synth(dir, """
                module and6(input wire clk, input wire [5:0] w, output reg y);
                reg [5:0] rw;
                always @(posedge clk) begin rw <= w; y <= &rw; end
                endmodule
                """, "and6");
        assertEquals(1, and6.levels(), and6.deepest().toString());
        // registers straight into registers: no logic
        LogicLevels.Report wire = synth(dir, """
                module wire0(input wire clk, input wire [7:0] w, output reg [7:0] y);
                reg [7:0] rw;
                always @(posedge clk) begin rw <= w; y <= rw; end
                endmodule
                """, "wire0");
        assertEquals(0, wire.levels(), wire.deepest().toString());
    }

    /** The Java source named for the deepest path's ends is a real line of the generator that makes that signal. */
    @Test
    void deepestPathIsNamedInTheJava(@TempDir Path dir) throws IOException {
        Gates.Levels l = Gates.levels(LibraryTops.elaborate("axis_fifo_64_d16"), dir, Gates.Target.XILINX);
        assertTrue(l.levels() > 0 && l.levels() < 10, "a 16-deep FIFO's pointers: " + l.levels());
        for (String src : List.of(l.fromSource(), l.toSource())) {
            Matcher m = Pattern.compile("(\\w+\\.java):(\\d+) \\((\\w+)\\.(\\w+)\\)").matcher(src);
            assertTrue(m.matches(), src);
            Path java;
            try (var s = Files.walk(ROOT.resolve("hdl-gen/src/main/java"))) {
                java = s.filter(p -> p.getFileName().toString().equals(m.group(1))).findFirst().orElseThrow();
            }
            String line = Files.readAllLines(java).get(Integer.parseInt(m.group(2)) - 1);
            // the signal's emitted name is its Java field's name (a register's with _reg after it)
            String field = m.group(4).replaceFirst("_reg$", "");
            assertTrue(line.replace("_", "").toLowerCase().contains(field.replace("_", "").toLowerCase()),
                    src + " names line: " + line.trim());
        }
    }
}
