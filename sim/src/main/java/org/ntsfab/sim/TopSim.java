package org.ntsfab.sim;

import org.ntsfab.responder.top.ResponderDesigns;

import org.ntsfab.harness.Testbench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.ntsfab.hdl.Design;
import org.ntsfab.model.ConfigFile;
import org.ntsfab.model.Outcome;
import org.ntsfab.model.Responder;
import org.ntsfab.model.ResponderConfig;
import org.ntsfab.model.clock.NtpClock;
import org.ntsfab.model.pcap.Pcap;
import org.ntsfab.responder.top.NtsFabTop;
import org.ntsfab.responder.ResponderDefaults;
import org.ntsfab.responder.regs.ResponderRegisters;
import org.ntsfab.harness.AxisFrames;
import org.ntsfab.sim.host.HostRegisters;
import org.ntsfab.sim.host.SimHost;

/**
 * Runs a capture through the Verilator model of {@code ntsfab_top} and, frame by frame, through
 * the reference model, and compares everything: every transmitted frame (answers with T3 taken at
 * the cycle their first beat left, echo replies, host frames merged into the transmit port), every
 * frame passed to the host port, and every counter of the register file. The simulated clock is
 * loaded through the register interface, as a host CPU would, so that cycle 0 (the first frame's
 * arrival) reads the first frame's capture time; frames enter at the cycle of their capture time,
 * or ({@code lineRate}) back to back on the wire: never closer to the frame before than an Ethernet
 * link delivers them (its bytes, padded to 60, plus {@link #WIRE_OVERHEAD} bytes of FCS, preamble and
 * mean gap, at the bus width per cycle), in either mode.
 *
 * <p>Losses the model does not have (answers dropped by a full answer queue, frames the full frame
 * store could not take) are allowed only as many as the RTL's own counters report; anything else
 * that differs is a mismatch, reported with the frame, the field and the bytes.
 */
public final class TopSim {
    private TopSim() {}

    /**
     * How to drive the simulation. {@code vcdDir} non-null: a waveform window around each frame that differs (the first
     * 5), and of {@code vcdWindow} when given (which needs no check).
     */
    public record Options(boolean lineRate, double rxOffer, double txReady, double hostReady, double rxErrorRate, long seed, Path vcdDir,
            boolean check, int ntsRotateAt, Window vcdWindow) {
        public Options {
            if (vcdWindow != null && vcdDir == null) throw new IllegalArgumentException("a waveform window needs a directory (vcdDir)");
        }

        public Options(boolean lineRate, double rxOffer, double txReady, double hostReady, double rxErrorRate, long seed, Path vcdDir,
                boolean check, int ntsRotateAt) {
            this(lineRate, rxOffer, txReady, hostReady, rxErrorRate, seed, vcdDir, check, ntsRotateAt, null);
        }

        public Options(boolean lineRate, double rxOffer, double txReady, double hostReady, double rxErrorRate, long seed, Path vcdDir,
                boolean check) {
            this(lineRate, rxOffer, txReady, hostReady, rxErrorRate, seed, vcdDir, check, -1);
        }

        /** The same, with a waveform of cycles {@code w} written into {@code dir}, whatever the run finds. */
        public Options withVcdWindow(Path dir, Window w) {
            return new Options(lineRate, rxOffer, txReady, hostReady, rxErrorRate, seed, dir, check, ntsRotateAt, w);
        }

        public static Options defaults(long seed) {
            return new Options(false, 1.0, 1.0, 1.0, 0.0, seed, null, true);
        }

        /** The same, with the NTS master key rotated (the current slot switched to the other live key, through the register
         *  interface) once every frame before {@code frame} has been answered. */
        public Options rotatingKeyAt(int frame) {
            return new Options(lineRate, rxOffer, txReady, hostReady, rxErrorRate, seed, vcdDir, check, frame, vcdWindow);
        }
    }

    /** How many frames that differ get a waveform window. */
    public static final int WAVEFORMS = 5;

    /**
     * Cycles {@code from..to} of a run, numbered as every message and the output captures number them: cycle 0 is the
     * first request's arrival (the cycle the simulated clock reads its capture time).
     */
    public record Window(long from, long to) {
        public Window {
            if (from < 0 || to <= from) throw new IllegalArgumentException("cycles " + from + ".." + to + ": need 0 <= from < to");
        }

        public long cycles() {
            return to - from;
        }
    }

    /**
     * A waveform written: the file, the cycles it holds (numbered as in {@link Window}; in the file cycle {@code c} starts
     * at {@code c} x the clock period, in picoseconds) and why it was written ({@code null}: the window asked for).
     */
    public record Waveform(Path file, Window cycles, String difference) {}

    /** A frame out of the RTL: the cycle its first beat left (relative to cycle 0) and its bytes. */
    public record OutFrame(long cycle, byte[] frame) {}

    /**
     * What a run found. {@code ntsTimes}: each NTS answer's request and departure cycles; {@code ntsDecisions}: the RTL's
     * admissions in order (the core, -1 a drop); {@code rxCycles}: the cycle each frame's first beat was taken.
     */
    public record Report(int frames, List<OutFrame> tx, List<OutFrame> hostRx, Map<String, Long> rtlCounters,
            Map<Outcome, Long> modelCounters, List<String> mismatches, long cycles, double wallSeconds, Path verilog,
            List<long[]> ntsTimes, List<Waveform> waveforms, String windowNote, List<Integer> ntsDecisions, List<Long> rxCycles) {
        public boolean ok() {
            return mismatches.isEmpty();
        }
    }

    /** The model's configuration: the fabric's, with the clock started at {@code start} (the byte-wide build has no NTS). */
    public static ResponderConfig modelConfig(ConfigFile cfg, Instant start) {
        return cfg.fabricResponder(start);
    }

    public static Report run(ConfigFile cfg, List<Pcap.Record> in, Options o, List<byte[]> hostTx) {
        return run(cfg, ResponderDesigns.design(cfg), in, o, hostTx);
    }

    public static Report run(ConfigFile cfg, Design d, List<Pcap.Record> in, Options o, List<byte[]> hostTx) {
        long wall0 = System.nanoTime();
        Instant t0 = in.isEmpty() ? Instant.EPOCH : in.get(0).time();
        ResponderConfig mc = modelConfig(cfg, t0);
        NtpClock clock = mc.clock();
        double hz = cfg.frequencyHz();
        List<String> mismatches = new ArrayList<>();
        List<long[]> ntsTimes = new ArrayList<>();
        RtlFeed feed = new RtlFeed();
        try (SimHost sim = new SimHost(d, o.seed())) {
            Testbench tb = sim.tb();
            Waves waves = new Waves(tb, o.vcdDir());
            HostRegisters regs = sim.registers();
            int bytes = sim.busBytes();
            tb.readyProbability(SimHost.TX, o.txReady());
            tb.readyProbability(SimHost.HOST_RX, o.hostReady());
            if (mc.nts() != null) regs.loadNts(mc.nts());
            // the clock, as a host would set it: time, leap, then the load pulse
            long eventSecond = cfg.leapEvent() == null ? 0 : cfg.leapEvent().getEpochSecond() + ConfigFile.NTP_UNIX_OFFSET;
            regs.loadClock(clock.at(0), cfg.leap(), eventSecond);
            long c0 = sim.clockLoadedAt();
            if (tb.cycle() < c0) tb.run(c0 - tb.cycle());
            tb.vcdTiming(c0, 1e12 / hz);
            tb.offerProbability(SimHost.RX, o.rxOffer());

            for (byte[] f : hostTx) for (AxisFrames.Beat b : AxisFrames.toBeats(f, bytes, 0)) tb.push("host_tx", b.fields());
            List<Integer> firstBeat = new ArrayList<>();
            boolean[] rxError = new boolean[in.size()];
            java.util.SplittableRandom errRnd = new java.util.SplittableRandom(o.seed() ^ 0x5eed);
            for (int i = 0; i < rxError.length; i++) rxError[i] = o.rxErrorRate() > 0 && errRnd.nextDouble() < o.rxErrorRate();
            int beats = 0;
            List<Long> keyOrder = mc.nts() == null ? List.of() : new ArrayList<>(new java.util.TreeSet<>(mc.nts().keys().all().keySet()));
            long rotatedId = keyOrder.isEmpty() ? -1 : keyOrder.stream().filter(id -> id != mc.nts().keys().currentId()).findFirst().orElse(-1L);
            for (Pcap.Record r : in) {
                firstBeat.add(beats);
                beats += (r.frame().length + bytes - 1) / bytes;
            }
            beats = 0;

            // the model, frame by frame at the cycles the RTL accepted them, in a thread of its own beside the simulation (the
            // RTL's accept cycles reach it as they come in); it decides NTS admission by its own rule (spec 9.7), and its
            // decisions are compared with the RTL's afterwards
            Responder model = new Responder(mc);
            List<Integer> modelDecisions = java.util.Collections.synchronizedList(new ArrayList<>());
            model.onNtsDecision(modelDecisions::add);
            Deque<Expected> header = new ArrayDeque<>(), echo = new ArrayDeque<>(), ntsQ = new ArrayDeque<>();
            Deque<byte[]> host = new ArrayDeque<>();
            Deque<Integer> hostIdx = new ArrayDeque<>();
            Throwable[] modelFailure = new Throwable[1];
            Thread modelThread = new Thread(() -> {
                try {
                    for (int i = 0; i < in.size(); i++) {
                        if (i == o.ntsRotateAt() && rotatedId >= 0)
                            model.useKeys(new org.ntsfab.model.nts.MasterKeys(mc.nts().keys().all(), rotatedId));
                        long rx = feed.accepted(firstBeat.get(i)) - c0;
                        Responder.Result res = model.process(in.get(i).frame(), rxError[i], rx);
                        if (res.toHost()) {
                            host.add(in.get(i).frame());
                            hostIdx.add(i);
                        }
                        if (res.answer() == null) continue;
                        boolean isEcho = res.outcome() == Outcome.ANSWER_ICMP_ECHO || res.outcome() == Outcome.ANSWER_ICMPV6_ECHO;
                        boolean isNts = res.outcome() == Outcome.ANSWER_NTS || res.outcome() == Outcome.ANSWER_NTS_NAK_COOKIE
                                || res.outcome() == Outcome.ANSWER_NTS_NAK_AUTH;
                        (isEcho ? echo : isNts ? ntsQ : header).add(new Expected(i, rx, res));
                    }
                } catch (Throwable t) {
                    modelFailure[0] = t;
                }
            }, "reference-model");
            modelThread.setDaemon(true);
            modelThread.start();
            long pause = 0;
            // the earliest cycle the wire lets the next frame's first beat in (fractional: the mean of a real MAC's gaps)
            double wireFree = Double.NEGATIVE_INFINITY;
            for (int fi = 0; fi < in.size(); fi++) {
                Pcap.Record r = in.get(fi);
                if (fi % 256 == 255) {
                    tb.poll();
                    feed.update(tb, false);
                }
                if (fi == o.ntsRotateAt() && rotatedId >= 0) {
                    // everything before this frame answered, then one register write switches every NTS core to the other key;
                    // the capture's later frames keep their spacing after the pause
                    long before = tb.cycle();
                    tb.runUntilDrained(Math.max(1_000_000L, 40L * beats), 4000);
                    tb.run(ntsRunOut(cfg));
                    regs.selectKey(keyOrder.indexOf(rotatedId));
                    pause += tb.cycle() - before;
                }
                // back to back: as soon as the wire allows; else at the capture time, but never closer to the frame before than
                // the wire allows (a capture's timestamps can be, a link cannot)
                double at = c0 + pause;
                if (!o.lineRate()) {
                    Duration dt = Duration.between(t0, r.time());
                    at += Math.round((dt.getSeconds() + dt.getNano() / 1e9) * hz);
                }
                // (and not before the cycle the harness is at: after a pause the frames resume spaced as the wire spaces them)
                at = Math.max(Math.max(at, wireFree), tb.cycle());
                long target = (long) Math.ceil(at);
                // the previous frame's beats (queued in the harness), then idle up to this frame's arrival; sent without
                // waiting for the results, which are taken in when first asked for
                if (target > tb.cycle()) tb.runAsync(target - tb.cycle());
                wireFree = at + wireCycles(r.frame().length, bytes);
                for (AxisFrames.Beat b : AxisFrames.toBeats(r.frame(), bytes, rxError[fi] ? 1 : 0)) {
                    tb.push("rx", b.fields());
                    beats++;
                }
            }
            tb.runUntilDrained(Math.max(1_000_000L, 40L * beats), 4000);
            // an NTS request taken last still needs its residence to leave, and its context its hold
            if (mc.nts() != null) tb.run(ntsRunOut(cfg));
            // then until both output ports have been quiet for a while with no frame half sent (a slow host port drains slowly)
            for (int guard = 0; guard < 10_000; guard++) {
                int txN = tb.beats("tx").size(), hostN = tb.beats("host_rx").size();
                tb.run(2000);
                if (txN == tb.beats("tx").size() && hostN == tb.beats("host_rx").size() && endsFrame(tb.beats("tx"))
                        && endsFrame(tb.beats("host_rx"))) break;
            }
            // the RTL's NTS admission decisions, in order: the core, -1 for drop_nts_overload
            List<Integer> rtlDecisions = new ArrayList<>();
            for (Testbench.Beat b : tb.beats(SimHost.NTS_ADMISSION)) rtlDecisions.add(b.field(0) != 0 ? (int) b.field(1) : -1);
            // every counter, read through the register interface
            Map<String, Long> rtlCounters = regs.counters();
            long cycles = tb.cycle();

            List<OutFrame> tx = outFrames(tb.beats(SimHost.TX), c0, bytes);
            List<OutFrame> hostRx = outFrames(tb.beats(SimHost.HOST_RX), c0, bytes);
            feed.update(tb, true);
            try {
                modelThread.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted waiting for the reference model", e);
            }
            if (modelFailure[0] instanceof RuntimeException e) throw e;
            if (modelFailure[0] instanceof Error e) throw e;
            if (modelFailure[0] != null) throw new IllegalStateException(modelFailure[0]);
            if (o.check()) {
                Deque<byte[]> hostTxLeft = new ArrayDeque<>(hostTx);
                java.util.Set<Long> txBusy = new java.util.HashSet<>();
                for (Testbench.Beat b : tb.beats(SimHost.TX)) txBusy.add(b.cycle());
                long overload = rtlCounters.get("count_answer_overload");
                long storeOverflow = rtlCounters.get("count_store_overflow");
                long skippedHeader = 0, skippedStore = 0;
                for (OutFrame f : tx) {
                    if (!hostTxLeft.isEmpty() && Arrays.equals(hostTxLeft.peek(), f.frame())) {
                        hostTxLeft.poll();
                        continue;
                    }
                    boolean looksEcho = FrameFields.isEchoReply(f.frame());
                    boolean looksNts = FrameFields.isNtsAnswer(f.frame());
                    Deque<Expected> q = looksEcho ? echo : looksNts ? ntsQ : header;
                    long allowed = looksEcho ? storeOverflow - skippedStore : looksNts ? 0 : overload - skippedHeader;
                    Expected match = null;
                    int skipped = 0;
                    if (looksNts) {
                        // answers leave in request order at their fixed residence, but a stalled port may delay one: the answer to any waiting NTS
                        // request to this client and port
                        Expected e = ntsCandidate(ntsQ, in, f, tb, c0, txBusy);
                        if (e != null) {
                            ntsQ.remove(e);
                            ntsTimes.add(new long[] {e.rx, f.cycle()});
                            continue;
                        }
                    }
                    for (Expected e : q) {
                        if (looksNts ? ntsMatches(tb, c0, e, f, txBusy) : Arrays.equals(e.result.answer().at(f.cycle()), f.frame())) {
                            match = e;
                            break;
                        }
                        if (++skipped > allowed) break;
                    }
                    if (match == null) {
                        Expected e = q.peek();
                        if (e == null) mismatches.add(waves.report(c0, f, "unexpected", "transmitted frame the model does not send", null, f.frame()));
                        else mismatches.add(waves.report(c0, f, "frame" + e.index, "answer to frame #" + e.index + " (" + e.result.outcome().counterName()
                                + ", rx cycle " + e.rx + ")", e.result.answer().at(f.cycle()), f.frame()));
                        if (e != null) q.poll();
                        continue;
                    }
                    if (looksNts) ntsTimes.add(new long[] {match.rx, f.cycle()});
                    for (int k = 0; k < skipped; k++) q.poll();
                    q.poll();
                    if (looksEcho) skippedStore += skipped;
                    else skippedHeader += skipped;
                }
                if (skippedHeader + header.size() != overload)
                    mismatches.add("answers: " + (skippedHeader + header.size()) + " the model sends are missing, the RTL's answer_overload counter says "
                            + overload + (header.isEmpty() ? "" : "; first missing: answer to frame #" + header.peek().index));
                if (!hostTxLeft.isEmpty()) mismatches.add(hostTxLeft.size() + " host frames were never transmitted");
                if (!ntsQ.isEmpty()) mismatches.add(ntsQ.size() + " NTS answers the model sends are missing; first: answer to frame #"
                        + ntsQ.peek().index + " (" + ntsQ.peek().result.outcome().counterName() + ")");
                int hi = 0;
                long skippedHost = 0;
                for (OutFrame f : hostRx) {
                    int skipped = 0;
                    while (!host.isEmpty() && !Arrays.equals(host.peek(), f.frame()) && skippedHost + skipped < storeOverflow - skippedStore) {
                        host.poll();
                        hostIdx.poll();
                        skipped++;
                    }
                    if (host.isEmpty() || !Arrays.equals(host.peek(), f.frame())) {
                        mismatches.add(waves.report(c0, f, "host" + hi, "host-port frame " + hi + (hostIdx.isEmpty() ? "" : " (request #" + hostIdx.peek() + ")"),
                                host.peek(), f.frame()));
                    }
                    skippedHost += skipped;
                    if (!host.isEmpty()) {
                        host.poll();
                        hostIdx.poll();
                    }
                    hi++;
                }
                if (skippedStore + skippedHost + host.size() + echo.size() != storeOverflow)
                    mismatches.add("host/echo frames: " + (skippedHost + host.size()) + " host and " + (skippedStore + echo.size())
                            + " echo frames missing, the RTL's store_overflow counter says " + storeOverflow);
                String admission = compareDecisions(new ArrayList<>(modelDecisions), rtlDecisions);
                if (admission != null) mismatches.add(admission);
                if (rtlCounters.get("count_nts_late") != 0)
                    mismatches.add(rtlCounters.get("count_nts_late") + " NTS answers were not ready at their departure cycle (count_nts_late)");
                Map<Outcome, Long> mcount = model.counters();
                for (Outcome oc : Outcome.values()) {
                    long want = mcount.getOrDefault(oc, 0L), got = rtlCounters.get(ResponderRegisters.counterName(oc.name()));
                    if (want != got) mismatches.add("counter " + oc.counterName() + ": model " + want + ", RTL " + got);
                }
            }
            if (!tb.violations().isEmpty()) mismatches.add("AXI-Stream protocol violations: " + tb.violations());
            String windowNote = o.vcdWindow() == null ? null : waves.window(c0, o.vcdWindow());
            List<Long> rxCycles = new ArrayList<>();
            for (int i = 0; i < in.size(); i++) rxCycles.add(feed.accepted(firstBeat.get(i)) - c0);
            return new Report(in.size(), tx, hostRx, rtlCounters, new EnumMap<>(model.counters()), mismatches, cycles,
                    (System.nanoTime() - wall0) / 1e9, null, ntsTimes, List.copyOf(waves.written), windowNote, List.copyOf(rtlDecisions),
                    List.copyOf(rxCycles));
        } finally {
            // a failed simulation leaves the model's thread nothing to wait for
            feed.abort();
        }
    }

    /** Cycles to run after the last NTS request so that its answer leaves and its context is free: residence + hold + margin. */
    static long ntsRunOut(ConfigFile cfg) {
        NtsFabTop.Nts n = ResponderDesigns.ntsConfig(cfg);
        return (long) n.residence() + n.hold() + 40_000;
    }

    /**
     * The model's NTS admission decisions against the RTL's trace, in order (the core index, -1 for a drop): null when
     * equal, else the first difference.
     */
    static String compareDecisions(List<Integer> model, List<Integer> rtl) {
        for (int k = 0; k < Math.min(model.size(), rtl.size()); k++)
            if (!model.get(k).equals(rtl.get(k)))
                return "NTS admission decision " + k + ": model " + decision(model.get(k)) + ", RTL " + decision(rtl.get(k));
        if (model.size() != rtl.size()) return "NTS admission decisions: model " + model.size() + ", RTL " + rtl.size();
        return null;
    }

    private static String decision(int core) {
        return core < 0 ? "drop_nts_overload" : "core " + core;
    }

    /**
     * An NTS answer carries T3 for its reserved departure cycle, which the transmit port keeps free; when the testbench
     * held tx ready low (directly, or by stretching a frame that was leaving), it left later. So: equal to the model's
     * answer at the cycle it left, or at a cycle of the run just before it in which the port was stalled or busy with
     * another frame's beats.
     */
    private static boolean ntsMatches(Testbench tb, long c0, Expected e, OutFrame f, java.util.Set<Long> txBusy) {
        // the NTS cores' answer leaves at the residence the model decided (its class's) after the request's first beat, or
        // later by exactly the cycles the transmit port stalled it (spec 9.7); without the cores, at any cycle it matches
        long due = e.result.ntsResidence() > 0 ? e.rx + e.result.ntsResidence() : Long.MIN_VALUE;
        for (long d = f.cycle(); ; d--) {
            if (d < due) return false;
            if ((due == Long.MIN_VALUE || d == due) && Arrays.equals(e.result.answer().at(d), f.frame())) return true;
            long prev = d - 1 + c0;
            if (!tb.wasNotReady(SimHost.TX, prev) && !txBusy.contains(prev)) return false;
        }
    }

    private static Expected ntsCandidate(Deque<Expected> q, List<Pcap.Record> in, OutFrame f, Testbench tb, long c0, java.util.Set<Long> txBusy) {
        for (Expected e : q) {
            byte[] req = in.get(e.index).frame();
            // same client MAC and UDP port before the full comparison
            if (!Arrays.equals(Arrays.copyOfRange(req, 6, 12), Arrays.copyOfRange(f.frame(), 0, 6))) continue;
            if (FrameFields.udpSourcePort(req) != FrameFields.udpDestinationPort(f.frame())) continue;
            if (ntsMatches(tb, c0, e, f, txBusy)) return e;
        }
        return null;
    }

    /**
     * The RTL's results the model needs, the cycle each rx beat was taken, handed from the simulation to the model's
     * thread as they come in.
     */
    private static final class RtlFeed {
        private final List<Long> accepted = new ArrayList<>();
        private boolean done;

        /** Takes what the testbench has taken in so far; {@code last}: there is no more. On the simulation's thread. */
        synchronized void update(Testbench tb, boolean last) {
            List<Long> acc = tb.acceptedCyclesSoFar(SimHost.RX);
            accepted.addAll(acc.subList(accepted.size(), acc.size()));
            done |= last;
            notifyAll();
        }

        /** The cycle the RTL took rx beat {@code k}, once known. */
        synchronized long accepted(int k) {
            while (k >= accepted.size() && !done) await();
            return accepted.get(k);
        }

        synchronized void abort() {
            done = true;
            notifyAll();
        }

        private void await() {
            try {
                wait();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted waiting for the simulation", e);
            }
        }
    }

    private record Expected(int index, long rx, Responder.Result result) {}

    private static boolean endsFrame(List<Testbench.Beat> beats) {
        return beats.isEmpty() || beats.get(beats.size() - 1).field(2) != 0;
    }

    /**
     * Bytes a frame takes on an Ethernet wire beyond its own: the FCS (4), preamble and start delimiter (8) and the mean
     * inter-frame gap (12); a frame shorter than 60 bytes is padded to 60 on the wire.
     */
    public static final int WIRE_OVERHEAD = 24;

    /** The cycles a frame of {@code length} bytes (without FCS) occupies on the wire at {@code busBytes} bytes a cycle. */
    public static double wireCycles(int length, int busBytes) {
        return (Math.max(length, 60) + WIRE_OVERHEAD) / (double) busBytes;
    }

    private static List<OutFrame> outFrames(List<Testbench.Beat> beats, long c0, int bytes) {
        List<byte[]> frames = AxisFrames.frames(beats, bytes);
        List<OutFrame> out = new ArrayList<>();
        boolean sof = true;
        int k = 0;
        for (Testbench.Beat b : beats) {
            if (sof) out.add(new OutFrame(b.cycle() - c0, frames.get(k++)));
            sof = b.field(2) != 0;
        }
        return out;
    }

    /** The run's waveforms: replays of its cycles into {@code dir} (none when null), named by the cycles they hold. */
    private static final class Waves {
        private final Testbench tb;
        private final Path dir;
        private final List<Waveform> written = new ArrayList<>();
        private int differences;

        Waves(Testbench tb, Path dir) {
            this.tb = tb;
            this.dir = dir;
        }

        /** A frame that differs, described; with the first {@link #WAVEFORMS}, a waveform of 300 cycles before to 100 after it left. */
        String report(long c0, OutFrame f, String tag, String what, byte[] expected, byte[] actual) {
            String msg = what + " leaving at cycle " + f.cycle() + ": " + FrameFields.describeDifference(expected, actual);
            if (dir == null || differences++ >= WAVEFORMS) return msg;
            long last = tb.cycle() - 1 - c0;
            Window w = new Window(Math.max(0, f.cycle() - 300), Math.min(last, f.cycle() + 100));
            try {
                Path vcd = dump(c0, "diff-" + tag, w);
                written.add(new Waveform(vcd, w, msg));
                return msg + " (waveform of cycles " + w.from() + ".." + w.to() + ": " + vcd + ")";
            } catch (RuntimeException e) {
                return msg + " (waveform failed: " + e.getMessage() + ")";
            }
        }

        /** The window asked for: null when written as asked, else what became of it (cut at the run's end, or not written). */
        String window(long c0, Window asked) {
            long last = tb.cycle() - 1 - c0;
            if (asked.from() >= last)
                return "no waveform written: the window " + asked.from() + ".." + asked.to() + " starts after the run's last cycle " + last;
            Window w = new Window(asked.from(), Math.min(asked.to(), last));
            Path vcd = dump(c0, "window", w);
            written.add(new Waveform(vcd, w, null));
            return w.equals(asked) ? null : "the window " + asked.from() + ".." + asked.to() + " ends at the run's last cycle " + last;
        }

        private Path dump(long c0, String prefix, Window w) {
            try {
                Files.createDirectories(dir);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            Path file = dir.resolve(prefix + "-cycles-" + w.from() + "-" + w.to() + ".vcd").toAbsolutePath();
            return tb.dumpVcd(file, w.from() + c0, w.to() + c0);
        }
    }
}
