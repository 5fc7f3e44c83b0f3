package org.ntsfab.cli;

import java.io.PrintStream;
import java.nio.file.Path;

/**
 * Where a run prints (results on {@code out}, diagnostics on {@code err}), what the user's relative paths and the default
 * outputs resolve against ({@code dir}, the working directory), and where the repository is ({@code home}: its
 * {@code configs/}, {@code boards/}; see {@link Main#home}).
 */
record Io(PrintStream out, PrintStream err, Path dir, Path home) {}
