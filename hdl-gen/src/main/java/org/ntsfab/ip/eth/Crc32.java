package org.ntsfab.ip.eth;

/**
 * The Ethernet CRC-32 (IEEE 802.3: reflected polynomial 0xEDB88320, init and final XOR 0xFFFFFFFF)
 * as a GF(2)-linear map, from which the hardware's parallel XOR networks are derived. The state
 * update over {@code k} bytes is linear in (state, data) with no constant term, so the dependency of
 * each output bit on each input bit is found by feeding unit vectors.
 */
public final class Crc32 {
    public static final int POLY_REFLECTED = 0xEDB88320;
    /** The register value after running the CRC over a frame followed by its correct FCS. */
    public static final int RESIDUE = 0xDEBB20E3;

    private Crc32() {}

    /** One byte into the (non-inverted) CRC register, LSB first. */
    public static int updateByte(int state, int b) {
        state ^= b & 0xff;
        for (int i = 0; i < 8; i++) state = (state >>> 1) ^ (POLY_REFLECTED & -(state & 1));
        return state;
    }

    /** {@code k} little-endian bytes of {@code data} into the register. */
    public static int update(int state, long data, int k) {
        for (int i = 0; i < k; i++) state = updateByte(state, (int) (data >>> (8 * i)));
        return state;
    }

    /**
     * For a k-byte update: {@code deps[j]} lists, for output bit j, the input bits it XORs:
     * indices 0..31 are state bits, 32.. are data bits (bit 8*i+b of the beat = byte i, bit b).
     */
    public static int[][] dependencies(int k) {
        int inputs = 32 + 8 * k;
        boolean[][] m = new boolean[32][inputs];
        for (int i = 0; i < inputs; i++) {
            int state = i < 32 ? 1 << i : 0;
            long data = i < 32 ? 0 : 1L << (i - 32);
            int outBits = update(state, data, k);
            for (int j = 0; j < 32; j++) m[j][i] = ((outBits >>> j) & 1) != 0;
        }
        int[][] deps = new int[32][];
        for (int j = 0; j < 32; j++) {
            int n = 0;
            for (boolean b : m[j]) if (b) n++;
            deps[j] = new int[n];
            int p = 0;
            for (int i = 0; i < inputs; i++) if (m[j][i]) deps[j][p++] = i;
        }
        return deps;
    }
}
