package org.ntsfab.responder.nts;

import org.ntsfab.hdl.Bits;
import org.ntsfab.hdl.Bool;
import org.ntsfab.hdl.Bundle;
import org.ntsfab.hdl.Component;
import org.ntsfab.hdl.Flow;
import org.ntsfab.hdl.Mem;
import org.ntsfab.hdl.UInt;
import org.ntsfab.ip.aes.AesSivOps;

/**
 * The NTS core's walk of an authenticator's decrypted plaintext (spec §9.3): its extension fields, with §9.1's length
 * rules (each at least 16 bytes, a multiple of 4, within the plaintext), and its Cookie Placeholders counted, each of
 * the cookie's body length, else the request is malformed. It reads no memory: it watches the plaintext go by as the
 * AES-SIV open's CTR results are written ({@code wr}, 16 bytes at a time, in order, per lane), so the walk is finished
 * when the open is (the open's S2V runs after its CTR).
 *
 * <p>Per lane: {@code start} (at the open's issue) names the plaintext's first word and length and the cookie's body
 * length; {@code stop} ends the lane's walk (later writes of that lane are not plaintext). {@code query_lane} reads the
 * lane's verdict. A field header is 4 bytes at a 4-byte offset and fields are at least 16 bytes long, so a 16-byte write
 * holds at most one header; the walk's state is in lane memory, read and written back in one cycle after a registered
 * write (a lane's CTR results are a round trip of the AES pipeline apart, never in consecutive cycles).
 */
public final class NtsPlaintextWalker extends Component {
    public static final class Start extends Bundle {
        public final UInt lane;
        public final UInt base;
        public final UInt length = new UInt(11), cookie_body = new UInt(11);

        public Start(int laneBits, int addrBits) {
            lane = new UInt(laneBits);
            base = new UInt(addrBits);
        }
    }

    public static final class Stop extends Bundle {
        public final UInt lane;

        public Stop(int laneBits) {
            lane = new UInt(laneBits);
        }
    }

    /** A lane's walk so far. */
    static final class Walk extends Bundle {
        public final UInt next = new UInt(11);
        public final UInt count = new UInt(4);
        public final Bool bad = new Bool();
    }

    /** What a lane walks: written by {@code start} only. */
    static final class Text extends Bundle {
        public final UInt base;
        public final UInt length = new UInt(11), body = new UInt(11);

        Text(int addrBits) {
            base = new UInt(addrBits);
        }
    }

    public final Flow<Start> start;
    public final Flow<Stop> stop;
    public final Flow<AesSivOps.CtrWrite> wr;
    public final UInt query_lane;
    /** The lane's plaintext broke a length rule, or a placeholder's body is not the cookie's. */
    public final Bool query_bad;
    /** Placeholders counted (at most 15). */
    public final UInt query_count;

    public NtsPlaintextWalker(int lanes, int addrBits) {
        int lb = Integer.numberOfTrailingZeros(lanes);
        moduleName("nts_plaintext_walker_" + lanes + "_a" + addrBits);
        start = slave(new Flow<>(new Start(lb, addrBits)));
        stop = slave(new Flow<>(new Stop(lb)));
        wr = slave(new Flow<>(new AesSivOps.CtrWrite(lb, addrBits)));
        query_lane = in(new UInt(lb));
        query_bad = out(new Bool());
        query_count = out(new UInt(4));

        // the walk's state is written by the walk alone, what it walks by start alone (one write port each); a started
        // lane's state is the initial one until its first write (unwalked), whatever the memory holds
        Mem walks = mem(new Walk().totalWidth(), lanes).named("walk_mem");
        Mem texts = mem(new Text(addrBits).totalWidth(), lanes).named("text_mem");
        Bits active = regInit(new Bits(lanes), 0).named("walking_reg");
        Bits unwalked = regInit(new Bits(lanes), 0).named("unwalked_reg");

        // ---- W0: the write, registered, if its lane is walking ---------------------------------------------------
        Bool w1Valid = regNextInit(wr.valid.and(active.shr(wr.payload.lane).bit(0)).and(stop.valid.and(stop.payload.lane.eq(wr.payload.lane)).not()), 0)
                .named("w1_valid_reg");
        UInt w1Lane = regNext(wr.payload.lane).named("w1_lane_reg");
        UInt w1Addr = regNext(wr.payload.addr).named("w1_addr_reg");
        Bits w1Data = regNext(wr.payload.data).named("w1_data_reg");

        // ---- W1: the lane's walk, advanced over these 16 bytes ---------------------------------------------------
        Walk stored = wire(new Walk());
        stored.setFromBits(walks.readAsync(w1Lane));
        Bool initial = unwalked.shr(w1Lane).bit(0);
        Walk w = wire(new Walk());
        w.next.set(initial.mux(UInt.lit(0, 11), stored.next));
        w.count.set(initial.mux(UInt.lit(0, 4), stored.count));
        w.bad.set(initial.not().and(stored.bad));
        Text t = wire(new Text(addrBits));
        t.setFromBits(texts.readAsync(w1Lane));
        // the write's offset in the plaintext (bytes; a plaintext is at most 1472 bytes)
        UInt at = let("write_offset", w1Addr.minus(t.base).trunc(9).zext(11).shl(2));
        UInt into = let("header_in_write", w.next.minus(at));
        Bool here = let("header_here", into.lt(16).and(w.next.lt(t.length)));
        UInt rem = let("bytes_left", t.length.minus(w.next));
        Bits word = let("header_word", w1Data.shl(into.trunc(4).zext(7).shl(3)).slice(127, 96));
        UInt type = word.slice(31, 16).asUInt(), len = word.slice(15, 0).asUInt();
        Bool lenBad = let("field_length_bad", rem.lt(16).or(len.lt(16)).or(len.trunc(2).ne(0)).or(len.gt(rem.zext(16))));
        Bool placeholder = type.eq(NtsRequestParser.EF_PLACEHOLDER);
        Walk nw = wire(new Walk());
        nw.setFrom(w);
        when(here, () -> {
            nw.next.set(w.next.plus(len.trunc(11)));
            when(lenBad.or(placeholder.and(len.minus(4).ne(t.body.zext(16)))), () -> nw.bad.set(true));
            when(lenBad.not().and(placeholder).and(w.count.ne(15)), () -> nw.count.set(w.count.plus(1)));
            // a bad length ends the walk where it is (nothing after it can be trusted; the verdict is taken)
            when(lenBad, () -> nw.next.set(t.length));
        });
        Text text = wire(new Text(addrBits));
        text.base.set(start.payload.base);
        text.length.set(start.payload.length);
        text.body.set(start.payload.cookie_body);
        texts.write(start.payload.lane, text.asBits(), start.valid);
        // every walked write is written back (so the lane is no longer unwalked)
        walks.write(w1Lane, nw.asBits(), w1Valid);
        Bits startBit = Bits.repeat(start.valid, lanes).and(Bits.lit(1, lanes).shl(start.payload.lane));
        Bits stopBit = Bits.repeat(stop.valid, lanes).and(Bits.lit(1, lanes).shl(stop.payload.lane));
        Bits walkedBit = Bits.repeat(w1Valid, lanes).and(Bits.lit(1, lanes).shl(w1Lane));
        active.set(active.or(startBit).and(stopBit.not()));
        // (a start and a walked write in one cycle are of different lanes: the starting lane's previous operation is done)
        unwalked.set(unwalked.and(walkedBit.not()).or(startBit));

        Walk q = wire(new Walk());
        q.setFromBits(walks.readAsync(query_lane));
        Bool qInitial = unwalked.shr(query_lane).bit(0);
        query_bad.set(qInitial.not().and(q.bad));
        query_count.set(qInitial.mux(UInt.lit(0, 4), q.count));
    }
}
