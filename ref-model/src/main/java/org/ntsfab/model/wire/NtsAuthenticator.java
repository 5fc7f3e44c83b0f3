package org.ntsfab.model.wire;

import java.util.Arrays;

/** The body of an NTS Authenticator and Encrypted Extension Fields field (RFC 8915 §5.6). */
public record NtsAuthenticator(byte[] nonce, byte[] ciphertext) {
    public static final int TYPE = 0x0404;

    /** Parses a field body; padding after nonce and ciphertext is allowed and ignored. */
    public static NtsAuthenticator parse(byte[] b, int off, int len) throws WireException {
        if (len < 4) throw new WireException("authenticator body shorter than its lengths");
        int nl = Bytes.u16(b, off), cl = Bytes.u16(b, off + 2);
        int ns = (nl + 3) & ~3, cs = (cl + 3) & ~3;
        if (4 + ns + cs > len) throw new WireException("nonce and ciphertext overrun the field");
        return new NtsAuthenticator(Arrays.copyOfRange(b, off + 4, off + 4 + nl), Arrays.copyOfRange(b, off + 4 + ns, off + 4 + ns + cl));
    }

    /** The whole field, zero-padded at the end to {@code fieldLength} bytes (at least its natural length). */
    public byte[] field(int fieldLength) {
        int natural = 8 + ((nonce.length + 3) & ~3) + ((ciphertext.length + 3) & ~3);
        if (fieldLength < natural || fieldLength % 4 != 0) throw new IllegalArgumentException("field length " + fieldLength);
        byte[] f = new byte[fieldLength];
        Bytes.put16(f, 0, TYPE);
        Bytes.put16(f, 2, fieldLength);
        Bytes.put16(f, 4, nonce.length);
        Bytes.put16(f, 6, ciphertext.length);
        System.arraycopy(nonce, 0, f, 8, nonce.length);
        System.arraycopy(ciphertext, 0, f, 8 + ((nonce.length + 3) & ~3), ciphertext.length);
        return f;
    }

    public int naturalLength() {
        return 8 + ((nonce.length + 3) & ~3) + ((ciphertext.length + 3) & ~3);
    }
}
