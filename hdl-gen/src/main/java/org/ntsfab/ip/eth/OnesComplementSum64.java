package org.ntsfab.ip.eth;

import java.util.ArrayList;
import java.util.List;
import org.ntsfab.hdl.Axis;
import org.ntsfab.hdl.Bits;
import org.ntsfab.hdl.Bool;
import org.ntsfab.hdl.Component;
import org.ntsfab.hdl.UInt;

/**
 * The Internet checksum's ones'-complement sum (RFC 1071) over the bytes of each frame of an
 * AXI-Stream: big-endian 16-bit words, byte 0 of the frame being the high byte of the first word; a
 * byte whose {@code tkeep} bit is clear counts as zero (so a caller sums any byte range by masking
 * {@code tkeep}, and an odd-length range is padded with zero as the RFC says). One beat per cycle,
 * always ready. One cycle after a frame's last beat, {@code sum_valid} pulses with {@code sum}, the
 * folded 16-bit sum (not complemented: 0xFFFF means a received checksum verified).
 */
public final class OnesComplementSum64 extends Component {
    public final Axis in;
    public final UInt sum;
    public final Bool sum_valid;

    public OnesComplementSum64(int dataBytes) {
        if (dataBytes % 2 != 0) throw new IllegalArgumentException("data width must be whole 16-bit words");
        moduleName("ones_complement_sum_" + 8 * dataBytes);
        in = slave(new Axis(dataBytes, 1));
        sum = out(new UInt(16));
        sum_valid = out(new Bool());

        int words = dataBytes / 2;
        int accWidth = 32;
        UInt acc = regInit(new UInt(accWidth), 0).named("acc_reg");
        UInt sumReg = regInit(new UInt(16), 0).named("sum_reg");
        Bool validReg = regInit(new Bool(), 0).named("sum_valid_reg");

        // masked bytes, regrouped as big-endian words, added into one beat sum
        List<UInt> wordsOfBeat = new ArrayList<>();
        for (int w = 0; w < words; w++) {
            Bits hi = in.tkeep().bit(2 * w).mux(in.tdata().part(16 * w, 8), Bits.lit(0, 8));
            Bits lo = in.tkeep().bit(2 * w + 1).mux(in.tdata().part(16 * w + 8, 8), Bits.lit(0, 8));
            wordsOfBeat.add(Bits.cat(hi, lo).asUInt().zext(accWidth));
        }
        UInt beatSum = wordsOfBeat.get(0);
        for (int w = 1; w < words; w++) beatSum = beatSum.plus(wordsOfBeat.get(w));
        UInt total = wire(new UInt(accWidth)).named("acc_next");
        total.set(acc.plus(beatSum));

        // fold twice: 32 -> 17 -> 16 bits (end-around carry)
        UInt fold1 = total.slice(15, 0).zext(17).plus(total.slice(31, 16).zext(17));
        UInt fold2 = fold1.slice(15, 0).plus(fold1.slice(16, 16).zext(16));

        validReg.set(false);
        when(in.valid, () -> {
            acc.set(total);
            when(in.tlast(), () -> {
                acc.set(0);
                sumReg.set(fold2);
                validReg.set(true);
            });
        });
        in.ready.set(true);
        sum.set(sumReg);
        sum_valid.set(validReg);
    }

    public OnesComplementSum64() {
        this(8);
    }
}
