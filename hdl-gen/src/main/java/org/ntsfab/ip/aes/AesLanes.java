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
 * key-agile AES-128 pipeline ({@link AesPipeline}, outside: {@code aes_req}/{@code aes_res}, so the core chooses and
 * shares its pipelines), their state in memory rather than flip-flops, so the number of requests in flight costs RAM,
 * not logic. A lane is one CMAC chain (RFC 4493, the MACs of S2V, RFC 5297) or a run of independent blocks
 * (CTR, the nonces, a key's L = AES(K, 0)).
 *
 * <p>The blocks' data is in the core's word memory ({@code data_wr}: 32-bit words, byte 0 of a word its most
 * significant; four banks, so 16 bytes at any word address are one read), the keys and their CMAC subkey K1 in a key
 * memory ({@code key_wr}: K1 = dbl(AES(K, 0)), computed once per key by its owner, e.g. with an {@code ecb} block). A
 * command ({@code cmd}) names a lane, a key entry and the data's word address: with {@code ecb} the 16 bytes are
 * encrypted as they are and the result leaves on {@code res}; else the block continues the lane's CMAC (chain value 0
 * with {@code first}), and with {@code last} it is the message's last block of {@code bytes} (0..16) bytes, padded and
 * keyed with K1 (16 bytes) or K2 = dbl(K1) (fewer), and the MAC leaves on {@code res}. Each lane holds one command
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
        public final UInt bytes = new UInt(5);
        public final Bool first = new Bool(), last = new Bool(), ecb = new Bool();

        public Cmd(int laneBits, int keyBits, int addrBits) {
            lane = new UInt(laneBits);
            key = new UInt(keyBits);
            addr = new UInt(addrBits);
        }
    }

    public static final class DataWrite extends Bundle {
        public final UInt addr;
        public final Bits data = new Bits(32);

        public DataWrite(int addrBits) {
            addr = new UInt(addrBits);
        }
    }

    public static final class KeyWrite extends Bundle {
        public final UInt index;
        public final Bits key = new Bits(128), k1 = new Bits(128);

        public KeyWrite(int indexBits) {
            index = new UInt(indexBits);
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
    public final Stream<KeyWrite> key_wr;
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

    /**
     * @param lanes a power of two, 2..64
     * @param keys key entries, a power of two
     * @param dataWords 32-bit words of data memory, a multiple of 4 and a power of two
     */
    public AesLanes(int lanes, int keys, int dataWords) {
        if (lanes < 2 || lanes > 64 || Integer.bitCount(lanes) != 1) throw new IllegalArgumentException("lanes: a power of two, 2..64");
        if (keys < 2 || Integer.bitCount(keys) != 1) throw new IllegalArgumentException("keys: a power of two >= 2");
        if (dataWords < 4 || Integer.bitCount(dataWords) != 1) throw new IllegalArgumentException("data words: a power of two >= 4");
        this.lanes = lanes;
        int lb = Integer.numberOfTrailingZeros(lanes), kb = Integer.numberOfTrailingZeros(keys), ab = Integer.numberOfTrailingZeros(dataWords);
        moduleName("aes128_lanes_" + lanes + (keys == 64 && dataWords == 1024 ? "" : "_k" + keys + "_w" + dataWords));
        data_wr = slave(new Stream<>(new DataWrite(ab)));
        key_wr = slave(new Stream<>(new KeyWrite(kb)));
        cmd = slave(new Stream<>(new Cmd(lb, kb, ab)));
        res = master(new Stream<>(new Res(lb)));
        aes_issue = out(new Bool());
        aes_req = master(new Stream<>(new AesPipeline.Request(128, lb + 2)));
        aes_res = slave(new Stream<>(new AesPipeline.Result(lb + 2)));

        // ---- memories: data in four banks, keys, lane descriptors and chain values --------------------------
        Mem[] bank = new Mem[4];
        for (int b = 0; b < 4; b++) bank[b] = mem(32, dataWords / 4).named("data_bank" + b);
        Mem keyMem = mem(256, keys).named("key_mem");
        Mem descMem = mem(ab + kb + 5 + 3, lanes).named("lane_cmd_mem");
        Mem chainMem = mem(128, lanes).named("lane_chain_mem");
        data_wr.ready.set(Bool.lit(true));
        key_wr.ready.set(Bool.lit(true));
        for (int b = 0; b < 4; b++)
            bank[b].write(data_wr.payload.addr.slice(ab - 1, 2), data_wr.payload.data, data_wr.valid.and(data_wr.payload.addr.slice(1, 0).eq(b)));
        keyMem.write(key_wr.payload.index, Bits.cat(key_wr.payload.key, key_wr.payload.k1), key_wr.valid);

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
        descMem.write(c.lane, Bits.cat(c.addr, c.key, c.bytes, c.first, c.last, c.ecb), cmd.fire());

        // credits: blocks granted and not yet returned, plus results waiting in the FIFO, stay within the FIFO; the issue
        // stages advance together with the pipeline's input (always ready with an output that is always taken)
        UInt credits = regInit(new UInt(Integer.numberOfTrailingZeros(RESULTS) + 1), 0).named("issued_blocks_reg");
        Bool go = let("issue_advance", aes_req.ready);
        Bool room = let("credit_available", credits.lt(RESULTS));

        // ---- pick (stage 0): round robin as the lowest set bit above the last grant, else the lowest -------
        Bits request = let("lane_request", pending.and(inFlight.not()));
        Bits above = regInit(new Bits(lanes), 0).named("grant_mask_reg");  // lanes after the last grant
        Bits masked = let("lane_request_masked", request.and(above));
        Bits grantMasked = lowestSetBit(masked);
        Bits grantAll = lowestSetBit(request);
        Bool mayGrant = let("lane_may_grant", go.and(room));
        Bits grant = let("lane_grant", masked.orReduce().mux(grantMasked, grantAll).and(Bits.repeat(mayGrant, lanes)));
        Bool granted = let("lane_granted", request.orReduce().and(mayGrant));
        Bits accepted = let("lane_accepted", Bits.repeat(cmd.fire(), lanes).and(Bits.lit(1, lanes).shl(c.lane)));
        // mask: every lane above the grant (the grant's lower bits all ones, shifted one up, inverted)
        when(granted, () -> above.set(grant.asUInt().minus(1).asBits().or(grant).not()));
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
        UInt addr = desc.slice(desc.width() - 1, desc.width() - ab).asUInt();
        UInt keyIdx = desc.slice(kb + 8 - 1, 8).asUInt();
        List<Bits> words = new ArrayList<>();
        for (int b = 0; b < 4; b++) {
            // word i (0..3) of the block is at addr + i, in bank (addr + i) % 4: bank b holds word i = (b - addr) % 4
            UInt i = UInt.lit(b, 2).minus(addr.slice(1, 0));
            UInt row = addr.plus(i.zext(ab)).slice(ab - 1, 2);
            words.add(bank[b].readSync(row, go));
        }
        Bits keyRead = keyMem.readSync(keyIdx, go);
        when(go, () -> {
            s2Valid.set(s1Valid);
            s2Lane.set(s1Lane);
            s2Desc.set(desc);
            s2Chain.set(chain);
        });
        // ---- stage 3: the block's words in order, padded; the chain and subkey chosen --------------------
        UInt s2Rot = s2Desc.slice(s2Desc.width() - ab + 1, s2Desc.width() - ab).asUInt();
        List<Bits> ordered = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            // word i is in bank (addr + i) % 4
            Bits w = words.get(0);
            for (int b = 1; b < 4; b++) w = s2Rot.plus(UInt.lit(i, 2)).eq(b).mux(words.get(b), w);
            ordered.add(w);
        }
        Bits data = Bits.cat(ordered.get(0), ordered.get(1), ordered.get(2), ordered.get(3));
        UInt bytes = s2Desc.slice(7, 3).asUInt();
        Bool first = s2Desc.bit(2), last = s2Desc.bit(1), ecb = s2Desc.bit(0);
        Bool s3Valid = regInit(new Bool(), 0).named("s3_valid_reg");
        UInt s3Lane = reg(new UInt(lb)).named("s3_lane_reg");
        Bits s3Data = reg(new Bits(128)).named("s3_data_reg");
        Bits s3Padded = reg(new Bits(128)).named("s3_padded_reg");
        Bits s3Chain = reg(new Bits(128)).named("s3_chain_reg");
        Bits s3Key = reg(new Bits(128)).named("s3_key_reg");
        Bits s3Sub = reg(new Bits(128)).named("s3_subkey_reg");
        Bool s3Last = reg(new Bool()).named("s3_last_reg"), s3Ecb = reg(new Bool()).named("s3_ecb_reg");
        Bits k1 = keyRead.slice(127, 0);
        when(go, () -> {
            s3Valid.set(s2Valid);
            s3Lane.set(s2Lane);
            s3Data.set(data);
            s3Padded.set(AesCmacEngine.pad(data, bytes));
            s3Chain.set(first.or(ecb).mux(Bits.lit(0, 128), s2Chain));
            s3Key.set(keyRead.slice(255, 128));
            // the last block: complete, xor K1; shorter, padded and xor K2 = dbl(K1)
            s3Sub.set(last.and(ecb.not()).mux(bytes.eq(16).mux(k1, AesCmacEngine.dbl(k1)), Bits.lit(0, 128)));
            s3Last.set(last.and(ecb.not()));
            s3Ecb.set(ecb);
        });
        // ---- stage 4: compose (the chain xor the block xor the subkey) into the pipeline's input -----------
        Bool s4Valid = regInit(new Bool(), 0).named("s4_valid_reg");
        Bits s4Block = reg(new Bits(128)).named("s4_block_reg");
        Bits s4Key = reg(new Bits(128)).named("s4_key_reg");
        UInt s4Lane = reg(new UInt(lb)).named("s4_lane_reg");
        Bool s4Out = reg(new Bool()).named("s4_out_reg"), s4Ecb = reg(new Bool()).named("s4_ecb_reg");
        when(go, () -> {
            s4Valid.set(s3Valid);
            s4Lane.set(s3Lane);
            s4Key.set(s3Key);
            s4Block.set(s3Chain.xor(s3Sub).xor(s3Last.mux(s3Padded, s3Data)));
            s4Out.set(s3Last.or(s3Ecb));
            s4Ecb.set(s3Ecb);
        });
        aes_req.valid.set(s4Valid);
        aes_req.payload.key.set(s4Key);
        aes_req.payload.block.set(s4Block);
        aes_req.payload.tag.set(Bits.cat(s4Out, s4Ecb, s4Lane.asBits()));
        aes_issue.set(s4Valid.and(aes_req.ready));

        // ---- results: the chain value written back, the lane free; a MAC or an ECB block into the FIFO -------
        Stream<AesPipeline.Result> r = aes_res;
        UInt rLane = r.payload.tag.slice(lb - 1, 0).asUInt();
        Bool rEcb = r.payload.tag.bit(lb), rOut = r.payload.tag.bit(lb + 1);
        r.ready.set(Bool.lit(true));
        StreamFifo<Res> results = add("results", new StreamFifo<>(() -> new Res(lb), RESULTS));
        results.in.valid.set(r.valid.and(rOut));
        results.in.payload.lane.set(rLane);
        results.in.payload.block.set(r.payload.block);
        results.in.payload.ecb.set(rEcb);
        res.connectFrom(results.out);
        int cw = credits.width();
        UInt one = UInt.lit(1, cw), zero = UInt.lit(0, cw);
        UInt returnedNotKept = r.fire().and(rOut.not()).mux(one, zero), taken = res.fire().mux(one, zero);
        credits.set(credits.plus(granted.mux(one, zero)).minus(returnedNotKept.plus(taken)));
        // an ECB block leaves the lane's chain value as it was
        chainMem.write(rLane, r.payload.block, r.fire().and(rEcb.not()));
        Bits back = let("lane_returned", Bits.repeat(r.fire(), lanes).and(Bits.lit(1, lanes).shl(rLane)));
        pending.set(pending.and(grant.not()).or(accepted));
        inFlight.set(inFlight.or(grant).and(back.not()));
    }

    /** The lowest set bit of {@code v} alone (v and its two's complement): one carry chain. */
    static Bits lowestSetBit(Bits v) {
        return v.and(UInt.lit(0, v.width()).minus(v.asUInt()).asBits());
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
