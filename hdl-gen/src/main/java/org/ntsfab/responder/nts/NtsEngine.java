package org.ntsfab.responder.nts;

import org.ntsfab.responder.decide.AnswerJob;
import org.ntsfab.responder.ResponderCfg;

import java.util.ArrayList;
import java.util.List;
import org.ntsfab.ip.aes.AesSivUnit;
import org.ntsfab.hdl.Axis;
import org.ntsfab.hdl.Bits;
import org.ntsfab.hdl.Bool;
import org.ntsfab.hdl.Component;
import org.ntsfab.hdl.Fsm;
import org.ntsfab.hdl.Mem;
import org.ntsfab.hdl.Stream;
import org.ntsfab.hdl.UInt;
import org.ntsfab.hdl.lib.StreamFifo;
import static org.ntsfab.ip.stream.FrameBytes.littleEndian;
import static org.ntsfab.ip.eth.OnesComplement.fold;
import static org.ntsfab.ip.eth.OnesComplement.sum16;

/**
 * One NTS request engine (docs/responder-spec.md §9): takes an NTS-bound request (the frame's beats
 * and the decision stage's job), and produces the NTS answer, the NTSN NAK or nothing, byte for
 * byte as the reference model does.
 *
 * <p>Steps, one request at a time: the UDP payload is captured into a banked request memory (16
 * bytes readable at any 4-byte boundary per cycle); the extension fields are walked (§9.1); the
 * cookie's key id is looked up among the live master keys and the cookie opened with
 * AES-SIV-CMAC-256 (§9.2); the authenticator is opened with C2S (§9.3) and its plaintext walked for
 * encrypted placeholders; 1 + min(placeholders, max) fresh cookies are sealed under the current
 * master key, each with the next nonce, then the answer's nonce is drawn; the Unique Identifier is
 * copied behind the header's place. Then the engine asks for a departure slot ({@code commit}): the
 * transmit time T3 is the clock {@code latency} cycles ahead ({@code t3}), the header is written
 * with it, the answer sealed with S2C (AD = header ‖ Unique Identifier), its UDP checksum summed,
 * and the frame put into the output FIFO, from which it leaves exactly {@code latency} cycles after
 * the commit (the top keeps the transmit port free for it). So T3 is the clock in the cycle the
 * answer's first beat is offered, as for the header-built answers.
 *
 * <p>AES-SIV runs on two units with iterative AES cores: AES-SIV-CMAC-256 (cookies, AEAD 15) and
 * AES-SIV-CMAC-512 (AEAD 17).
 */
public final class NtsEngine extends Component {
    /** Beats of answers sealed and waiting for their departure. */
    public static final int FRAME_BEATS = 512;
    /** Answers committed and waiting for their departure cycle (the departure queue's memory depth). */
    public static final int DEPARTURES = 8;
    /** Master-key slots. */
    public static final int KEY_SLOTS = 4;
    /** Outcome codes on {@code done_outcome}. */
    public static final int DONE_MALFORMED = 0, DONE_NAK_COOKIE = 1, DONE_NAK_AUTH = 2, DONE_ANSWER = 3;

    // work memory regions (32-bit word addresses)
    private static final int PT = 0, ANS = 512, CK = 1024, KEYS = 1408;
    private static final int OP_COPEN = 0, OP_AOPEN = 1, OP_CSEAL = 2, OP_ASEAL = 3;
    private static final int SRC_REQ = 0, SRC_WORK = 1, SRC_REG = 2;

    public final Stream<NtsJob> job;
    public final Axis in;
    /** The nonce generator's seed: nonce i of request r is AES-128(seed, r || i) (spec §9.6). */
    public final Bits nonce_seed = in(new Bits(128));
    /** With a shared AES: AES-128 blocks (cookies, AEAD 15, nonces) and AES-256 blocks (AEAD 17), one of each in flight. */
    public final Stream<org.ntsfab.ip.aes.AesPipeline.Request> aes128_req, aes256_req;
    public final Stream<org.ntsfab.ip.aes.AesPipeline.Result> aes128_res, aes256_res;
    public final ResponderCfg cfg = in(new ResponderCfg());
    public final Bits key_ids = in(new Bits(32 * KEY_SLOTS));
    public final Bits key_data = in(new Bits(256 * KEY_SLOTS));
    public final Bits key_valid = in(new Bits(KEY_SLOTS));
    public final UInt key_current = in(new UInt(2));
    public final UInt max_placeholders = in(new UInt(3));
    public final UInt cycle = in(new UInt(32));
    /** High while the engine waits for its departure slot. */
    public final Bool commit_req = out(new Bool());
    /** The frame's length in beats, with {@code commit_req}. */
    public final UInt commit_beats = out(new UInt(8));
    public final Bool commit_grant = in(new Bool());
    /** The clock {@code latency} cycles from now (the ahead clock). */
    public final UInt t3 = in(new UInt(64));
    public final Axis out;
    /** The departure cycle of the next frame in the output FIFO. */
    public final Bool next_departure_valid = out(new Bool());
    public final UInt next_departure = out(new UInt(32));
    public final Bool done = out(new Bool());
    public final UInt done_outcome = out(new UInt(2));
    /** A frame that was not complete in its departure cycle (never expected: a latency too short). */
    public final Bool late = out(new Bool());

    private final Mem[] reqBanks = new Mem[4];
    private final Mem[] workBanks = new Mem[4];

    /**
     * @param latency cycles from commit to departure (T3 is taken for then)
     * @param sharedAes false: the engine has its own iterative AES-128 and AES-256 cores; true: its blocks go out on
     *     {@code aes128_*} / {@code aes256_*} to cores shared with other engines
     */
    /** Commit-to-departure latency of one engine with its own iterative AES (the example configuration's). */
    public static final int DEFAULT_LATENCY = 4096;

    public NtsEngine(int latency, boolean sharedAes) {
        // the departure is a constant latency after the commit: a latency other than the default one's is in the name
        moduleName((sharedAes ? "nts_engine_x" : "nts_engine") + (latency == DEFAULT_LATENCY ? "" : "_l" + latency));
        job = slave(new Stream<>(new NtsJob()));
        in = slave(new Axis(8, 1));
        out = master(new Axis(8, 1));
        for (int b = 0; b < 4; b++) reqBanks[b] = mem(32, 128).named("req_bank" + b);
        for (int b = 0; b < 4; b++) workBanks[b] = mem(32, 512).named("work_bank" + b);

        AesSivUnit siv256 = add("siv256", new AesSivUnit(128, 128, AesSivUnit.Aes.EXTERNAL));
        AesSivUnit siv512 = add("siv512", new AesSivUnit(256, 128, AesSivUnit.Aes.EXTERNAL));
        if (sharedAes) {
            aes128_req = master(new Stream<>(new org.ntsfab.ip.aes.AesPipeline.Request(128, 1)));
            aes128_res = slave(new Stream<>(new org.ntsfab.ip.aes.AesPipeline.Result(1)));
            aes256_req = master(new Stream<>(new org.ntsfab.ip.aes.AesPipeline.Request(256, 1)));
            aes256_res = slave(new Stream<>(new org.ntsfab.ip.aes.AesPipeline.Result(1)));
        } else {
            org.ntsfab.ip.aes.AesIterative a128 = add("aes128", new org.ntsfab.ip.aes.AesIterative(128, 1));
            org.ntsfab.ip.aes.AesIterative a256 = add("aes256", new org.ntsfab.ip.aes.AesIterative(256, 1));
            aes128_req = a128.in;
            aes128_res = a128.out;
            aes256_req = a256.in;
            aes256_res = a256.out;
        }
        aes256_req.connectFrom(siv512.aes_req);
        siv512.aes_res.connectFrom(aes256_res);

        // ---- the request and what the walk finds -------------------------------------------------
        AnswerJob jobReg = reg(new AnswerJob());
        jobReg.named("job");
        UInt pOff = reg(new UInt(8)).named("payload_offset_reg");
        UInt plen = reg(new UInt(11)).named("payload_length_reg");
        UInt o = reg(new UInt(11)).named("walk_offset_reg");
        UInt uidN = reg(new UInt(2)).named("uid_count_reg");
        UInt cookieN = reg(new UInt(2)).named("cookie_count_reg");
        Bool authSeen = reg(new Bool()).named("auth_seen_reg");
        Bool cbodySet = reg(new Bool()).named("cookie_body_set_reg");
        Bool bad = reg(new Bool()).named("malformed_reg");
        UInt uidW = reg(new UInt(9)).named("uid_word_reg");
        UInt uidLen = reg(new UInt(11)).named("uid_length_reg");
        UInt ckW = reg(new UInt(9)).named("cookie_word_reg");
        UInt cbody = reg(new UInt(11)).named("cookie_body_reg");
        UInt authW = reg(new UInt(9)).named("auth_word_reg");
        UInt authLen = reg(new UInt(11)).named("auth_length_reg");
        UInt nl = reg(new UInt(16)).named("nonce_length_reg");
        UInt cl = reg(new UInt(16)).named("ciphertext_length_reg");
        UInt ph = reg(new UInt(4)).named("placeholders_reg");
        Bool aead17 = reg(new Bool()).named("aead17_reg");
        UInt slot = reg(new UInt(2)).named("key_slot_reg");
        Bits tagReg = reg(new Bits(128)).named("tag_reg");
        Bits nonceReg = reg(new Bits(128)).named("nonce_reg");
        UInt fresh = reg(new UInt(4)).named("fresh_cookies_reg");
        UInt ci = reg(new UInt(4)).named("cookie_index_reg");
        UInt ckBase = reg(new UInt(11)).named("cookie_base_reg");
        UInt t3Reg = reg(new UInt(64)).named("t3_reg");
        UInt outcomeReg = reg(new UInt(2)).named("outcome_reg");
        Bits reqNo = reg(new Bits(64)).named("request_number_reg");
        List<Bits> keyWords = new ArrayList<>();
        for (int i = 0; i < 8; i++) keyWords.add(reg(new Bits(128)).named("opened_key" + i + "_reg"));

        AnswerJob fields = jobReg;
        Bool jV6 = fields.v6, jTag = fields.tagged;
        Bits jTci = fields.tci, jMac = fields.mac, jIp = fields.ip, jPort = fields.port, jVn = fields.vn, jPoll = fields.poll, jOrigin = fields.origin,
                jT2 = fields.t2, jLeap = fields.leap;

        // ---- memory ports ------------------------------------------------------------------------
        UInt reqRdAddr = wire(new UInt(9), 0).named("req_read_addr");
        Bool reqRdEn = wire(new Bool(), 0).named("req_read_en");
        UInt workRdAddr = wire(new UInt(11), 0).named("work_read_addr");
        Bool workRdEn = wire(new Bool(), 0).named("work_read_en");
        Bits reqWin = read4(reqBanks, reqRdAddr, reqRdEn, "req");
        Bits workWin = read4(workBanks, workRdAddr, workRdEn, "work");
        UInt reqWrAddr = wire(new UInt(9), 0).named("req_write_addr");
        Bits reqWrData = wire(new Bits(128), 0).named("req_write_data");
        UInt reqWrCount = wire(new UInt(3), 0).named("req_write_count");
        write4(reqBanks, reqWrAddr, reqWrData, reqWrCount);
        UInt wkWrAddr = wire(new UInt(11), 0).named("work_write_addr");
        Bits wkWrData = wire(new Bits(128), 0).named("work_write_data");
        UInt wkWrCount = wire(new UInt(3), 0).named("work_write_count");
        write4(workBanks, wkWrAddr, wkWrData, wkWrCount);

        // ---- keys --------------------------------------------------------------------------------
        UInt keyIdLook = wire(new UInt(32), 0).named("key_id_lookup");
        Bool hit = Bool.lit(false);
        UInt hitSlot = UInt.lit(0, 2);
        for (int s = KEY_SLOTS - 1; s >= 0; s--) {
            Bool h = key_valid.bit(s).and(key_ids.part(32 * s, 32).asUInt().eq(keyIdLook));
            hit = hit.or(h);
            hitSlot = h.mux(UInt.lit(s, 2), hitSlot);
        }
        Bool keyHit = let("key_hit", hit);
        UInt keyHitSlot = let("key_hit_slot", hitSlot);
        Bits slotKey = selectKey(slot);
        Bits curKey = selectKey(key_current);
        UInt cid = key_ids.part(0, 32).asUInt();
        for (int s = 1; s < KEY_SLOTS; s++) cid = key_current.eq(s).mux(key_ids.part(32 * s, 32).asUInt(), cid);
        UInt curId = let("current_key_id", cid);
        UInt cp = reg(new UInt(9)).named("copy_word_reg");
        UInt csum = reg(new UInt(32)).named("payload_sum_reg");
        UInt eb = reg(new UInt(8)).named("emit_beat_reg");
        UInt ew = reg(new UInt(11)).named("emit_word_reg");

        // ---- the SIV command, message feeder and output collector --------------------------------
        UInt op = reg(new UInt(2)).named("op_reg");
        UInt step = reg(new UInt(2)).named("step_reg");
        UInt fSrc = reg(new UInt(2)).named("feed_src_reg");
        UInt fAddr = reg(new UInt(11)).named("feed_addr_reg");
        UInt fLen = reg(new UInt(11)).named("feed_len_reg");
        Bits fVal = reg(new Bits(128)).named("feed_value_reg");
        Bool fPlain = reg(new Bool()).named("feed_plain_reg");
        UInt outAddr = reg(new UInt(11)).named("out_addr_reg");
        UInt outIdx = reg(new UInt(4)).named("out_index_reg");
        Bool outDone = reg(new Bool()).named("out_done_reg");
        Bool outOk = reg(new Bool()).named("out_ok_reg");
        Bool big = let("use_siv512", aead17.and(op.eq(OP_AOPEN).or(op.eq(OP_ASEAL))));

        enum NtsState { IDLE, CAP, WALK, WALK2, WCHK, AHDR, AHDR2, CKID, CKID2, TAG, TAG2, CMD, SETUP, FEED, FEED2, COLLECT, AUTHTAG, AUTHTAG2, PWALK, PWALK2, NONCE, NONCE_W, CKHDR, CKHDR2, ANONCE, ANONCE_W, UIDCP, UIDCP2, AUTHHDR, AUTHHDR2, COMMIT, HDR, SUMRD, SUM, EMIT, EMIT2, FINISH }

        Fsm<NtsState> f = new Fsm<>(this, "nts_state", NtsState.class);

        Bits cmdKey512 = op.eq(OP_AOPEN).mux(Bits.cat(keyWords.get(0), keyWords.get(1), keyWords.get(2), keyWords.get(3)),
                Bits.cat(keyWords.get(4), keyWords.get(5), keyWords.get(6), keyWords.get(7)));
        Bits cmdKey256 = op.eq(OP_COPEN).mux(slotKey, op.eq(OP_CSEAL).mux(curKey,
                op.eq(OP_AOPEN).mux(Bits.cat(keyWords.get(0), keyWords.get(1)), Bits.cat(keyWords.get(2), keyWords.get(3)))));
        Bool cmdOpen = op.eq(OP_COPEN).or(op.eq(OP_AOPEN));
        siv256.cmd.valid.set(f.is(NtsState.CMD).and(big.not()));
        siv512.cmd.valid.set(f.is(NtsState.CMD).and(big));
        siv256.cmd.payload.open.set(cmdOpen);
        siv512.cmd.payload.open.set(cmdOpen);
        siv256.cmd.payload.key.set(cmdKey256);
        siv512.cmd.payload.key.set(cmdKey512);
        siv256.cmd.payload.tag.set(tagReg);
        siv512.cmd.payload.tag.set(tagReg);
        Bool cmdFire = siv256.cmd.fire().or(siv512.cmd.fire());

        Bool lastStep = step.eq(2);
        Bool fEnd = fLen.le(16);
        Bits feedData = fSrc.eq(SRC_REG).mux(fVal, fSrc.eq(SRC_REQ).mux(reqWin, workWin));
        for (AesSivUnit u : List.of(siv256, siv512)) {
            u.msg.valid.set(f.is(NtsState.FEED2).and(u == siv512 ? big : big.not()));
            u.msg.payload.data.set(feedData);
            u.msg.payload.bytes.set(fEnd.mux(fLen.trunc(5), UInt.lit(16, 5)));
            u.msg.payload.seg_last.set(fEnd);
            u.msg.payload.plain.set(fPlain);
            u.msg.payload.msg_last.set(fEnd.and(lastStep));
        }
        Bool msgFire = siv256.msg.fire().or(siv512.msg.fire());
        siv256.out.ready.set(Bool.lit(true));
        siv512.out.ready.set(Bool.lit(true));
        Bool oValid = big.mux(siv512.out.valid, siv256.out.valid);
        Bits oData = big.mux(siv512.out.payload.data, siv256.out.payload.data);
        Bool oLast = big.mux(siv512.out.payload.last, siv256.out.payload.last);
        Bool oOk = big.mux(siv512.out.payload.ok, siv256.out.payload.ok);
        when(oValid, () -> {
            outAddr.set(outAddr.plus(4));
            outIdx.set(outIdx.plus(1));
            when(oLast, () -> {
                outDone.set(true);
                outOk.set(oOk);
            });
            when(op.eq(OP_COPEN), () -> {
                for (int i = 0; i < 8; i++) {
                    final int k = i;
                    when(outIdx.eq(k), () -> keyWords.get(k).set(oData));
                }
            });
        });

        // lengths derived from the walk
        UInt nlPad = let("nonce_length_padded", nl.plus(3).and(UInt.lit(0xfffc, 16)));
        UInt clPad = cl.plus(3).and(UInt.lit(0xfffc, 16));
        UInt ctW = let("ciphertext_word", authW.plus(2).plus(nlPad.slice(10, 2)));
        UInt keyLen2 = aead17.mux(UInt.lit(128, 11), UInt.lit(64, 11));
        UInt efLen = cbody.plus(4);
        UInt efW = efLen.slice(10, 2).zext(11);
        UInt ptOutLen = let("answer_plain_length", fresh.zext(11).times(efLen).trunc(11));
        UInt awW = let("auth_out_word", UInt.lit(12, 11).plus(uidLen.slice(10, 2).zext(11)));
        UInt natEndW = let("natural_end_word", outcomeReg.eq(DONE_ANSWER).mux(awW.plus(10).plus(ptOutLen.slice(10, 2).zext(11)),
                UInt.lit(12, 11).plus(uidLen.slice(10, 2).zext(11))));
        UInt ansLen = let("answer_payload_length", outcomeReg.eq(DONE_ANSWER).mux(plen, UInt.lit(48, 11).plus(uidLen)));

        // SETUP: the range for (op, step)
        Runnable setup = () -> {
            fPlain.set(lastStep);
            var sw = switchOn(UInt.cat(op, step));
            // cookie open (spec §9.2, chrony's layout): the empty associated data, the nonce, the ciphertext after the tag
            sw.is(OP_COPEN * 4, () -> range(fSrc, fAddr, fLen, SRC_REG, UInt.lit(0, 11), UInt.lit(0, 11)));
            sw.is(OP_COPEN * 4 + 1, () -> range(fSrc, fAddr, fLen, SRC_REQ, ckW.plus(2).zext(11), UInt.lit(16, 11)));
            sw.is(OP_COPEN * 4 + 2, () -> range(fSrc, fAddr, fLen, SRC_REQ, ckW.plus(10).zext(11), cbody.minus(36)));
            // authenticator open: the payload before the field, the nonce, the ciphertext after the tag
            sw.is(OP_AOPEN * 4, () -> range(fSrc, fAddr, fLen, SRC_REQ, UInt.lit(0, 11), UInt.cat(authW, UInt.lit(0, 2)).trunc(11)));
            sw.is(OP_AOPEN * 4 + 1, () -> range(fSrc, fAddr, fLen, SRC_REQ, authW.plus(2).zext(11), nl.trunc(11)));
            sw.is(OP_AOPEN * 4 + 2, () -> range(fSrc, fAddr, fLen, SRC_REQ, ctW.plus(4).zext(11), cl.minus(16).trunc(11)));
            // cookie seal: the empty associated data, nonce, C2S || S2C (the current key id is written before the nonce)
            sw.is(OP_CSEAL * 4, () -> range(fSrc, fAddr, fLen, SRC_REG, UInt.lit(0, 11), UInt.lit(0, 11)));
            sw.is(OP_CSEAL * 4 + 1, () -> {
                range(fSrc, fAddr, fLen, SRC_REG, UInt.lit(0, 11), UInt.lit(16, 11));
                fVal.set(nonceReg);
            });
            sw.is(OP_CSEAL * 4 + 2, () -> range(fSrc, fAddr, fLen, SRC_WORK, UInt.lit(KEYS, 11), keyLen2));
            // answer seal: header || Unique Identifier, nonce, the fresh cookies
            sw.is(OP_ASEAL * 4, () -> range(fSrc, fAddr, fLen, SRC_WORK, UInt.lit(ANS, 11), UInt.lit(48, 11).plus(uidLen)));
            sw.is(OP_ASEAL * 4 + 1, () -> {
                range(fSrc, fAddr, fLen, SRC_REG, UInt.lit(0, 11), UInt.lit(16, 11));
                fVal.set(nonceReg);
            });
            sw.is(OP_ASEAL * 4 + 2, () -> range(fSrc, fAddr, fLen, SRC_WORK, UInt.lit(CK, 11), ptOutLen));
            sw.otherwise(() -> { });
        };

        // ---- capture ------------------------------------------------------------------------------
        UInt k = reg(new UInt(12)).named("capture_pos_reg");  // 8b - 2 - offset: the frame position of this beat's first payload word
        Bits carry = reg(new Bits(16)).named("capture_carry_reg");
        job.ready.set(f.is(NtsState.IDLE));
        in.ready.set(f.is(NtsState.CAP));
        Bits beatBe = Bits.cat(in.tdata().part(0, 8), in.tdata().part(8, 8), in.tdata().part(16, 8), in.tdata().part(24, 8),
                in.tdata().part(32, 8), in.tdata().part(40, 8), in.tdata().part(48, 8), in.tdata().part(56, 8));
        Bits p1 = Bits.cat(carry, beatBe.slice(63, 48));
        Bits p2 = beatBe.slice(47, 16);
        UInt k4 = k.plus(4);
        Bool p1ok = k.bit(11).not();
        Bool p2ok = k4.bit(11).not();

        f.on(NtsState.IDLE, () -> when(job.fire(), () -> {
            jobReg.setFrom(job.payload.request);
            pOff.set(job.payload.payload_offset);
            plen.set(job.payload.payload_length);
            reqNo.set(job.payload.request_number);
            k.set(UInt.lit(0, 12).minus(job.payload.payload_offset.zext(12)).minus(2));
            f.goTo(NtsState.CAP);
        }));
        f.on(NtsState.CAP, () -> when(in.fire(), () -> {
            when(p1ok, () -> {
                reqWrAddr.set(k.slice(10, 2));
                reqWrData.set(Bits.cat(p1, p2, Bits.lit(0, 64)));
                reqWrCount.set(2);
            }).elseWhen(p2ok, () -> {
                reqWrAddr.set(UInt.lit(0, 9));
                reqWrData.set(Bits.cat(p2, Bits.lit(0, 96)));
                reqWrCount.set(1);
            });
            carry.set(beatBe.slice(15, 0));
            k.set(k.plus(8));
            when(in.tlast(), () -> {
                o.set(48);
                uidN.set(0);
                cookieN.set(0);
                authSeen.set(false);
                cbodySet.set(false);
                bad.set(false);
                ph.set(0);
                f.goTo(NtsState.WALK);
            });
        }));

        // ---- §9.1 walk ----------------------------------------------------------------------------
        f.on(NtsState.WALK, () -> {
            reqRdAddr.set(o.slice(10, 2));
            reqRdEn.set(true);
            when(o.ge(plen), () -> f.goTo(NtsState.WCHK)).otherwise(() -> f.goTo(NtsState.WALK2));
        });
        Bits fh = reqWin.slice(127, 96);
        UInt fType = fh.slice(31, 16).asUInt();
        UInt fLenW = fh.slice(15, 0).asUInt().trunc(11);
        UInt body = fLenW.minus(4);
        f.on(NtsState.WALK2, () -> {
            o.set(o.plus(fLenW));
            f.goTo(NtsState.WALK);
            when(fType.eq(0x0104), () -> {
                when(uidN.ne(0).or(body.lt(32)), () -> bad.set(true));
                uidN.set(1);
                uidW.set(o.slice(10, 2));
                uidLen.set(fLenW);
            });
            when(fType.eq(0x0204).or(fType.eq(0x0304)), () -> {
                when(cbodySet.and(cbody.ne(body)), () -> bad.set(true));
                cbodySet.set(true);
                cbody.set(body);
                when(fType.eq(0x0204), () -> {
                    when(cookieN.ne(0), () -> bad.set(true));
                    cookieN.set(1);
                    ckW.set(o.slice(10, 2));
                }).otherwise(() -> when(ph.ne(15), () -> ph.set(ph.plus(1))));
            });
            when(fType.eq(0x0404), () -> {
                when(o.plus(fLenW).ne(plen), () -> bad.set(true));
                authSeen.set(true);
                authW.set(o.slice(10, 2));
                authLen.set(fLenW);
            });
        });
        Runnable finishNow = () -> f.goTo(NtsState.FINISH);
        Runnable toUid = () -> {
            cp.set(0);
            f.goTo(NtsState.UIDCP);
        };
        f.on(NtsState.WCHK, () -> {
            when(bad.or(uidN.ne(1)).or(cookieN.ne(1)).or(authSeen.not()), () -> {
                outcomeReg.set(DONE_MALFORMED);
                finishNow.run();
            }).otherwise(() -> f.goTo(NtsState.AHDR));
        });
        f.on(NtsState.AHDR, () -> {
            reqRdAddr.set(authW.plus(1));
            reqRdEn.set(true);
            f.goTo(NtsState.AHDR2);
        });
        f.on(NtsState.AHDR2, () -> {
            UInt rnl = reqWin.slice(127, 112).asUInt();
            UInt rcl = reqWin.slice(111, 96).asUInt();
            nl.set(rnl);
            cl.set(rcl);
            UInt need = UInt.lit(4, 18).plus(rnl.plus(3).and(UInt.lit(0xfffc, 16)).zext(18)).plus(rcl.plus(3).and(UInt.lit(0xfffc, 16)).zext(18));
            Bool fits = need.le(authLen.minus(4).zext(18));
            when(fits.not().or(rnl.lt(16)).or(rcl.lt(16)), () -> {
                outcomeReg.set(DONE_MALFORMED);
                finishNow.run();
            }).otherwise(() -> f.goTo(NtsState.CKID));
        });

        // ---- §9.2 cookie --------------------------------------------------------------------------
        Bool len15 = cbody.eq(100), len17 = cbody.eq(164);
        f.on(NtsState.CKID, () -> {
            reqRdAddr.set(ckW.plus(1));
            reqRdEn.set(true);
            outcomeReg.set(DONE_NAK_COOKIE);
            aead17.set(len17);
            when(len15.or(len17), () -> f.goTo(NtsState.CKID2)).otherwise(toUid);
        });
        f.on(NtsState.CKID2, () -> {
            keyIdLook.set(reqWin.slice(127, 96).asUInt());
            slot.set(keyHitSlot);
            when(keyHit, () -> f.goTo(NtsState.TAG)).otherwise(toUid);
        });
        f.on(NtsState.TAG, () -> {
            reqRdAddr.set(ckW.plus(6));
            reqRdEn.set(true);
            f.goTo(NtsState.TAG2);
        });
        f.on(NtsState.TAG2, () -> {
            tagReg.set(reqWin);
            op.set(OP_COPEN);
            outAddr.set(KEYS);
            f.goTo(NtsState.CMD);
        });

        // ---- one SIV operation: command, the three message parts, the output ----------------------
        f.on(NtsState.CMD, () -> {
            step.set(0);
            outIdx.set(0);
            outDone.set(false);
            when(cmdFire, () -> f.goTo(NtsState.SETUP));
        });
        f.on(NtsState.SETUP, () -> {
            setup.run();
            f.goTo(NtsState.FEED);
        });
        f.on(NtsState.FEED, () -> {
            reqRdAddr.set(fAddr.trunc(9));
            workRdAddr.set(fAddr);
            reqRdEn.set(true);
            workRdEn.set(true);
            f.goTo(NtsState.FEED2);
        });
        f.on(NtsState.FEED2, () -> when(msgFire, () -> {
            fAddr.set(fAddr.plus(4));
            fLen.set(fLen.minus(16));
            when(fEnd, () -> {
                step.set(step.plus(1));
                when(lastStep, () -> f.goTo(NtsState.COLLECT)).otherwise(() -> f.goTo(NtsState.SETUP));
            }).otherwise(() -> f.goTo(NtsState.FEED));
        }));
        // the output words go to the work memory as they come (open: plaintext; seal: V then C)
        when(oValid, () -> {
            wkWrAddr.set(outAddr);
            wkWrData.set(oData);
            wkWrCount.set(4);
        });
        f.on(NtsState.COLLECT, () -> when(outDone, () -> {
            var sw = switchOn(op);
            sw.is(OP_COPEN, () -> when(outOk, () -> f.goTo(NtsState.AUTHTAG)).otherwise(toUid));
            sw.is(OP_AOPEN, () -> {
                o.set(0);
                when(outOk, () -> f.goTo(NtsState.PWALK)).otherwise(() -> {
                    outcomeReg.set(DONE_NAK_AUTH);
                    toUid.run();
                });
            });
            sw.is(OP_CSEAL, () -> {
                ci.set(ci.plus(1));
                ckBase.set(ckBase.plus(efW));
                when(ci.plus(1).eq(fresh), () -> f.goTo(NtsState.ANONCE)).otherwise(() -> f.goTo(NtsState.NONCE));
            });
            sw.is(OP_ASEAL, () -> {
                o.set(0);
                csum.set(0);
                f.goTo(NtsState.SUMRD);
            });
        }));

        // ---- §9.3 authenticator ---------------------------------------------------------------------
        f.on(NtsState.AUTHTAG, () -> {
            reqRdAddr.set(ctW);
            reqRdEn.set(true);
            outcomeReg.set(DONE_NAK_AUTH);
            f.goTo(NtsState.AUTHTAG2);
        });
        f.on(NtsState.AUTHTAG2, () -> {
            tagReg.set(reqWin);
            op.set(OP_AOPEN);
            outAddr.set(PT);
            f.goTo(NtsState.CMD);
        });
        // the plaintext's fields: encrypted placeholders count like plain ones
        UInt ptLen = let("auth_plain_length", cl.minus(16).trunc(11));
        f.on(NtsState.PWALK, () -> {
            workRdAddr.set(UInt.lit(PT, 11).plus(o.slice(10, 2).zext(11)));
            workRdEn.set(true);
            when(o.ge(ptLen), () -> {
                UInt capped = ph.gt(max_placeholders.zext(4)).mux(max_placeholders.zext(4), ph);
                fresh.set(capped.plus(1));
                ci.set(0);
                ckBase.set(CK);
                outcomeReg.set(DONE_ANSWER);
                f.goTo(NtsState.NONCE);
            }).elseWhen(ptLen.minus(o).lt(16), () -> {
                outcomeReg.set(DONE_MALFORMED);
                finishNow.run();
            }).otherwise(() -> f.goTo(NtsState.PWALK2));
        });
        Bits pfh = workWin.slice(127, 96);
        UInt pLen = pfh.slice(15, 0).asUInt();
        f.on(NtsState.PWALK2, () -> {
            Bool lenBad = pLen.lt(16).or(pLen.slice(1, 0).ne(0)).or(pLen.gt(ptLen.minus(o).zext(16)));
            Bool phBad = pfh.slice(31, 16).asUInt().eq(0x0304).and(pLen.minus(4).ne(cbody.zext(16)));
            when(lenBad.or(phBad), () -> {
                outcomeReg.set(DONE_MALFORMED);
                finishNow.run();
            }).otherwise(() -> {
                when(pfh.slice(31, 16).asUInt().eq(0x0304).and(ph.ne(15)), () -> ph.set(ph.plus(1)));
                o.set(o.plus(pLen.trunc(11)));
                f.goTo(NtsState.PWALK);
            });
        });

        // ---- §9.5 fresh cookies ----------------------------------------------------------------------
        // nonces on the AES-128 port, between SIV operations: AES-128(seed, r || i)
        Bool nonceIssue = f.is(NtsState.NONCE).or(f.is(NtsState.ANONCE));
        Bool nonceWait = f.is(NtsState.NONCE_W).or(f.is(NtsState.ANONCE_W));
        aes128_req.valid.set(nonceIssue.or(siv256.aes_req.valid));
        aes128_req.payload.key.set(nonceIssue.mux(nonce_seed, siv256.aes_req.payload.key));
        aes128_req.payload.block.set(nonceIssue.mux(Bits.cat(reqNo, f.is(NtsState.NONCE).mux(ci, fresh).zext(64).asBits()),
                siv256.aes_req.payload.block));
        aes128_req.payload.tag.set(Bits.lit(0, 1));
        siv256.aes_req.ready.set(aes128_req.ready.and(nonceIssue.not()));
        siv256.aes_res.valid.set(aes128_res.valid.and(nonceWait.not()));
        siv256.aes_res.payload.setFrom(aes128_res.payload);
        aes128_res.ready.set(Bool.lit(true));
        f.on(NtsState.NONCE, () -> when(aes128_req.fire(), () -> f.goTo(NtsState.NONCE_W)));
        f.on(NtsState.NONCE_W, () -> when(aes128_res.valid, () -> {
            nonceReg.set(aes128_res.payload.block);
            f.goTo(NtsState.CKHDR);
        }));
        f.on(NtsState.CKHDR, () -> {
            wkWrAddr.set(ckBase);
            wkWrData.set(Bits.cat(Bits.lit(0x0204, 16), efLen.zext(16).asBits(), curId.asBits(), nonceReg.slice(127, 64)));
            wkWrCount.set(4);
            f.goTo(NtsState.CKHDR2);
        });
        f.on(NtsState.CKHDR2, () -> {
            wkWrAddr.set(ckBase.plus(4));
            wkWrData.set(Bits.cat(nonceReg.slice(63, 0), Bits.lit(0, 64)));
            wkWrCount.set(2);
            op.set(OP_CSEAL);
            outAddr.set(ckBase.plus(6));
            f.goTo(NtsState.CMD);
        });
        f.on(NtsState.ANONCE, () -> when(aes128_req.fire(), () -> f.goTo(NtsState.ANONCE_W)));
        f.on(NtsState.ANONCE_W, () -> when(aes128_res.valid, () -> {
            nonceReg.set(aes128_res.payload.block);
            toUid.run();
        }));

        // ---- the Unique Identifier behind the header (answers and NAKs) -------------------------------
        UInt uidWords = uidLen.slice(10, 2).zext(9);
        f.on(NtsState.UIDCP, () -> {
            reqRdAddr.set(uidW.plus(cp));
            reqRdEn.set(true);
            f.goTo(NtsState.UIDCP2);
        });
        f.on(NtsState.UIDCP2, () -> {
            UInt left = uidWords.minus(cp);
            wkWrAddr.set(UInt.lit(ANS + 12, 11).plus(cp.zext(11)));
            wkWrData.set(reqWin);
            wkWrCount.set(left.ge(4).mux(UInt.lit(4, 3), left.trunc(3)));
            cp.set(cp.plus(4));
            when(left.le(4), () -> when(outcomeReg.eq(DONE_ANSWER), () -> f.goTo(NtsState.AUTHHDR)).otherwise(() -> f.goTo(NtsState.COMMIT)))
                    .otherwise(() -> f.goTo(NtsState.UIDCP));
        });
        f.on(NtsState.AUTHHDR, () -> {
            wkWrAddr.set(UInt.lit(ANS, 11).plus(awW));
            UInt fieldLen = plen.minus(48).minus(uidLen);
            wkWrData.set(Bits.cat(Bits.lit(0x0404, 16), fieldLen.zext(16).asBits(), Bits.lit(16, 16),
                    UInt.lit(16, 16).plus(ptOutLen.zext(16)).asBits(), nonceReg.slice(127, 64)));
            wkWrCount.set(4);
            f.goTo(NtsState.AUTHHDR2);
        });
        f.on(NtsState.AUTHHDR2, () -> {
            wkWrAddr.set(UInt.lit(ANS + 4, 11).plus(awW));
            wkWrData.set(Bits.cat(nonceReg.slice(63, 0), Bits.lit(0, 64)));
            wkWrCount.set(2);
            f.goTo(NtsState.COMMIT);
        });

        // ---- departure slot, header, answer seal --------------------------------------------------
        UInt hdrLen = let("frame_header_length", jTag.mux(UInt.lit(18, 8), UInt.lit(14, 8)).plus(jV6.mux(UInt.lit(48, 8), UInt.lit(28, 8))));
        UInt frameLen = let("frame_length", hdrLen.zext(11).plus(ansLen));
        UInt beats = frameLen.plus(7).slice(10, 3).trunc(8);
        // answers sealed and waiting for their departure (latency / engine time of them at most)
        StreamFifo<UInt> departQ = add("departure_queue", new StreamFifo<>(() -> new UInt(32), DEPARTURES));
        // the frame queue for departure; a commit waits until this answer fits beside the ones still waiting, so the frame is
        // always complete at its departure (never "late")
        StreamFifo<Axis.Beat> frames = add("frame_fifo", new StreamFifo<>(() -> new Axis.Beat(8, 1), FRAME_BEATS, "tvalid", "tready"));
        Bool fits = let("frame_fits", frames.level.zext(12).plus(beats.zext(12)).le(FRAME_BEATS));
        commit_req.set(f.is(NtsState.COMMIT).and(departQ.in.ready).and(fits));
        commit_beats.set(beats);
        departQ.in.valid.set(f.is(NtsState.COMMIT).and(commit_grant));
        departQ.in.payload.set(cycle.plus(latency));
        UInt hw = reg(new UInt(2)).named("header_word_reg");
        f.on(NtsState.COMMIT, () -> when(commit_grant.and(departQ.in.ready).and(fits), () -> {
            t3Reg.set(t3);
            hw.set(0);
            f.goTo(NtsState.HDR);
        }));
        Bool nak = outcomeReg.ne(DONE_ANSWER);
        Bits li = nak.mux(Bits.lit(3, 2), cfg.synced.mux(jLeap, Bits.lit(3, 2)));
        Bits stratum = nak.mux(Bits.lit(0, 8), cfg.synced.mux(cfg.stratum.asBits(), Bits.lit(16, 8)));
        Bits header = let("ntp_header", Bits.cat(li, jVn, Bits.lit(4, 3), stratum, jPoll, cfg.precision,
                nak.mux(Bits.lit(0, 32), cfg.root_delay), nak.mux(Bits.lit(0, 32), cfg.root_dispersion),
                nak.mux(Bits.lit(0x4e54534eL, 32), cfg.refid), nak.mux(Bits.lit(0, 32), jT2.slice(63, 32)), Bits.lit(0, 32),
                jOrigin, jT2, t3Reg.asBits()));
        f.on(NtsState.HDR, () -> {
            wkWrAddr.set(UInt.lit(ANS, 11).plus(UInt.cat(hw, UInt.lit(0, 2)).zext(11)));
            wkWrCount.set(4);
            var sw = switchOn(hw);
            sw.is(0, () -> wkWrData.set(header.slice(383, 256)));
            sw.is(1, () -> wkWrData.set(header.slice(255, 128)));
            sw.otherwise(() -> wkWrData.set(header.slice(127, 0)));
            hw.set(hw.plus(1));
            when(hw.eq(2), () -> when(nak, () -> {
                o.set(0);
                csum.set(0);
                f.goTo(NtsState.SUMRD);
            }).otherwise(() -> {
                op.set(OP_ASEAL);
                outAddr.set(UInt.lit(ANS + 6, 11).plus(awW));
                f.goTo(NtsState.CMD);
            }));
        });

        // ---- UDP checksum over the payload, padding included as zeros -------------------------------
        // words at or past the natural end read as zero (the authenticator's padding)
        UInt rdBase = reg(new UInt(11)).named("work_read_base_reg");
        when(workRdEn, () -> rdBase.set(workRdAddr.minus(ANS)));
        List<Bits> mw = new ArrayList<>();
        for (int m = 0; m < 4; m++) mw.add(rdBase.plus(m).lt(natEndW).mux(workWin.part(96 - 32 * m, 32), Bits.lit(0, 32)));
        Bits maskedWork = let("work_window_masked", Bits.cat(mw));
        f.on(NtsState.SUMRD, () -> {
            workRdAddr.set(UInt.lit(ANS, 11).plus(o.slice(10, 2).zext(11)));
            workRdEn.set(true);
            f.goTo(NtsState.SUM);
        });
        f.on(NtsState.SUM, () -> {
            csum.set(csum.plus(sum16(maskedWork)));
            o.set(o.plus(16));
            when(o.plus(16).ge(ansLen), () -> {
                eb.set(0);
                ew.set(0);
                f.goTo(NtsState.EMIT);
            }).otherwise(() -> f.goTo(NtsState.SUMRD));
        });

        // ---- the frame: Ethernet, IP, UDP headers, then the payload from the work memory --------------
        Bits ourIp6 = cfg.ipv6, ourIp4 = cfg.ipv4;
        UInt udpLen = let("udp_length", ansLen.zext(16).plus(8));
        UInt pseudo = jV6.mux(sum16(ourIp6).plus(sum16(jIp)), sum16(ourIp4).plus(sum16(jIp.slice(31, 0))))
                .plus(17).plus(udpLen.zext(32)).plus(123).plus(jPort.asUInt().zext(32)).plus(udpLen.zext(32));
        UInt udpFolded = fold(pseudo.plus(fold(csum).zext(32)));
        UInt udpCsum = let("udp_checksum", udpFolded.eq(0xffff).mux(UInt.lit(0xffff, 16), udpFolded.not()));
        Bits udp = Bits.cat(Bits.lit(123, 16), jPort, udpLen.asBits(), udpCsum.asBits());
        Bits ip4NoSum = Bits.cat(Bits.lit(0x4500, 16), udpLen.plus(20).asBits(), Bits.lit(0, 16), Bits.lit(0x4000, 16), cfg.ttl.asBits(),
                Bits.lit(17, 8), Bits.lit(0, 16), ourIp4, jIp.slice(31, 0));
        UInt ip4Sum = fold(sum16(ip4NoSum)).not();
        Bits ip4 = Bits.cat(ip4NoSum.slice(159, 80), ip4Sum.asBits(), ip4NoSum.slice(63, 0));
        Bits ip6 = Bits.cat(Bits.lit(0x60000000L, 32), udpLen.asBits(), Bits.lit(17, 8), cfg.ttl.asBits(), ourIp6, jIp);
        Bits ethTagged = Bits.cat(jMac, cfg.mac, Bits.lit(0x8100, 16), jTci);
        Bits ethPlain = Bits.cat(jMac, cfg.mac);
        Bits hdrBytes = let("frame_header", jV6.mux(
                jTag.mux(littleEndian(Bits.cat(ethTagged, Bits.lit(0x86dd, 16), ip6, udp), 72), littleEndian(Bits.cat(ethPlain, Bits.lit(0x86dd, 16), ip6, udp), 72)),
                jTag.mux(littleEndian(Bits.cat(ethTagged, Bits.lit(0x0800, 16), ip4, udp), 72), littleEndian(Bits.cat(ethPlain, Bits.lit(0x0800, 16), ip4, udp), 72))));
        // the boundary beat b0 holds hb header bytes (2 or 6) and then the payload's first bytes
        UInt b0 = hdrLen.slice(7, 3).trunc(4);
        Bool hb2 = hdrLen.slice(2, 0).eq(2);
        UInt lastBeat = let("emit_last_beat", frameLen.minus(1).slice(10, 3).trunc(8));
        UInt lastBytes = frameLen.slice(2, 0);
        f.on(NtsState.EMIT, () -> {
            workRdAddr.set(UInt.lit(ANS, 11).plus(ew));
            workRdEn.set(true);
            f.goTo(NtsState.EMIT2);
        });
        UInt beatIdx = eb.trunc(4);
        Bits hdrBeat = slice("emit_header_beat", hdrBytes, beatIdx, 64);
        List<Bits> lanes = new ArrayList<>();
        Bool atB0 = eb.eq(b0.zext(8));
        Bool beforeB0 = eb.lt(b0.zext(8));
        for (int j = 0; j < 8; j++) {
            Bits h = hdrBeat.part(8 * j, 8);
            Bits pk = winByte(maskedWork, j + 2);
            Bits k0 = hb2.mux(j >= 2 ? winByte(maskedWork, j - 2) : h, j >= 6 ? winByte(maskedWork, j - 6) : h);
            lanes.add(0, beforeB0.mux(h, atB0.mux(k0, pk)));
        }
        Bits beat = Bits.cat(lanes);
        Bool lastB = eb.eq(lastBeat);
        frames.in.valid.set(f.is(NtsState.EMIT2));
        frames.in.payload.tdata.set(beat);
        frames.in.payload.tlast.set(lastB);
        frames.in.payload.tuser.set(Bits.lit(0, 1));
        Bits keepLast = wire(new Bits(8), 0xff).named("emit_last_keep");
        var ks = switchOn(lastBytes);
        for (int n = 1; n < 8; n++) {
            final int nn = n;
            ks.is(n, () -> keepLast.set(Bits.lit((1L << nn) - 1, 8)));
        }
        ks.otherwise(() -> { });
        frames.in.payload.tkeep.set(lastB.mux(keepLast, Bits.lit(0xff, 8)));
        f.on(NtsState.EMIT2, () -> when(frames.in.ready, () -> {
            eb.set(eb.plus(1));
            // the window for the next beat: word 0 at b0, then hb2 ? 1, 3, 5 ... : 0, 2, 4 ...
            when(eb.ge(b0.zext(8)), () -> when(atB0, () -> ew.set(hb2.mux(UInt.lit(1, 11), UInt.lit(0, 11))))
                    .otherwise(() -> ew.set(ew.plus(2))));
            when(lastB, () -> f.goTo(NtsState.FINISH)).otherwise(() -> f.goTo(NtsState.EMIT));
        }));
        f.on(NtsState.FINISH, () -> f.goTo(NtsState.IDLE));
        done.set(f.is(NtsState.FINISH));
        done_outcome.set(outcomeReg);

        // ---- release at the departure cycle --------------------------------------------------------
        // complete frames waiting: at most what the departure queue holds (its memory and its output register), so
        // the counter is sized from that capacity (3 bits wrapped at 8 and held a full queue back forever)
        int waitingMax = DEPARTURES + 1;
        UInt complete = regInit(new UInt(32 - Integer.numberOfLeadingZeros(waitingMax)), 0).named("frames_complete_reg");
        Bool inFrame = regInit(new Bool(), 0).named("out_in_frame_reg");
        Bool added = frames.in.fire().and(frames.in.payload.tlast);
        Bool sent = out.fire().and(out.tlast());
        when(added.and(sent.not()), () -> complete.set(complete.plus(1))).elseWhen(sent.and(added.not()), () -> complete.set(complete.minus(1)));
        UInt sinceDeparture = cycle.minus(departQ.out.payload);
        Bool due = departQ.out.valid.and(sinceDeparture.bit(31).not()).and(complete.ne(0));
        Bool go = let("release", inFrame.or(due));
        out.valid.set(frames.out.valid.and(go));
        out.payload.setFrom(frames.out.payload);
        frames.out.ready.set(out.ready.and(go));
        Bool firstBeat = out.valid.and(inFrame.not());
        when(out.fire(), () -> inFrame.set(out.tlast().not()));
        departQ.out.ready.set(out.fire().and(inFrame.not()));
        late.set(regNextInit(firstBeat.and(regNextInit(firstBeat, 0).not()).and(sinceDeparture.ne(0)), 0));
        next_departure_valid.set(departQ.out.valid);
        next_departure.set(departQ.out.payload);
    }

    private static void range(UInt fSrc, UInt fAddr, UInt fLen, int src, UInt addr, UInt len) {
        fSrc.set(src);
        fAddr.set(addr);
        fLen.set(len);
    }

    private Bits selectKey(UInt s) {
        Bits k = key_data.part(0, 256);
        for (int i = 1; i < KEY_SLOTS; i++) k = s.eq(i).mux(key_data.part(256 * i, 256), k);
        return k;
    }

    /** Byte {@code i} (0 first) of a big-endian 16-byte window. */
    private static Bits winByte(Bits win, int i) {
        return win.part(8 * (15 - i), 8);
    }

    /** Four consecutive 32-bit words from word address {@code a} (any alignment), the cycle after {@code en}; big-endian. */
    private Bits read4(Mem[] banks, UInt a, Bool en, String name) {
        int aw = a.width();
        UInt lo = a.slice(1, 0);
        Bits[] rd = new Bits[4];
        for (int b = 0; b < 4; b++) {
            UInt rel = UInt.lit(b, 2).minus(lo).trunc(2);           // which of the four words bank b holds
            UInt idx = a.plus(rel.zext(aw)).slice(aw - 1, 2);
            rd[b] = banks[b].readSync(idx, en);
        }
        UInt rot = reg(new UInt(2)).named(name + "_read_rot_reg");
        when(en, () -> rot.set(lo));
        List<Bits> words = new ArrayList<>();
        for (int kk = 0; kk < 4; kk++) {
            UInt bank = rot.plus(kk).trunc(2);
            Bits w = rd[0];
            for (int b = 1; b < 4; b++) w = bank.eq(b).mux(rd[b], w);
            words.add(w);
        }
        return let(name + "_window", Bits.cat(words));
    }

    /** Writes the first {@code count} (0..4) big-endian words of {@code data} from word address {@code a}. */
    private void write4(Mem[] banks, UInt a, Bits data, UInt count) {
        int aw = a.width();
        UInt lo = a.slice(1, 0);
        for (int b = 0; b < 4; b++) {
            UInt rel = UInt.lit(b, 2).minus(lo).trunc(2);
            UInt idx = a.plus(rel.zext(aw)).slice(aw - 1, 2);
            Bits w = data.part(96, 32);
            for (int kk = 1; kk < 4; kk++) w = rel.eq(kk).mux(data.part(96 - 32 * kk, 32), w);
            banks[b].write(idx, w, rel.zext(3).lt(count));
        }
    }
}
