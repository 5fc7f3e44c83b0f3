package org.ntsfab.ip.aes;

import org.ntsfab.hdl.Bits;
import org.ntsfab.hdl.Bool;
import org.ntsfab.hdl.Bundle;
import org.ntsfab.hdl.Fsm;
import org.ntsfab.hdl.Mem;
import org.ntsfab.hdl.Stream;
import org.ntsfab.hdl.UInt;

/**
 * AES-SIV (RFC 5297) seal and open, one operation at a time with one AES block in flight: the
 * reference unit of the NTS engine (AEAD 15 with {@code keyBits} = 128, i.e. AES-SIV-CMAC-256;
 * AEAD 17 with 256, AES-SIV-CMAC-512). The S2V and CTR steps run in the order RFC 5297 gives; the
 * plaintext's CMAC lags two words behind the input so that the "xorend" of the last 16 bytes needs
 * no length in advance.
 *
 * <p>Protocol: a command ({@code open}, key K1‖K2, and for open the tag V to check) is taken when the
 * unit is idle; then the message arrives on {@code msg} as 16-byte words, first every associated-data
 * component (the nonce is the last one), then the plaintext (seal) or ciphertext (open) as one
 * segment marked {@code plain}; every segment has at least one word ({@code bytes} = 0 for an empty
 * one), {@code seg_last} ends a segment, {@code msg_last} the message. Output words on {@code out}:
 * seal — V, then the ciphertext words; open — the plaintext words (a single zero-byte word when
 * empty), {@code ok} valid with {@code last}. Up to {@code maxWords} plaintext words (seal buffers
 * them for the CTR pass).
 */
public final class AesSivUnit extends AesRoundLogic {
    public static final class Command extends Bundle {
        public final Bool open = new Bool();
        public final Bits key;
        public final Bits tag = new Bits(128);

        public Command(int keyBits) {
            key = new Bits(2 * keyBits);
        }
    }

    public static final class Word extends Bundle {
        public final Bits data = new Bits(128);
        public final UInt bytes = new UInt(5);
        public final Bool seg_last = new Bool();
        public final Bool plain = new Bool();
        public final Bool msg_last = new Bool();
    }

    public static final class OutWord extends Bundle {
        public final Bits data = new Bits(128);
        public final UInt bytes = new UInt(5);
        public final Bool last = new Bool();
        public final Bool ok = new Bool();
    }

    public final Stream<Command> cmd;
    public final Stream<Word> msg;
    public final Stream<OutWord> out;
    /** With {@link Aes#EXTERNAL}: the unit's AES blocks (one in flight; the tag is unused), and their results. */
    public final Stream<AesPipeline.Request> aes_req;
    public final Stream<AesPipeline.Result> aes_res;

    /** Where the unit's AES runs: its own iterative core, its own pipeline, or outside (a core shared with other units). */
    public enum Aes { ITERATIVE, PIPELINED, EXTERNAL }

    public AesSivUnit(int keyBits, int maxWords, boolean pipelined) {
        this(keyBits, maxWords, pipelined ? Aes.PIPELINED : Aes.ITERATIVE);
    }

    public AesSivUnit(int keyBits, int maxWords, Aes aes) {
        if (Integer.bitCount(maxWords) != 1) throw new IllegalArgumentException("maxWords: a power of two");
        int wb = Integer.numberOfTrailingZeros(maxWords);
        String kind = aes == Aes.PIPELINED ? "_p" : aes == Aes.ITERATIVE ? "_i" : "_x";
        moduleName("aes_siv" + 2 * keyBits + "_unit" + kind + (maxWords == 64 ? "" : "_w" + maxWords));
        cmd = slave(new Stream<>(new Command(keyBits)));
        msg = slave(new Stream<>(new Word()));
        out = master(new Stream<>(new OutWord()));
        Stream<AesPipeline.Request> aesIn;
        Stream<AesPipeline.Result> aesOut;
        if (aes == Aes.EXTERNAL) {
            aes_req = master(new Stream<>(new AesPipeline.Request(keyBits, 1)));
            aes_res = slave(new Stream<>(new AesPipeline.Result(1)));
            aesIn = aes_req;
            aesOut = aes_res;
        } else if (aes == Aes.PIPELINED) {
            aes_req = null;
            aes_res = null;
            AesPipeline p = add("aes", new AesPipeline(keyBits, 1, 1));
            aesIn = p.in;
            aesOut = p.out;
        } else {
            aes_req = null;
            aes_res = null;
            AesIterative p = add("aes", new AesIterative(keyBits, 1));
            aesIn = p.in;
            aesOut = p.out;
        }

        Bool open = reg(new Bool()).named("open_reg");
        Bits k1 = reg(new Bits(keyBits)).named("k1_reg");
        Bits k2 = reg(new Bits(keyBits)).named("k2_reg");
        Bits vIn = reg(new Bits(128)).named("v_in_reg");
        Bits sub1 = reg(new Bits(128)).named("subkey1_reg");
        Bits d = reg(new Bits(128)).named("d_reg");
        Bits x = reg(new Bits(128)).named("chain_reg");
        Bool segFirst = reg(new Bool()).named("seg_first_reg");
        Bool chainFirst = reg(new Bool()).named("p_chain_first_reg");
        // the word being handled
        Bits w = reg(new Bits(128)).named("word_reg");
        UInt wBytes = reg(new UInt(5)).named("word_bytes_reg");
        Bool wSegLast = reg(new Bool()).named("word_seg_last_reg");
        Bool wPlain = reg(new Bool()).named("word_plain_reg");
        Bool wMsgLast = reg(new Bool()).named("word_msg_last_reg");
        // plaintext words held back for the xorend
        Bits h0 = reg(new Bits(128)).named("held0_reg");
        Bits h1 = reg(new Bits(128)).named("held1_reg");
        UInt held = reg(new UInt(2)).named("held_reg");
        UInt nWords = reg(new UInt(wb + 1)).named("p_words_reg");
        UInt lastBytes = reg(new UInt(5)).named("p_last_bytes_reg");
        Bits q = reg(new Bits(128)).named("ctr_reg");
        UInt ci = reg(new UInt(wb + 1)).named("ctr_index_reg");
        Bits outData = reg(new Bits(128)).named("out_data_reg");
        UInt outBytes = reg(new UInt(5)).named("out_bytes_reg");
        Bool ok = reg(new Bool()).named("ok_reg");
        Mem buf = mem(128, maxWords).named("plain_buf");

        enum SivState { IDLE, L, WAIT_L, ZERO, WAIT_ZERO, WORD, DISPATCH, WAIT_AD, WAIT_KS, EMIT_P, PLAIN, WAIT_LAG, FIN, WAIT_F1, FIN2, WAIT_V, OUT_V, CTR, WAIT_CTR, OUT_C, OUT_END }

        Fsm<SivState> f = new Fsm<>(this, "siv_state", SivState.class);
        Bits sub2 = AesCmacEngine.dbl(sub1);
        Bits resBlock = aesOut.payload.block;
        Bool res = aesOut.valid;
        aesOut.ready.set(true);

        // the blocks each issuing state sends, and under which key (K1 for S2V, K2 for CTR)
        Bits chainIn = segFirst.mux(Bits.lit(0, 128), x);
        Bits adBlock = chainIn.xor(wSegLast.mux(lastBlock(w, wBytes, sub1, sub2), w));
        Bits ctrBlock = q;
        Bits pChainIn = chainFirst.mux(Bits.lit(0, 128), x);
        Bits dbl = AesCmacEngine.dbl(d);
        // n == 1: T = dbl(D) xor pad(P) when shorter than 16 bytes, else P xor D; one complete block
        Bits single = lastBytes.lt(16).mux(dbl.xor(AesCmacEngine.pad(h0, lastBytes)), h0.xor(d)).xor(sub1);
        // n >= 2: xorend over the last 16 bytes (the held pair), then the chain
        UInt shift0 = let("xorend_shift0", UInt.cat(lastBytes, UInt.lit(0, 3)));
        UInt shift1 = let("xorend_shift1", UInt.cat(UInt.lit(16, 5).minus(lastBytes), UInt.lit(0, 3)));
        Bits h0x = h0.xor(lastBytes.eq(16).mux(Bits.lit(0, 128), d.shr(shift0)));
        Bits h1x = mask(h1, lastBytes).xor(d.shl(shift1));
        Bool issueS2vKey = f.is(SivState.L).or(f.is(SivState.ZERO)).or(f.is(SivState.DISPATCH).and(wPlain.not())).or(f.is(SivState.PLAIN).and(held.eq(2)))
                .or(f.is(SivState.FIN)).or(f.is(SivState.FIN2));
        Bool issueCtrKey = f.is(SivState.DISPATCH).and(wPlain).and(open).or(f.is(SivState.CTR));
        Bits block = f.is(SivState.L).mux(Bits.lit(0, 128), f.is(SivState.ZERO).mux(sub1, f.is(SivState.DISPATCH).mux(wPlain.mux(ctrBlock, adBlock),
                f.is(SivState.PLAIN).mux(pChainIn.xor(h0), f.is(SivState.FIN).mux(nWords.eq(1).mux(single, pChainIn.xor(h0x)),
                f.is(SivState.FIN2).mux(x.xor(lastBlock(h1x, lastBytes, sub1, sub2)), ctrBlock))))));
        aesIn.valid.set(issueS2vKey.or(issueCtrKey));
        aesIn.payload.key.set(issueCtrKey.mux(k2, k1));
        aesIn.payload.block.set(block);
        aesIn.payload.tag.set(Bits.lit(0, 1));
        Bool issued = aesIn.fire();

        cmd.ready.set(f.is(SivState.IDLE));
        msg.ready.set(f.is(SivState.WORD));
        Bits bufRead = buf.readAsync(ci.trunc(wb));
        buf.write(nWords.trunc(wb), w, f.is(SivState.DISPATCH).and(wPlain).and(open.not()));

        f.on(SivState.IDLE, () -> when(cmd.fire(), () -> {
            open.set(cmd.payload.open);
            k1.set(cmd.payload.key.slice(2 * keyBits - 1, keyBits));
            k2.set(cmd.payload.key.slice(keyBits - 1, 0));
            vIn.set(cmd.payload.tag);
            q.set(clearCtrBits(cmd.payload.tag));
            held.set(0);
            nWords.set(0);
            segFirst.set(true);
            chainFirst.set(true);
            f.goTo(SivState.L);
        }));
        f.on(SivState.L, () -> when(issued, () -> f.goTo(SivState.WAIT_L)));
        f.on(SivState.WAIT_L, () -> when(res, () -> {
            sub1.set(AesCmacEngine.dbl(resBlock));
            f.goTo(SivState.ZERO);
        }));
        f.on(SivState.ZERO, () -> when(issued, () -> f.goTo(SivState.WAIT_ZERO)));
        f.on(SivState.WAIT_ZERO, () -> when(res, () -> {
            d.set(resBlock);
            f.goTo(SivState.WORD);
        }));
        f.on(SivState.WORD, () -> when(msg.fire(), () -> {
            w.set(mask(msg.payload.data, msg.payload.bytes));
            wBytes.set(msg.payload.bytes);
            wSegLast.set(msg.payload.seg_last);
            wPlain.set(msg.payload.plain);
            wMsgLast.set(msg.payload.msg_last);
            f.goTo(SivState.DISPATCH);
        }));
        f.on(SivState.DISPATCH, () -> {
            when(wPlain.not(), () -> when(issued, () -> f.goTo(SivState.WAIT_AD)))
                    .elseWhen(open, () -> when(issued, () -> f.goTo(SivState.WAIT_KS)))
                    .otherwise(() -> f.goTo(SivState.PLAIN));
        });
        f.on(SivState.WAIT_AD, () -> when(res, () -> {
            when(wSegLast, () -> {
                d.set(AesCmacEngine.dbl(d).xor(resBlock));
                segFirst.set(true);
            }).otherwise(() -> {
                x.set(resBlock);
                segFirst.set(false);
            });
            f.goTo(SivState.WORD);
        }));
        // open: the plaintext word is the ciphertext word xor the key stream
        f.on(SivState.WAIT_KS, () -> when(res, () -> {
            Bits p = mask(w.xor(resBlock), wBytes);
            w.set(p);
            outData.set(p);
            outBytes.set(wBytes);
            q.set(q.asUInt().plus(1).asBits());
            when(wMsgLast, () -> f.goTo(SivState.PLAIN)).otherwise(() -> f.goTo(SivState.EMIT_P));
        }));
        f.on(SivState.EMIT_P, () -> when(out.fire(), () -> f.goTo(SivState.PLAIN)));
        // the plaintext CMAC chain, two words behind
        f.on(SivState.PLAIN, () -> {
            when(held.eq(2), () -> when(issued, () -> f.goTo(SivState.WAIT_LAG))).otherwise(() -> {
                when(held.eq(0), () -> h0.set(w)).otherwise(() -> h1.set(w));
                held.set(held.plus(1));
                nWords.set(nWords.plus(1));
                lastBytes.set(wBytes);
                when(wMsgLast, () -> f.goTo(SivState.FIN)).otherwise(() -> f.goTo(SivState.WORD));
            });
        });
        f.on(SivState.WAIT_LAG, () -> when(res, () -> {
            x.set(resBlock);
            chainFirst.set(false);
            h0.set(h1);
            held.set(1);
            f.goTo(SivState.PLAIN);
        }));
        f.on(SivState.FIN, () -> when(issued, () -> when(nWords.eq(1), () -> f.goTo(SivState.WAIT_V)).otherwise(() -> f.goTo(SivState.WAIT_F1))));
        f.on(SivState.WAIT_F1, () -> when(res, () -> {
            x.set(resBlock);
            f.goTo(SivState.FIN2);
        }));
        f.on(SivState.FIN2, () -> when(issued, () -> f.goTo(SivState.WAIT_V)));
        f.on(SivState.WAIT_V, () -> when(res, () -> {
            when(open, () -> {
                ok.set(resBlock.eq(vIn));
                f.goTo(SivState.OUT_END);
            }).otherwise(() -> {
                outData.set(resBlock);
                q.set(clearCtrBits(resBlock));
                ci.set(0);
                f.goTo(SivState.OUT_V);
            });
        }));
        Bool pEmpty = let("plain_empty", nWords.eq(1).and(lastBytes.eq(0)));
        f.on(SivState.OUT_V, () -> when(out.fire(), () -> when(pEmpty, () -> f.goTo(SivState.IDLE)).otherwise(() -> f.goTo(SivState.CTR))));
        f.on(SivState.CTR, () -> when(issued, () -> f.goTo(SivState.WAIT_CTR)));
        Bool lastC = let("last_ciphertext_word", ci.plus(1).eq(nWords));
        UInt cBytes = lastC.mux(lastBytes, UInt.lit(16, 5));
        f.on(SivState.WAIT_CTR, () -> when(res, () -> {
            outData.set(mask(bufRead.xor(resBlock), cBytes));
            outBytes.set(cBytes);
            q.set(q.asUInt().plus(1).asBits());
            f.goTo(SivState.OUT_C);
        }));
        f.on(SivState.OUT_C, () -> when(out.fire(), () -> {
            ci.set(ci.plus(1));
            when(lastC, () -> f.goTo(SivState.IDLE)).otherwise(() -> f.goTo(SivState.CTR));
        }));
        f.on(SivState.OUT_END, () -> when(out.fire(), () -> f.goTo(SivState.IDLE)));

        out.valid.set(f.is(SivState.EMIT_P).or(f.is(SivState.OUT_V)).or(f.is(SivState.OUT_C)).or(f.is(SivState.OUT_END)));
        out.payload.data.set(f.is(SivState.OUT_END).mux(mask(w, lastBytes), outData));
        out.payload.bytes.set(f.is(SivState.OUT_V).mux(UInt.lit(16, 5), f.is(SivState.OUT_END).mux(lastBytes, outBytes)));
        out.payload.last.set(f.is(SivState.OUT_END).or(f.is(SivState.OUT_C).and(lastC)).or(f.is(SivState.OUT_V).and(pEmpty)));
        out.payload.ok.set(ok.and(f.is(SivState.OUT_END)));
    }

    /** The CMAC last block: complete → xor K1; else padded → xor K2. */
    private static Bits lastBlock(Bits data, UInt bytes, Bits sub1, Bits sub2) {
        return bytes.eq(16).mux(data.xor(sub1), AesCmacEngine.pad(data, bytes).xor(sub2));
    }

    /** The first {@code bytes} bytes of {@code v}, the rest zero. */
    static Bits mask(Bits v, UInt bytes) {
        java.util.List<Bits> out = new java.util.ArrayList<>();
        for (int i = 0; i < 16; i++) out.add(bytes.gt(i).mux(v.part(8 * (15 - i), 8), Bits.lit(0, 8)));
        return Bits.cat(out);
    }

    /** RFC 5297 §2.6: Q = V with bits 63 and 31 (from the right) cleared. */
    private static Bits clearCtrBits(Bits v) {
        return v.and(Bits.lit(new java.math.BigInteger("ffffffffffffffff7fffffff7fffffff", 16), 128));
    }
}
