package org.ntsfab.hdl.lib;

import java.util.function.Supplier;
import org.ntsfab.hdl.Bits;
import org.ntsfab.hdl.Bool;
import org.ntsfab.hdl.ClockDomain;
import org.ntsfab.hdl.Component;
import org.ntsfab.hdl.Data;
import org.ntsfab.hdl.Mem;
import org.ntsfab.hdl.Stream;
import org.ntsfab.hdl.UInt;

/**
 * A stream FIFO between two unrelated clocks: {@code in} in the write domain (the domain current at construction),
 * {@code out} in {@code readDomain}. The classic design (Cummings, SNUG 2002): a memory of power-of-two depth written
 * in the write domain and read, through a registered read port, in the read domain; binary pointers one bit wider
 * than the address, their Gray codes held in registers and carried across in {@link Synchronizer}s (one bit changes
 * per increment, so a two-flop synchronizer sees either the old or the new pointer, never a mix). Full compares the
 * write pointer with the synchronized read pointer (top two Gray bits inverted), empty the read pointer with the
 * synchronized write pointer: both are pessimistic, never wrong. The memory is a declared crossing
 * ({@code Design.crossings()}): a word is read only after the write pointer that covers it went through a
 * synchronizer, two read clocks after the write.
 *
 * <p>Latency from a write to {@code out.valid} is about three read clocks plus a write clock; throughput one beat per
 * clock on each side while neither full nor empty. {@code in.ready} and {@code out.valid} come from registers and
 * synchronizers only. Both domains must be reset together (each pointer is reset in its own domain).
 */
public final class AsyncFifo<T extends Data> extends Component {
    public final Stream<T> in;
    public final Stream<T> out;

    public AsyncFifo(Supplier<T> payloadType, int depth, ClockDomain readDomain) {
        this(payloadType, depth, readDomain, null, null);
    }

    public AsyncFifo(Supplier<T> payloadType, int depth, ClockDomain readDomain, String validName, String readyName) {
        if (depth < 4 || Integer.bitCount(depth) != 1)
            throw new IllegalArgumentException("asynchronous FIFO depth must be a power of two >= 4, got " + depth);
        String v = validName == null ? "valid" : validName, r = readyName == null ? "ready" : readyName;
        in = slave(new Stream<>(payloadType.get(), v, r));
        out = inDomain(readDomain, () -> master(new Stream<>(payloadType.get(), v, r)));
        int aw = Integer.numberOfTrailingZeros(depth);
        int w = in.payloadBits().width();
        // two domains: the name says which writes and which reads (one domain: Design adds its tag)
        String wt = clockDomain().tag(), rt = readDomain.tag();
        moduleName("async_fifo_w" + w + "_d" + depth + (wt.equals(rt) ? "" : "_" + (wt.isEmpty() ? "clk" : wt) + "_to_" + (rt.isEmpty() ? "clk" : rt)));

        Mem ram = mem(w, depth).named("ram");
        declareMemoryCrossing(ram);

        Synchronizer rdGraySync = add("rd_ptr_sync", new Synchronizer(aw + 1, clockDomain()));   // read pointer into the write domain
        Synchronizer wrGraySync = add("wr_ptr_sync", new Synchronizer(aw + 1, readDomain));      // write pointer into the read domain

        // ---- write side ---------------------------------------------------------------------------
        UInt wrBin = regInit(new UInt(aw + 1), 0).named("wr_bin_reg");
        UInt wrGray = regInit(new UInt(aw + 1), 0).named("wr_gray_reg");
        UInt rdGrayW = let("rd_gray_sync", rdGraySync.out.asUInt());
        // full: the write pointer one lap ahead of the read pointer; in Gray code the top two bits differ, the rest agree
        UInt lapAhead = let("rd_gray_lap", UInt.cat(rdGrayW.slice(aw, aw - 1).not(), rdGrayW.trunc(aw - 1)));
        Bool full = let("full", wrGray.eq(lapAhead));
        Bool inFire = let("in_fire", in.valid.and(full.not()));
        UInt wrNext = let("wr_bin_next", wrBin.plus(inFire.asUInt().zext(aw + 1)));
        ram.write(wrBin.trunc(aw), in.payloadBits(), inFire);
        wrBin.set(wrNext);
        wrGray.set(gray(wrNext));
        in.ready.set(full.not());
        wrGraySync.in.set(wrGray.asBits());

        // ---- read side ----------------------------------------------------------------------------
        withDomain(readDomain, () -> {
            UInt rdBin = regInit(new UInt(aw + 1), 0).named("rd_bin_reg");
            UInt rdGray = regInit(new UInt(aw + 1), 0).named("rd_gray_reg");
            Bool outValid = regInit(new Bool(), 0).named("out_valid_reg");
            UInt wrGrayR = let("wr_gray_sync", wrGraySync.out.asUInt());
            Bool empty = let("empty", rdGray.eq(wrGrayR));
            Bool readEnable = let("read_enable", empty.not().and(outValid.not().or(out.ready)));
            Bits rdata = ram.readSync(rdBin.trunc(aw), readEnable);
            UInt rdNext = let("rd_bin_next", rdBin.plus(readEnable.asUInt().zext(aw + 1)));
            rdBin.set(rdNext);
            rdGray.set(gray(rdNext));
            when(readEnable, () -> outValid.set(true)).elseWhen(out.ready, () -> outValid.set(false));
            out.valid.set(outValid);
            out.setPayloadBits(rdata);
            rdGraySync.in.set(rdGray.asBits());
        });
    }

    private static UInt gray(UInt bin) {
        return bin.xor(bin.shr(1));
    }
}
