package org.ntsfab.flow;

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
     * The budget of library top {@code top} on Xilinx: {@link #XILINX} for every top. The ceilings that tops above it once
     * had (issue 17's pipelining, the per-request NTS engines' blocks that issue 18 removed) are gone; a top that needs
     * one again is a regression to fix, not an entry to add.
     */
    public static int xilinx(String top) {
        return XILINX;
    }
}
