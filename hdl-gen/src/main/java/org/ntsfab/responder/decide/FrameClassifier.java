package org.ntsfab.responder.decide;

import org.ntsfab.responder.rx.FrameIngress;
import org.ntsfab.responder.rx.IngressDescriptor;
import org.ntsfab.responder.ResponderCfg;

import java.util.ArrayList;
import java.util.List;
import org.ntsfab.hdl.Bits;
import org.ntsfab.hdl.Bool;
import org.ntsfab.hdl.Component;
import org.ntsfab.hdl.Flow;
import org.ntsfab.hdl.UInt;
import static org.ntsfab.ip.eth.OnesComplement.fold;
import static org.ntsfab.ip.eth.OnesComplement.sum16;

/**
 * The decision stage: for each ingress descriptor, the outcome docs/responder-spec.md §3–§8 gives
 * the frame (one code per {@link #OUTCOMES} entry, named as the model's outcomes), and for frames
 * the header-built answers serve (NTP, ARP, neighbour advertisement) the job the answerer needs,
 * for echo requests the job the echo builder needs, and whether the frame goes to the host port.
 * NTP requests with extension fields are decided by the front end's field walk; until the NTS
 * engine exists, a request with an NTS field is {@code DROP_NTS_DISABLED} (spec §8.1 for a server
 * without NTS). The codes are the reference model's {@code Outcome} ordinals.
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

    /** Byte {@code i} of the captured header. */
    private Bits b(int i) {
        return desc.hdr.part(8 * i, 8);
    }

    /** Big-endian field of {@code n} bytes at {@code off}. */
    private Bits be(int off, int n) {
        List<Bits> parts = new ArrayList<>();
        for (int i = 0; i < n; i++) parts.add(b(off + i));
        return Bits.cat(parts);
    }

    /** A field at {@code off} after the Ethernet header (l3 = 14, or 18 with a tag). */
    private Bits l3f(Bool tagged, int off, int n) {
        return tagged.mux(be(18 + off, n), be(14 + off, n));
    }

    private static UInt c(String name) {
        return UInt.lit(code(name), 6);
    }

    public FrameClassifier() {
        moduleName("frame_classifier");
        // ---- §3 Ethernet ------------------------------------------------------------------------
        Bool tagged = let("tagged", be(12, 2).eq(0x8100));
        UInt len = desc.length;
        Bool sizeOk = len.ge(60).and(len.le(tagged.mux(UInt.lit(1518, 13), UInt.lit(1514, 13))));
        UInt vid = be(14, 2).asUInt().slice(11, 0);
        Bool vlanOk = tagged.mux(cfg.vlan_en.and(vid.eq(cfg.vlan)), cfg.vlan_en.not());
        Bool macOk = be(0, 6).eq(cfg.mac);
        Bits etherType = tagged.mux(be(16, 2), be(12, 2));
        Bool isV6 = let("is_ipv6", etherType.eq(0x86dd).and(cfg.ipv6_en));
        UInt l3 = tagged.mux(UInt.lit(18, 13), UInt.lit(14, 13));
        UInt avail = let("l3_avail", len.minus(l3));

        // ---- §5 IPv4 ----------------------------------------------------------------------------
        Bits verIhl = l3f(tagged, 0, 1);
        UInt ihl = let("ihl_bytes", UInt.cat(verIhl.slice(3, 0).asUInt(), UInt.lit(0, 2)).zext(13));
        UInt total = l3f(tagged, 2, 2).asUInt();
        Bool v4HeaderOk = verIhl.slice(7, 4).eq(4).and(ihl.ge(20)).and(total.ge(ihl.zext(16)))
                .and(total.le(avail.zext(16)));
        Bool v4SumOk = desc.ip_hdr_sum.eq(0xffff);
        Bits src4 = l3f(tagged, 12, 4), dst4 = l3f(tagged, 16, 4);
        Bool v4DstOk = dst4.eq(cfg.ipv4);
        Bool notFragment = l3f(tagged, 6, 2).slice(13, 0).eq(0);
        Bits s0 = src4.slice(31, 24);
        Bool v4SrcBad = s0.eq(0).or(s0.eq(127)).or(s0.asUInt().ge(224)).or(src4.andReduce());
        UInt v4L4Len = total.minus(ihl.zext(16));

        // ---- §6 IPv6 ----------------------------------------------------------------------------
        UInt plen = l3f(tagged, 4, 2).asUInt();
        Bool v6HeaderOk = l3f(tagged, 0, 1).slice(7, 4).eq(6).and(plen.zext(17).plus(40).le(avail.zext(17)));
        Bits src6 = l3f(tagged, 8, 16), dst6 = l3f(tagged, 24, 16);
        Bool v6DstOk = dst6.eq(cfg.ipv6);
        Bool v6SrcBad = src6.slice(127, 120).eq(0xff).or(src6.eq(1)).or(src6.eq(0));

        // ---- §7 UDP: at l3 + IHL (IPv4, 20..60) or l3 + 40 (IPv6) ----------------------------------
        // the UDP header and NTP fields at every possible offset, selected by (tag, IHL, family)
        UInt l4Index = let("l4_index", isV6.mux(UInt.lit(16, 5), verIhl.slice(3, 0).asUInt().zext(5)));
        Bits udpHdr = selectL4(tagged, l4Index, 0, 8);
        Bits ntpFirst = selectL4(tagged, l4Index, 8, 4);   // LI/VN/mode, stratum, poll, precision
        Bits ntpXmt = selectL4(tagged, l4Index, 8 + 40, 8);
        UInt srcPort = udpHdr.slice(63, 48).asUInt(), dstPort = udpHdr.slice(47, 32).asUInt();
        UInt udpLen = udpHdr.slice(31, 16).asUInt();
        UInt udpSum = udpHdr.slice(15, 0).asUInt();
        UInt ipPayload = isV6.mux(plen, v4L4Len);
        Bool udpLenOk = udpLen.ge(8).and(udpLen.eq(ipPayload));
        Bool portOk = dstPort.eq(123);
        // checksum with the pseudo-header: addresses, protocol 17, UDP length
        UInt pseudo = let("pseudo_sum", isV6.mux(sum16(src6).plus(sum16(dst6)), sum16(src4).plus(sum16(dst4)))
                .plus(17).plus(udpLen.zext(32)));
        Bool sumVerifies = fold(pseudo.plus(desc.l4_sum.zext(32))).eq(0xffff);
        Bool udpSumOk = udpSum.eq(0).mux(isV6.not(), sumVerifies);
        Bool srcPortOk = srcPort.ne(0);

        // ---- §8 NTP: a 48-byte client request of version 1-4 ----------------------------------------
        UInt vn = ntpFirst.slice(29, 27).asUInt();
        Bool vnOk = vn.ge(1).and(vn.le(4));

        // ---- §4 ARP: a request for our IPv4 address, to us or broadcast ------------------------------
        Bits arpFixed = l3f(tagged, 0, 8);
        Bits sha = l3f(tagged, 8, 6), spa = l3f(tagged, 14, 4), tpa = l3f(tagged, 24, 4);

        // ---- §6.1 neighbour solicitation for our address --------------------------------------------
        Bits ourSn = Bits.cat(Bits.lit(0xff02, 16), Bits.lit(0, 72), Bits.lit(0x01ff, 16), cfg.ipv6.slice(23, 0));
        Bool snMac = be(0, 3).eq(0x3333ff).and(be(3, 3).eq(cfg.ipv6.slice(23, 0)));
        Bool toSolicited = dst6.eq(ourSn);
        Bits icmpFirst = l3f(tagged, 40, 4);
        UInt hopLimit = l3f(tagged, 7, 1).asUInt();
        UInt icmpPseudo = sum16(src6).plus(sum16(dst6)).plus(58).plus(plen.zext(32));
        Bool icmpSumOk = fold(icmpPseudo.plus(desc.l4_sum.zext(32))).eq(0xffff);
        Bool nsShape = l3f(tagged, 6, 1).eq(58).and(plen.ge(8)).and(icmpSumOk).and(icmpFirst.slice(31, 16).eq(0x8700))
                .and(hopLimit.eq(255)).and(plen.ge(toSolicited.mux(UInt.lit(32, 16), UInt.lit(24, 16))))
                .and(l3f(tagged, 48, 16).eq(cfg.ipv6));


        // ---- the outcome, rule by rule in the spec's order ------------------------------------------
        Bool broadcastMac = be(0, 6).andReduce();
        UInt nfu = cfg.forward_unmatched.mux(c("HOST_NOT_FOR_US"), c("DROP_NOT_FOR_US"));
        Bool destOther = macOk.not().and(broadcastMac.not()).and(snMac.not().or(cfg.ipv6_en.not()));
        Bool snDest = snMac.and(cfg.ipv6_en).and(macOk.not()).and(broadcastMac.not());
        Bool isArpType = etherType.eq(0x0806);
        Bool isV4Type = etherType.eq(0x0800), isV6Type = etherType.eq(0x86dd);

        // NTP (§8) once UDP passed
        UInt mode = ntpFirst.slice(26, 24).asUInt();
        // §8.1 extension fields (walked by the front end)
        UInt efOut = desc.ef_status.eq(1).mux(c("DROP_NTP_MAC"), desc.ef_status.eq(2).mux(c("DROP_NTP_EXTENSION"),
                desc.ef_nts.mux(cfg.nts_en.mux(c("ANSWER_NTS"), c("DROP_NTS_DISABLED")), c("ANSWER_NTP"))));
        UInt ntpOut = udpLen.lt(56).mux(c("DROP_NTP_SHORT"), vnOk.not().mux(c("DROP_NTP_VERSION"),
                mode.ge(6).mux(c("DROP_NTP_CONTROL"), mode.ne(3).mux(c("DROP_NTP_MODE"),
                udpLen.gt(56).mux(vn.lt(4).mux(c("DROP_NTP_MAC"), efOut), c("ANSWER_NTP"))))));
        // UDP (§7)
        UInt udpOut = udpLenOk.not().mux(c("DROP_UDP_LENGTH"), portOk.not().mux(c("HOST_UDP_PORT"),
                udpSumOk.not().mux(c("DROP_UDP_CHECKSUM"), srcPortOk.not().mux(c("DROP_BAD_SOURCE"), ntpOut))));
        // ICMP (§5.1)
        Bits icmp4First = selectL4(tagged, l4Index, 0, 2);
        Bool icmp4Ok = v4L4Len.ge(8).and(fold(desc.l4_sum.zext(32)).eq(0xffff));
        UInt icmp4Out = icmp4Ok.not().mux(c("DROP_ICMP_MALFORMED"), icmp4First.ne(0x0800).mux(c("HOST_ICMP"),
                v4L4Len.minus(8).gt(cfg.icmp_max_payload).mux(c("DROP_ICMP_TOO_LONG"), c("ANSWER_ICMP_ECHO"))));
        // IPv4 (§5)
        UInt proto = l3f(tagged, 9, 1).asUInt();
        UInt v4Out = v4HeaderOk.not().mux(c("DROP_IPV4_HEADER"), v4SumOk.not().mux(c("DROP_IPV4_CHECKSUM"),
                v4DstOk.not().mux(nfu, notFragment.not().mux(c("HOST_IPV4_FRAGMENT"), v4SrcBad.mux(c("DROP_BAD_SOURCE"),
                proto.eq(1).mux(icmp4Out, proto.eq(17).mux(udpOut, c("HOST_IPV4_PROTOCOL"))))))));
        // ICMPv6 (§6.1)
        Bool icmp6Ok = plen.ge(8).and(icmpSumOk);
        Bool echo6 = icmpFirst.slice(31, 16).eq(0x8000).and(toSolicited.not());
        UInt icmp6Out = icmp6Ok.not().mux(c("DROP_ICMP_MALFORMED"), echo6.mux(
                plen.minus(8).gt(cfg.icmp_max_payload).mux(c("DROP_ICMP_TOO_LONG"), c("ANSWER_ICMPV6_ECHO")),
                nsShape.mux(c("ANSWER_NDP_ADVERT"), c("HOST_ICMPV6"))));
        // IPv6 (§6)
        UInt nh = l3f(tagged, 6, 1).asUInt();
        Bool srcUnspecified = src6.eq(0);
        Bool srcBad6 = src6.slice(127, 120).eq(0xff).or(src6.eq(1));
        UInt v6Out = v6HeaderOk.not().mux(c("DROP_IPV6_HEADER"), v6DstOk.not().and(toSolicited.not()).mux(nfu,
                v6DstOk.and(snDest).mux(nfu, srcBad6.mux(c("DROP_BAD_SOURCE"),
                srcUnspecified.mux(nh.eq(58).mux(c("HOST_ICMPV6"), c("DROP_BAD_SOURCE")),
                nh.eq(58).mux(icmp6Out, toSolicited.mux(nfu, nh.eq(17).mux(udpOut, c("HOST_IPV6_NEXT_HEADER")))))))));
        // ARP (§4)
        UInt arpOut = cfg.ipv4_en.not().or(avail.lt(28)).or(arpFixed.slice(63, 16).ne(0x000108000604L)).mux(c("HOST_ARP"),
                arpFixed.slice(15, 0).ne(1).or(tpa.ne(cfg.ipv4)).mux(c("HOST_ARP"), c("ANSWER_ARP")));
        // Ethernet (§3)
        UInt result = desc.rx_error.mux(c("DROP_RX_ERROR"), len.lt(60).mux(c("DROP_RUNT"),
                len.gt(tagged.mux(UInt.lit(1518, 13), UInt.lit(1514, 13))).mux(c("DROP_OVERSIZE"),
                vlanOk.not().or(destOther).mux(nfu,
                isArpType.mux(snDest.mux(nfu, arpOut),
                isV4Type.mux(cfg.ipv4_en.not().mux(c("HOST_ETHERTYPE"), macOk.not().mux(nfu, v4Out)),
                isV6Type.mux(cfg.ipv6_en.not().mux(c("HOST_ETHERTYPE"), broadcastMac.mux(nfu, v6Out)),
                c("HOST_ETHERTYPE"))))))));

        UInt out = let("outcome_code", result);
        // the answerer's job: kind bits from the outcome, then the fields each answer kind takes
        Bool isArp = out.eq(code("ANSWER_ARP")), isNs = out.eq(code("ANSWER_NDP_ADVERT"));
        AnswerJob job = reg(new AnswerJob());
        job.named("job");
        job.ns.set(isNs);
        job.ns_multicast.set(toSolicited);
        job.arp.set(isArp);
        job.v6.set(isV6.and(isArp.not()));
        job.tagged.set(tagged);
        job.tci.set(be(14, 2));
        job.mac.set(be(6, 6));
        job.ip.set(isArp.mux(Bits.cat(Bits.lit(0, 96), spa), isV6.mux(src6, Bits.cat(Bits.lit(0, 96), src4))));
        job.port.set(srcPort.asBits());
        job.vn.set(vn.asBits());
        job.poll.set(ntpFirst.slice(15, 8));
        job.origin.set(isArp.mux(Bits.cat(Bits.lit(0, 16), sha), ntpXmt));
        job.t2.set(desc.t2.asBits());
        job.leap.set(desc.t2_leap.asBits());

        // the echo builder's job: reply checksum from the message without type, code and checksum
        Bool echo4 = out.eq(code("ANSWER_ICMP_ECHO"));
        UInt icmpLen = echo4.mux(v4L4Len, plen);
        UInt replySum6 = sum16(cfg.ipv6).plus(sum16(src6)).plus(58).plus(plen.zext(32)).plus(0x8100).plus(desc.l4_tail_sum.zext(32));
        UInt replyCsum = echo4.mux(desc.l4_tail_sum, fold(replySum6)).not();
        UInt optionBytes = echo4.mux(ihl.minus(20).trunc(6), UInt.lit(0, 6));
        EchoJob echoJob = reg(new EchoJob());
        echoJob.named("echo_job");
        echoJob.tagged.set(tagged);
        echoJob.tci.set(be(14, 2));
        echoJob.mac.set(be(6, 6));
        echoJob.v6.set(echo4.not());
        echoJob.ip.set(echo4.mux(Bits.cat(Bits.lit(0, 96), src4), src6));
        echoJob.option_bytes.set(optionBytes);
        echoJob.icmp_length.set(icmpLen);
        echoJob.checksum.set(replyCsum.asBits());
        echo.valid.set(regNextInit(desc_valid.and(echo4.or(out.eq(code("ANSWER_ICMPV6_ECHO")))), 0));
        echo.payload.setFrom(echoJob);
        to_host.set(regNextInit(desc_valid.and(out.ge(HOST_FIRST)).and(out.lt(DROP_FIRST)), 0));

        valid.set(regNextInit(desc_valid, 0));
        outcome.set(regNext(out));
        answer.valid.set(regNextInit(desc_valid.and(out.eq(code("ANSWER_NTP")).or(out.eq(code("ANSWER_ARP"))).or(out.eq(code("ANSWER_NDP_ADVERT")))), 0));
        answer.payload.setFrom(job);
        UInt payloadOffset = tagged.mux(UInt.lit(18 + 8, 8), UInt.lit(14 + 8, 8)).plus(isV6.mux(UInt.lit(40, 8), ihl.trunc(8)));
        nts_payload_offset.set(regNext(payloadOffset).named("nts_payload_offset_reg"));
        nts_payload_length.set(regNext(udpLen.minus(8).trunc(11)).named("nts_payload_length_reg"));
    }

    /** The UDP header and following bytes at l4 for each (tag, IHL or "IPv6" = 11) combination. */
    private Bits selectL4(Bool tagged, UInt l4Index, int rel, int n) {
        Bits r = null;
        for (int t = 0; t < 2; t++) {
            for (int idx = 5; idx <= 16; idx++) {
                int l3 = t == 1 ? 18 : 14;
                // index 5..15 is the IPv4 IHL; 16 stands for IPv6 (l3 + 40)
                int off = (idx == 16 ? l3 + 40 : l3 + 4 * idx) + rel;
                if (off + n > FrameIngress.HDR_BYTES) continue;
                Bits here = be(off, n);
                Bool sel = (t == 1 ? tagged : tagged.not()).and(l4Index.eq(idx));
                r = r == null ? here : sel.mux(here, r);
            }
        }
        return r;
    }



}
