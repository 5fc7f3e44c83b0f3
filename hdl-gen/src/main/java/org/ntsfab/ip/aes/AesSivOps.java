package org.ntsfab.ip.aes;

import org.ntsfab.hdl.Bits;
import org.ntsfab.hdl.Bool;
import org.ntsfab.hdl.Bundle;
import org.ntsfab.hdl.Component;
import org.ntsfab.hdl.Mem;
import org.ntsfab.hdl.Stream;
import org.ntsfab.hdl.UInt;

/**
 * Many AES-SIV-CMAC-256 (on AES-128 lanes: NTS cookies and AEAD 15) or AES-SIV-CMAC-512 (on AES-256 lanes: AEAD 17)
 * operations at once (RFC 5297), one per lane of an
 * {@link AesLanes}, their data in its word memory: the NTS core's sealing and opening (docs/nts-core.md §5).
 *
 * <p>An operation ({@code op}) names its lane, seal or open, two key entries (the MAC key K1 and the CTR key K2 of the
 * SIV key, each with its CMAC subkey in the key memory), the two S2V header components as word address and byte length
 * in memory (the associated data, possibly empty, and the nonce), the plaintext or ciphertext ({@code p}) and where the
 * result goes ({@code out}, which may be {@code p}); opening also takes the tag received. Sealing computes V = S2V(AD, N,
 * P), then C = CTR(K2, V) xor P into {@code out}; opening computes P = CTR(K2, tag) xor C into {@code out}, then V =
 * S2V(AD, N, P), and {@code ok} is V == tag. Each leaves on {@code done} with V.
 *
 * <p>S2V runs on the lane as one CMAC after another (the zero block, AD, N, then P xorend D, or dbl(D) xor pad(P) for a
 * P shorter than a block, as masks on the lane's blocks), CTR as one block after another; a lane's next block is issued
 * when its previous result returns. An event pipeline (a result, or a new operation) of three register stages reads
 * the lane's state from lane memory, decides the next block and writes the state back, one event per cycle: the
 * parallelism is across lanes, so with as many operations in flight as the round trip is long the AES pipeline is
 * full. A lane is busy from its operation's acceptance to its {@code done}.
 */
public final class AesSivOps extends Component {
    public static final class Op extends Bundle {
        public final UInt lane;
        public final Bool open = new Bool();
        public final UInt mac_key, ctr_key;
        public final UInt ad_addr, ad_len = new UInt(11);
        public final UInt n_addr, n_len = new UInt(11);
        public final UInt p_addr, p_len = new UInt(11);
        public final UInt out_addr;
        public final Bits tag = new Bits(128);
        /**
         * Where S2V starts: {@link #S2V_FULL} computes D0 = CMAC(K, zero block); {@link #S2V_FROM_D0} takes D0 from the
         * MAC key's constants; {@link #S2V_AFTER_EMPTY_AD} takes dbl(D0) xor CMAC(K, "") from them, for an empty AD (the
         * cookies' layout), and ignores the AD fields. The constants are those of a key load with {@code constants}.
         * {@link #S2V_NONE} (with {@code open}): no S2V at all, CTR alone: {@code p_len} bytes of AES-CTR keystream under
         * {@code ctr_key} from the counter {@code tag} (bits 63 and 31 cleared, as SIV's) into {@code out}, the memory at
         * {@code p} unread; done with ok. The NTS core draws its nonces so (AES-128(seed, r || i), spec §9.6).
         */
        public final UInt s2v_from = new UInt(2);

        public Op(int laneBits, int keyBits, int addrBits) {
            lane = new UInt(laneBits);
            mac_key = new UInt(keyBits);
            ctr_key = new UInt(keyBits);
            ad_addr = new UInt(addrBits);
            n_addr = new UInt(addrBits);
            p_addr = new UInt(addrBits);
            out_addr = new UInt(addrBits);
        }
    }

    /** A key entry to load: the key, its CMAC subkey K1 = dbl(AES(key, 0)) computed on the lane. */
    public static final class KeyOp extends Bundle {
        public final UInt lane, entry;
        public final Bits key;
        /** Only on {@link AesPipeline#MIXED} lanes: an AES-256 key (else AES-128's, in the key's high half). */
        public final Bool aes256;
        /** Also the key's S2V constants (D0, and its value after an empty AD): two more blocks, once per key. */
        public final Bool constants = new Bool();

        public KeyOp(int laneBits, int keyIndexBits, int keyBits) {
            lane = new UInt(laneBits);
            entry = new UInt(keyIndexBits);
            key = new Bits(AesPipeline.keyWidth(keyBits));
            aes256 = keyBits == AesPipeline.MIXED ? new Bool() : null;
        }
    }

    public static final int S2V_FULL = 0, S2V_FROM_D0 = 1, S2V_AFTER_EMPTY_AD = 2, S2V_NONE = 3;

    /** A CTR result written into the memory: {@code bytes} of {@code data} from its first, at {@code addr}, for {@code lane}. */
    public static final class CtrWrite extends Bundle {
        public final UInt lane, addr;
        public final Bits data = new Bits(128);
        public final UInt bytes = new UInt(5);

        public CtrWrite(int laneBits, int addrBits) {
            lane = new UInt(laneBits);
            addr = new UInt(addrBits);
        }
    }

    public static final class Done extends Bundle {
        public final UInt lane;
        public final Bits v = new Bits(128);
        public final Bool ok = new Bool();

        public Done(int laneBits) {
            lane = new UInt(laneBits);
        }
    }

    /** A lane's progress: the block to issue next (or just issued) and the S2V and CTR values. */
    public static final class State extends Bundle {
        public final UInt phase = new UInt(3);
        public final Bool first = new Bool();
        public final UInt addr;
        public final UInt left = new UInt(11);
        public final Bits d = new Bits(128);
        public final Bits aux = new Bits(128);
        /**
         * The block just issued ends its phase (the zero block, or at most 16 bytes left): decided when the block is
         * issued, so the event that takes its result reads it from the state instead of comparing {@code left} again.
         */
        public final Bool ends = new Bool();

        State(int addrBits) {
            addr = new UInt(addrBits);
        }
    }

    static final int PH_D0 = 0, PH_AD = 1, PH_N = 2, PH_T = 3, PH_CTR = 4, PH_KEY = 5, PH_KEY_D0 = 6, PH_KEY_EMPTY = 7;

    public final Stream<AesLanes.DataWrite> data_wr;
    public final Stream<AesLanes.KeyWrite> key_wr;
    /** Reads of 16 bytes at a word address from the lanes' memory (the results, for whoever sends them on). */
    public final Stream<AesLanes.ReadReq> rd_req;
    public final Stream<AesLanes.ReadRes> rd_res;
    public final Stream<Op> op;
    /**
     * Key loads: the key written into its entry, then L = AES(key, 0) on the lane and the entry written again with
     * K1 = dbl(L); done (v = L) once the entry is usable. External {@code key_wr} writes wait while a load writes.
     */
    public final Stream<KeyOp> key_op;
    public final Stream<Done> done;
    /** The owner's block writes into the memory; CTR results write first (a write here waits for a cycle without one). */
    public final Stream<AesLanes.BlockWrite> blk_wr;
    /** Every CTR result as it is written (lane, address, bytes): for watchers of an operation's output. */
    public final org.ntsfab.hdl.Flow<CtrWrite> ctr_wr;
    public final Stream<AesPipeline.Request> aes_req;
    public final Stream<AesPipeline.Result> aes_res;
    public final Bool aes_issue;

    public AesSivOps(int lanes, int keys, int dataWords) {
        this(128, lanes, keys, dataWords);
    }

    /**
     * @param keyBits 128: AES-SIV-CMAC-256 (cookies, AEAD 15); 256: AES-SIV-CMAC-512 (AEAD 17), on AES-256 lanes; {@link
     *     AesPipeline#MIXED}: either, as each key entry says (a key load's {@code aes256}), on a combined pipeline
     */
    public AesSivOps(int keyBits, int lanes, int keys, int dataWords) {
        this(keyBits, lanes, keys, dataWords, keys);
    }

    /**
     * @param constEntries key entries {@code 0 .. constEntries - 1} can hold S2V constants (a key load with {@code
     *     constants} must be to one of them, and an operation starting S2V from them must name one as its MAC key): the
     *     constants' memory has that depth, so a core whose few master keys have constants does not pay for every entry
     */
    public AesSivOps(int keyBits, int lanes, int keys, int dataWords, int constEntries) {
        if (Integer.bitCount(constEntries) != 1 || constEntries < 2 || constEntries > keys) throw new IllegalArgumentException("constant entries: a power of 2, at most the key entries");
        int cb = Integer.numberOfTrailingZeros(constEntries);
        boolean mixed = keyBits == AesPipeline.MIXED;
        int kw = AesPipeline.keyWidth(keyBits);
        int lb = Integer.numberOfTrailingZeros(lanes), kb = Integer.numberOfTrailingZeros(keys), ab = Integer.numberOfTrailingZeros(dataWords);
        moduleName("aes_siv" + (mixed ? "_mixed" : 2 * keyBits) + "_ops_" + lanes + (keys == 64 && dataWords == 1024 ? "" : "_k" + keys + "_w" + dataWords)
                + (constEntries == keys ? "" : "_c" + constEntries));
        AesLanes l = add("lanes", new AesLanes(keyBits, lanes, keys, dataWords));
        data_wr = slave(new Stream<>(new AesLanes.DataWrite(ab)));
        key_wr = slave(new Stream<>(new AesLanes.KeyWrite(kb, keyBits)));
        op = slave(new Stream<>(new Op(lb, kb, ab)));
        key_op = slave(new Stream<>(new KeyOp(lb, kb, keyBits)));
        if (ab < kb) throw new IllegalArgumentException("a key entry's index is kept in the lane's address field: data words >= key entries");
        rd_req = slave(new Stream<>(new AesLanes.ReadReq(ab)));
        rd_res = master(new Stream<>(new AesLanes.ReadRes()));
        done = master(new Stream<>(new Done(lb)));
        blk_wr = slave(new Stream<>(new AesLanes.BlockWrite(ab)));
        ctr_wr = master(new org.ntsfab.hdl.Flow<>(new CtrWrite(lb, ab)));
        aes_req = master(new Stream<>(new AesPipeline.Request(keyBits, l.aes_req.payload.tag.width())));
        aes_res = slave(new Stream<>(new AesPipeline.Result(l.aes_req.payload.tag.width())));
        aes_issue = out(new Bool());
        l.data_wr.connectFrom(data_wr);
        // the lanes' key writes: a key load's (E2) before the outside's
        Bool loadWrite = wire(new Bool()).named("key_load_write");
        UInt loadEntry = wire(new UInt(kb)).named("key_load_entry");
        Bits loadKey = wire(new Bits(kw)).named("key_load_key");
        Bool loadWide = mixed ? wire(new Bool()).named("key_load_aes256") : null;
        Bits loadK1 = wire(new Bits(128)).named("key_load_k1");
        l.key_wr.valid.set(loadWrite.or(key_wr.valid));
        l.key_wr.payload.index.set(loadWrite.mux(loadEntry, key_wr.payload.index));
        l.key_wr.payload.key.set(loadWrite.mux(loadKey, key_wr.payload.key));
        if (mixed) l.key_wr.payload.aes256.set(loadWrite.mux(loadWide, key_wr.payload.aes256));
        l.key_wr.payload.k1.set(loadWrite.mux(loadK1, key_wr.payload.k1));
        key_wr.ready.set(loadWrite.not());
        l.rd_req.connectFrom(rd_req);
        rd_res.connectFrom(l.rd_res);
        aes_req.connectFrom(l.aes_req);
        l.aes_res.connectFrom(aes_res);
        aes_issue.set(l.aes_issue);

        // an operation as it came, and beside it (bit 0) whether it has text: decided as it is stored, not in E1
        Mem opMem = mem(new Op(lb, kb, ab).totalWidth() + 1, lanes).named("lane_op_mem");
        Mem stMem = mem(new State(ab).totalWidth(), lanes).named("lane_state_mem");
        Bits busy = regInit(new Bits(lanes), 0).named("lane_busy_reg");

        // ---- E0: the event, a lane's result before a new operation ---------------------------------------
        Bool adv = wire(new Bool()).named("event_advance");
        Stream<AesLanes.Res> res = l.res;
        Bool opFree = busy.shr(op.payload.lane).bit(0).not();
        Bool keyFree = busy.shr(key_op.payload.lane).bit(0).not();
        res.ready.set(adv);
        key_op.ready.set(adv.and(res.valid.not()).and(keyFree));
        op.ready.set(adv.and(res.valid.not()).and(key_op.valid.not()).and(opFree));
        opMem.write(op.payload.lane, Bits.cat(op.payload.asBits(), op.payload.p_len.ne(0)), op.fire());
        Bool e1Valid = regInit(new Bool(), 0).named("e1_valid_reg");
        Bool e1Start = reg(new Bool()).named("e1_start_reg");
        Bool e1KeyStart = reg(new Bool()).named("e1_key_start_reg");
        UInt e1Lane = reg(new UInt(lb)).named("e1_lane_reg");
        Bits e1Result = reg(new Bits(128)).named("e1_result_reg");
        UInt e1Entry = reg(new UInt(kb)).named("e1_key_entry_reg");
        Bits e1Key = reg(new Bits(kw)).named("e1_key_reg");
        Bool e1Wide = mixed ? reg(new Bool()).named("e1_key_aes256_reg") : null;
        Bool e1Constants = reg(new Bool()).named("e1_key_constants_reg");
        when(adv, () -> {
            e1Valid.set(res.fire().or(op.fire()).or(key_op.fire()));
            e1Start.set(res.valid.not().and(key_op.valid.not()));
            e1KeyStart.set(res.valid.not().and(key_op.valid));
            e1Lane.set(res.valid.mux(res.payload.lane, key_op.valid.mux(key_op.payload.lane, op.payload.lane)));
            e1Result.set(res.payload.block);
            e1Entry.set(key_op.payload.entry);
            e1Key.set(key_op.payload.key);
            if (mixed) e1Wide.set(key_op.payload.aes256);
            e1Constants.set(key_op.payload.constants);
        });

        // ---- E1: the lane's operation and state; the next state --------------------------------------------
        Op desc = wire(new Op(lb, kb, ab));
        Bits stored = opMem.readAsync(e1Lane);
        desc.setFromBits(stored.slice(stored.width() - 1, 1));
        State st = wire(new State(ab));
        st.setFromBits(stMem.readAsync(e1Lane));
        Bits r = e1Result;
        // the MAC keys' S2V constants: D0 (high half) and dbl(D0) xor CMAC(K, "") (low half), written by key loads
        Mem constMem = mem(256, constEntries).named("key_s2v_constants_mem");
        Bits consts = constMem.readAsync(desc.mac_key.trunc(cb));
        Bool lastOfPhase = let("block_ends_phase", st.ends);
        Bool seal = desc.open.not();
        Bool hasP = let("op_has_text", stored.bit(0));
        Bits q = let("ctr_start", Bits.lit(new java.math.BigInteger("ffffffffffffffff7fffffff7fffffff", 16), 128)
                .and(e1Start.mux(desc.tag, r)));
        Bits dNext = let("s2v_d_next", dbl(st.d).xor(r));
        // the next state, defaults: the same phase, the next block
        State nx = reg(new State(ab));
        nx.named("e2_state");
        Bool e2Valid = regInit(new Bool(), 0).named("e2_valid_reg");
        UInt e2Lane = reg(new UInt(lb)).named("e2_lane_reg");
        Bool e2Issue = reg(new Bool()).named("e2_issue_reg");
        Bool e2Done = reg(new Bool()).named("e2_done_reg");
        Bits e2V = reg(new Bits(128)).named("e2_v_reg");
        Bool e2Ok = reg(new Bool()).named("e2_ok_reg");
        Bool e2Write = reg(new Bool()).named("e2_write_reg");
        Bool e2KeyWrite = reg(new Bool()).named("e2_key_write_reg");
        Bool e2ConstWrite = reg(new Bool()).named("e2_constants_write_reg");
        UInt e2KeyEntry = reg(new UInt(kb)).named("e2_key_entry_reg");
        Bits e2Key = reg(new Bits(kw)).named("e2_key_reg");
        Bool e2KeyWide = mixed ? reg(new Bool()).named("e2_key_aes256_reg") : null;
        Bits e2KeyK1 = reg(new Bits(128)).named("e2_key_k1_reg");
        // a key load keeps its key in d (and aux, its low half for AES-256), its entry in addr, its flags in left (bit 0:
        // constants; bit 1, mixed lanes: AES-256)
        Bits stKey = kw == 128 ? st.d : Bits.cat(st.d, st.aux);
        UInt e2WriteAddr = reg(new UInt(ab)).named("e2_write_addr_reg");
        UInt e2WriteBytes = reg(new UInt(5)).named("e2_write_bytes_reg");
        Bits e2WriteData = reg(new Bits(128)).named("e2_write_data_reg");
        UInt e2MacKey = reg(new UInt(kb)).named("e2_mac_key_reg"), e2CtrKey = reg(new UInt(kb)).named("e2_ctr_key_reg");
        UInt e2PLen = reg(new UInt(11)).named("e2_p_len_reg");
        // for S2V's final string: how far its last 16 bytes are shifted (16 - p_len % 16, mod 16), and the bytes left at
        // the block before them (p_len % 16 + 16), each from the operation's length a stage before it is used
        UInt e2PLenShift = reg(new UInt(4)).named("e2_p_len_shift_reg");
        UInt e2BeforeLeft = reg(new UInt(11)).named("e2_before_last_left_reg");
        // an opening's tag, compared with V in E2 (not in E1, where the 128-bit comparison came after the state's muxes)
        Bits e2Tag = reg(new Bits(128)).named("e2_tag_reg");
        Bool e2CheckTag = reg(new Bool()).named("e2_check_tag_reg");
        Bool e2CtrOnly = reg(new Bool()).named("e2_ctr_only_reg");
        when(adv, () -> {
            e2Valid.set(e1Valid);
            e2Lane.set(e1Lane);
            e2MacKey.set(desc.mac_key);
            e2CtrKey.set(desc.ctr_key);
            e2PLen.set(desc.p_len);
            e2PLenShift.set(UInt.lit(0, 4).minus(desc.p_len.trunc(4)));
            e2BeforeLeft.set(desc.p_len.trunc(4).zext(11).plus(16));
            e2Tag.set(desc.tag);
            e2CheckTag.set(false);
            e2CtrOnly.set(desc.s2v_from.eq(S2V_NONE));
            e2Done.set(false);
            e2Issue.set(true);
            e2Ok.set(false);
            e2V.set(r);
            // a CTR block's result: its bytes into out, at the same offset as its input in p
            e2Write.set(e1Start.not().and(st.phase.eq(PH_CTR)));
            e2WriteAddr.set(desc.out_addr.plus(st.addr.minus(desc.p_addr)));
            e2WriteBytes.set(st.left.ge(16).mux(UInt.lit(16, 5), st.left.trunc(5)));
            e2WriteData.set(r);
            e2KeyWrite.set(false);
            e2ConstWrite.set(false);
            e2KeyEntry.set(st.addr.trunc(kb));
            e2Key.set(stKey);
            if (mixed) e2KeyWide.set(st.left.bit(1));
            e2KeyK1.set(dbl(r));
            nx.phase.set(st.phase);
            nx.first.set(false);
            nx.addr.set(st.addr.plus(4));
            nx.left.set(st.left.minus(16));
            nx.d.set(st.d);
            nx.aux.set(st.aux);
            // (E2's own copy is not used: whether the block ends its phase is decided from nx as the state is written)
            nx.ends.set(false);
            // the operation ends: no block issued, done with ok (and V as set)
            java.util.function.Consumer<Bool> finish = ok -> {
                e2Issue.set(false);
                e2Done.set(true);
                e2Ok.set(ok);
            };
            // where S2V starts for this operation: the zero block, or the MAC key's constants
            Runnable enterS2v = () -> {
                nx.first.set(true);
                switchOn(desc.s2v_from)
                        .is(S2V_FROM_D0, () -> {
                            nx.phase.set(PH_AD);
                            nx.addr.set(desc.ad_addr);
                            nx.left.set(desc.ad_len);
                            nx.d.set(consts.slice(255, 128));
                        })
                        .is(S2V_AFTER_EMPTY_AD, () -> {
                            nx.phase.set(PH_N);
                            nx.addr.set(desc.n_addr);
                            nx.left.set(desc.n_len);
                            nx.d.set(consts.slice(127, 0));
                        })
                        .otherwise(() -> {
                            nx.phase.set(PH_D0);
                            nx.d.set(Bits.lit(0, 128));
                        });
            };
            when(e1KeyStart, () -> {
                // the key into its entry now (K1 not yet known), then L on the lane
                nx.phase.set(PH_KEY);
                nx.first.set(true);
                nx.addr.set(e1Entry.zext(ab));
                nx.left.set(mixed ? Bits.cat(e1Wide, e1Constants).asUInt().zext(11) : e1Constants.asUInt().zext(11));
                nx.d.set(kw == 128 ? e1Key : e1Key.slice(255, 128));
                nx.aux.set(kw == 128 ? Bits.lit(0, 128) : e1Key.slice(127, 0));
                e2KeyWrite.set(true);
                e2KeyEntry.set(e1Entry);
                e2Key.set(e1Key);
                if (mixed) e2KeyWide.set(e1Wide);
                e2KeyK1.set(Bits.lit(0, 128));
            }).elseWhen(e1Start, () -> {
                // seal: S2V first; open: CTR first (when there is text), its counter from the tag
                nx.first.set(true);
                nx.d.set(Bits.lit(0, 128));
                nx.aux.set(q);
                when(desc.open.and(hasP), () -> {
                    nx.phase.set(PH_CTR);
                    nx.addr.set(desc.p_addr);
                    nx.left.set(desc.p_len);
                }).otherwise(enterS2v);
            }).elseWhen(lastOfPhase, () -> {
                nx.first.set(true);
                switchOn(st.phase)
                        .is(PH_D0, () -> {
                            nx.phase.set(PH_AD);
                            nx.addr.set(desc.ad_addr);
                            nx.left.set(desc.ad_len);
                            nx.d.set(r);
                        })
                        .is(PH_AD, () -> {
                            nx.phase.set(PH_N);
                            nx.addr.set(desc.n_addr);
                            nx.left.set(desc.n_len);
                            nx.d.set(dNext);
                        })
                        .is(PH_N, () -> {
                            nx.phase.set(PH_T);
                            nx.addr.set(desc.open.mux(desc.out_addr, desc.p_addr));
                            nx.left.set(desc.p_len);
                            nx.d.set(dNext);
                        })
                        .is(PH_T, () -> {
                            // V: opening ends here; sealing goes on to CTR when there is text
                            nx.d.set(r);
                            when(seal.and(hasP), () -> {
                                nx.phase.set(PH_CTR);
                                nx.addr.set(desc.p_addr);
                                nx.left.set(desc.p_len);
                                nx.aux.set(q);
                            }).otherwise(() -> {
                                // sealing is done; opening is ok when V (r, in e2V) equals the tag: compared in E2
                                finish.accept(seal);
                                e2CheckTag.set(seal.not());
                            });
                        })
                        .is(PH_KEY, () -> {
                            // L is back: the entry with its subkey; done, or on to the key's S2V constants
                            e2KeyWrite.set(true);
                            when(st.left.bit(0).not(), () -> finish.accept(Bool.lit(true))).otherwise(() -> {
                                nx.phase.set(PH_KEY_D0);
                                nx.addr.set(st.addr);
                                nx.left.set(st.left);
                            });
                        })
                        .is(PH_KEY_D0, () -> {
                            nx.phase.set(PH_KEY_EMPTY);
                            nx.addr.set(st.addr);
                            nx.left.set(st.left);
                            nx.d.set(r);
                        })
                        .is(PH_KEY_EMPTY, () -> {
                            // D0 in d, CMAC(K, "") back: both constants written, the load done (V = D0)
                            e2ConstWrite.set(true);
                            finish.accept(Bool.lit(true));
                            e2V.set(st.d);
                        })
                        .otherwise(() -> {
                            // the last CTR block: sealing ends with V (kept in d); opening goes on to S2V over out
                            when(seal, () -> {
                                finish.accept(Bool.lit(true));
                                e2V.set(st.d);
                            }).elseWhen(desc.s2v_from.eq(S2V_NONE), () -> finish.accept(Bool.lit(true))).otherwise(enterS2v);
                        });
            });
        });

        // ---- E2: the block for the next state, the state written back, the CTR output, the done ------------
        Bool issueNow = e2Valid.and(e2Issue);
        Bool doneNow = e2Valid.and(e2Done);
        // the lanes' commands through a stage whose ready is a register: the lanes' readiness depends on the command's
        // lane, and E2's advance (which enables the whole event pipeline and its writes) must not wait on that
        org.ntsfab.hdl.lib.StreamStage<AesLanes.Cmd> cmdStage = add("cmd_stage",
                new org.ntsfab.hdl.lib.StreamStage<>(() -> new AesLanes.Cmd(lb, kb, ab), org.ntsfab.hdl.lib.StreamStage.Kind.BACKWARD));
        l.cmd.connectFrom(cmdStage.out);
        adv.set(issueNow.not().or(cmdStage.in.ready).and(doneNow.not().or(done.ready)));
        AesLanes.Cmd c = cmdStage.in.payload;
        cmdStage.in.valid.set(issueNow);
        c.lane.set(e2Lane);
        c.addr.set(nx.addr);
        c.last.set(true);  // every block's result comes back to this event pipeline
        c.first.set(nx.first);
        Bool isCtr = nx.phase.eq(PH_CTR), isD0 = nx.phase.eq(PH_D0), isT = nx.phase.eq(PH_T), isKey = nx.phase.eq(PH_KEY);
        Bool isKeyD0 = nx.phase.eq(PH_KEY_D0), isKeyEmpty = nx.phase.eq(PH_KEY_EMPTY);
        Bool ownKey = let("block_key_is_loaded", isKey.or(isKeyD0).or(isKeyEmpty));
        c.ecb.set(isCtr.or(isKey));
        c.xor_out.set(isCtr);
        c.key.set(ownKey.mux(nx.addr.trunc(kb), isCtr.mux(e2CtrKey, e2MacKey)));
        Bool end = nx.left.le(16), whole = nx.left.ge(16);
        Bool shortT = let("t_short", isT.and(e2PLen.lt(16)));
        // (CTR alone: no memory bytes, the keystream itself)
        c.bytes.set(isD0.or(ownKey).or(isCtr.and(e2CtrOnly)).mux(UInt.lit(0, 5), whole.mux(UInt.lit(16, 5), nx.left.trunc(5))));
        c.pad.set(isKeyEmpty.or(isD0.not().and(isCtr.not()).and(ownKey.not()).and(nx.left.lt(16))));
        // the last block of a CMAC: K1 when complete (the zero block, a 16-byte end, dbl(D) xor pad(P)), else K2
        c.sub.set(isCtr.or(isKey).mux(UInt.lit(AesLanes.SUB_NONE, 2), isD0.or(shortT).or(isKeyD0).mux(UInt.lit(AesLanes.SUB_K1, 2),
                isKeyEmpty.mux(UInt.lit(AesLanes.SUB_K2, 2),
                end.mux(nx.left.eq(16).mux(UInt.lit(AesLanes.SUB_K1, 2), UInt.lit(AesLanes.SUB_K2, 2)), UInt.lit(AesLanes.SUB_NONE, 2))))));
        // masks: CTR's counter; S2V's final string: dbl(D) xor pad(P) for a short P, else P xorend D over its last 16 bytes
        UInt rem = e2PLen.trunc(4);
        // (a shift by 0 when p_len % 16 is 0: d itself)
        Bits xorendLast = let("xorend_last", shiftLeftBytes(nx.d, e2PLenShift));
        Bits xorendBefore = let("xorend_before", shiftRightBytes(nx.d, rem));
        Bool isLastT = nx.left.le(16), isBeforeT = rem.ne(0).and(nx.left.eq(e2BeforeLeft));
        Bits tMask = shortT.mux(dbl(nx.d), isLastT.mux(xorendLast, isBeforeT.mux(xorendBefore, Bits.lit(0, 128))));
        c.mask.set(isCtr.mux(nx.aux, isT.mux(tMask, Bits.lit(0, 128))));
        // the state as it is after this block: a CTR block moves the counter on
        Bits auxAfter = isCtr.mux(nx.aux.asUInt().plus(1).asBits(), nx.aux);
        Bool endsPhase = let("issued_block_ends_phase", nx.phase.eq(PH_D0).or(nx.left.le(16)));
        stMem.write(e2Lane, Bits.cat(nx.phase, nx.first, nx.addr, nx.left, nx.d, auxAfter, endsPhase), issueNow.and(adv));
        // a CTR result is written once, in E2's first cycle (not on E2's advance: a stalled E2 must not hold the memory's
        // write logic behind the lanes' and the owner's handshakes)
        Bool e2Written = regInit(new Bool(), 0).named("e2_written_reg");
        Bool ctrWrite = let("ctr_write", e2Valid.and(e2Write).and(e2Written.not()));
        when(ctrWrite, () -> e2Written.set(true));
        when(adv, () -> e2Written.set(false));
        // an owner's write goes in a cycle with no CTR result written (registered: the owner's write logic stays short)
        blk_wr.ready.set(ctrWrite.not());
        l.blk_wr.valid.set(ctrWrite.or(blk_wr.fire()));
        ctr_wr.valid.set(ctrWrite);
        ctr_wr.payload.lane.set(e2Lane);
        ctr_wr.payload.addr.set(e2WriteAddr);
        ctr_wr.payload.data.set(e2WriteData);
        ctr_wr.payload.bytes.set(e2WriteBytes);
        loadWrite.set(e2Valid.and(e2KeyWrite).and(adv));
        constMem.write(e2KeyEntry.trunc(cb), Bits.cat(e2V, dbl(e2V).xor(e2WriteData)), e2Valid.and(e2ConstWrite).and(adv));
        loadEntry.set(e2KeyEntry);
        loadKey.set(e2Key);
        if (mixed) loadWide.set(e2KeyWide);
        loadK1.set(e2KeyK1);
        l.blk_wr.payload.addr.set(ctrWrite.mux(e2WriteAddr, blk_wr.payload.addr));
        l.blk_wr.payload.data.set(ctrWrite.mux(e2WriteData, blk_wr.payload.data));
        l.blk_wr.payload.bytes.set(ctrWrite.mux(e2WriteBytes, blk_wr.payload.bytes));
        done.valid.set(doneNow);
        done.payload.lane.set(e2Lane);
        done.payload.v.set(e2V);
        done.payload.ok.set(e2Ok.or(e2CheckTag.and(e2V.eq(e2Tag))));
        Bits accepted = Bits.repeat(op.fire(), lanes).and(Bits.lit(1, lanes).shl(op.payload.lane))
                .or(Bits.repeat(key_op.fire(), lanes).and(Bits.lit(1, lanes).shl(key_op.payload.lane)));
        Bits finished = Bits.repeat(done.fire(), lanes).and(Bits.lit(1, lanes).shl(e2Lane));
        busy.set(busy.or(accepted).and(finished.not()));
    }

    /** {@code v} shifted toward its first byte by {@code n} bytes (0..15), zeros in. */
    static Bits shiftLeftBytes(Bits v, UInt n) {
        return v.shl(n.zext(7).shl(3));
    }

    /** {@code v} shifted toward its last byte by {@code n} bytes (0..15), zeros in. */
    static Bits shiftRightBytes(Bits v, UInt n) {
        return v.shr(n.zext(7).shl(3));
    }

    /** CMAC's doubling in GF(2^128) (RFC 4493 §2.3; S2V's dbl, RFC 5297 §2.3): shift left one bit, xor 0x87 on a carry out. */
    public static Bits dbl(Bits v) {
        Bits shifted = Bits.cat(v.slice(126, 0), Bits.lit(0, 1));
        return v.bit(127).mux(shifted.xor(Bits.lit(0x87, 128)), shifted);
    }
}
