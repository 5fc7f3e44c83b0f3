package org.ntsfab.responder.decide;

import org.ntsfab.hdl.Bits;
import org.ntsfab.hdl.Bool;

/**
 * The decision stage's answer job ({@link FrameClassifier#JOB_BITS}, built in {@code FrameClassifier}) read back
 * field by field: one definition of the layout for every builder that takes it (the NTP/ARP/NDP answerer, the
 * NTS engine).
 */
public final class AnswerJob {
    public final Bool ns, nsMulticast, arp, v6, tagged;
    public final Bits tci, mac, ip, port, vn, poll, origin, t2, leap;

    public AnswerJob(Bits job) {
        int p = FrameClassifier.JOB_BITS;
        ns = job.bit(--p);
        nsMulticast = job.bit(--p);
        arp = job.bit(--p);
        v6 = job.bit(--p);
        tagged = job.bit(--p);
        tci = job.slice(p - 1, p - 16); p -= 16;
        mac = job.slice(p - 1, p - 48); p -= 48;
        ip = job.slice(p - 1, p - 128); p -= 128;
        port = job.slice(p - 1, p - 16); p -= 16;
        vn = job.slice(p - 1, p - 3); p -= 3;
        poll = job.slice(p - 1, p - 8); p -= 8;
        origin = job.slice(p - 1, p - 64); p -= 64;
        t2 = job.slice(p - 1, p - 64); p -= 64;
        leap = job.slice(p - 1, p - 2);
    }
}
