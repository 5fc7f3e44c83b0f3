package org.ntsfab.responder;

import java.math.BigInteger;

/**
 * The identity and served fields the generated register file comes out of reset with (so a board
 * answers correctly before any host software runs). {@code ntsfab gen --config C} fills it from a
 * configuration file; {@link #EXAMPLE} matches {@code configs/example.toml}.
 */
public record ResponderDefaults(long mac, boolean ipv4Enable, long ipv4, boolean ipv6Enable, BigInteger ipv6, boolean vlanEnable,
        int vlan, boolean forwardUnmatched, int icmpMaxPayload, int ttl, int stratum, int precision, long refid, long rootDelay,
        long rootDispersion, boolean synced, long clockStep, boolean ntsEnable, int maxPlaceholders) {

    public static final ResponderDefaults EXAMPLE = new ResponderDefaults(0x02005e100001L, true, 0xc000027bL, true,
            new BigInteger("20010db8000000000000000000000123", 16), false, 0, true, 1472, 64, 1, -24, 0x47505300L, 0, 16, true,
            118059162072L, true, 7);

    /** {@code configs/gige.toml}'s: {@link #EXAMPLE}'s at 125 MHz (a 1G MAC's byte clock), NTS off (the byte-wide core has none). */
    public static final ResponderDefaults GIGE = new ResponderDefaults(EXAMPLE.mac(), true, EXAMPLE.ipv4(), true, EXAMPLE.ipv6(), false, 0,
            true, 1472, 64, 1, -24, EXAMPLE.refid(), 0, 16, true, clockStepFor(125_000_000), false, 7);

    /** The clock step of a clock at {@code hz}: 2^64 / hz rounded to nearest. */
    public static long clockStepFor(long hz) {
        return BigInteger.ONE.shiftLeft(64).add(BigInteger.valueOf(hz / 2)).divide(BigInteger.valueOf(hz)).longValue();
    }

    /** The clock frequency {@link #clockStep} is for (Hz): 2^64 / step rounded to nearest, the configured {@code frequency_hz}. */
    public long clockHz() {
        return BigInteger.ONE.shiftLeft(64).add(BigInteger.valueOf(clockStep / 2)).divide(BigInteger.valueOf(clockStep)).longValue();
    }

    /**
     * What a module that bakes these values in carries in its name ({@link org.ntsfab.hdl.ModuleNames}): nothing when they are
     * {@code reference} (its component's example), else {@code _cfg} and a digest of them all.
     */
    public String nameTag(ResponderDefaults reference) {
        return org.ntsfab.hdl.ModuleNames.cfgTag(java.util.List.of(reference), this);
    }
}
