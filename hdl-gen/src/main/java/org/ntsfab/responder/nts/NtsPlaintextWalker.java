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
 * holds at most one header; the walk's state is in lane memory, read after a registered write and written back three
 * cycles later (a lane's CTR results are a round trip of the AES pipeline apart, some 20 cycles, so a lane's next
 * write reads what its last one wrote; and its open's done, after S2V, comes later still).
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

        // ---- W1: the lane's walk and text read; where the write is in the text ----------------------------------
        Walk stored = wire(new Walk());
        stored.setFromBits(walks.readAsync(w1Lane));
        Bool initial = unwalked.shr(w1Lane).bit(0);
        Text t = wire(new Text(addrBits));
        t.setFromBits(texts.readAsync(w1Lane));
        Walk w2 = reg(new Walk());
        w2.named("w2_walk");
        Bool w2Valid = regNextInit(w1Valid, 0).named("w2_valid_reg");
        UInt w2Lane = regNext(w1Lane).named("w2_lane_reg");
        Bits w2Data = regNext(w1Data).named("w2_data_reg");
        UInt w2Body = regNext(t.body).named("w2_cookie_body_reg");
        UInt w2Length = regNext(t.length).named("w2_length_reg");
        w2.next.set(initial.mux(UInt.lit(0, 11), stored.next));
        w2.count.set(initial.mux(UInt.lit(0, 4), stored.count));
        w2.bad.set(initial.not().and(stored.bad));
        // the write's offset in the plaintext (bytes; a plaintext is at most 1472 bytes)
        UInt w2At = regNext(w1Addr.minus(t.base).trunc(9).zext(11).shl(2)).named("w2_write_offset_reg");

        // ---- W2: is the next field's header in this write, the bytes left from it ----------------------------------
        UInt into = let("header_in_write", w2.next.minus(w2At));
        Bool w3Here = regNext(into.lt(16).and(w2.next.lt(w2Length))).named("w3_header_here_reg");
        UInt w3Rem = regNext(w2Length.minus(w2.next)).named("w3_bytes_left_reg");
        Bits w3Word = regNext(w2Data.shl(into.trunc(4).zext(7).shl(3)).slice(127, 96)).named("w3_header_word_reg");
        Walk w = reg(new Walk());
        w.named("w3_walk");
        w.setFrom(w2);
        Bool w3Valid = regNextInit(w2Valid, 0).named("w3_valid_reg");
        UInt w3Lane = regNext(w2Lane).named("w3_lane_reg");
        UInt w3Body = regNext(w2Body).named("w3_cookie_body_reg");
        UInt w3Length = regNext(w2Length).named("w3_length_reg");

        // ---- W3: the field's checks; the walk written back ----------------------------------------------------------
        UInt type = w3Word.slice(31, 16).asUInt(), len = w3Word.slice(15, 0).asUInt();
        Bool lenBad = let("field_length_bad", w3Rem.lt(16).or(len.lt(16)).or(len.trunc(2).ne(0)).or(len.gt(w3Rem.zext(16))));
        Bool placeholder = type.eq(NtsRequestParser.EF_PLACEHOLDER);
        Walk nw = wire(new Walk());
        nw.setFrom(w);
        when(w3Here, () -> {
            nw.next.set(w.next.plus(len.trunc(11)));
            when(lenBad.or(placeholder.and(len.minus(4).ne(w3Body.zext(16)))), () -> nw.bad.set(true));
            when(lenBad.not().and(placeholder).and(w.count.ne(15)), () -> nw.count.set(w.count.plus(1)));
            // a bad length ends the walk where it is (nothing after it can be trusted; the verdict is taken)
            when(lenBad, () -> nw.next.set(w3Length));
        });
        Text text = wire(new Text(addrBits));
        text.base.set(start.payload.base);
        text.length.set(start.payload.length);
        text.body.set(start.payload.cookie_body);
        texts.write(start.payload.lane, text.asBits(), start.valid);
        // every walked write is written back (so the lane is no longer unwalked)
        walks.write(w3Lane, nw.asBits(), w3Valid);
        Bits startBit = Bits.repeat(start.valid, lanes).and(Bits.lit(1, lanes).shl(start.payload.lane));
        Bits stopBit = Bits.repeat(stop.valid, lanes).and(Bits.lit(1, lanes).shl(stop.payload.lane));
        Bits walkedBit = Bits.repeat(w3Valid, lanes).and(Bits.lit(1, lanes).shl(w3Lane));
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
