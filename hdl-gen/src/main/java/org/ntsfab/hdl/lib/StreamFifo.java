package org.ntsfab.hdl.lib;

import java.util.function.Supplier;
import org.ntsfab.hdl.Bits;
import org.ntsfab.hdl.Bool;
import org.ntsfab.hdl.Component;
import org.ntsfab.hdl.Data;
import org.ntsfab.hdl.Mem;
import org.ntsfab.hdl.Stream;
import org.ntsfab.hdl.UInt;

/**
 * A synchronous FIFO of power-of-two depth on a memory with a registered read port (the shape Yosys
 * and vendor tools map to block RAM), with a registered output: one transfer per cycle on each side,
 * two cycles from an empty FIFO's input to its output, {@code in.ready} and {@code out.valid} both
 * from registers. {@code level} counts the beats held (memory plus output register).
 */
public final class StreamFifo<T extends Data> extends Component {
    public final Stream<T> in;
    public final Stream<T> out;
    public final UInt level;
    /** Nothing queued (level 0), from the pointers' comparison and the output register: shallower than {@code level}'s sum. */
    public final Bool empty;

    /**
     * The {@code queue} combinator: {@code in} into a new FIFO of {@code depth} beats, an instance named {@code name} of
     * the component under construction; returns the FIFO (its {@code out} is the queued stream).
     */
    public static <T extends Data> StreamFifo<T> queue(String name, Stream<T> in, Supplier<T> payloadType, int depth) {
        StreamFifo<T> f = Component.addToCurrent(name, new StreamFifo<>(payloadType, depth, in.validName(), in.readyName()));
        f.in.connectFrom(in);
        return f;
    }

    public StreamFifo(Supplier<T> payloadType, int depth) {
        this(payloadType, depth, null, null);
    }

    public StreamFifo(Supplier<T> payloadType, int depth, String validName, String readyName) {
        this(payloadType, depth, validName, readyName, null);
    }

    /**
     * {@code kind} (may be null) goes into the module name, for a FIFO whose payload has the width of another's but not
     * its fields (so not its ports): {@code stream_fifo_<kind>_w<width>_d<depth>}.
     */
    public StreamFifo(Supplier<T> payloadType, int depth, String validName, String readyName, String kind) {
        if (depth < 2 || Integer.bitCount(depth) != 1)
            throw new IllegalArgumentException("FIFO depth must be a power of two >= 2, got " + depth);
        String v = validName == null ? "valid" : validName, r = readyName == null ? "ready" : readyName;
        in = slave(new Stream<>(payloadType.get(), v, r));
        out = master(new Stream<>(payloadType.get(), v, r));
        int aw = Integer.numberOfTrailingZeros(depth);
        level = out(new UInt(aw + 2));
        empty = out(new Bool());
        int w = in.payloadBits().width();
        moduleName("stream_fifo_" + (kind == null ? "" : kind + "_") + "w" + w + "_d" + depth);

        Mem ram = mem(w, depth).named("ram");
        UInt wrPtr = regInit(new UInt(aw + 1), 0).named("wr_ptr_reg");
        UInt rdPtr = regInit(new UInt(aw + 1), 0).named("rd_ptr_reg");
        Bool outValid = regInit(new Bool(), 0).named("out_valid_reg");

        Bool full = let("full", wrPtr.bit(aw).ne(rdPtr.bit(aw)).and(wrPtr.trunc(aw).eq(rdPtr.trunc(aw))));
        Bool memEmpty = let("mem_empty", wrPtr.eq(rdPtr));
        Bool inFire = let("in_fire", in.valid.and(full.not()));
        Bool readEnable = let("read_enable", memEmpty.not().and(outValid.not().or(out.ready)));

        ram.write(wrPtr.trunc(aw), in.payloadBits(), inFire);
        Bits rdata = ram.readSync(rdPtr.trunc(aw), readEnable);
        when(inFire, () -> wrPtr.set(wrPtr.plus(1)));
        when(readEnable, () -> {
            rdPtr.set(rdPtr.plus(1));
            outValid.set(true);
        }).elseWhen(out.ready, () -> outValid.set(false));

        in.ready.set(full.not());
        out.valid.set(outValid);
        out.setPayloadBits(rdata);
        level.set(wrPtr.minus(rdPtr).zext(aw + 2).plus(outValid.asUInt().zext(aw + 2)));
        empty.set(memEmpty.and(outValid.not()));
    }
}
