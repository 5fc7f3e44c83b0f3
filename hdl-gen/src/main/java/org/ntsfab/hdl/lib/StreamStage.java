package org.ntsfab.hdl.lib;

import java.util.function.Supplier;
import org.ntsfab.hdl.Bits;
import org.ntsfab.hdl.Bool;
import org.ntsfab.hdl.Component;
import org.ntsfab.hdl.Data;
import org.ntsfab.hdl.Stream;

/**
 * Register slices for streams, all at full throughput (one transfer per cycle):
 * <ul>
 * <li>{@link Kind#FORWARD}: registers valid and payload (cuts the forward path; ready stays combinational);
 * <li>{@link Kind#BACKWARD}: registers ready (cuts the backward path; valid and payload pass through
 *     or come from a one-entry buffer);
 * <li>{@link Kind#SKID}: registers everything: a two-entry skid buffer; no combinational path between
 *     the two sides at all.
 * </ul>
 */
public final class StreamStage<T extends Data> extends Component {
    public enum Kind { FORWARD, BACKWARD, SKID }

    public final Stream<T> in;
    public final Stream<T> out;

    public StreamStage(Supplier<T> payloadType, Kind kind) {
        this(payloadType, kind, null, null);
    }

    /** With custom handshake names (e.g. "tvalid"/"tready" for AXI-Stream). */
    public StreamStage(Supplier<T> payloadType, Kind kind, String validName, String readyName) {
        String v = validName == null ? "valid" : validName, r = readyName == null ? "ready" : readyName;
        in = slave(new Stream<>(payloadType.get(), v, r));
        out = master(new Stream<>(payloadType.get(), v, r));
        int w = in.payloadBits().width();
        moduleName("stream_" + kind.name().toLowerCase() + "_stage_w" + w);
        switch (kind) {
            case FORWARD -> forward(w);
            case BACKWARD -> backward(w);
            case SKID -> skid(w);
        }
    }

    private void forward(int w) {
        Bool outValid = regInit(new Bool(), 0).named("out_valid_reg");
        Bits outData = reg(new Bits(w)).named("out_data_reg");
        Bool inReady = wire(new Bool()).named("in_ready_int");
        inReady.set(outValid.not().or(out.ready));
        in.ready.set(inReady);
        when(inReady, () -> {
            outValid.set(in.valid);
            outData.set(in.payloadBits());
        });
        out.valid.set(outValid);
        out.setPayloadBits(outData);
    }

    private void backward(int w) {
        Bool bufValid = regInit(new Bool(), 0).named("buf_valid_reg");
        Bits bufData = reg(new Bits(w)).named("buf_data_reg");
        in.ready.set(bufValid.not());
        out.valid.set(in.valid.or(bufValid));
        out.setPayloadBits(bufValid.mux(bufData, in.payloadBits()));
        // a beat offered while the consumer stalls is parked in the buffer
        when(in.valid.and(bufValid.not()).and(out.ready.not()), () -> {
            bufValid.set(true);
            bufData.set(in.payloadBits());
        });
        when(out.ready, () -> bufValid.set(false));
    }

    private void skid(int w) {
        Bool inReady = regInit(new Bool(), 1).named("in_ready_reg");
        Bool outValid = regInit(new Bool(), 0).named("out_valid_reg");
        Bits outData = reg(new Bits(w)).named("out_data_reg");
        Bool skidValid = regInit(new Bool(), 0).named("skid_valid_reg");
        Bits skidData = reg(new Bits(w)).named("skid_data_reg");
        Bool inFire = let("in_fire", in.valid.and(inReady));
        Bool outFree = let("out_free", outValid.not().or(out.ready));
        when(outFree, () -> {
            // the output register takes the skid entry first, else the incoming beat
            when(skidValid, () -> {
                outValid.set(true);
                outData.set(skidData);
                skidValid.set(false);
            }).otherwise(() -> {
                outValid.set(inFire);
                outData.set(in.payloadBits());
            });
        });
        when(inFire.and(outFree.not().or(skidValid)), () -> {
            skidValid.set(true);
            skidData.set(in.payloadBits());
        });
        // ready for another beat unless the skid entry is (or is about to be) occupied
        Bool skidNext = wire(new Bool()).named("skid_valid_next");
        skidNext.set(skidValid);
        when(outFree, () -> skidNext.set(false));
        when(inFire.and(outFree.not().or(skidValid)), () -> skidNext.set(true));
        inReady.set(skidNext.not());
        in.ready.set(inReady);
        out.valid.set(outValid);
        out.setPayloadBits(outData);
    }
}
