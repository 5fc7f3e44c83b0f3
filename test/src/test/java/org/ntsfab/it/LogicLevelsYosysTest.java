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
        return synth(dir, verilog, top, "synth_xilinx -flatten -noiopad");
    }

    private static LogicLevels.Report synth(Path dir, String verilog, String top, String command) throws IOException {
        Path v = Files.writeString(dir.resolve(top + ".v"), verilog);
        Path json = dir.resolve(top + "-" + command.split(" ")[0] + ".json");
        Tools.run(List.of("yosys", "-q", "-p", "read_verilog " + v + "; " + command + " -top " + top + "; write_json " + json), true);
        return LogicLevels.of(json, top);
    }

    /** An n-input AND between registers. */
    private static String and(String name, int n) {
        return "module " + name + "(input wire clk, input wire [" + (n - 1) + ":0] w, output reg y);\n"
                + "reg [" + (n - 1) + ":0] rw;\nalways @(posedge clk) begin rw <= w; y <= &rw; end\nendmodule\n";
    }

    private static final String ADD8 = """
            module add8(input wire clk, input wire [7:0] a, input wire [7:0] b, output reg [7:0] s);
            reg [7:0] ra, rb;
            always @(posedge clk) begin ra <= a; rb <= b; s <= ra + rb; end
            endmodule
            """;

    private static final String WIRE8 = """
            module wire8(input wire clk, input wire [7:0] w, output reg [7:0] y);
            reg [7:0] rw;
            always @(posedge clk) begin rw <= w; y <= rw; end
            endmodule
            """;

    /**
     * ECP5 ({@code synth_ecp5}): a slice holds two LUT4s, its PFUMX makes them a LUT5 and L6MUX21 joins two slices into
     * a LUT6, so up to six inputs are one level (Yosys maps and5 to two LUT4s and a PFUMX, and6 to four LUT4s, two
     * PFUMX and an L6MUX21); sixteen inputs need two levels whatever the LUT width (4 or 7 inputs); an adder is a CCU2C
     * chain (the slices' LUT4s in ripple mode): its LUT and the carry, two levels, as on Xilinx and iCE40.
     */
    @Test
    void ecp5LevelsFollowTheSlice(@TempDir Path dir) throws IOException {
        String ecp5 = "synth_ecp5";
        assertEquals(1, synth(dir, and("and4", 4), "and4", ecp5).levels(), "and4: one LUT4");
        assertEquals(1, synth(dir, and("and5", 5), "and5", ecp5).levels(), "and5: two LUT4s and a PFUMX, one slice");
        assertEquals(1, synth(dir, and("and6", 6), "and6", ecp5).levels(), "and6: two slices and an L6MUX21");
        assertEquals(2, synth(dir, and("and16", 16), "and16", ecp5).levels(), "and16: two levels");
        LogicLevels.Report add = synth(dir, ADD8, "add8", ecp5);
        assertEquals(2, add.levels(), "add8: CCU2C, its LUT4 and the carry: " + add.deepest());
        assertEquals(0, synth(dir, WIRE8, "wire8", ecp5).levels(), "registers into registers");
    }

    /**
     * iCE40 ({@code synth_ice40}): LUT4s only, no wide-function mux: n inputs take ceil(log4 n) levels (and6 two,
     * and16 two, and32 three); an adder is SB_CARRY (entered once) into the sum's SB_LUT4, two levels.
     */
    @Test
    void ice40LevelsAreLut4Levels(@TempDir Path dir) throws IOException {
        String ice40 = "synth_ice40";
        assertEquals(1, synth(dir, and("and4", 4), "and4", ice40).levels(), "and4");
        assertEquals(2, synth(dir, and("and6", 6), "and6", ice40).levels(), "and6");
        assertEquals(2, synth(dir, and("and16", 16), "and16", ice40).levels(), "and16");
        assertEquals(3, synth(dir, and("and32", 32), "and32", ice40).levels(), "and32");
        LogicLevels.Report add = synth(dir, ADD8, "add8", ice40);
        assertEquals(2, add.levels(), "add8: " + add.deepest());
        assertEquals(0, synth(dir, WIRE8, "wire8", ice40).levels(), "registers into registers");
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
