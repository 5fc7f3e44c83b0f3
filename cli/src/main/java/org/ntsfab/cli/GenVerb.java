package org.ntsfab.cli;

import java.nio.file.Path;
import java.util.List;
import org.ntsfab.gen.LibraryTops;

/**
 * {@code ntsfab gen}: two modes behind one verb. With {@code --config C}: one configuration's responder core
 * ({@link GenCore}); without: every library top, or one ({@link GenLibrary}).
 */
final class GenVerb implements Verb {
    static final Option<Path> CONFIG = Option.value("--config", ValueType.PATH, null,
            "a responder configuration: write its core (ntsfab_top and submodules) instead of the library tops");
    static final Option<Path> OUT = Option.value("--out", ValueType.PATH, "build/rtl", "where the Verilog goes").as("DIR");
    static final Option<Boolean> CHECK = Option.flag("--check", "also run verilator --lint-only -Wall and Yosys (generic, ice40, xilinx) on each design");
    static final Option<String> TOP = Option.value("--top", libraryTop(), null, "only this library top (without --config)").as("NAME");

    static ValueType<String> libraryTop() {
        return ValueType.oneOf("a library top's name", "NAME", () -> LibraryTops.all().keySet());
    }

    @Override
    public Spec spec() {
        return new Spec("gen", "emit Verilog: one configuration's responder core (--config), or every library top", """
                Two modes.
                gen --config C [--out DIR] [--check]: the responder core for configuration C: ntsfab_top and its submodules,
                  one module per file, with the register map (DIR/registers: Markdown, C header, Java constants), timing
                  constraints (DIR/constraints) and a FuseSoC core (DIR/ntsfab.core).
                gen [--out DIR] [--top NAME] [--check]: every library top (FIFOs, stream stages, Ethernet, AES, the NTP
                  and NTS blocks, the board cores), each in DIR/<top>/ one module per file, or only --top NAME; and the
                  default register map in DIR/registers.
                --check passes each design through the gates: verilator --lint-only -Wall (0 warnings) and Yosys.""",
                List.of(CONFIG, OUT, CHECK, TOP), "a gate failed (--check: lint warnings or a Yosys error)");
    }

    @Override
    public int run(Args a, Io io) throws Exception {
        Path out = a.get(OUT);
        Inputs.outputDir(OUT.name(), out);
        if (a.given(CONFIG)) {
            Args.check(!a.given(TOP), "--top selects a library top; with --config the top is ntsfab_top");
            return GenCore.run(Inputs.config(a.get(CONFIG)), out, a.on(CHECK), io);
        }
        return GenLibrary.run(out, a.get(TOP), a.on(CHECK), io);
    }
}
