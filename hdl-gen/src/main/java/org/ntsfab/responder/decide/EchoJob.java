package org.ntsfab.responder.decide;

import org.ntsfab.hdl.Bits;
import org.ntsfab.hdl.Bool;
import org.ntsfab.hdl.Bundle;
import org.ntsfab.hdl.UInt;

/** The echo builder's job (made by {@link FrameClassifier}): the reply's addresses, its length and its checksum. */
public final class EchoJob extends Bundle {
    /** The request carried an 802.1Q tag with {@code tci}. */
    public final Bool tagged = new Bool();
    public final Bits tci = new Bits(16);
    /** The requester's MAC. */
    public final Bits mac = new Bits(48);
    /** ICMPv6 (else ICMP over IPv4); the requester's address (IPv4 in the low 32 bits). */
    public final Bool v6 = new Bool();
    public final Bits ip = new Bits(128);
    /** Bytes of IPv4 options in the request (cut from the reply). */
    public final UInt option_bytes = new UInt(6);
    /** The ICMP message's length; the reply's ICMP checksum. */
    public final UInt icmp_length = new UInt(16);
    public final Bits checksum = new Bits(16);
}
