package org.ntsfab.cli;

/** A command line the verb cannot run: unknown option, missing or ill-typed value (exit status 2, one line, before any work). */
final class UsageException extends Exception {
    UsageException(String message) {
        super(message);
    }
}
