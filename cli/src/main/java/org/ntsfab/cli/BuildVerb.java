package org.ntsfab.cli;

import java.nio.file.Path;
import java.util.List;
import org.ntsfab.flow.BoardFlow;

/** {@code ntsfab build}: a board's top-level, pins, constraints and the flow available here. */
final class BuildVerb implements Verb {
    static final Option<String> BOARD = Option.value("--board", ValueType.oneOf("a board (ntsfab build --list)", "NAME",
            () -> BoardFlow.boards().stream().map(BoardFlow.Board::name).toList()), null, "the board to build");
    static final Option<Path> OUT = Option.value("--out", ValueType.PATH, null, "where the build goes (default build/boards/NAME)").as("DIR");
    static final Option<Boolean> LIST = Option.flag("--list", "list the boards and what state each is in");

    @Override
    public Spec spec() {
        return new Spec("build", "a board's top-level, pins, constraints and the flow available here", """
                build --board NAME [--out DIR]: the board's configuration, top-level, pins and constraints through the flow
                this machine has (ice40-hx8k: Yosys, nextpnr-ice40, icepack, utilization and Fmax; ecp5-versa: Yosys
                synth_ecp5, prints nextpnr-ecp5/ecppack; vcu118: writes core, XDC and Vivado scripts, prints the run).
                build --list: the boards. Without either: the list, and exit status 2.""",
                List.of(BOARD, OUT, LIST), "the board's flow failed");
    }

    @Override
    public int run(Args a, Io io) throws Exception {
        Args.check(!(a.given(LIST) && a.given(BOARD)), "--board and --list are exclusive");
        if (!a.given(BOARD)) {
            Args.check(!a.given(OUT), "--out needs --board");
            for (BoardFlow.Board b : BoardFlow.boards())
                io.out().printf("%-12s %s%n%-12s config %s; %s%n", b.name(), b.description(), "", b.config(), b.status());
            if (a.on(LIST)) return Exit.OK;
            io.err().println("ntsfab build: --board NAME or --list is required");
            return Exit.USAGE;
        }
        BoardFlow.Board b = BoardFlow.board(a.get(BOARD));
        if (b.pins().isEmpty()) {
            io.out().println(b.name() + ": " + b.description() + "\n" + b.status());
            return Exit.USAGE;
        }
        Path out = a.given(OUT) ? a.get(OUT) : io.dir().resolve("build/boards/" + b.name());
        Inputs.outputDir(OUT.name(), out);
        BoardFlow.Result r = BoardFlow.build(b, io.home(), out);
        if (!r.notRun().isEmpty()) io.out().println("(not run here, printed: see below)");
        for (String c : r.commands()) io.out().println("$ " + c);
        io.out().println(BoardFlow.describe(r));
        return r.ok() ? Exit.OK : Exit.FAILED;
    }
}
