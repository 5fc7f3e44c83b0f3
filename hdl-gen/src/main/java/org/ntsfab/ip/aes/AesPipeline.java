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
    /** One block to encrypt. */
    public static final class Request extends Bundle {
        public final Bits key;
        public final Bits block = new Bits(128);
        public final Bits tag;

        public Request(int keyBits, int tagBits) {
            key = new Bits(keyBits);
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
}
