package org.ntsfab.responder.regs;

import org.ntsfab.ip.axil.RegisterMap;
import org.ntsfab.responder.decide.FrameClassifier;
import org.ntsfab.responder.nts.NtsKeyLoader;
import org.ntsfab.responder.ResponderDefaults;

import java.math.BigInteger;
import java.util.Locale;

/**
 * The responder's register map: identity, the served NTP fields, network identity, clock control
 * (load, steer, PPS, leap) and one 64-bit counter per outcome of docs/responder-spec.md plus the
 * fabric's own events. Defined once; the RTL, docs/registers.md, the C header and the Java
 * constants are generated from it.
 */
public final class ResponderRegisters {
    private ResponderRegisters() {}

    public static final long IDENTITY = 0x4e545346L; // "NTSF"
    public static final long VERSION = 0x00010000L;  // 1.0
    /** clock_control bits. */
    public static final int CLOCK_LOAD = 1, CLOCK_LOAD_AT_PPS = 2;
    /** Counters of the fabric's own events, after the outcome counters. */
    public static final String[] EVENT_COUNTERS = {"answer_overload", "store_overflow", "host_tx_oversize", "tx_frames", "host_rx_frames", "nts_late"};
    /** nts_control bits. */
    public static final int NTS_LOAD_SEED = 1;

    public static RegisterMap map() {
        return map(ResponderDefaults.EXAMPLE);
    }

    public static String counterName(String outcome) {
        return "count_" + outcome.toLowerCase(Locale.ROOT);
    }

    public static RegisterMap map(ResponderDefaults d) {
        RegisterMap m = new RegisterMap("ntsfab", d.nameTag(ResponderDefaults.EXAMPLE));  // reset values: ntsfab_regs for EXAMPLE
        m.add("identity", 32, RegisterMap.Access.RO, IDENTITY, "\"NTSF\" (0x4e545346)");
        m.add("version", 32, RegisterMap.Access.RO, VERSION, "major << 16 | minor");
        m.add("ntp_stratum", 8, RegisterMap.Access.RW, d.stratum(), "served stratum");
        m.add("ntp_precision", 8, RegisterMap.Access.RW, d.precision() & 0xff, "served precision (signed log2 s; 0xe8 = -24)");
        m.add("ntp_refid", 32, RegisterMap.Access.RW, d.refid(), "served reference id (ASCII, zero padded)");
        m.add("ntp_root_delay", 32, RegisterMap.Access.RW, d.rootDelay(), "served root delay (16.16 s)");
        m.add("ntp_root_dispersion", 32, RegisterMap.Access.RW, d.rootDispersion(), "served root dispersion (16.16 s)");
        m.add("ntp_synchronized", 1, RegisterMap.Access.RW, d.synced() ? 1 : 0, "0: serve LI 3 (alarm) and stratum 16");
        m.add("mac", 48, RegisterMap.Access.RW, d.mac(), "our MAC address (first octet in bits 47..40)");
        m.add("ipv4_enable", 1, RegisterMap.Access.RW, d.ipv4Enable() ? 1 : 0, "answer IPv4 and ARP");
        m.add("ipv4", 32, RegisterMap.Access.RW, d.ipv4(), "our IPv4 address");
        m.add("ipv6_enable", 1, RegisterMap.Access.RW, d.ipv6Enable() ? 1 : 0, "answer IPv6 and neighbour discovery");
        m.add("ipv6_high", 64, RegisterMap.Access.RW, d.ipv6().shiftRight(64).longValue(), "our IPv6 address, bits 127..64");
        m.add("ipv6_low", 64, RegisterMap.Access.RW, d.ipv6().and(BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE)).longValue(),
                "our IPv6 address, bits 63..0");
        m.add("vlan_enable", 1, RegisterMap.Access.RW, d.vlanEnable() ? 1 : 0, "accept only 802.1Q frames of vlan_id (0: untagged only)");
        m.add("vlan_id", 12, RegisterMap.Access.RW, d.vlan(), "our VLAN id");
        m.add("forward_unmatched", 1, RegisterMap.Access.RW, d.forwardUnmatched() ? 1 : 0, "frames not for us to the host port (0: drop)");
        m.add("icmp_max_payload", 16, RegisterMap.Access.RW, d.icmpMaxPayload(), "longest echo data answered in fabric");
        m.add("ttl", 8, RegisterMap.Access.RW, d.ttl(), "IPv4 TTL / IPv6 hop limit of answers");
        m.add("clock_step", 64, RegisterMap.Access.RW, d.clockStep(), "clock step per cycle, 2^-64 s (round(2^64 / f))");
        m.add("clock_load_time", 64, RegisterMap.Access.RW, 0, "time for the next load (32.32 NTP)");
        m.add("clock_control", 2, RegisterMap.Access.PULSE, 0,
                "bit 0: load clock_load_time now (the clock reads it two cycles after the write is accepted); "
                        + "bit 1: load it at the next PPS rising edge");
        m.add("leap_mode", 2, RegisterMap.Access.RW, 0, "0 none, 1 insert, 2 delete");
        m.add("leap_event", 32, RegisterMap.Access.RW, 0, "NTP second the new UTC day starts");
        m.add("clock_now", 64, RegisterMap.Access.RO, 0, "the clock (32.32 NTP); low word read latches the high word");
        m.add("pps_time", 64, RegisterMap.Access.RO, 0, "the clock at the last PPS rising edge (after the 2-flop synchronizer)");
        m.add("pps_status", 32, RegisterMap.Access.RO, 0, "bits 30..0: PPS edges seen; bit 31: a load at PPS is armed");
        m.add("nts_enable", 1, RegisterMap.Access.RW, d.ntsEnable() ? 1 : 0, "answer NTS requests (0: drop_nts_disabled)");
        m.add("nts_max_placeholders", 3, RegisterMap.Access.RW, d.maxPlaceholders(), "placeholders honoured per request (fresh cookies = 1 + this at most)");
        m.add("nts_nonce_seed_high", 64, RegisterMap.Access.RW, 0, "nonce generator seed, bits 127..64 (write, then nts_control bit 0)");
        m.add("nts_nonce_seed_low", 64, RegisterMap.Access.RW, 0, "nonce generator seed, bits 63..0");
        m.add("nts_control", 1, RegisterMap.Access.PULSE, 0, "bit 0: load the nonce seed and restart the nonce counter at 0");
        m.add("nts_key_current", 2, RegisterMap.Access.RW, 0,
                "master-key slot fresh cookies are sealed under; one write rotates every NTS core in the same cycle");
        for (int s = 0; s < NtsKeyLoader.SLOTS; s++) {
            m.add("nts_key" + s + "_valid", 1, RegisterMap.Access.RW, 0, "slot " + s + " live (clear it before rewriting the slot)");
            m.add("nts_key" + s + "_id", 32, RegisterMap.Access.RW, 0, "slot " + s + " key id (the cookie's first 4 bytes)");
            for (int w = 0; w < 4; w++)
                m.add("nts_key" + s + "_" + w, 64, RegisterMap.Access.RW, 0,
                        "slot " + s + " AES-SIV-CMAC-256 master key, bytes " + 8 * w + ".." + (8 * w + 7) + " (first byte in bits 63..56)");
        }
        for (String o : FrameClassifier.OUTCOMES)
            m.add(counterName(o), 64, RegisterMap.Access.RO, 0, "frames with outcome " + o.toLowerCase(Locale.ROOT) + " (docs/responder-spec.md)");
        m.add("count_answer_overload", 64, RegisterMap.Access.RO, 0, "header-built answers lost to a full answer queue");
        m.add("count_store_overflow", 64, RegisterMap.Access.RO, 0, "host, echo or NTS frames lost because the frame store (or the NTS request queue) was full");
        m.add("count_host_tx_oversize", 64, RegisterMap.Access.RO, 0, "host frames over 1536 bytes, cut and sent with tuser (abort)");
        m.add("count_tx_frames", 64, RegisterMap.Access.RO, 0, "frames sent on the transmit port");
        m.add("count_host_rx_frames", 64, RegisterMap.Access.RO, 0, "frames passed to the host port");
        m.add("count_nts_late", 64, RegisterMap.Access.RO, 0, "NTS answers whose core finished too late for their departure cycle (T3 early; 0 by design)");
        // added after the counters (issue 18), so that every register before it keeps its address
        m.add("nts_key_loaded", 5, RegisterMap.Access.RO, 0, "bits 3..0: slot s valid and loaded into every NTS core (cookies under it "
                + "are opened only then; a slot validated again loads once the context hold has passed since the last invalidation); "
                + "bit 4: a nonce seed load not yet in effect");
        return m;
    }
}
