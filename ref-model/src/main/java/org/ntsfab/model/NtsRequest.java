package org.ntsfab.model;

import java.util.List;
import java.util.Optional;
import org.ntsfab.model.wire.Bytes;
import org.ntsfab.model.wire.ExtensionField;

/**
 * An NTS request's fields as spec §9.1 accepts them, found in its (already walked) extension fields: the one Unique
 * Identifier, the one Cookie, the placeholders (all of the cookie's body length), the Authenticator (the last field)
 * with where its nonce and ciphertext are. What the NTS core's parser must find, byte offset for byte offset, before any
 * cryptography; {@link #parse} empty is {@code drop_nts_malformed}.
 *
 * @param adLength the associated data of the authenticator's AES-SIV: the UDP payload up to the authenticator
 * @param nonceOffset the nonce in the UDP payload ({@code nonceLength} bytes, at least 16)
 * @param ciphertextOffset the ciphertext, tag first ({@code ciphertextLength} bytes, at least 16)
 */
public record NtsRequest(ExtensionField uid, ExtensionField cookie, int placeholders, int cookieBody, ExtensionField auth, int adLength,
        int nonceOffset, int nonceLength, int ciphertextOffset, int ciphertextLength) {

    /** §9.1 over the walked fields of the UDP payload {@code req}; empty when the request is malformed. */
    public static Optional<NtsRequest> parse(byte[] req, List<ExtensionField> efs) {
        ExtensionField uid = null, cookie = null, auth = null;
        int placeholders = 0, cookieBody = -1;
        for (ExtensionField e : efs) {
            switch (e.type()) {
                case Responder.EF_UNIQUE_ID -> {
                    if (uid != null || e.bodyLength() < 32) return Optional.empty();
                    uid = e;
                }
                case Responder.EF_COOKIE, Responder.EF_PLACEHOLDER -> {
                    if (cookieBody >= 0 && cookieBody != e.bodyLength()) return Optional.empty();
                    cookieBody = e.bodyLength();
                    if (e.type() == Responder.EF_COOKIE) {
                        if (cookie != null) return Optional.empty();
                        cookie = e;
                    } else {
                        placeholders++;
                    }
                }
                case Responder.EF_AUTHENTICATOR -> {
                    if (e.offset() + e.length() != req.length) return Optional.empty();
                    auth = e;
                }
                default -> { }
            }
        }
        if (uid == null || cookie == null || auth == null) return Optional.empty();
        // the authenticator's body: nonce length, ciphertext length, the two padded to 4 within the body
        int body = auth.bodyOffset(), len = auth.bodyLength();
        if (len < 4) return Optional.empty();
        int nl = Bytes.u16(req, body), cl = Bytes.u16(req, body + 2);
        int ns = (nl + 3) & ~3, cs = (cl + 3) & ~3;
        if (4 + ns + cs > len || nl < 16 || cl < 16) return Optional.empty();
        return Optional.of(new NtsRequest(uid, cookie, placeholders, cookieBody, auth, auth.offset(), body + 4, nl, body + 4 + ns, cl));
    }
}
