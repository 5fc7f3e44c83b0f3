package org.ntsfab.ip.stream;

import java.util.ArrayList;
import java.util.List;
import org.ntsfab.hdl.Axis;
import org.ntsfab.hdl.Bits;
import org.ntsfab.hdl.Bool;
import org.ntsfab.hdl.Component;
import org.ntsfab.hdl.UInt;

/**
 * AXI-Stream width adapters between a byte-wide bus (a 1G MAC's GMII/RGMII side) and the core's
 * 8-byte bus.
 * <ul>
 * <li>{@link #up()}: bytes in, 8-byte beats out. A beat leaves (registered) when its eighth byte or
 *     the frame's last byte arrives; {@code tuser} of the last beat is the OR over the frame.
 *     Accepts a byte every cycle while the output is free or being taken.
 * <li>{@link #down()}: 8-byte beats in, bytes out, with no register on the data path: the first
 *     byte of a beat leaves in the cycle the beat is offered, and the beat is accepted with its last
 *     kept byte. Frames are as the core sends them (keep contiguous from byte 0).
 * </ul>
 */
public final class AxisWidthAdapter extends Component {
    public final Axis in;
    public final Axis out;

    private AxisWidthAdapter(boolean up) {
        moduleName(up ? "axis_upsize_8_64" : "axis_downsize_64_8");
        in = slave(up ? new Axis(1, 1) : new Axis(8, 1));
        out = master(up ? new Axis(8, 1) : new Axis(1, 1));
        if (up) buildUp();
        else buildDown();
    }

    public static AxisWidthAdapter up() {
        return new AxisWidthAdapter(true);
    }

    public static AxisWidthAdapter down() {
        return new AxisWidthAdapter(false);
    }

    private void buildUp() {
        UInt count = regInit(new UInt(3), 0).named("count_reg");
        Bits[] acc = new Bits[7];
        for (int i = 0; i < 7; i++) acc[i] = reg(new Bits(8)).named("byte" + i + "_reg");
        Bool userAcc = regInit(new Bool(), 0).named("user_acc_reg");
        Bool outValid = regInit(new Bool(), 0).named("out_valid_reg");
        Bits outData = reg(new Bits(64)).named("out_data_reg");
        Bits outKeep = reg(new Bits(8)).named("out_keep_reg");
        Bool outLast = reg(new Bool()).named("out_last_reg");
        Bool outUser = reg(new Bool()).named("out_user_reg");

        in.ready.set(outValid.not().or(out.ready));
        when(out.fire(), () -> outValid.set(false));
        Bool complete = let("beat_complete", count.eq(7).or(in.tlast()));
        Bool user = userAcc.or(in.tuser().bit(0));
        when(in.fire(), () -> {
            for (int i = 0; i < 7; i++) {
                final int k = i;
                when(count.eq(k), () -> acc[k].set(in.tdata()));
            }
            count.set(complete.mux(UInt.lit(0, 3), count.plus(1)));
            userAcc.set(in.tlast().not().and(user));
            when(complete, () -> {
                outValid.set(true);
                List<Bits> bytes = new ArrayList<>(), keep = new ArrayList<>();
                for (int lane = 7; lane >= 0; lane--) {
                    Bool isThis = count.eq(lane);
                    bytes.add(lane == 7 ? isThis.mux(in.tdata(), Bits.lit(0, 8)) : isThis.mux(in.tdata(), count.gt(lane).mux(acc[lane], Bits.lit(0, 8))));
                    keep.add(lane == 0 ? Bits.lit(1, 1) : count.ge(lane).asBits());
                }
                outData.set(Bits.cat(bytes));
                outKeep.set(Bits.cat(keep));
                outLast.set(in.tlast());
                outUser.set(in.tlast().and(user));
            });
        });
        out.valid.set(outValid);
        out.tdata().set(outData);
        out.tkeep().set(outKeep);
        out.tlast().set(outLast);
        out.tuser().set(outUser.asBits());
    }

    private void buildDown() {
        UInt idx = regInit(new UInt(3), 0).named("byte_index_reg");
        // the last kept byte of this beat: keep is contiguous from lane 0
        UInt lastLane = UInt.lit(0, 3);
        for (int lane = 1; lane < 8; lane++) lastLane = in.tkeep().bit(lane).mux(UInt.lit(lane, 3), lastLane);
        Bool beatEnds = let("beat_ends", idx.eq(lastLane));
        Bits data = in.tdata().part(0, 8);
        for (int lane = 1; lane < 8; lane++) data = idx.eq(lane).mux(in.tdata().part(8 * lane, 8), data);
        out.valid.set(in.valid);
        out.tdata().set(data);
        out.tkeep().set(Bits.lit(1, 1));
        out.tlast().set(in.tlast().and(beatEnds));
        out.tuser().set(in.tuser().and(beatEnds.and(in.tlast()).asBits()));
        in.ready.set(out.ready.and(beatEnds));
        when(out.fire(), () -> idx.set(beatEnds.mux(UInt.lit(0, 3), idx.plus(1))));
    }
}
