package org.ntsfab.responder.nts;

import org.ntsfab.hdl.Axis;
import org.ntsfab.hdl.Bits;
import org.ntsfab.hdl.Bool;
import org.ntsfab.hdl.Bundle;
import org.ntsfab.hdl.Component;
import org.ntsfab.hdl.Stream;
import org.ntsfab.hdl.UInt;

/**
 * The NTS core's request parser (docs/nts-core.md §3): spec §9.1 over an NTS request's UDP payload as its beats go by
 * (8 bytes per beat, byte 0 of the payload in {@code tdata[7:0]} of the first beat), no walk after capture. It follows
 * the extension-field chain from byte 48 (the classifier has already checked the chain: every field at least 16 bytes,
 * a multiple of 4, within the payload; so at most one field header per beat) and finds what the model's
 * {@code NtsRequest.parse} finds: the one Unique Identifier (body at least 32 bytes), the one Cookie, the placeholders
 * (each of the cookie's body length), the Authenticator, which must be the last field, and its nonce (at least 16
 * bytes) and ciphertext (at least 16), padded to 4 within its body. Three cycles after the last beat, one {@code fields}
 * result: offsets in bytes from the payload's start, or {@code malformed} ({@code drop_nts_malformed}); the next
 * request's beats are taken once it is.
 */
public final class NtsRequestParser extends Component {
    public static final int EF_UNIQUE_ID = 0x0104, EF_COOKIE = 0x0204, EF_PLACEHOLDER = 0x0304, EF_AUTHENTICATOR = 0x0404;

    public static final class Fields extends Bundle {
        public final Bool malformed = new Bool();
        public final UInt uid_offset = new UInt(11), uid_length = new UInt(11);
        public final UInt cookie_offset = new UInt(11), cookie_body = new UInt(11);
        /** Placeholders outside the authenticator, at most 15 counted (a 1472-byte payload holds at most 13). */
        public final UInt placeholders = new UInt(4);
        /** The authenticator field: also the AES-SIV associated data's length. */
        public final UInt auth_offset = new UInt(11);
        public final UInt nonce_offset = new UInt(11), nonce_length = new UInt(11);
        public final UInt ciphertext_offset = new UInt(11), ciphertext_length = new UInt(11);
    }

    /**
     * What the beats taken so far have shown (registers, so a beat's fields appear the cycle after it is taken): for a
     * consumer that must act on them while the request still streams in, as the NTS core's capture copies the Unique
     * Identifier and keeps the cookie's key id and tags. Only meaningful until {@code fields} is taken.
     */
    public static final class Progress extends Bundle {
        public final Bool uid_seen = new Bool();
        public final UInt uid_offset = new UInt(11), uid_length = new UInt(11);
        /** The identifier field's end (its offset plus its length). */
        public final UInt uid_end = new UInt(11);
        public final Bool cookie_seen = new Bool();
        public final UInt cookie_offset = new UInt(11), cookie_body = new UInt(11);
        public final Bool auth_seen = new Bool();
        public final UInt auth_offset = new UInt(11);
        /** The authenticator's nonce and ciphertext lengths have been taken. */
        public final Bool auth_lengths_seen = new Bool();
        public final UInt nonce_length = new UInt(11);
    }

    public final Axis in;
    public final Stream<Fields> fields;
    public final Progress progress;

    public NtsRequestParser() {
        moduleName("nts_request_parser");
        in = slave(new Axis(8, 1));
        fields = master(new Stream<>(new Fields()));
        progress = out(new Progress());

        UInt beat = regInit(new UInt(8), 0).named("beat_index_reg");
        UInt next = regInit(new UInt(11), 48).named("next_field_reg");
        Bool seenUid = regInit(new Bool(), 0).named("seen_uid_reg"), seenCookie = regInit(new Bool(), 0).named("seen_cookie_reg");
        Bool seenBody = regInit(new Bool(), 0).named("seen_cookie_body_reg"), seenAuth = regInit(new Bool(), 0).named("seen_auth_reg");
        Bool bad = regInit(new Bool(), 0).named("malformed_reg");
        Bool authLengthsDue = regInit(new Bool(), 0).named("auth_lengths_due_reg");
        // what was found, in the result's names
        UInt uidOffset = reg(new UInt(11)).named("uid_offset_reg"), uidLength = reg(new UInt(11)).named("uid_length_reg");
        UInt uidEnd = reg(new UInt(11)).named("uid_end_reg");
        UInt cookieOffset = reg(new UInt(11)).named("cookie_offset_reg"), cookieBody = reg(new UInt(11)).named("cookie_body_reg");
        // the cookie's (or first placeholder's) field length, so a field is compared with it without a subtraction first
        UInt cookieLen = reg(new UInt(11)).named("cookie_field_length_reg");
        UInt placeholders = regInit(new UInt(4), 0).named("placeholders_reg");
        UInt authOffset = reg(new UInt(11)).named("auth_offset_reg");
        UInt nonceLength = reg(new UInt(11)).named("nonce_length_reg"), ctLength = reg(new UInt(11)).named("ciphertext_length_reg");
        UInt authEnd = reg(new UInt(12)).named("auth_end_reg");
        UInt bytesIn = regInit(new UInt(12), 0).named("payload_bytes_reg");

        // ---- the field header in this beat, if the chain's next field starts here ------------------------------
        Bool upper = next.bit(2);  // the header is the beat's second 4-byte word
        // (the chain ends where the payload does: a "next field" in the last beat's missing half is none)
        Bool here = let("field_here", next.slice(10, 3).eq(beat).and(upper.mux(in.tkeep().bit(4), in.tkeep().bit(0))));
        Bits word = upper.mux(in.tdata().slice(63, 32), in.tdata().slice(31, 0));
        UInt type = let("field_type", Bits.cat(word.part(0, 8), word.part(8, 8)).asUInt());
        UInt len = let("field_length", Bits.cat(word.part(16, 8), word.part(24, 8)).asUInt().trunc(11));
        UInt body = let("field_body_length", len.minus(4));
        // the authenticator's nonce and ciphertext lengths: its body's first word, in this beat (a header in the first
        // word) or the next beat's first word
        Bits bodyWord = let("auth_body_word", authLengthsDue.mux(in.tdata().slice(31, 0), in.tdata().slice(63, 32)));
        Bool lengthsHere = let("auth_lengths_here", authLengthsDue.or(here.and(upper.not()).and(type.eq(EF_AUTHENTICATOR))));
        UInt nonceLen = Bits.cat(bodyWord.part(0, 8), bodyWord.part(8, 8)).asUInt().trunc(11);
        UInt ctLen = Bits.cat(bodyWord.part(16, 8), bodyWord.part(24, 8)).asUInt().trunc(11);
        UInt authBodyReg = reg(new UInt(11)).named("auth_body_length_reg");
        Bool lengthsSeen = regInit(new Bool(), 0).named("auth_lengths_seen_reg");

        Bool take = in.fire();
        Bool done = regInit(new Bool(), 0).named("last_beat_in_reg");
        Bool check = regInit(new Bool(), 0).named("checking_reg");
        Bool resultValid = regInit(new Bool(), 0).named("result_valid_reg");
        in.ready.set(done.or(check).or(resultValid).not());
        UInt keptBytes = UInt.lit(0, 4);
        for (int i = 0; i < 8; i++) keptBytes = keptBytes.plus(in.tkeep().bit(i).asUInt().zext(4));
        UInt beatBytes = let("beat_bytes", keptBytes);
        when(take, () -> {
            beat.set(in.tlast().mux(UInt.lit(0, 8), beat.plus(1)));
            bytesIn.set(bytesIn.plus(beatBytes.zext(12)));
            when(here, () -> {
                next.set(next.plus(len));
                // every field after the authenticator makes the request malformed (it must be the last)
                when(seenAuth, () -> bad.set(true));
                switchOn(type)
                        .is(EF_UNIQUE_ID, () -> {
                            // (a body under 32 bytes: a field under 36; every field is at least 16, so no wrap)
                            when(seenUid.or(len.lt(36)), () -> bad.set(true));
                            seenUid.set(true);
                            uidOffset.set(next);
                            uidLength.set(len);
                            uidEnd.set(next.plus(len));
                        })
                        .is(EF_COOKIE, () -> {
                            when(seenCookie.or(seenBody.and(cookieLen.ne(len))), () -> bad.set(true));
                            seenCookie.set(true);
                            seenBody.set(true);
                            cookieOffset.set(next);
                            cookieBody.set(body);
                            cookieLen.set(len);
                        })
                        .is(EF_PLACEHOLDER, () -> {
                            when(seenBody.and(cookieLen.ne(len)), () -> bad.set(true));
                            seenBody.set(true);
                            cookieBody.set(body);
                            cookieLen.set(len);
                            when(placeholders.ne(15), () -> placeholders.set(placeholders.plus(1)));
                        })
                        .is(EF_AUTHENTICATOR, () -> {
                            seenAuth.set(true);
                            authOffset.set(next);
                            authEnd.set(next.zext(12).plus(len.zext(12)));
                            authBodyReg.set(body);
                            // a header in the second word: its body's first word is the next beat's first
                            authLengthsDue.set(upper);
                        });
            });
            when(lengthsHere, () -> {
                authLengthsDue.set(false);
                lengthsSeen.set(true);
                nonceLength.set(nonceLen);
                ctLength.set(ctLen);
            });
        });

        // ---- the result after the last beat: the remaining checks on what was found ----------------------------
        // the cycle after the last beat: the remaining checks on what was found, registered as the result
        when(take.and(in.tlast()), () -> done.set(true)).elseWhen(done, () -> {
            done.set(false);
            check.set(true);
        }).elseWhen(check, () -> {
            check.set(false);
            resultValid.set(true);
        }).elseWhen(fields.fire(), () -> {
            resultValid.set(false);
            next.set(48);
            seenUid.set(false);
            seenCookie.set(false);
            seenBody.set(false);
            seenAuth.set(false);
            bad.set(false);
            authLengthsDue.set(false);
            lengthsSeen.set(false);
            placeholders.set(0);
            bytesIn.set(0);
        });
        UInt padNonce = nonceLength.plus(3).and(UInt.lit(~3L & 0x7ff, 11));
        UInt padCt = ctLength.plus(3).and(UInt.lit(~3L & 0x7ff, 11));
        // the authenticator's lengths against its body, from registers every cycle: settled by the checking cycle
        Bool lengthsBadReg = regNext(nonceLength.lt(16).or(ctLength.lt(16))
                .or(padNonce.zext(12).plus(padCt.zext(12)).plus(4).gt(authBodyReg.zext(12)))).named("auth_lengths_bad_reg");
        Bool missing = seenUid.not().or(seenCookie.not()).or(seenAuth.not());
        Bool malformedReg = reg(new Bool()).named("malformed_result_reg");
        UInt nonceOffset = reg(new UInt(11)).named("nonce_offset_reg"), ctOffset = reg(new UInt(11)).named("ciphertext_offset_reg");
        when(check, () -> {
            malformedReg.set(bad.or(missing).or(lengthsBadReg).or(authEnd.ne(bytesIn)));
            nonceOffset.set(authOffset.plus(8));
            ctOffset.set(authOffset.plus(8).plus(padNonce));
        });
        progress.uid_seen.set(seenUid);
        progress.uid_offset.set(uidOffset);
        progress.uid_length.set(uidLength);
        progress.uid_end.set(uidEnd);
        progress.cookie_seen.set(seenCookie);
        progress.cookie_offset.set(cookieOffset);
        progress.cookie_body.set(cookieBody);
        progress.auth_seen.set(seenAuth);
        progress.auth_offset.set(authOffset);
        progress.auth_lengths_seen.set(lengthsSeen);
        progress.nonce_length.set(nonceLength);
        Fields out = fields.payload;
        fields.valid.set(resultValid);
        out.malformed.set(malformedReg);
        out.uid_offset.set(uidOffset);
        out.uid_length.set(uidLength);
        out.cookie_offset.set(cookieOffset);
        out.cookie_body.set(cookieBody);
        out.placeholders.set(placeholders);
        out.auth_offset.set(authOffset);
        out.nonce_offset.set(nonceOffset);
        out.nonce_length.set(nonceLength);
        out.ciphertext_offset.set(ctOffset);
        out.ciphertext_length.set(ctLength);
    }
}
