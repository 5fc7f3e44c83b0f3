package org.ntsfab.ip.aes;

import java.util.ArrayList;
import java.util.List;
import org.ntsfab.hdl.Bits;
import org.ntsfab.hdl.Bool;
import org.ntsfab.hdl.Bundle;
import org.ntsfab.hdl.Component;
import org.ntsfab.hdl.Mem;
import org.ntsfab.hdl.Stream;
import org.ntsfab.hdl.UInt;
import org.ntsfab.hdl.lib.StreamFifo;

/**
 * The NTS core's AES block service (docs/nts-core.md §3): {@code lanes} independent chains of AES blocks on one
 * key-agile AES-128 or AES-256 pipeline ({@link AesPipeline}, outside: {@code aes_req}/{@code aes_res}, so the core chooses and
 * shares its pipelines), their state in memory rather than flip-flops, so the number of requests in flight costs RAM,
 * not logic. A lane is one CMAC chain (RFC 4493, the MACs of S2V, RFC 5297) or a run of independent blocks
 * (CTR, the nonces, a key's L = AES(K, 0)).
 *
 * <p>The blocks' data is in the core's word memory ({@code data_wr}: 32-bit words, byte 0 of a word its most
 * significant; four banks, so 16 bytes at any word address are one read), the keys and their CMAC subkey K1 in a key
 * memory ({@code key_wr}: K1 = dbl(AES(K, 0)), computed once per key by its owner, e.g. with an {@code ecb} block). A
 * command ({@code cmd}) names a lane, a key entry and the data's word address; the block is the memory's 16 bytes, of
 * which {@code bytes} are kept (the rest zero, or 10* with {@code pad}), xored with {@code mask} and with the subkey
 * {@code sub} (none, K1 or K2 = dbl(K1)). With {@code ecb} it is encrypted as it is and the result leaves on {@code
 * res} ({@code xor_out}: the block encrypted is the mask, a CTR counter, and the result leaves xored with the kept
 * memory bytes: CTR's ciphertext or plaintext); else it continues the lane's CMAC (chain value 0 with {@code first}),
 * and with {@code last} the MAC leaves on {@code res}. So RFC 4493's last block is {@code bytes} = its length, {@code
 * pad} and K2 when shorter than 16, K1 when complete; S2V's xorend and dbl(D) xor pad(Sn) are masks. Each lane holds one command
 * waiting and one block in flight: a command for a lane that has one waiting is held at the head of {@code cmd}. A lane
 * runs one message at a time; its ECB blocks may come between them (they leave the chain value alone).
 *
 * <p>Every cycle the next lane in round-robin order with a command waiting and nothing in flight issues (the grant is
 * the lowest set bit of the masked request vector, a carry-chain operation, so 32 or 64 lanes stay within the level
 * budget); its descriptor and chain value are read from lane memory, then its data and key, the block is composed
 * and enters the pipeline: four register stages before AES. With at least as many busy lanes as the issue path and
 * pipeline are deep, it takes a block every cycle. The pipeline is never stalled ({@code aes_res} is always taken; a
 * pipeline that takes a block whenever its output is taken, as {@link AesPipeline} does, so never waits): results that
 * leave go into a FIFO of {@link #RESULTS} entries, and a lane is granted only while the blocks issued and not yet
 * returned, with the FIFO's entries, leave room (a credit count), so a slow {@code res} holds the grants, not a
 * stall signal through the pipeline.
 */
public final class AesLanes extends Component {
    public static final class Cmd extends Bundle {
        public final UInt lane, key, addr;
        /** Data bytes of the block taken from memory (0..16); the rest zero, or 0x80 then zero with {@code pad}. */
        public final UInt bytes = new UInt(5);
        public final Bool first = new Bool(), last = new Bool(), ecb = new Bool(), pad = new Bool();
        /** The CMAC subkey xored in: {@link #SUB_NONE}, {@link #SUB_K1} or {@link #SUB_K2}. */
        public final UInt sub = new UInt(2);
        /**
     * ECB only: the block encrypted is {@code mask} alone, and the result leaves xored with the kept memory bytes (CTR;
     * beyond {@code bytes}, the keystream as it is: the consumer writes only the bytes it asked for).
     */
        public final Bool xor_out = new Bool();
        /** Xored into the block (S2V's xorend and dbl(D), a CTR counter, a nonce's input). */
        public final Bits mask = new Bits(128);

        public Cmd(int laneBits, int keyBits, int addrBits) {
            lane = new UInt(laneBits);
            key = new UInt(keyBits);
            addr = new UInt(addrBits);
        }
    }

    public static final int SUB_NONE = 0, SUB_K1 = 1, SUB_K2 = 2;

    public static final class DataWrite extends Bundle {
        public final UInt addr;
        public final Bits data = new Bits(32);

        public DataWrite(int addrBits) {
            addr = new UInt(addrBits);
        }
    }

    /** Up to 16 bytes written at a word address ({@code bytes} of them, from the block's first). */
    public static final class BlockWrite extends Bundle {
        public final UInt addr;
        public final Bits data = new Bits(128);
        public final UInt bytes = new UInt(5);

        public BlockWrite(int addrBits) {
            addr = new UInt(addrBits);
        }
    }

    public static final class ReadReq extends Bundle {
        public final UInt addr;

        public ReadReq(int addrBits) {
            addr = new UInt(addrBits);
        }
    }

    public static final class ReadRes extends Bundle {
        public final Bits data = new Bits(128);
    }

    public static final class KeyWrite extends Bundle {
        public final UInt index;
        public final Bits key;
        /** Only for {@link AesPipeline#MIXED} lanes: the entry is an AES-256 key (else AES-128's, in the key's high half). */
        public final Bool aes256;
        public final Bits k1 = new Bits(128);

        public KeyWrite(int indexBits) {
            this(indexBits, 128);
        }

        public KeyWrite(int indexBits, int keyBits) {
            index = new UInt(indexBits);
            key = new Bits(AesPipeline.keyWidth(keyBits));
            aes256 = keyBits == AesPipeline.MIXED ? new Bool() : null;
        }
    }

    public static final class Res extends Bundle {
        public final UInt lane;
        public final Bits block = new Bits(128);
        public final Bool ecb = new Bool();

        public Res(int laneBits) {
            lane = new UInt(laneBits);
        }
    }

    public final Stream<DataWrite> data_wr;
    /** Block writes (the owner's CTR output); they take the banks' write ports before {@code data_wr}. */
    public final Stream<BlockWrite> blk_wr;
    public final Stream<KeyWrite> key_wr;
    /**
     * Reads of the memory's 16 bytes at a word address, in the cycles the issue path does not read it (one at a time:
     * a read takes three cycles to {@code rd_res}).
     */
    public final Stream<ReadReq> rd_req;
    public final Stream<ReadRes> rd_res;
    public final Stream<Cmd> cmd;
    public final Stream<Res> res;
    /** The pipeline: blocks with their key and a tag (lane, ECB, leaves), and their results in issue order. */
    public final Stream<AesPipeline.Request> aes_req;
    public final Stream<AesPipeline.Result> aes_res;
    /** Results that leave, buffered: also the most blocks issued and not yet taken from {@code res}. */
    public static final int RESULTS = 32;
    /** High in every cycle a block enters the AES pipeline (for utilization measurements). */
    public final Bool aes_issue;
    public final int lanes;
    /** 128, 256 or {@link AesPipeline#MIXED}: the AES of the lanes' blocks (the pipeline outside must be the same). */
    public final int keyBits;

    /**
     * @param lanes a power of two, 2..64
     * @param keys key entries, a power of two
     * @param dataWords 32-bit words of data memory, a multiple of 4 and a power of two
     */
    public AesLanes(int lanes, int keys, int dataWords) {
        this(128, lanes, keys, dataWords);
    }

    /**
     * @param keyBits 128 (AES-128 blocks: AES-SIV-CMAC-256), 256 (AES-256: AES-SIV-CMAC-512, AEAD 17) or {@link
     *     AesPipeline#MIXED} (each key entry says which: the NTS core's cookies and both AEADs)
     */
    public AesLanes(int keyBits, int lanes, int keys, int dataWords) {
        if (keyBits != 128 && keyBits != 256 && keyBits != AesPipeline.MIXED) throw new IllegalArgumentException("AES-128, AES-256 or mixed lanes");
        if (lanes < 2 || lanes > 64 || Integer.bitCount(lanes) != 1) throw new IllegalArgumentException("lanes: a power of two, 2..64");
        if (keys < 2 || Integer.bitCount(keys) != 1) throw new IllegalArgumentException("keys: a power of two >= 2");
        if (dataWords < 4 || Integer.bitCount(dataWords) != 1) throw new IllegalArgumentException("data words: a power of two >= 4");
        this.lanes = lanes;
        int lb = Integer.numberOfTrailingZeros(lanes), kb = Integer.numberOfTrailingZeros(keys), ab = Integer.numberOfTrailingZeros(dataWords);
        this.keyBits = keyBits;
        boolean mixed = keyBits == AesPipeline.MIXED;
        int kw = AesPipeline.keyWidth(keyBits), fb = mixed ? 1 : 0;
        moduleName("aes" + (mixed ? "_mixed" : keyBits) + "_lanes_" + lanes + (keys == 64 && dataWords == 1024 ? "" : "_k" + keys + "_w" + dataWords));
        data_wr = slave(new Stream<>(new DataWrite(ab)));
        blk_wr = slave(new Stream<>(new BlockWrite(ab)));
        key_wr = slave(new Stream<>(new KeyWrite(kb, keyBits)));
        rd_req = slave(new Stream<>(new ReadReq(ab)));
        rd_res = master(new Stream<>(new ReadRes()));
        cmd = slave(new Stream<>(new Cmd(lb, kb, ab)));
        res = master(new Stream<>(new Res(lb)));
        aes_issue = out(new Bool());
        aes_req = master(new Stream<>(new AesPipeline.Request(keyBits, lb + 3)));
        aes_res = slave(new Stream<>(new AesPipeline.Result(lb + 3)));

        // ---- memories: data in four banks, keys, lane descriptors and chain values --------------------------
        Mem[] bank = new Mem[4];
        for (int b = 0; b < 4; b++) bank[b] = mem(32, dataWords / 4).named("data_bank" + b);
        // an entry: the key, (mixed) its AES-256 flag, K1
        Mem keyMem = mem(kw + fb + 128, keys).named("key_mem");
        // the descriptor: mask, addr, key, bytes, sub, pad, xor_out, first, last, ecb (bit 0)
        int dEcb = 0, dLast = 1, dFirst = 2, dXorOut = 3, dPad = 4, dSub = 5, dBytes = 7, dKey = 12, dAddr = 12 + kb, dMask = 12 + kb + ab;
        Mem descMem = mem(dMask + 128, lanes).named("lane_cmd_mem");
        // the kept memory bytes of a lane's CTR block in flight, xored into its result
        Mem sideMem = mem(128, lanes).named("lane_ctr_data_mem");
        Mem chainMem = mem(128, lanes).named("lane_chain_mem");
        blk_wr.ready.set(Bool.lit(true));
        data_wr.ready.set(blk_wr.valid.not());
        key_wr.ready.set(Bool.lit(true));
        BlockWrite bw = blk_wr.payload;
        for (int b = 0; b < 4; b++) {
            // a block write's word i (0..3) is at addr + i, in bank (addr + i) % 4; byte m of it (m = 0 its most
            // significant) is the block's byte 4i + m, written if below bytes, in mask bit 3 - m
            BankWrite part = bankWrite(b, bw.addr, bw.data, bw.bytes);
            UInt row = part.row();
            Bits word = part.word(), byteMask = part.mask();
            Bool wordWrite = data_wr.valid.and(data_wr.payload.addr.slice(1, 0).eq(b));
            bank[b].write(blk_wr.valid.mux(row, data_wr.payload.addr.slice(ab - 1, 2)), blk_wr.valid.mux(word, data_wr.payload.data),
                    blk_wr.valid.and(byteMask.orReduce()).or(wordWrite), blk_wr.valid.mux(byteMask, Bits.lit(15, 4)));
        }
        keyMem.write(key_wr.payload.index, mixed ? Bits.cat(key_wr.payload.key, key_wr.payload.aes256, key_wr.payload.k1)
                : Bits.cat(key_wr.payload.key, key_wr.payload.k1), key_wr.valid);

        // ---- lane state: a command waiting, a block in flight ---------------------------------------------
        Bits pending = regInit(new Bits(lanes), 0).named("lane_pending_reg");
        Bits inFlight = regInit(new Bits(lanes), 0).named("lane_in_flight_reg");
        Bits pendingBit = pending.shr(cmd.payload.lane);
        Cmd c = cmd.payload;
        Bool s1Valid = regInit(new Bool(), 0).named("s1_valid_reg");
        UInt s1Lane = reg(new UInt(lb)).named("s1_lane_reg");
        // a lane's next command is written over its descriptor only once stage 1 has passed it on (stage 1 holds it
        // while the pipeline stalls)
        cmd.ready.set(pendingBit.bit(0).not().and(s1Valid.and(s1Lane.eq(c.lane)).not()));
        descMem.write(c.lane, Bits.cat(c.mask, c.addr, c.key, c.bytes, c.sub, c.pad, c.xor_out, c.first, c.last, c.ecb), cmd.fire());

        // credits: blocks granted and not yet returned, plus results waiting in the FIFO, stay within the FIFO; the issue
        // stages advance together with the pipeline's input (always ready with an output that is always taken)
        UInt credits = regInit(new UInt(Integer.numberOfTrailingZeros(RESULTS) + 1), 0).named("issued_blocks_reg");
        Bool go = let("issue_advance", aes_req.ready);
        Bool room = let("credit_available", credits.lt(RESULTS));

        // ---- pick (stage 0): round robin as the lowest set bit above the last grant, else the lowest -------
        Bits request = let("lane_request", pending.and(inFlight.not()));
        Bits above = regInit(new Bits(lanes), 0).named("grant_mask_reg");  // lanes after the last grant
        Bits masked = let("lane_request_masked", request.and(above));
        // x and -x: the lowest set bit is x & -x, the bits from it up x | -x (one negation for both)
        Bits negMasked = let("lane_request_masked_neg", UInt.lit(0, lanes).minus(masked.asUInt()).asBits());
        Bits negAll = let("lane_request_neg", UInt.lit(0, lanes).minus(request.asUInt()).asBits());
        Bits grantMasked = masked.and(negMasked);
        Bits grantAll = request.and(negAll);
        Bool mayGrant = let("lane_may_grant", go.and(room));
        Bits grant = let("lane_grant", masked.orReduce().mux(grantMasked, grantAll).and(Bits.repeat(mayGrant, lanes)));
        Bool granted = let("lane_granted", request.orReduce().and(mayGrant));
        Bits accepted = let("lane_accepted", Bits.repeat(cmd.fire(), lanes).and(Bits.lit(1, lanes).shl(c.lane)));
        // mask: every lane above the grant, (x | -x) without x's lowest set bit, from the same negation as the pick (a second
        // subtraction, from the grant, was one carry chain too many for the level budget)
        Bits aboveMasked = masked.or(negMasked).xor(grantMasked), aboveAll = request.or(negAll).xor(grantAll);
        when(granted, () -> above.set(masked.orReduce().mux(aboveMasked, aboveAll)));
        UInt grantLane = let("lane_grant_index", oneHotIndex(grant, lb));

        // ---- stage 1: descriptor and chain value (lane memory) --------------------------------------------
        when(go, () -> {
            s1Valid.set(granted);
            s1Lane.set(grantLane);
        });
        Bits desc = descMem.readAsync(s1Lane);
        Bits chain = chainMem.readAsync(s1Lane);
        // ---- stage 2: data banks and key read (synchronous), descriptor registered ------------------------
        Bool s2Valid = regInit(new Bool(), 0).named("s2_valid_reg");
        UInt s2Lane = reg(new UInt(lb)).named("s2_lane_reg");
        Bits s2Desc = reg(new Bits(desc.width())).named("s2_cmd_reg");
        Bits s2Chain = reg(new Bits(128)).named("s2_chain_reg");
        UInt addr = desc.part(dAddr, ab).asUInt();
        UInt keyIdx = desc.part(dKey, kb).asUInt();
        // a read request takes the banks in a cycle stage 1 has no block, one at a time (its result registered before rd_res)
        Bool rdInBanks = regInit(new Bool(), 0).named("read_in_banks_reg");
        Bool rdOutValid = regInit(new Bool(), 0).named("read_out_valid_reg");
        UInt rdRot = reg(new UInt(2)).named("read_rotation_reg");
        rd_req.ready.set(go.and(s1Valid.not()).and(rdInBanks.not()).and(rdOutValid.not()));
        UInt bankAddr = rd_req.fire().mux(rd_req.payload.addr, addr);
        List<Bits> words = new ArrayList<>();
        for (int b = 0; b < 4; b++) {
            // word i (0..3) of the block is at addr + i, in bank (addr + i) % 4: bank b holds word i = (b - addr) % 4
            UInt i = UInt.lit(b, 2).minus(bankAddr.slice(1, 0));
            UInt row = bankAddr.plus(i.zext(ab)).slice(ab - 1, 2);
            words.add(bank[b].readSync(row, go));
        }
        rdInBanks.set(rd_req.fire().or(rdInBanks.and(go.not())));
        when(rd_req.fire(), () -> rdRot.set(rd_req.payload.addr.slice(1, 0)));
        Bits rdData = reg(new Bits(128)).named("read_data_reg");
        Bits rdBlock = inOrder(words, rdRot);
        when(rdInBanks.and(go), () -> {
            rdData.set(rdBlock);
            rdOutValid.set(true);
        }).elseWhen(rd_res.fire(), () -> rdOutValid.set(false));
        rd_res.valid.set(rdOutValid);
        rd_res.payload.data.set(rdData);
        Bits keyRead = keyMem.readSync(keyIdx, go);
        when(go, () -> {
            s2Valid.set(s1Valid);
            s2Lane.set(s1Lane);
            s2Desc.set(desc);
            s2Chain.set(chain);
        });
        // ---- stage 3: the block's words in order, padded; the chain and subkey chosen --------------------
        UInt s2Rot = s2Desc.part(dAddr, 2).asUInt();
        Bits data = inOrder(words, s2Rot);
        UInt bytes = s2Desc.part(dBytes, 5).asUInt();
        UInt sub = s2Desc.part(dSub, 2).asUInt();
        Bool first = s2Desc.bit(dFirst), last = s2Desc.bit(dLast), ecb = s2Desc.bit(dEcb), pad = s2Desc.bit(dPad), xorOut = s2Desc.bit(dXorOut);
        Bool s3Valid = regInit(new Bool(), 0).named("s3_valid_reg");
        UInt s3Lane = reg(new UInt(lb)).named("s3_lane_reg");
        Bits s3Kept = reg(new Bits(128)).named("s3_kept_reg");
        Bits s3Chain = reg(new Bits(128)).named("s3_chain_reg");
        Bits s3Key = reg(new Bits(kw)).named("s3_key_reg");
        Bool s3Wide = mixed ? reg(new Bool()).named("s3_aes256_reg") : null;
        Bits s3Sub = reg(new Bits(128)).named("s3_subkey_reg");
        Bits s3Mask = reg(new Bits(128)).named("s3_mask_reg");
        Bool s3Out = reg(new Bool()).named("s3_out_reg"), s3Ecb = reg(new Bool()).named("s3_ecb_reg"), s3XorOut = reg(new Bool()).named("s3_xor_out_reg");
        Bits k1 = keyRead.slice(127, 0);
        when(go, () -> {
            s3Valid.set(s2Valid);
            s3Lane.set(s2Lane);
            s3Kept.set(kept(data, bytes, pad));
            s3Chain.set(first.or(ecb).mux(Bits.lit(0, 128), s2Chain));
            s3Key.set(keyRead.slice(kw + fb + 127, fb + 128));
            if (mixed) s3Wide.set(keyRead.bit(128));
            s3Sub.set(sub.eq(SUB_K1).mux(k1, sub.eq(SUB_K2).mux(AesSivOps.dbl(k1), Bits.lit(0, 128))));
            s3Mask.set(s2Desc.part(dMask, 128));
            s3Out.set(last.or(ecb));
            s3Ecb.set(ecb);
            s3XorOut.set(xorOut.and(ecb));
        });
        // ---- stage 4: compose (the chain xor the kept bytes xor the mask xor the subkey) into the pipeline --
        Bool s4Valid = regInit(new Bool(), 0).named("s4_valid_reg");
        Bits s4Block = reg(new Bits(128)).named("s4_block_reg");
        Bits s4Key = reg(new Bits(kw)).named("s4_key_reg");
        Bool s4Wide = mixed ? reg(new Bool()).named("s4_aes256_reg") : null;
        UInt s4Lane = reg(new UInt(lb)).named("s4_lane_reg");
        Bool s4Out = reg(new Bool()).named("s4_out_reg"), s4Ecb = reg(new Bool()).named("s4_ecb_reg"), s4XorOut = reg(new Bool()).named("s4_xor_out_reg");
        when(go, () -> {
            s4Valid.set(s3Valid);
            s4Lane.set(s3Lane);
            s4Key.set(s3Key);
            if (mixed) s4Wide.set(s3Wide);
            s4Block.set(s3Chain.xor(s3Sub).xor(s3Mask).xor(s3XorOut.mux(Bits.lit(0, 128), s3Kept)));
            s4Out.set(s3Out);
            s4Ecb.set(s3Ecb);
            s4XorOut.set(s3XorOut);
        });
        sideMem.write(s3Lane, s3Kept, go.and(s3Valid).and(s3XorOut));
        aes_req.valid.set(s4Valid);
        aes_req.payload.key.set(s4Key);
        if (mixed) aes_req.payload.aes256.set(s4Wide);
        aes_req.payload.block.set(s4Block);
        aes_req.payload.tag.set(Bits.cat(s4XorOut, s4Out, s4Ecb, s4Lane.asBits()));
        aes_issue.set(s4Valid.and(aes_req.ready));

        // ---- results: the chain value written back, the lane free; a MAC or an ECB block into the FIFO -------
        Stream<AesPipeline.Result> r = aes_res;
        UInt rLane = r.payload.tag.slice(lb - 1, 0).asUInt();
        Bool rEcb = r.payload.tag.bit(lb), rOut = r.payload.tag.bit(lb + 1), rXorOut = r.payload.tag.bit(lb + 2);
        r.ready.set(Bool.lit(true));
        // a result goes on without the FIFO when nothing is queued before it (the FIFO's write and synchronous read would
        // cost two cycles of every block's round trip): into a stage whose ready is a register, which passes it to res in the
        // same cycle or parks it (so res keeps offering it); when the stage is occupied, or the FIFO holds results, into the
        // FIFO, which then goes first
        StreamFifo<Res> results = add("results", new StreamFifo<>(() -> new Res(lb), RESULTS));
        org.ntsfab.hdl.lib.StreamStage<Res> resStage = add("result_stage",
                new org.ntsfab.hdl.lib.StreamStage<>(() -> new Res(lb), org.ntsfab.hdl.lib.StreamStage.Kind.BACKWARD));
        Res arriving = wire(new Res(lb));
        arriving.named("result_arriving");
        arriving.lane.set(rLane);
        arriving.block.set(r.payload.block.xor(rXorOut.mux(sideMem.readAsync(rLane), Bits.lit(0, 128))));
        arriving.ecb.set(rEcb);
        Bool arrives = let("result_arrives", r.valid.and(rOut));
        Bool direct = let("result_direct", results.empty.and(resStage.in.ready));
        results.in.valid.set(arrives.and(direct.not()));
        results.in.payload.setFrom(arriving);
        resStage.in.valid.set(results.out.valid.or(direct.and(arrives)));
        resStage.in.payload.setFrom(arriving);
        when(results.out.valid, () -> resStage.in.payload.setFrom(results.out.payload));
        results.out.ready.set(resStage.in.ready);
        res.connectFrom(resStage.out);
        int cw = credits.width();
        UInt one = UInt.lit(1, cw), zero = UInt.lit(0, cw);
        // the change in one step: +1 for a grant, -1 for a block returned and not kept, -1 for a result taken; formed from
        // the three bits first (one LUT a bit), then one addition (a three-operand sum put the grant, the last of the three
        // to settle, in front of a full-adder row and the carry chain)
        // (a result taken counts a cycle late: the count stays at or above the true one, and the take, which depends on the
        // result queue's state and the consumer's ready, does not sit in front of the addition)
        Bool back1 = r.fire().and(rOut.not()), took = regNextInit(res.fire(), 0).named("result_taken_reg");
        UInt minusOne = UInt.lit((1 << cw) - 1, cw), minusTwo = UInt.lit((1 << cw) - 2, cw);
        UInt delta = let("issued_blocks_delta", granted.mux(back1.and(took).mux(minusOne, back1.or(took).mux(zero, one)),
                back1.and(took).mux(minusTwo, back1.or(took).mux(minusOne, zero))));
        credits.set(credits.plus(delta));
        // an ECB block leaves the lane's chain value as it was
        chainMem.write(rLane, r.payload.block, r.fire().and(rEcb.not()));
        Bits back = let("lane_returned", Bits.repeat(r.fire(), lanes).and(Bits.lit(1, lanes).shl(rLane)));
        pending.set(pending.and(grant.not()).or(accepted));
        inFlight.set(inFlight.or(grant).and(back.not()));
    }

    /** The 16 bytes at a word address from the four banks' words: word i is in bank (address + i) % 4, {@code rot} = address % 4. */
    /** Bank {@code b}'s part of a block write over four banks of 32-bit words: its row, its word and its byte mask. */
    public record BankWrite(UInt row, Bits word, Bits mask) {}

    /**
     * Bank {@code b}'s part of writing the first {@code bytes} bytes of {@code data} (byte 0 its most significant) at word
     * address {@code addr} over four banks (word w in bank w % 4, row w / 4): the block's word i (0..3) goes to addr + i;
     * byte m of it is written if below {@code bytes} (mask bit 3 - m).
     */
    public static BankWrite bankWrite(int b, UInt addr, Bits data, UInt bytes) {
        int ab = addr.width();
        UInt i = UInt.lit(b, 2).minus(addr.slice(1, 0));
        UInt row = addr.plus(i.zext(ab)).slice(ab - 1, 2);
        Bits word = data.part(96, 32);
        for (int k = 1; k < 4; k++) word = i.eq(k).mux(data.part(96 - 32 * k, 32), word);
        List<Bool> on = new ArrayList<>();
        for (int m = 0; m < 4; m++) on.add(bytes.gt(i.zext(5).shl(2).plus(m)));
        return new BankWrite(row, word, Bits.cat(on.get(0), on.get(1), on.get(2), on.get(3)));
    }

    static Bits inOrder(List<Bits> bankWords, UInt rot) {
        List<Bits> ordered = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            Bits w = bankWords.get(0);
            for (int b = 1; b < 4; b++) w = rot.plus(UInt.lit(i, 2)).eq(b).mux(bankWords.get(b), w);
            ordered.add(w);
        }
        return Bits.cat(ordered);
    }

    /** The first {@code bytes} bytes of {@code v}; after them 0x80 then zeros with {@code pad} (for bytes < 16), else zeros. */
    static Bits kept(Bits v, UInt bytes, Bool pad) {
        List<Bits> out = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            Bits b = v.part(8 * (15 - i), 8);
            out.add(bytes.gt(i).mux(b, bytes.eq(i).and(pad).mux(Bits.lit(0x80, 8), Bits.lit(0, 8))));
        }
        return Bits.cat(out);
    }

    /** The index of a one-hot vector's set bit (0 when none): an OR per index bit. */
    static UInt oneHotIndex(Bits oneHot, int bits) {
        List<Bool> out = new ArrayList<>();
        for (int k = bits - 1; k >= 0; k--) {
            Bool any = Bool.lit(false);
            for (int i = 0; i < oneHot.width(); i++) if ((i >> k & 1) != 0) any = any.or(oneHot.bit(i));
            out.add(any);
        }
        return Bits.cat(out).asUInt();
    }
}
