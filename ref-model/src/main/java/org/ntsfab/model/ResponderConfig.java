package org.ntsfab.model;

import org.ntsfab.model.clock.NtpClock;
import org.ntsfab.model.nts.MasterKeys;

/**
 * Everything the responder's behaviour depends on (one config file drives model, generator and
 * simulator). Addresses are raw bytes; {@code ipv4}/{@code ipv6} may be null (family disabled);
 * {@code vlan} is -1 for untagged operation. NTP fields are the wire values. {@code nts} null
 * disables NTS.
 */
public record ResponderConfig(
        byte[] mac, byte[] ipv4, byte[] ipv6, int vlan, boolean forwardUnmatched, int ttl,
        int stratum, byte[] refid, int precision, long rootDelay, long rootDispersion, boolean synced,
        int icmpMaxPayload, int maxPlaceholders,
        NtpClock clock, Nts nts) {

    /**
     * NTS state: master keys, the nonce generator's seed and the fabric's capacity. {@code capacity} null: no limit (the
     * software appliance); otherwise the NTS cores' rule, which the model decides by itself (spec §9.7,
     * {@link org.ntsfab.model.nts.NtsCores}).
     */
    public record Nts(MasterKeys keys, byte[] nonceSeed, Capacity capacity) {
        public Nts(MasterKeys keys, byte[] nonceSeed) {
            this(keys, nonceSeed, null);
        }
    }

    /**
     * The NTS fabric's capacity and timing (spec §9.7): {@code cores} cores, each holding {@code contexts} requests at once,
     * each for its class's hold from its first beat; a request goes to the lowest-numbered core that admits it. Its
     * answer's (or NAK's) first beat leaves exactly its class's residence after the request's first beat arrived, T3 the
     * clock of that cycle. A context is held past the departure while the answer is read out, so a hold is at least its
     * residence plus one beat. {@code budgetBytes}: the most UDP payload bytes of the requests a core holds at once (the
     * work in flight), {@link org.ntsfab.model.nts.NtsCapacity#UNLIMITED} for the count alone.
     *
     * <p>Two residence classes: a request of at most {@code shortMaxBytes} payload bytes is short (residence {@code
     * shortResidenceCycles}, hold {@code shortHoldCycles}) unless its answer's window would overlap a long answer's
     * still pending; every other request is long ({@code residenceCycles}, {@code holdCycles}). {@code shortMaxBytes} 0:
     * one class, every request long.
     */
    public record Capacity(int cores, int contexts, long residenceCycles, long holdCycles, long budgetBytes, int shortMaxBytes,
            long shortResidenceCycles, long shortHoldCycles) {
        public Capacity(int contexts, long residenceCycles, long holdCycles) {
            this(1, contexts, residenceCycles, holdCycles, org.ntsfab.model.nts.NtsCapacity.UNLIMITED);
        }

        public Capacity(int contexts, long residenceCycles, long holdCycles, long budgetBytes) {
            this(1, contexts, residenceCycles, holdCycles, budgetBytes);
        }

        /** One residence class. */
        public Capacity(int cores, int contexts, long residenceCycles, long holdCycles, long budgetBytes) {
            this(cores, contexts, residenceCycles, holdCycles, budgetBytes, 0, 0, 0);
        }

        public Capacity {
            if (cores < 1) throw new IllegalArgumentException("NTS cores: at least 1, got " + cores);
            if (budgetBytes < 1472) throw new IllegalArgumentException("NTS work budget " + budgetBytes + ": at least one largest request, 1472 bytes");
            if (contexts < 1) throw new IllegalArgumentException("NTS capacity: at least 1 context, got " + contexts);
            if (residenceCycles < 1) throw new IllegalArgumentException("NTS residence: at least 1 cycle, got " + residenceCycles);
            if (holdCycles <= residenceCycles)
                throw new IllegalArgumentException("NTS context hold " + holdCycles + ": longer than the residence " + residenceCycles);
            if (shortMaxBytes < 0 || shortMaxBytes > 1472) throw new IllegalArgumentException("NTS short class: 0..1472 payload bytes, got " + shortMaxBytes);
            if (shortMaxBytes > 0) {
                if (shortResidenceCycles < 1) throw new IllegalArgumentException("NTS short residence: at least 1 cycle, got " + shortResidenceCycles);
                if (shortHoldCycles <= shortResidenceCycles)
                    throw new IllegalArgumentException("NTS short hold " + shortHoldCycles + ": longer than the short residence " + shortResidenceCycles);
                // a long answer of a later request must start after every earlier short answer's window
                if (residenceCycles < shortResidenceCycles + org.ntsfab.model.nts.NtsCores.window(1472))
                    throw new IllegalArgumentException("NTS residence " + residenceCycles + ": at least the short residence " + shortResidenceCycles
                            + " plus the longest answer's window, " + org.ntsfab.model.nts.NtsCores.window(1472) + " cycles");
            }
        }

        /** The short class is in use. */
        public boolean twoClasses() {
            return shortMaxBytes > 0;
        }
    }

    public ResponderConfig {
        if (mac.length != 6) throw new IllegalArgumentException("mac must be 6 bytes");
        if (ipv4 != null && ipv4.length != 4) throw new IllegalArgumentException("ipv4 must be 4 bytes");
        if (ipv6 != null && ipv6.length != 16) throw new IllegalArgumentException("ipv6 must be 16 bytes");
        if (refid.length != 4) throw new IllegalArgumentException("refid must be 4 bytes");
        if (vlan < -1 || vlan > 4094) throw new IllegalArgumentException("vlan must be -1 (none) or 0..4094");
        if (stratum < 1 || stratum > 15) throw new IllegalArgumentException("stratum must be 1..15");
        if (maxPlaceholders < 0 || maxPlaceholders > 7) throw new IllegalArgumentException("max placeholders is 0..7");
    }
}
