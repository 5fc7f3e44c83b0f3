package org.ntsfab.responder.top;

import org.ntsfab.responder.ResponderCfg;

import org.ntsfab.responder.answer.NtpAnswerer;
import org.ntsfab.responder.clock.NtpClockCore;
import org.ntsfab.responder.decide.FrameClassifier;
import org.ntsfab.responder.rx.FrameIngress;

import org.ntsfab.hdl.Axis;
import org.ntsfab.hdl.Bits;
import org.ntsfab.hdl.Bool;
import org.ntsfab.hdl.Component;
import org.ntsfab.hdl.UInt;

/**
 * Receive front end, NTP clock and plain-NTP answerer wired together: 64-bit AXI-Stream in (always
 * ready), answers out, configuration and clock control as plain ports. The test top of the NTP fast
 * path, cross-checked frame by frame against the reference model.
 */
public final class NtpFastPathTop extends Component {
    public final Axis rx;
    public final Axis tx;
    public final Bool clock_load = in(new Bool());
    public final UInt clock_load_time = in(new UInt(64));
    public final UInt clock_step = in(new UInt(64));
    public final UInt leap_mode = in(new UInt(2));
    public final UInt leap_event = in(new UInt(32));
    public final ResponderCfg cfg = in(new ResponderCfg());
    public final Bool answered = out(new Bool());
    public final Bool outcome_valid = out(new Bool());
    public final UInt outcome = out(new UInt(6));
    public final Bool overload_drop = out(new Bool());
    public final NtpClockCore clock;
    public final FrameIngress ingress;
    public final FrameClassifier classifier;
    public final NtpAnswerer answerer;

    public NtpFastPathTop() {
        moduleName("ntp_fast_path");
        rx = slave(new Axis(8, 1));
        tx = master(new Axis(8, 1));
        clock = add(new NtpClockCore());
        clock.load.set(clock_load);
        clock.load_time.set(clock_load_time);
        clock.step.set(clock_step);
        clock.leap_mode.set(leap_mode);
        clock.leap_event.set(leap_event);

        ingress = add(new FrameIngress());
        ingress.in.connectFrom(rx);
        ingress.now.set(clock.now);
        ingress.leap.set(clock.leap_indicator);

        classifier = add(new FrameClassifier());
        classifier.desc_valid.set(ingress.desc_valid);
        classifier.desc.setFrom(ingress.desc);
        classifier.cfg.setFrom(cfg);
        outcome_valid.set(classifier.valid);
        outcome.set(classifier.outcome);

        answerer = add(new NtpAnswerer());
        answerer.job.connectFrom(classifier.answer);
        answerer.cfg.setFrom(cfg);
        answerer.now.set(clock.now);
        answerer.t3_stamp.set(answerer.out.fire());
        tx.connectFrom(answerer.out);
        answered.set(answerer.answered);
        overload_drop.set(answerer.overload_drop);
    }
}
