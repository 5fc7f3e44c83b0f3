package org.ntsfab.model.traffic;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.ntsfab.model.Responder;
import org.ntsfab.model.crypto.AesSiv;
import org.ntsfab.model.nts.CookieCodec;
import org.ntsfab.model.wire.Bytes;
import org.ntsfab.model.wire.NtsAuthenticator;

/**
 * The client side of NTS-protected NTP (RFC 8915 §5), as chrony does it: request = header, Unique
 * Identifier, one cookie, placeholders, Authenticator (AEAD under C2S of everything before it; nonce
 * of 16 bytes). Checks answers with S2C and extracts the fresh cookies. Used by the traffic generator
 * and by tests; independent of the responder's code paths.
 */
public final class NtsClient {
    private NtsClient() {}

    public static byte[] request(byte[] header48, byte[] uid, byte[] cookie, int placeholders, byte[] c2s, byte[] nonce16,
                                 byte[] encryptedEfs) {
        byte[] prefix = FrameBuilder.concat(header48, FrameBuilder.ef(Responder.EF_UNIQUE_ID, uid),
                FrameBuilder.ef(Responder.EF_COOKIE, cookie));
        for (int i = 0; i < placeholders; i++)
            prefix = FrameBuilder.concat(prefix, FrameBuilder.ef(Responder.EF_PLACEHOLDER, new byte[cookie.length]));
        NtsAuthenticator auth = new NtsAuthenticator(nonce16, new AesSiv(c2s).seal(List.of(prefix, nonce16), encryptedEfs));
        return FrameBuilder.concat(prefix, auth.field(auth.naturalLength()));
    }

    /** A verified answer: its fresh cookies. */
    public record Verified(List<byte[]> cookies) {}

    /** Verifies an NTS answer's UDP payload: UID echoed, authenticator opens under S2C. */
    public static Optional<Verified> verify(byte[] answer, byte[] uid, byte[] s2c) {
        if (answer.length < 48) return Optional.empty();
        int o = 48;
        boolean uidOk = false;
        while (o + 4 <= answer.length) {
            int type = Bytes.u16(answer, o), len = Bytes.u16(answer, o + 2);
            if (len < 4 || o + len > answer.length) return Optional.empty();
            if (type == Responder.EF_UNIQUE_ID) uidOk = Arrays.equals(Arrays.copyOfRange(answer, o + 4, o + 4 + uid.length), uid);
            if (type == Responder.EF_AUTHENTICATOR) {
                int nl = Bytes.u16(answer, o + 4), cl = Bytes.u16(answer, o + 6);
                byte[] nonce = Arrays.copyOfRange(answer, o + 8, o + 8 + nl);
                int c = o + 8 + ((nl + 3) & ~3);
                byte[] ct = Arrays.copyOfRange(answer, c, c + cl);
                Optional<byte[]> pt = new AesSiv(s2c).open(List.of(Arrays.copyOfRange(answer, 0, o), nonce), ct);
                if (pt.isEmpty() || !uidOk) return Optional.empty();
                List<byte[]> cookies = new ArrayList<>();
                byte[] p = pt.get();
                for (int q = 0; q + 4 <= p.length; ) {
                    int t = Bytes.u16(p, q), l = Bytes.u16(p, q + 2);
                    if (l < 4 || q + l > p.length) return Optional.empty();
                    if (t == Responder.EF_COOKIE) cookies.add(Arrays.copyOfRange(p, q + 4, q + l));
                    q += l;
                }
                return Optional.of(new Verified(cookies));
            }
            o += len;
        }
        return Optional.empty();
    }

    /** Fresh C2S/S2C keys for AEAD 15 from a byte source. */
    public static CookieCodec.Keys keys(java.util.Random r) {
        return keys(r, CookieCodec.AEAD_AES_SIV_CMAC_256);
    }

    /** Random C2S and S2C keys for AEAD 15 (2 x 32 bytes) or 17 (2 x 64 bytes). */
    public static CookieCodec.Keys keys(java.util.Random r, int aead) {
        int n = aead == CookieCodec.AEAD_AES_SIV_CMAC_512 ? 64 : 32;
        byte[] c2s = new byte[n], s2c = new byte[n];
        r.nextBytes(c2s);
        r.nextBytes(s2c);
        return new CookieCodec.Keys(aead, c2s, s2c);
    }
}
