package org.ntsfab.cli;

/** One verb of the command line: its declared options and help ({@link #spec}) and the work ({@link #run}). */
interface Verb {
    Spec spec();

    /** Runs with checked arguments; returns the exit status ({@link Exit}). Throws {@link UsageException} for a combination
     *  of options the parser cannot check, before doing any work. */
    int run(Args a, Io io) throws Exception;
}
