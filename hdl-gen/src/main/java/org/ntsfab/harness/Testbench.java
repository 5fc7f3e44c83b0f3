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

        /** A source stream found by prefix: {@code <p>_tvalid|valid}, {@code <p>_tready|ready}, payload = other {@code <p>_*} inputs. */
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
            String valid = null, ready = null;
            List<String> payload = new ArrayList<>();
            for (Design.Port p : design.ports()) {
                if (!p.name().startsWith(prefix + "_")) continue;
                String rest = p.name().substring(prefix.length() + 1);
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

    private static final int BATCH = 4096;

    private final Design design;
    private final HarnessGen.Layout layout;
    private final String harness;
    private final SimOptions opts;
    private final Process proc;
    private final OutputStream toSim;
    private final DataInputStream fromSim;
    private final SplittableRandom rng;
    private final long seed;
    private final List<List<BigInteger[]>> pending = new ArrayList<>();
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
    private long cycle;
    private boolean inReset;
    /** First cycle after reset; sink traffic before it is not the design's output. */
    private long resetEnd;

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
        for (int i = 0; i < sources.size(); i++) {
            pending.add(new ArrayList<>());
            acceptedCycles.add(new ArrayList<>());
            sourceIndex.put(sources.get(i).name(), i);
        }
        for (int i = 0; i < sinks.size(); i++) {
            sinkBeats.add(new ArrayList<>());
            sinkIndex.put(sinks.get(i).name(), i);
        }
        queued = new int[sources.size()];
        offer = new double[sources.size()];
        ready = new double[sinks.size()];
        Arrays.fill(offer, 1.0);
        Arrays.fill(ready, 1.0);
        for (Design.Port p : layout.plainIn()) plainValues.put(p.name(), BigInteger.ZERO);
        // reset for four cycles if the design has a reset
        List<String> resets = d.ports().stream().filter(Design.Port::reset).map(Design.Port::name).toList();
        if (!resets.isEmpty()) {
            inReset = true;
            for (String r : resets) plainValues.put(r, BigInteger.ONE);
            resetEnd = 4;
            run(4);
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
        pending.get(i).add(fields);
        queued[i]++;
    }

    public void push(String source, long... fields) {
        BigInteger[] b = new BigInteger[fields.length];
        for (int i = 0; i < fields.length; i++) b[i] = new BigInteger(Long.toUnsignedString(fields[i]));
        push(source, b);
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
        return sinkBeats.get(index(sinkIndex, sink));
    }

    /** The cycle each beat pushed on {@code source} was accepted by the design, in push order. */
    public List<Long> acceptedCycles(String source) {
        return acceptedCycles.get(index(sourceIndex, source));
    }

    private final Map<Integer, java.util.BitSet> notReady = new java.util.HashMap<>();

    /** Was {@code sink}'s ready held low by the testbench in {@code cycle}? */
    public boolean wasNotReady(String sink, long cycle) {
        java.util.BitSet b = notReady.get(index(sinkIndex, sink));
        return b != null && cycle >= 0 && b.get((int) cycle);
    }

    public List<Violation> violations() {
        return violations;
    }

    /** Plain outputs per cycle (in {@link HarnessGen.Layout#plainOut()} order). */
    public List<BigInteger[]> plainHistory() {
        return plainHistory;
    }

    public int plainOutIndex(String name) {
        for (int i = 0; i < layout.plainOut().size(); i++) if (layout.plainOut().get(i).name().equals(name)) return i;
        throw new IllegalArgumentException("no plain output " + name);
    }

    /** Beats still waiting to be accepted by the design, per source. */
    public int queued(String source) {
        return queued[index(sourceIndex, source)];
    }

    public boolean drained() {
        for (int q : queued) if (q > 0) return false;
        return true;
    }

    /**
     * Drops everything recorded so far (sink beats, accepted cycles, plain outputs, stalls, the stimulus kept for
     * waveform replay), for a testbench that runs indefinitely (the simulator bridge); waveforms can no longer be
     * dumped after this.
     */
    public void forgetHistory() {
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
            n -= k;
        }
    }

    private void batch(int n) {
        ByteArrayOutputStream msg = new ByteArrayOutputStream();
        msg.write('B');
        le32(msg, n);
        for (int s = 0; s < pending.size(); s++) {
            List<BigInteger[]> beats = pending.get(s);
            le32(msg, beats.size());
            StreamSpec spec = layout.sources().get(s);
            for (BigInteger[] f : beats)
                for (int j = 0; j < f.length; j++) writeLe(msg, f[j], layout.ports().get(spec.payload().get(j)).width());
            beats.clear();
        }
        byte[] plain = new byte[layout.plainInBytes()];
        {
            ByteArrayOutputStream pb = new ByteArrayOutputStream();
            for (Design.Port p : layout.plainIn()) writeLe(pb, plainValues.get(p.name()), p.width());
            plain = pb.toByteArray();
        }
        int sm = layout.sourceMaskBytes(), km = layout.sinkMaskBytes();
        for (int c = 0; c < n; c++) {
            msg.write(plain, 0, plain.length);
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
            msg.write(masks, 0, masks.length);
        }
        byte[] bytes = msg.toByteArray();
        sent.add(bytes);
        try {
            toSim.write(bytes);
            toSim.flush();
            readResponse(n);
        } catch (IOException e) {
            throw new IllegalStateException("simulator pipe failed at cycle " + cycle + ": " + e.getMessage(), e);
        }
        cycle += n;
    }

    private void readResponse(int n) throws IOException {
        int magic = readLe32(fromSim);
        if (magic != 0x52534c54) throw new IOException("bad response magic 0x" + Integer.toHexString(magic));
        for (int s = 0; s < layout.sinks().size(); s++) {
            StreamSpec spec = layout.sinks().get(s);
            int count = readLe32(fromSim);
            for (int j = 0; j < count; j++) {
                long cyc = readLe32(fromSim) & 0xffffffffL;
                cyc |= (readLe32(fromSim) & 0xffffffffL) << 32;
                BigInteger[] f = new BigInteger[spec.payload().size()];
                for (int k = 0; k < f.length; k++) f[k] = readLe(fromSim, layout.ports().get(spec.payload().get(k)).width());
                // a design with synchronous reset may show anything before its first reset edge
                if (cyc >= resetEnd) sinkBeats.get(s).add(new Beat(cyc, f));
            }
        }
        for (int s = 0; s < queued.length; s++) {
            int took = readLe32(fromSim);
            queued[s] -= took;
            for (int k = 0; k < took; k++) {
                long cyc = (readLe32(fromSim) & 0xffffffffL) | ((readLe32(fromSim) & 0xffffffffL) << 32);
                acceptedCycles.get(s).add(cyc);
            }
        }
        for (int c = 0; c < n && !layout.plainOut().isEmpty(); c++) {
            BigInteger[] row = new BigInteger[layout.plainOut().size()];
            for (int k = 0; k < row.length; k++) row[k] = readLe(fromSim, layout.plainOut().get(k).width());
            plainHistory.add(row);
        }
        int nv = readLe32(fromSim);
        for (int v = 0; v < nv; v++) {
            long cyc = (readLe32(fromSim) & 0xffffffffL) | ((readLe32(fromSim) & 0xffffffffL) << 32);
            String sink = layout.sinks().get(readLe32(fromSim)).name();
            if (cyc > resetEnd) violations.add(new Violation(cyc, sink));
        }
    }

    /**
     * Replays everything sent so far into a trace-enabled build and writes a VCD of cycles
     * {@code from..to} to {@code file}. Costs one extra Verilator build (cached).
     */
    public Path dumpVcd(Path file, long from, long to) {
        if (forgotten) throw new IllegalStateException("the stimulus was forgotten (forgetHistory): no waveform replay");
        Path bin = VerilatorBuild.build(design, harness, opts.withTrace());
        try {
            List<String> cmd = new ArrayList<>(List.of(bin.toString(), "--vcd", file.toAbsolutePath().toString(),
                    "--vcd-from", Long.toString(Math.max(0, from)), "--vcd-to", Long.toString(to)));
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
            }
            p.waitFor();
            drain.join();
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
            dumpVcd(file, cycle - 200, cycle + 50);
            return new AssertionError(what + " (seed " + seed + ", cycle " + cycle + "; waveform of cycles "
                    + Math.max(0, cycle - 200) + ".." + (cycle + 50) + ": " + file.toAbsolutePath() + ")");
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

    private static BigInteger readLe(DataInputStream in, int width) throws IOException {
        int nb = (width + 7) / 8;
        if (width <= 63) {
            long x = 0;
            for (int i = 0; i < nb; i++) {
                int b = in.read();
                if (b < 0) throw new EOFException("simulator closed its output");
                x |= (long) b << (8 * i);
            }
            return BigInteger.valueOf(x);
        }
        byte[] be = new byte[nb + 1];
        for (int i = 0; i < nb; i++) {
            int b = in.read();
            if (b < 0) throw new EOFException("simulator closed its output");
            be[nb - i] = (byte) b;
        }
        return new BigInteger(be);
    }

}
