package org.ntsfab.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ntsfab.flow.Gates;

/**
 * A module kept as hierarchy through Yosys's real flow: a path through it costs the module's own depth, the logic
 * before and after it counts too, and the cell counts include it; made a black box (the suite's gate of ntsfab_top and its NTS cores), its
 * cells are not synthesized at all and only the levels around it count. A module with a flip-flop cannot be kept: its
 * paths would not join the parent's.
 */
class LogicLevelsBoxTest {
    /** deep: a 36-input AND between its ports (two LUT6 levels); the top registers around it, with one LUT after it. */
    private static final String VERILOG = """
            module deep(input wire [35:0] a, output wire y);
            assign y = &a;
            endmodule
            module outer(input wire clk, input wire [35:0] a, input wire b, output reg q);
            reg [35:0] ra;
            reg rb;
            wire y;
            deep inner(.a(ra), .y(y));
            always @(posedge clk) begin ra <= a; rb <= b; q <= y ^ rb; end
            endmodule
            """;

    @Test
    void aKeptModuleCountsItsOwnDepthAndABlackBoxDoesNot(@TempDir Path dir) throws Exception {
        Path v = Files.writeString(dir.resolve("outer.v"), VERILOG);
        Gates.Utilization flat = Gates.synthesize("outer", List.of(v), dir, Gates.Target.XILINX);
        // flat: the AND's two LUT levels, the XOR folded into the second LUT or one more: 2 or 3
        assertTrue(flat.levels().levels() >= 2, "flat: " + flat.levels().deepest());
        Gates.Utilization boxed = Gates.synthesize("outer", List.of(v), dir, Gates.Target.XILINX, Set.of("deep"));
        // kept: ra through the AND's two LUT levels inside (mapped on its own), then the XOR's LUT into q: 3
        assertEquals(3, boxed.levels().levels(), boxed.levels().deepest().toString());
        assertEquals(flat.ffs(), boxed.ffs());
        assertTrue(boxed.luts() >= 7, "the box's LUTs are in the hierarchy total: " + boxed.byType());
        Gates.Utilization black = Gates.synthesizeBlackBoxed("outer", List.of(v), dir, Gates.Target.XILINX, Set.of("deep"));
        // black: ra straight into the box (0), the box's output through the XOR LUT into q (1)
        assertEquals(1, black.levels().levels(), black.levels().deepest().toString());
        assertEquals(flat.ffs(), black.ffs());
        assertTrue(black.luts() < boxed.luts() - 5, "a black box's LUTs are not synthesized: " + black.byType() + " against " + boxed.byType());
    }

    @Test
    void aKeptModuleWithAFlipFlopIsRefused(@TempDir Path dir) throws Exception {
        Path v = Files.writeString(dir.resolve("outer.v"), """
                module held(input wire clk, input wire [35:0] a, output reg y);
                always @(posedge clk) y <= &a;
                endmodule
                module outer(input wire clk, input wire [35:0] a, output wire q);
                held inner(.clk(clk), .a(a), .y(q));
                endmodule
                """);
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> Gates.synthesize("outer", List.of(v), dir, Gates.Target.XILINX, Set.of("held")));
        assertTrue(e.getMessage().contains("held") && e.getMessage().contains("combinational"), e.getMessage());
    }
}
