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
     * Tops still above {@link #XILINX}, each held at its depth measured on the day its pipelining was not yet done (a ratchet:
     * the gate fails when one gets deeper; issue 17 brings them to the budget, and each entry goes when its top gets there).
     */
    static final Map<String, Integer> NOT_YET = Map.of();

    /** The budget of library top {@code top} on Xilinx. */
    public static int xilinx(String top) {
        return NOT_YET.getOrDefault(top, XILINX);
    }
}
