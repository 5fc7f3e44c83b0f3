package org.ntsfab.hdl;

import org.ntsfab.hdl.ir.SourceLoc;

/** One elaboration problem: what kind, where it was made, and a sentence a person can act on. */
public record HdlError(Kind kind, SourceLoc loc, String message) {
    public enum Kind {
        WIDTH_MISMATCH, LITERAL_OVERFLOW, UNDRIVEN, MULTIPLE_DRIVERS, LATCH, COMBINATIONAL_LOOP,
        CLOCK_CROSSING, STREAM_PROTOCOL, HIERARCHY, NAMING, USAGE
    }

    @Override
    public String toString() {
        return kind + " at " + loc + ": " + message;
    }
}
