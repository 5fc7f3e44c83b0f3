package org.ntsfab.model.wire;

/** Input that does not parse, with the reason in words. */
public final class WireException extends Exception {
    public WireException(String reason) {
        super(reason, null, false, false);
    }
}
