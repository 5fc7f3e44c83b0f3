package org.ntsfab.cli;

import java.nio.file.Path;

/**
 * One option a verb declares: its name, whether it takes a value and of which type, its default, and one line of help.
 * A flag is an option of type {@code null} whose value is {@code true} when given.
 *
 * @param dflt     the default as the user would type it (shown in the help, parsed like a given value), or null
 * @param metavar  the value's placeholder in the help ({@code DIR}, {@code FILE}); the type's when null
 * @param inRepo   the default names a file of the repository ({@code configs/example.toml}): it resolves against the
 *                 repository, not the working directory (a value the user gives always resolves against the latter)
 */
record Option<T>(String name, ValueType<T> type, String dflt, boolean required, String metavar, String help, boolean inRepo) {

    Option {
        if (!name.startsWith("--")) throw new IllegalArgumentException(name);
        if (dflt != null) {
            try {
                type.parse(dflt, Path.of(""));
            } catch (UsageException e) {
                throw new IllegalArgumentException(name + " default: " + e.getMessage());
            }
        }
    }

    Option(String name, ValueType<T> type, String dflt, boolean required, String metavar, String help) {
        this(name, type, dflt, required, metavar, help, false);
    }

    static Option<Boolean> flag(String name, String help) {
        return new Option<>(name, null, null, false, null, help);
    }

    /** An optional value; {@code dflt} may be null (absent unless given). */
    static <T> Option<T> value(String name, ValueType<T> type, String dflt, String help) {
        return new Option<>(name, type, dflt, false, null, help);
    }

    /** A path whose default is a file of the repository ({@code configs/example.toml}), found from any working directory. */
    static Option<Path> repositoryFile(String name, String dflt, String help) {
        return new Option<>(name, ValueType.PATH, dflt, false, null, help, true);
    }

    static <T> Option<T> required(String name, ValueType<T> type, String help) {
        return new Option<>(name, type, null, true, null, help);
    }

    /** The same option with another placeholder in the help ({@code --out DIR}). */
    Option<T> as(String placeholder) {
        return new Option<>(name, type, dflt, required, placeholder, help, inRepo);
    }

    boolean isFlag() {
        return type == null;
    }

    /** {@code --out DIR}, {@code --check}. */
    String synopsis() {
        return isFlag() ? name : name + " " + (metavar != null ? metavar : type.metavar());
    }
}
