package org.ntsfab.model.crypto;

import java.security.MessageDigest;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.bouncycastle.crypto.engines.AESEngine;
import org.bouncycastle.crypto.macs.CMac;
import org.bouncycastle.crypto.params.KeyParameter;

/**
 * AES-SIV (RFC 5297) on Bouncy Castle's AES and CMAC: S2V over the header components, then AES-CTR
 * from the synthetic IV with bits 31 and 63 cleared. The key is K1 (CMAC) || K2 (CTR): 32 bytes
 * for AEAD_AES_SIV_CMAC_256 (NTS AEAD id 15), 64 bytes for AEAD_AES_SIV_CMAC_512 (id 17).
 * Output of {@link #seal} is V || C, as RFC 5297 and NTS (RFC 8915 §5.6) lay it out.
 */
public final class AesSiv {
    public static final int BLOCK = 16;
    private final byte[] k1;
    private final byte[] k2;

    public AesSiv(byte[] key) {
        if (key.length != 32 && key.length != 48 && key.length != 64)
            throw new IllegalArgumentException("AES-SIV key must be 32, 48 or 64 bytes, got " + key.length);
        k1 = Arrays.copyOfRange(key, 0, key.length / 2);
        k2 = Arrays.copyOfRange(key, key.length / 2, key.length);
    }

    /** Seals {@code plaintext} under the header components (associated data..., nonce). */
    public byte[] seal(List<byte[]> components, byte[] plaintext) {
        byte[] v = s2v(components, plaintext);
        byte[] c = ctr(v, plaintext);
        byte[] out = new byte[BLOCK + c.length];
        System.arraycopy(v, 0, out, 0, BLOCK);
        System.arraycopy(c, 0, out, BLOCK, c.length);
        return out;
    }

    /** Opens V || C; empty when the tag does not verify (nothing of the plaintext is released). */
    public Optional<byte[]> open(List<byte[]> components, byte[] sealed) {
        if (sealed.length < BLOCK) return Optional.empty();
        byte[] v = Arrays.copyOfRange(sealed, 0, BLOCK);
        byte[] p = ctr(v, Arrays.copyOfRange(sealed, BLOCK, sealed.length));
        byte[] check = s2v(components, p);
        return MessageDigest.isEqual(v, check) ? Optional.of(p) : Optional.empty();
    }

    /** RFC 5297 §2.4 S2V: the plaintext is the last string. */
    byte[] s2v(List<byte[]> components, byte[] plaintext) {
        if (components.size() > 126) throw new IllegalArgumentException("S2V takes at most 126 header components");
        byte[] d = cmac(new byte[BLOCK]);
        for (byte[] s : components) d = xor(dbl(d), cmac(s));
        byte[] t;
        if (plaintext.length >= BLOCK) {
            t = plaintext.clone();
            for (int i = 0; i < BLOCK; i++) t[plaintext.length - BLOCK + i] ^= d[i];
        } else {
            byte[] padded = new byte[BLOCK];
            System.arraycopy(plaintext, 0, padded, 0, plaintext.length);
            padded[plaintext.length] = (byte) 0x80;
            t = xor(dbl(d), padded);
        }
        return cmac(t);
    }

    private byte[] cmac(byte[] m) {
        CMac mac = new CMac(AESEngine.newInstance());
        mac.init(new KeyParameter(k1));
        mac.update(m, 0, m.length);
        byte[] out = new byte[BLOCK];
        mac.doFinal(out, 0);
        return out;
    }

    private byte[] ctr(byte[] v, byte[] in) {
        byte[] q = v.clone();
        q[8] &= 0x7f;
        q[12] &= 0x7f;
        var aes = AESEngine.newInstance();
        aes.init(true, new KeyParameter(k2));
        byte[] out = new byte[in.length];
        byte[] ks = new byte[BLOCK];
        for (int off = 0; off < in.length; off += BLOCK) {
            aes.processBlock(q, 0, ks, 0);
            for (int i = 0; i < BLOCK && off + i < in.length; i++) out[off + i] = (byte) (in[off + i] ^ ks[i]);
            increment(q);
        }
        return out;
    }

    private static void increment(byte[] q) {
        for (int i = BLOCK - 1; i >= 0; i--) if (++q[i] != 0) break;
    }

    /** Doubling in GF(2^128) with the polynomial x^128 + x^7 + x^2 + x + 1. */
    static byte[] dbl(byte[] s) {
        byte[] out = new byte[BLOCK];
        int carry = 0;
        for (int i = BLOCK - 1; i >= 0; i--) {
            int b = s[i] & 0xff;
            out[i] = (byte) ((b << 1) | carry);
            carry = b >>> 7;
        }
        if ((s[0] & 0x80) != 0) out[BLOCK - 1] ^= (byte) 0x87;
        return out;
    }

    private static byte[] xor(byte[] a, byte[] b) {
        byte[] out = new byte[BLOCK];
        for (int i = 0; i < BLOCK; i++) out[i] = (byte) (a[i] ^ b[i]);
        return out;
    }
}
