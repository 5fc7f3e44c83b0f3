package org.ntsfab.hdl.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.ntsfab.hdl.Bits;
import org.ntsfab.hdl.Bool;
import org.ntsfab.hdl.Bundle;
import org.ntsfab.hdl.ClockDomain;
import org.ntsfab.hdl.Component;
import org.ntsfab.hdl.Design;
import org.ntsfab.hdl.ElaborationException;
import org.ntsfab.hdl.HdlError;
import org.ntsfab.hdl.Stream;
import org.ntsfab.hdl.UInt;

/**
 * AMBA channel names ({@link Stream#axiChannel}: the channel's name runs into its signals' names) and port
 * documentation ({@code doc}, {@code docDomain}: the comment above the module, complete or refused).
 */
class PortNamesAndDocsTest {
    /** An address payload: one member, {@code addr}. */
    static final class Addr extends Bundle {
        final UInt addr = new UInt(6);
    }

    /** A data payload: {@code data} and {@code resp}. */
    static final class Data2 extends Bundle {
        final Bits data = new Bits(8);
        final UInt resp = new UInt(2);
    }

    /** Two channels in a bundle that joins its members with '_' (like an AXI4-Lite interface). */
    static final class ReadPort extends Bundle {
        final Stream<Addr> ar = Stream.axiChannel(new Addr());
        final Stream<Data2> r = flip(Stream.axiChannel(new Data2()));
    }

    static List<String> ports(Design d) {
        return d.ports().stream().filter(p -> !p.clock() && !p.reset()).map(p -> (p.input() ? "in " : "out ") + p.name() + ":" + p.width()).toList();
    }

    @Test
    void anAxiChannelJoinsItsNameAndItsSignalsWithoutUnderscore() {
        Design d = Design.elaborate(() -> new Component() {
            final Stream<Addr> aw = slave(Stream.axiChannel(new Addr()));
            final Stream<Addr> out = master(new Stream<>(new Addr()));
            {
                out.connectFrom(aw);
            }
        });
        assertEquals(List.of("in awvalid:1", "out awready:1", "in awaddr:6", "out out_valid:1", "in out_ready:1", "out out_addr:6"), ports(d));
    }

    @Test
    void channelsInABundleTakeTheBundlesNameWithUnderscoreThenTheirOwnWithout() {
        Design d = Design.elaborate(() -> new Component() {
            final ReadPort s_rd = slave(new ReadPort());
            {
                s_rd.ar.ready.set(s_rd.r.ready);
                Bool busy = regInit(new Bool(), 0).named("busy");
                when(s_rd.ar.valid, () -> busy.set(true)).elseWhen(s_rd.r.ready, () -> busy.set(false));
                s_rd.r.valid.set(busy);
                s_rd.r.payload.data.set(s_rd.ar.payload.addr.asBits().resize(8));
                s_rd.r.payload.resp.set(0);
            }
        });
        assertEquals(List.of("in s_rd_arvalid:1", "out s_rd_arready:1", "in s_rd_araddr:6",
                "out s_rd_rvalid:1", "in s_rd_rready:1", "out s_rd_rdata:8", "out s_rd_rresp:2"), ports(d));
        String v = d.verilog(d.topName());
        assertTrue(v.contains("assign s_rd_arready = s_rd_rready;"), v);
        assertFalse(v.contains("s_rd_ar_valid") || v.contains("s_rd_r_data"), v);
    }

    @Test
    void aStreamFlippedIntoASlaveBundleIsHeldToTheValidRule() {
        // r runs out of a slave port: its valid must not depend on its ready, as for a master stream
        var e = assertThrows(ElaborationException.class, () -> Design.elaborate(() -> new Component() {
            final ReadPort s_rd = slave(new ReadPort());
            {
                s_rd.ar.ready.set(true);
                s_rd.r.valid.set(s_rd.r.ready.and(s_rd.ar.valid));
                s_rd.r.payload.data.set(0);
                s_rd.r.payload.resp.set(0);
            }
        }));
        List<HdlError> es = e.errors().stream().filter(x -> x.kind() == HdlError.Kind.STREAM_PROTOCOL).toList();
        assertEquals(1, es.size(), e.getMessage());
        assertTrue(es.get(0).message().contains("s_rd_rvalid") && es.get(0).message().contains("s_rd_rready"), es.get(0).message());
    }

    @Test
    void nameHandshakeOfAnAxiChannelCombinatorFollowsTheChannelStyle() {
        Design d = Design.elaborate(() -> new Component() {
            final Bool hold = in(new Bool());
            final Stream<Addr> aw = slave(Stream.axiChannel(new Addr()));
            final Stream<Addr> out = master(Stream.axiChannel(new Addr()));
            {
                out.connectFrom(aw.haltWhen(hold).nameHandshake("aw_held"));
            }
        });
        String v = d.verilog(d.topName());
        assertTrue(v.contains("wire         aw_heldvalid;") && v.contains("wire         aw_heldready;"), v);
        assertEquals(List.of("in hold:1", "in awvalid:1", "out awready:1", "in awaddr:6", "out outvalid:1", "in outready:1", "out outaddr:6"), ports(d));
    }

    /** A documented component: a clock, a reset, a single port and a group. */
    static final class Documented extends Component {
        final Bool go = in(new Bool());
        final Stream<Addr> aw = slave(Stream.axiChannel(new Addr()));
        final UInt count = out(new UInt(4));

        Documented(boolean all) {
            aw.ready.set(true);
            UInt c = regInit(new UInt(4), 0).named("c");
            when(go.and(aw.valid), () -> c.set(c.plus(aw.payload.addr.trunc(4))));
            count.set(c);
            docDomain(ClockDomain.main(), "The only clock.", "Clears the count.");
            doc("Counts while high.", go);
            doc("Addresses to add, always taken.", aw);
            if (all) doc("The sum so far, modulo 16, a long sentence that runs on past the comment's width so that it wraps onto a second line below the first.", count);
        }
    }

    @Test
    void theEmitterPrintsTheDocsAboveTheModuleWithWhatTheClockAndResetAre() {
        Design d = Design.elaborate(() -> new Documented(true));
        String v = d.verilog(d.topName());
        String expected = """
                // Ports of documented:
                //
                //   clk    Rising edge. The only clock.
                //   rst    Active high, synchronous: sampled at clk's rising edge, so assert and release it in clk's domain.
                //          Clears the count.
                //   go     Counts while high.
                //   aw*    Addresses to add, always taken.
                //   count  The sum so far, modulo 16, a long sentence that runs on past the comment's width so that it wraps
                //          onto a second line below the first.

                module documented (
                """;
        assertTrue(v.contains(expected), v);
        // wrapped at 110 columns
        for (String line : v.split("\n")) assertTrue(line.length() <= 110, line);
    }

    @Test
    void aModuleThatDocumentsAPortDocumentsThemAll() {
        var e = assertThrows(ElaborationException.class, () -> Design.elaborate(() -> new Documented(false)));
        List<HdlError> es = e.errors().stream().filter(x -> x.kind() == HdlError.Kind.USAGE).toList();
        assertEquals(1, es.size(), e.getMessage());
        assertTrue(es.get(0).message().contains("port count of PortNamesAndDocsTest$Documented has no doc(...)"), es.get(0).message());
    }

    @Test
    void aDocumentedModuleDocumentsItsClockAndOnlyItsOwnPorts() {
        var e = assertThrows(ElaborationException.class, () -> Design.elaborate(() -> new Component() {
            final Bool a = in(new Bool());
            final Bool y = out(new Bool());
            {
                Bool r = regNextInit(a, 0);
                y.set(r);
                doc("In.", a);
                doc("Out.", y);
                doc("Not a port.", r);
            }
        }));
        String m = e.getMessage();
        assertTrue(m.contains("names a signal that is not one of its ports"), m);
        assertTrue(m.contains("clock clk of") && m.contains("has no docDomain(...)"), m);
    }
}
