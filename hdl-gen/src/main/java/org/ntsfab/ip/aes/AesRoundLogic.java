package org.ntsfab.ip.aes;

import java.util.ArrayList;
import java.util.List;
import org.ntsfab.hdl.Bits;
import org.ntsfab.hdl.Component;

/**
 * AES round functions as hardware expressions for the cores that extend this class. A 128-bit
 * state or key holds byte 0 (the first byte of the block, FIPS-197's in[0]) in bits 127..120, so
 * column c is bytes 4c..4c+3.
 */
abstract class AesRoundLogic extends Component {
    /** Round constants for key expansion, rcon[1..10]. */
    static final int[] RCON = {0, 0x01, 0x02, 0x04, 0x08, 0x10, 0x20, 0x40, 0x80, 0x1b, 0x36};

    static Bits byteOf(Bits v, int i) {
        int w = v.width() / 8;
        return v.part(8 * (w - 1 - i), 8);
    }

    static Bits fromBytes(List<Bits> bytes) {
        return Bits.cat(bytes);
    }

    Bits sbox(Bits b) {
        AesSbox s = add("sbox", new AesSbox());
        s.in.set(b);
        return s.out;
    }

    Bits subBytes(Bits v) {
        List<Bits> out = new ArrayList<>();
        for (int i = 0; i < v.width() / 8; i++) out.add(sbox(byteOf(v, i)));
        return fromBytes(out);
    }

    static Bits shiftRows(Bits s) {
        List<Bits> out = new ArrayList<>();
        for (int c = 0; c < 4; c++) for (int r = 0; r < 4; r++) out.add(byteOf(s, r + 4 * ((c + r) % 4)));
        return fromBytes(out);
    }

    static Bits xtime(Bits b) {
        Bits shifted = Bits.cat(b.slice(6, 0), Bits.lit(0, 1));
        return b.bit(7).mux(shifted.xor(Bits.lit(0x1b, 8)), shifted);
    }

    static Bits mixColumns(Bits s) {
        List<Bits> out = new ArrayList<>();
        for (int c = 0; c < 4; c++) {
            Bits a0 = byteOf(s, 4 * c), a1 = byteOf(s, 4 * c + 1), a2 = byteOf(s, 4 * c + 2), a3 = byteOf(s, 4 * c + 3);
            Bits x0 = xtime(a0), x1 = xtime(a1), x2 = xtime(a2), x3 = xtime(a3);
            out.add(x0.xor(x1).xor(a1).xor(a2).xor(a3));
            out.add(a0.xor(x1).xor(x2).xor(a2).xor(a3));
            out.add(a0.xor(a1).xor(x2).xor(x3).xor(a3));
            out.add(x0.xor(a0).xor(a1).xor(a2).xor(x3));
        }
        return fromBytes(out);
    }

    /** One round without the key: SubBytes, ShiftRows, and MixColumns unless it is the last. */
    Bits round(Bits state, boolean last) {
        Bits s = shiftRows(subBytes(state));
        return last ? s : mixColumns(s);
    }

    static Bits word(Bits v, int i) {
        int n = v.width() / 32;
        return v.part(32 * (n - 1 - i), 32);
    }

    /** SubWord(RotWord(w)) xor rcon, or SubWord(w) alone when {@code rcon} is negative. */
    Bits keyCore(Bits w, int rcon) {
        Bits rot = rcon >= 0 ? Bits.cat(w.slice(23, 0), w.slice(31, 24)) : w;
        Bits sub = subBytes(rot);
        return rcon >= 0 ? sub.xor(Bits.lit((long) rcon << 24, 32)) : sub;
    }

    /**
     * The next four key-schedule words from the last {@code nk} words ({@code nk} = 4 for AES-128,
     * 8 for AES-256): w[i] = w[i-nk] xor (core of w[i-1] for the first word).
     * {@code wordIndex} is i of the first new word (a multiple of 4).
     */
    Bits expand(Bits window, int nk, int wordIndex) {
        Bits prev = word(window, nk - 1);
        int rconIndex = wordIndex / nk;
        Bits t = wordIndex % nk == 0 ? keyCore(prev, RCON[rconIndex]) : keyCore(prev, -1);
        Bits w0 = word(window, 0).xor(t);
        Bits w1 = word(window, 1).xor(w0);
        Bits w2 = word(window, 2).xor(w1);
        Bits w3 = word(window, 3).xor(w2);
        return Bits.cat(w0, w1, w2, w3);
    }
}
