package org.ntsfab.responder.nts;

import org.ntsfab.hdl.Axis;
import org.ntsfab.hdl.Bits;
import org.ntsfab.hdl.Bool;
import org.ntsfab.hdl.Bundle;
import org.ntsfab.hdl.Component;
import org.ntsfab.hdl.Stream;
import org.ntsfab.hdl.UInt;

/**
 * Cuts a frame's UDP payload out of it: for each {@code job} (the payload's byte offset in the frame and its length),
 * the next frame's beats in, the payload's beats out, realigned so its byte 0 is in {@code tdata[7:0]} of the first
 * beat, {@code tkeep} and {@code tlast} at its last byte; the frame's other bytes (headers before, anything after) are
 * dropped (all of them for a job with {@code discard}). Output beat k holds frame bytes [offset + 8k, offset + 8k + 8): the tail of one input beat (kept in a
 * register) and the head of the next. When the payload's last bytes are in the frame's last beat beyond the realign
 * point, one more output beat follows the frame (the input waits for it). One beat a cycle otherwise; {@code
 * in.tready} follows {@code out.tready} in the beats that carry payload.
 */
public final class NtsPayloadSlice extends Component {
    public static final class Job extends Bundle {
        public final UInt offset = new UInt(8);
        public final UInt length = new UInt(11);
        /** The frame is consumed whole and nothing comes out (a request not admitted). */
        public final Bool discard = new Bool();
    }

    public final Stream<Job> job;
    public final Axis in;
    public final Axis out;

    public NtsPayloadSlice() {
        moduleName("nts_payload_slice_64");
        job = slave(new Stream<>(new Job()));
        in = slave(new Axis(8, 1));
        out = master(new Axis(8, 1));

        Bool active = regInit(new Bool(), 0).named("frame_active_reg");
        UInt offset = reg(new UInt(8)).named("payload_offset_reg");
        UInt beat = reg(new UInt(8)).named("frame_beat_reg");
        Bool done = reg(new Bool()).named("payload_done_reg");
        Bool discard = reg(new Bool()).named("discard_reg");
        Bool flush = regInit(new Bool(), 0).named("flush_reg");
        Bits held = reg(new Bits(64)).named("held_beat_reg");
        // the next job waits in registers, so that its frame starts in the cycle after the one before ends (taking the job
        // only once the frame had ended cost a cycle a frame, which the NTS store's reader could not make up at line rate)
        Bool nValid = regInit(new Bool(), 0).named("next_job_valid_reg");
        UInt nOffset = reg(new UInt(8)).named("next_offset_reg");
        UInt nLength = reg(new UInt(11)).named("next_length_reg");
        Bool nDiscard = reg(new Bool()).named("next_discard_reg");
        job.ready.set(nValid.not());

        UInt s = offset.trunc(3), first = offset.slice(7, 3).asUInt();
        Bool aligned = let("payload_aligned", s.eq(0));
        // where the current beat is against the payload's first, and the payload bytes left, kept in registers for the next
        // beat (the compares and the subtraction in front of the handshakes were 9 levels in a four-core responder)
        Bool before = regInit(new Bool(), 0).named("beat_before_payload_reg");
        Bool atFirst = regInit(new Bool(), 0).named("beat_is_first_reg");
        UInt left = reg(new UInt(11)).named("payload_left_reg");
        UInt byteShift = let("realign_bits", UInt.cat(s, UInt.lit(0, 3)));
        // (held >> 8s) | (beat << 8(8 - s)), 64 bits: the held beat's bytes s..7, then this beat's first bytes
        Bits joined = let("realigned", Bits.cat(in.tdata(), held).asUInt().shr(byteShift.zext(7)).asBits().trunc(64));
        Bits fromHeld = let("flushed", held.asUInt().shr(byteShift.zext(7)).asBits());
        Bool ends = let("beat_ends_payload", left.le(8));
        Bits keepLeft = let("last_keep", org.ntsfab.ip.stream.FrameBytes.keepFirst(left, 8));
        // what the current input beat does: skipped (before the payload, after its end), kept for the next (the first
        // beat when realigning), or carries payload out
        Bool carries = let("beat_carries_payload", active.and(flush.not()).and(done.not()).and(discard.not()).and(before.not()).and(aligned.or(atFirst.not())));
        out.valid.set(flush.or(carries.and(in.valid)));
        out.payload.tdata.set(flush.mux(fromHeld, aligned.mux(in.tdata(), joined)));
        out.payload.tkeep.set(ends.mux(keepLeft, Bits.lit(0xff, 8)));
        out.payload.tlast.set(ends);
        out.payload.tuser.set(Bits.lit(0, 1));
        in.ready.set(active.and(flush.not()).and(carries.not().or(out.ready)));

        Bool outFire = out.fire(), inFire = in.fire();
        UInt jobFirst = nOffset.slice(7, 3).asUInt();
        UInt nextBeat = beat.plus(1);
        when(job.fire(), () -> {
            nValid.set(true);
            nOffset.set(job.payload.offset);
            nLength.set(job.payload.length);
            nDiscard.set(job.payload.discard);
        });
        when(outFire, () -> {
            left.set(left.minus(8));
            when(ends, () -> done.set(true));
        });
        when(inFire, () -> {
            beat.set(nextBeat);
            before.set(nextBeat.zext(8).lt(first.zext(8)));
            atFirst.set(nextBeat.zext(8).eq(first.zext(8)));
            held.set(in.tdata());
            when(in.tlast(), () -> {
                // the payload's end still in this beat, past the realign point: one more beat from the held bytes
                Bool more = done.not().and(discard.not()).and(outFire.and(ends).not());
                when(more.and(aligned.not()), () -> flush.set(true)).otherwise(() -> active.set(false));
            });
        });
        when(flush.and(outFire), () -> {
            flush.set(false);
            active.set(false);
        });
        // the frame ends in this cycle (its last beat taken with no flush to follow, or the flush beat sent)
        Bool lastIn = inFire.and(in.tlast()).and(done.not().and(discard.not()).and(outFire.and(ends).not()).and(aligned.not()).not());
        Bool ending = let("frame_ends", lastIn.or(flush.and(outFire)));
        // (after the frame's own updates, which it overrides)
        when(nValid.and(active.not().or(ending)), () -> {
            nValid.set(false);
            active.set(true);
            offset.set(nOffset);
            beat.set(0);
            done.set(false);
            discard.set(nDiscard);
            before.set(jobFirst.eq(0).not());
            atFirst.set(jobFirst.eq(0));
            left.set(nLength);
        });
    }
}
