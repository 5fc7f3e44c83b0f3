package org.ntsfab.rtl;

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
    public final Bits cfg_mac = in(new Bits(48));
    public final Bool cfg_ipv4_en = in(new Bool());
    public final Bits cfg_ipv4 = in(new Bits(32));
    public final Bool cfg_ipv6_en = in(new Bool());
    public final Bits cfg_ipv6 = in(new Bits(128));
    public final Bool cfg_vlan_en = in(new Bool());
    public final UInt cfg_vlan = in(new UInt(12));
    public final UInt cfg_ttl = in(new UInt(8));
    public final UInt cfg_stratum = in(new UInt(8));
    public final Bits cfg_precision = in(new Bits(8));
    public final Bits cfg_refid = in(new Bits(32));
    public final Bits cfg_root_delay = in(new Bits(32));
    public final Bits cfg_root_dispersion = in(new Bits(32));
    public final Bool cfg_synced = in(new Bool());
    public final Bool answered = out(new Bool());
    public final Bool cfg_forward_unmatched = in(new Bool());
    public final UInt cfg_icmp_max_payload = in(new UInt(16));
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
        classifier.hdr.set(ingress.hdr);
        classifier.length.set(ingress.length);
        classifier.rx_error.set(ingress.rx_error);
        classifier.t2.set(ingress.t2);
        classifier.t2_leap.set(ingress.t2_leap);
        classifier.ip_hdr_sum.set(ingress.ip_hdr_sum);
        classifier.l4_sum.set(ingress.l4_sum);
        classifier.cfg_mac.set(cfg_mac);
        classifier.cfg_ipv4_en.set(cfg_ipv4_en);
        classifier.cfg_ipv4.set(cfg_ipv4);
        classifier.cfg_ipv6_en.set(cfg_ipv6_en);
        classifier.cfg_ipv6.set(cfg_ipv6);
        classifier.cfg_vlan_en.set(cfg_vlan_en);
        classifier.cfg_vlan.set(cfg_vlan);
        classifier.cfg_forward_unmatched.set(cfg_forward_unmatched);
        classifier.cfg_icmp_max_payload.set(cfg_icmp_max_payload);
        outcome_valid.set(classifier.valid);
        outcome.set(classifier.outcome);

        answerer = add(new NtpAnswerer());
        answerer.job_valid.set(classifier.answer);
        answerer.job.set(classifier.job);
        answerer.cfg_mac.set(cfg_mac);
        answerer.cfg_ipv4.set(cfg_ipv4);
        answerer.cfg_ipv6.set(cfg_ipv6);
        answerer.cfg_ttl.set(cfg_ttl);
        answerer.cfg_stratum.set(cfg_stratum);
        answerer.cfg_precision.set(cfg_precision);
        answerer.cfg_refid.set(cfg_refid);
        answerer.cfg_root_delay.set(cfg_root_delay);
        answerer.cfg_root_dispersion.set(cfg_root_dispersion);
        answerer.cfg_synced.set(cfg_synced);
        answerer.now.set(clock.now);
        tx.connectFrom(answerer.out);
        answered.set(answerer.answered);
        overload_drop.set(answerer.overload_drop);
    }
}
