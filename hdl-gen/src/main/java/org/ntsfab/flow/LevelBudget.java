package org.ntsfab.flow;

import java.util.Map;

/**
 * The logic-level budget of every emitted top on Xilinx 7-series (LUT6 levels, counted by {@link LogicLevels} on the flat
 * {@code synth_xilinx} netlist), in one place: the synthesis gate fails a top above its budget, and {@code ntsfab bench}
 * prints each top's levels against it.
 */
public final class LevelBudget {
    private LevelBudget() {}

    /** 156.25 MHz (6.4 ns) on a 7-series -2 part allows about 6 to 8 LUT levels with routing. */
    public static final int XILINX = 8;

    /**
     * Tops still above {@link #XILINX}, each with its ceiling: none. The entries of issue 17's pipelining and of the
     * per-request NTS engines' blocks (which issue 18 removed) are gone; a top that needs one again is a regression.
     */
    static final Map<String, Integer> NOT_YET = Map.of();

    /** The budget of library top {@code top} on Xilinx. */
    public static int xilinx(String top) {
        return NOT_YET.getOrDefault(top, XILINX);
    }
}
