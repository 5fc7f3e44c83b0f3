package org.ntsfab.flow;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.ntsfab.gen.LibraryTops;

/** One budget, 8 Xilinx levels, for every top the generator emits: no top has a ceiling above it. */
class LevelBudgetTest {
    @Test
    void everyLibraryTopHasTheBudgetOfEight() {
        assertEquals(8, LevelBudget.XILINX);
        // the responder's cores among them (issue 17: 38 and 39 levels before the pipelining)
        assertEquals(8, LevelBudget.xilinx("ntsfab_top"));
        assertEquals(8, LevelBudget.xilinx("ntsfab_top_8"));
        for (String top : LibraryTops.all().keySet()) assertEquals(LevelBudget.XILINX, LevelBudget.xilinx(top), top);
    }
}
