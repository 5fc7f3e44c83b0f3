package org.ntsfab.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What a verb accepts and how it is described: the one-line summary {@code ntsfab help} lists, the paragraph its own
 * help starts with, its options, and what exit status 1 means for it (null: the verb never fails that way).
 */
record Spec(String verb, String summary, String description, List<Option<?>> options, String failure) {

    Spec {
        options = List.copyOf(options);
        List<String> seen = new ArrayList<>();
        for (Option<?> o : options) {
            if (seen.contains(o.name()) || o.name().equals("--help")) throw new IllegalArgumentException(verb + ": " + o.name() + " twice");
            seen.add(o.name());
        }
    }

    Optional<Option<?>> option(String name) {
        return options.stream().filter(o -> o.name().equals(name)).findFirst();
    }

    /** {@code ntsfab sim --config FILE --in FILE --out FILE [options]}. */
    String usage() {
        StringBuilder sb = new StringBuilder("ntsfab ").append(verb);
        for (Option<?> o : options) if (o.required()) sb.append(' ').append(o.synopsis());
        if (options.stream().anyMatch(o -> !o.required())) sb.append(" [options]");
        return sb.toString();
    }

    /** The verb's help, generated from its declared options. */
    String help() {
        StringBuilder sb = new StringBuilder("usage: ").append(usage()).append("\n\n").append(description.strip()).append("\n\noptions:\n");
        int w = 0;
        for (Option<?> o : options) w = Math.max(w, o.synopsis().length());
        w = Math.max(w, "-h, --help".length());
        for (Option<?> o : options) {
            StringBuilder line = new StringBuilder(o.help());
            List<String> notes = new ArrayList<>();
            if (o.required()) notes.add("required");
            if (!o.isFlag() && o.type() != ValueType.PATH) notes.add(o.type().what());
            if (o.dflt() != null) notes.add("default " + o.dflt() + (o.inRepo() ? " of the repository" : ""));
            if (!notes.isEmpty()) line.append(" (").append(String.join("; ", notes)).append(')');
            sb.append(String.format("  %-" + w + "s  %s%n", o.synopsis(), line));
        }
        sb.append(String.format("  %-" + w + "s  %s%n", "-h, --help", "print this help and exit, doing nothing else"));
        sb.append("\nexit status: 0 success");
        if (failure != null) sb.append("; 1 ").append(failure);
        sb.append("; 2 usage error; 3 I/O or input error (./ntsfab help lists them)\n");
        return sb.toString();
    }
}
