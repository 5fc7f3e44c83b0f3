package org.ntsfab.hdl;

/**
 * A payload with a valid, and no ready: the producer never waits (SpinalHDL's {@code Flow}). A beat is taken in every
 * cycle where {@code valid} is high; a consumer that cannot take it must say so on its own (drop and count it, as an
 * answer queue does when full).
 *
 * <p>Flattened port names are {@code <field>_<valid>} and the payload's own member names (the payload is transparent;
 * a {@link Signal} payload is {@code <field>_data}), as for {@link Stream}.
 */
public class Flow<T extends Data> extends Bundle {
    public final Bool valid;
    public final T payload;
    private final String validName;

    public Flow(T payload) {
        this(payload, "valid");
    }

    public Flow(T payload, String validName) {
        this.valid = new Bool();
        this.payload = payload;
        this.validName = validName;
    }

    @Override
    protected String memberName(String field) {
        return switch (field) {
            case "valid" -> validName;
            case "payload" -> payload instanceof Signal ? "data" : "";
            default -> field;
        };
    }

    /** Drives this (sink side) from {@code source}: valid and payload. */
    public void connectFrom(Flow<T> source) {
        valid.set(source.valid);
        Stream.setPayload(payload, source.payload);
    }

    /** The same beats without those in cycles where {@code cond} is high (wires in the component under construction). */
    public Flow<T> throwWhen(Bool cond) {
        Flow<T> out = new Flow<>(payload, validName);
        Component.wireHere(out.valid);
        out.valid.set(valid.and(cond.not()));
        return out;
    }

    /**
     * As a stream, for a consumer that may stall: {@code valid} and payload pass; a beat offered while the stream's
     * {@code ready} is low is lost (the caller counts {@code valid && !ready} if it must).
     */
    public Stream<T> toStream() {
        Stream<T> out = new Stream<>(payload);
        Component.wireHere(out.valid);
        Component.wireHere(out.ready);
        out.valid.set(valid);
        return out;
    }
}
