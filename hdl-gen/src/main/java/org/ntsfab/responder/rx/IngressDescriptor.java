package org.ntsfab.responder.rx;

import org.ntsfab.hdl.Bits;
import org.ntsfab.hdl.Bool;
import org.ntsfab.hdl.Bundle;
import org.ntsfab.hdl.UInt;

/** What the receive front end tells the decision stage about one frame (see {@link FrameIngress}). */
public final class IngressDescriptor extends Bundle {
    public final Bits hdr = new Bits(8 * FrameIngress.HDR_BYTES);
    public final UInt length = new UInt(13);
    public final Bool rx_error = new Bool();
    public final UInt t2 = new UInt(64);
    public final UInt t2_leap = new UInt(2);
    public final UInt ip_hdr_sum = new UInt(16);
    public final UInt l4_sum = new UInt(16);
    public final UInt l4_tail_sum = new UInt(16);
    public final UInt ef_status = new UInt(2);
    public final Bool ef_nts = new Bool();
}
