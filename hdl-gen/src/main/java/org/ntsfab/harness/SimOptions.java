package org.ntsfab.harness;

import java.util.List;

/**
 * How a design is Verilated. {@link #fast()}: {@code -O3 --x-assign fast --x-initial fast --noassert},
 * single-threaded (the fastest for designs of this size). {@link #xUnique(long)}: every X-initialised
 * register and undefined assignment gets a random value from {@code seed}, which flushes out logic
 * that silently relies on power-up zeros. {@code trace} adds VCD support for waveform windows.
 */
public record SimOptions(boolean xUnique, long seed, boolean trace) {
    public static SimOptions fast() {
        return new SimOptions(false, 0, false);
    }

    public static SimOptions xUnique(long seed) {
        return new SimOptions(true, seed, false);
    }

    /** {@link #xUnique(long)} or {@link #fast()}. */
    public static SimOptions of(boolean xUnique, long seed) {
        return xUnique ? xUnique(seed) : fast();
    }

    public SimOptions withTrace() {
        return new SimOptions(xUnique, seed, true);
    }

    /** Flags that change the build (part of the cache key). */
    public List<String> verilatorFlags() {
        List<String> f = new java.util.ArrayList<>(List.of("-O3", "--noassert", "-Wno-fatal"));
        if (xUnique) f.addAll(List.of("--x-assign", "unique", "--x-initial", "unique"));
        else f.addAll(List.of("--x-assign", "fast", "--x-initial", "fast"));
        if (trace) f.add("--trace");
        return f;
    }

    /** Run-time arguments for the harness binary. */
    public List<String> runArgs() {
        if (!xUnique) return List.of();
        return List.of("+verilator+rand+reset+2", "+verilator+seed+" + Math.max(1, seed & 0x7fffffff));
    }
}
