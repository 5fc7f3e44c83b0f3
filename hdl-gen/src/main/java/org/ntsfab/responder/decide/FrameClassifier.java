package org.ntsfab.responder.decide;

import org.ntsfab.responder.rx.FrameIngress;
import org.ntsfab.responder.rx.IngressDescriptor;
import org.ntsfab.responder.ResponderCfg;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.ntsfab.hdl.Bits;
import org.ntsfab.hdl.Bool;
import org.ntsfab.hdl.Component;
import org.ntsfab.hdl.Flow;
import org.ntsfab.hdl.Signal;
import org.ntsfab.hdl.UInt;
import org.ntsfab.ip.eth.OnesComplement;

import static org.ntsfab.ip.eth.OnesComplement.fold;

/**
 * The decision stage: for each ingress descriptor, the outcome docs/responder-spec.md §3–§8 gives
 * the frame (one code per {@link #OUTCOMES} entry, named as the model's outcomes), and for frames
 * the header-built answers serve (NTP, ARP, neighbour advertisement) the job the answerer needs,
 * for echo requests the job the echo builder needs, and whether the frame goes to the host port.
 * NTP requests with extension fields are decided by the front end's field walk; in a build without
 * NTS cores (the byte-wide one), a request with an NTS field is {@code DROP_NTS_DISABLED} (spec §8.1
 * for a server without NTS). The codes are the reference model's {@code Outcome} ordinals.
 * <p>
 * A pipeline of {@link #LATENCY} stages (a descriptor a cycle, no backpressure): every output belongs to the
 * descriptor taken {@link #LATENCY} cycles before {@code valid}, whenever the front end delivers it.
 */
public final class FrameClassifier extends Component {
    /** Outcome codes, in code order; the names are the reference model's {@code Outcome} names. */
    public static final List<String> OUTCOMES = List.of("ANSWER_NTP", "ANSWER_NTS", "ANSWER_NTS_NAK_COOKIE", "ANSWER_NTS_NAK_AUTH",
            "ANSWER_ARP", "ANSWER_ICMP_ECHO", "ANSWER_ICMPV6_ECHO", "ANSWER_NDP_ADVERT", "HOST_NOT_FOR_US", "HOST_ETHERTYPE", "HOST_ARP",
            "HOST_IPV4_FRAGMENT", "HOST_IPV4_PROTOCOL", "HOST_IPV6_NEXT_HEADER", "HOST_ICMP", "HOST_ICMPV6", "HOST_UDP_PORT",
            "DROP_RX_ERROR", "DROP_RUNT", "DROP_OVERSIZE", "DROP_NOT_FOR_US", "DROP_IPV4_HEADER", "DROP_IPV4_CHECKSUM",
            "DROP_IPV6_HEADER", "DROP_BAD_SOURCE", "DROP_UDP_LENGTH", "DROP_UDP_CHECKSUM", "DROP_ICMP_MALFORMED", "DROP_ICMP_TOO_LONG",
            "DROP_NTP_SHORT", "DROP_NTP_VERSION", "DROP_NTP_MODE", "DROP_NTP_CONTROL", "DROP_NTP_EXTENSION", "DROP_NTP_MAC",
            "DROP_NTS_DISABLED", "DROP_NTS_MALFORMED", "DROP_NTS_OVERLOAD");
    /** The first host outcome and the first drop outcome: codes [HOST_FIRST, DROP_FIRST) go to the host port. */
    public static final int HOST_FIRST = 8, DROP_FIRST = 17;

    public static int code(String outcome) {
        int i = OUTCOMES.indexOf(outcome);
        if (i < 0) throw new IllegalArgumentException("no outcome " + outcome);
        return i;
    }

    // ingress descriptor
    public final Bool desc_valid = in(new Bool());
    public final IngressDescriptor desc = in(new IngressDescriptor());
    public final ResponderCfg cfg = in(new ResponderCfg());
    // decision
    public final Bool valid = out(new Bool());
    public final UInt outcome = out(new UInt(6));
    /** A header-built answer's job; with {@code outcome} = ANSWER_NTS the payload is also the NTS-bound request's job. */
    public final Flow<AnswerJob> answer = out(new Flow<>(new AnswerJob()));
    public final Flow<EchoJob> echo = out(new Flow<>(new EchoJob()));
    public final Bool to_host = out(new Bool());
    /** With {@code outcome} = ANSWER_NTS (an NTS-bound request, not yet decided): the UDP payload's offset in the frame and its length. */
    public final UInt nts_payload_offset = out(new UInt(8));
    public final UInt nts_payload_length = out(new UInt(11));

    /** Cycles from {@code desc_valid} to {@code valid}: every output is registered {@value} stages after the descriptor. */
    public static final int LATENCY = 8;

    /** Big-endian field of {@code n} bytes at {@code off} of the captured header. */
    private Bits be(int off, int n) {
        return be(desc.hdr, off, n);
    }

    /** Big-endian field of {@code n} bytes at {@code off} of {@code v} (byte 0 in the low bits, the header's layout). */
    private static Bits be(Bits v, int off, int n) {
        List<Bits> parts = new ArrayList<>();
        for (int i = 0; i < n; i++) parts.add(v.part(8 * (off + i), 8));
        return Bits.cat(parts);
    }

    private static UInt c(String name) {
        return UInt.lit(code(name), 6);
    }

    // ---- the pipeline: every value knows its stage; at(k, v) is v delayed to stage k ----------------
    private final Map<Signal, Integer> stageOf = new IdentityHashMap<>();
    private final Map<Signal, String> nameOf = new IdentityHashMap<>();
    private final Map<Signal, Map<Integer, Signal>> delayed = new IdentityHashMap<>();

    /** Registers {@code v}, computed from stage {@code k - 1} values, as the stage-{@code k} value {@code name}. */
    private <T extends Signal> T st(int k, String name, T v) {
        T r = regNext(v);
        r.named(name + "_s" + k + "_reg");
        stageOf.put(r, k);
        nameOf.put(r, name);
        return r;
    }

    /** The stage-{@code k} copy of {@code v} (registered at an earlier stage), delayed as far as needed. */
    @SuppressWarnings("unchecked")
    private <T extends Signal> T at(int k, T v) {
        Integer s = stageOf.get(v);
        if (s == null) throw new IllegalStateException("not a pipeline value: " + v);
        if (k < s) throw new IllegalStateException(nameOf.get(v) + " is a stage-" + s + " value, read at stage " + k);
        if (k == s) return v;
        Map<Integer, Signal> m = delayed.computeIfAbsent(v, x -> new HashMap<>());
        Signal have = m.get(k);
        if (have == null) {
            have = st(k, nameOf.get(v), at(k - 1, v));
            m.put(k, have);
        }
        return (T) have;
    }

    /** The 16-bit words of {@code b}, each widened to 32 bits for a one's-complement sum. */
    /** The 32-bit sum (mod 2^32) of {@code xs} as a balanced adder tree. */
    private static UInt tree(List<UInt> xs) {
        return OnesComplement.sumTree(xs, 32);
    }

    private static UInt tree(UInt... xs) {
        return tree(List.of(xs));
    }

    /**
     * Eight stages, each a few logic levels, every stage taking a descriptor per cycle: (1) the fields at their
     * variable offsets (the L3 header with the tag removed, the UDP header and NTP fields selected by tag, family and
     * IHL), (2) the comparisons as one-bit flags and the checksums' partial sums, (3, 4) the checksums, (5) the
     * outcomes of the upper layers (NTP, UDP, ICMP, ICMPv6, ARP), (6) IPv4's and IPv6's, (7) the frame's outcome,
     * (8) the outputs: outcome, jobs, host flag.
     */
    public FrameClassifier() {
        moduleName("frame_classifier");
        Bool v1 = regNextInit(desc_valid, 0).named("valid_s1_reg");

        // ==== stage 1: the fields, extracted from the captured header ===================================
        Bool tagged0 = let("tagged", be(12, 2).eq(0x8100));
        // the L3 header (64 bytes) with the 802.1Q tag removed
        Bits l3Plain = desc.hdr.part(8 * 14, 8 * 64), l3Tagged = desc.hdr.part(8 * 18, 8 * 64);
        // UDP header (8 bytes), NTP LI/VN/mode..precision (4) and transmit timestamp (8) at l4 = l3 + 4·IHL (IPv4) or
        // l3 + 40 (IPv6), for each tag case (an IHL below 5, a bad header, takes IHL 5's bytes)
        List<Bits> l4ByTag = new ArrayList<>();
        for (int t = 0; t < 2; t++) {
            int l3 = t == 1 ? 18 : 14;
            List<Bits> byIhl = new ArrayList<>();
            for (int ihl = 15; ihl >= 0; ihl--) byIhl.add(l4Fields(l3 + 4 * Math.max(ihl, 5)));
            Bits v4 = slice("l4_fields_ipv4_" + (t == 1 ? "tagged" : "untagged"), Bits.cat(byIhl), desc.hdr.part(8 * l3, 8).slice(3, 0).asUInt(), 160);
            Bool v6 = be(l3 - 2, 2).eq(0x86dd).and(cfg.ipv6_en);
            l4ByTag.add(v6.mux(l4Fields(l3 + 40), v4));
        }
        UInt len0 = desc.length;
        Bool tagged = st(1, "tagged", tagged0);
        Bits l3 = st(1, "l3_header", tagged0.mux(l3Tagged, l3Plain));
        Bits l4 = st(1, "l4_fields", tagged0.mux(l4ByTag.get(1), l4ByTag.get(0)));
        Bits etherType = st(1, "ether_type", tagged0.mux(be(16, 2), be(12, 2)));
        Bits srcMac = st(1, "src_mac", be(6, 6));
        Bits tci = st(1, "tci", be(14, 2));
        Bool macOk = st(1, "mac_ours", be(0, 6).eq(cfg.mac));
        Bool broadcastMac = st(1, "mac_broadcast", be(0, 6).andReduce());
        Bool snMac = st(1, "mac_solicited_node", be(0, 3).eq(0x3333ff).and(be(3, 3).eq(cfg.ipv6.slice(23, 0))));
        UInt vid = be(14, 2).asUInt().slice(11, 0);
        Bool vlanOk = st(1, "vlan_ok", tagged0.mux(cfg.vlan_en.and(vid.eq(cfg.vlan)), cfg.vlan_en.not()));
        Bool runt = st(1, "runt", len0.lt(60));
        Bool oversize = st(1, "oversize", len0.gt(tagged0.mux(UInt.lit(1518, 13), UInt.lit(1514, 13))));
        UInt avail = st(1, "l3_avail", tagged0.mux(len0.minus(18), len0.minus(14)));
        Bool rxError = st(1, "rx_error", desc.rx_error);
        Bits t2 = st(1, "t2", desc.t2.asBits());
        Bits t2Leap = st(1, "t2_leap", desc.t2_leap.asBits());
        Bool v4SumOk = st(1, "ipv4_checksum_ok", desc.ip_hdr_sum.eq(0xffff));
        UInt l4Sum = st(1, "l4_sum", desc.l4_sum);
        UInt l4TailSum = st(1, "l4_tail_sum", desc.l4_tail_sum);
        // §8.1 extension fields (walked by the front end)
        UInt efOut = st(1, "ef_outcome", desc.ef_status.eq(1).mux(c("DROP_NTP_MAC"), desc.ef_status.eq(2).mux(c("DROP_NTP_EXTENSION"),
                desc.ef_nts.mux(cfg.nts_en.mux(c("ANSWER_NTS"), c("DROP_NTS_DISABLED")), c("ANSWER_NTP")))));

        // ==== stage 2: comparisons as flags, partial sums ===============================================
        Bool isArpType = st(2, "is_arp_type", etherType.eq(0x0806));
        Bool isV4Type = st(2, "is_ipv4_type", etherType.eq(0x0800));
        Bool isV6Type = st(2, "is_ipv6_type", etherType.eq(0x86dd));
        Bool isV6n = etherType.eq(0x86dd).and(cfg.ipv6_en);
        Bool isV6 = st(2, "is_ipv6", isV6n);
        Bool destOther = st(2, "dest_other", macOk.not().and(broadcastMac.not()).and(snMac.not().or(cfg.ipv6_en.not())));
        Bool snDest = st(2, "dest_solicited_node", snMac.and(cfg.ipv6_en).and(macOk.not()).and(broadcastMac.not()));
        // §5 IPv4
        Bits verIhl = be(l3, 0, 1);
        UInt ihl = UInt.cat(verIhl.slice(3, 0).asUInt(), UInt.lit(0, 2)).zext(13);
        UInt total = be(l3, 2, 2).asUInt();
        Bool v4HeaderOk = st(2, "ipv4_header_ok", verIhl.slice(7, 4).eq(4).and(ihl.ge(20)).and(total.ge(ihl.zext(16)))
                .and(total.le(avail.zext(16))));
        Bits src4 = be(l3, 12, 4), dst4 = be(l3, 16, 4);
        Bool v4DstOk = st(2, "ipv4_dst_ours", dst4.eq(cfg.ipv4));
        Bool notFragment = st(2, "ipv4_not_fragment", be(l3, 6, 2).slice(13, 0).eq(0));
        Bits s0 = src4.slice(31, 24);
        Bool v4SrcBad = st(2, "ipv4_src_bad", s0.eq(0).or(s0.eq(127)).or(s0.asUInt().ge(224)).or(src4.andReduce()));
        UInt v4L4Len = st(2, "ipv4_payload_length", total.minus(ihl.zext(16)));
        UInt proto = be(l3, 9, 1).asUInt();
        Bool protoIcmp = st(2, "proto_icmp", proto.eq(1)), protoUdp = st(2, "proto_udp", proto.eq(17));
        UInt ihlBytes = st(2, "ihl_bytes", ihl);
        // §6 IPv6
        UInt plen0 = be(l3, 4, 2).asUInt();
        UInt plen = st(2, "ipv6_payload_length", plen0);
        Bool v6HeaderOk = st(2, "ipv6_header_ok", verIhl.slice(7, 4).eq(6).and(plen0.zext(17).plus(40).le(avail.zext(17))));
        Bits src6 = be(l3, 8, 16), dst6 = be(l3, 24, 16);
        Bool v6DstOk = st(2, "ipv6_dst_ours", dst6.eq(cfg.ipv6));
        Bits ourSn = Bits.cat(Bits.lit(0xff02, 16), Bits.lit(0, 72), Bits.lit(0x01ff, 16), cfg.ipv6.slice(23, 0));
        Bool toSolicited = st(2, "to_solicited_node", dst6.eq(ourSn));
        Bool srcBad6 = st(2, "ipv6_src_bad", src6.slice(127, 120).eq(0xff).or(src6.eq(1)));
        Bool srcUnspecified = st(2, "ipv6_src_unspecified", src6.eq(0));
        UInt nh = be(l3, 6, 1).asUInt();
        Bool nhIcmp6 = st(2, "next_header_icmpv6", nh.eq(58)), nhUdp = st(2, "next_header_udp", nh.eq(17));
        // §6.1 ICMPv6: echo, neighbour solicitation for our address
        Bits icmpFirst = be(l3, 40, 4);
        Bool nsType = st(2, "icmpv6_solicitation", icmpFirst.slice(31, 16).eq(0x8700));
        Bool echo6Type = st(2, "icmpv6_echo_request", icmpFirst.slice(31, 16).eq(0x8000));
        Bool hop255 = st(2, "hop_limit_255", be(l3, 7, 1).eq(255));
        Bool nsTargetOurs = st(2, "ns_target_ours", be(l3, 48, 16).eq(cfg.ipv6));
        Bool plenGe8 = st(2, "ipv6_payload_ge8", plen0.ge(8));
        Bool plenGe24 = st(2, "ipv6_payload_ge24", plen0.ge(24)), plenGe32 = st(2, "ipv6_payload_ge32", plen0.ge(32));
        Bool icmp6TooLong = st(2, "icmpv6_too_long", plen0.minus(8).gt(cfg.icmp_max_payload));
        // §7 UDP
        Bits udpHdr = l4.slice(159, 96), ntpFirst = l4.slice(95, 64);
        UInt srcPort = udpHdr.slice(63, 48).asUInt(), dstPort = udpHdr.slice(47, 32).asUInt();
        UInt udpLen0 = udpHdr.slice(31, 16).asUInt();
        UInt udpLen = st(2, "udp_length", udpLen0);
        Bool portOk = st(2, "udp_port_ntp", dstPort.eq(123));
        Bool srcPortOk = st(2, "udp_src_port_ok", srcPort.ne(0));
        Bool udpSumZero = st(2, "udp_checksum_zero", udpHdr.slice(15, 0).eq(0));
        Bool udpLenGe8 = st(2, "udp_length_ge8", udpLen0.ge(8));
        Bool udpLenIsPlen = st(2, "udp_length_is_ipv6_payload", udpLen0.eq(plen0));
        Bool udpShort = st(2, "udp_length_lt56", udpLen0.lt(56)), udpLong = st(2, "udp_length_gt56", udpLen0.gt(56));
        // §8 NTP
        UInt vn0 = ntpFirst.slice(29, 27).asUInt(), mode = ntpFirst.slice(26, 24).asUInt();
        Bool vnOk = st(2, "ntp_version_ok", vn0.ge(1).and(vn0.le(4))), vnLt4 = st(2, "ntp_version_lt4", vn0.lt(4));
        Bool modeControl = st(2, "ntp_mode_ge6", mode.ge(6)), modeNotClient = st(2, "ntp_mode_not_client", mode.ne(3));
        Bool icmp4NotEcho = st(2, "icmp_not_echo_request", udpHdr.slice(63, 48).ne(0x0800));
        Bool icmp4SumOk = st(2, "icmp_checksum_ok", fold(l4Sum.zext(32)).eq(0xffff));
        // §4 ARP
        Bits arpFixed = be(l3, 0, 8), tpa = be(l3, 24, 4);
        Bool arpAnswer = st(2, "arp_request_ours", cfg.ipv4_en.and(avail.ge(28)).and(arpFixed.slice(63, 16).eq(0x000108000604L))
                .and(arpFixed.slice(15, 0).eq(1)).and(tpa.eq(cfg.ipv4)));
        // the checksums' partial sums: addresses, pseudo-header constants and lengths, the front end's sums
        UInt src6Sum = st(2, "ipv6_src_sum", tree(OnesComplement.words(src6))), dst6Sum = st(2, "ipv6_dst_sum", tree(OnesComplement.words(dst6)));
        UInt ours6Sum = st(2, "ipv6_ours_sum", tree(OnesComplement.words(cfg.ipv6)));
        UInt addr4Sum = st(2, "ipv4_addr_sum", tree(OnesComplement.words(Bits.cat(src4, dst4))));
        UInt udpRest = st(2, "udp_pseudo_rest", tree(udpLen0.zext(32), UInt.lit(17, 32), l4Sum.zext(32)));
        UInt icmp6Rest = st(2, "icmpv6_pseudo_rest", tree(plen0.zext(32), UInt.lit(58, 32), l4Sum.zext(32)));
        UInt replyRest = st(2, "echo6_reply_rest", tree(plen0.zext(32), UInt.lit(58 + 0x8100, 32), l4TailSum.zext(32)));
        UInt payloadOffset = st(2, "nts_payload_offset", tagged.mux(UInt.lit(18 + 8, 8), UInt.lit(14 + 8, 8))
                .plus(isV6n.mux(UInt.lit(40, 8), ihl.trunc(8))));
        UInt payloadLength = st(2, "nts_payload_length", udpLen0.minus(8).trunc(11));

        // ==== stage 3: the sums, length checks needing the IPv4 payload length ==========================
        UInt udpPseudo = st(3, "udp_sum", isV6.mux(src6Sum.plus(dst6Sum), addr4Sum).plus(udpRest));
        UInt icmp6Pseudo = st(3, "icmpv6_sum", src6Sum.plus(dst6Sum).plus(icmp6Rest));
        UInt replySum6 = st(3, "echo6_reply_sum", ours6Sum.plus(src6Sum).plus(replyRest));
        Bool udpLenOk = st(3, "udp_length_ok", udpLenGe8.and(isV6.mux(udpLenIsPlen, udpLen.eq(v4L4Len))));
        Bool icmp4LenOk = st(3, "icmp_length_ok", v4L4Len.ge(8));
        Bool icmp4TooLong = st(3, "icmp_too_long", v4L4Len.minus(8).gt(cfg.icmp_max_payload));

        // ==== stage 4: the checksums verified ===========================================================
        Bool udpSumVerifies = st(4, "udp_checksum_verifies", fold(udpPseudo).eq(0xffff));
        Bool icmp6SumOk = st(4, "icmpv6_checksum_ok", fold(icmp6Pseudo).eq(0xffff));
        UInt replyFold6 = st(4, "echo6_reply_folded", fold(replySum6));

        // ==== stage 5: NTP (§8), UDP (§7), ICMP (§5.1), ICMPv6 (§6.1), ARP (§4) ===========================
        int k = 4;
        UInt ntpOut = at(k, udpShort).mux(c("DROP_NTP_SHORT"), at(k, vnOk).not().mux(c("DROP_NTP_VERSION"),
                at(k, modeControl).mux(c("DROP_NTP_CONTROL"), at(k, modeNotClient).mux(c("DROP_NTP_MODE"),
                at(k, udpLong).mux(at(k, vnLt4).mux(c("DROP_NTP_MAC"), at(k, efOut)), c("ANSWER_NTP"))))));
        Bool udpSumOk = at(k, udpSumZero).mux(at(k, isV6).not(), udpSumVerifies);
        UInt udpOut = st(5, "udp_outcome", at(k, udpLenOk).not().mux(c("DROP_UDP_LENGTH"), at(k, portOk).not().mux(c("HOST_UDP_PORT"),
                udpSumOk.not().mux(c("DROP_UDP_CHECKSUM"), at(k, srcPortOk).not().mux(c("DROP_BAD_SOURCE"), ntpOut)))));
        Bool icmp4Ok = at(k, icmp4LenOk).and(at(k, icmp4SumOk));
        UInt icmp4Out = st(5, "icmp_outcome", icmp4Ok.not().mux(c("DROP_ICMP_MALFORMED"), at(k, icmp4NotEcho).mux(c("HOST_ICMP"),
                at(k, icmp4TooLong).mux(c("DROP_ICMP_TOO_LONG"), c("ANSWER_ICMP_ECHO")))));
        Bool icmp6Ok = at(k, plenGe8).and(icmp6SumOk);
        Bool echo6 = at(k, echo6Type).and(at(k, toSolicited).not());
        Bool nsShape = at(k, nhIcmp6).and(at(k, plenGe8)).and(icmp6SumOk).and(at(k, nsType)).and(at(k, hop255))
                .and(at(k, toSolicited).mux(at(k, plenGe32), at(k, plenGe24))).and(at(k, nsTargetOurs));
        UInt icmp6Out = st(5, "icmpv6_outcome", icmp6Ok.not().mux(c("DROP_ICMP_MALFORMED"), echo6.mux(
                at(k, icmp6TooLong).mux(c("DROP_ICMP_TOO_LONG"), c("ANSWER_ICMPV6_ECHO")),
                nsShape.mux(c("ANSWER_NDP_ADVERT"), c("HOST_ICMPV6")))));

        // ==== stage 6: IPv4 (§5), IPv6 (§6) ===============================================================
        k = 5;
        UInt nfu = cfg.forward_unmatched.mux(c("HOST_NOT_FOR_US"), c("DROP_NOT_FOR_US"));
        UInt v4Out = st(6, "ipv4_outcome", at(k, v4HeaderOk).not().mux(c("DROP_IPV4_HEADER"), at(k, v4SumOk).not().mux(c("DROP_IPV4_CHECKSUM"),
                at(k, v4DstOk).not().mux(nfu, at(k, notFragment).not().mux(c("HOST_IPV4_FRAGMENT"), at(k, v4SrcBad).mux(c("DROP_BAD_SOURCE"),
                at(k, protoIcmp).mux(icmp4Out, at(k, protoUdp).mux(udpOut, c("HOST_IPV4_PROTOCOL")))))))));
        Bool sol = at(k, toSolicited), dstOurs6 = at(k, v6DstOk), icmp6Next = at(k, nhIcmp6);
        UInt v6Out = st(6, "ipv6_outcome", at(k, v6HeaderOk).not().mux(c("DROP_IPV6_HEADER"), dstOurs6.not().and(sol.not()).mux(nfu,
                dstOurs6.and(at(k, snDest)).mux(nfu, at(k, srcBad6).mux(c("DROP_BAD_SOURCE"),
                at(k, srcUnspecified).mux(icmp6Next.mux(c("HOST_ICMPV6"), c("DROP_BAD_SOURCE")),
                icmp6Next.mux(icmp6Out, sol.mux(nfu, at(k, nhUdp).mux(udpOut, c("HOST_IPV6_NEXT_HEADER"))))))))));

        // ==== stage 7: Ethernet (§3), the frame's outcome =================================================
        k = 6;
        UInt arpOut = at(k, arpAnswer).mux(c("ANSWER_ARP"), c("HOST_ARP"));
        UInt result = at(k, rxError).mux(c("DROP_RX_ERROR"), at(k, runt).mux(c("DROP_RUNT"), at(k, oversize).mux(c("DROP_OVERSIZE"),
                at(k, vlanOk).not().or(at(k, destOther)).mux(nfu,
                at(k, isArpType).mux(at(k, snDest).mux(nfu, arpOut),
                at(k, isV4Type).mux(cfg.ipv4_en.not().mux(c("HOST_ETHERTYPE"), at(k, macOk).not().mux(nfu, v4Out)),
                at(k, isV6Type).mux(cfg.ipv6_en.not().mux(c("HOST_ETHERTYPE"), at(k, broadcastMac).mux(nfu, v6Out)),
                c("HOST_ETHERTYPE"))))))));
        UInt out = st(7, "outcome", result);

        // ==== stage 8: the outputs ========================================================================
        k = 7;
        Bits l3k = at(k, l3), l4k = at(k, l4);
        Bits src6k = be(l3k, 8, 16), src4k = be(l3k, 12, 4), sha = be(l3k, 8, 6), spa = be(l3k, 14, 4);
        Bool v6k = at(k, isV6);
        // the answerer's job: kind bits from the outcome, then the fields each answer kind takes
        Bool isArp = out.eq(code("ANSWER_ARP")), isNs = out.eq(code("ANSWER_NDP_ADVERT"));
        AnswerJob job = reg(new AnswerJob());
        job.named("job");
        job.ns.set(isNs);
        job.ns_multicast.set(at(k, toSolicited));
        job.arp.set(isArp);
        job.v6.set(v6k.and(isArp.not()));
        job.tagged.set(at(k, tagged));
        job.tci.set(at(k, tci));
        job.mac.set(at(k, srcMac));
        job.ip.set(isArp.mux(Bits.cat(Bits.lit(0, 96), spa), v6k.mux(src6k, Bits.cat(Bits.lit(0, 96), src4k))));
        job.port.set(l4k.slice(159, 144));
        job.vn.set(l4k.slice(93, 91));
        job.poll.set(l4k.slice(79, 72));
        job.origin.set(isArp.mux(Bits.cat(Bits.lit(0, 16), sha), l4k.slice(63, 0)));
        job.t2.set(at(k, t2));
        job.leap.set(at(k, t2Leap));

        // the echo builder's job: reply checksum from the message without type, code and checksum
        Bool echo4 = out.eq(code("ANSWER_ICMP_ECHO"));
        UInt icmpLen = echo4.mux(at(k, v4L4Len), at(k, plen));
        UInt replyCsum = echo4.mux(at(k, l4TailSum), at(k, replyFold6)).not();
        UInt optionBytes = echo4.mux(at(k, ihlBytes).minus(20).trunc(6), UInt.lit(0, 6));
        EchoJob echoJob = reg(new EchoJob());
        echoJob.named("echo_job");
        echoJob.tagged.set(at(k, tagged));
        echoJob.tci.set(at(k, tci));
        echoJob.mac.set(at(k, srcMac));
        echoJob.v6.set(echo4.not());
        echoJob.ip.set(echo4.mux(Bits.cat(Bits.lit(0, 96), src4k), src6k));
        echoJob.option_bytes.set(optionBytes);
        echoJob.icmp_length.set(icmpLen);
        echoJob.checksum.set(replyCsum.asBits());

        Bool vk = v1;
        for (int s = 2; s <= k; s++) vk = regNextInit(vk, 0).named("valid_s" + s + "_reg");
        echo.valid.set(regNextInit(vk.and(echo4.or(out.eq(code("ANSWER_ICMPV6_ECHO")))), 0));
        echo.payload.setFrom(echoJob);
        to_host.set(regNextInit(vk.and(out.ge(HOST_FIRST)).and(out.lt(DROP_FIRST)), 0));
        valid.set(regNextInit(vk, 0));
        outcome.set(regNext(out).named("outcome_reg"));
        answer.valid.set(regNextInit(vk.and(out.eq(code("ANSWER_NTP")).or(out.eq(code("ANSWER_ARP"))).or(out.eq(code("ANSWER_NDP_ADVERT")))), 0));
        answer.payload.setFrom(job);
        nts_payload_offset.set(regNext(at(k, payloadOffset)).named("nts_payload_offset_reg"));
        nts_payload_length.set(regNext(at(k, payloadLength)).named("nts_payload_length_reg"));
    }

    /** The UDP header (8 bytes), the NTP header's first word (4) and transmit timestamp (8) of a UDP header at {@code off}. */
    private Bits l4Fields(int off) {
        return Bits.cat(be(off, 8), be(off + 8, 4), be(off + 48, 8));
    }
}
