package org.ntsfab.flow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.ntsfab.hdl.Bool;
import org.ntsfab.hdl.ClockDomain;
import org.ntsfab.hdl.Component;
import org.ntsfab.hdl.Design;
import org.ntsfab.flow.Constraints;
import org.ntsfab.hdl.lib.Synchronizer;

/** Constraints come from the design's own clock ports and declared crossings: one bound per synchronizer, none stale. */
class ConstraintsTest {
    static final ClockDomain HOST = new ClockDomain("host_clk", "host_rst", ClockDomain.Reset.SYNC_HIGH);

    /** Two clocks, a crossing each way and an asynchronous input synchronized into the main clock. */
    static Design twoDomains() {
        return Design.elaborate(() -> new Component() {
            final Bool pps = in(new Bool());
            final Bool fromHost = inDomain(HOST, () -> in(new Bool()));
            final Bool toHost = inDomain(HOST, () -> out(new Bool()));
            final Bool y = out(new Bool());
            final Synchronizer pps_sync, host_to_main, main_to_host;
            {
                moduleName("two_domains");
                pps_sync = add(new Synchronizer(1, ClockDomain.main()));
                pps_sync.in.set(pps.asBits());
                Bool h = inDomain(HOST, () -> regNext(fromHost).named("host_level_reg"));
                host_to_main = add(new Synchronizer(1, ClockDomain.main()));
                host_to_main.in.set(h.asBits());
                Bool m = regNext(host_to_main.out.bit(0).and(pps_sync.out.bit(0))).named("main_level_reg");
                y.set(m);
                main_to_host = add(new Synchronizer(1, HOST));
                main_to_host.in.set(m.asBits());
                toHost.set(main_to_host.out.bit(0));
            }
        });
    }

    @Test
    void xdcHasOneClockPerClockPortAndOneBoundPerDeclaredCrossing() {
        Design d = twoDomains();
        assertEquals(3, d.crossings().size());
        String xdc = Constraints.xdc(d, Map.of("clk", 156_250_000L, "host_clk", 100_000_000L));
        assertTrue(xdc.contains("create_clock -name clk -period 6.400 [get_ports clk]"), xdc);
        assertTrue(xdc.contains("create_clock -name host_clk -period 10.000 [get_ports host_clk]"), xdc);
        String top = d.verilog("two_domains");
        Pattern bound = Pattern.compile("set_max_delay -datapath_only ([0-9.]+) -to \\[get_cells -quiet ([a-z_/]+)/sync_stage0_reg_reg\\*\\]");
        Matcher m = bound.matcher(xdc);
        int n = 0;
        while (m.find()) {
            n++;
            String inst = m.group(2);
            // the instance exists in the emitted Verilog, and the bound is one period of the clock it crosses into
            assertTrue(Pattern.compile("\\b" + inst + " \\(").matcher(top).find() || top.contains(" " + inst + "("), inst + " not instantiated:\n" + top);
            Design.Crossing c = d.crossings().stream().filter(x -> Constraints.instanceBelowTop(x).equals(inst)).findFirst().orElseThrow();
            assertEquals(c.destinationClock().equals("clk") ? "6.400" : "10.000", m.group(1), inst);
        }
        assertEquals(d.crossings().size(), n, "one bound per crossing, no stale ones:\n" + xdc);
        assertEquals(d.crossings().size(), xdc.split("set_false_path -from \\[all_inputs\\]", -1).length - 1);
    }

    @Test
    void lpfAndNextpnrScriptNameEveryClockAndCrossing() {
        Design d = twoDomains();
        Map<String, Long> hz = Map.of("clk", 125_000_000L, "host_clk", 50_000_000L);
        String lpf = Constraints.lpf(d, hz);
        assertTrue(lpf.contains("FREQUENCY PORT \"clk\" 125.000 MHz;"), lpf);
        assertTrue(lpf.contains("FREQUENCY PORT \"host_clk\" 50.000 MHz;"), lpf);
        assertEquals(3, lpf.split("BLOCK PATH TO CELL", -1).length - 1, lpf);
        String py = Constraints.nextpnrPrePack(d, hz);
        assertTrue(py.contains("ctx.addClock(\"clk\", 125.000)") && py.contains("ctx.addClock(\"host_clk\", 50.000)"), py);
    }

    @Test
    void everyClockPortNeedsAFrequencyAndNoOtherNameIsAccepted() {
        Design d = twoDomains();
        assertThrows(IllegalArgumentException.class, () -> Constraints.xdc(d, Map.of("clk", 1L)));
        assertThrows(IllegalArgumentException.class, () -> Constraints.xdc(d, Map.of("clk", 1L, "host_clk", 1L, "nope", 1L)));
    }
}
