package org.ntsfab.cli;

import java.nio.file.Path;
import java.util.Map;
import org.ntsfab.gen.LibraryTops;
import org.ntsfab.hdl.Design;

/** The ntsfab command line (the {@code ./ntsfab} launcher runs this). */
public final class Main {
    public static void main(String[] args) throws Exception {
        if (args.length == 0) {
            usage();
            System.exit(2);
        }
        String verb = args[0];
        switch (verb) {
            case "gen" -> {
                Path out = Path.of(option(args, "--out", "build/rtl"));
                int files = 0;
                for (String name : LibraryTops.all().keySet()) {
                    Design d = LibraryTops.elaborate(name);
                    files += d.write(out.resolve(name)).size();
                    System.out.printf("%-26s %2d module(s) -> %s%n", name, d.modules().size(), out.resolve(name));
                }
                System.out.println(files + " Verilog files written under " + out);
            }
            default -> {
                usage();
                System.exit(2);
            }
        }
    }

    static String option(String[] args, String name, String dflt) {
        for (int i = 1; i + 1 < args.length; i++) if (args[i].equals(name)) return args[i + 1];
        return dflt;
    }

    private static void usage() {
        System.err.println("usage: ntsfab gen [--out DIR]");
    }

    private Main() {}

    static Map<String, String> none() {
        return Map.of();
    }
}
