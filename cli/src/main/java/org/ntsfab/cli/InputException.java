package org.ntsfab.cli;

/** An input the verb cannot use: a missing or unreadable file, a bad configuration or capture (exit status 3). */
final class InputException extends Exception {
    InputException(String message) {
        super(message);
    }

    InputException(String message, Throwable cause) {
        super(message, cause);
    }
}
