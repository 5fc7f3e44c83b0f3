package org.ntsfab.ip.aes;

import org.ntsfab.hdl.Bits;
import org.ntsfab.hdl.Bool;
import org.ntsfab.hdl.Stream;
import org.ntsfab.hdl.UInt;

/**
 * AES encryption, one round per cycle, for small FPGAs: 20 S-boxes (16 for the state, 4 for the
 * key schedule) instead of a pipeline's 200–276. A block takes rounds + 1 cycles from acceptance
 * to result (11 for AES-128, 15 for AES-256), then waits until it is taken; the next block can be
 * accepted in the cycle the result leaves.
 */
public final class AesIterative extends AesRoundLogic {
    public final Stream<AesPipeline.Request> in;
    public final Stream<AesPipeline.Result> out;

    public AesIterative(int keyBits, int tagBits) {
        if (keyBits != 128 && keyBits != 256) throw new IllegalArgumentException("AES-128 or AES-256");
        int nr = keyBits == 128 ? 10 : 14, nk = keyBits / 32;
        moduleName("aes" + keyBits + "_iterative_t" + tagBits);
        in = slave(new Stream<>(new AesPipeline.Request(keyBits, tagBits)));
        out = master(new Stream<>(new AesPipeline.Result(tagBits)));

        Bool busy = regInit(new Bool(), 0).named("busy_reg");
        Bool done = regInit(new Bool(), 0).named("done_reg");
        UInt round = reg(new UInt(4)).named("round_reg");
        Bits state = reg(new Bits(128)).named("state_reg");
        Bits window = reg(new Bits(keyBits)).named("key_reg");
        Bits tag = reg(new Bits(tagBits)).named("tag_reg");

        // this cycle's round key and the next window
        Bits prev = word(window, nk - 1);
        Bool rotate = nk == 4 ? Bool.lit(true) : round.bit(0);  // AES-256: new words at even word indices 8, 16, ... come with RotWord
        Bits core = subBytes(rotate.mux(Bits.cat(prev.slice(23, 0), prev.slice(31, 24)), prev));
        // rcon for the words being made: AES-128 round r makes w[4r] (rcon[r]); AES-256 round r makes w[4(r+1)] (rcon[(r+1)/2])
        UInt rconIndex = nk == 4 ? round : round.plus(1).slice(3, 1).zext(4);
        Bits rcon = wire(new Bits(8), 0).named("rcon");
        var sw = switchOn(rconIndex);
        for (int i = 1; i < RCON.length; i++) {
            final int c = RCON[i];
            sw.is(i, () -> rcon.set(Bits.lit(c, 8)));
        }
        sw.otherwise(() -> { });
        Bits t = core.xor(rotate.mux(Bits.cat(rcon, Bits.lit(0, 24)), Bits.lit(0, 32)));
        Bits w0 = word(window, 0).xor(t);
        Bits w1 = word(window, 1).xor(w0);
        Bits w2 = word(window, 2).xor(w1);
        Bits w3 = word(window, 3).xor(w2);
        Bits fresh = Bits.cat(w0, w1, w2, w3);
        Bits rk = nk == 4 ? fresh : window.slice(127, 0);
        Bits nextWindow = nk == 4 ? fresh : Bits.cat(window.slice(127, 0), fresh);
        Bool last = let("last_round", round.eq(nr));
        Bits sub = shiftRows(subBytes(state));
        Bits next = last.mux(sub, mixColumns(sub)).xor(rk);

        in.ready.set(busy.not().or(done.and(out.ready)));
        out.valid.set(done);
        out.payload.block.set(state);
        out.payload.tag.set(tag);
        when(out.fire(), () -> {
            done.set(false);
            busy.set(false);
        });
        when(in.fire(), () -> {
            busy.set(true);
            round.set(1);
            state.set(in.payload.block.xor(in.payload.key.slice(keyBits - 1, keyBits - 128)));
            window.set(in.payload.key);
            tag.set(in.payload.tag);
        });
        when(busy.and(done.not()), () -> {
            state.set(next);
            window.set(nextWindow);
            round.set(round.plus(1));
            when(last, () -> done.set(true));
        });
    }
}
