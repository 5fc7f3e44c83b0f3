package org.ntsfab.responder.rx;

import org.ntsfab.hdl.Axis;
import org.ntsfab.hdl.Bool;
import org.ntsfab.hdl.Component;
import org.ntsfab.hdl.Flow;
import org.ntsfab.hdl.Stream;
import org.ntsfab.hdl.UInt;
import org.ntsfab.hdl.lib.StreamFifo;

/**
 * Received frames kept whole in block RAM, written as they arrive, for a reader that acts on each frame once it is
 * decided (the top's host/echo reader, the NTS cores' reader). A frame is stored only when, at its first beat, there
 * is room for a frame of {@code maxFrameBeats} beats and for its verdict beside the {@code verdicts_waiting} the owner
 * already queues (every frame still being decided holds a stored flag here or a verdict there; one in passing from one
 * to the other is counted twice, never missed). A frame longer than {@code maxFrameBeats} is cut at that beat, its last
 * stored beat marked {@code tlast}. Each frame's stored flag waits from its last beat until its decision: in the cycle
 * {@code decided} is high, {@code stored_at_decision} says whether the decided frame is in the store (decisions come in
 * frame order, at most one a cycle).
 */
public final class FrameStore extends Component {
    /** The received beats, never held back. */
    public final Flow<Axis.Beat> in;
    /** A frame's decision, this cycle, in frame order. */
    public final Bool decided;
    /** The verdicts the owner holds for frames in the store and not yet read. */
    public final UInt verdicts_waiting;
    /** With {@code decided}: the decided frame was stored. */
    public final Bool stored_at_decision;
    /** The stored frames' beats, in order. */
    public final Stream<Axis.Beat> out;

    /**
     * @param beats the store's depth in 8-byte beats
     * @param maxFrameBeats the most beats a frame may occupy
     * @param storedFlags frames between their last beat and their decision
     * @param verdicts the owner's verdict queue depth
     */
    public FrameStore(int beats, int maxFrameBeats, int storedFlags, int verdicts) {
        if (maxFrameBeats < 2 || maxFrameBeats > 255 || maxFrameBeats > beats) throw new IllegalArgumentException("frame beats: 2..255, within the store");
        moduleName("frame_store_" + beats + "_f" + maxFrameBeats + "_s" + storedFlags + "_v" + verdicts);
        if (Integer.bitCount(beats) != 1 || Integer.bitCount(verdicts) != 1) throw new IllegalArgumentException("store and verdict depths: powers of two");
        // as the FIFOs' own levels: log2(depth) + 2 bits
        int vw = Integer.numberOfTrailingZeros(verdicts) + 2;
        in = slave(new Flow<>(new Axis.Beat(8, 1)));
        decided = in(new Bool());
        verdicts_waiting = in(new UInt(vw));
        stored_at_decision = out(new Bool());
        out = master(new Stream<>(new Axis.Beat(8, 1)));

        StreamFifo<Axis.Beat> store = add("beats", new StreamFifo<>(() -> new Axis.Beat(8, 1), beats, "tvalid", "tready"));
        StreamFifo<Bool> flags = add("stored_flags", new StreamFifo<>(Bool::new, storedFlags));
        Axis.Beat b = in.payload;
        Bool inFrame = regInit(new Bool(), 0).named("in_frame_reg");
        Bool first = let("first_beat", in.valid.and(inFrame.not()));
        UInt beatCount = regInit(new UInt(8), 0).named("frame_beats_reg");
        Bool storing = regInit(new Bool(), 0).named("storing_reg");
        Bool room = let("room", store.level.le(beats - maxFrameBeats)
                .and(verdicts_waiting.plus(flags.level.zext(vw)).le(verdicts - 1)));
        Bool storeThis = let("store_this_frame", first.mux(room, storing));
        UInt beatIdx = let("beat_index", first.mux(UInt.lit(0, 8), beatCount));
        Bool capped = beatIdx.eq(maxFrameBeats - 1);
        store.in.valid.set(in.valid.and(storeThis).and(beatIdx.lt(maxFrameBeats)));
        store.in.payload.tdata.set(b.tdata);
        store.in.payload.tkeep.set(b.tkeep);
        store.in.payload.tlast.set(b.tlast.or(capped));
        store.in.payload.tuser.set(b.tuser);
        when(in.valid, () -> {
            inFrame.set(b.tlast.not());
            storing.set(storeThis);
            beatCount.set(beatIdx.eq(255).mux(beatIdx, beatIdx.plus(1)));
        });
        flags.in.valid.set(in.valid.and(b.tlast));
        flags.in.payload.set(storeThis);
        flags.out.ready.set(decided);
        stored_at_decision.set(flags.out.payload);
        out.connectFrom(store.out);
    }
}
