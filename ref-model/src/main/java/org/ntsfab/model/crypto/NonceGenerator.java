package org.ntsfab.model.crypto;

import org.bouncycastle.crypto.engines.AESEngine;
import org.bouncycastle.crypto.params.KeyParameter;

/**
 * The keyed, deterministic nonce source the hardware reproduces: the nonce with index {@code i} of
 * NTS request number {@code r} (requests counted from 0 since the seed was loaded) is AES-128
 * under the 16-byte seed of the block {@code r ‖ i} (two 64-bit big-endian integers). Every
 * (r, i) pair is used once and AES is a permutation, so no nonce repeats under one seed; the
 * sequence is unpredictable without the seed, and the model predicts it exactly from the seed.
 *
 * <p>Why indexed rather than one running counter: cores working on different requests in
 * parallel draw their nonces in whatever order they finish, and an index makes each request's
 * nonces a function of the request alone, so no core waits for another's turn.
 */
public final class NonceGenerator {
    private final AESEngine aes = new AESEngine();

    public NonceGenerator(byte[] seed) {
        if (seed.length != 16) throw new IllegalArgumentException("nonce seed must be 16 bytes");
        aes.init(true, new KeyParameter(seed));
    }

    /** Nonce {@code index} of request {@code request}. */
    public byte[] nonce(long request, long index) {
        byte[] block = new byte[16];
        for (int i = 0; i < 8; i++) {
            block[7 - i] = (byte) (request >>> (8 * i));
            block[15 - i] = (byte) (index >>> (8 * i));
        }
        byte[] out = new byte[16];
        aes.processBlock(block, 0, out, 0);
        return out;
    }
}
