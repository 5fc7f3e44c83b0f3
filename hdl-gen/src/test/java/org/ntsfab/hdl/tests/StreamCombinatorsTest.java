package org.ntsfab.hdl.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.ntsfab.harness.SimOptions;
import org.ntsfab.harness.Testbench;
import org.ntsfab.hdl.Bits;
import org.ntsfab.hdl.Bool;
import org.ntsfab.hdl.Bundle;
import org.ntsfab.hdl.Component;
import org.ntsfab.hdl.Design;
import org.ntsfab.hdl.Flow;
import org.ntsfab.hdl.Fsm;
import org.ntsfab.hdl.Stream;
import org.ntsfab.hdl.UInt;
import org.ntsfab.hdl.lib.StreamFifo;

/**
 * Flow and the stream combinators (throwWhen, haltWhen/continueWhen, map, toFlow, queue), the enum FSM and the naming
 * rules: the emitted Verilog of each (elaboration), and for the sequential ones, Verilator against a model of the
 * beats that must come out.
 */
class StreamCombinatorsTest {
    static final class Item extends Bundle {
        final Bits data = new Bits(16);
        final Bool drop = new Bool();
    }

    /** out = in.throwWhen(in.drop), through a queue. */
    static final class ThrowTop extends Component {
        final Stream<Item> in = slave(new Stream<>(new Item()));
        final Stream<Item> out = master(new Stream<>(new Item()));
        /** Beats taken from {@code in} in the previous cycle (gives the combinational variant a clock for the harness). */
        final Bool took = out(new Bool());

        ThrowTop(boolean queued) {
            moduleName(queued ? "throw_when_queued" : "throw_when");
            Stream<Item> kept = in.throwWhen(in.payload.drop).nameHandshake("kept");
            out.connectFrom(queued ? StreamFifo.queue("kept_queue", kept, Item::new, 4).out : kept);
            took.set(regNextInit(in.fire(), 0));
        }
    }

    /**
     * in.haltWhen(halt).map(data + 1): {@code halt} follows a free-running pattern; {@code fired_while_halted} goes (and
     * stays) high if a beat ever transferred in a halted cycle.
     */
    static final class HaltTop extends Component {
        final Stream<Item> in = slave(new Stream<>(new Item()));
        final Stream<Bits> out = master(new Stream<>(new Bits(16)));
        final Bool fired_while_halted = out(new Bool());

        HaltTop(boolean viaContinue) {
            moduleName(viaContinue ? "continue_when_map" : "halt_when_map");
            UInt t = regInit(new UInt(5), 0).named("t");
            t.set(t.plus(1));
            Bool halt = let("halt", t.bit(0).xor(t.bit(3)).or(t.bit(4).and(t.bit(1))));
            Stream<Item> held = viaContinue ? in.continueWhen(halt.not()) : in.haltWhen(halt);
            out.connectFrom(held.map(new Bits(16), (o, i) -> o.set(i.data.asUInt().plus(1).asBits())));
            Bool bad = regInit(new Bool(), 0).named("bad");
            when(out.fire().and(halt), () -> bad.set(true));
            fired_while_halted.set(bad);
        }
    }

    @Test
    void throwWhenElaboratesToTheHandshakeOfSpinalHdl() {
        String v = Design.elaborate(() -> new ThrowTop(false)).modules().get("throw_when");
        assertTrue(v.contains("assign kept_valid = (in_valid & (~in_drop));"), v);
        assertTrue(v.contains("assign in_ready = (kept_ready | in_drop);"), v);
    }

    @Test
    void haltWhenAndContinueWhenElaborateToTheSameHandshake() {
        String h = Design.elaborate(() -> new HaltTop(false)).modules().get("halt_when_map");
        String c = Design.elaborate(() -> new HaltTop(true)).modules().get("continue_when_map");
        assertTrue(h.contains("(~halt)"), h);
        assertTrue(h.contains("reg  [4:0]   t_reg;"), "a register is named <name>_reg:\n" + h);
        assertEquals(h.lines().filter(l -> l.startsWith("assign in_ready")).count(), 1, h);
        assertEquals(c.lines().filter(l -> l.startsWith("assign in_ready")).count(), 1, c);
    }

    @Test
    void throwWhenDropsExactlyTheBeatsWithTheCondition() {
        for (boolean queued : new boolean[] {false, true}) {
            Design d = Design.elaborate(() -> new ThrowTop(queued));
            SplittableRandom r = new SplittableRandom(11);
            try (Testbench tb = Testbench.of(d).source("in").sink("out").build(SimOptions.fast(), 11)) {
                tb.offerProbability("in", 0.7);
                tb.readyProbability("out", 0.6);
                List<Long> kept = new ArrayList<>();
                for (int i = 0; i < 3000; i++) {
                    long data = r.nextInt(1 << 16), drop = r.nextInt(3) == 0 ? 1 : 0;
                    tb.push("in", data, drop);
                    if (drop == 0) kept.add(data);
                }
                tb.runUntilDrained(100_000, 40);
                List<Testbench.Beat> got = tb.beats("out");
                assertEquals(kept.size(), got.size(), "beats kept (queued=" + queued + ")");
                for (int i = 0; i < kept.size(); i++) {
                    assertEquals(kept.get(i), got.get(i).field(0), "beat " + i);
                    assertEquals(0, got.get(i).field(1), "a kept beat never has drop set");
                }
                assertEquals(0, tb.queued("in"), "every beat was taken, the dropped ones too");
                assertTrue(tb.violations().isEmpty(), "protocol violations: " + tb.violations());
            }
        }
    }

    @Test
    void haltWhenNeverLosesOrDuplicatesAndNeverPassesWhileHalted() {
        for (boolean viaContinue : new boolean[] {false, true}) {
            Design d = Design.elaborate(() -> new HaltTop(viaContinue));
            SplittableRandom r = new SplittableRandom(5);
            try (Testbench tb = Testbench.of(d).source("in").sink("out").build(SimOptions.fast(), 5)) {
                tb.offerProbability("in", 0.8);
                tb.readyProbability("out", 0.7);
                List<Long> sent = new ArrayList<>();
                for (int i = 0; i < 3000; i++) {
                    long data = r.nextInt(1 << 16);
                    tb.push("in", data, r.nextInt(2));
                    sent.add((data + 1) & 0xffff);
                }
                tb.runUntilDrained(100_000, 40);
                List<Testbench.Beat> got = tb.beats("out");
                assertEquals(sent.size(), got.size(), "every beat once (continueWhen=" + viaContinue + ")");
                for (int i = 0; i < sent.size(); i++) assertEquals(sent.get(i), got.get(i).field(0), "beat " + i + ", mapped");
                int bad = tb.plainOutIndex("fired_while_halted");
                assertEquals(0, tb.plainHistory().get(tb.plainHistory().size() - 1)[bad].intValue(), "a beat passed while halted");
            }
        }
    }

    @Test
    void flowToStreamAndBackCarryValidAndPayload() {
        String v = Design.elaborate(() -> new Component() {
            final Flow<Bits> in = slave(new Flow<>(new Bits(8)));
            final Flow<Bits> out = master(new Flow<>(new Bits(8)));
            final Bool lost = out(new Bool());
            {
                moduleName("flow_round_trip");
                Stream<Bits> s = in.toStream().nameHandshake("as_stream");
                StreamFifo<Bits> q = StreamFifo.queue("flow_queue", s, () -> new Bits(8), 2);
                lost.set(in.valid.and(s.ready.not()));
                out.connectFrom(q.out.toFlow().throwWhen(q.out.payload.eq(0)));
            }
        }).modules().get("flow_round_trip");
        assertTrue(v.contains("input  wire         in_valid,") && v.contains("input  wire [7:0]   in_data,"), v);
        assertTrue(v.contains("stream_fifo_w8_d2 flow_queue ("), "the queue is an instance with its given name:\n" + v);
        assertTrue(v.contains("assign flow_queue_out_ready = 1'b1;"), "toFlow is always ready:\n" + v);
    }

    enum Light { RED, GREEN, AMBER }

    @Test
    void fsmStatesAreTheEnumConstants() {
        String v = Design.elaborate(() -> new Component() {
            final Bool go = in(new Bool());
            final Bool green = out(new Bool());
            {
                moduleName("fsm_enum");
                Fsm<Light> f = new Fsm<>(this, "light", Light.class);
                f.on(Light.RED, () -> when(go, () -> f.goTo(Light.GREEN)));
                f.on(Light.GREEN, () -> f.goTo(Light.AMBER));
                f.on(Light.AMBER, () -> f.goTo(Light.RED));
                green.set(f.is(Light.GREEN));
                assertEquals(List.of(Light.RED, Light.GREEN, Light.AMBER), f.states());
            }
        }).modules().get("fsm_enum");
        assertTrue(v.contains("localparam [1:0] LIGHT_RED = 2'd0;") && v.contains("LIGHT_GREEN = 2'd1;") && v.contains("LIGHT_AMBER = 2'd2;"), v);
        assertTrue(v.contains("reg  [1:0]   light_reg;") && v.contains("light_next"), v);
    }
}
