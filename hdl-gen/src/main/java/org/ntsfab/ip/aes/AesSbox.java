package org.ntsfab.ip.aes;

import org.ntsfab.hdl.Bits;
import org.ntsfab.hdl.Component;

/**
 * The AES S-box (FIPS-197 §5.1.1) as a 256-entry combinational table: one module, instantiated
 * wherever a byte is substituted (synthesis maps it to LUTs; an 8-input function is four LUT6 per
 * output bit on Xilinx).
 */
public final class AesSbox extends Component {
    public final Bits in = in(new Bits(8));
    public final Bits out = out(new Bits(8));

    public AesSbox() {
        moduleName("aes_sbox");
        // mapped on its own, as a table (Xilinx: 32 LUT6 with their wide-function muxes): flattened into a round, Yosys
        // merges it with MixColumns' xors, and the AES pipelines took three times the LUTs (bench --nts-area)
        keepHierarchy();
        Bits value = wire(new Bits(8), 0).named("value");
        var sw = switchOn(in);
        for (int i = 0; i < 256; i++) {
            final int v = SBOX[i];
            sw.is(i, () -> value.set(Bits.lit(v, 8)));
        }
        sw.otherwise(() -> { });
        out.set(value);
    }

    /** The S-box table, computed from its definition: multiplicative inverse in GF(2^8), then the affine map. */
    public static final int[] SBOX = table();

    private static int mul(int a, int b) {
        int p = 0;
        for (int i = 0; i < 8; i++) {
            if ((b & 1) != 0) p ^= a;
            boolean hi = (a & 0x80) != 0;
            a = (a << 1) & 0xff;
            if (hi) a ^= 0x1b;
            b >>= 1;
        }
        return p;
    }

    private static int[] table() {
        int[] s = new int[256];
        for (int x = 0; x < 256; x++) {
            int inv = 0;
            if (x != 0) for (int y = 1; y < 256; y++) if (mul(x, y) == 1) inv = y;
            int b = inv, r = 0x63;
            for (int i = 0; i < 5; i++) r ^= ((b << i) | (b >>> (8 - i))) & 0xff;
            s[x] = r;
        }
        return s;
    }
}
