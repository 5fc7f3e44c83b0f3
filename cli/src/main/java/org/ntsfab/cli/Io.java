package org.ntsfab.cli;

import java.io.PrintStream;
import java.nio.file.Path;

/** Where a run prints (results on {@code out}, diagnostics on {@code err}) and what relative paths resolve against. */
record Io(PrintStream out, PrintStream err, Path dir) {}
