package org.ntsfab.hdl;

/**
 * A valid/ready handshake carrying a payload. A transfer happens on a clock edge where both
 * {@code valid} and {@code ready} are high ({@link #fire()}).
 *
 * <p>Protocol (as AXI-Stream): {@code valid} must never depend combinationally on {@code ready};
 * once {@code valid} is high it stays high, with the payload unchanged, until the transfer. The
 * simulator harness checks this on every stream it watches.
 *
 * <p>Flattened port names are {@code <field>_<valid>}, {@code <field>_<ready>} and the payload's own
 * member names (the payload is transparent); the handshake names default to valid/ready. An AMBA AXI channel
 * ({@link #axiChannel}) joins them to its name without the {@code _}: {@code awvalid}, {@code awready}, {@code awaddr}.
 */
public class Stream<T extends Data> extends Bundle {
    public final Bool valid;
    public final Bool ready;
    public final T payload;
    private final String validName;
    private final String readyName;
    private final String separator;

    public Stream(T payload) {
        this(payload, "valid", "ready");
    }

    public Stream(T payload, String validName, String readyName) {
        this(payload, validName, readyName, "_");
    }

    private Stream(T payload, String validName, String readyName, String separator) {
        this.valid = new Bool();
        this.ready = flip(new Bool());
        this.payload = payload;
        this.validName = validName;
        this.readyName = readyName;
        this.separator = separator;
    }

    /**
     * An AMBA AXI channel (AXI4 / AXI4-Lite AW, W, B, AR, R): its name runs into its signals' names without the
     * {@code _}, as the AMBA specification spells them and as Vivado infers an AXI interface from port names
     * ({@code aw} with an {@code addr} payload member: {@code awvalid}, {@code awready}, {@code awaddr}).
     */
    public static <T extends Data> Stream<T> axiChannel(T payload) {
        return new Stream<>(payload, "valid", "ready", "");
    }

    @Override
    protected String separator() {
        return separator;
    }

    public String validName() {
        return validName;
    }

    public String readyName() {
        return readyName;
    }

    @Override
    protected String memberName(String field) {
        return switch (field) {
            case "valid" -> validName;
            case "ready" -> readyName;
            case "payload" -> payload instanceof Signal ? "data" : "";
            default -> field;
        };
    }

    public Bool fire() {
        return valid.and(ready);
    }

    // ---- combinators (SpinalHDL's lib/Stream.scala): each returns a new stream whose handshake is made of wires in
    // the component under construction; the payload passes unchanged unless the combinator transforms it ----------

    /**
     * Drops the beats offered while {@code cond} is high: they are taken from this stream (ready high) and never
     * offered downstream. {@code out.valid = valid && !cond}, {@code ready = out.ready || cond}.
     */
    public Stream<T> throwWhen(Bool cond) {
        Stream<T> out = handshake(payload);
        out.valid.set(valid.and(cond.not()));
        ready.set(out.ready.or(cond));
        return out;
    }

    /**
     * Holds the stream while {@code cond} is high: no beat is offered downstream nor taken from here, so nothing is
     * lost or duplicated. {@code out.valid = valid && !cond}, {@code ready = out.ready && !cond}.
     */
    public Stream<T> haltWhen(Bool cond) {
        Stream<T> out = handshake(payload);
        out.valid.set(valid.and(cond.not()));
        ready.set(out.ready.and(cond.not()));
        return out;
    }

    /** {@link #haltWhen} of {@code !cond}: beats pass only while {@code cond} is high. */
    public Stream<T> continueWhen(Bool cond) {
        return haltWhen(cond.not());
    }

    /**
     * The same handshake with a transformed payload ({@code translateWith}): {@code payloadType} (a template) becomes
     * wires, which {@code fill} assigns from this stream's payload.
     */
    public <R extends Data> Stream<R> map(R payloadType, java.util.function.BiConsumer<R, T> fill) {
        Component.wireHere(payloadType);
        Stream<R> out = handshake(payloadType);
        out.valid.set(valid);
        ready.set(out.ready);
        fill.accept(payloadType, payload);
        return out;
    }

    /** As a flow: this stream is always ready, every beat goes out on the flow. */
    public Flow<T> toFlow() {
        Flow<T> out = new Flow<>(payload, validName);
        Component.wireHere(out.valid);
        out.valid.set(valid);
        ready.set(true);
        return out;
    }

    /**
     * Names this stream's handshake wires {@code <name>_<valid>} and {@code <name>_<ready>} ({@code <name><valid>} for an
     * {@link #axiChannel}), leaving the payload's names alone (a combinator's result shares its payload with its source,
     * whose names must not change).
     */
    public Stream<T> nameHandshake(String name) {
        if (valid.node != null) valid.named(name + separator + validName);
        if (ready.node != null) ready.named(name + separator + readyName);
        return this;
    }

    private <R extends Data> Stream<R> handshake(R p) {
        Stream<R> out = new Stream<>(p, validName, readyName, separator);
        Component.wireHere(out.valid);
        Component.wireHere(out.ready);
        return out;
    }

    /** Drives this (sink side) from {@code source}: valid and payload forward, ready backward. */
    public void connectFrom(Stream<T> source) {
        valid.set(source.valid);
        source.ready.set(ready);
        setPayload(payload, source.payload);
    }

    static void setPayload(Data dst, Data src) {
        var a = dst.leaves();
        var b = src.leaves();
        if (a.size() != b.size()) {
            Builder.get().error(HdlError.Kind.WIDTH_MISMATCH, "stream payloads differ in shape");
            return;
        }
        for (int i = 0; i < a.size(); i++) a.get(i).assign(b.get(i));
    }

    /** Assigns every payload leaf from the matching slice of {@code bits} (inverse of {@link #payloadBits}). */
    public void setPayloadBits(Bits bits) {
        if (payload instanceof Bundle b) {
            b.setFromBits(bits);
        } else if (payload instanceof Signal s) {
            if (bits.width() != s.width()) {
                Builder.get().error(HdlError.Kind.WIDTH_MISMATCH, "payload is " + s.width() + " bits, got " + bits.width());
                return;
            }
            s.assign(s.wrap(bits.expr()));
        }
    }

    /** The payload's leaves concatenated (first member most significant). */
    public Bits payloadBits() {
        return Bits.cat(payload.leaves());
    }
}
