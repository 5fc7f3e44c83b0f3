package org.ntsfab.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.ntsfab.flow.Tools;
import org.ntsfab.hdl.ElaborationException;

/**
 * The ntsfab command line (the {@code ./ntsfab} launcher runs this): finds the verb, checks its arguments against the
 * verb's declared options ({@link Args}), runs it, and turns what went wrong into an exit status ({@link Exit}).
 */
public final class Main {
    private Main() {}

    public static void main(String[] args) {
        System.exit(run(Arrays.asList(args), System.out, System.err, Path.of(""), home()));
    }

    /**
     * The repository, where the defaults that name its files ({@code configs/example.toml}, the boards' configurations and
     * hand-written tops) are found: the {@code ntsfab.home} property (the {@code ./ntsfab} launcher sets it to the
     * directory it is in), else {@code NTSFAB_HOME}, else the working directory.
     */
    static Path home() {
        String h = System.getProperty("ntsfab.home");
        if (h == null || h.isEmpty()) h = System.getenv("NTSFAB_HOME");
        return h == null || h.isEmpty() ? Path.of("") : Path.of(h);
    }

    /** Every verb, in the order {@code help} lists them. */
    static Map<String, Verb> verbs() {
        Map<String, Verb> m = new LinkedHashMap<>();
        for (Verb v : List.of(new DemoVerb(), new GenVerb(), new SimVerb(), new LintVerb(), new BenchVerb(), new ModelVerb(),
                new TrafficVerb(), new BuildVerb(), new ServeVerb(), new LoadVerb())) m.put(v.spec().verb(), v);
        Verb help = new HelpVerb(m);
        m.put(help.spec().verb(), help);
        return m;
    }

    /**
     * One run with the repository in {@code dir} (a test run from the repository).
     */
    public static int run(List<String> args, PrintStream out, PrintStream err, Path dir) {
        return run(args, out, err, dir, dir);
    }

    /**
     * One run: {@code args[0]} is the verb. Results go to {@code out}, diagnostics to {@code err}; the paths the user gives
     * and the default outputs ({@code build/...}) resolve against {@code dir}, the defaults naming repository files
     * against {@code home}. Returns the exit status; never exits the JVM.
     */
    public static int run(List<String> args, PrintStream out, PrintStream err, Path dir, Path home) {
        Map<String, Verb> verbs = verbs();
        String name = args.isEmpty() ? "help" : args.get(0);
        List<String> rest = args.subList(Math.min(1, args.size()), args.size());
        if (name.equals("-h") || name.equals("--help")) name = "help";
        // help VERB: that verb's help
        if (name.equals("help") && rest.size() == 1 && !rest.get(0).startsWith("-")) rest = List.of("--verb", rest.get(0));
        Verb verb = verbs.get(name);
        if (verb == null) {
            err.println("ntsfab: unknown verb '" + name + "' (verbs: " + String.join(", ", verbs.keySet()) + ", test; ./ntsfab help)");
            return Exit.USAGE;
        }
        String who = "ntsfab " + name + ": ";
        Io io = new Io(out, err, dir, home);
        try {
            Args a = Args.parse(verb.spec(), rest, dir, home);
            if (a.help()) {
                out.print(verb.spec().help());
                return Exit.OK;
            }
            return verb.run(a, io);
        } catch (UsageException e) {
            err.println(who + e.getMessage());
            return Exit.USAGE;
        } catch (InputException e) {
            err.println(who + e.getMessage());
            return Exit.INPUT;
        } catch (IOException e) {
            err.println(who + Inputs.describe(e));
            return Exit.INPUT;
        } catch (UncheckedIOException e) {
            err.println(who + Inputs.describe(e.getCause()));
            return Exit.INPUT;
        } catch (IllegalArgumentException e) {
            // what the libraries reject in an input the options' types cannot see (a configuration with too many keys, ...)
            err.println(who + e.getMessage());
            return Exit.INPUT;
        } catch (ElaborationException e) {
            err.println(e.getMessage());
            return Exit.FAILED;
        } catch (Tools.ToolException e) {
            err.println(who + e.getMessage());
            return Exit.FAILED;
        } catch (AssertionError e) {
            // the harness's verdict on the design (a stuck design, a protocol violation): a failure, said in one line
            err.println(who + e.getMessage());
            return Exit.FAILED;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            err.println(who + "interrupted");
            return Exit.INTERNAL;
        } catch (Exception e) {
            err.println(who + "internal error: " + e);
            e.printStackTrace(err);
            return Exit.INTERNAL;
        }
    }
}
