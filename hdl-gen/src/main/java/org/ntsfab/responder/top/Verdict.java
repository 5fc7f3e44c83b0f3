package org.ntsfab.responder.top;

import org.ntsfab.hdl.Bool;
import org.ntsfab.hdl.Bundle;
import org.ntsfab.responder.decide.EchoJob;

/**
 * What the store reader does with a stored frame, decided by the classifier: replay it to the host port, hand it to
 * the echo builder with {@code echo_job}, or (neither) skip it. (NTS requests reach the NTS cores from the NTS store,
 * which has a reader of its own.)
 */
public final class Verdict extends Bundle {
    public final Bool to_host = new Bool();
    public final Bool echo = new Bool();
    public final EchoJob echo_job = new EchoJob();
}
