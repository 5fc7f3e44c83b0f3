package org.ntsfab.cli;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The one argument parser: a verb's arguments checked against its {@link Spec} before the verb runs. Options are
 * {@code --name VALUE}, {@code --name=VALUE} or a flag {@code --name}; a value may start with a single dash
 * ({@code -1}) but not with two. Unknown options, stray words, a repeated option, a flag with a value, a missing,
 * ill-typed or out-of-range value and a missing required option each raise a {@link UsageException} naming the
 * option. {@code -h}/{@code --help} anywhere asks for the help and nothing else is checked.
 */
final class Args {
    private final Spec spec;
    private final Map<String, Object> given;
    private final Path dir;
    private final Path home;
    private final boolean help;

    private Args(Spec spec, Map<String, Object> given, Path dir, Path home, boolean help) {
        this.spec = spec;
        this.given = given;
        this.dir = dir;
        this.home = home;
        this.help = help;
    }

    /** With the repository in {@code dir}. */
    static Args parse(Spec spec, List<String> argv, Path dir) throws UsageException {
        return parse(spec, argv, dir, dir);
    }

    /**
     * {@code dir}: what relative paths given resolve against, and the defaults of other options (the working directory
     * for the launcher); {@code home}: what the defaults of {@link Option#inRepo} options resolve against (the repository).
     */
    static Args parse(Spec spec, List<String> argv, Path dir, Path home) throws UsageException {
        if (argv.contains("--help") || argv.contains("-h")) return new Args(spec, Map.of(), dir, home, true);
        Map<String, Object> given = new HashMap<>();
        String hint = " (ntsfab " + spec.verb() + " --help lists the options)";
        for (int i = 0; i < argv.size(); i++) {
            String tok = argv.get(i);
            if (!tok.startsWith("-")) throw new UsageException("unexpected argument '" + tok + "': options only" + hint);
            int eq = tok.indexOf('=');
            String name = eq > 0 && tok.startsWith("--") ? tok.substring(0, eq) : tok;
            Option<?> o = spec.option(name).orElseThrow(() -> new UsageException("unknown option " + name + hint));
            if (given.containsKey(name)) throw new UsageException(name + ": given twice");
            if (o.isFlag()) {
                if (eq > 0) throw new UsageException(name + ": a flag, takes no value (got " + tok.substring(eq + 1) + ")");
                given.put(name, Boolean.TRUE);
                continue;
            }
            String text;
            if (eq > 0) text = tok.substring(eq + 1);
            else if (i + 1 < argv.size() && !argv.get(i + 1).startsWith("--")) text = argv.get(++i);
            else throw new UsageException(name + ": expected " + o.type().what() + ", got nothing");
            try {
                given.put(name, o.type().parse(text, dir));
            } catch (UsageException e) {
                throw new UsageException(name + ": " + e.getMessage());
            }
        }
        for (Option<?> o : spec.options())
            if (o.required() && !given.containsKey(o.name())) throw new UsageException(o.synopsis() + " is required" + hint);
        return new Args(spec, given, dir, home, false);
    }

    /** {@code -h}/{@code --help} was given. */
    boolean help() {
        return help;
    }

    /** The option's value: as given, else its default, else null. A flag: whether it was given. */
    @SuppressWarnings("unchecked")
    <T> T get(Option<T> o) {
        if (spec.option(o.name()).orElse(null) != o) throw new IllegalArgumentException(spec.verb() + " does not declare " + o.name());
        Object v = given.get(o.name());
        if (v != null) return (T) v;
        if (o.isFlag()) return (T) Boolean.FALSE;
        if (o.dflt() == null) return null;
        try {
            return o.type().parse(o.dflt(), o.inRepo() ? home : dir);
        } catch (UsageException e) {
            throw new IllegalStateException(e); // checked when declared
        }
    }

    boolean on(Option<Boolean> flag) {
        return get(flag);
    }

    /** Whether the option appears on the command line. */
    boolean given(Option<?> o) {
        return given.containsKey(o.name());
    }

    /** A combination the options' types cannot express ({@code --cores} only with {@code --nts-only}). */
    static void check(boolean ok, String message) throws UsageException {
        if (!ok) throw new UsageException(message);
    }
}
