package org.ntsfab.responder.top;

import org.ntsfab.hdl.Bool;
import org.ntsfab.hdl.Bundle;
import org.ntsfab.responder.decide.EchoJob;

/**
 * What the store reader does with a stored frame, decided by the classifier: replay it to the host port, hand it to
 * the echo builder with {@code echo_job}, hand it to the NTS cores ({@code nts}: an NTS-bound request, admitted or not;
 * the cores take an admitted one's payload and discard the rest), or (none of them) skip it.
 */
public final class Verdict extends Bundle {
    public final Bool to_host = new Bool();
    public final Bool echo = new Bool();
    public final Bool nts = new Bool();
    public final EchoJob echo_job = new EchoJob();
}
