package org.ntsfab.cli;

import java.util.List;

/** {@code ntsfab lint}: {@code gen --check} over the library tops. */
final class LintVerb implements Verb {
    static final Option<java.nio.file.Path> OUT = GenVerb.OUT;
    static final Option<String> TOP = Option.value("--top", GenVerb.libraryTop(), null, "only this library top").as("NAME");

    @Override
    public Spec spec() {
        return new Spec("lint", "gen --check: every library top through verilator -Wall and Yosys", """
                gen --check over the library tops: writes each top's Verilog under DIR/<top>/ and passes it through
                verilator --lint-only -Wall (0 warnings) and Yosys (generic, ice40, xilinx); one line per top.""",
                List.of(OUT, TOP), "a gate failed (lint warnings or a Yosys error)");
    }

    @Override
    public int run(Args a, Io io) throws Exception {
        Inputs.outputDir(OUT.name(), a.get(OUT));
        return GenLibrary.run(a.get(OUT), a.get(TOP), true, io);
    }
}
