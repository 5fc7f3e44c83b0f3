package org.ntsfab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.ntsfab.model.ConfigFile;
import org.ntsfab.sim.TopSim;

/** The line {@code sim} prints when NTS requests were dropped as overload, for the configurations the repository ships. */
class SimOverloadNoteTest {
    private static TopSim.Report report(long answered, long overload) {
        Map<String, Long> c = new HashMap<>();
        for (String o : List.of("answer_nts", "answer_nts_nak_cookie", "answer_nts_nak_auth", "drop_nts_malformed")) c.put("count_" + o, 0L);
        c.put("count_answer_nts", answered);
        c.put("count_drop_nts_overload", overload);
        c.put("count_answer_overload", 0L);
        c.put("count_store_overflow", 0L);
        return new TopSim.Report(0, List.of(), List.of(), c, Map.of(), List.of(), 0, 0, null, List.of(), List.of(), null, List.of(), List.of());
    }

    @Test
    void twoResidenceClassesAreDescribedWithTheirOwnRates() throws Exception {
        // configs/10g-nts.toml: 3 cores of 31 contexts, short hold 3 000 + 400 cycles, long 12 000 + 400, at 156.25 MHz:
        // 31 x 156.25e6 / 3 400 = 1 424 632 short and 31 x 156.25e6 / 12 400 = 390 625 long requests/s per core
        // (the two-class sentence once failed on a whole-number rate given to %.0f)
        ConfigFile cfg = ConfigFile.load(Path.of("..").toAbsolutePath().normalize().resolve("configs/10g-nts.toml"));
        String note = SimVerb.ntsOverloadNote(cfg, report(2786, 3214), List.of(), true);
        assertEquals("NTS: 3214 of 6000 NTS requests (54 %) dropped as drop_nts_overload: they came at line rate; this configuration has 3 NTS"
                + " cores of 31 contexts, each context held 3400 cycles for a request of up to 256 payload bytes (at most 1424632 requests/s per"
                + " core) and 12400 for the others (390625/s), fewer when 16000 payload bytes fill first (nothing else was lost). To answer them"
                + " all: more cores ([nts] cores, up to 4), a shorter residence_cycles, or a capture at a lower NTS rate.", note);
        assertNull(SimVerb.ntsOverloadNote(cfg, report(10, 0), List.of(), true), "no overload, no note");
    }
}
