package org.ntsfab.cli;

import java.util.List;
import java.util.Map;

/** {@code ntsfab help [VERB]}: the verbs and the exit statuses, or one verb's help. */
final class HelpVerb implements Verb {
    private final Map<String, Verb> verbs;

    HelpVerb(Map<String, Verb> verbs) {
        this.verbs = verbs;
    }

    static final Option<String> VERB = Option.value("--verb", ValueType.of("a verb", "VERB", s -> s), null,
            "print this verb's help (also: ntsfab help VERB, ntsfab VERB --help)");

    @Override
    public Spec spec() {
        return new Spec("help", "this list; ntsfab help VERB or ntsfab VERB --help: that verb's options", """
                Lists the verbs and the exit statuses; with a verb, prints that verb's help.""", List.of(VERB), null);
    }

    @Override
    public int run(Args a, Io io) throws Exception {
        String v = a.get(VERB);
        if (v != null) {
            Verb verb = verbs.get(v);
            Args.check(verb != null, "--verb: expected a verb (" + String.join(", ", verbs.keySet()) + "), got " + v);
            io.out().print(verb.spec().help());
            return Exit.OK;
        }
        io.out().print(text(verbs, io.home()));
        return Exit.OK;
    }

    /** The list; {@code home}: the repository the defaults are read from, named in the text. */
    static String text(Map<String, Verb> verbs, java.nio.file.Path home) {
        StringBuilder sb = new StringBuilder("usage: ./ntsfab <verb> [options]; ./ntsfab <verb> --help: the verb's options\n\n");
        for (Verb v : verbs.values()) {
            Spec s = v.spec();
            sb.append(String.format("  %-8s %s%n", s.verb(), s.summary()));
            sb.append(String.format("  %-8s   %s%n", "", s.usage()));
        }
        sb.append(String.format("  %-8s %s%n", "test", "every test of every module (mvn verify; run by the ./ntsfab launcher itself)"));
        sb.append("""

                Paths you give are relative to the current directory, and so are the default outputs (build/demo, build/rtl,
                build/bench.json: a build/ where you run it). Default inputs that are the repository's files (demo's
                configs/example.toml, the boards' configurations and tops) are found in the repository, from any directory:
                """).append("  ").append(home.toAbsolutePath().normalize()).append('\n');
        sb.append('\n').append(Exit.TEXT).append('\n');
        return sb.toString();
    }
}
