package org.ntsfab.hdl;

/**
 * An AXI4-Stream interface: {@code tdata}, {@code tkeep} (one bit per byte), {@code tvalid},
 * {@code tready}, {@code tlast} and a {@code tuser} side band (bit 0 = frame error, as MACs use it).
 * Bytes are little-endian on the bus: byte 0 of a frame is {@code tdata[7:0]} of its first beat, and
 * {@code tkeep} is contiguous from bit 0 (only the last beat of a frame may be partial).
 */
public final class Axis extends Stream<Axis.Beat> {
    /** The payload of one beat. */
    public static final class Beat extends Bundle {
        public final Bits tdata;
        public final Bits tkeep;
        public final Bool tlast;
        public final Bits tuser;

        public Beat(int dataBytes, int userWidth) {
            tdata = new Bits(8 * dataBytes);
            tkeep = new Bits(dataBytes);
            tlast = new Bool();
            tuser = new Bits(userWidth);
        }
    }

    private final int dataBytes;
    private final int userWidth;

    public Axis(int dataBytes, int userWidth) {
        super(new Beat(dataBytes, userWidth), "tvalid", "tready");
        this.dataBytes = dataBytes;
        this.userWidth = userWidth;
    }

    /** 64-bit data, 1-bit tuser: the 10GbE MAC-side shape. */
    public Axis() {
        this(8, 1);
    }

    public int dataBytes() {
        return dataBytes;
    }

    public int userWidth() {
        return userWidth;
    }

    public Bits tdata() { return payload.tdata; }
    public Bits tkeep() { return payload.tkeep; }
    public Bool tlast() { return payload.tlast; }
    public Bits tuser() { return payload.tuser; }

    /** A fresh, unbound interface of the same shape. */
    public Axis like() {
        return new Axis(dataBytes, userWidth);
    }
}
