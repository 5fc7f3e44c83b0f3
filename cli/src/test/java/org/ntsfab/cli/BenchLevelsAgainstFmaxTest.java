package org.ntsfab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The bench's table of iCE40 LUT4 levels against nextpnr's Fmax, from rows given here (no tools run). */
class BenchLevelsAgainstFmaxTest {
    @Test
    void pearsonOfExactlyLinearSeriesIsOneOrMinusOne() {
        assertEquals(1.0, BenchVerb.pearson(new double[] {1, 2, 3, 4}, new double[] {2, 4, 6, 8}), 1e-12);
        assertEquals(-1.0, BenchVerb.pearson(new double[] {1, 2, 3}, new double[] {9, 6, 3}), 1e-12);
        // x = 1, 2, 3 against y = 1, 3, 2: covariance 1, variances 2 and 2, r = 0.5
        assertEquals(0.5, BenchVerb.pearson(new double[] {1, 2, 3}, new double[] {1, 3, 2}), 1e-12);
    }

    @Test
    void tableListsEachTopByLevelsWithItsPeriodPerLevel() {
        String t = BenchVerb.levelsAgainstFmax(List.of(new BenchVerb.Routed("deep", 10, 700, 0, 50.0),
                new BenchVerb.Routed("shallow", 2, 0, 1, 250.0), new BenchVerb.Routed("mid", 5, 3, 0, 100.0)));
        // 50 MHz is 20 ns, over 10 levels 2.00 ns each; 250 MHz 4 ns over 2 levels; 100 MHz 10 ns over 5 levels
        assertTrue(t.contains("| deep | 10 | 50.0 | 20.00 | 2.00 | 700 | 0 |"), t);
        assertTrue(t.contains("| shallow | 2 | 250.0 | 4.00 | 2.00 | 0 | 1 |"), t);
        assertTrue(t.indexOf("| shallow |") < t.indexOf("| mid |") && t.indexOf("| mid |") < t.indexOf("| deep |"), t);
        // periods 4, 10, 20 against levels 2, 5, 10 lie on one line (2 ns per level): r = 1
        assertTrue(t.contains("3 tops: Pearson r (levels, period) = 1.00; ns per level 2.00-2.00, median 2.00"), t);
    }
}
