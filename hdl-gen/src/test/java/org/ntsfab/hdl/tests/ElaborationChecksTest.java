package org.ntsfab.hdl.tests;

import org.ntsfab.hdl.*;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.ntsfab.hdl.lib.Synchronizer;

/**
 * Every elaboration check fires on a design that breaks its rule, reports the Java file and line
 * that made the mistake, and all errors of one design come together.
 */
class ElaborationChecksTest {
    private static final String FILE = "ElaborationChecksTest.java";

    /** The line of the caller, for tests that check error locations. */
    static int here() {
        return new Throwable().getStackTrace()[1].getLineNumber();
    }

    static ElaborationException fails(java.util.function.Supplier<? extends Component> top) {
        return assertThrows(ElaborationException.class, () -> Design.elaborate(top));
    }

    static HdlError only(ElaborationException e, HdlError.Kind kind) {
        List<HdlError> es = e.errors().stream().filter(x -> x.kind() == kind).toList();
        assertEquals(1, es.size(), "expected one " + kind + " in:\n" + e.getMessage());
        return es.get(0);
    }

    static void at(HdlError err, int line) {
        assertEquals(FILE, err.loc().file(), err.toString());
        assertEquals(line, err.loc().line(), err.toString());
    }

    @Test
    void widthMismatchOnAssignment() {
        int[] line = new int[1];
        var e = fails(() -> new Component() {
            final UInt a = in(new UInt(8));
            final UInt y = out(new UInt(9));
            {
                y.set(a); line[0] = here();
            }
        });
        HdlError err = only(e, HdlError.Kind.WIDTH_MISMATCH);
        at(err, line[0]);
        assertTrue(err.message().contains("8-bit value") && err.message().contains("9 bits"), err.message());
    }

    @Test
    void widthMismatchInOperatorAndMux() {
        int[] line = new int[2];
        var e = fails(() -> new Component() {
            final UInt a = in(new UInt(8));
            final UInt b = in(new UInt(4));
            final Bool s = in(new Bool());
            final UInt y = out(new UInt(8));
            final UInt z = out(new UInt(8));
            {
                y.set(a.plus(b.zext(8)));
                UInt bad = a.plus(b); line[0] = here();
                z.set(s.mux(a, b)); line[1] = here();
                bad.hashCode();
            }
        });
        List<HdlError> ws = e.errors().stream().filter(x -> x.kind() == HdlError.Kind.WIDTH_MISMATCH).toList();
        assertTrue(ws.size() >= 2, e.getMessage());
        assertTrue(ws.stream().anyMatch(w -> w.loc().line() == line[0]), e.getMessage());
        assertTrue(ws.stream().anyMatch(w -> w.loc().line() == line[1]), e.getMessage());
    }

    @Test
    void literalThatDoesNotFit() {
        int[] line = new int[1];
        var e = fails(() -> new Component() {
            final UInt y = out(new UInt(4));
            {
                y.set(16); line[0] = here();
            }
        });
        HdlError err = only(e, HdlError.Kind.LITERAL_OVERFLOW);
        at(err, line[0]);
        assertTrue(err.message().contains("16") && err.message().contains("4-bit"), err.message());
        // the signed range is checked as signed
        assertThrows(ElaborationException.class, () -> Design.elaborate(() -> new Component() {
            final SInt s = out(new SInt(4));
            {
                s.set(-9);
            }
        }));
    }

    @Test
    void undrivenOutputWireRegisterAndChildInput() {
        int[] line = new int[3];
        var e = fails(() -> new Component() {
            final UInt y = out(new UInt(8)); { line[0] = here(); }
            final Counter child;
            {
                UInt w = wire(new UInt(8)).named("w"); line[1] = here();
                UInt r = reg(new UInt(8)).named("r"); line[2] = here();
                child = add(new Counter());
                w.hashCode();
                r.hashCode();
            }
        });
        List<HdlError> us = e.errors().stream().filter(x -> x.kind() == HdlError.Kind.UNDRIVEN).toList();
        assertEquals(4, us.size(), e.getMessage());
        assertTrue(us.stream().anyMatch(u -> u.message().contains("output") && u.loc().line() == line[0]), e.getMessage());
        assertTrue(us.stream().anyMatch(u -> u.message().contains("wire") && u.loc().line() == line[1]), e.getMessage());
        assertTrue(us.stream().anyMatch(u -> u.message().contains("register") && u.loc().line() == line[2]), e.getMessage());
        assertTrue(us.stream().anyMatch(u -> u.message().contains("not connected") && u.message().contains("enable")), e.getMessage());
    }

    /** A small child used by several tests. */
    static final class Counter extends Component {
        final Bool enable = in(new Bool());
        final UInt count = out(new UInt(8));

        Counter() {
            UInt value = regInit(new UInt(8), 0).named("value");
            when(enable, () -> value.set(value.plus(1)));
            count.set(value);
        }
    }

    @Test
    void multipleDrivers() {
        int[] line = new int[3];
        var e = fails(() -> new Component() {
            final UInt a = in(new UInt(8));
            final UInt y = out(new UInt(8));
            final Counter child;
            {
                y.set(a);
                y.set(0); line[0] = here();
                a.set(1); line[1] = here();
                child = add(new Counter());
                child.enable.set(true);
                child.count.set(3); line[2] = here();
            }
        });
        List<HdlError> ms = e.errors().stream().filter(x -> x.kind() == HdlError.Kind.MULTIPLE_DRIVERS).toList();
        assertEquals(3, ms.size(), e.getMessage());
        for (int i = 0; i < 3; i++) {
            int l = line[i];
            assertTrue(ms.stream().anyMatch(m -> m.loc().line() == l), "line " + l + " in " + e.getMessage());
        }
    }

    /** A wire's default written after the FSM that drives it would silently override the FSM: an error, not Verilog. */
    @Test
    void defaultAfterTheLogicThatDrivesItIsAnError() {
        int[] line = new int[1];
        var e = fails(() -> new Component() {
            final Bool go = in(new Bool());
            final Bool y = out(new Bool());
            {
                enum St { A, B }
                Fsm<St> f = new Fsm<>(this, "st", St.class);
                Bool pulse = wire(new Bool(), 0); line[0] = here();
                f.on(St.A, () -> when(go, () -> {
                    pulse.set(true);
                    f.goTo(St.B);
                }));
                f.on(St.B, () -> f.goTo(St.A));
                y.set(pulse);
            }
        });
        List<HdlError> ms = e.errors().stream().filter(x -> x.kind() == HdlError.Kind.MULTIPLE_DRIVERS).toList();
        assertEquals(1, ms.size(), e.getMessage());
        assertEquals(line[0], ms.get(0).loc().line(), e.getMessage());
        assertTrue(ms.get(0).message().contains("never takes effect"), ms.get(0).message());
        // created before the FSM, the same wire is a default that the FSM overrides: fine
        Design ok = Design.elaborate(() -> new Component() {
            final Bool go = in(new Bool());
            final Bool y = out(new Bool());
            {
                Bool pulse = wire(new Bool(), 0);
                enum St { A, B }
                Fsm<St> f = new Fsm<>(this, "st", St.class);
                f.on(St.A, () -> when(go, () -> {
                    pulse.set(true);
                    f.goTo(St.B);
                }));
                f.on(St.B, () -> f.goTo(St.A));
                y.set(pulse);
            }
        });
        assertEquals(1, ok.modules().size(), "elaborates without errors");
    }

    /** Two FSMs of one name in one component would share their state localparams: refused. */
    @Test
    void twoFsmsOfOneNameAreRefused() {
        var e = fails(() -> new Component() {
            final Bool go = in(new Bool());
            final Bool y = out(new Bool());
            {
                enum St { A, B }
                Fsm<St> f = new Fsm<>(this, "st", St.class);
                Fsm<St> g = new Fsm<>(this, "st", St.class);
                f.on(St.A, () -> when(go, () -> f.goTo(St.B)));
                g.on(St.B, () -> g.goTo(St.A));
                y.set(f.is(St.B).and(g.is(St.A)));
            }
        });
        assertTrue(e.errors().stream().anyMatch(x -> x.kind() == HdlError.Kind.NAMING && x.message().contains("two FSMs named st")),
                e.getMessage());
    }

    @Test
    void latchWhenNotAssignedOnEveryPath() {
        int[] line = new int[1];
        var e = fails(() -> new Component() {
            final Bool c = in(new Bool());
            final UInt a = in(new UInt(8));
            final UInt y = out(new UInt(8));
            final UInt z = out(new UInt(2));
            {
                when(c, () -> y.set(a)); line[0] = here();
                // a switch covering every value is complete without otherwise: no latch
                switchOn(a.slice(1, 0)).is(0, () -> z.set(0)).is(1, () -> z.set(1)).is(2, () -> z.set(2)).is(3, () -> z.set(3));
            }
        });
        HdlError err = only(e, HdlError.Kind.LATCH);
        at(err, line[0]);
        assertTrue(err.message().contains("y"), err.message());
    }

    @Test
    void combinationalLoopPrintsTheChain() {
        int[] line = new int[2];
        var e = fails(() -> new Component() {
            final Bool a = in(new Bool());
            final Bool y = out(new Bool());
            {
                Bool p = wire(new Bool()).named("p");
                Bool q = wire(new Bool()).named("q");
                p.set(q.and(a)); line[0] = here();
                q.set(p.not()); line[1] = here();
                y.set(q);
            }
        });
        HdlError err = only(e, HdlError.Kind.COMBINATIONAL_LOOP);
        assertTrue(err.message().contains(".p (" + FILE + ":" + line[0] + ")"), err.message());
        assertTrue(err.message().contains(".q (" + FILE + ":" + line[1] + ")"), err.message());
    }

    @Test
    void combinationalLoopThroughAChildInstance() {
        var e = fails(() -> new Component() {
            final Bool y = out(new Bool());
            final Passthrough child;
            {
                child = add(new Passthrough());
                child.i.set(child.o.not());
                y.set(child.o);
            }
        });
        HdlError err = only(e, HdlError.Kind.COMBINATIONAL_LOOP);
        assertTrue(err.message().contains("child.o") && err.message().contains("child.i"), err.message());
    }

    static final class Passthrough extends Component {
        final Bool i = in(new Bool());
        final Bool o = out(new Bool());

        Passthrough() {
            o.set(i);
        }
    }

    static final ClockDomain OTHER = new ClockDomain("clk_b", "rst_b", ClockDomain.Reset.SYNC_HIGH);

    @Test
    void unsynchronizedClockCrossing() {
        int[] line = new int[1];
        var e = fails(() -> new Component() {
            final Bool a = in(new Bool());
            final Bool y = out(new Bool());
            {
                Bool inA = regNext(a).named("in_a");
                Bool inB = inDomain(OTHER, () -> reg(new Bool()).named("in_b"));
                inB.set(inA.not()); line[0] = here();
                Bool back = regNext(inB).named("back");
                y.set(back);
            }
        });
        List<HdlError> cs = e.errors().stream().filter(x -> x.kind() == HdlError.Kind.CLOCK_CROSSING).toList();
        assertEquals(2, cs.size(), e.getMessage());
        assertTrue(cs.stream().anyMatch(c -> c.loc().line() == line[0] && c.message().contains("in_a")), e.getMessage());
    }

    @Test
    void synchronizerIsTheLegalCrossing() {
        Design d = Design.elaborate(() -> new Component() {
            final Bool a = inDomain(OTHER, () -> in(new Bool()));
            final Bool y = out(new Bool());
            final Synchronizer sync;
            {
                moduleName("sync_ok");
                Bool inA = inDomain(OTHER, () -> regNext(a).named("in_a"));
                sync = add(new Synchronizer(1, ClockDomain.main()));
                sync.in.set(inA.asBits());
                y.set(regNext(sync.out.bit(0)).named("y_reg"));
            }
        });
        assertEquals(1, d.crossings().size());
        assertEquals("sync_ok.sync", d.crossings().get(0).instancePath());
        assertEquals("clk", d.crossings().get(0).destinationClock());
    }

    @Test
    void readingAnotherComponentsInternalsIsAHierarchyError() {
        var e = fails(() -> new Component() {
            final UInt y = out(new UInt(8));
            final Leaky child;
            {
                child = add(new Leaky());
                y.set(child.secret);
            }
        });
        assertTrue(e.has(HdlError.Kind.HIERARCHY), e.getMessage());
    }

    static final class Leaky extends Component {
        final UInt secret;

        Leaky() {
            secret = regNext(UInt.lit(5, 8)).named("secret");
        }
    }

    @Test
    void allErrorsAreReportedTogether() {
        var e = fails(() -> new Component() {
            final UInt a = in(new UInt(8));
            final UInt y = out(new UInt(9));
            final UInt z = out(new UInt(8));
            final UInt w = out(new UInt(8));
            {
                y.set(a);
                z.set(300);
            }
        });
        assertTrue(e.has(HdlError.Kind.WIDTH_MISMATCH) && e.has(HdlError.Kind.LITERAL_OVERFLOW), e.getMessage());
    }

    @Test
    void childNotAddedIsReported() {
        var e = fails(() -> new Component() {
            final Bool y = out(new Bool());
            {
                new Passthrough();
            }
        });
        assertTrue(e.has(HdlError.Kind.HIERARCHY), e.getMessage());
        assertTrue(e.getMessage().contains("add("), e.getMessage());
    }

    @Test
    void streamValidMayNotDependOnReady() {
        int[] line = new int[1];
        var e = fails(() -> new Component() {
            final Stream<UInt> out = master(new Stream<>(new UInt(8)));
            {
                out.valid.set(out.ready); line[0] = here();
                out.payload.set(1);
            }
        });
        HdlError err = only(e, HdlError.Kind.STREAM_PROTOCOL);
        at(err, line[0]);
        assertTrue(err.message().contains("out_valid") && err.message().contains("out_ready"), err.message());
    }

    @Test
    void readyMayDependOnValid() {
        // the other direction is allowed (a consumer may look at valid before deciding ready)
        Design.elaborate(() -> new Component() {
            final Stream<UInt> in = slave(new Stream<>(new UInt(8)));
            final Stream<UInt> out = master(new Stream<>(new UInt(8)));
            {
                out.connectFrom(in);
            }
        });
    }

    /** A child whose parameter changes its Verilog but not its name. */
    static final class WidthCounter extends Component {
        final UInt count;

        WidthCounter(int width) {
            moduleName("counter");
            count = out(new UInt(width));
            UInt c = regInit(new UInt(width), 0).named("count_reg");
            c.set(c.plus(1));
            count.set(c);
        }
    }

    @Test
    void oneNameNeverStandsForTwoModules() {
        var e = fails(() -> new Component() {
            final UInt a = out(new UInt(4));
            final UInt b = out(new UInt(8));
            {
                a.set(add(new WidthCounter(4)).count);
                b.set(add(new WidthCounter(8)).count);
            }
        });
        HdlError err = only(e, HdlError.Kind.NAMING);
        assertEquals(FILE, err.loc().file(), err.toString());
        assertTrue(err.message().contains("module name counter stands for two different modules"), err.message());
        // the same parameters twice: one module
        Design d = Design.elaborate(() -> new Component() {
            final UInt a = out(new UInt(4));
            final UInt b = out(new UInt(4));
            {
                moduleName("two_counters");
                a.set(add(new WidthCounter(4)).count);
                b.set(add(new WidthCounter(4)).count);
            }
        });
        assertEquals(List.of("counter", "two_counters"), List.copyOf(d.moduleNames()));
    }

    @Test
    void aModuleClockedInAnotherDomainCarriesItInItsName() {
        Design d = Design.elaborate(() -> new Component() {
            final UInt a = out(new UInt(4));
            final UInt b = inDomain(OTHER, () -> out(new UInt(4)));
            {
                moduleName("counters");
                a.set(add(new WidthCounter(4)).count);
                b.set(inDomain(OTHER, () -> add(new WidthCounter(4))).count);
            }
        });
        assertEquals("", ClockDomain.main().tag());
        assertEquals("clk_b_rst_b", OTHER.tag());
        assertEquals("rgmii_rx", new ClockDomain("rgmii_rx_clk", "rgmii_rx_rst", ClockDomain.Reset.SYNC_HIGH).tag());
        assertEquals("rx_clk_rx_rst_async", new ClockDomain("rx_clk", "rx_rst", ClockDomain.Reset.ASYNC_HIGH).tag());
        assertTrue(d.verilog("counter_clk_b_rst_b").contains("input  wire         clk_b,"), d.moduleNames().toString());
        assertTrue(d.verilog("counter").contains("input  wire         clk,"), d.moduleNames().toString());
    }

    /** Registers in the current domain and in {@code other}, named without saying so. */
    static final class TwoClocks extends Component {
        final Bool y = out(new Bool());

        TwoClocks(ClockDomain other) {
            moduleName("two_clocks");
            Bool a = inDomain(other, () -> regInit(new Bool(), 0).named("a_reg"));
            a.set(a.not());
            Synchronizer s = add(new Synchronizer(1, clockDomain()));
            s.in.set(a.asBits());
            y.set(s.out.bit(0));
        }
    }

    @Test
    void aModuleClockedInSeveralDomainsMustNameThem() {
        var e = fails(() -> new Component() {
            final Bool y = out(new Bool());
            {
                y.set(add(new TwoClocks(OTHER)).y);
            }
        });
        HdlError err = only(e, HdlError.Kind.NAMING);
        assertTrue(err.message().contains("two_clocks") && err.message().contains("clk_b_rst_b"), err.message());
        // a top's domains are its own
        assertEquals("two_clocks", Design.elaborate(() -> new TwoClocks(OTHER)).topName());
    }
}
