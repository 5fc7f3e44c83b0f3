package org.ntsfab.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.ntsfab.model.nts.NtsCapacity;
import org.ntsfab.model.nts.NtsCores;
import org.ntsfab.model.traffic.FrameBuilder;
import org.ntsfab.model.traffic.NtsClient;

/** The NTS core's admission rule (spec §9.7): C contexts, each held H cycles from its request's first beat. */
class NtsCapacityTest {
    private static final long TX = 0x1122334455667788L;

    @Test
    void admitsUpToTheContextsAndFreesEachExactlyHCyclesAfterItsFirstBeat() {
        NtsCapacity c = new NtsCapacity(3, 100);
        assertTrue(c.admit(0));
        assertTrue(c.admit(10));
        assertTrue(c.admit(20));
        assertFalse(c.admit(30), "three held: the fourth is dropped");
        assertFalse(c.admit(99), "the first is held through cycle 99 (0 + 100 - 1)");
        assertTrue(c.admit(100), "and free at 100: r - H < a fails for a = 0");
        assertFalse(c.admit(109), "10, 20, 100 held");
        assertTrue(c.admit(110));
        assertEquals(3, c.heldAt(110));
    }

    @Test
    void theWorkBudgetHoldsEachRequestsBytesForItsHold() {
        NtsCapacity c = new NtsCapacity(31, 100, 3000);
        assertTrue(c.admit(0, 1472));
        assertTrue(c.admit(10, 1472), "2 944 bytes held");
        assertFalse(c.admit(20, 100), "3 044 would exceed 3 000");
        assertTrue(c.admit(20, 56), "exactly the budget");
        assertFalse(c.admit(30, 1), "the budget is full");
        assertEquals(3000, c.bytesHeldAt(30));
        assertFalse(c.admit(99, 1), "the first request's bytes are held through cycle 99");
        assertTrue(c.admit(100, 1472), "and free at 100: 1 472 + 56 + 1 472");
        assertFalse(c.admit(109, 1));
        assertTrue(c.admit(110, 1472), "the second's 1 472 free at 110");
        assertEquals(3000, c.bytesHeldAt(110));
        assertThrows(IllegalStateException.class, () -> c.admit(120), "a budgeted capacity needs the request's length");
        assertThrows(IllegalArgumentException.class, () -> new NtsCapacity(31, 100, 1471), "a budget below one largest request admits nothing of it");
    }

    @Test
    void aRequestDroppedForTheBudgetHoldsNothingAndTheCountStillApplies() {
        NtsCapacity c = new NtsCapacity(2, 50, 2000);
        assertTrue(c.admit(0, 1000));
        assertFalse(c.admit(1, 1001));
        assertTrue(c.admit(2, 1000), "the drop held no bytes");
        assertFalse(c.admit(3, 0), "two contexts held: the count decides, not the bytes");
        assertTrue(c.admit(50, 1000), "the first's context and bytes free at 50");
    }

    @Test
    void aDroppedRequestHoldsNothing() {
        NtsCapacity c = new NtsCapacity(1, 50);
        assertTrue(c.admit(0));
        for (long r = 1; r < 50; r++) assertFalse(c.admit(r));
        assertTrue(c.admit(50), "the 49 drops did not extend the hold");
        assertFalse(c.admit(99));
        assertTrue(c.admit(100));
    }

    @Test
    void requestsOutOfOrderAreRefused() {
        NtsCapacity c = new NtsCapacity(2, 10);
        c.admit(5);
        assertThrows(IllegalArgumentException.class, () -> c.admit(4));
        assertThrows(IllegalArgumentException.class, () -> new ResponderConfig.Capacity(2, 10, 10), "hold must exceed the residence");
    }

    private static ResponderConfig withCapacity(int contexts, long residence, long hold) {
        ResponderConfig b = Fixture.config();
        return new ResponderConfig(b.mac(), b.ipv4(), b.ipv6(), b.vlan(), b.forwardUnmatched(), b.ttl(), b.stratum(), b.refid(),
                b.precision(), b.rootDelay(), b.rootDispersion(), b.synced(), b.icmpMaxPayload(), b.maxPlaceholders(), b.clock(),
                new ResponderConfig.Nts(b.nts().keys(), b.nts().nonceSeed(), new ResponderConfig.Capacity(contexts, residence, hold)));
    }

    private final ResponderTest frames = new ResponderTest();

    private byte[] ntsFrame(long seed) {
        Fixture.Session s = Fixture.session(1, seed);
        return frames.ntpFrame(NtsClient.request(FrameBuilder.ntpRequest(4, 3, TX), ResponderTest.UID, s.cookie(), 0, s.keys().c2s(),
                ResponderTest.NONCE, new byte[0]));
    }

    @Test
    void theResponderDropsByTheRuleAndTheDropDrawsNoNonce() {
        Responder core = new Responder(withCapacity(2, 500, 700));
        long[] at = {0, 40, 80, 699, 700, 741};
        Outcome[] want = {Outcome.ANSWER_NTS, Outcome.ANSWER_NTS, Outcome.DROP_NTS_OVERLOAD, Outcome.DROP_NTS_OVERLOAD,
                Outcome.ANSWER_NTS, Outcome.ANSWER_NTS};
        List<byte[]> answered = new ArrayList<>();
        List<Long> answeredAt = new ArrayList<>();
        for (int i = 0; i < at.length; i++) {
            // plain NTP between them is answered whatever the NTS contexts hold
            assertEquals(Outcome.ANSWER_NTP, core.process(frames.ntpFrame(FrameBuilder.ntpRequest(4, 3, TX)), false, at[i]).outcome());
            Responder.Result res = core.process(ntsFrame(100 + i), false, at[i] + 1);
            assertEquals(want[i], res.outcome(), "request " + i + " at cycle " + (at[i] + 1));
            if (res.answer() != null) {
                answered.add(res.answer().at(at[i] + 1 + 500));
                answeredAt.add(at[i] + 1);
            }
        }
        assertEquals(2L, core.counters().get(Outcome.DROP_NTS_OVERLOAD));
        assertEquals(4L, core.counters().get(Outcome.ANSWER_NTS));
        // the same four requests, alone, give the same answers: the dropped ones drew no nonce (request numbers 0..3)
        Responder unlimited = new Responder(Fixture.config());
        int k = 0;
        for (int i = 0; i < at.length; i++) {
            if (want[i] != Outcome.ANSWER_NTS) continue;
            byte[] a = unlimited.process(ntsFrame(100 + i), false, answeredAt.get(k)).answer().at(answeredAt.get(k) + 500);
            assertArrayEquals(a, answered.get(k), "answer " + k);
            k++;
        }
    }

    @Test
    void otherAnswersSkipTheReservedDepartures() {
        TreeMap<Long, Long> reserved = new TreeMap<>();
        reserved.put(100L, 130L);
        reserved.put(135L, 140L);
        assertEquals(50, ModelRun.pastReserved(reserved, 50, 50), "ends at 100, before the departure");
        assertEquals(140, ModelRun.pastReserved(reserved, 51, 50), "would overlap 100: after it; 130..135 is too short");
        assertEquals(130, ModelRun.pastReserved(reserved, 120, 5), "inside a departure: after it, and 5 beats fit before 135");
        assertEquals(140, ModelRun.pastReserved(reserved, 120, 6));
    }

    @Test
    void theDecisionsAreReportedInOrderAndOnlyForNtsBoundRequests() {
        ResponderConfig b = withCapacity(2, 500, 700);
        ResponderConfig two = new ResponderConfig(b.mac(), b.ipv4(), b.ipv6(), b.vlan(), b.forwardUnmatched(), b.ttl(), b.stratum(), b.refid(),
                b.precision(), b.rootDelay(), b.rootDispersion(), b.synced(), b.icmpMaxPayload(), b.maxPlaceholders(), b.clock(),
                new ResponderConfig.Nts(b.nts().keys(), b.nts().nonceSeed(), new ResponderConfig.Capacity(2, 2, 500, 700, 16000)));
        Responder core = new Responder(two);
        List<Integer> seen = new ArrayList<>();
        core.onNtsDecision(seen::add);
        long[] at = {0, 1, 2, 3, 4, 700, 701};
        for (int i = 0; i < at.length; i++) {
            core.process(frames.ntpFrame(FrameBuilder.ntpRequest(4, 3, TX)), false, at[i]);
            core.process(ntsFrame(200 + i), false, at[i]);
        }
        // two contexts on core 0, then two on core 1, then a drop; at 700 the first two are free again, on core 0
        assertEquals(List.of(0, 0, 1, 1, -1, 0, 0), seen);
        assertEquals(1L, core.counters().get(Outcome.DROP_NTS_OVERLOAD));
    }

    // ---- two residence classes (spec 9.7): D_s = 1000 (hold 1400), D_l = 3000 (hold 3400), short up to 300 bytes ------
    private static NtsCores twoClasses(int contexts) {
        return new NtsCores(1, contexts, 3000, 3400, NtsCapacity.UNLIMITED, 300, 1000, 1400);
    }

    @Test
    void theWindowCoversTheLongestHeadersAndTheWiresOverheadInEightByteCycles() {
        // ceil((L + 66 + 24) / 8)
        assertEquals(40, NtsCores.window(228), "318 bytes: 39.75 cycles");
        assertEquals(137, NtsCores.window(1000), "1 090 bytes: 136.25");
        assertEquals(196, NtsCores.window(1472), "1 562 bytes: 195.25");
        assertEquals(12, NtsCores.window(6), "96 bytes: exactly 12");
    }

    @Test
    void aShortRequestIsLongWhenItsWindowWouldOverlapAPendingLongOne() {
        NtsCores c = twoClasses(31);
        assertEquals(new NtsCores.Decision(0, false, 3000), c.decide(0, 1000), "over 300 bytes: long, window [3000, 3137)");
        assertEquals(new NtsCores.Decision(0, false, 3000), c.decide(2000, 228), "[3000, 3040) overlaps [3000, 3137): long, [5000, 5040)");
        assertEquals(new NtsCores.Decision(0, false, 3000), c.decide(2136, 228), "[3136, 3176) overlaps its last cycle: long, [5136, 5176)");
        assertEquals(new NtsCores.Decision(0, true, 1000), c.decide(2137, 228), "[3137, 3177): the long window has ended, [5000, ...) is later");
        assertEquals(new NtsCores.Decision(0, true, 1000), c.decide(3960, 228), "[4960, 5000) ends where [5000, 5040) starts");
        assertEquals(new NtsCores.Decision(0, false, 3000), c.decide(3961, 228), "[4961, 5001) overlaps it by a cycle");
        assertEquals(new NtsCores.Decision(0, false, 3000), c.decide(20_000, 301), "301 bytes is long whatever is pending");
        assertEquals(new NtsCores.Decision(0, true, 1000), c.decide(30_000, 300), "300 bytes is short");
    }

    @Test
    void eachClassHoldsItsContextForItsOwnHold() {
        NtsCores c = twoClasses(2);
        assertEquals(new NtsCores.Decision(0, true, 1000), c.decide(0, 228), "short, held until 1400");
        assertEquals(new NtsCores.Decision(0, false, 3000), c.decide(1, 1000), "long, held until 3401, window [3001, 3138)");
        assertEquals(-1, c.decide(2, 228).core(), "both contexts held");
        assertEquals(-1, c.decide(1399, 228).core(), "the short one is held through 1399");
        assertEquals(new NtsCores.Decision(0, true, 1000), c.decide(1400, 228), "and free at 1400; [2400, 2440) is before [3001, ...)");
        assertEquals(new NtsCores.Decision(0, true, 1000), c.decide(2800, 228), "the second short one free at 2800");
        NtsCores.Decision d = c.decide(3000, 228);
        assertEquals(new NtsCores.Decision(-1, true, 1000), d, "the long one is held through 3400: dropped, a short request");
        assertEquals(new NtsCores.Decision(0, true, 1000), c.decide(3401, 228));
    }

    @Test
    void aDroppedLongRequestLeavesNoWindow() {
        NtsCores c = twoClasses(1);
        assertEquals(new NtsCores.Decision(0, true, 1000), c.decide(0, 228));
        assertEquals(new NtsCores.Decision(-1, false, 3000), c.decide(10, 1000), "long, dropped: its window [3010, 3147) is not pending");
        assertEquals(new NtsCores.Decision(0, true, 1000), c.decide(2020, 228), "[3020, 3060) would overlap it: short");
    }

    @Test
    void theResponderGivesEachAnswerItsClasssResidence() {
        ResponderConfig b = Fixture.config();
        ResponderConfig two = new ResponderConfig(b.mac(), b.ipv4(), b.ipv6(), b.vlan(), b.forwardUnmatched(), b.ttl(), b.stratum(), b.refid(),
                b.precision(), b.rootDelay(), b.rootDispersion(), b.synced(), b.icmpMaxPayload(), b.maxPlaceholders(), b.clock(),
                new ResponderConfig.Nts(b.nts().keys(), b.nts().nonceSeed(), new ResponderConfig.Capacity(1, 31, 3000, 3400, 16000, 228, 1000, 1400)));
        Responder core = new Responder(two);
        byte[] chrony = ntsFrame(300);
        // a chrony-sized request: 48 header + 36 unique identifier + 104 cookie + 40 authenticator
        Responder.Result a = core.process(chrony, false, 0);
        assertEquals(Outcome.ANSWER_NTS, a.outcome());
        assertEquals(1000, a.ntsResidence(), "228 payload bytes: short");
        Fixture.Session s = Fixture.session(1, 301);
        byte[] withPlaceholder = frames.ntpFrame(NtsClient.request(FrameBuilder.ntpRequest(4, 3, TX), ResponderTest.UID, s.cookie(), 1,
                s.keys().c2s(), ResponderTest.NONCE, new byte[0]));
        assertEquals(3000, core.process(withPlaceholder, false, 10_000).ntsResidence(), "a placeholder more: long");
        assertEquals(0, core.process(frames.ntpFrame(FrameBuilder.ntpRequest(4, 3, TX)), false, 20_000).ntsResidence(), "plain NTP has none");
        assertThrows(IllegalArgumentException.class, () -> new ResponderConfig.Capacity(1, 31, 1195, 1600, 16000, 228, 1000, 1400),
                "the long residence must leave the longest window after the short one");
    }
}
