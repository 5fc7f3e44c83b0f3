package org.ntsfab.ip.stream;

import org.ntsfab.hdl.Axis;
import org.ntsfab.hdl.Bits;
import org.ntsfab.hdl.Bool;
import org.ntsfab.hdl.Component;
import org.ntsfab.hdl.UInt;

/**
 * Realigns each frame of an AXI-Stream by dropping its first {@code shift} bytes (0 .. bytes-1,
 * sampled with the frame's first beat), so a header at any byte offset starts at byte 0 of a beat.
 * Output beat k holds input bytes [k*B + shift, k*B + shift + B): the tail of input beat k and the
 * head of beat k+1. A frame that ends with bytes left over in its last beat needs one extra output
 * beat; during that beat the input is stalled. A frame of {@code shift} bytes or fewer produces no
 * output at all. {@code tuser} of a frame's last output beat is the OR of every input beat's
 * {@code tuser} (other output beats carry zero). One beat per cycle otherwise; {@code in.tready}
 * follows {@code out.tready} combinationally (put a {@code StreamStage} after it to cut the path).
 */
public final class AxisRealign extends Component {
    public final Axis in;
    public final UInt shift;
    public final Axis out;

    public AxisRealign(int bytes) {
        if (bytes < 2 || Integer.bitCount(bytes) != 1) throw new IllegalArgumentException("bus bytes must be a power of two >= 2");
        moduleName("axis_realign_" + 8 * bytes);
        int sw = Integer.numberOfTrailingZeros(bytes);
        in = slave(new Axis(bytes, 1));
        shift = in(new UInt(sw));
        out = master(new Axis(bytes, 1));

        Bool heldValid = regInit(new Bool(), 0).named("held_valid_reg");
        Bool flush = regInit(new Bool(), 0).named("flush_reg");
        Bits heldData = reg(new Bits(8 * bytes)).named("held_data_reg");
        Bits heldKeep = reg(new Bits(bytes)).named("held_keep_reg");
        UInt shiftReg = reg(new UInt(sw)).named("shift_reg");
        Bool errAcc = regInit(new Bool(), 0).named("err_acc_reg");

        // the frame's shift: sampled from the input on its first beat, held afterwards
        UInt sh = wire(new UInt(sw)).named("shift_cur");
        sh.set(heldValid.or(flush).mux(shiftReg, shift));
        UInt byteShift = UInt.cat(sh, UInt.lit(0, 3));
        Bool inErr = in.tuser().bit(0);
        // bytes of this beat beyond the shift point (keep is contiguous, so one bit tells)
        Bool leftover = let("leftover", in.tkeep().asUInt().shr(sh).bit(0));

        Bits pairData = flush.mux(Bits.cat(Bits.lit(0, 8 * bytes), heldData), Bits.cat(in.tdata(), heldData));
        Bits pairKeep = flush.mux(Bits.cat(Bits.lit(0, bytes), heldKeep), Bits.cat(in.tkeep(), heldKeep));
        Bits outData = pairData.asUInt().shr(byteShift.zext(byteShift.width() + 1)).asBits().trunc(8 * bytes);
        Bits outKeep = pairKeep.asUInt().shr(sh.zext(sh.width() + 1)).asBits().trunc(bytes);

        Bool outValid = wire(new Bool(), 0).named("out_valid_int");
        Bool outLast = wire(new Bool(), 0).named("out_last_int");
        Bool inReady = wire(new Bool(), 0).named("in_ready_int");
        Bool inFire = in.valid.and(inReady);

        when(flush, () -> {
            outValid.set(true);
            outLast.set(true);
            when(out.ready, () -> {
                flush.set(false);
                heldValid.set(false);
                errAcc.set(false);
            });
        }).elseWhen(heldValid, () -> {
            outValid.set(in.valid);
            outLast.set(in.tlast().and(leftover.not()));
            inReady.set(out.ready);
            when(inFire, () -> {
                heldData.set(in.tdata());
                heldKeep.set(in.tkeep());
                errAcc.set(errAcc.or(inErr));
                when(in.tlast(), () -> {
                    when(leftover, () -> flush.set(true)).otherwise(() -> {
                        heldValid.set(false);
                        errAcc.set(false);
                    });
                });
            });
        }).otherwise(() -> {
            // first beat of a frame: nothing to emit yet
            inReady.set(true);
            when(inFire, () -> {
                heldData.set(in.tdata());
                heldKeep.set(in.tkeep());
                shiftReg.set(shift);
                errAcc.set(inErr);
                when(in.tlast(), () -> {
                    when(leftover, () -> {
                        heldValid.set(true);
                        flush.set(true);
                    }).otherwise(() -> errAcc.set(false));
                }).otherwise(() -> heldValid.set(true));
            });
        });

        in.ready.set(inReady);
        out.valid.set(outValid);
        out.tdata().set(outData);
        out.tkeep().set(outKeep);
        out.tlast().set(outLast);
        Bool lastErr = flush.mux(errAcc, errAcc.or(inErr));
        out.tuser().set(outLast.and(lastErr).asBits());
    }

    public AxisRealign() {
        this(8);
    }
}
