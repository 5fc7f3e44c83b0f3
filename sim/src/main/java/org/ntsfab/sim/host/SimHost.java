package org.ntsfab.sim.host;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.ntsfab.harness.SimOptions;
import org.ntsfab.harness.Testbench;
import org.ntsfab.hdl.Design;
import org.ntsfab.ip.axil.RegisterMap;
import org.ntsfab.model.ConfigFile;
import org.ntsfab.responder.top.ResponderDesigns;

/**
 * A responder design ({@code ntsfab_top} or {@code ntsfab_top_8}) in a Verilator testbench with its host: the frame
 * streams (receive, transmit, host port both ways) and the NTS admission strobe as the testbench's streams, the
 * AXI4-Lite register file driven by an {@link AxiLiteHost}, and the {@link HostRegisters} loaders over it. The capture
 * cross-check ({@code TopSim}), the simulator bridge ({@code SimBackend}) and the core's own tests drive the design
 * through this one host.
 */
public final class SimHost implements AutoCloseable {
    /** The design's streams, by port prefix: frames in and out, the host port both ways, the NTS admission decisions. */
    public static final String RX = "rx", TX = "tx", HOST_RX = "host_rx", HOST_TX = "host_tx", NTS_ADMISSION = "nts_admission";
    /** The PPS input (of the core and of the board cores around it). */
    public static final String PPS = "pps";
    /** Cycles from a clock-load write being accepted to the clock reading the loaded time (the register map's rule). */
    public static final int CLOCK_LOAD_CYCLES = 2;

    private final Testbench tb;
    private final AxiLiteHost axil;
    private final HostRegisters registers;
    private final int busBytes;

    /** The testbench of {@code d} (a responder top), built with the fast simulator options and {@code seed} for its random stalls. */
    public SimHost(Design d, long seed) {
        this.busBytes = d.ports().stream().filter(p -> p.name().equals(RX + "_tdata")).findFirst().orElseThrow().width() / 8;
        Testbench.Builder b = Testbench.of(d).source(RX).source(HOST_TX).sink(TX).sink(HOST_RX);
        this.tb = AxiLiteHost.channels(b).flow(NTS_ADMISSION, NTS_ADMISSION + "_valid", NTS_ADMISSION + "_admitted", NTS_ADMISSION + "_core").build(SimOptions.fast(), seed);
        this.axil = new AxiLiteHost(tb);
        this.registers = new HostRegisters(axil);
    }

    /** The configuration's responder design ({@link ResponderDesigns#design}). */
    public static SimHost of(ConfigFile cfg, long seed) {
        return new SimHost(ResponderDesigns.design(cfg), seed);
    }

    public Testbench tb() {
        return tb;
    }

    public AxiLiteHost axil() {
        return axil;
    }

    public HostRegisters registers() {
        return registers;
    }

    /** Bytes per beat of the frame streams (8 or 1). */
    public int busBytes() {
        return busBytes;
    }

    /** The cycle the clock reads the time of the last load written (the last write accepted being the load pulse). */
    public long clockLoadedAt() {
        return axil.lastWriteAccepted() + CLOCK_LOAD_CYCLES;
    }

    /** A PPS pulse: the input high for {@code highCycles}, then low. */
    public void ppsPulse(int highCycles) {
        ppsPulse(tb, highCycles);
    }

    /** A PPS pulse on any testbench with a {@value #PPS} input (a board core's). */
    public static void ppsPulse(Testbench tb, int highCycles) {
        tb.set(PPS, 1);
        tb.run(highCycles);
        tb.set(PPS, 0);
    }

    /** Every counter in one AXI4-Lite burst (per counter the low word, then the high word it latched), by register name. */
    public Map<String, Long> countersBurst() {
        List<RegisterMap.Register> regs = HostRegisters.counterRegisters();
        List<Integer> addresses = regs.stream().flatMap(r -> java.util.stream.Stream.of(r.offset(), r.offset() + 4)).toList();
        long[] words = axil.readBurst(addresses);
        Map<String, Long> m = new TreeMap<>();
        for (int i = 0; i < regs.size(); i++) m.put(regs.get(i).name(), (words[2 * i + 1] << 32) | words[2 * i]);
        return m;
    }

    @Override
    public void close() {
        tb.close();
    }
}
