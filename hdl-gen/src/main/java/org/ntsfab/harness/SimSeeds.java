package org.ntsfab.harness;

/**
 * Seeds for randomized simulations: fixed per test name unless {@code NTSFAB_SEED} is set, so a CI
 * failure is reproducible from the seed printed in its log.
 */
public final class SimSeeds {
    private SimSeeds() {}

    /** The seed for a test of {@code top}, printed so a failure can be reproduced. */
    public static long announce(String top, String name, boolean xUnique) {
        long seed = seed(name);
        System.out.println(top + (xUnique ? " (x-unique)" : "") + ": seed " + seed);
        return seed;
    }

    static long seed(String name) {
        String env = System.getenv("NTSFAB_SEED");
        long base = env == null ? 0x6e7473666162L : Long.parseLong(env);
        return base ^ name.hashCode() * 0x9E3779B97F4A7C15L;
    }
}
