package org.ntsfab.cli;

/** The exit statuses of every verb. */
final class Exit {
    private Exit() {}

    /** Success. */
    static final int OK = 0;
    /** The RTL differs from the reference model (sim --check, demo), or a gate failed (lint warnings, Yosys, a design check). */
    static final int FAILED = 1;
    /** Usage: unknown verb or option, missing or ill-typed value; nothing was done. */
    static final int USAGE = 2;
    /** I/O or input: a missing or unreadable file, a bad configuration or capture, a file that cannot be written. */
    static final int INPUT = 3;
    /** Anything else: a bug or a broken tool installation (the stack trace is printed). */
    static final int INTERNAL = 4;

    static final String TEXT = """
            exit status: 0 success; 1 the RTL differs from the model (sim --check, demo) or a gate failed (gen/lint --check);
                         2 usage error (unknown verb or option, missing or ill-typed value: one line on stderr, nothing done);
                         3 I/O or input error (missing or unreadable file, bad configuration or capture); 4 internal error""";
}
