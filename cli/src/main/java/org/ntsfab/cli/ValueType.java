package org.ntsfab.cli;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The type of an option's value: what it is called in the help and in errors ({@code what}), the placeholder
 * the synopsis shows ({@code metavar}), and how its text becomes a value. A relative path resolves against
 * the run's directory.
 *
 * @param what  "a probability 0..1": the error reads {@code --tx-ready: expected a probability 0..1, got -1}
 */
record ValueType<T>(String what, String metavar, Parser<T> parser) {

    /** Text to value; any exception (or {@code null}) means the text is not of this type. */
    @FunctionalInterface
    interface Parser<T> {
        T parse(String text, Path dir) throws Exception;
    }

    T parse(String text, Path dir) throws UsageException {
        T v;
        try {
            v = parser.parse(text, dir);
        } catch (Exception e) {
            v = null;
        }
        if (v == null) throw new UsageException("expected " + what + ", got " + (text.isEmpty() ? "an empty value" : text));
        return v;
    }

    static ValueType<Integer> integer(int min) {
        return new ValueType<>(min == 0 ? "an integer >= 0" : min == 1 ? "a positive integer" : "an integer >= " + min, "N",
                (s, d) -> atLeast(Integer.parseInt(s), min));
    }

    /** An integer in {@code min..max}: {@code --count} holds its corpus in memory, so it has a ceiling. */
    static ValueType<Integer> integer(int min, int max) {
        return new ValueType<>("an integer " + min + ".." + max, "N", (s, d) -> {
            int v = Integer.parseInt(s);
            return v >= min && v <= max ? v : null;
        });
    }

    static ValueType<Long> longInteger(long min) {
        return new ValueType<>(min == Long.MIN_VALUE ? "an integer" : "an integer >= " + min, "N", (s, d) -> atLeast(Long.parseLong(s), min));
    }

    static final ValueType<Double> DOUBLE = new ValueType<>("a number", "X", (s, d) -> finite(Double.parseDouble(s)));

    static final ValueType<Double> PROBABILITY = new ValueType<>("a probability 0..1", "P", (s, d) -> {
        double p = Double.parseDouble(s);
        return p >= 0 && p <= 1 ? p : null;
    });

    static final ValueType<Path> PATH = new ValueType<>("a path", "FILE", (s, d) -> s.isEmpty() ? null : d.resolve(s));

    /** Seconds ({@code 3600}), with a unit ({@code 90s}, {@code 15m}, {@code 12h}, {@code 2d}), or ISO-8601 ({@code PT1H}). */
    static final ValueType<Duration> DURATION = new ValueType<>("a duration (seconds, or 90s, 15m, 12h, 2d)", "SECONDS", (s, d) -> {
        Duration v;
        String t = s.toLowerCase(Locale.ROOT);
        if (t.startsWith("p")) v = Duration.parse(s);
        else if (t.endsWith("d")) v = Duration.ofDays(Long.parseLong(t.substring(0, t.length() - 1)));
        else if (t.endsWith("h")) v = Duration.ofHours(Long.parseLong(t.substring(0, t.length() - 1)));
        else if (t.endsWith("m")) v = Duration.ofMinutes(Long.parseLong(t.substring(0, t.length() - 1)));
        else if (t.endsWith("s")) v = Duration.ofSeconds(Long.parseLong(t.substring(0, t.length() - 1)));
        else v = Duration.ofSeconds(Long.parseLong(t));
        return v.isNegative() ? null : v;
    });

    static final ValueType<Instant> INSTANT = new ValueType<>("an ISO-8601 time such as 2026-11-24T12:00:00Z", "ISO-TIME", (s, d) -> {
        try {
            return Instant.parse(s);
        } catch (DateTimeParseException e) {
            return null;
        }
    });

    /** {@code HOST:PORT}, {@code [v6]:PORT}. */
    static final ValueType<InetSocketAddress> ADDRESS = address(0);

    /** A server to reach: its port is 1..65535. */
    static final ValueType<InetSocketAddress> PEER = address(1);

    private static ValueType<InetSocketAddress> address(int minPort) {
        return new ValueType<>("HOST:PORT with a port " + minPort + "..65535", "HOST:PORT", (s, d) -> {
            int i = s.lastIndexOf(':');
            if (i <= 0) return null;
            String host = s.substring(0, i).replace("[", "").replace("]", "");
            int port = Integer.parseInt(s.substring(i + 1));
            return port >= minPort && port <= 65535 ? new InetSocketAddress(host, port) : null;
        });
    }

    /** Comma-separated integers, each at least {@code min}. */
    static ValueType<List<Integer>> integers(int min) {
        return new ValueType<>("comma-separated integers >= " + min, "N,..", (s, d) -> {
            List<Integer> l = new ArrayList<>();
            for (String p : s.split(",", -1)) l.add(atLeast(Integer.parseInt(p.trim()), min));
            return l.contains(null) ? null : List.copyOf(l);
        });
    }

    /** One of a fixed set of words (computed when first needed). */
    static ValueType<String> oneOf(String what, String metavar, Supplier<? extends Collection<String>> choices) {
        return new ValueType<>(what, metavar, (s, d) -> choices.get().contains(s) ? s : null);
    }

    static ValueType<String> oneOf(String metavar, List<String> choices) {
        return oneOf("one of " + String.join(", ", choices), metavar, () -> choices);
    }

    /** A value whose own parser explains nothing: it either converts or the text is rejected. */
    static <T> ValueType<T> of(String what, String metavar, Function<String, T> parse) {
        return new ValueType<>(what, metavar, (s, d) -> parse.apply(s));
    }

    private static <N extends Comparable<N>> N atLeast(N v, N min) {
        return v.compareTo(min) >= 0 ? v : null;
    }

    private static Double finite(double v) {
        return Double.isFinite(v) ? v : null;
    }
}
