package org.ntsfab.responder.top;

import org.ntsfab.hdl.Bool;
import org.ntsfab.hdl.Bundle;
import org.ntsfab.hdl.UInt;
import org.ntsfab.responder.decide.EchoJob;

/**
 * What the store reader does with a stored frame, decided by the classifier (one verdict per stored frame, in
 * order): replay it to the host port, hand it to the echo builder with {@code echo_job}, to NTS engine
 * {@code nts_engine}, or (none of them) skip it.
 */
public final class Verdict extends Bundle {
    public final Bool to_host = new Bool();
    public final Bool echo = new Bool();
    public final Bool nts = new Bool();
    public final UInt nts_engine;
    public final EchoJob echo_job = new EchoJob();

    public Verdict(int engineBits) {
        nts_engine = new UInt(engineBits);
    }
}
