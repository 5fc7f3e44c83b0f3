package org.ntsfab.flow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** The budget's rules: 8 unless a ceiling is listed, and a listed ceiling is above 8. */
class LevelBudgetTest {
    @Test
    void budgetIsEightUnlessACeilingIsListed() {
        assertEquals(8, LevelBudget.xilinx("eth_fcs_64"));
        // the responder's cores are at the budget (issue 17: 38 and 39 before the pipelining)
        assertEquals(8, LevelBudget.xilinx("ntsfab_top"));
        assertEquals(8, LevelBudget.xilinx("ntsfab_top_8"));
        for (Map.Entry<String, Integer> e : LevelBudget.NOT_YET.entrySet())
            assertTrue(e.getValue() > 8, e.getKey() + ": an entry at or below the budget must go");
    }
}
