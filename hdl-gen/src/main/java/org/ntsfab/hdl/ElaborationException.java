package org.ntsfab.hdl;

import java.util.List;

/** Thrown once per elaboration with every problem found, each with the Java source line that made it. */
public final class ElaborationException extends RuntimeException {
    private final List<HdlError> errors;

    public ElaborationException(List<HdlError> errors) {
        super(format(errors));
        this.errors = List.copyOf(errors);
    }

    public List<HdlError> errors() {
        return errors;
    }

    public boolean has(HdlError.Kind kind) {
        return errors.stream().anyMatch(e -> e.kind() == kind);
    }

    private static String format(List<HdlError> errors) {
        StringBuilder sb = new StringBuilder(errors.size() + " elaboration error(s):");
        for (HdlError e : errors) sb.append("\n  ").append(e);
        return sb.toString();
    }
}
