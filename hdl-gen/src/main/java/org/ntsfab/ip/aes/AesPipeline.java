package org.ntsfab.ip.aes;

import org.ntsfab.hdl.Bits;
import org.ntsfab.hdl.Bool;
import org.ntsfab.hdl.Bundle;
import org.ntsfab.hdl.Stream;

/**
 * AES encryption (FIPS-197) as a pipeline that takes a new, independent block with its own key
 * every cycle: AES-128 (10 rounds) or AES-256 (14 rounds), the key schedule computed on the fly
 * beside the data, so consecutive blocks may use unrelated keys (what interleaving many CMAC and
 * CTR chains of different packets needs). A register stage after every {@code roundsPerStage}
 * rounds (and after the last): latency = ceil(rounds / roundsPerStage) cycles. A {@code tag} of any
 * width travels with each block (which chain, which packet). The whole pipeline stalls when the
 * output is not taken (a full pipeline with an idle sink holds its blocks). At one round per stage
 * AES-256's round key is a register (the low half of the registered eight-word window) and its key
 * schedule (S-box, then the four-word xor) only feeds the next window register, so a stage is no
 * deeper than AES-128's, whose round key is expanded in the stage it is added (8 Xilinx levels
 * each; AES-256 at two rounds per stage chains two expansions, 10).
 */
public final class AesPipeline extends AesRoundLogic {
    /**
     * The {@code keyBits} of a combined pipeline: AES-128 and AES-256 blocks mixed, each with its own {@link
     * Request#aes256} flag (the NTS core's AEAD 15 and AEAD 17 work on one pipeline, issue 18). Its key is 256 bits: an
     * AES-128 key in the high half (the low half is not read).
     */
    public static final int MIXED = 0;

    /** The width of the key field for {@code keyBits} (128, 256 or {@link #MIXED}). */
    public static int keyWidth(int keyBits) {
        return keyBits == MIXED ? 256 : keyBits;
    }

    /** One block to encrypt. */
    public static final class Request extends Bundle {
        public final Bits key;
        /** Only in a {@link #MIXED} pipeline: the block is AES-256's (else AES-128's, its key in the key's high half). */
        public final Bool aes256;
        public final Bits block = new Bits(128);
        public final Bits tag;

        public Request(int keyBits, int tagBits) {
            key = new Bits(keyWidth(keyBits));
            aes256 = keyBits == MIXED ? new Bool() : null;
            tag = new Bits(tagBits);
        }
    }

    /** The encrypted block and its tag. */
    public static final class Result extends Bundle {
        public final Bits block = new Bits(128);
        public final Bits tag;

        public Result(int tagBits) {
            tag = new Bits(tagBits);
        }
    }

    public final Stream<Request> in;
    public final Stream<Result> out;
    public final int latency;

    public AesPipeline(int keyBits, int roundsPerStage, int tagBits) {
        if (keyBits == MIXED) {
            if (roundsPerStage != 1) throw new IllegalArgumentException("the combined pipeline has one round per stage");
            moduleName("aes_mixed_pipeline_s15_t" + tagBits);
            in = slave(new Stream<>(new Request(MIXED, tagBits)));
            out = master(new Stream<>(new Result(tagBits)));
            latency = mixed(tagBits);
            return;
        }
        if (keyBits != 128 && keyBits != 256) throw new IllegalArgumentException("AES-128 or AES-256");
        if (roundsPerStage < 1 || roundsPerStage > 14) throw new IllegalArgumentException("1..14 rounds per stage");
        int nr = keyBits == 128 ? 10 : 14, nk = keyBits / 32;
        int stages = (nr + roundsPerStage - 1) / roundsPerStage;
        latency = stages;
        moduleName("aes" + keyBits + "_pipeline_s" + stages + "_t" + tagBits);
        in = slave(new Stream<>(new Request(keyBits, tagBits)));
        out = master(new Stream<>(new Result(tagBits)));

        Bool[] valid = new Bool[stages];
        for (int k = 0; k < stages; k++) valid[k] = regInit(new Bool(), 0).named("stage" + (k + 1) + "_valid_reg");
        Bool advance = let("advance", valid[stages - 1].not().or(out.ready));
        in.ready.set(advance);

        Bits state = let("round0_state", in.payload.block.xor(in.payload.key.slice(keyBits - 1, keyBits - 128)));
        Bits window = in.payload.key;
        Bits tag = in.payload.tag;
        Bool v = in.valid;
        int stage = 0;
        for (int r = 1; r <= nr; r++) {
            Bits rk;
            Bits nextWindow;
            if (nk == 4) {
                rk = expand(window, 4, 4 * r);
                nextWindow = rk;
            } else {
                rk = window.slice(127, 0);
                nextWindow = r < nr ? Bits.cat(rk, expand(window, 8, 4 * (r + 1))) : window;
            }
            state = round(state, r == nr).xor(rk);
            if (r % roundsPerStage == 0 || r == nr) {
                final int k = stage;
                Bits sReg = reg(new Bits(128)).named("stage" + (k + 1) + "_state_reg");
                Bits tReg = reg(new Bits(tagBits)).named("stage" + (k + 1) + "_tag_reg");
                Bits wReg = r < nr ? reg(new Bits(keyBits)).named("stage" + (k + 1) + "_key_reg") : null;
                final Bits sIn = state, tIn = tag, wIn = nextWindow;
                final Bool vIn = v;
                when(advance, () -> {
                    valid[k].set(vIn);
                    sReg.set(sIn);
                    tReg.set(tIn);
                    if (wReg != null) wReg.set(wIn);
                });
                state = sReg;
                tag = tReg;
                window = wReg;
                v = valid[k];
                stage++;
            } else {
                window = nextWindow;
            }
        }
        out.valid.set(valid[stages - 1]);
        out.payload.block.set(state);
        out.payload.tag.set(tag);
    }

    /**
     * The combined pipeline: an input stage, then fourteen rounds, one per stage. The registered window holds the round
     * key of its stage's round in its low half for both kinds, so a round's state path is AES-256's and the kind chooses
     * only the next window (AES-256's schedule, or AES-128's from the round key, which AES-128's input stage expands
     * once). An AES-128 block takes its last round at stage 10 and passes stages 11-14 unchanged: every block leaves
     * after 15 cycles, in order.
     */
    private int mixed(int tagBits) {
        int stages = 15;
        Bool[] valid = new Bool[stages];
        for (int k = 0; k < stages; k++) valid[k] = regInit(new Bool(), 0).named("stage" + k + "_valid_reg");
        Bool advance = let("advance", valid[stages - 1].not().or(out.ready));
        in.ready.set(advance);
        Bits hi = in.payload.key.slice(255, 128);
        Bits state = reg(new Bits(128)).named("stage0_state_reg");
        Bits window = reg(new Bits(256)).named("stage0_key_reg");
        Bool wide = reg(new Bool()).named("stage0_aes256_reg");
        Bits tag = reg(new Bits(tagBits)).named("stage0_tag_reg");
        {
            Bits s0 = in.payload.block.xor(hi);
            Bits w0 = in.payload.aes256.mux(in.payload.key, Bits.cat(hi, expand(hi, 4, 4)));
            Bits wIn = state, w = window, t = tag;
            Bool a = wide;
            when(advance, () -> {
                valid[0].set(in.valid);
                wIn.set(s0);
                w.set(w0);
                t.set(in.payload.tag);
                a.set(in.payload.aes256);
            });
        }
        for (int r = 1; r <= 14; r++) {
            Bits rk = window.slice(127, 0);
            // SubBytes and ShiftRows once; MixColumns unless the round is the last of its kind
            Bits sub = let("round" + r + "_shifted", shiftRows(subBytes(state)));
            Bits full = (r == 14 ? sub : mixColumns(sub)).xor(rk);
            Bits next;
            if (r < 10) next = r < 14 ? Bits.cat(rk, wide.mux(expand(window, 8, 4 * (r + 1)), expand(rk, 4, 4 * (r + 1)))) : null;
            else next = r < 14 ? Bits.cat(rk, expand(window, 8, 4 * (r + 1))) : null;
            Bits after;
            if (r < 10) after = full;
            else if (r == 10) after = wide.mux(full, sub.xor(rk));
            else after = wide.mux(full, state);
            final int k = r;
            Bits sReg = reg(new Bits(128)).named("stage" + k + "_state_reg");
            Bits tReg = reg(new Bits(tagBits)).named("stage" + k + "_tag_reg");
            Bool aReg = r < 14 ? reg(new Bool()).named("stage" + k + "_aes256_reg") : null;
            Bits wReg = r < 14 ? reg(new Bits(256)).named("stage" + k + "_key_reg") : null;
            final Bits sIn = after, tIn = tag, wIn = next;
            final Bool vIn = valid[r - 1], aIn = wide;
            when(advance, () -> {
                valid[k].set(vIn);
                sReg.set(sIn);
                tReg.set(tIn);
                if (aReg != null) aReg.set(aIn);
                if (wReg != null) wReg.set(wIn);
            });
            state = sReg;
            tag = tReg;
            window = wReg;
            wide = aReg;
        }
        out.valid.set(valid[stages - 1]);
        out.payload.block.set(state);
        out.payload.tag.set(tag);
        return stages;
    }
}
