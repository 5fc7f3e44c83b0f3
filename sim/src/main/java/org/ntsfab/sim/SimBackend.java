package org.ntsfab.sim;

import org.ntsfab.responder.top.ResponderDesigns;

import org.ntsfab.harness.Testbench;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.math.BigInteger;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.locks.LockSupport;
import org.ntsfab.hdl.Design;
import org.ntsfab.appliance.NtpBackend;
import org.ntsfab.appliance.UdpFrames;
import org.ntsfab.model.ConfigFile;
import org.ntsfab.model.Outcome;
import org.ntsfab.model.Responder;
import org.ntsfab.model.ResponderConfig;
import org.ntsfab.model.clock.NtpClock;
import org.ntsfab.model.nts.KeyFile;
import org.ntsfab.model.nts.MasterKeys;
import org.ntsfab.model.pcap.Pcap;
import org.ntsfab.responder.nts.NtsKeyLoader;
import org.ntsfab.responder.regs.ResponderRegisters;
import org.ntsfab.harness.AxisFrames;
import org.ntsfab.sim.host.AxiLiteHost;
import org.ntsfab.sim.host.HostRegisters;
import org.ntsfab.sim.host.RegisterPort;
import org.ntsfab.sim.host.SimHost;

/**
 * The simulated hardware behind {@code serve --backend sim}: every datagram is wrapped in the Ethernet frame the
 * FPGA would receive, pushed through the Verilator model of the generated {@code ntsfab_top}, and the answer frame
 * the RTL transmits is unwrapped and returned. The host side is driven as a host CPU would drive the board: the
 * master keys of the key file and a nonce seed from {@link SecureRandom} are written through AXI4-Lite, rotations
 * are pushed the same way while running, and the clock is loaded before each request.
 *
 * <p><b>Time.</b> The simulation is slower than the hardware, so a simulated cycle is mapped to a longer stretch of
 * real time, {@code cycleNanos} (the clock step register is set to it): before each request the RTL clock is
 * loaded so that the request's arrival cycle reads the host's real time at which the datagram was received, and the
 * answer is handed back (sent) at the real time its departure cycle maps to, so T2 and T3, stamped by the RTL,
 * are the real receive and send times. If the simulation is too slow to reach the departure before its real time
 * the answer goes out late by that much (counted as {@code bridge.late_sends}, worst lateness in
 * {@code bridge.max_late_us}); {@code cycleNanos} is calibrated at start with a margin so that this does not happen.
 *
 * <p><b>Check.</b> With {@code check} (the default) every frame also goes through the reference model, with the
 * same clock loads, keys and seed; a transmitted frame that differs from the model's answer at the same cycle, an
 * answer only one side has, and every counter of the register file after each request are compared; a difference
 * is logged with the frame and counted ({@code check.mismatches}).
 */
public final class SimBackend implements NtpBackend {
    /** Bridge settings: cross-check with the model, pcap of the RTL's traffic, ns of real time per cycle (0: calibrate). */
    public record Options(boolean check, Path pcap, long cycleNanos) {}

    private final ConfigFile cfg;
    private final Options opts;
    private final SimHost sim;
    private final Testbench tb;
    private final AxiLiteHost axil;
    private final HostRegisters regs;
    private final Responder model;
    private final int bytes;
    private long cycleNanos;
    private long step;
    private boolean stepWritten;
    private final int ntsResidence;
    private final long[] slotIds = new long[NtsKeyLoader.SLOTS];
    private final Pcap.Writer pcap;
    private final Map<String, Long> bridge = new TreeMap<>();
    private Map<String, Long> rtlCounters = new TreeMap<>();
    /** Cycles from the start of a request's exchange to its clock load taking effect (learned: the register interface is deterministic). */
    private long loadAt = -1;

    public SimBackend(ConfigFile cfg, KeyFile keys, Options opts) throws IOException {
        if (cfg.busBytes() != 8) throw new IllegalArgumentException("the simulator bridge needs the 64-bit top (bus_bytes = 8): only it has NTS cores");
        this.cfg = cfg;
        this.opts = opts;
        Design d = ResponderDesigns.design(cfg);
        this.ntsResidence = ResponderDesigns.ntsConfig(cfg).residence();
        System.err.println("serve: building the Verilator model of ntsfab_top (" + cfg.ntsCapacity().cores() + " NTS core(s); cached after the first build)");
        this.sim = new SimHost(d, 1);
        this.tb = sim.tb();
        this.axil = sim.axil();
        this.regs = sim.registers();
        this.bytes = sim.busBytes();
        for (String k : List.of("key_loads", "cycle_ns", "mismatches", "checked_frames")) bridge.put(k, 0L);
        resetTiming();
        pace(opts.cycleNanos() > 0 ? opts.cycleNanos() : calibrate());
        calibrated = cycleNanos;
        // the keys and a fresh nonce seed, as a host would load them
        byte[] seed = new byte[16];
        new SecureRandom().nextBytes(seed);
        Arrays.fill(slotIds, -1);
        for (int sl = 0; sl < slotIds.length; sl++) regs.invalidateKeySlot(sl);
        MasterKeys loaded = loadKeys(keys);
        regs.writeNonceSeed(seed);
        ResponderConfig b = TopSim.modelConfig(cfg, Instant.now());
        this.model = new Responder(new ResponderConfig(b.mac(), b.ipv4(), b.ipv6(), b.vlan(), b.forwardUnmatched(), b.ttl(), b.stratum(),
                b.refid(), b.precision(), b.rootDelay(), b.rootDispersion(), b.synced(), b.icmpMaxPayload(), b.maxPlaceholders(),
                b.clock(), new ResponderConfig.Nts(loaded, seed, cfg.ntsCapacity())));
        tb.forgetHistory();
        warmUp(loaded);
        this.pcap = opts.pcap() == null ? null : new Pcap.Writer(new BufferedOutputStream(Files.newOutputStream(opts.pcap())));
        System.err.printf("serve: simulated hardware ready: 1 cycle = %.1f us of real time for NTP exchanges, %.1f us for NTS exchanges"
                + " (NTS residence %d cycles: %.1f ms), model check %s%n", ntpPace / 1e3, ntsPace / 1e3, ntsResidence, ntsResidence * ntsPace / 1e6,
                opts.check() ? "on" : "off");
    }

    /**
     * Runs a few thousand NTP and NTS requests through the whole path (register writes, the simulator pipe, the model
     * check) before the socket opens, so the first real clients do not meet a cold JIT, which would make the
     * simulation fall behind real time and send their answers late. The counters shown from then on start at 0.
     */
    private void warmUp(MasterKeys keys) throws IOException {
        warming = true;
        java.util.Random r = new java.util.Random(1);
        org.ntsfab.model.nts.CookieCodec.Keys k = org.ntsfab.model.traffic.NtsClient.keys(r);
        byte[] cookie = new org.ntsfab.model.nts.CookieCodec(keys).seal(k, new byte[16]);
        InetSocketAddress from = new InetSocketAddress("127.0.0.1", 40000);
        warmNeed.clear();
        warmNeedNts.clear();
        for (int i = 0; i < 3000; i++) {
            byte[] hdr = org.ntsfab.model.traffic.FrameBuilder.ntpRequest(4, 3, i);
            byte[] payload = i % 32 == 0
                    ? org.ntsfab.model.traffic.NtsClient.request(hdr, new byte[32], cookie, 0, k.c2s(), new byte[16], new byte[0]) : hdr;
            answer(payload, from, System.nanoTime(), a -> { });
        }
        warming = false;
        // real time per cycle: three times what the slowest 1 % of the last warm-up answers needed, at least the calibrated pace
        if (opts.cycleNanos() == 0) {
            List<Long> need = new ArrayList<>(warmNeed.subList(warmNeed.size() / 2, warmNeed.size()));
            java.util.Collections.sort(need);
            System.err.printf("serve: bridge overhead per answer cycle: median %d ns, 95th %d ns, 99th %d ns%n", need.get(need.size() / 2),
                    need.get(need.size() * 95 / 100), need.get(need.size() * 99 / 100));
            ntpPace = Math.max(cycleNanos, 3 * need.get(need.size() * 99 / 100));
            List<Long> nts = new ArrayList<>(warmNeedNts.subList(warmNeedNts.size() / 2, warmNeedNts.size()));
            java.util.Collections.sort(nts);
            ntsPace = nts.isEmpty() ? ntpPace : Math.max(calibrated, 3 * nts.get(nts.size() * 99 / 100));
            System.err.printf("serve: real time per cycle: NTP exchanges %d ns, NTS exchanges %d ns (its residence %d cycles: %.1f ms)%n",
                    ntpPace, ntsPace, ntsResidence, ntsResidence * ntsPace / 1e6);
            pace(ntpPace);
            writeStep();
        } else {
            ntpPace = ntsPace = cycleNanos;
        }
        warmBaseline.putAll(counters());
        resetTiming();
    }

    private boolean warming;
    private final List<Long> warmNeed = new ArrayList<>(), warmNeedNts = new ArrayList<>();
    /** Real time per cycle for NTP and for NTS exchanges (0 until the warm-up has measured them); the calibrated idle pace. */
    private long ntpPace, ntsPace, calibrated;
    private final Map<String, Long> warmBaseline = new TreeMap<>();

    private void resetTiming() {
        for (String b : List.of("late_sends", "max_late_us", "requests", "answers", "no_answer", "host_frames", "clock_loads")) bridge.put(b, 0L);
        bridge.put("min_slack_us", 1_000_000_000L);  // (none yet)
    }

    /**
     * Real time per simulated cycle: four times what this machine needs to simulate an idle cycle, at least 20 us, so
     * that the simulation, which starts each request a little behind real time (the datagram's way to the bridge, the
     * pipe to the simulator), reaches an NTP answer's departure (about 25 cycles after the exchange starts) before
     * its real time.
     */
    private long calibrate() {
        tb.run(20_000);  // warm the pipe and the simulator
        long t0 = System.nanoTime();
        tb.run(100_000);
        long perCycle = (System.nanoTime() - t0) / 100_000;
        tb.forgetHistory();
        return Math.max(20_000, 4 * perCycle);
    }

    /** Writes the clock step register if the pace changed since it was last written. */
    private void writeStep() {
        if (stepWritten) return;
        axil.writeBurst(HostRegisters.clockStepWrites(step));
        stepWritten = true;
    }

    /** Sets the real time per cycle (whole microseconds); the clock step register follows with the next clock load. */
    private void pace(long ns) {
        cycleNanos = (ns + 999) / 1000 * 1000;
        step = BigInteger.valueOf(cycleNanos).shiftLeft(64).divide(BigInteger.valueOf(1_000_000_000L)).longValue();
        stepWritten = false;
    }

    public long cycleNanos() {
        return cycleNanos;
    }

    // ---- keys ------------------------------------------------------------------------------------

    /**
     * Loads the key file into the key slots: the current and next keys, then the newest older ones, as many as there
     * are slots; keys already in a slot stay where they are (so cookies being opened never see their key move), a new
     * key goes into the slot of a key no longer wanted, and the current-key register switches last. Returns the keys
     * now in the slots (the model uses exactly these).
     */
    private MasterKeys loadKeys(KeyFile kf) {
        List<Long> want = new ArrayList<>(List.of(kf.current()));
        if (kf.next() != kf.current()) want.add(kf.next());
        kf.keys().stream().map(KeyFile.Key::id).filter(id -> !want.contains(id)).sorted((x, y) -> Long.compare(y, x))
                .forEach(want::add);
        while (want.size() > NtsKeyLoader.SLOTS) {
            long dropped = want.remove(want.size() - 1);
            System.err.println("serve: key " + dropped + " not loaded into the hardware (" + NtsKeyLoader.SLOTS + " key slots); its cookies get NAKs");
        }
        for (long id : want) {
            boolean present = false;
            for (long s : slotIds) present |= s == id;
            if (present) continue;
            int slot = -1;
            for (int s = 0; s < slotIds.length && slot < 0; s++) if (slotIds[s] < 0 || !want.contains(slotIds[s])) slot = s;
            writeSlot(slot, id, kf.key(id).key());
        }
        for (int s = 0; s < slotIds.length; s++) if (slotIds[s] == kf.current()) regs.selectKey(s);
        for (int s = 0; s < slotIds.length; s++)
            if (slotIds[s] >= 0 && !want.contains(slotIds[s])) {
                regs.invalidateKeySlot(s);
                slotIds[s] = -1;
            }
        Map<Long, byte[]> m = new LinkedHashMap<>();
        for (long id : want) m.put(id, kf.key(id).key());
        bridge.merge("key_loads", 1L, Long::sum);
        return new MasterKeys(m, kf.current());
    }

    private void writeSlot(int s, long id, byte[] key) {
        regs.writeKeySlot(s, id, key);
        slotIds[s] = id;
    }

    @Override
    public synchronized void useKeys(KeyFile keys) {
        model.useKeys(loadKeys(keys));
        tb.forgetHistory();
    }

    // ---- one request -----------------------------------------------------------------------------

    /** The host's real time (32.32 NTP) at System.nanoTime() {@code nanos}. */
    private static long hostNtp(long nanos) {
        Instant now = Instant.now();
        long nowNanos = System.nanoTime();
        return ConfigFile.ntpTime(now.minusNanos(nowNanos - nanos));
    }

    private static long ntpFromNanos(long ns) {
        return BigInteger.valueOf(ns).shiftLeft(32).divide(BigInteger.valueOf(1_000_000_000L)).longValue();
    }

    @Override
    public synchronized void answer(byte[] payload, InetSocketAddress from, long rxNanos, Sender send) throws IOException {
        bridge.merge("requests", 1L, Long::sum);
        byte[] frame = UdpFrames.wrap(cfg, payload, from.getPort());
        // NTS answers leave a residence (thousands of cycles) after their request, NTP answers 16 cycles: each kind gets
        // the real time per cycle its own exchanges need (the bridge's fixed cost spread over its cycles)
        boolean ntsBound = FrameFields.udpDestinationPort(frame) == 123 && payload.length > 48;
        if (!warming && ntsPace > 0) pace(ntsBound ? ntsPace : ntpPace);
        writeStep();
        // The clock load and the request in one exchange with the simulator: the three register writes first, the frame
        // offered from cycle s + frameAt on, so that it is taken after the load took effect. The load time is chosen so
        // that the request's cycle reads the real time the datagram was received: T2 is the real receive time.
        long s0 = tb.cycle();
        long stepNow = step, cycleNow = cycleNanos;  // (a late answer changes the pace for the next request only)
        long frameAt = loadAt < 0 ? 64 : loadAt + 2;
        long predictedLoad = s0 + (loadAt < 0 ? 32 : loadAt);
        long lead = s0 + frameAt - predictedLoad;  // cycles from the load to the request
        long loadTime = hostNtp(rxNanos) - ntpFromNanos(lead * cycleNow);
        List<RegisterPort.Write> load = HostRegisters.clockLoadWrites(loadTime);
        int bBefore = axil.post(load);
        int txBefore = tb.beats(SimHost.TX).size(), hostBefore = tb.beats(SimHost.HOST_RX).size();
        int rxBefore = tb.acceptedCycles(SimHost.RX).size();
        tb.offerWhen(SimHost.RX, c -> c >= s0 + frameAt);
        for (AxisFrames.Beat b : AxisFrames.toBeats(frame, bytes, 0)) tb.push(SimHost.RX, b.fields());
        // an NTP answer leaves 16 cycles after its request's first beat: one exchange usually sees it whole
        tb.run(frameAt + 48);
        for (int i = 0; i < 100 && (!axil.answered(bBefore, load.size()) || tb.acceptedCycles(SimHost.RX).size() == rxBefore); i++) tb.run(16);
        axil.checkWrites(bBefore, load.size());
        if (tb.acceptedCycles(SimHost.RX).size() == rxBefore) throw new IllegalStateException("the RTL does not take frames (rx_tready low)");
        long cLoad = sim.clockLoadedAt();
        loadAt = cLoad - s0;
        long cRx = tb.acceptedCycles(SimHost.RX).get(rxBefore);
        bridge.merge("clock_loads", 1L, Long::sum);
        // the real time of a cycle, consistent with that clock (exact for the request's cycle when the prediction held)
        java.util.function.LongUnaryOperator wall = c -> rxNanos + (c - cLoad - lead) * cycleNow;

        // run until the answer has left (or long enough that none will)
        long budget = (ntsBound ? ntsResidence + 16_384 : 0) + 4_096;
        long end = tb.cycle() + budget;
        List<Testbench.Beat> tx = tb.beats(SimHost.TX);
        while (tb.cycle() < end && !(tx.size() > txBefore && tx.get(tx.size() - 1).field(2) != 0)) tb.run(128);
        byte[] answerFrame = null;
        long departure = -1;
        if (tx.size() > txBefore && tx.get(tx.size() - 1).field(2) != 0) {
            departure = tx.get(txBefore).cycle();
            answerFrame = AxisFrames.frames(tx.subList(txBefore, tx.size()), bytes).get(0);
        }
        int hostFrames = tb.beats(SimHost.HOST_RX).size() > hostBefore ? 1 : 0;
        bridge.merge("host_frames", (long) hostFrames, Long::sum);

        long due = departure < 0 ? 0 : wall.applyAsLong(departure);
        if (answerFrame != null) {
            byte[] reply = null;
            try {
                reply = UdpFrames.unwrap(answerFrame);
            } catch (org.ntsfab.model.wire.WireException e) {
                mismatch("the RTL's answer does not parse: " + e.getMessage(), frame, answerFrame, null);
            }
            long slack = due - System.nanoTime();
            if (warming) {
                // no client waits for these; how much real time per cycle this machine needed to get here
                (ntsBound ? warmNeedNts : warmNeed).add((System.nanoTime() - rxNanos) / Math.max(1, departure - cLoad - lead));
            } else if (slack < 0) {
                // the simulation fell behind real time: T3 is early by the lateness; slow the mapping down for the next requests
                bridge.merge("late_sends", 1L, Long::sum);
                bridge.merge("max_late_us", -slack / 1000, Math::max);
                if (opts.cycleNanos() == 0 && cycleNanos < 1_000_000) {
                    if (ntsBound) ntsPace = cycleNanos * 3 / 2;
                    else ntpPace = cycleNanos * 3 / 2;
                }
            } else {
                bridge.merge("min_slack_us", slack / 1000, Math::min);
                // sleep to just before the departure's real time, then spin to it
                while (due - System.nanoTime() > 200_000) LockSupport.parkNanos(due - System.nanoTime() - 150_000);
                while (System.nanoTime() < due) Thread.onSpinWait();
            }
            if (reply != null && !warming) send.send(reply);
            bridge.merge("answers", 1L, Long::sum);
        } else {
            bridge.merge("no_answer", 1L, Long::sum);
        }
        // after the answer is on its way: the pcap, the counters, and the model's verdict against the RTL's
        record(wall.applyAsLong(cRx), frame);
        if (answerFrame != null) record(due, answerFrame);
        rtlCounters = sim.countersBurst();
        if (opts.check()) {
            // the model counts cycles as the hardware does, from one origin for the whole run (its NTS admission rule holds
            // contexts across requests, spec 9.7), with the clock as loaded for this request
            model.useClock(new NtpClock(loadTime, stepNow, NtpClock.Leap.NONE, 0).startingAt(cLoad));
            check(frame, model.process(frame, false, cRx), answerFrame, departure, hostFrames);
        }
        writeStep();
        bridge.put("cycle_ns", cycleNanos);
        tb.forgetHistory();
    }

    /** The model's verdict against the RTL's: the answer, the host port, every counter. */
    private void check(byte[] frame, Responder.Result expected, byte[] actual, long departure, int hostFrames) {
        bridge.merge("checked_frames", 1L, Long::sum);
        byte[] want = expected.answer() == null ? null : expected.answer().at(departure);
        if (want == null && actual != null) mismatch("the RTL answered, the model (" + expected.outcome().counterName() + ") does not", frame, actual, null);
        else if (want != null && actual == null) mismatch("the model answers (" + expected.outcome().counterName() + "), the RTL did not", frame, null, want);
        else if (want != null && !Arrays.equals(want, actual))
            mismatch(expected.outcome().counterName() + " leaving at cycle " + departure + ": " + FrameFields.describeDifference(want, actual), frame, actual, want);
        if ((hostFrames == 1) != expected.toHost()) mismatch("host port: model " + expected.toHost() + ", RTL " + (hostFrames == 1), frame, null, null);
        // every counter of the register file against the model's; the fabric's own (overload, store overflow, late NTS
        // answers) must stay 0 with one request at a time; frames sent and passed to the host are what the bridge saw
        for (Map.Entry<String, Long> c : rtlCounters.entrySet()) {
            if (c.getKey().equals("count_tx_frames") || c.getKey().equals("count_host_rx_frames")) continue;
            Outcome o = outcome(c.getKey());
            long m = o == null ? 0 : model.counters().getOrDefault(o, 0L);
            if (m != c.getValue()) mismatch("counter " + c.getKey() + ": model " + m + ", RTL " + c.getValue(), frame, null, null);
        }
    }

    private static Outcome outcome(String counter) {
        for (Outcome o : Outcome.values()) if (ResponderRegisters.counterName(o.name()).equals(counter)) return o;
        return null;
    }

    private void mismatch(String what, byte[] request, byte[] actual, byte[] expected) {
        bridge.merge("mismatches", 1L, Long::sum);
        HexFormat h = HexFormat.of();
        System.err.println("serve MISMATCH " + what + "\n  request  " + h.formatHex(request)
                + (actual == null ? "" : "\n  rtl      " + h.formatHex(actual)) + (expected == null ? "" : "\n  model    " + h.formatHex(expected)));
    }

    private void record(long nanos, byte[] frame) throws IOException {
        if (pcap == null) return;
        Instant t = Instant.now().minusNanos(System.nanoTime() - nanos);
        pcap.write(new Pcap.Record(t, frame));
        pcap.flush();
    }

    /** Counters since the warm-up (the model's and the RTL's answers, the bridge's timing, the check). */
    @Override
    public synchronized Map<String, Long> counters() {
        Map<String, Long> m = new TreeMap<>();
        if (opts.check()) {
            for (Map.Entry<Outcome, Long> e : model.counters().entrySet())
                if (e.getValue() > 0) m.put("model." + e.getKey().counterName(), e.getValue());
        }
        // the answers as the RTL counted them (read after each request)
        for (Map.Entry<String, Long> c : rtlCounters.entrySet())
            if (c.getValue() > 0) m.put("ntp." + c.getKey().substring("count_".length()), c.getValue());
        for (Map.Entry<String, Long> b : bridge.entrySet())
            m.put((b.getKey().equals("mismatches") || b.getKey().equals("checked_frames") ? "check." : "bridge.") + b.getKey(), b.getValue());
        // answers and checks counted from the end of the warm-up (mismatches never: one there is one too many)
        for (Map.Entry<String, Long> e : warmBaseline.entrySet())
            if ((e.getKey().startsWith("ntp.") || e.getKey().startsWith("model.") || e.getKey().equals("check.checked_frames")) && m.containsKey(e.getKey()))
                m.put(e.getKey(), m.get(e.getKey()) - e.getValue());
        m.values().removeIf(v -> v == null);
        return m;
    }

    @Override
    public synchronized void close() throws IOException {
        if (pcap != null) pcap.close();
        sim.close();
    }
}
