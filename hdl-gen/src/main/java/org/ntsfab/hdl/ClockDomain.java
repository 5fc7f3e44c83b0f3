package org.ntsfab.hdl;

import org.ntsfab.hdl.ir.DomainNode;

/**
 * A clock and its reset. Domains are compared by identity: two domains with the same port names
 * are still two domains, and a signal may only cross between them through a {@code Synchronizer}.
 * Every component that holds state in a domain gets that domain's clock and reset as input ports,
 * wired automatically from its parent. ({@link DomainNode} is what the IR keeps of it; {@code ClockDomain.Reset}
 * names the reset kinds.)
 */
public final class ClockDomain extends DomainNode {
    private static final ClockDomain MAIN = new ClockDomain("clk", "rst", Reset.SYNC_HIGH);

    public ClockDomain(String clockName, String resetName, Reset reset) {
        super(clockName, resetName, reset);
    }

    /** The default domain: ports {@code clk} and {@code rst}, synchronous active-high reset. */
    public static ClockDomain main() {
        return MAIN;
    }

    @Override
    public String toString() {
        return "ClockDomain(" + clockName() + (resetName() == null ? "" : "," + resetName()) + ")";
    }
}
