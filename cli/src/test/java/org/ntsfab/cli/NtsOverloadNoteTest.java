package org.ntsfab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.ntsfab.model.ConfigFile;
import org.ntsfab.model.pcap.Pcap;
import org.ntsfab.responder.regs.ResponderRegisters;
import org.ntsfab.sim.TopSim;

/** The demo's and sim's plain line on NTS overload: the counts, the rate from the capture's own times, the remedy. */
class NtsOverloadNoteTest {
    private static TopSim.Report report(long answered, long nak, long overload) {
        Map<String, Long> c = new HashMap<>();
        for (String o : List.of("ANSWER_NTS", "ANSWER_NTS_NAK_COOKIE", "ANSWER_NTS_NAK_AUTH", "DROP_NTS_MALFORMED", "DROP_NTS_OVERLOAD"))
            c.put(ResponderRegisters.counterName(o), 0L);
        c.put(ResponderRegisters.counterName("ANSWER_NTS"), answered);
        c.put(ResponderRegisters.counterName("ANSWER_NTS_NAK_COOKIE"), nak);
        c.put(ResponderRegisters.counterName("DROP_NTS_OVERLOAD"), overload);
        return new TopSim.Report(0, List.of(), List.of(), c, Map.of(), List.of(), 0, 0, null, List.of(), List.of(), null);
    }

    /** 1 000 frames 10 µs apart: a capture of 9.99 ms. */
    private static List<Pcap.Record> capture() {
        List<Pcap.Record> in = new ArrayList<>();
        Instant t = Instant.parse("2026-11-24T12:00:00Z");
        for (int i = 0; i < 1000; i++) in.add(new Pcap.Record(t.plusNanos(10_000L * i), new byte[60]));
        return in;
    }

    @Test
    void overloadIsExplainedWithTheCapturesRateAndTheEngines() throws Exception {
        ConfigFile cfg = ConfigFile.load(Path.of("..").toAbsolutePath().normalize().resolve("configs/example.toml"));
        // 800 NTS-bound in 9.99 ms: 80 080/s; 200 taken (20 020/s), 600 dropped (75 %)
        String note = SimVerb.ntsOverloadNote(cfg, report(180, 20, 600), capture(), false);
        assertEquals("NTS: 600 of 800 NTS requests (75 %) dropped as drop_nts_overload: they came at 80080/s over the capture's 9.990 ms, its own"
                + " timing, while the engine took 20020/s; this configuration has 1 NTS engine, each taking one request at a time (nothing else"
                + " was lost). To answer them all: more engines ([nts] engines, e.g. configs/10g-nts.toml's 48, at 10GbE line rate) or a"
                + " capture at a lower NTS rate.", note);
        assertEquals(true, SimVerb.ntsOverloadNote(cfg, report(180, 20, 600), capture(), true).contains("they came at line rate;"));
        // other losses are not denied when there were some
        TopSim.Report r = report(180, 20, 600);
        r.rtlCounters().put("count_store_overflow", 3L);
        assertEquals(false, SimVerb.ntsOverloadNote(cfg, r, capture(), false).contains("nothing else"));
    }

    @Test
    void noOverloadNoLine() throws Exception {
        ConfigFile cfg = ConfigFile.load(Path.of("..").toAbsolutePath().normalize().resolve("configs/example.toml"));
        assertNull(SimVerb.ntsOverloadNote(cfg, report(200, 0, 0), capture(), false));
    }

    @Test
    void theStandaloneModelSaysItsNtsCountsAreAnUpperBound() throws Exception {
        ConfigFile cfg = ConfigFile.load(Path.of("..").toAbsolutePath().normalize().resolve("configs/example.toml"));
        Map<org.ntsfab.model.Outcome, Long> c = new java.util.EnumMap<>(org.ntsfab.model.Outcome.class);
        c.put(org.ntsfab.model.Outcome.ANSWER_NTP, 40L);
        assertNull(ModelVerb.ntsAdmissionNote(cfg, c), "no NTS request, no line");
        c.put(org.ntsfab.model.Outcome.ANSWER_NTS, 930L);
        c.put(org.ntsfab.model.Outcome.ANSWER_NTS_NAK_COOKIE, 3L);
        assertEquals("NTS: the model admitted all 933 NTS requests; this configuration's 1 NTS engine admits by its own timing (spec 9.7)"
                + " and drops the rest as drop_nts_overload: `ntsfab sim --check` gives the hardware's count.", ModelVerb.ntsAdmissionNote(cfg, c));
    }
}
