package org.ntsfab.flow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The budget's rules: 8 unless a ceiling is listed, and paths ending inside an NTS engine do not count. */
class LevelBudgetTest {
    @Test
    void budgetIsEightUnlessACeilingIsListed() {
        assertEquals(8, LevelBudget.xilinx("eth_fcs_64"));
        for (Map.Entry<String, Integer> e : LevelBudget.NOT_YET.entrySet())
            assertTrue(e.getValue() > 8, e.getKey() + ": an entry at or below the budget must go");
    }

    @Test
    void pathsIntoTheNtsEnginesDoNotCount() {
        assertFalse(LevelBudget.counted("nts_engine0.siv.cmac.state_reg"));
        assertFalse(LevelBudget.counted("nts_engine12.x"));
        assertTrue(LevelBudget.counted("nts_mux.sel_reg"));
        assertTrue(LevelBudget.counted("answerer.job_queue.out_valid"));
        assertTrue(LevelBudget.counted("output tx_tdata"));
        LogicLevels.Report r = new LogicLevels.Report(new LogicLevels.Path_(30, "a", "nts_engine0.b", List.of()), Map.of(30, 1, 7, 1), 10,
                Map.of("nts_engine0.b_reg", 30, "answerer.c_reg", 7));
        assertEquals(7, LevelBudget.levels(r));
    }
}
