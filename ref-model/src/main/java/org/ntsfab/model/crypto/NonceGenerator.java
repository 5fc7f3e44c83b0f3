package org.ntsfab.model.crypto;

import org.bouncycastle.crypto.engines.AESEngine;
import org.bouncycastle.crypto.params.KeyParameter;

/**
 * The keyed, deterministic nonce source the hardware reproduces: nonce number {@code n} (counting
 * from 0 after the seed is loaded) is AES-128 under the 16-byte seed key of the 128-bit big-endian
 * block {@code n}. AES is a permutation, so no nonce repeats under one seed before 2^128 nonces; the
 * sequence is unpredictable without the seed, and the model predicts it exactly from the seed.
 */
public final class NonceGenerator {
    private final AESEngine aes = new AESEngine();
    private long counter;

    public NonceGenerator(byte[] seed) {
        if (seed.length != 16) throw new IllegalArgumentException("nonce seed must be 16 bytes");
        aes.init(true, new KeyParameter(seed));
    }

    /** The next 16-byte nonce. */
    public byte[] next() {
        byte[] block = new byte[16];
        long n = counter++;
        for (int i = 0; i < 8; i++) block[15 - i] = (byte) (n >>> (8 * i));
        byte[] out = new byte[16];
        aes.processBlock(block, 0, out, 0);
        return out;
    }

    /** How many nonces have been drawn. */
    public long count() {
        return counter;
    }
}
