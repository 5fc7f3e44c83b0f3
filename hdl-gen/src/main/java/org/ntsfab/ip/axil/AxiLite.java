package org.ntsfab.ip.axil;

import org.ntsfab.hdl.Bits;
import org.ntsfab.hdl.Bundle;
import org.ntsfab.hdl.Stream;
import org.ntsfab.hdl.UInt;

/**
 * An AXI4-Lite interface as its master sees it: the five channels ({@code aw}, {@code w} and {@code ar} out, {@code b}
 * and {@code r} back), each an {@link Stream#axiChannel}, so that a port {@code s_axil = slave(new AxiLite(10))} has the
 * AMBA names Vivado infers an AXI4-Lite interface from: {@code s_axil_awvalid, s_axil_awready, s_axil_awaddr,
 * s_axil_wvalid, s_axil_wready, s_axil_wdata, s_axil_wstrb, s_axil_bvalid, s_axil_bready, s_axil_bresp, s_axil_arvalid,
 * s_axil_arready, s_axil_araddr, s_axil_rvalid, s_axil_rready, s_axil_rdata, s_axil_rresp}. Data is 32 bits. There is no
 * {@code AWPROT}/{@code ARPROT}: nothing here treats accesses differently by their protection, so the slaves would
 * only have to ignore them (Vivado infers an AXI4-Lite interface without them; a master's are left open).
 */
public final class AxiLite extends Bundle {
    /** The responses ({@code bresp}, {@code rresp}) used here. */
    public static final int OKAY = 0, SLVERR = 2;

    /** Address channel payload (AW, AR): {@code awaddr}/{@code araddr}, byte addresses. */
    public static final class Addr extends Bundle {
        public final UInt addr;

        public Addr(int bits) {
            addr = new UInt(bits);
        }
    }

    /** Write data payload: {@code wdata}, {@code wstrb} (one bit per byte, bit 0 for {@code wdata[7:0]}). */
    public static final class WData extends Bundle {
        public final Bits data = new Bits(32);
        public final Bits strb = new Bits(4);
    }

    /** Write response payload: {@code bresp}. */
    public static final class BResp extends Bundle {
        public final UInt resp = new UInt(2);
    }

    /** Read data payload: {@code rdata}, {@code rresp}. */
    public static final class RData extends Bundle {
        public final Bits data = new Bits(32);
        public final UInt resp = new UInt(2);
    }

    public final Stream<Addr> aw;
    public final Stream<WData> w;
    public final Stream<BResp> b;
    public final Stream<Addr> ar;
    public final Stream<RData> r;
    private final int addressBits;

    public AxiLite(int addressBits) {
        this.addressBits = addressBits;
        aw = Stream.axiChannel(new Addr(addressBits));
        w = Stream.axiChannel(new WData());
        b = flip(Stream.axiChannel(new BResp()));
        ar = Stream.axiChannel(new Addr(addressBits));
        r = flip(Stream.axiChannel(new RData()));
    }

    public int addressBits() {
        return addressBits;
    }

    /**
     * Connects this interface, on the side that answers, to {@code master}, the side that issues the accesses: AW, W and
     * AR run from {@code master} to this, B and R back.
     */
    public void connectFrom(AxiLite master) {
        aw.connectFrom(master.aw);
        w.connectFrom(master.w);
        master.b.connectFrom(b);
        ar.connectFrom(master.ar);
        master.r.connectFrom(r);
    }
}
