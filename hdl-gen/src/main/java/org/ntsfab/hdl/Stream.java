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
 * member names (the payload is transparent); the handshake names default to valid/ready.
 */
public class Stream<T extends Data> extends Bundle {
    public final Bool valid;
    public final Bool ready;
    public final T payload;
    private final String validName;
    private final String readyName;

    public Stream(T payload) {
        this(payload, "valid", "ready");
    }

    public Stream(T payload, String validName, String readyName) {
        this.valid = new Bool();
        this.ready = flip(new Bool());
        this.payload = payload;
        this.validName = validName;
        this.readyName = readyName;
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
