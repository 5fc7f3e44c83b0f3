package org.ntsfab.rtl;

import org.ntsfab.blocks.aes.AesIterative;
import org.ntsfab.hdl.Bits;
import org.ntsfab.hdl.Bool;
import org.ntsfab.hdl.Component;
import org.ntsfab.hdl.Stream;
import org.ntsfab.hdl.UInt;

/**
 * The nonce source of docs/responder-spec.md §9.6: nonce n (n = 0, 1, … since the seed was loaded)
 * is AES-128(seed, n as a 128-bit big-endian integer), the reference model's {@code NonceGenerator}.
 * One nonce is kept ready; {@code load} takes a new seed and restarts at n = 0 (a nonce computed
 * under the old seed is discarded, by an epoch bit travelling through the AES core as its tag).
 * AES is a permutation, so no nonce repeats under one seed (the counter is 64 bits: 2^64 nonces).
 */
public final class NtsNonceGen extends Component {
    public final Bool load = in(new Bool());
    public final Bits seed = in(new Bits(128));
    public final Stream<Bits> out;

    public NtsNonceGen() {
        moduleName("nts_nonce_gen");
        out = master(new Stream<>(new Bits(128)));
        AesIterative aes = add(new AesIterative(128, 1));
        Bits key = regInit(new Bits(128), 0).named("seed_reg");
        UInt n = regInit(new UInt(64), 0).named("counter_reg");
        Bool epoch = regInit(new Bool(), 0).named("epoch_reg");
        Bool full = regInit(new Bool(), 0).named("full_reg");
        Bool inFlight = regInit(new Bool(), 0).named("in_flight_reg");
        Bits value = reg(new Bits(128)).named("nonce_reg");

        aes.in.valid.set(full.not().and(inFlight.not()).and(load.not()));
        aes.in.payload.key.set(key);
        aes.in.payload.block.set(Bits.cat(Bits.lit(0, 64), n.asBits()));
        aes.in.payload.tag.set(epoch.asBits());
        aes.out.ready.set(Bool.lit(true));
        Bool current = aes.out.payload.tag.bit(0).eq(epoch);
        when(aes.in.fire(), () -> {
            inFlight.set(true);
            n.set(n.plus(1));
        });
        when(aes.out.valid, () -> {
            inFlight.set(false);
            when(current, () -> {
                full.set(true);
                value.set(aes.out.payload.block);
            });
        });
        out.valid.set(full);
        out.payload.set(value);
        when(out.fire(), () -> full.set(false));
        when(load, () -> {
            key.set(seed);
            n.set(0);
            epoch.set(epoch.not());
            full.set(false);
        });
    }
}
