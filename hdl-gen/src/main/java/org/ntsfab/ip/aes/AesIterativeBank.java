package org.ntsfab.ip.aes;

import java.util.ArrayList;
import java.util.List;
import org.ntsfab.hdl.Bits;
import org.ntsfab.hdl.Bool;
import org.ntsfab.hdl.Component;
import org.ntsfab.hdl.Stream;
import org.ntsfab.hdl.UInt;
import org.ntsfab.hdl.lib.RoundRobin;

/**
 * Several {@link AesIterative} units behind one stream, for the byte-wide build's NTS core: a block goes to the
 * lowest-numbered unit that can take it, and the units' results leave round robin (an offered result stays offered
 * until it is taken), so {@code n} units take {@code n} blocks per 11 (AES-128) or 15 (AES-256) cycles. The interface
 * is {@link AesPipeline}'s, so {@link AesLanes} drive either; unlike a pipeline's, results leave out of their blocks'
 * order (each carries its tag: the lanes key their state by it). A two-block queue in front of the units makes
 * {@code in.ready} a register (the lanes' issue stages advance with it); each unit registers its own block and result,
 * and nothing is registered between the units and {@code out}.
 */
public final class AesIterativeBank extends Component {
    public final Stream<AesPipeline.Request> in;
    public final Stream<AesPipeline.Result> out;
    public final int units;

    public AesIterativeBank(int keyBits, int units, int tagBits) {
        if (units < 2 || units > 8) throw new IllegalArgumentException("2..8 units (one unit is AesIterative itself)");
        this.units = units;
        String kind = keyBits == AesPipeline.MIXED ? "mixed" : Integer.toString(keyBits);
        moduleName("aes_" + kind + "_iterative_x" + units + "_t" + tagBits);
        in = slave(new Stream<>(new AesPipeline.Request(keyBits, tagBits)));
        out = master(new Stream<>(new AesPipeline.Result(tagBits)));
        List<AesIterative> u = new ArrayList<>();
        for (int i = 0; i < units; i++) u.add(add("unit" + i, new AesIterative(keyBits, tagBits)));

        // ---- in: a two-block queue (its ready a register, so the lanes' issue stages never wait on the units' state
        // through the result arbiter), then the lowest-numbered unit that can take its head -----------------------
        org.ntsfab.hdl.lib.StreamFifo<AesPipeline.Request> queue = add("in_queue",
                new org.ntsfab.hdl.lib.StreamFifo<>(() -> new AesPipeline.Request(keyBits, tagBits), 2));
        queue.in.connectFrom(in);
        Bool taken = Bool.lit(false);
        for (AesIterative a : u) {
            a.in.payload.setFrom(queue.out.payload);
            a.in.valid.set(queue.out.valid.and(taken.not()).and(a.in.ready));
            taken = taken.or(a.in.ready);
        }
        queue.out.ready.set(taken);

        // ---- out: round robin over the units holding a result -----------------------------------------------------
        int sb = 32 - Integer.numberOfLeadingZeros(units - 1);
        UInt lastServed = regInit(new UInt(sb), units - 1).named("last_served_reg");
        List<Bool> valids = new ArrayList<>();
        for (AesIterative a : u) valids.add(a.out.valid);
        // a result offered and not taken stays offered (a stream's payload is stable until it is taken), so the pick is
        // held then; a unit keeps its result until it is taken
        Bool hold = regInit(new Bool(), 0).named("result_held_reg");
        UInt held = regInit(new UInt(sb), 0).named("result_held_pick_reg");
        UInt pick = let("result_pick", hold.mux(held, RoundRobin.next(valids, lastServed)));
        Bool any = Bool.lit(false);
        Bits block = u.get(0).out.payload.block, tag = u.get(0).out.payload.tag;
        for (int i = 0; i < units; i++) {
            Bool g = pick.eq(i);
            any = any.or(u.get(i).out.valid);
            if (i > 0) {
                block = g.mux(u.get(i).out.payload.block, block);
                tag = g.mux(u.get(i).out.payload.tag, tag);
            }
            u.get(i).out.ready.set(out.ready.and(g));
        }
        out.valid.set(any);
        out.payload.block.set(block);
        out.payload.tag.set(tag);
        when(out.fire(), () -> lastServed.set(pick));
        hold.set(out.valid.and(out.ready.not()));
        held.set(pick);
    }
}
