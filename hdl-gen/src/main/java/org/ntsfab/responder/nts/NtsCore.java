package org.ntsfab.responder.nts;

import java.util.ArrayList;
import java.util.List;
import org.ntsfab.hdl.Axis;
import org.ntsfab.hdl.Bits;
import org.ntsfab.hdl.Bool;
import org.ntsfab.hdl.Bundle;
import org.ntsfab.hdl.Component;
import org.ntsfab.hdl.Mem;
import org.ntsfab.hdl.Stream;
import org.ntsfab.hdl.UInt;
import org.ntsfab.hdl.lib.StreamFifo;
import org.ntsfab.ip.aes.AesLanes;
import org.ntsfab.ip.aes.AesIterativeBank;
import org.ntsfab.ip.aes.AesPipeline;
import org.ntsfab.ip.aes.AesSivOps;

/**
 * The multi-context NTS core (docs/nts-core.md; spec §9): NTS requests held as contexts in block RAM, their AES-SIV work
 * done as operations on the lanes of one {@link AesSivOps} over one key-agile AES-128 pipeline, so many requests are
 * in flight on one pipeline. This is the core's request-to-answer path for AEAD 15 (AES-SIV-CMAC-256, chrony's):
 * a request's UDP payload in, its answer's or NAK's UDP payload out in context memory, byte for byte the model's; the
 * departure (emitter, checksum, fixed residence) and AEAD 17 are the next steps of issue 18.
 *
 * <p>A {@code job} (the request's number for its nonces, spec §9.6, and its answer header with T3, §8.2) takes a free
 * context; the payload's beats follow on {@code in} (8 bytes a beat, byte 0 in {@code tdata[7:0]}). The capture writes
 * them into the context's memory 16 bytes at a time, copies the Unique Identifier field into the answer's place behind
 * the header as it passes, and keeps the cookie's key id and tag and the authenticator's tag, which the operations
 * take as values; {@link NtsRequestParser} finds the fields as the beats go. Then one sequencer, one event at a time
 * (a parsed request, a lane's operation done, a master key to load), issues each context's next command, one per
 * cycle, in order, so a write the next operation reads is in memory before it: open the cookie under the master key
 * of its key id (S2V from the key's constants after chrony's empty AD); load C2S and S2C into the context's key entries
 * (their subkeys on the lane), watching the cookie's plaintext as its CTR writes it; open the authenticator under C2S
 * while {@link NtsPlaintextWalker} walks its plaintext; then 1 + min(placeholders, max) fresh cookies, each a nonce
 * (CTR alone under the nonce seed, counter r || i) and a seal under the current master key into the answer's
 * plaintext, which overwrites the request's bytes (no longer needed); the header and the authenticator's field header,
 * the answer's nonce, the answer sealed under S2C with AD = header || Unique Identifier, its tag, and zeros to the
 * request's length. A NAK (§9.4) is the NTSN header before the copied identifier. Each request ends with one {@code
 * result}: its outcome and its payload's length; the payload is then read 8 bytes a cycle from the answer memory
 * ({@code ans_rd_req}: every write into a context's answer region is mirrored there), with its ones'-complement sum
 * ({@code payload_sum}, summed from those writes: every answer byte is written once), until {@code release} frees the
 * context. ({@code rd_req} reads the lanes' memory itself, at {@link #answerWord} for the answer.)
 *
 * <p>Memory per context: 1024 words (4 KiB): the request and later the answer's plaintext from word 0, the answer from
 * word {@link #ANS} (1536 bytes), C2S || S2C at {@link #KEYS}. Key entries: master key slot s at 2s (MAC half, with
 * its S2V constants) and 2s + 1 (CTR half), the nonce seed at {@link #SEED_ENTRY}, context c's C2S and S2C at 16 + 4c.
 * The last lane (31, or 15 in the 16-lane core) is the key loader's, so 31 or 15 contexts. The AES is the combined
 * pipeline (10GbE) or a bank of iterative units (the byte-wide build), chosen by the constructor.
 */
public final class NtsCore extends Component {
    public static final int LANES = 32, CONTEXTS = LANES - 1, KEY_LANE = LANES - 1;
    public static final int CONTEXT_WORDS = 1024, WORDS = LANES * CONTEXT_WORDS, KEY_ENTRIES = 256;
    /** Word offsets in a context: the request (then the answer's plaintext), the answer, the cookie's C2S || S2C. */
    public static final int REQ = 0, ANS = 384, KEYS = 768;
    public static final int SEED_ENTRY = 8, CONTEXT_ENTRIES = 16;
    /** Result outcomes. */
    public static final int OUT_MALFORMED = 0, OUT_NAK_COOKIE = 1, OUT_NAK_AUTH = 2, OUT_ANSWER = 3;
    /** A cookie's body (key id, nonce, tag, C2S || S2C) and its field, for AEAD 15 (32-byte session keys) and 17 (64). */
    static final int COOKIE_BODY = 100, COOKIE_BODY_17 = 164, COOKIE_FIELD = 104, COOKIE_FIELD_17 = 168;
    static final int ST_COOKIE = 1, ST_KEY1 = 2, ST_KEY2 = 3, ST_AUTH = 4, ST_CNONCE = 5, ST_CSEAL = 6, ST_ANONCE = 7, ST_ASEAL = 8, ST_DONE = 9;
    static final int EV_DONE = 0, EV_START = 1, EV_KEY = 2;

    public static final class Job extends Bundle {
        /** Admitted NTS requests before this one since the nonce seed was loaded (spec §9.6). */
        public final Bits request_number = new Bits(64);
        /** The answer's 48-byte NTP header (§8.2, T3 included), byte 0 in the top bits. */
        public final Bits header = new Bits(384);
        /** The departure's tag for this request, returned with its result (its departures match results by it). */
        public final Bits departure_tag = new Bits(16);
    }

    /** A master key for slot {@code slot} (its MAC and CTR halves), or with {@code seed} the nonce seed (in {@code mac}). */
    public static final class KeyLoad extends Bundle {
        public final Bool seed = new Bool();
        public final UInt slot = new UInt(2);
        public final Bits mac = new Bits(128), ctr = new Bits(128);
    }

    public static final class Result extends Bundle {
        public final UInt context = new UInt(5);
        public final UInt outcome = new UInt(3);
        /** The answer's or NAK's UDP payload length (0 for none). */
        public final UInt length = new UInt(11);
        /** The request number's low 16 bits (which request this was, for traces and benches). */
        public final Bits request = new Bits(16);
        /** The job's departure tag. */
        public final Bits departure_tag = new Bits(16);
    }

    /** A read of the answer memory: 8 bytes of context {@code context}'s answer payload at {@code offset} (a multiple of 8). */
    public static final class AnswerRead extends Bundle {
        public final UInt context = new UInt(5);
        public final UInt offset = new UInt(11);
    }

    public static final class AnswerData extends Bundle {
        /** The 8 bytes, byte 0 in the top bits. */
        public final Bits data = new Bits(64);
    }

    public static final class Release extends Bundle {
        public final UInt context = new UInt(5);
    }

    /** 16 bytes of a request's payload at {@code offset} ({@code bytes} of them, to {@code end}) on their way to memory. */
    public static final class Chunk extends Bundle {
        public final UInt offset = new UInt(11), end = new UInt(11);
        public final Bits data = new Bits(128);
        public final UInt bytes = new UInt(5);
        public final Bool last = new Bool();
    }

    /** A context's request as the sequencer keeps it between events (lane memory, read at each event). */
    public static final class Context extends Bundle {
        public final UInt step = new UInt(4);
        public final UInt idx = new UInt(4), fresh = new UInt(4);
        public final Bits request_number = new Bits(64);
        public final Bits departure_tag = new Bits(16);
        public final Bits header = new Bits(384);
        public final Bits auth_tag = new Bits(128);
        public final Bits current_id = new Bits(32);
        public final UInt current_slot = new UInt(2);
        public final UInt req_length = new UInt(11), uid_length = new UInt(11), cookie_offset = new UInt(11);
        public final UInt auth_offset = new UInt(11), nonce_offset = new UInt(11), nonce_length = new UInt(11);
        public final UInt ciphertext_offset = new UInt(11), ciphertext_length = new UInt(11), cookie_body = new UInt(11);
        public final UInt placeholders = new UInt(4);
        /** The cookie is AEAD 17's (164 bytes): 64-byte session keys, 168-byte fresh cookie fields. */
        public final Bool aead17 = new Bool();
    }

    public final Stream<Job> job;
    public final Axis in;
    public final Stream<KeyLoad> key_load;
    /** Master key slots: slot s's id in bits 32s + 31 .. 32s, live flags, the current slot (fresh cookies). */
    public final Bits key_ids = in(new Bits(128));
    public final Bits key_valid = in(new Bits(4));
    public final UInt key_current = in(new UInt(2));
    public final UInt max_placeholders = in(new UInt(3));
    public final Stream<Result> result;
    public final Stream<Release> release;
    public final Stream<AesLanes.ReadReq> rd_req;
    public final Stream<AesLanes.ReadRes> rd_res;
    /** High in every cycle a block enters the AES pipeline. */
    public final Bool aes_issue;
    /** The answer memory's read port (8 bytes a cycle, one cycle later): what the emitter sends. */
    public final Stream<AnswerRead> ans_rd_req;
    public final Stream<AnswerData> ans_rd_res;
    /** The ones'-complement sum of context {@code sum_context}'s answer payload (its UDP checksum's payload part, folded). */
    public final UInt sum_context = in(new UInt(5));
    public final Bits payload_sum = out(new Bits(16));
    /**
     * One pulse per {@code key_load} taken, once it is in effect: a master key when its MAC subkey and S2V constants are
     * computed (operations issued after this use them), the nonce seed when it is written.
     */
    public final Bool key_done = out(new Bool());

    /** The word address of byte {@code offset} (a multiple of 4) of context {@code c}'s answer payload. */
    public static int answerWord(int c, int offset) {
        return c * CONTEXT_WORDS + ANS + offset / 4;
    }

    /** The core on the combined AES pipeline (the 10GbE core: one block a cycle). */
    public NtsCore() {
        this(0);
    }

    /**
     * @param aesUnits 0 for the combined AES-128/256 pipeline ({@link AesPipeline}, 15 stages, 276 S-boxes: one block a
     *     cycle), or 2..8 combined iterative units ({@link AesIterativeBank}, 20 S-boxes each: that many blocks per 11
     *     AES-128 or 15 AES-256 cycles), the byte-wide build's, whose line rate is a tenth of 10GbE's
     */
    public NtsCore(int aesUnits) {
        this(aesUnits, LANES);
    }

    /**
     * @param aesUnits as {@link #NtsCore(int)}
     * @param lanes 16 or 32 lanes: one is the key loader's, the others are contexts (the byte-wide build's line rate needs
     *     about 12); 4 KiB of context memory each. The ports keep 5-bit context numbers either way.
     */
    public NtsCore(int aesUnits, int lanes) {
        if (aesUnits != 0 && (aesUnits < 2 || aesUnits > 8)) throw new IllegalArgumentException("the AES: 0 (the pipeline) or 2..8 iterative units");
        if (lanes != 16 && lanes != 32) throw new IllegalArgumentException("16 or 32 lanes");
        final int keyLane = lanes - 1, words = lanes * CONTEXT_WORDS, cb = Integer.numberOfTrailingZeros(lanes);
        moduleName("nts_core_" + lanes + (aesUnits == 0 ? "" : "_aes_x" + aesUnits));
        int ab = Integer.numberOfTrailingZeros(words), kb = Integer.numberOfTrailingZeros(KEY_ENTRIES);
        job = slave(new Stream<>(new Job()));
        in = slave(new Axis(8, 1));
        key_load = slave(new Stream<>(new KeyLoad()));
        result = master(new Stream<>(new Result()));
        release = slave(new Stream<>(new Release()));
        rd_req = slave(new Stream<>(new AesLanes.ReadReq(ab)));
        rd_res = master(new Stream<>(new AesLanes.ReadRes()));
        aes_issue = out(new Bool());
        ans_rd_req = slave(new Stream<>(new AnswerRead()));
        ans_rd_res = master(new Stream<>(new AnswerData()));

        // one pipeline for both AEADs: the cookies and AEAD 15 on AES-128, AEAD 17's session keys on AES-256
        final int mixed = AesPipeline.MIXED;
        AesSivOps ops = add("siv", new AesSivOps(mixed, lanes, KEY_ENTRIES, words, 8));
        int aesTag = ops.aes_req.payload.tag.width();
        if (aesUnits == 0) {
            AesPipeline aes = add("aes", new AesPipeline(mixed, 1, aesTag));
            aes.in.connectFrom(ops.aes_req);
            ops.aes_res.connectFrom(aes.out);
        } else {
            AesIterativeBank aes = add("aes", new AesIterativeBank(mixed, aesUnits, aesTag));
            aes.in.connectFrom(ops.aes_req);
            ops.aes_res.connectFrom(aes.out);
        }
        aes_issue.set(ops.aes_issue);
        ops.rd_req.connectFrom(rd_req);
        rd_res.connectFrom(ops.rd_res);
        ops.data_wr.valid.set(false);
        ops.data_wr.payload.addr.set(UInt.lit(0, ab));
        ops.data_wr.payload.data.set(Bits.lit(0, 32));
        NtsRequestParser parser = add("parser", new NtsRequestParser());
        NtsPlaintextWalker walker = add("walker", new NtsPlaintextWalker(lanes, ab));
        walker.wr.connectFrom(ops.ctr_wr);

        // ---- contexts: busy from the job to the release ------------------------------------------------------------
        Bits busy = regInit(new Bits(lanes), 1L << keyLane).named("context_busy_reg");
        Bits free = let("contexts_free", busy.not());
        // the lowest free context (the lowest set bit: x and not (x - 1))
        Bits lowest = let("lowest_free", free.and(free.asUInt().minus(1).asBits().not()));
        UInt pick = UInt.lit(0, cb);
        for (int b = 0; b < cb; b++) {
            Bool any = Bool.lit(false);
            for (int c = 0; c < lanes; c++) if ((c >> b & 1) != 0) any = any.or(lowest.bit(c));
            pick = b == 0 ? any.asUInt() : Bits.cat(any, pick).asUInt();
        }
        // registered: one cycle stale, which is safe (a job takes a context and then the capture takes no job for cycles; a
        // release only frees more)
        UInt freePick = regNext(pick).named("free_context_reg");
        Bool anyFree = regNextInit(free.orReduce(), 0).named("any_context_free_reg");

        // ---- capture ---------------------------------------------------------------------------------------------------
        final int CAP_IDLE = 0, CAP_IN = 1, CAP_WAIT = 2;
        UInt capState = regInit(new UInt(2), CAP_IDLE).named("capture_state_reg");
        UInt capCtx = reg(new UInt(cb)).named("capture_context_reg");
        Bits capR = reg(new Bits(64)).named("capture_request_number_reg");
        Bits capTag = reg(new Bits(16)).named("capture_departure_tag_reg");
        Bits capHeader = reg(new Bits(384)).named("capture_header_reg");
        UInt capBytes = reg(new UInt(11)).named("capture_bytes_reg");
        UInt chunk = reg(new UInt(7)).named("capture_chunk_reg");
        Bool haveLo = regInit(new Bool(), 0).named("capture_have_first_beat_reg");
        Bits lo = reg(new Bits(64)).named("capture_first_beat_reg");
        Bool capturing = regInit(new Bool(), 0).named("capture_taking_beats_reg");
        List<Bits> keyIdWords = words("cookie_key_id", 1), cookieTagWords = words("cookie_tag", 4), authTagWords = words("auth_tag", 4);
        Bits keyId = let("cookie_key_id", Bits.cat(keyIdWords));
        Bits cookieTag = let("cookie_tag", Bits.cat(cookieTagWords));
        Bits authTag = let("auth_tag", Bits.cat(authTagWords));

        job.ready.set(capState.eq(CAP_IDLE).and(anyFree));
        UInt base = let("capture_base", capCtx.zext(ab).shl(10));
        // the beats through a register stage into the parser, which takes every one (so nothing gates its take); the
        // stage's input is gated by registers: the capture is on, and the chunk queue has room for what may follow
        org.ntsfab.hdl.lib.StreamStage<Axis.Beat> beatStage = add("beat_stage",
                new org.ntsfab.hdl.lib.StreamStage<>(() -> new Axis.Beat(8, 1), org.ntsfab.hdl.lib.StreamStage.Kind.FORWARD, "tvalid", "tready"));
        StreamFifo<Chunk> chunkQ = add("chunk_queue", new StreamFifo<>(() -> new Chunk(), 4));
        Bool room = regNextInit(chunkQ.level.le(1), 0).named("chunk_room_reg");
        Bool gate = let("capture_takes_beat", capturing.and(room));
        beatStage.in.valid.set(in.valid.and(gate));
        beatStage.in.payload.setFrom(in.payload);
        in.ready.set(beatStage.in.ready.and(gate));
        parser.in.connectFrom(beatStage.out);
        Axis.Beat sb = beatStage.out.payload;
        Bool beatFire = let("capture_beat", beatStage.out.fire());
        // the beat's bytes, byte 0 first (the memory's order: byte 0 the most significant)
        List<Bits> beatBytes = new ArrayList<>();
        for (int i = 0; i < 8; i++) beatBytes.add(sb.tdata.part(8 * i, 8));
        Bits beat = let("beat_bytes_first", Bits.cat(beatBytes));
        UInt kept = UInt.lit(0, 4);
        for (int i = 0; i < 8; i++) kept = kept.plus(sb.tkeep.bit(i).asUInt().zext(4));
        UInt beatKept = let("beat_kept", kept);
        Bool completes = let("beat_completes_chunk", haveLo.or(sb.tlast));

        // the pending chunk moves to the write stage with what it must write there: the request's bytes, then the part of
        // the Unique Identifier field it holds, copied behind the answer's header (answer offset 48 + its offset in the
        // field), found from the parser's progress (which has seen the chunk's beats by then)
        NtsRequestParser.Progress pg = parser.progress;
        Chunk pc = chunkQ.out.payload;
        UInt pendOffset = pc.offset, pendBytes = pc.bytes;
        Bits pendData = pc.data;
        UInt chunkEnd = pc.end;
        UInt uidEnd = pg.uid_end;
        UInt uidFrom = let("uid_from", pendOffset.lt(pg.uid_offset).mux(pg.uid_offset, pendOffset));
        UInt uidTo = let("uid_to", chunkEnd.lt(uidEnd).mux(chunkEnd, uidEnd));
        // the chunk [offset, end) and the field [uid_offset, uid_end) overlap
        Bool uidHere = let("chunk_holds_uid", pg.uid_seen.and(pendOffset.lt(uidEnd)).and(pg.uid_offset.lt(chunkEnd)));
        // the identifier's first byte in this chunk: its start when it starts here, else the chunk's first
        UInt uidShift = let("uid_shift", pendOffset.lt(pg.uid_offset).mux(pg.uid_offset.minus(pendOffset).trunc(4), UInt.lit(0, 4)));
        Bool wValid = regInit(new Bool(), 0).named("chunk_write_valid_reg");
        Bool wUidPhase = reg(new Bool()).named("chunk_write_uid_phase_reg");
        Bool wLast = reg(new Bool()).named("chunk_write_last_reg");
        Bool wUid = reg(new Bool()).named("chunk_write_has_uid_reg");
        AesLanes.BlockWrite wReq = reg(new AesLanes.BlockWrite(ab));
        wReq.named("chunk_write_request");
        AesLanes.BlockWrite wUidWr = reg(new AesLanes.BlockWrite(ab));
        wUidWr.named("chunk_write_uid");
        Stream<AesLanes.BlockWrite> capWr = new Stream<>(new AesLanes.BlockWrite(ab));
        wire(capWr);
        capWr.valid.set(wValid);
        capWr.payload.addr.set(wUidPhase.mux(wUidWr.addr, wReq.addr));
        capWr.payload.data.set(wUidPhase.mux(wUidWr.data, wReq.data));
        capWr.payload.bytes.set(wUidPhase.mux(wUidWr.bytes, wReq.bytes));
        Bool wFree = let("chunk_write_done", capWr.fire().and(wUidPhase.or(wUid.not())));
        chunkQ.out.ready.set(wValid.not().or(wFree));
        Bool move = let("chunk_to_write", chunkQ.out.fire());
        when(move, () -> {
            wValid.set(true);
            wUidPhase.set(false);
            wLast.set(pc.last);
            wUid.set(uidHere);
            wReq.addr.set(base.plus(pendOffset.shr(2).zext(ab)));
            wReq.data.set(pendData);
            wReq.bytes.set(pendBytes);
            wUidWr.addr.set(base.plus(UInt.lit(ANS, ab)).plus(UInt.lit(48, 11).plus(uidFrom).minus(pg.uid_offset).shr(2).zext(ab)));
            wUidWr.data.set(pendData.shl(uidShift.zext(7).shl(3)));
            wUidWr.bytes.set(uidTo.minus(uidFrom).trunc(5));
        }).elseWhen(wFree, () -> wValid.set(false)).elseWhen(capWr.fire(), () -> wUidPhase.set(true));
        when(job.fire(), () -> {
            capState.set(CAP_IN);
            capturing.set(true);
            capCtx.set(freePick);
            capR.set(job.payload.request_number);
            capTag.set(job.payload.departure_tag);
            capHeader.set(job.payload.header);
            capBytes.set(0);
            chunk.set(0);
            haveLo.set(false);
        });
        when(in.fire().and(in.tlast()), () -> capturing.set(false));
        // chunks of 16 bytes (two beats, or the last beat alone) into the queue (it has room: see room)
        chunkQ.in.valid.set(beatFire.and(completes));
        chunkQ.in.payload.offset.set(chunk.zext(11).shl(4));
        chunkQ.in.payload.data.set(haveLo.mux(Bits.cat(lo, beat), Bits.cat(beat, Bits.lit(0, 64))));
        UInt chunkBytes = let("chunk_bytes", haveLo.mux(beatKept.zext(5).plus(8), beatKept.zext(5)));
        chunkQ.in.payload.bytes.set(chunkBytes);
        chunkQ.in.payload.end.set(chunk.zext(11).shl(4).plus(chunkBytes.zext(11)));
        chunkQ.in.payload.last.set(sb.tlast);
        when(beatFire, () -> {
            capBytes.set(capBytes.plus(beatKept.zext(11)));
            when(completes, () -> {
                haveLo.set(false);
                chunk.set(chunk.plus(1));
            }).otherwise(() -> {
                haveLo.set(true);
                lo.set(beat);
            });
        });
        when(wFree.and(wLast), () -> capState.set(CAP_WAIT));
        // the values the operations take, caught as their chunk is pending: the cookie's key id (its body's first word),
        // its tag (16 bytes from its body's 21st) and the authenticator's tag (its ciphertext's first 16 bytes)
        // (the ciphertext's offset registered: its lengths come at least a chunk before the tag does)
        UInt ctOffset = regNext(pg.auth_offset.plus(8).plus(pg.nonce_length.plus(3).and(UInt.lit(0x7fc, 11)))).named("auth_ciphertext_offset_reg");
        // (the offsets registered: a chunk reaches the write stage two cycles after its last beat, the parser's progress
        // one cycle after it)
        UInt keyIdAt = regNext(pg.cookie_offset.plus(4)).named("cookie_key_id_offset_reg");
        UInt cookieTagAt = regNext(pg.cookie_offset.plus(24)).named("cookie_tag_offset_reg");
        when(move, () -> {
            latchWords(pendData, pendOffset, pg.cookie_seen, keyIdAt, keyIdWords);
            latchWords(pendData, pendOffset, pg.cookie_seen, cookieTagAt, cookieTagWords);
            latchWords(pendData, pendOffset, pg.auth_lengths_seen, ctOffset, authTagWords);
        });

        StreamFifo<AesLanes.BlockWrite> wrQ = add("write_queue", new StreamFifo<>(() -> new AesLanes.BlockWrite(ab), 8));

        // ---- the sequencer ----------------------------------------------------------------------------------------------
        StreamFifo<AesSivOps.Done> doneQ = add("done_queue", new StreamFifo<>(() -> new AesSivOps.Done(cb), 32, null, null, "siv_done"));
        doneQ.in.connectFrom(ops.done);
        StreamFifo<Result> resultQ = add("result_queue", new StreamFifo<>(Result::new, 32));
        result.connectFrom(resultQ.out);
        Mem ctxMem = mem(new Context().totalWidth(), lanes).named("context_mem");
        // the cookie's plaintext, as its open's CTR writes it: its four keys (C2S's MAC and CTR halves, S2C's), each 16 bytes
        // (AEAD 15) or 32 (AEAD 17: its first 16 bytes in the high stage, the rest in the low)
        Bits wide = regInit(new Bits(lanes), 0).named("context_aead17_reg");
        Mem stageHi = mem(128, 4 * lanes).named("session_key_stage_hi_mem");
        Mem stageLo = mem(128, 4 * lanes).named("session_key_stage_lo_mem");
        AesSivOps.CtrWrite cw = ops.ctr_wr.payload;
        // (registered first: the writes land a cycle later, long before the cookie's open is done and its keys are loaded)
        Bool toKeys = regNextInit(ops.ctr_wr.valid.and(cw.addr.slice(9, 5).eq(KEYS >> 5)), 0).named("key_stage_write_reg");
        AesSivOps.CtrWrite kw0 = reg(new AesSivOps.CtrWrite(cb, ab));
        kw0.named("key_stage_write");
        kw0.setFrom(cw);
        Bool cwWide = let("key_stage_write_aead17", wide.shr(kw0.lane).bit(0));
        UInt stageAt = let("key_stage_write_key", cwWide.mux(Bits.cat(kw0.lane, kw0.addr.slice(4, 3)), Bits.cat(kw0.lane, kw0.addr.slice(3, 2))).asUInt());
        stageHi.write(stageAt, kw0.data, toKeys.and(cwWide.not().or(kw0.addr.bit(2).not())));
        stageLo.write(stageAt, kw0.data, toKeys.and(cwWide).and(kw0.addr.bit(2)));

        Bool active = regInit(new Bool(), 0).named("event_active_reg");
        UInt evKind = reg(new UInt(2)).named("event_kind_reg");
        UInt evCtx = reg(new UInt(cb)).named("event_context_reg");
        Bool evOk = reg(new Bool()).named("event_ok_reg");
        Bits evV = reg(new Bits(128)).named("event_v_reg");
        Bool evBad = reg(new Bool()).named("event_walk_bad_reg");
        UInt evCount = reg(new UInt(4)).named("event_walk_count_reg");
        Bool evMalformed = reg(new Bool()).named("event_malformed_reg");
        Bool evFound = reg(new Bool()).named("event_key_found_reg");
        UInt evSlot = reg(new UInt(2)).named("event_key_slot_reg");
        Bits evCookieTag = reg(new Bits(128)).named("event_cookie_tag_reg");
        KeyLoad kl = reg(new KeyLoad());
        kl.named("event_key_load");
        UInt k = reg(new UInt(3)).named("event_step_reg");
        UInt fill = reg(new UInt(11)).named("fill_offset_reg");
        // the bytes from fill to the request's length (0 when none): kept beside fill, so the fill's commands compare a
        // register with 0 and 16 rather than fill with the length (a carry chain in front of the handshake)
        UInt fillLeft = reg(new UInt(11)).named("fill_left_reg");
        Context st = reg(new Context());
        st.named("event_context");

        // event selection: a parsed request first (the capture waits for it, and the next job for the capture), a key load,
        // then a done (its queue is never full: one operation per lane)
        Bool startReady = capState.eq(CAP_WAIT).and(parser.fields.valid);
        Bool takeStart = active.not().and(startReady);
        Bool takeKey = active.not().and(startReady.not()).and(key_load.valid);
        Bool takeDone = active.not().and(startReady.not()).and(key_load.valid.not()).and(doneQ.out.valid);
        doneQ.out.ready.set(takeDone);
        key_load.ready.set(takeKey);
        parser.fields.ready.set(takeStart);
        walker.query_lane.set(doneQ.out.payload.lane);
        Context stored = wire(new Context());
        stored.setFromBits(ctxMem.readAsync(doneQ.out.payload.lane));
        NtsRequestParser.Fields f = parser.fields.payload;
        Bool found = Bool.lit(false);
        UInt slot = UInt.lit(0, 2);
        for (int s = 3; s >= 0; s--) {
            Bool hit = key_valid.bit(s).and(key_ids.part(32 * s, 32).eq(keyId));
            found = found.or(hit);
            slot = hit.mux(UInt.lit(s, 2), slot);
        }
        Bool keyFound = let("cookie_key_found", found);
        UInt keySlot = let("cookie_key_slot", slot);
        when(takeStart, () -> capState.set(CAP_IDLE));
        Bool settled = regInit(new Bool(), 0).named("event_settled_reg");
        when(active.and(settled.not()), () -> settled.set(true));
        when(takeDone.or(takeKey).or(takeStart), () -> {
            active.set(true);
            settled.set(false);
            k.set(0);
            evKind.set(takeDone.mux(UInt.lit(EV_DONE, 2), takeKey.mux(UInt.lit(EV_KEY, 2), UInt.lit(EV_START, 2))));
            evCtx.set(takeDone.mux(doneQ.out.payload.lane, capCtx));
            evOk.set(doneQ.out.payload.ok);
            evV.set(doneQ.out.payload.v);
            evBad.set(walker.query_bad);
            evCount.set(walker.query_count);
            evMalformed.set(f.malformed);
            evFound.set(keyFound);
            evSlot.set(keySlot);
            evCookieTag.set(cookieTag);
            kl.setFrom(key_load.payload);
            when(takeDone, () -> st.setFrom(stored)).otherwise(() -> {
                st.step.set(0);
                st.idx.set(0);
                st.fresh.set(0);
                st.request_number.set(capR);
                st.departure_tag.set(capTag);
                st.header.set(capHeader);
                st.auth_tag.set(authTag);
                st.current_id.set(key_ids.shr(key_current.zext(7).shl(5)).slice(31, 0));
                st.current_slot.set(key_current);
                st.req_length.set(capBytes);
                st.uid_length.set(f.uid_length);
                st.cookie_offset.set(f.cookie_offset);
                st.auth_offset.set(f.auth_offset);
                st.nonce_offset.set(f.nonce_offset);
                st.nonce_length.set(f.nonce_length);
                st.ciphertext_offset.set(f.ciphertext_offset);
                st.ciphertext_length.set(f.ciphertext_length);
                st.cookie_body.set(f.cookie_body);
                st.placeholders.set(f.placeholders);
                st.aead17.set(f.cookie_body.eq(COOKIE_BODY_17));
            });
        });

        // ---- the command of (event, step, k) -----------------------------------------------------------------------
        UInt cbase = let("context_base", evCtx.zext(ab).shl(10));
        UInt ansBase = let("answer_base", cbase.plus(UInt.lit(ANS, ab)));
        // what the commands compute from the event's context, registered: the event's first cycle only settles them
        // (st and the event registers change at an event's start only)
        // (each from st and the event registers directly, so all are valid one cycle after the event's start)
        UInt aNow = st.uid_length.plus(48);
        // the event's request is AEAD 17's (its cookie's length says so)
        Bool w17 = st.aead17;
        // n fresh cookie fields: n x 104 = n x (64 + 32 + 8) bytes, or n x 168 = n x (128 + 32 + 8)
        java.util.function.Function<UInt, UInt> fields = n -> w17.mux(n.zext(11).shl(7), n.zext(11).shl(6)).plus(n.zext(11).shl(5)).plus(n.zext(11).shl(3));
        UInt ptNow = fields.apply(st.fresh);
        UInt cookieAtNow = fields.apply(st.idx);
        // the session keys' length (bytes, both directions), the fresh cookie field's length
        UInt keysLength = regNext(w17.mux(UInt.lit(128, 11), UInt.lit(64, 11))).named("session_keys_length_reg");
        UInt cookieField = regNext(w17.mux(UInt.lit(COOKIE_FIELD_17, 11), UInt.lit(COOKIE_FIELD, 11))).named("cookie_field_length_reg");
        Bool evWide = regNext(w17).named("event_aead17_settled_reg");
        UInt a = regNext(aNow).named("answer_auth_offset_reg");  // the answer's authenticator field (bytes)
        UInt ptLength = regNext(ptNow).named("answer_plaintext_length_reg");
        UInt fillEnd = st.req_length;
        UInt ctxEntries = regNext(evCtx.zext(kb).shl(2).plus(UInt.lit(CONTEXT_ENTRIES, kb))).named("context_key_entries_reg");
        UInt cookieNonceAt = regNext(cbase.plus(st.cookie_offset.plus(8).shr(2).zext(ab))).named("cookie_nonce_word_reg");
        UInt cookieTextAt = regNext(cbase.plus(st.cookie_offset.plus(40).shr(2).zext(ab))).named("cookie_text_word_reg");
        UInt authNonceAt = regNext(cbase.plus(st.nonce_offset.shr(2).zext(ab))).named("auth_nonce_word_reg");
        UInt authTextAt = regNext(cbase.plus(st.ciphertext_offset.plus(16).shr(2).zext(ab))).named("auth_text_word_reg");
        UInt authTextLength = regNext(st.ciphertext_length.minus(16)).named("auth_text_length_reg");
        UInt authFieldLength = regNext(st.req_length.minus(st.uid_length.plus(48))).named("answer_auth_field_length_reg");
        // (from the registered offsets, valid from the event's second cycle, when its first command may go)
        UInt fillFrom = let("fill_from", a.plus(40).plus(ptLength));
        // the NTSN header (§9.4) from the answer's: LI 3, VN kept, mode 4, stratum 0, poll and precision kept, root delay
        // and dispersion 0, refid NTSN, reference timestamp 0, origin, receive and transmit kept
        Bits h = st.header;
        Bits nak = let("nak_header", Bits.cat(Bits.lit(3, 2), h.slice(381, 379), Bits.lit(4, 3), Bits.lit(0, 8), h.slice(367, 352),
                Bits.lit(0, 64), Bits.lit(0x4e54534eL, 32), Bits.lit(0, 64), h.slice(191, 0)));
        // walker: the placeholders, plain and encrypted, capped
        UInt phTotal = let("placeholders_total", st.placeholders.zext(5).plus(evCount.zext(5)));
        UInt capped = let("placeholders_capped", phTotal.gt(max_placeholders.zext(5)).mux(max_placeholders.zext(5), phTotal));
        UInt stageRead = Bits.cat(evCtx, st.step.eq(ST_KEY1), k.eq(0)).asUInt();
        // the event's own decisions, which its steps do not change, registered like the values above (valid from its second
        // cycle): the command's decision then starts from these and k, and the handshake after it stays within the budget
        Bool cookieUnusable = regNext(st.cookie_body.ne(COOKIE_BODY).and(w17.not()).or(evFound.not())).named("event_cookie_unusable_reg");
        Bool onKeyLane = regNext(evCtx.eq(keyLane)).named("event_on_key_lane_reg");
        Bool moreCookies = regNext(st.idx.plus(1).lt(st.fresh)).named("event_more_cookies_reg");
        // a session key: AES-128 in the high half (AEAD 15), or AES-256 (AEAD 17)
        Bits stageKey = let("session_key", Bits.cat(stageHi.readAsync(stageRead), evWide.mux(stageLo.readAsync(stageRead), Bits.lit(0, 128))));

        // command outputs, defaults: none
        // the commands to the operations' ports through skid buffers: their readies are registers, so a command's
        // transfer (and the sequencer's next step) does not wait on the operations' own handshakes
        var skid = org.ntsfab.hdl.lib.StreamStage.Kind.SKID;
        org.ntsfab.hdl.lib.StreamStage<AesSivOps.Op> opStage = add("op_stage", new org.ntsfab.hdl.lib.StreamStage<>(() -> new AesSivOps.Op(cb, kb, ab), skid));
        org.ntsfab.hdl.lib.StreamStage<AesSivOps.KeyOp> koStage = add("key_op_stage", new org.ntsfab.hdl.lib.StreamStage<>(() -> new AesSivOps.KeyOp(cb, kb, mixed), skid));
        org.ntsfab.hdl.lib.StreamStage<AesLanes.KeyWrite> kwStage = add("key_write_stage", new org.ntsfab.hdl.lib.StreamStage<>(() -> new AesLanes.KeyWrite(kb, mixed), skid));
        ops.op.connectFrom(opStage.out);
        ops.key_op.connectFrom(koStage.out);
        ops.key_wr.connectFrom(kwStage.out);
        AesSivOps.Op op = opStage.in.payload;
        AesSivOps.KeyOp ko = koStage.in.payload;
        AesLanes.KeyWrite kw = kwStage.in.payload;
        Stream<AesLanes.BlockWrite> seqWr = new Stream<>(new AesLanes.BlockWrite(ab));
        wire(seqWr);
        Result res = resultQ.in.payload;
        Bool cOp = wire(new Bool(), 0).named("command_op");
        Bool cKeyOp = wire(new Bool(), 0).named("command_key_op");
        Bool cKeyWr = wire(new Bool(), 0).named("command_key_write");
        Bool cWr = wire(new Bool(), 0).named("command_write");
        Bool cRes = wire(new Bool(), 0).named("command_result");
        Bool cNone = wire(new Bool(), 0).named("command_none");
        Bool cLast = wire(new Bool(), 0).named("command_last");
        Bool cHold = wire(new Bool(), 0).named("command_repeats");
        UInt nextStep = wire(new UInt(4), 0).named("command_next_step");
        op.lane.set(evCtx);
        op.open.set(true);
        op.mac_key.set(ctxEntries);
        op.ctr_key.set(ctxEntries.plus(1));
        op.ad_addr.set(cbase);
        op.ad_len.set(UInt.lit(0, 11));
        op.n_addr.set(cbase);
        op.n_len.set(UInt.lit(16, 11));
        op.p_addr.set(cbase);
        op.p_len.set(UInt.lit(16, 11));
        op.out_addr.set(cbase);
        op.tag.set(Bits.lit(0, 128));
        op.s2v_from.set(UInt.lit(AesSivOps.S2V_FULL, 2));
        ko.lane.set(evCtx);
        ko.entry.set(ctxEntries);
        ko.key.set(stageKey);
        ko.aes256.set(evWide);
        ko.constants.set(false);
        kw.index.set(ctxEntries.plus(1));
        kw.key.set(stageKey);
        kw.aes256.set(evWide);
        kw.k1.set(Bits.lit(0, 128));
        seqWr.payload.addr.set(ansBase);
        seqWr.payload.data.set(Bits.lit(0, 128));
        seqWr.payload.bytes.set(UInt.lit(16, 5));
        res.context.set(cb == 5 ? evCtx : evCtx.zext(5));
        res.outcome.set(UInt.lit(OUT_MALFORMED, 3));
        res.length.set(UInt.lit(0, 11));
        res.request.set(st.request_number.slice(15, 0));
        res.departure_tag.set(st.departure_tag);

        // helpers for the commands
        // the event's last command: an operation, after which the context waits at step (its done the next event)
        java.util.function.IntConsumer lastOp = step -> {
            cOp.set(true);
            cLast.set(true);
            nextStep.set(step);
        };
        Runnable none = () -> {
            cNone.set(true);
            cLast.set(true);
        };
        java.util.function.BiConsumer<Integer, UInt> finishWith = (outcome, length) -> {
            cRes.set(true);
            cLast.set(true);
            res.outcome.set(UInt.lit(outcome, 3));
            res.length.set(length);
            nextStep.set(ST_DONE);
        };
        // a NAK: the NTSN header in three writes, then the result (header and identifier)
        java.util.function.Consumer<Integer> nakProgram = outcome -> {
            when(k.lt(3), () -> {
                cWr.set(true);
                seqWr.payload.addr.set(ansBase.plus(k.zext(ab).shl(2)));
                seqWr.payload.data.set(nak.shl(k.zext(9).shl(7)).slice(383, 256));
            }).otherwise(() -> finishWith.accept(outcome, a));
        };
        // a nonce (CTR alone under the seed, counter r || index) into word address dest
        java.util.function.BiConsumer<UInt, UInt> nonce = (index, dest) -> {
            cOp.set(true);
            cLast.set(true);
            op.open.set(true);
            op.s2v_from.set(UInt.lit(AesSivOps.S2V_NONE, 2));
            op.ctr_key.set(UInt.lit(SEED_ENTRY, kb));
            op.p_addr.set(dest);
            op.out_addr.set(dest);
            op.p_len.set(UInt.lit(16, 11));
            op.tag.set(Bits.cat(st.request_number, Bits.lit(0, 60), index.asBits()));
        };
        UInt freshAt = regNext(cbase.plus(cookieAtNow.shr(2).zext(ab))).named("fresh_cookie_word_reg");
        UInt ansAuthAt = regNext(ansBase.plus(aNow.shr(2).zext(ab))).named("answer_auth_word_reg");

        switchOn(evKind)
                .is(EV_KEY, () -> {
                    // a master key: its CTR half written, its MAC half loaded on the key lane with its S2V constants; or the seed
                    when(kl.seed, () -> {
                        cKeyWr.set(true);
                        cLast.set(true);
                        kw.index.set(UInt.lit(SEED_ENTRY, kb));
                        kw.key.set(aes128(kl.mac));
                        kw.aes256.set(false);
                    }).elseWhen(k.eq(0), () -> {
                        cKeyWr.set(true);
                        kw.index.set(kl.slot.zext(kb).shl(1).plus(1));
                        kw.key.set(aes128(kl.ctr));
                        kw.aes256.set(false);
                    }).otherwise(() -> {
                        cKeyOp.set(true);
                        cLast.set(true);
                        ko.lane.set(UInt.lit(keyLane, cb));
                        ko.entry.set(kl.slot.zext(kb).shl(1));
                        ko.key.set(aes128(kl.mac));
                        ko.aes256.set(false);
                        ko.constants.set(true);
                    });
                })
                .is(EV_START, () -> {
                    when(evMalformed, () -> finishWith.accept(OUT_MALFORMED, UInt.lit(0, 11)))
                            .elseWhen(cookieUnusable, () -> nakProgram.accept(OUT_NAK_COOKIE))
                            .otherwise(() -> {
                                // open the cookie: nonce at body + 4, tag at + 20, C2S || S2C's ciphertext at + 36 into KEYS
                                lastOp.accept(ST_COOKIE);
                                op.mac_key.set(evSlot.zext(kb).shl(1));
                                op.ctr_key.set(evSlot.zext(kb).shl(1).plus(1));
                                op.s2v_from.set(UInt.lit(AesSivOps.S2V_AFTER_EMPTY_AD, 2));
                                op.n_addr.set(cookieNonceAt);
                                op.p_addr.set(cookieTextAt);
                                op.p_len.set(keysLength);
                                op.out_addr.set(cbase.plus(UInt.lit(KEYS, ab)));
                                op.tag.set(evCookieTag);
                            });
                })
                .otherwise(() -> when(onKeyLane, none).otherwise(() -> switchOn(st.step)
                        .is(ST_COOKIE, () -> when(evOk.not(), () -> nakProgram.accept(OUT_NAK_COOKIE)).elseWhen(k.eq(0), () -> cKeyWr.set(true))
                                .otherwise(() -> {
                                    cKeyOp.set(true);
                                    cLast.set(true);
                                    nextStep.set(ST_KEY1);
                                }))
                        .is(ST_KEY1, () -> {
                            kw.index.set(ctxEntries.plus(3));
                            ko.entry.set(ctxEntries.plus(2));
                            when(k.eq(0), () -> cKeyWr.set(true)).otherwise(() -> {
                                cKeyOp.set(true);
                                cLast.set(true);
                                nextStep.set(ST_KEY2);
                            });
                        })
                        .is(ST_KEY2, () -> {
                            // the authenticator under C2S: AD = the payload before it, its nonce, its ciphertext after the tag, in place
                            lastOp.accept(ST_AUTH);
                            op.ad_addr.set(cbase);
                            op.ad_len.set(st.auth_offset);
                            op.n_addr.set(authNonceAt);
                            op.n_len.set(st.nonce_length);
                            op.p_addr.set(authTextAt);
                            op.out_addr.set(authTextAt);
                            op.p_len.set(authTextLength);
                            op.tag.set(st.auth_tag);
                        })
                        .is(ST_AUTH, () -> when(evOk.not(), () -> nakProgram.accept(OUT_NAK_AUTH))
                                .elseWhen(evBad, () -> finishWith.accept(OUT_MALFORMED, UInt.lit(0, 11)))
                                .otherwise(() -> {
                                    // fresh = 1 + min(placeholders, max): the first cookie's nonce (into its place in the plaintext)
                                    nonce.accept(UInt.lit(0, 4), cbase.plus(UInt.lit(2, ab)));
                                    nextStep.set(ST_CNONCE);
                                }))
                        .is(ST_CNONCE, () -> when(k.eq(0), () -> {
                            // the cookie field's header and key id, then the seal under the current master key
                            cWr.set(true);
                            seqWr.payload.addr.set(freshAt);
                            seqWr.payload.data.set(Bits.cat(Bits.lit(NtsRequestParser.EF_COOKIE, 16), cookieField.zext(16), st.current_id,
                                    Bits.lit(0, 64)));
                            seqWr.payload.bytes.set(UInt.lit(8, 5));
                        }).otherwise(() -> {
                            lastOp.accept(ST_CSEAL);
                            op.open.set(false);
                            op.mac_key.set(st.current_slot.zext(kb).shl(1));
                            op.ctr_key.set(st.current_slot.zext(kb).shl(1).plus(1));
                            op.s2v_from.set(UInt.lit(AesSivOps.S2V_AFTER_EMPTY_AD, 2));
                            op.n_addr.set(freshAt.plus(2));
                            op.p_addr.set(cbase.plus(UInt.lit(KEYS, ab)));
                            op.p_len.set(keysLength);
                            op.out_addr.set(freshAt.plus(10));
                        }))
                        .is(ST_CSEAL, () -> {
                            Bool more = moreCookies;
                            when(k.eq(0), () -> {
                                cWr.set(true);
                                seqWr.payload.addr.set(freshAt.plus(6));
                                seqWr.payload.data.set(evV);
                            }).elseWhen(more, () -> {
                                nonce.accept(st.idx.plus(1), freshAt.plus(cookieField.shr(2).zext(ab)).plus(2));
                                nextStep.set(ST_CNONCE);
                            }).elseWhen(k.le(3), () -> {
                                // the answer's header, then its authenticator field's header
                                cWr.set(true);
                                seqWr.payload.addr.set(ansBase.plus(k.minus(1).zext(ab).shl(2)));
                                seqWr.payload.data.set(h.shl(k.minus(1).zext(9).shl(7)).slice(383, 256));
                            }).elseWhen(k.eq(4), () -> {
                                cWr.set(true);
                                seqWr.payload.addr.set(ansAuthAt);
                                seqWr.payload.data.set(Bits.cat(Bits.lit(NtsRequestParser.EF_AUTHENTICATOR, 16), authFieldLength.zext(16),
                                        Bits.lit(16, 16), ptLength.plus(16).zext(16), Bits.lit(0, 64)));
                                seqWr.payload.bytes.set(UInt.lit(8, 5));
                            }).otherwise(() -> {
                                nonce.accept(st.fresh, ansAuthAt.plus(2));
                                nextStep.set(ST_ANONCE);
                            });
                        })
                        .is(ST_ANONCE, () -> {
                            // the answer under S2C: AD = header || Unique Identifier, its nonce, the fresh cookies
                            lastOp.accept(ST_ASEAL);
                            op.open.set(false);
                            op.mac_key.set(ctxEntries.plus(2));
                            op.ctr_key.set(ctxEntries.plus(3));
                            op.ad_addr.set(ansBase);
                            op.ad_len.set(a);
                            op.n_addr.set(ansAuthAt.plus(2));
                            op.p_addr.set(cbase);
                            op.p_len.set(ptLength);
                            op.out_addr.set(ansAuthAt.plus(10));
                        })
                        .is(ST_ASEAL, () -> when(k.eq(0), () -> {
                            cWr.set(true);
                            seqWr.payload.addr.set(ansAuthAt.plus(6));
                            seqWr.payload.data.set(evV);
                        }).elseWhen(k.eq(1), () -> {
                            // zeros from the ciphertext's end to the request's length (the answer is as long as its request)
                            when(fillLeft.ne(0), () -> {
                                cWr.set(true);
                                cHold.set(fillLeft.gt(16));
                                seqWr.payload.addr.set(ansBase.plus(fill.shr(2).zext(ab)));
                                UInt left = fillLeft;
                                seqWr.payload.bytes.set(left.gt(16).mux(UInt.lit(16, 5), left.trunc(5)));
                            }).otherwise(() -> cNone.set(true));
                        }).otherwise(() -> finishWith.accept(OUT_ANSWER, st.req_length)))
                        .otherwise(none)));

        // ---- the command's port; on its transfer the next step, or the event's end --------------------------------------
        Bool wrReady = let("sequencer_write_ready", wrQ.in.ready);
        // an operation is issued only once every write before it is in memory (the queue empty): what it reads is there
        Bool writesDone = let("writes_drained", wrQ.empty.and(kwStage.out.valid.not()));
        Bool go = let("command_go", active.and(settled));
        opStage.in.valid.set(go.and(cOp).and(writesDone));
        koStage.in.valid.set(go.and(cKeyOp));
        kwStage.in.valid.set(go.and(cKeyWr));
        seqWr.valid.set(go.and(cWr));
        seqWr.ready.set(wrReady);
        // a result, too, only once the answer's last writes are in memory (and so in its payload's sum): the capture's writes
        // go first and can hold the sequencer's back
        resultQ.in.valid.set(go.and(cRes).and(writesDone));
        Bool fire = let("command_done", go.and(cNone.or(cOp.and(writesDone).and(opStage.in.ready)).or(cKeyOp.and(koStage.in.ready)).or(cKeyWr.and(kwStage.in.ready))
                .or(cWr.and(wrReady)).or(cRes.and(writesDone).and(resultQ.in.ready))));
        Bool finish = let("event_done", fire.and(cLast));
        key_done.set(regNextInit(finish.and(evKind.eq(EV_DONE).and(onKeyLane).or(evKind.eq(EV_KEY).and(kl.seed))), 0)
                .named("key_done_reg"));
        when(fire, () -> {
            when(cLast, () -> active.set(false)).elseWhen(cHold.not(), () -> k.set(k.plus(1)));
            when(cHold.or(cWr.and(evKind.eq(EV_DONE)).and(st.step.eq(ST_ASEAL)).and(k.eq(1))), () -> {
                fill.set(fill.plus(16));
                fillLeft.set(cHold.mux(fillLeft.minus(16), UInt.lit(0, 11)));
            });
            when(evKind.eq(EV_DONE).and(st.step.eq(ST_ASEAL)).and(k.eq(0)), () -> {
                fill.set(fillFrom);
                // (an answer never ends after its request's length; were it to, nothing is filled)
                UInt toEnd = fillEnd.zext(12).minus(fillFrom.zext(12));
                fillLeft.set(toEnd.bit(11).mux(UInt.lit(0, 11), toEnd.trunc(11)));
            });
        });
        // the context written back at the event's end with its next step (and the fresh-cookie count and index)
        Context next = wire(new Context());
        next.setFrom(st);
        // (written only at an event's end, while active)
        when(active, () -> next.step.set(nextStep));
        when(evKind.eq(EV_DONE).and(st.step.eq(ST_AUTH)), () -> {
            next.fresh.set(capped.plus(1).trunc(4));
            next.idx.set(0);
        });
        when(evKind.eq(EV_DONE).and(st.step.eq(ST_CSEAL)).and(moreCookies), () -> next.idx.set(st.idx.plus(1)));
        ctxMem.write(evCtx, next.asBits(), finish.and(evKind.ne(EV_KEY)).and(onKeyLane.not()));
        // the walker: started with the authenticator's open, stopped when its done is taken
        walker.start.valid.set(opStage.in.fire().and(evKind.eq(EV_DONE)).and(st.step.eq(ST_KEY2)));
        walker.start.payload.lane.set(evCtx);
        walker.start.payload.base.set(op.p_addr);
        walker.start.payload.length.set(op.p_len);
        walker.start.payload.cookie_body.set(st.cookie_body);
        walker.stop.valid.set(takeDone);
        walker.stop.payload.lane.set(doneQ.out.payload.lane);

        // the write port: the capture's writes (from registers) first, then the sequencer's through a FIFO (registered into
        // the memory's write logic). Only the sequencer's writes are ordered before its operations (the queue drained): the
        // capture writes the context being captured, which has no operation until its request is parsed, after its last
        // write
        wrQ.in.valid.set(seqWr.valid);
        wrQ.in.payload.setFrom(seqWr.payload);
        ops.blk_wr.valid.set(capWr.valid.or(wrQ.out.valid));
        ops.blk_wr.payload.addr.set(capWr.valid.mux(capWr.payload.addr, wrQ.out.payload.addr));
        ops.blk_wr.payload.data.set(capWr.valid.mux(capWr.payload.data, wrQ.out.payload.data));
        ops.blk_wr.payload.bytes.set(capWr.valid.mux(capWr.payload.bytes, wrQ.out.payload.bytes));
        capWr.ready.set(ops.blk_wr.ready);
        wrQ.out.ready.set(ops.blk_wr.ready.and(capWr.valid.not()));

        // ---- the answer memory: every write into a context's answer region, again, for 8-byte reads; its payload's sum --
        // (a CTR result and an owner's write never come in one cycle: the owner's waits for a cycle without one)
        Bool m1Valid = regInit(new Bool(), 0).named("mirror_valid_reg");
        AesLanes.BlockWrite m1 = reg(new AesLanes.BlockWrite(ab));
        m1.named("mirror_write");
        Bool lanesCtr = ops.ctr_wr.valid, lanesOwner = ops.blk_wr.fire();
        UInt wAddr = lanesCtr.mux(ops.ctr_wr.payload.addr, ops.blk_wr.payload.addr);
        UInt inContext = wAddr.trunc(10);
        m1Valid.set(lanesCtr.or(lanesOwner).and(inContext.ge(ANS)).and(inContext.lt(KEYS)));
        m1.addr.set(wAddr);
        // the write's bytes past its length zeroed on the way in (the banks write only its bytes anyway; the sum below adds
        // the register's bytes as they are)
        Bits wData = lanesCtr.mux(ops.ctr_wr.payload.data, ops.blk_wr.payload.data);
        UInt wBytes = lanesCtr.mux(ops.ctr_wr.payload.bytes, ops.blk_wr.payload.bytes);
        List<Bits> wKept = new ArrayList<>();
        for (int q = 0; q < 16; q++) wKept.add(wBytes.gt(q).mux(wData.part(120 - 8 * q, 8), Bits.lit(0, 8)));
        m1.data.set(Bits.cat(wKept));
        m1.bytes.set(wBytes);
        // the mirror's word address: context * 512 + the word in the answer region (4 banks, 16 bytes at any word)
        final int mb = cb + 9;
        UInt mAddr = let("mirror_word", Bits.cat(m1.addr.slice(ab - 1, 10), m1.addr.trunc(10).minus(ANS).trunc(9)).asUInt());
        List<Mem> mirror = new ArrayList<>();
        for (int b = 0; b < 4; b++) mirror.add(mem(32, 1 << (mb - 2)).named("answer_bank" + b));
        for (int b = 0; b < 4; b++) {
            AesLanes.BankWrite part = AesLanes.bankWrite(b, mAddr, m1.data, m1.bytes);
            mirror.get(b).write(part.row(), part.word(), m1Valid.and(part.mask().orReduce()), part.mask());
        }
        // the sum: the write's bytes (zeros past them), its 16-bit words (a write starts at an even payload offset) added in
        // two stages, then into the context's accumulator
        List<Bits> keptBytes = new ArrayList<>();
        for (int q = 0; q < 16; q++) keptBytes.add(m1.data.part(120 - 8 * q, 8));
        UInt[] pairs = new UInt[4];
        for (int q = 0; q < 4; q++)
            pairs[q] = Bits.cat(keptBytes.get(4 * q), keptBytes.get(4 * q + 1)).asUInt().zext(17)
                    .plus(Bits.cat(keptBytes.get(4 * q + 2), keptBytes.get(4 * q + 3)).asUInt().zext(17));
        Bool m2Valid = regNextInit(m1Valid, 0).named("sum_valid_reg");
        UInt m2Ctx = regNext(m1.addr.slice(ab - 1, 10).asUInt()).named("sum_context_reg");
        UInt m2A = regNext(pairs[0].zext(18).plus(pairs[1].zext(18))).named("sum_half0_reg");
        UInt m2B = regNext(pairs[2].zext(18).plus(pairs[3].zext(18))).named("sum_half1_reg");
        Bool m3Valid = regNextInit(m2Valid, 0).named("sum3_valid_reg");
        UInt m3Ctx = regNext(m2Ctx).named("sum3_context_reg");
        UInt m3X = regNext(m2A.zext(19).plus(m2B.zext(19))).named("sum3_write_reg");
        Mem sums = mem(28, lanes).named("payload_sum_mem");
        Bits unsummed = regInit(new Bits(lanes), 0).named("payload_unsummed_reg");
        Bool m3Fresh = unsummed.shr(m3Ctx).bit(0);
        UInt accOld = m3Fresh.mux(UInt.lit(0, 28), sums.readAsync(m3Ctx).asUInt());
        sums.write(m3Ctx, accOld.plus(m3X.zext(28)).asBits(), m3Valid);
        UInt qAcc = unsummed.shr(sum_context).bit(0).mux(UInt.lit(0, 28), sums.readAsync(cb == 5 ? sum_context : sum_context.trunc(cb)).asUInt());
        // folded: 28 bits to 16 with the carries added back (twice is enough)
        UInt f1 = qAcc.slice(15, 0).zext(17).plus(qAcc.slice(27, 16).zext(17));
        payload_sum.set(f1.slice(15, 0).plus(f1.bit(16).asUInt().zext(16)).asBits());
        // the read port: 8 bytes at an 8-byte offset, banks 0-1 or 2-3 of a row
        UInt rdWord = let("answer_read_word", Bits.cat(ans_rd_req.payload.context, ans_rd_req.payload.offset.slice(10, 2)).asUInt());
        Bool rdValid = regInit(new Bool(), 0).named("answer_read_valid_reg");
        Bool rdHigh = reg(new Bool()).named("answer_read_high_reg");
        ans_rd_req.ready.set(rdValid.not().or(ans_rd_res.ready));
        List<Bits> rdWords = new ArrayList<>();
        for (int b = 0; b < 4; b++) rdWords.add(mirror.get(b).readSync(rdWord.slice(mb - 1, 2), ans_rd_req.fire()));
        when(ans_rd_req.fire(), () -> {
            rdValid.set(true);
            rdHigh.set(rdWord.bit(1));
        }).elseWhen(ans_rd_res.fire(), () -> rdValid.set(false));
        ans_rd_res.valid.set(rdValid);
        ans_rd_res.payload.data.set(rdHigh.mux(Bits.cat(rdWords.get(2), rdWords.get(3)), Bits.cat(rdWords.get(0), rdWords.get(1))));

        // a context's AEAD, from its request's cookie, for the CTR writes of its cookie's plaintext (set at its start event,
        // before its cookie's open)
        Bits startBit = Bits.lit(1, lanes).shl(capCtx);
        when(takeStart, () -> wide.set(f.cookie_body.eq(COOKIE_BODY_17).mux(wide.or(startBit), wide.and(startBit.not()))));

        // contexts: taken by a job, freed by a release
        Bits taken = Bits.repeat(job.fire(), lanes).and(Bits.lit(1, lanes).shl(freePick));
        Bits freed = Bits.repeat(release.fire(), lanes).and(Bits.lit(1, lanes).shl(release.payload.context)).and(Bits.lit((1L << keyLane) - 1, lanes));
        busy.set(busy.or(taken).and(freed.not()));
        Bits summed = Bits.repeat(m3Valid, lanes).and(Bits.lit(1, lanes).shl(m3Ctx));
        unsummed.set(unsummed.and(summed.not()).or(taken));
        release.ready.set(true);
    }

    /** An AES-128 key as a key entry of the mixed lanes holds it: in the high half. */
    private static Bits aes128(Bits key) {
        return Bits.cat(key, Bits.lit(0, 128));
    }

    /** {@code n} 32-bit registers, word 0 first. */
    private List<Bits> words(String name, int n) {
        List<Bits> w = new ArrayList<>();
        for (int j = 0; j < n; j++) w.add(reg(new Bits(32)).named(name + "_word" + j + "_reg"));
        return w;
    }

    /**
     * Catches the 4-byte words starting at payload byte {@code at} (a multiple of 4) into {@code into} (one register per
     * word), those of them that a 16-byte chunk at payload byte {@code chunkOffset} holds, when {@code known}.
     */
    private void latchWords(Bits chunk, UInt chunkOffset, Bool known, UInt at, List<Bits> into) {
        for (int j = 0; j < into.size(); j++) {
            // a chunk starts at a multiple of 16 (chunk number x 16), so the word is in it when both have the same 16-byte
            // row, and its place in the chunk is its own offset's low four bits: no subtraction of the chunk's offset
            UInt wordAt = at.zext(12).plus(4 * j);
            Bits word = chunk.shl(wordAt.trunc(4).zext(7).shl(3)).slice(127, 96);
            Bits r = into.get(j);
            when(known.and(wordAt.slice(11, 4).eq(chunkOffset.zext(12).slice(11, 4))), () -> r.set(word));
        }
    }
}
