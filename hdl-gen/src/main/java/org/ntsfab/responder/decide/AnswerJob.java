package org.ntsfab.responder.decide;

import org.ntsfab.hdl.Bits;
import org.ntsfab.hdl.Bool;
import org.ntsfab.hdl.Bundle;

/**
 * The decision stage's answer job (made by {@link FrameClassifier}): what the header-built answers (NTP, ARP,
 * neighbour advertisement) and the NTS cores need of a request. One definition for every stage that takes it.
 */
public final class AnswerJob extends Bundle {
    /** The answer is a neighbour advertisement; its solicitation went to our solicited-node multicast address. */
    public final Bool ns = new Bool(), ns_multicast = new Bool();
    /** The answer is an ARP reply. */
    public final Bool arp = new Bool();
    /** The request came over IPv6 (else IPv4); it carried an 802.1Q tag with {@code tci}. */
    public final Bool v6 = new Bool(), tagged = new Bool();
    public final Bits tci = new Bits(16);
    /** The requester's MAC and IP address (IPv4 in the low 32 bits; for ARP the sender's protocol address). */
    public final Bits mac = new Bits(48), ip = new Bits(128);
    /** The requester's UDP port; the request's NTP version and poll. */
    public final Bits port = new Bits(16), vn = new Bits(3), poll = new Bits(8);
    /** The request's transmit timestamp (the answer's origin; for ARP the sender's hardware address in the low 48 bits). */
    public final Bits origin = new Bits(64);
    /** The receive timestamp and the leap indicator then. */
    public final Bits t2 = new Bits(64), leap = new Bits(2);
}
