package org.ntsfab.hdl.ir;

import java.util.Objects;

/**
 * A clock domain as the IR and the emitter see it: a clock port name, a reset port name and the reset's kind.
 * Compared by identity. The construction library's {@code ClockDomain} is the one subclass users create.
 */
public abstract class DomainNode {
    public enum Reset {
        /** Synchronous, active-high (the default, as in verilog-ethernet). */
        SYNC_HIGH,
        /** Asynchronous assertion, active-high. */
        ASYNC_HIGH,
        /** No reset port: registers may still have power-on initial values only via {@code reg}. */
        NONE
    }

    private final String clockName;
    private final String resetName;
    private final Reset reset;

    protected DomainNode(String clockName, String resetName, Reset reset) {
        this.clockName = Objects.requireNonNull(clockName);
        this.reset = Objects.requireNonNull(reset);
        this.resetName = reset == Reset.NONE ? null : Objects.requireNonNull(resetName);
    }

    public final String clockName() {
        return clockName;
    }

    /** Null when the domain has no reset. */
    public final String resetName() {
        return resetName;
    }

    public final Reset reset() {
        return reset;
    }

    public final boolean hasReset() {
        return reset != Reset.NONE;
    }

    /**
     * What a module clocked in this domain carries in its name (its clock and reset port names and reset kind are part of
     * its text): empty for {@code clk}/{@code rst} with a synchronous reset (the main domain's ports); the prefix for the
     * usual pair {@code <p>_clk}/{@code <p>_rst} with a synchronous reset ({@code rgmii_rx}); otherwise the clock, the reset
     * (or {@code noreset}) and {@code async} for an asynchronous one.
     */
    public final String tag() {
        if (clockName.equals("clk") && "rst".equals(resetName) && reset == Reset.SYNC_HIGH) return "";
        if (clockName.endsWith("_clk") && reset == Reset.SYNC_HIGH) {
            String p = clockName.substring(0, clockName.length() - 4);
            if (resetName.equals(p + "_rst")) return p;
        }
        return clockName + "_" + (reset == Reset.NONE ? "noreset" : resetName + (reset == Reset.ASYNC_HIGH ? "_async" : ""));
    }

    @Override
    public final boolean equals(Object o) {
        return this == o;
    }

    @Override
    public final int hashCode() {
        return System.identityHashCode(this);
    }
}
