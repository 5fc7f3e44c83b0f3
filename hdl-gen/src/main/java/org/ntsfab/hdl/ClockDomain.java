package org.ntsfab.hdl;

import java.util.Objects;

/**
 * A clock and its reset. Domains are compared by identity: two domains with the same port names
 * are still two domains, and a signal may only cross between them through a {@code Synchronizer}.
 * Every component that holds state in a domain gets that domain's clock and reset as input ports,
 * wired automatically from its parent.
 */
public final class ClockDomain {
    public enum Reset {
        /** Synchronous, active-high (the default, as in verilog-ethernet). */
        SYNC_HIGH,
        /** Asynchronous assertion, active-high. */
        ASYNC_HIGH,
        /** No reset port: registers may still have power-on initial values only via {@code reg}. */
        NONE
    }

    private static final ClockDomain MAIN = new ClockDomain("clk", "rst", Reset.SYNC_HIGH);

    private final String clockName;
    private final String resetName;
    private final Reset reset;

    public ClockDomain(String clockName, String resetName, Reset reset) {
        this.clockName = Objects.requireNonNull(clockName);
        this.reset = Objects.requireNonNull(reset);
        this.resetName = reset == Reset.NONE ? null : Objects.requireNonNull(resetName);
    }

    /** The default domain: ports {@code clk} and {@code rst}, synchronous active-high reset. */
    public static ClockDomain main() {
        return MAIN;
    }

    public String clockName() {
        return clockName;
    }

    /** Null when the domain has no reset. */
    public String resetName() {
        return resetName;
    }

    public Reset reset() {
        return reset;
    }

    public boolean hasReset() {
        return reset != Reset.NONE;
    }

    @Override
    public String toString() {
        return "ClockDomain(" + clockName + (resetName == null ? "" : "," + resetName) + ")";
    }
}
