package org.ntsfab.ip.aes;

import org.ntsfab.hdl.Bits;
import org.ntsfab.hdl.Bool;
import org.ntsfab.hdl.Stream;
import org.ntsfab.hdl.UInt;

/**
 * AES encryption, one round per cycle, for small FPGAs: 20 S-boxes (16 for the state, 4 for the
 * key schedule) instead of a pipeline's 200–276. A block takes rounds + 1 cycles from acceptance
 * to result (11 for AES-128, 15 for AES-256), then waits until it is taken; the next block can be
 * accepted in the cycle the result leaves. Key-agile like {@link AesPipeline}: every block brings its
 * own key, expanded on the fly. With {@link AesPipeline#MIXED} it takes AES-128 and AES-256 blocks, each
 * with its {@code aes256} flag (the NTS core's cookies and both AEADs on one unit): the window holds the
 * round's key in its low half for both kinds, as the combined pipeline's does, and the kind chooses only
 * which four words the schedule's next words are xored onto and whether RotWord and rcon apply.
 */
public final class AesIterative extends AesRoundLogic {
    public final Stream<AesPipeline.Request> in;
    public final Stream<AesPipeline.Result> out;

    public AesIterative(int keyBits, int tagBits) {
        if (keyBits == AesPipeline.MIXED) {
            moduleName("aes_mixed_iterative_t" + tagBits);
            in = slave(new Stream<>(new AesPipeline.Request(AesPipeline.MIXED, tagBits)));
            out = master(new Stream<>(new AesPipeline.Result(tagBits)));
            mixed(tagBits);
            return;
        }
        if (keyBits != 128 && keyBits != 256) throw new IllegalArgumentException("AES-128, AES-256 or mixed");
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
        Bits fresh = scheduleNext(window, core, rotate, rconIndex);
        Bits rk = nk == 4 ? fresh : window.slice(127, 0);
        Bits nextWindow = nk == 4 ? fresh : Bits.cat(window.slice(127, 0), fresh);
        Bool last = let("last_round", round.eq(nr));
        Bits sub = shiftRows(subBytes(state));
        Bits next = last.mux(sub, mixColumns(sub)).xor(rk);

        handshake(busy, done, state, tag);
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

    /**
     * Both kinds on one unit. Accepting a block loads the state with the block xor the first round key (the key's high
     * half either way) and the window with the next key: AES-256's second half, or AES-128's round-1 key expanded once
     * here. Round r (1..10 or 14) adds the window's low half and makes the next four words w[4(r+1)..]: onto the window's
     * high half (AES-256, eight words back) or its low half (AES-128, four back), from the window's last word, with RotWord and
     * rcon[r + 1] for AES-128, for AES-256 only at odd r (a multiple of eight words) with rcon[(r + 1) / 2].
     */
    private void mixed(int tagBits) {
        Bool busy = regInit(new Bool(), 0).named("busy_reg");
        Bool done = regInit(new Bool(), 0).named("done_reg");
        Bool wide = reg(new Bool()).named("aes256_reg");
        UInt round = reg(new UInt(4)).named("round_reg");
        Bits state = reg(new Bits(128)).named("state_reg");
        Bits window = reg(new Bits(256)).named("key_reg");
        Bits tag = reg(new Bits(tagBits)).named("tag_reg");

        // the schedule's four S-boxes serve both the load (AES-128's round-1 key from the key's high half) and the rounds
        Bits hi = in.payload.key.slice(255, 128);
        Bool loading = let("loading", in.fire());
        Bits rk = window.slice(127, 0);
        Bits group = let("schedule_group", loading.mux(hi, wide.mux(window.slice(255, 128), rk)));
        // w[i-1]: the last word of the key (the load) or of the window, whose low half is the newest four words
        Bits prev = loading.mux(word(hi, 3), word(rk, 3));
        Bool rotate = let("schedule_rotate", loading.or(wide.not()).or(round.bit(0)));
        Bits core = subBytes(rotate.mux(Bits.cat(prev.slice(23, 0), prev.slice(31, 24)), prev));
        // rcon: AES-128 round r makes w[4(r+1)] (rcon[r + 1]), the load w[4] (rcon[1]); AES-256 round r rcon[(r + 1) / 2]
        UInt rconIndex = let("rcon_index", loading.mux(UInt.lit(1, 4), wide.mux(round.plus(1).slice(3, 1).zext(4), round.plus(1))));
        Bits fresh = let("schedule_next", scheduleNext(group, core, rotate, rconIndex));

        Bool last = let("last_round", wide.mux(round.eq(14), round.eq(10)));
        Bits sub = shiftRows(subBytes(state));
        Bits next = last.mux(sub, mixColumns(sub)).xor(rk);

        handshake(busy, done, state, tag);
        when(in.fire(), () -> {
            busy.set(true);
            round.set(1);
            wide.set(in.payload.aes256);
            state.set(in.payload.block.xor(hi));
            window.set(in.payload.aes256.mux(in.payload.key, Bits.cat(hi, fresh)));
            tag.set(in.payload.tag);
        });
        when(busy.and(done.not()), () -> {
            state.set(next);
            window.set(Bits.cat(rk, fresh));
            round.set(round.plus(1));
            when(last, () -> done.set(true));
        });
    }

    /**
     * The next four key-schedule words: w[i] = w[i - nk] xor its predecessor's, the first xored with {@code core}
     * (SubWord of the last word, rotated or not) and, when {@code rotate}, rcon[{@code rconIndex}]; {@code group} holds
     * w[i - nk] .. w[i - nk + 3].
     */
    private Bits scheduleNext(Bits group, Bits core, Bool rotate, UInt rconIndex) {
        Bits rcon = wire(new Bits(8), 0).named("rcon");
        var sw = switchOn(rconIndex);
        for (int i = 1; i < RCON.length; i++) {
            final int c = RCON[i];
            sw.is(i, () -> rcon.set(Bits.lit(c, 8)));
        }
        sw.otherwise(() -> { });
        Bits t = core.xor(rotate.mux(Bits.cat(rcon, Bits.lit(0, 24)), Bits.lit(0, 32)));
        Bits w0 = word(group, 0).xor(t);
        Bits w1 = word(group, 1).xor(w0);
        Bits w2 = word(group, 2).xor(w1);
        Bits w3 = word(group, 3).xor(w2);
        return Bits.cat(w0, w1, w2, w3);
    }

    /** The result on {@code out} while done; the next block taken when idle or as the result leaves. */
    private void handshake(Bool busy, Bool done, Bits state, Bits tag) {
        in.ready.set(busy.not().or(done.and(out.ready)));
        out.valid.set(done);
        out.payload.block.set(state);
        out.payload.tag.set(tag);
        when(out.fire(), () -> {
            done.set(false);
            busy.set(false);
        });
    }
}
