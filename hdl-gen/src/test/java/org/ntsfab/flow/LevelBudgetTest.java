package org.ntsfab.flow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** The budget's rules: 8 unless a ceiling is listed; the NTS engines, and nothing else, are kept as boxes. */
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

    @Test
    void onlyTheNtsEnginesAreBoxed() {
        assertTrue(LevelBudget.boxed("nts_engine"));
        assertFalse(LevelBudget.boxed("ntsfab_top"));
        assertFalse(LevelBudget.boxed("axis_frame_mux_4"));
        assertFalse(LevelBudget.boxed("ntp_answerer"));
        assertFalse(LevelBudget.boxed("aes_siv256_unit_x_w128"));
    }
}
