package org.ntsfab.ip.aes;

import java.util.ArrayList;
import java.util.List;
import org.ntsfab.hdl.Bits;
import org.ntsfab.hdl.Bool;
import org.ntsfab.hdl.Bundle;
import org.ntsfab.hdl.Component;
import org.ntsfab.hdl.Stream;
import org.ntsfab.hdl.UInt;
import org.ntsfab.hdl.lib.RoundRobin;

/**
 * Many AES-CMAC chains (RFC 4493) at once on one {@link AesPipeline}: each of {@code slots} chains
 * holds its own key, subkey and running value, and every cycle one chain whose next block is
 * waiting and whose previous block has come back issues into the pipeline, so with at least as many
 * busy chains as the pipeline is deep it takes a block every cycle.
 *
 * <p>Blocks arrive on {@code blk} tagged with their chain ({@code slot}): {@code first} starts a
 * message (with {@code new_key}, the chain first computes L = AES(key, 0) and its subkeys; without,
 * it keeps those of its previous message under the same key, as S2V's several CMACs under one key
 * do), {@code last} ends it with {@code bytes} (0..16) valid bytes, padded and keyed with K2 when
 * fewer than 16 (an empty message is one last block of 0 bytes). A block for a chain that still has
 * one waiting is held at the head of {@code blk} until the chain takes it, so feeders should rotate
 * over chains. Each message's MAC leaves on {@code mac} with its slot.
 */
public final class AesCmacEngine extends Component {
    public static final class Block extends Bundle {
        public final UInt slot;
        public final Bits key;
        public final Bits data = new Bits(128);
        public final Bool first = new Bool();
        public final Bool new_key = new Bool();
        public final Bool last = new Bool();
        public final UInt bytes = new UInt(5);

        public Block(int slotBits, int keyBits) {
            slot = new UInt(slotBits);
            key = new Bits(keyBits);
        }
    }

    public static final class Mac extends Bundle {
        public final UInt slot;
        public final Bits tag = new Bits(128);

        public Mac(int slotBits) {
            slot = new UInt(slotBits);
        }
    }

    public final Stream<Block> blk;
    public final Stream<Mac> mac;
    public final AesPipeline aes;
    /** High in every cycle a block enters the AES pipeline (for utilization measurements). */
    public final Bool aes_issue;

    public AesCmacEngine(int keyBits, int slots, int roundsPerStage) {
        if (slots < 2 || Integer.bitCount(slots) != 1) throw new IllegalArgumentException("slots: a power of two >= 2");
        int sb = Integer.numberOfTrailingZeros(slots);
        moduleName("aes" + keyBits + "_cmac_engine_" + slots + (roundsPerStage == 1 ? "" : "_r" + roundsPerStage));
        blk = slave(new Stream<>(new Block(sb, keyBits)));
        mac = master(new Stream<>(new Mac(sb)));
        aes_issue = out(new Bool());
        // tag: slot, and whether the result is L (subkey derivation) or a message's last block
        aes = add(new AesPipeline(keyBits, roundsPerStage, sb + 2));

        List<Bits> key = new ArrayList<>(), x = new ArrayList<>(), k1 = new ArrayList<>(), pData = new ArrayList<>();
        List<Bool> needL = new ArrayList<>(), inFlight = new ArrayList<>(), pending = new ArrayList<>(), pLast = new ArrayList<>(),
                pFirst = new ArrayList<>();
        List<UInt> pBytes = new ArrayList<>();
        for (int s = 0; s < slots; s++) {
            key.add(reg(new Bits(keyBits)).named("slot" + s + "_key_reg"));
            x.add(reg(new Bits(128)).named("slot" + s + "_x_reg"));
            k1.add(reg(new Bits(128)).named("slot" + s + "_k1_reg"));
            pData.add(reg(new Bits(128)).named("slot" + s + "_block_reg"));
            pBytes.add(reg(new UInt(5)).named("slot" + s + "_bytes_reg"));
            pLast.add(reg(new Bool()).named("slot" + s + "_last_reg"));
            pFirst.add(reg(new Bool()).named("slot" + s + "_first_reg"));
            needL.add(regInit(new Bool(), 0).named("slot" + s + "_need_l_reg"));
            inFlight.add(regInit(new Bool(), 0).named("slot" + s + "_in_flight_reg"));
            pending.add(regInit(new Bool(), 0).named("slot" + s + "_pending_reg"));
        }

        // ---- accept a block into its chain's waiting register ----------------------------------------
        UInt inSlot = blk.payload.slot;
        Bool slotFree = Bool.lit(false);
        for (int s = 0; s < slots; s++) slotFree = inSlot.eq(s).mux(pending.get(s).not(), slotFree);
        blk.ready.set(slotFree);

        // ---- results: L, or a chain value; the last block's value is the MAC ------------------------------
        Stream<AesPipeline.Result> res = aes.out;
        UInt rSlot = res.payload.tag.slice(sb - 1, 0).asUInt();
        Bool rIsL = res.payload.tag.bit(sb);
        Bool rIsLast = res.payload.tag.bit(sb + 1);
        mac.valid.set(res.valid.and(rIsLast));
        mac.payload.slot.set(rSlot);
        mac.payload.tag.set(res.payload.block);
        res.ready.set(rIsLast.not().or(mac.ready));

        // ---- issue: the first chain (after the last issued) with a block waiting and nothing in flight ----
        List<Bool> can = new ArrayList<>();
        for (int s = 0; s < slots; s++) can.add(let("slot" + s + "_can_issue", pending.get(s).and(inFlight.get(s).not())));
        UInt lastIssued = regInit(new UInt(sb), slots - 1).named("last_issued_reg");
        UInt pick = RoundRobin.next(can, lastIssued);
        UInt sel = let("issue_slot", pick);
        Bool anyCan = Bool.lit(false);
        for (Bool c : can) anyCan = anyCan.or(c);
        Bits selKey = key.get(0), selX = x.get(0), selK1 = k1.get(0), selData = pData.get(0);
        Bool selNeedL = needL.get(0), selLast = pLast.get(0), selFirst = pFirst.get(0);
        UInt selBytes = pBytes.get(0);
        for (int s = 1; s < slots; s++) {
            Bool h = sel.eq(s);
            selKey = h.mux(key.get(s), selKey);
            selX = h.mux(x.get(s), selX);
            selK1 = h.mux(k1.get(s), selK1);
            selData = h.mux(pData.get(s), selData);
            selNeedL = h.mux(needL.get(s), selNeedL);
            selLast = h.mux(pLast.get(s), selLast);
            selFirst = h.mux(pFirst.get(s), selFirst);
            selBytes = h.mux(pBytes.get(s), selBytes);
        }
        // the last block: complete → xor K1; else padded (10*) → xor K2 = dbl(K1)
        Bits k2 = dbl(selK1);
        Bits padded = pad(selData, selBytes);
        Bool complete = selBytes.eq(16);
        Bits lastBlock = complete.mux(selData.xor(selK1), padded.xor(k2));
        Bits chainIn = selFirst.mux(Bits.lit(0, 128), selX);
        Bits block = selNeedL.mux(Bits.lit(0, 128), chainIn.xor(selLast.mux(lastBlock, selData)));
        Bool issue = let("issue", anyCan.and(aes.in.ready));
        aes.in.valid.set(anyCan);
        aes.in.payload.key.set(selKey);
        aes.in.payload.block.set(block);
        aes.in.payload.tag.set(Bits.cat(selLast.and(selNeedL.not()), selNeedL, sel.asBits()));
        aes_issue.set(issue);
        when(issue, () -> lastIssued.set(sel));

        for (int s = 0; s < slots; s++) {
            final int ss = s;
            Bool issuedHere = issue.and(sel.eq(s));
            Bool resultHere = res.fire().and(rSlot.eq(s));
            Bool acceptHere = blk.fire().and(inSlot.eq(s));
            // a block issued: the waiting register is consumed unless it was the L computation
            when(issuedHere, () -> {
                inFlight.get(ss).set(true);
                when(needL.get(ss).not(), () -> pending.get(ss).set(false));
            });
            when(resultHere, () -> {
                inFlight.get(ss).set(false);
                when(rIsL, () -> {
                    k1.get(ss).set(dbl(res.payload.block));
                    needL.get(ss).set(false);
                }).otherwise(() -> x.get(ss).set(res.payload.block));
            });
            when(acceptHere, () -> {
                pending.get(ss).set(true);
                pData.get(ss).set(blk.payload.data);
                pBytes.get(ss).set(blk.payload.bytes);
                pLast.get(ss).set(blk.payload.last);
                pFirst.get(ss).set(blk.payload.first);
                when(blk.payload.first.and(blk.payload.new_key), () -> {
                    key.get(ss).set(blk.payload.key);
                    needL.get(ss).set(true);
                });
            });
        }
    }

    /** Doubling in GF(2^128) (RFC 4493 subkeys, RFC 5297 dbl). */
    static Bits dbl(Bits v) {
        Bits shifted = Bits.cat(v.slice(126, 0), Bits.lit(0, 1));
        return v.bit(127).mux(shifted.xor(Bits.lit(0x87, 128)), shifted);
    }

    /** The first {@code bytes} bytes of {@code v}, then 0x80, then zeros (for bytes < 16). */
    static Bits pad(Bits v, UInt bytes) {
        List<Bits> out = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            Bits b = v.part(8 * (15 - i), 8);
            out.add(bytes.gt(i).mux(b, bytes.eq(i).mux(Bits.lit(0x80, 8), Bits.lit(0, 8))));
        }
        return Bits.cat(out);
    }
}
