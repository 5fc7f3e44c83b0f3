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
 * A module kept as a box through Yosys's real flow (the gate's treatment of the NTS engines): the logic inside it is not
 * counted, the logic before and after it is, and the cell counts still include it.
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
    void aBoxedModulesInsideIsNotCountedButItsCellsAre(@TempDir Path dir) throws Exception {
        Path v = Files.writeString(dir.resolve("outer.v"), VERILOG);
        Gates.Utilization flat = Gates.synthesize("outer", List.of(v), dir, Gates.Target.XILINX);
        // flat: the AND's two LUT levels, the XOR folded into the second LUT or one more: 2 or 3
        assertTrue(flat.levels().levels() >= 2, "flat: " + flat.levels().deepest());
        Gates.Utilization boxed = Gates.synthesize("outer", List.of(v), dir, Gates.Target.XILINX, Set.of("deep"));
        // boxed: ra straight into the box (0), the box's output through the XOR LUT into q (1)
        assertEquals(1, boxed.levels().levels(), boxed.levels().deepest().toString());
        assertEquals(flat.ffs(), boxed.ffs());
        assertTrue(boxed.luts() >= 7, "the box's LUTs are in the hierarchy total: " + boxed.byType());
    }
}
