package org.ntsfab.responder.nts;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.ntsfab.harness.AxisFrames;
import org.ntsfab.harness.SimOptions;
import org.ntsfab.harness.SimSeeds;
import org.ntsfab.harness.Testbench;
import org.ntsfab.hdl.Design;
import org.ntsfab.model.ConfigFile;
import org.ntsfab.model.Outcome;
import org.ntsfab.model.Responder;
import org.ntsfab.model.ResponderConfig;
import org.ntsfab.model.nts.MasterKeys;
import org.ntsfab.model.traffic.FrameBuilder;
import org.ntsfab.responder.ResponderBench;

/**
 * The NTS core with its admission and departures, frame in and frame out, against the reference model configured
 * with the same capacity (spec §9.7; the model decides admission by itself from the arrival cycles): every request's
 * admission equal, every answer and NAK frame equal byte for byte (IPv4 and IPv6, both AEADs, every kind of request of
 * {@link NtsCoreSimTest}), each frame's first beat at exactly its request's first beat + D (T3 sealed for then), none
 * late; arrivals in bursts above the capacity (drops) and gaps below it.
 */
class NtsCoreResponderSimTest {
    /**
     * 76.8 us at 156.25 MHz (what one core needs for this corpus's largest requests: one lane does a request's blocks one
     * after another, bench --nts-core), the hold 400 cycles more, and a work budget of 8 000 payload bytes held at once (it binds before the 31 contexts do on this corpus at times).
     */
    static final int D = 12000, H = D + 400, W = 8000;
    /** The short class: chrony's requests without placeholders (228 and 296 bytes for AEAD 15 and 17) leave 3 000 cycles (19.2 us) after arriving. */
    static final int SHORT_MAX = 300, DS = 3000;

    @org.junit.jupiter.params.ParameterizedTest(name = "{0} core(s), two residence classes: {1}")
    @org.junit.jupiter.params.provider.CsvSource({"1, false", "2, false", "2, true"})
    void framesAndAdmissionsAreTheModelsAtTheFixedResidence(int cores, boolean two) throws Exception {
        run(cores, two, DS, false);
    }

    /**
     * A short residence far too short for the work (400 cycles: a chrony-sized request takes 1 500 or more): short
     * answers are late, and the departures must still send every answer, byte for byte the model's (T3 is fixed at
     * admission, so a late answer is the same frame, later) and release every context: no wedge, however late. The
     * departure that waited for a late short answer while long answers held the contexts its request needed was wedged
     * before the other class was allowed past an overdue head.
     */
    @Test
    void lateShortAnswersNeverWedgeTheDepartures() throws Exception {
        run(1, true, 400, true);
    }

    private void run(int cores, boolean two, int DS, boolean lateExpected) throws Exception {
        int HS = DS + 400;
        ConfigFile cf = ConfigFile.load(Path.of("../configs/example.toml"));
        ResponderConfig base = cf.responder(Instant.parse("2026-12-01T00:00:00Z"));
        long seed = SimSeeds.announce("nts_core_responder", "responder", false);
        SplittableRandom rnd = new SplittableRandom(seed);
        Map<Long, byte[]> master = new LinkedHashMap<>();
        for (long id : NtsCoreSimTest.IDS) master.put(id, NtsCoreSimTest.rand(rnd, 32));
        byte[] nonceSeed = NtsCoreSimTest.rand(rnd, 16);
        long current = NtsCoreSimTest.IDS[1];
        ResponderConfig rc = NtsCoreSimTest.withNts(base, new ResponderConfig.Nts(new MasterKeys(master, current), nonceSeed,
                two ? new ResponderConfig.Capacity(cores, NtsCore.CONTEXTS, D, H, W, SHORT_MAX, DS, HS) : new ResponderConfig.Capacity(cores, NtsCore.CONTEXTS, D, H, W)));
        Responder model = new Responder(rc);
        List<Integer> wantCore = new ArrayList<>();
        model.onNtsDecision(wantCore::add);
        FrameBuilder.Endpoints ep = new FrameBuilder.Endpoints(rc.mac(), rc.ipv4(), rc.ipv6(), new byte[] {2, 0, 0, 0, 0, 7},
                new byte[] {(byte) 192, 0, 2, 7}, new byte[] {0x20, 0x01, 0x0d, (byte) 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x12, 0x34}, rc.vlan());

        Design d = Design.elaborate(() -> new NtsCoreResponderTop(cores, D, H, W, two ? new NtsAdmission.Classes(SHORT_MAX, DS, HS, D) : null));
        Map<Outcome, Integer> seen = new EnumMap<>(Outcome.class);
        try (Testbench tb = Testbench.of(d).source("request").source("in").source("key_load").sink("out").build(SimOptions.fast(), seed)) {
            ResponderBench.setCfg(tb, rc);
            tb.set("max_placeholders", rc.maxPlaceholders());
            NtsCoreSimTest.loadKeys(tb, master, nonceSeed);
            tb.run(2000);
            int ci = tb.plainOutIndex("cycle_now");
            List<BigInteger[]> h0 = tb.plainHistory();
            long offset = h0.get(h0.size() - 1)[ci].longValue() - (h0.size() - 1);  // counter = harness cycle + offset

            int n = 400;
            List<byte[]> want = new ArrayList<>();
            List<Long> wantAt = new ArrayList<>();
            List<Boolean> wantAdmitted = new ArrayList<>();
            long rx = tb.cycle() + offset + 100;
            int prevBeats = 0;
            // the same arrivals under the count alone: the budget must have dropped some of what the count admits
            org.ntsfab.model.nts.NtsCapacity countOnly = new org.ntsfab.model.nts.NtsCapacity(NtsCore.CONTEXTS, H);
            int byCount = 0, shorts = 0;
            for (int i = 0; i < n; i++) {
                NtsCoreSimTest.Req q = NtsCoreSimTest.request(rnd, master, current);
                boolean v6 = rnd.nextInt(3) == 0;
                int port = 1024 + rnd.nextInt(60000);
                byte[] frame = FrameBuilder.udpFrame(ep, v6, port, 123, q.payload());
                // arrivals: bursts (back to back: the frame before's beats and 20 bytes of preamble and gap) above the
                // capacity's 31 per hold, and gaps below it
                rx += prevBeats + 3 + (i % 100 < 40 ? 0 : rnd.nextInt(400));
                prevBeats = (frame.length + 7) / 8;
                Responder.Result m = model.process(frame, false, rx);
                if (countOnly.admit(rx)) byCount++;
                seen.merge(m.outcome(), 1, Integer::sum);
                wantAdmitted.add(m.outcome() != Outcome.DROP_NTS_OVERLOAD);
                if (m.answer() != null) {
                    // the model's own residence for it (its class's)
                    assertTrue(m.ntsResidence() == D || two && m.ntsResidence() == DS, "residence " + m.ntsResidence());
                    if (m.ntsResidence() == DS) shorts++;
                    want.add(m.answer().at(rx + m.ntsResidence()));
                    wantAt.add(rx + m.ntsResidence());
                }
                // the decision some cycles after the first beat (the top classifies the headers first)
                long decideAt = rx + 12 - offset;
                if (decideAt > tb.cycle()) tb.run(decideAt - tb.cycle());
                byte[] p = q.payload();
                long clockRx = rc.clock().at(rx), clockTx = rc.clock().at(rx + D), clockShort = rc.clock().at(rx + DS);
                BigInteger ip = v6 ? new BigInteger(1, ep.clientIp6()) : new BigInteger(1, ep.clientIp4());
                List<BigInteger> fields = new ArrayList<>(List.of(BigInteger.ZERO, BigInteger.ZERO, BigInteger.ZERO, BigInteger.valueOf(v6 ? 1 : 0), BigInteger.ZERO, BigInteger.ZERO,
                        new BigInteger(1, ep.clientMac()), ip, BigInteger.valueOf(port), BigInteger.valueOf((p[0] >> 3) & 7), BigInteger.valueOf(p[2] & 0xff),
                        new BigInteger(1, Arrays.copyOfRange(p, 40, 48)), BigInteger.valueOf(clockRx).and(mask64()), BigInteger.valueOf(rc.clock().leapIndicator(rx)),
                        BigInteger.valueOf(v6 ? 62 : 42), BigInteger.valueOf(p.length), BigInteger.valueOf(rx & 0xffffffffL), BigInteger.valueOf(clockTx).and(mask64())));
                if (two) fields.add(BigInteger.valueOf(clockShort).and(mask64()));
                tb.push("request", fields.toArray(new BigInteger[0]));
                for (AxisFrames.Beat b : AxisFrames.toBeats(frame, 8, 0)) tb.push("in", b.fields());
            }
            tb.runUntilDrained(2_000_000, D + 3000);
            List<BigInteger[]> hist = tb.plainHistory();
            int av = tb.plainOutIndex("admission_valid"), aa = tb.plainOutIndex("admission_admitted"), ac = tb.plainOutIndex("admission_core");
            int[] dv = new int[cores], dl = new int[cores];
            for (int k = 0; k < cores; k++) {
                String tag = cores == 1 ? "" : String.valueOf(k);
                dv[k] = tb.plainOutIndex("done" + tag + "_valid");
                dl[k] = tb.plainOutIndex("done" + tag + "_late");
            }
            List<Boolean> admitted = new ArrayList<>();
            List<Integer> core = new ArrayList<>();
            int late = 0, dones = 0;
            for (BigInteger[] row : hist) {
                if (row[av].signum() != 0) {
                    admitted.add(row[aa].signum() != 0);
                    core.add(row[aa].signum() != 0 ? row[ac].intValue() : -1);
                }
                for (int k = 0; k < cores; k++)
                    if (row[dv[k]].signum() != 0) {
                        dones++;
                        if (row[dl[k]].signum() != 0) late++;
                    }
            }
            assertEquals(wantAdmitted, admitted, "every admission as the model's rule decides it");
            assertEquals(wantCore, core, "every request to the core the model's rule picks");
            if (cores > 1) assertTrue(core.contains(cores - 1), "the last core took requests: " + core);
            if (lateExpected) assertTrue(late > 10, late + " late answers");
            else assertEquals(0, late, "answers late for their departure");
            List<Testbench.Beat> beats = tb.beats("out");
            List<byte[]> got = AxisFrames.frames(beats, 8);
            List<Long> firstAt = new ArrayList<>();
            boolean startOfFrame = true;
            for (Testbench.Beat b : beats) {
                if (startOfFrame) firstAt.add(b.cycle() + offset);
                startOfFrame = b.field(2) != 0;
            }
            assertEquals(want.size(), got.size(), "one frame per answer or NAK");
            if (lateExpected) {
                // every frame the model sends, in whatever order lateness left them
                Map<String, Integer> bag = new java.util.HashMap<>();
                for (byte[] w : want) bag.merge(java.util.HexFormat.of().formatHex(w), 1, Integer::sum);
                for (byte[] g : got) bag.merge(java.util.HexFormat.of().formatHex(g), -1, Integer::sum);
                assertTrue(bag.values().stream().allMatch(v -> v == 0), "the frames are the model's");
                assertEquals(wantAdmitted.stream().filter(x -> x).count(), (long) dones, "one done per admitted request");
                System.out.printf("nts_core_responder, D_s %d: %d frames, %d late, all the model's, every context released%n", DS, got.size(), late);
                return;
            }
            // the port carries them in departure order (two classes: a short answer may pass a long one admitted before it)
            Integer[] order = new Integer[want.size()];
            for (int i = 0; i < order.length; i++) order[i] = i;
            Arrays.sort(order, (x, y) -> Long.compare(wantAt.get(x), wantAt.get(y)));
            for (int k = 0; k < order.length; k++) {
                int i = order[k];
                assertArrayEquals(want.get(i), got.get(k), "answer " + i + " (frame " + k + " on the port)");
                assertEquals(wantAt.get(i), firstAt.get(k), "answer " + i + ": its first beat at first beat + its class's residence");
            }
            if (two) assertTrue(shorts > 50 && shorts < want.size() - 50, shorts + " short of " + want.size());
            long admittedCount = wantAdmitted.stream().filter(x -> x).count();
            assertEquals(admittedCount, dones, "one done per admitted request");
            System.out.printf("nts_core_responder (%d core(s), D %d, H %d, W %d%s): %s; %d frames at first beat + D exactly (%d short), 0 late%n", cores, D, H, W,
                    two ? ", short up to " + SHORT_MAX + " bytes at D_s " + DS : "", seen, got.size(), shorts);
            assertTrue(seen.getOrDefault(Outcome.DROP_NTS_OVERLOAD, 0) > 10 && seen.getOrDefault(Outcome.ANSWER_NTS, 0) > 60, seen.toString());
            if (cores == 1) assertTrue(admittedCount < byCount, "the work budget decided some drops: " + admittedCount + " admitted, " + byCount + " by the count alone");
            assertTrue(tb.violations().isEmpty(), tb.violations().toString());
        }
    }

    static BigInteger mask64() {
        return BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE);
    }
}
