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
     * Tops still above {@link #XILINX}: a ceiling each, its depth measured (Yosys 0.23, this repository's counter) before the
     * pipelining of issue 17, so that none gets deeper while the work goes on; each entry is lowered as its top is
     * pipelined and goes when the top is at the budget. The NTS engines' AES and SIV blocks are replaced by issue 18 (a
     * shared multi-context core born within the budget), so their entries stay until then.
     */
    static final Map<String, Integer> NOT_YET = Map.ofEntries(
            // NTS engine blocks (issue 18 replaces them)
            Map.entry("aes128_cmac_engine_16", 17),
            Map.entry("aes_siv256_unit", 10),
            Map.entry("aes_siv512_unit", 13));

    /** The budget of library top {@code top} on Xilinx. */
    public static int xilinx(String top) {
        return NOT_YET.getOrDefault(top, XILINX);
    }

    /**
     * Modules the level count keeps as boxes ({@link Gates#synthesize(String, java.util.List, java.nio.file.Path,
     * Gates.Target, java.util.Set)}): the NTS engines ({@code nts_engine…}), which issue 18 replaces and whose blocks keep
     * the ceilings of their own tops above meanwhile. Their ports start and end paths, so a top's count is the logic outside
     * them, including what drives their inputs and what their outputs drive.
     */
    public static boolean boxed(String module) {
        return module.startsWith("nts_engine");
    }
}
