package org.ntsfab.model.nts;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.ntsfab.model.crypto.AesSiv;
import org.ntsfab.model.wire.Bytes;

/**
 * The server cookie in chrony's layout (docs/responder-spec.md §9.2): key id (4 bytes, big-endian) |
 * nonce (16) | AES-SIV-CMAC-256 under the master key of that id, with the S2V components [associated
 * data = the empty string, nonce], of C2S || S2C. With the same master key, chrony (4.x,
 * nts_ke_server.c) and we open each other's AEAD 15 cookies. The key id is not authenticated as
 * associated data: it only selects the master key, and a cookie whose id was changed is opened
 * under another key (or none), where its tag fails. The AEAD the client negotiated is implied by
 * the key length: 2 x 32 bytes = AEAD 15 (AES-SIV-CMAC-256, cookie of 100 bytes, chrony's), 2 x 64
 * bytes = AEAD 17 (AES-SIV-CMAC-512, 164 bytes, ours only: chrony has no AEAD 17).
 */
public final class CookieCodec {
    public static final int AEAD_AES_SIV_CMAC_256 = 15;
    public static final int AEAD_AES_SIV_CMAC_512 = 17;

    /** The keys a cookie carries. */
    public record Keys(int aead, byte[] c2s, byte[] s2c) {
        public Keys {
            int n = aead == AEAD_AES_SIV_CMAC_256 ? 32 : aead == AEAD_AES_SIV_CMAC_512 ? 64 : -1;
            if (n < 0) throw new IllegalArgumentException("unsupported AEAD " + aead);
            if (c2s.length != n || s2c.length != n) throw new IllegalArgumentException("AEAD " + aead + " keys are " + n + " bytes");
        }
    }

    public static int cookieLength(int aead) {
        return 4 + 16 + 16 + 2 * (aead == AEAD_AES_SIV_CMAC_256 ? 32 : 64);
    }

    /** The S2V components of a cookie: the empty associated data, then the nonce (as chrony seals). */
    private static List<byte[]> components(byte[] nonce16) {
        return List.of(new byte[0], nonce16);
    }

    private final MasterKeys keys;

    public CookieCodec(MasterKeys keys) {
        this.keys = keys;
    }

    public byte[] seal(Keys k, byte[] nonce16) {
        if (nonce16.length != 16) throw new IllegalArgumentException("cookie nonce is 16 bytes");
        byte[] id = new byte[4];
        Bytes.put32(id, 0, keys.currentId());
        byte[] plain = new byte[k.c2s().length * 2];
        System.arraycopy(k.c2s(), 0, plain, 0, k.c2s().length);
        System.arraycopy(k.s2c(), 0, plain, k.c2s().length, k.s2c().length);
        byte[] sealed = new AesSiv(keys.current()).seal(components(nonce16), plain);
        byte[] out = new byte[4 + 16 + sealed.length];
        System.arraycopy(id, 0, out, 0, 4);
        System.arraycopy(nonce16, 0, out, 4, 16);
        System.arraycopy(sealed, 0, out, 20, sealed.length);
        return out;
    }

    /** Why a cookie did not open. */
    public enum Failure { BAD_LENGTH, UNKNOWN_KEY, BAD_TAG }

    /** The keys, or the reason the cookie is unusable. */
    public record Opened(Keys keys, Failure failure) {}

    public Opened open(byte[] cookie) {
        int aead = cookie.length == cookieLength(AEAD_AES_SIV_CMAC_256) ? AEAD_AES_SIV_CMAC_256
                : cookie.length == cookieLength(AEAD_AES_SIV_CMAC_512) ? AEAD_AES_SIV_CMAC_512 : -1;
        if (aead < 0) return new Opened(null, Failure.BAD_LENGTH);
        long id = Bytes.u32(cookie, 0);
        Optional<byte[]> master = keys.get(id);
        if (master.isEmpty()) return new Opened(null, Failure.UNKNOWN_KEY);
        byte[] nonce = Arrays.copyOfRange(cookie, 4, 20);
        Optional<byte[]> plain = new AesSiv(master.get()).open(components(nonce), Arrays.copyOfRange(cookie, 20, cookie.length));
        if (plain.isEmpty()) return new Opened(null, Failure.BAD_TAG);
        byte[] p = plain.get();
        int n = p.length / 2;
        return new Opened(new Keys(aead, Arrays.copyOfRange(p, 0, n), Arrays.copyOfRange(p, n, 2 * n)), null);
    }
}
