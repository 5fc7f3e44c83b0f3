package org.ntsfab.responder.top;

import org.ntsfab.responder.ResponderDefaults;

import java.math.BigInteger;
import org.ntsfab.hdl.Design;
import org.ntsfab.model.ConfigFile;
import org.ntsfab.model.clock.NtpClock;

/**
 * The configuration file → design mapping: every value of a {@code configs/*.toml} that shapes the generated responder
 * is read here, and only here ({@code gen --config}, the simulator, the board flows and the core files all start here).
 */
public final class ResponderDesigns {
    private ResponderDesigns() {}

    /** The register file's reset values for a configuration (what {@code ntsfab gen --config} bakes in). */
    public static ResponderDefaults defaults(ConfigFile cfg) {
        return new ResponderDefaults(new BigInteger(1, cfg.mac()).longValue(), cfg.ipv4() != null,
                cfg.ipv4() == null ? 0 : new BigInteger(1, cfg.ipv4()).longValue(), cfg.ipv6() != null,
                cfg.ipv6() == null ? BigInteger.ZERO : new BigInteger(1, cfg.ipv6()), cfg.vlan() >= 0, Math.max(0, cfg.vlan()),
                cfg.forwardUnmatched(), cfg.icmpMaxPayload(), cfg.ttl(), cfg.stratum(), cfg.precision(),
                new BigInteger(1, cfg.refid()).longValue(), cfg.rootDelay(), cfg.rootDispersion(), cfg.synced(),
                NtpClock.stepFor(cfg.frequencyHz()), cfg.ntsKeys() != null && !cfg.ntsKeys().isEmpty() && cfg.busBytes() == 8,
                cfg.maxPlaceholders());
    }

    /** {@code ntsfab_top} (64-bit bus) or {@code ntsfab_top_8} (byte-wide) for a configuration. */
    public static Design design(ConfigFile cfg) {
        ResponderDefaults d = defaults(cfg);
        return Design.elaborate(() -> new NtsFabTop(d, cfg.busBytes(), ntsConfig(cfg)));
    }

    /** The generator's NTS fabric for a configuration ({@code [nts]} cores, residence_cycles, budget_bytes). */
    public static NtsFabTop.Nts ntsConfig(ConfigFile cfg) {
        return NtsFabTop.Nts.of(cfg.ntsCapacity());
    }
}
