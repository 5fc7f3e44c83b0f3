package org.ntsfab.harness;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.ntsfab.hdl.Design;

/**
 * Drives a Verilated design from Java in batches. Source streams are fed from queues of beats,
 * offered on a cycle with a configurable probability (idle cycles); sink streams are given ready
 * with a configurable probability (backpressure); every accepted beat comes back with its cycle.
 * Reset is applied for the first cycles. Everything sent is recorded, so any window can be replayed
 * into a VCD waveform afterwards ({@link #dumpVcd}).
 */
public final class Testbench implements AutoCloseable {
    /** One beat taken from a sink: the cycle it transferred and its payload fields. */
    public record Beat(long cycle, BigInteger[] fields) {
        public long field(int i) {
            return fields[i].longValue();
        }

        @Override
        public String toString() {
            StringBuilder sb = new StringBuilder("@" + cycle + "{");
            for (int i = 0; i < fields.length; i++) sb.append(i == 0 ? "" : ", ").append("0x").append(fields[i].toString(16));
            return sb.append('}').toString();
        }
    }

    /** A sink whose valid fell, or payload changed, while stalled. */
    public record Violation(long cycle, String sink) {}

    public static final class Builder {
        private final Design design;
        private final List<StreamSpec> sources = new ArrayList<>();
        private final List<StreamSpec> sinks = new ArrayList<>();

        private Builder(Design d) {
            this.design = d;
        }

        /**
         * A source stream found by prefix: {@code <p>_tvalid|valid}, {@code <p>_tready|ready}, payload = other {@code <p>_*}
         * inputs; an AMBA AXI channel's names run on without the {@code _} ({@code s_axil_aw}: {@code s_axil_awvalid},
         * {@code s_axil_awready}, payload {@code s_axil_awaddr}).
         */
        public Builder source(String prefix) {
            sources.add(derive(prefix, true));
            return this;
        }

        public Builder sink(String prefix) {
            sinks.add(derive(prefix, false));
            return this;
        }

        /** A sink without backpressure: a valid strobe and payload outputs. */
        public Builder flow(String name, String valid, String... payload) {
            sinks.add(new StreamSpec(name, valid, null, List.of(payload)));
            return this;
        }

        public Builder stream(StreamSpec s, boolean isSource) {
            (isSource ? sources : sinks).add(s);
            return this;
        }

        private StreamSpec derive(String prefix, boolean input) {
            java.util.Set<String> names = new java.util.HashSet<>();
            for (Design.Port p : design.ports()) names.add(p.name());
            // <p>_tvalid / <p>_valid, else the AMBA channel's <p>valid
            String sep = names.contains(prefix + "_tvalid") || names.contains(prefix + "_valid") || !names.contains(prefix + "valid") ? "_" : "";
            String valid = null, ready = null;
            List<String> payload = new ArrayList<>();
            for (Design.Port p : design.ports()) {
                if (!p.name().startsWith(prefix + sep)) continue;
                String rest = p.name().substring(prefix.length() + sep.length());
                if (rest.equals("tvalid") || rest.equals("valid")) valid = p.name();
                else if (rest.equals("tready") || rest.equals("ready")) ready = p.name();
                else if (p.input() == input) payload.add(p.name());
            }
            if (valid == null) throw new IllegalArgumentException("no valid port for stream " + prefix);
            return new StreamSpec(prefix, valid, ready, payload);
        }

        public Testbench build(SimOptions opts, long seed) {
            return new Testbench(design, sources, sinks, opts, seed);
        }
    }

    public static Builder of(Design d) {
        return new Builder(d);
    }

    /** Cycles per batch: a blocking run waits for each batch's results before sending the next. */
    private static final int BATCH = 1 << 16;

    private final Design design;
    private final HarnessGen.Layout layout;
    private final String harness;
    private final SimOptions opts;
    private final Process proc;
    private final OutputStream toSim;
    private final DataInputStream fromSim;
    private final SplittableRandom rng;
    private final long seed;
    /** Beats pushed since the last batch, per source, already encoded as the harness reads them. */
    private final List<ByteArrayOutputStream> pending = new ArrayList<>();
    private final int[] pendingCount;
    private final int[][] sourceWidths, sinkWidths;
    private final int[] queued;
    private final double[] offer;
    private final double[] ready;
    private final Map<String, BigInteger> plainValues = new LinkedHashMap<>();
    private final Map<Integer, java.util.function.LongPredicate> offerPattern = new HashMap<>();
    private final Map<String, Integer> sinkIndex = new HashMap<>(), sourceIndex = new HashMap<>();
    private final List<List<Beat>> sinkBeats = new ArrayList<>();
    private final List<List<Long>> acceptedCycles = new ArrayList<>();
    private final List<Violation> violations = new ArrayList<>();
    private final List<BigInteger[]> plainHistory = new ArrayList<>();
    private final List<byte[]> sent = new ArrayList<>();
    /** Batches sent whose results have not been taken in yet ({@link #runAsync}); {@link #sync} waits for them. */
    private int outstanding;
    /** Reads the harness's results while batches are in flight (started by the first {@link #runAsync}), else null. */
    private Thread reader;
    private final java.util.concurrent.LinkedBlockingQueue<Object> responses = new java.util.concurrent.LinkedBlockingQueue<>();
    private long cycle;
    private boolean inReset;
    /** First cycle after reset; sink traffic before it is not the design's output. */
    private final long resetEnd;

    private Testbench(Design d, List<StreamSpec> sources, List<StreamSpec> sinks, SimOptions opts, long seed) {
        this.design = d;
        this.layout = HarnessGen.layout(d, sources, sinks);
        this.harness = HarnessGen.generate(layout);
        this.opts = opts;
        this.seed = seed;
        this.rng = new SplittableRandom(seed);
        Path bin = VerilatorBuild.build(d, harness, opts);
        try {
            List<String> cmd = new ArrayList<>(List.of(bin.toString()));
            cmd.addAll(opts.runArgs());
            proc = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        } catch (IOException e) {
            throw new IllegalStateException("cannot start " + bin + ": " + e.getMessage(), e);
        }
        toSim = new java.io.BufferedOutputStream(proc.getOutputStream(), 1 << 16);
        fromSim = new DataInputStream(new java.io.BufferedInputStream(proc.getInputStream(), 1 << 16));
        sourceWidths = new int[sources.size()][];
        sinkWidths = new int[sinks.size()][];
        for (int i = 0; i < sources.size(); i++) {
            pending.add(new ByteArrayOutputStream());
            acceptedCycles.add(new ArrayList<>());
            sourceIndex.put(sources.get(i).name(), i);
            sourceWidths[i] = layout.sources().get(i).payload().stream().mapToInt(n -> layout.ports().get(n).width()).toArray();
        }
        for (int i = 0; i < sinks.size(); i++) {
            sinkBeats.add(new ArrayList<>());
            sinkIndex.put(sinks.get(i).name(), i);
            sinkWidths[i] = layout.sinks().get(i).payload().stream().mapToInt(n -> layout.ports().get(n).width()).toArray();
        }
        pendingCount = new int[sources.size()];
        queued = new int[sources.size()];
        offer = new double[sources.size()];
        ready = new double[sinks.size()];
        Arrays.fill(offer, 1.0);
        Arrays.fill(ready, 1.0);
        for (Design.Port p : layout.plainIn()) plainValues.put(p.name(), BigInteger.ZERO);
        // reset for four cycles if the design has a reset
        List<String> resets = d.ports().stream().filter(Design.Port::reset).map(Design.Port::name).toList();
        resetEnd = resets.isEmpty() ? 0 : 4;
        if (!resets.isEmpty()) {
            inReset = true;
            for (String r : resets) plainValues.put(r, BigInteger.ONE);
            try {
                run(4);
            } catch (RuntimeException | Error e) {
                proc.destroyForcibly(); // nobody will close a testbench that was never returned
                throw e;
            }
            for (String r : resets) plainValues.put(r, BigInteger.ZERO);
            inReset = false;
        }
    }

    public long seed() {
        return seed;
    }

    public long cycle() {
        return cycle;
    }

    /** Queues a beat on a source; fields in the stream's payload port order. */
    public void push(String source, BigInteger... fields) {
        int i = index(sourceIndex, source);
        if (fields.length != layout.sources().get(i).payload().size())
            throw new IllegalArgumentException(source + " takes " + layout.sources().get(i).payload().size() + " fields");
        ByteArrayOutputStream q = pending.get(i);
        for (int j = 0; j < fields.length; j++) writeLe(q, fields[j], sourceWidths[i][j]);
        pendingCount[i]++;
        queued[i]++;
    }

    /** Queues a beat on a source; each field an unsigned 64-bit value. */
    public void push(String source, long... fields) {
        int i = index(sourceIndex, source);
        if (fields.length != layout.sources().get(i).payload().size())
            throw new IllegalArgumentException(source + " takes " + layout.sources().get(i).payload().size() + " fields");
        ByteArrayOutputStream q = pending.get(i);
        for (int j = 0; j < fields.length; j++) {
            int width = sourceWidths[i][j];
            long x = fields[j];
            if (width < 64 && (x >>> width) != 0)
                throw new IllegalArgumentException("value 0x" + Long.toHexString(x) + " does not fit " + width + " bits");
            int nb = (width + 7) / 8;
            for (int k = 0; k < nb; k++) q.write(k < 8 ? (int) (x >>> (8 * k)) : 0);
        }
        pendingCount[i]++;
        queued[i]++;
    }

    /** Probability that a source offers its next beat on a cycle where it is free to. */
    public void offerProbability(String source, double p) {
        offer[index(sourceIndex, source)] = p;
    }

    /** A deterministic offer pattern for a source (overrides the probability): offer in the cycles it accepts. */
    public void offerWhen(String source, java.util.function.LongPredicate cycles) {
        offerPattern.put(index(sourceIndex, source), cycles);
    }

    /** Probability that a sink is ready on any cycle. */
    public void readyProbability(String sink, double p) {
        ready[index(sinkIndex, sink)] = p;
    }

    /** Sets a plain input from the next cycle on (it stays until set again). */
    public void set(String input, long value) {
        if (!plainValues.containsKey(input)) throw new IllegalArgumentException("no plain input " + input + "; have " + plainValues.keySet());
        plainValues.put(input, new BigInteger(Long.toUnsignedString(value)));
    }

    /** Sets a plain input of any width (e.g. a 128-bit address). */
    public void setBig(String input, BigInteger value) {
        if (!plainValues.containsKey(input)) throw new IllegalArgumentException("no plain input " + input + "; have " + plainValues.keySet());
        plainValues.put(input, value);
    }

    public List<Beat> beats(String sink) {
        sync();
        return sinkBeats.get(index(sinkIndex, sink));
    }

    /** The cycle each beat pushed on {@code source} was accepted by the design, in push order. */
    public List<Long> acceptedCycles(String source) {
        sync();
        return acceptedCycles.get(index(sourceIndex, source));
    }

    private final Map<Integer, java.util.BitSet> notReady = new java.util.HashMap<>();

    /** Was {@code sink}'s ready held low by the testbench in {@code cycle}? */
    public boolean wasNotReady(String sink, long cycle) {
        java.util.BitSet b = notReady.get(index(sinkIndex, sink));
        return b != null && cycle >= 0 && b.get((int) cycle);
    }

    public List<Violation> violations() {
        sync();
        return violations;
    }

    /** Plain outputs per cycle (in {@link HarnessGen.Layout#plainOut()} order). */
    public List<BigInteger[]> plainHistory() {
        sync();
        return plainHistory;
    }

    public int plainOutIndex(String name) {
        for (int i = 0; i < layout.plainOut().size(); i++) if (layout.plainOut().get(i).name().equals(name)) return i;
        throw new IllegalArgumentException("no plain output " + name);
    }

    /** Beats still waiting to be accepted by the design, per source. */
    public int queued(String source) {
        sync();
        return queued[index(sourceIndex, source)];
    }

    public boolean drained() {
        sync();
        for (int q : queued) if (q > 0) return false;
        return true;
    }

    /**
     * Drops everything recorded so far (sink beats, accepted cycles, plain outputs, stalls, the stimulus kept for
     * waveform replay), for a testbench that runs indefinitely (the simulator bridge); waveforms can no longer be
     * dumped after this.
     */
    public void forgetHistory() {
        sync();
        for (List<Beat> b : sinkBeats) b.clear();
        for (List<Long> a : acceptedCycles) a.clear();
        plainHistory.clear();
        notReady.clear();
        violations.clear();
        sent.clear();
        forgotten = true;
    }

    private boolean forgotten;

    /** Runs until every source is drained (at most {@code maxCycles}), then {@code tail} more cycles. */
    public void runUntilDrained(long maxCycles, int tail) {
        if (constantStimulus()) {
            // the same cycles, run by the harness without a round trip per chunk: chunks of 256 until drained
            ByteArrayOutputStream msg = new ByteArrayOutputStream();
            msg.write('U');
            le32(msg, 256);
            le32(msg, (int) maxCycles);
            le32(msg, (int) (maxCycles >>> 32));
            appendPending(msg);
            byte[] plain = plainBytes();
            msg.write(plain, 0, plain.length);
            byte[] masks = constantMasks();
            msg.write(masks, 0, masks.length);
            sync();
            send(msg.toByteArray());
            sync();
            // a batch's cycles are counted when it is sent; these only now
            cycle += lastRan;
            if (lastStuck)
                throw new AssertionError("sources not drained after " + maxCycles + " cycles (queued " + Arrays.toString(queued) + "); the design is stuck");
            run(tail);
            return;
        }
        long start = cycle;
        while (!drained()) {
            if (cycle - start > maxCycles)
                throw new AssertionError("sources not drained after " + maxCycles + " cycles (queued " + Arrays.toString(queued) + "); the design is stuck");
            run(256);
        }
        run(tail);
    }

    private static int index(Map<String, Integer> m, String n) {
        Integer i = m.get(n);
        if (i == null) throw new IllegalArgumentException("no stream " + n + "; have " + m.keySet());
        return i;
    }

    /** Runs {@code n} cycles. */
    public void run(long n) {
        while (n > 0) {
            int k = (int) Math.min(n, BATCH);
            batch(k);
            sync();
            n -= k;
        }
    }

    /**
     * Sends {@code n} cycles to the simulator without waiting for their results, so that the caller can go on (queue
     * beats, send more cycles) while they run; {@link #cycle()} counts them at once. Every method that reports results
     * ({@link #beats}, {@link #acceptedCycles}, {@link #queued}, {@link #drained}, {@link #violations}, ...) first waits
     * for all of them, so the results are the same as after {@link #run}; only a list obtained before and read without
     * calling the testbench again can be behind.
     */
    public void runAsync(long n) {
        if (reader == null) startReader();
        while (n > 0) {
            int k = (int) Math.min(n, BATCH);
            batch(k);
            n -= k;
        }
    }

    /** No random offer or ready decisions and no offer pattern: every cycle of a batch gets the same stimulus. */
    private boolean constantStimulus() {
        if (!offerPattern.isEmpty()) return false;
        for (double p : offer) if (p < 1.0) return false;
        for (double p : ready) if (p < 1.0) return false;
        return true;
    }

    private byte[] constantMasks() {
        int sm = layout.sourceMaskBytes(), km = layout.sinkMaskBytes();
        byte[] masks = new byte[sm + km];
        for (int s = 0; s < offer.length; s++) if (!inReset) masks[s / 8] |= (byte) (1 << (s % 8));
        for (int s = 0; s < ready.length; s++) masks[sm + s / 8] |= (byte) (1 << (s % 8));
        return masks;
    }

    private byte[] plainBytes() {
        ByteArrayOutputStream pb = new ByteArrayOutputStream();
        for (Design.Port p : layout.plainIn()) writeLe(pb, plainValues.get(p.name()), p.width());
        return pb.toByteArray();
    }

    private void appendPending(ByteArrayOutputStream msg) {
        for (int s = 0; s < pending.size(); s++) {
            le32(msg, pendingCount[s]);
            msg.writeBytes(pending.get(s).toByteArray());
            pending.get(s).reset();
            pendingCount[s] = 0;
        }
    }

    private void batch(int n) {
        ByteArrayOutputStream msg = new ByteArrayOutputStream();
        msg.write('B');
        le32(msg, n);
        appendPending(msg);
        byte[] plain = plainBytes();
        int sm = layout.sourceMaskBytes(), km = layout.sinkMaskBytes();
        if (constantStimulus()) {
            le32(msg, n);
            msg.write(plain, 0, plain.length);
            byte[] masks = constantMasks();
            msg.write(masks, 0, masks.length);
        } else {
            // per cycle, as runs of identical cycles
            byte[] prev = null;
            int runLength = 0;
            for (int c = 0; c < n; c++) {
                byte[] masks = new byte[sm + km];
                for (int s = 0; s < offer.length; s++) {
                    java.util.function.LongPredicate pattern = offerPattern.get(s);
                    boolean allow = pattern != null ? pattern.test(cycle + c) : offer[s] >= 1.0 || rng.nextDouble() < offer[s];
                    if (!inReset && allow) masks[s / 8] |= (byte) (1 << (s % 8));
                }
                for (int s = 0; s < ready.length; s++) {
                    if (ready[s] >= 1.0 || rng.nextDouble() < ready[s]) masks[sm + s / 8] |= (byte) (1 << (s % 8));
                    else notReady.computeIfAbsent(s, x -> new java.util.BitSet()).set((int) (cycle + c));
                }
                if (prev != null && Arrays.equals(prev, masks)) {
                    runLength++;
                    continue;
                }
                if (prev != null) writeRun(msg, runLength, plain, prev);
                prev = masks;
                runLength = 1;
            }
            writeRun(msg, runLength, plain, prev);
        }
        send(msg.toByteArray());
        cycle += n;
    }

    private static void writeRun(ByteArrayOutputStream msg, int cycles, byte[] plain, byte[] masks) {
        le32(msg, cycles);
        msg.write(plain, 0, plain.length);
        msg.write(masks, 0, masks.length);
    }

    private void send(byte[] bytes) {
        sent.add(bytes);
        try {
            toSim.write(bytes);
            toSim.flush();
        } catch (IOException e) {
            throw fail(e);
        }
        outstanding++;
    }

    /**
     * The simulator's pipe failed (it died, or sent what cannot be read): every later query fails the same way at once
     * instead of waiting for results that will never come.
     */
    private IllegalStateException failed;

    private IllegalStateException fail(Throwable e) {
        if (failed == null) failed = new IllegalStateException("simulator pipe failed at cycle " + cycle + ": " + e.getMessage(), e);
        return failed;
    }

    /** Takes in the results of every batch sent (waiting for them). */
    private void sync() {
        if (failed != null) throw failed;
        try {
            while (outstanding > 0) {
                byte[] body;
                if (reader == null) {
                    body = readFrame(fromSim);
                } else {
                    Object o = responses.take();
                    if (o instanceof Throwable e) throw fail(e);
                    body = (byte[]) o;
                }
                outstanding--;
                readResponse(body);
            }
        } catch (IOException e) {
            throw fail(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted waiting for the simulator", e);
        }
    }

    /** Takes in the results that have arrived, without waiting for the batches still running (beside {@link #runAsync}). */
    public void poll() {
        if (failed != null) throw failed;
        Object o;
        while (outstanding > 0 && (o = responses.poll()) != null) {
            try {
                if (o instanceof Throwable e) throw fail(e);
                outstanding--;
                readResponse((byte[]) o);
            } catch (IOException e) {
                throw fail(e);
            }
        }
    }

    /** The beats taken in so far ({@link #poll}), without waiting for the batches still running. */
    public List<Beat> beatsSoFar(String sink) {
        return sinkBeats.get(index(sinkIndex, sink));
    }

    /** The acceptance cycles taken in so far ({@link #poll}), without waiting for the batches still running. */
    public List<Long> acceptedCyclesSoFar(String source) {
        return acceptedCycles.get(index(sourceIndex, source));
    }

    private void startReader() {
        reader = new Thread(() -> {
            try {
                for (;;) responses.put(readFrame(fromSim));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (Throwable e) {
                // anything that ends the reader (a closed pipe, a garbled or oversized response, no memory) reaches the
                // next query, which would otherwise wait for it forever
                responses.add(e);
            }
        }, "testbench-" + design.topName());
        reader.setDaemon(true);
        reader.start();
    }

    /** One response: its magic, its length, then the body. */
    private static byte[] readFrame(DataInputStream in) throws IOException {
        int magic = readLe32(in);
        if (magic != 0x52534c54) throw new IOException("bad response magic 0x" + Integer.toHexString(magic));
        int length = readLe32(in);
        if (length < 0) throw new IOException("response of " + Integer.toUnsignedString(length) + " bytes: too large (run fewer cycles at a time)");
        byte[] body = new byte[length];
        in.readFully(body);
        return body;
    }

    /** Of the last response: the cycles it ran, and whether a run until drained gave up. */
    private long lastRan;
    private boolean lastStuck;

    private void readResponse(byte[] b) throws IOException {
        int[] at = {0};
        long ran = le64(b, at);
        lastStuck = b[at[0]++] != 0;
        for (int s = 0; s < layout.sinks().size(); s++) {
            int[] widths = sinkWidths[s];
            int count = le32(b, at);
            List<Beat> out = sinkBeats.get(s);
            for (int j = 0; j < count; j++) {
                long cyc = le64(b, at);
                BigInteger[] f = new BigInteger[widths.length];
                for (int k = 0; k < f.length; k++) f[k] = readLe(b, at, widths[k]);
                // a design with synchronous reset may show anything before its first reset edge
                if (cyc >= resetEnd) out.add(new Beat(cyc, f));
            }
        }
        for (int s = 0; s < queued.length; s++) {
            int took = le32(b, at);
            queued[s] -= took;
            List<Long> acc = acceptedCycles.get(s);
            for (int k = 0; k < took; k++) acc.add(le64(b, at));
        }
        for (long c = 0; c < ran && !layout.plainOut().isEmpty(); c++) {
            BigInteger[] row = new BigInteger[layout.plainOut().size()];
            for (int k = 0; k < row.length; k++) row[k] = readLe(b, at, layout.plainOut().get(k).width());
            plainHistory.add(row);
        }
        int nv = le32(b, at);
        for (int v = 0; v < nv; v++) {
            long cyc = le64(b, at);
            String sink = layout.sinks().get(le32(b, at)).name();
            if (cyc > resetEnd) violations.add(new Violation(cyc, sink));
        }
        if (at[0] != b.length) throw new IOException("response of " + b.length + " bytes, read " + at[0]);
        lastRan = ran;
    }

    /** A cycle's length in a waveform when nothing else is said ({@link #vcdTiming}): 6.4 ns, the responder's default 156.25 MHz. */
    public static final double DEFAULT_PERIOD_PS = 6400;

    private long vcdOrigin;
    private double vcdPeriodPs = DEFAULT_PERIOD_PS;

    /**
     * How waveforms count time: cycle {@code c} starts at {@code (c - origin) x periodPs} picoseconds (the clock low), its
     * rising edge half a period later; cycles before {@code origin} are never dumped. Default: origin 0, {@link
     * #DEFAULT_PERIOD_PS}.
     */
    public void vcdTiming(long origin, double periodPs) {
        if (origin < 0 || !(periodPs >= 1)) throw new IllegalArgumentException("origin " + origin + ", period " + periodPs + " ps");
        vcdOrigin = origin;
        vcdPeriodPs = periodPs;
    }

    /**
     * Replays everything sent so far into a trace-enabled build and writes a VCD of cycles {@code from..to} (harness
     * cycles, {@code from < to}) to {@code file}: in picoseconds ({@code $timescale 1ps}, times as {@link #vcdTiming}
     * says), from the start of cycle {@code from} to the start of cycle {@code to}. {@code to} must be a cycle that was
     * run ({@code to < cycle()}). Costs one extra Verilator build (cached) and a replay up to {@code to}.
     */
    public Path dumpVcd(Path file, long from, long to) {
        if (forgotten) throw new IllegalStateException("the stimulus was forgotten (forgetHistory): no waveform replay");
        from = Math.max(from, vcdOrigin);
        if (from >= to) throw new IllegalArgumentException("waveform of cycles " + from + ".." + to + ": nothing to dump");
        sync();
        if (to >= cycle) throw new IllegalArgumentException("waveform up to cycle " + to + ": the run has only " + cycle + " cycles");
        Path bin = VerilatorBuild.build(design, harness, opts.withTrace());
        try {
            List<String> cmd = new ArrayList<>(List.of(bin.toString(), "--vcd", file.toAbsolutePath().toString(),
                    "--vcd-from", Long.toString(from), "--vcd-to", Long.toString(to), "--vcd-origin", Long.toString(vcdOrigin),
                    "--vcd-period-ps", Double.toString(vcdPeriodPs)));
            cmd.addAll(opts.runArgs());
            Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
            Thread drain = new Thread(() -> {
                try (InputStream in = p.getInputStream()) {
                    in.transferTo(OutputStream.nullOutputStream());
                } catch (IOException ignored) {
                    // the process ended
                }
            });
            drain.start();
            try (OutputStream o = p.getOutputStream()) {
                for (byte[] b : sent) o.write(b);
                o.write('Q');
            } catch (IOException e) {
                // the harness stops once past the window: the rest of the stimulus is not needed (its exit status tells)
            }
            int rc = p.waitFor();
            drain.join();
            if (rc != 0) throw new IllegalStateException("VCD replay of " + file + " failed (harness exit status " + rc + ")");
            return file;
        } catch (IOException e) {
            throw new IllegalStateException("VCD replay failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * For a failed comparison: writes a VCD of the cycles around {@code cycle} (into
     * {@code $NTSFAB_VCD_DIR}, default {@code target/vcd}) and returns an AssertionError naming it.
     */
    public AssertionError mismatch(String what, long cycle) {
        String dir = System.getenv().getOrDefault("NTSFAB_VCD_DIR", "target/vcd");
        Path file = Path.of(dir, design.topName() + "-seed" + Long.toUnsignedString(seed) + "-cycle" + cycle + ".vcd");
        try {
            java.nio.file.Files.createDirectories(file.getParent());
            sync();
            long from = Math.max(vcdOrigin, cycle - 200), to = Math.min(this.cycle - 1, cycle + 50);
            dumpVcd(file, from, to);
            return new AssertionError(what + " (seed " + seed + ", cycle " + cycle + "; waveform of cycles "
                    + from + ".." + to + ": " + file.toAbsolutePath() + ")");
        } catch (IOException | RuntimeException e) {
            return new AssertionError(what + " (seed " + seed + ", cycle " + cycle + "; waveform dump failed: " + e + ")");
        }
    }

    @Override
    public void close() {
        try {
            toSim.write('Q');
            toSim.flush();
            toSim.close();
        } catch (IOException ignored) {
            // already gone
        }
        try {
            if (!proc.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) proc.destroyForcibly();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            proc.destroyForcibly();
        }
    }

    // ---- little-endian helpers ----------------------------------------------------------------
    private static void le32(ByteArrayOutputStream o, int v) {
        o.write(v);
        o.write(v >>> 8);
        o.write(v >>> 16);
        o.write(v >>> 24);
    }

    static void writeLe(ByteArrayOutputStream o, BigInteger v, int width) {
        int nb = (width + 7) / 8;
        if (v.signum() < 0 || v.bitLength() > width)
            throw new IllegalArgumentException("value 0x" + v.toString(16) + " does not fit " + width + " bits");
        if (width <= 64) {
            long x = v.longValue();
            for (int i = 0; i < nb; i++) o.write((int) (x >>> (8 * i)));
            return;
        }
        byte[] be = v.toByteArray();
        for (int i = 0; i < nb; i++) {
            int idx = be.length - 1 - i;
            o.write(idx >= 0 ? be[idx] : 0);
        }
    }

    private static int readLe32(DataInputStream in) throws IOException {
        int b0 = in.read(), b1 = in.read(), b2 = in.read(), b3 = in.read();
        if ((b0 | b1 | b2 | b3) < 0) throw new EOFException("simulator closed its output (crashed?)");
        return b0 | (b1 << 8) | (b2 << 16) | (b3 << 24);
    }

    private static int le32(byte[] b, int[] at) {
        int p = at[0];
        at[0] = p + 4;
        return (b[p] & 0xff) | (b[p + 1] & 0xff) << 8 | (b[p + 2] & 0xff) << 16 | (b[p + 3] & 0xff) << 24;
    }

    private static long le64(byte[] b, int[] at) {
        return (le32(b, at) & 0xffffffffL) | ((long) le32(b, at) << 32);
    }

    private static BigInteger readLe(byte[] b, int[] at, int width) {
        int nb = (width + 7) / 8;
        int p = at[0];
        at[0] = p + nb;
        if (width <= 63) {
            long x = 0;
            for (int i = 0; i < nb; i++) x |= (long) (b[p + i] & 0xff) << (8 * i);
            return BigInteger.valueOf(x);
        }
        byte[] be = new byte[nb + 1];
        for (int i = 0; i < nb; i++) be[nb - i] = b[p + i];
        return new BigInteger(be);
    }

}
