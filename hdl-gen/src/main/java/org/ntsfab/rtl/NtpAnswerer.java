package org.ntsfab.rtl;

import java.util.ArrayList;
import java.util.List;
import org.ntsfab.hdl.Axis;
import org.ntsfab.hdl.Bits;
import org.ntsfab.hdl.Bool;
import org.ntsfab.hdl.Component;
import org.ntsfab.hdl.Stream;
import org.ntsfab.hdl.UInt;
import org.ntsfab.hdl.lib.StreamFifo;

/**
 * The header-built answers: from each ingress descriptor it decides, by every rule of
 * docs/responder-spec.md §3, §5, §6, §7 and §8 that leads to {@code answer_ntp}, whether the frame
 * is a 48-byte NTP client request for us, by §4 whether it is an ARP request for our address, and
 * by §6.1 whether it is a neighbour solicitation for our IPv6 address,
 * queues the answer's parameters (four deep; a full queue
 * drops the request and counts it), and streams the answer: Ethernet (802.1Q tag copied), IPv4
 * (IHL 5, DF, TTL) or IPv6, UDP, and the 48-byte header. T3 is the clock in the cycle the
 * answer's first beat is accepted by the sink; the UDP checksum, which precedes T3 on the wire, is
 * completed from it in the following cycles, so backpressure never makes T3 wrong.
 *
 * <p>Requests with extension fields (NTS and the RFC 7822 walk) are not this path's: they are left
 * to the extension-field path ({@code needs_ef_path} pulses).
 */
public final class NtpAnswerer extends Component {
    // ingress descriptor
    public final Bool desc_valid = in(new Bool());
    public final Bits hdr = in(new Bits(8 * FrameIngress.HDR_BYTES));
    public final UInt length = in(new UInt(13));
    public final Bool rx_error = in(new Bool());
    public final UInt t2 = in(new UInt(64));
    public final UInt t2_leap = in(new UInt(2));
    public final UInt ip_hdr_sum = in(new UInt(16));
    public final UInt l4_sum = in(new UInt(16));
    // configuration
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
    // clock
    public final UInt now = in(new UInt(64));
    // answers and events
    public final Axis out;
    public final Bool answered = out(new Bool());
    public final Bool needs_ef_path = out(new Bool());
    public final Bool overload_drop = out(new Bool());
    public final StreamFifo<Bits> queue;

    private static final int JOB_BITS = 1 + 1 + 1 + 1 + 1 + 16 + 48 + 128 + 16 + 3 + 8 + 64 + 64 + 2;

    /** Byte {@code i} of the captured header. */
    private Bits b(int i) {
        return hdr.part(8 * i, 8);
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

    public NtpAnswerer() {
        moduleName("ntp_answerer");
        out = master(new Axis(8, 1));

        // ---- §3 Ethernet ------------------------------------------------------------------------
        Bool tagged = let("tagged", be(12, 2).eq(0x8100));
        UInt len = length;
        Bool sizeOk = len.ge(60).and(len.le(tagged.mux(UInt.lit(1518, 13), UInt.lit(1514, 13))));
        UInt vid = be(14, 2).asUInt().slice(11, 0);
        Bool vlanOk = tagged.mux(cfg_vlan_en.and(vid.eq(cfg_vlan)), cfg_vlan_en.not());
        Bool macOk = be(0, 6).eq(cfg_mac);
        Bits etherType = tagged.mux(be(16, 2), be(12, 2));
        Bool isV4 = let("is_ipv4", etherType.eq(0x0800).and(cfg_ipv4_en));
        Bool isV6 = let("is_ipv6", etherType.eq(0x86dd).and(cfg_ipv6_en));
        UInt l3 = tagged.mux(UInt.lit(18, 13), UInt.lit(14, 13));
        UInt avail = let("l3_avail", len.minus(l3));

        // ---- §5 IPv4 ----------------------------------------------------------------------------
        Bits verIhl = l3f(tagged, 0, 1);
        UInt ihl = let("ihl_bytes", UInt.cat(verIhl.slice(3, 0).asUInt(), UInt.lit(0, 2)).zext(13));
        UInt total = l3f(tagged, 2, 2).asUInt();
        Bool v4HeaderOk = verIhl.slice(7, 4).eq(4).and(ihl.ge(20)).and(total.ge(ihl.zext(16)))
                .and(total.le(avail.zext(16)));
        Bool v4SumOk = ip_hdr_sum.eq(0xffff);
        Bits src4 = l3f(tagged, 12, 4), dst4 = l3f(tagged, 16, 4);
        Bool v4DstOk = dst4.eq(cfg_ipv4);
        Bool notFragment = l3f(tagged, 6, 2).slice(13, 0).eq(0);
        Bits s0 = src4.slice(31, 24);
        Bool v4SrcBad = s0.eq(0).or(s0.eq(127)).or(s0.asUInt().ge(224)).or(src4.andReduce());
        Bool v4Udp = l3f(tagged, 9, 1).eq(17);
        Bool v4Ok = let("ipv4_ok", isV4.and(v4HeaderOk).and(v4SumOk).and(v4DstOk).and(notFragment).and(v4SrcBad.not()).and(v4Udp));
        UInt v4L4Len = total.minus(ihl.zext(16));

        // ---- §6 IPv6 ----------------------------------------------------------------------------
        UInt plen = l3f(tagged, 4, 2).asUInt();
        Bool v6HeaderOk = l3f(tagged, 0, 1).slice(7, 4).eq(6).and(plen.zext(17).plus(40).le(avail.zext(17)));
        Bits src6 = l3f(tagged, 8, 16), dst6 = l3f(tagged, 24, 16);
        Bool v6DstOk = dst6.eq(cfg_ipv6);
        Bool v6SrcBad = src6.slice(127, 120).eq(0xff).or(src6.eq(1)).or(src6.eq(0));
        Bool v6Udp = l3f(tagged, 6, 1).eq(17);
        Bool v6Ok = let("ipv6_ok", isV6.and(v6HeaderOk).and(v6DstOk).and(v6SrcBad.not()).and(v6Udp));

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
        Bool sumVerifies = fold(pseudo.plus(l4_sum.zext(32))).eq(0xffff);
        Bool udpSumOk = udpSum.eq(0).mux(isV6.not(), sumVerifies);
        Bool srcPortOk = srcPort.ne(0);

        // ---- §8 NTP: a 48-byte client request of version 1-4 ----------------------------------------
        UInt vn = ntpFirst.slice(29, 27).asUInt();
        Bool modeOk = ntpFirst.slice(26, 24).eq(3);
        Bool vnOk = vn.ge(1).and(vn.le(4));
        Bool ntpShape = udpLen.ge(56).and(vnOk).and(modeOk);
        Bool frameOk = let("frame_ok", rx_error.not().and(sizeOk).and(vlanOk).and(macOk));
        Bool l4Ok = let("udp_ok", v4Ok.or(v6Ok).and(udpLenOk).and(portOk).and(udpSumOk).and(srcPortOk));
        Bool candidate = let("ntp_request", desc_valid.and(frameOk).and(l4Ok).and(ntpShape));
        Bool plain = udpLen.eq(56);

        // ---- §4 ARP: a request for our IPv4 address, to us or broadcast ------------------------------
        Bool broadcast = be(0, 6).andReduce();
        Bool isArp = etherType.eq(0x0806).and(cfg_ipv4_en);
        Bits arpFixed = l3f(tagged, 0, 8);
        Bits sha = l3f(tagged, 8, 6), spa = l3f(tagged, 14, 4), tpa = l3f(tagged, 24, 4);
        Bool arpRequest = let("arp_request", desc_valid.and(rx_error.not()).and(sizeOk).and(vlanOk).and(macOk.or(broadcast)).and(isArp)
                .and(avail.ge(28)).and(arpFixed.eq(0x0001080006040001L)).and(tpa.eq(cfg_ipv4)));

        // ---- §6.1 neighbour solicitation for our address --------------------------------------------
        Bits ourSn = Bits.cat(Bits.lit(0xff02, 16), Bits.lit(0, 72), Bits.lit(0x01ff, 16), cfg_ipv6.slice(23, 0));
        Bool snMac = be(0, 3).eq(0x3333ff).and(be(3, 3).eq(cfg_ipv6.slice(23, 0)));
        Bool toSolicited = dst6.eq(ourSn);
        Bool ndMacOk = macOk.or(snMac);
        Bool ndDstOk = v6DstOk.and(snMac.not()).or(toSolicited);
        Bits icmpFirst = l3f(tagged, 40, 4);
        UInt hopLimit = l3f(tagged, 7, 1).asUInt();
        UInt icmpPseudo = sum16(src6).plus(sum16(dst6)).plus(58).plus(plen.zext(32));
        Bool icmpSumOk = fold(icmpPseudo.plus(l4_sum.zext(32))).eq(0xffff);
        Bool nsShape = l3f(tagged, 6, 1).eq(58).and(plen.ge(8)).and(icmpSumOk).and(icmpFirst.slice(31, 16).eq(0x8700))
                .and(hopLimit.eq(255)).and(plen.ge(toSolicited.mux(UInt.lit(32, 16), UInt.lit(24, 16))))
                .and(l3f(tagged, 48, 16).eq(cfg_ipv6));
        Bool nsRequest = let("ns_request", desc_valid.and(rx_error.not()).and(sizeOk).and(vlanOk).and(ndMacOk).and(isV6)
                .and(v6HeaderOk).and(ndDstOk).and(v6SrcBad.not()).and(nsShape));

        // ---- the job: everything the answer needs ------------------------------------------------
        queue = add(new StreamFifo<>(() -> new Bits(JOB_BITS), 4));
        // for ARP the address field carries the sender's IPv4 address and the origin field its MAC
        Bits job = Bits.cat(nsRequest, toSolicited, isArp, isV6.and(isArp.not()), tagged, be(14, 2), be(6, 6),
                isArp.mux(Bits.cat(Bits.lit(0, 96), spa), isV6.mux(src6, Bits.cat(Bits.lit(0, 96), src4))), srcPort.asBits(),
                vn.asBits(), ntpFirst.slice(15, 8), isArp.mux(Bits.cat(Bits.lit(0, 16), sha), ntpXmt), t2.asBits(), t2_leap.asBits());
        queue.in.valid.set(candidate.and(plain).or(arpRequest).or(nsRequest));
        queue.in.payload.set(job);
        answered.set(regNextInit(queue.in.fire(), 0));
        needs_ef_path.set(regNextInit(candidate.and(plain.not()), 0));
        overload_drop.set(regNextInit(candidate.and(plain).or(arpRequest).or(nsRequest).and(queue.in.ready.not()), 0));

        // ---- the answer stream -----------------------------------------------------------------
        Bool busy = regInit(new Bool(), 0).named("tx_busy_reg");
        UInt beat = regInit(new UInt(4), 0).named("tx_beat_reg");
        Bits cur = reg(new Bits(JOB_BITS)).named("tx_job_reg");
        UInt t3 = reg(new UInt(64)).named("t3_reg");

        int p = JOB_BITS;
        Bool jNs = cur.bit(--p);
        Bool jNsMulticast = cur.bit(--p);
        Bool jArp = cur.bit(--p);
        Bool jV6 = cur.bit(--p);
        Bool jTag = cur.bit(--p);
        Bits jTci = cur.slice(p - 1, p - 16); p -= 16;
        Bits jMac = cur.slice(p - 1, p - 48); p -= 48;
        Bits jIp = cur.slice(p - 1, p - 128); p -= 128;
        Bits jPort = cur.slice(p - 1, p - 16); p -= 16;
        Bits jVn = cur.slice(p - 1, p - 3); p -= 3;
        Bits jPoll = cur.slice(p - 1, p - 8); p -= 8;
        Bits jOrigin = cur.slice(p - 1, p - 64); p -= 64;
        Bits jT2 = cur.slice(p - 1, p - 64); p -= 64;
        Bits jLeap = cur.slice(p - 1, p - 2);

        Bits li = cfg_synced.mux(jLeap, Bits.lit(3, 2));
        Bits stratum = cfg_synced.mux(cfg_stratum.asBits(), Bits.lit(16, 8));
        Bits ntp = Bits.cat(li, jVn, Bits.lit(4, 3), stratum, jPoll, cfg_precision, cfg_root_delay, cfg_root_dispersion, cfg_refid,
                jT2.slice(63, 32), Bits.lit(0, 32), jOrigin, jT2, t3.asBits());
        Bits ntpNoT3 = ntp.slice(383, 64);
        Bits ourIp6 = cfg_ipv6, ourIp4 = cfg_ipv4;
        // UDP checksum: pseudo-header + UDP header (checksum 0) + NTP, T3 included once it is known
        UInt udpPartial = let("udp_partial_sum", jV6.mux(sum16(ourIp6).plus(sum16(jIp)), sum16(ourIp4).plus(sum16(jIp.slice(31, 0))))
                .plus(17).plus(56).plus(123).plus(jPort.asUInt().zext(32)).plus(56).plus(sum16(ntpNoT3)));
        UInt udpFolded = fold(udpPartial.plus(sum16(t3.asBits())));
        UInt udpCsum = let("udp_checksum", udpFolded.eq(0xffff).mux(UInt.lit(0xffff, 16), udpFolded.not()));
        Bits udp = Bits.cat(Bits.lit(123, 16), jPort, Bits.lit(56, 16), udpCsum.asBits());
        Bits ip4NoSum = Bits.cat(Bits.lit(0x4500, 16), Bits.lit(76, 16), Bits.lit(0, 16), Bits.lit(0x4000, 16), cfg_ttl.asBits(),
                Bits.lit(17, 8), Bits.lit(0, 16), ourIp4, jIp.slice(31, 0));
        UInt ip4Sum = fold(sum16(ip4NoSum)).not();
        Bits ip4 = Bits.cat(ip4NoSum.slice(159, 80), ip4Sum.asBits(), ip4NoSum.slice(63, 0));
        Bits ip6 = Bits.cat(Bits.lit(0x60000000L, 32), Bits.lit(56, 16), Bits.lit(17, 8), cfg_ttl.asBits(), ourIp6, jIp);
        Bits ethTagged = Bits.cat(jMac, cfg_mac, Bits.lit(0x8100, 16), jTci);
        Bits ethPlain = Bits.cat(jMac, cfg_mac);

        // the four layouts, each as the frame's bytes with byte 0 in the low bits (the AXI-Stream lane order)
        Bits v4u = littleEndian(Bits.cat(ethPlain, Bits.lit(0x0800, 16), ip4, udp, ntp), 120);
        Bits v4t = littleEndian(Bits.cat(ethTagged, Bits.lit(0x0800, 16), ip4, udp, ntp), 120);
        Bits v6u = littleEndian(Bits.cat(ethPlain, Bits.lit(0x86dd, 16), ip6, udp, ntp), 120);
        Bits v6t = littleEndian(Bits.cat(ethTagged, Bits.lit(0x86dd, 16), ip6, udp, ntp), 120);
        // ARP reply: 28-byte body, padded to the 60-byte minimum
        Bits arpBody = Bits.cat(Bits.lit(0x0001080006040002L, 64), cfg_mac, ourIp4, jOrigin.slice(47, 0), jIp.slice(31, 0));
        Bits arpU = littleEndian(Bits.cat(ethPlain, Bits.lit(0x0806, 16), arpBody), 120);
        Bits arpT = littleEndian(Bits.cat(ethTagged, Bits.lit(0x0806, 16), arpBody), 120);
        // neighbour advertisement: solicited + override, our address, and for multicast solicitations our MAC as option
        Bits naBody = Bits.cat(Bits.lit(0x60000000L, 32), ourIp6);
        Bits naOpt = Bits.cat(Bits.lit(0x0201, 16), cfg_mac);
        UInt naLen = jNsMulticast.mux(UInt.lit(32, 16), UInt.lit(24, 16));
        UInt naSum = sum16(ourIp6).plus(sum16(jIp)).plus(58).plus(naLen.zext(32)).plus(0x8800).plus(sum16(naBody))
                .plus(jNsMulticast.mux(sum16(naOpt), UInt.lit(0, 32)));
        Bits naCsum = fold(naSum).not().asBits();
        Bits ip6Na = Bits.cat(Bits.lit(0x60000000L, 32), naLen.asBits(), Bits.lit(58, 8), Bits.lit(255, 8), ourIp6, jIp);
        Bits naMc = Bits.cat(ip6Na, Bits.lit(0x8800, 16), naCsum, naBody, naOpt);
        Bits naUc = Bits.cat(ip6Na, Bits.lit(0x8800, 16), naCsum, naBody);
        Bits naMcU = littleEndian(Bits.cat(ethPlain, Bits.lit(0x86dd, 16), naMc), 120);
        Bits naMcT = littleEndian(Bits.cat(ethTagged, Bits.lit(0x86dd, 16), naMc), 120);
        Bits naUcU = littleEndian(Bits.cat(ethPlain, Bits.lit(0x86dd, 16), naUc), 120);
        Bits naUcT = littleEndian(Bits.cat(ethTagged, Bits.lit(0x86dd, 16), naUc), 120);
        Bits naFrame = jNsMulticast.mux(jTag.mux(naMcT, naMcU), jTag.mux(naUcT, naUcU));
        Bits frame = let("answer_frame", jNs.mux(naFrame, jArp.mux(jTag.mux(arpT, arpU), jV6.mux(jTag.mux(v6t, v6u), jTag.mux(v4t, v4u)))));
        // 90 / 94 / 110 / 114 bytes: last beat index and its keep
        // 86 / 90 (multicast) and 78 / 82 (unicast) bytes for adverts
        UInt naLast = jNsMulticast.mux(jTag.mux(UInt.lit(11, 4), UInt.lit(10, 4)), jTag.mux(UInt.lit(10, 4), UInt.lit(9, 4)));
        Bits naKeep = jTag.mux(Bits.lit(0x03, 8), Bits.lit(0x3f, 8));
        UInt lastBeat = jNs.mux(naLast, jArp.mux(UInt.lit(7, 4), jV6.mux(jTag.mux(UInt.lit(14, 4), UInt.lit(13, 4)), UInt.lit(11, 4))));
        Bits lastKeep = jNs.mux(naKeep, jArp.mux(Bits.lit(0x0f, 8),
                jV6.mux(jTag.mux(Bits.lit(0x03, 8), Bits.lit(0x3f, 8)), jTag.mux(Bits.lit(0x3f, 8), Bits.lit(0x03, 8)))));

        Bits data = wire(new Bits(64), 0).named("tx_data");
        var sw = switchOn(beat);
        for (int k = 0; k < 15; k++) {
            final int kk = k;
            sw.is(k, () -> data.set(frame.part(64 * kk, 64)));
        }
        sw.otherwise(() -> { });
        Bool last = let("tx_last", beat.eq(lastBeat));
        out.valid.set(busy);
        out.tdata().set(data);
        out.tkeep().set(last.mux(lastKeep, Bits.lit(0xff, 8)));
        out.tlast().set(last);
        out.tuser().set(Bits.lit(0, 1));
        when(out.fire(), () -> {
            when(beat.eq(0), () -> t3.set(now));
            beat.set(beat.plus(1));
            when(last, () -> busy.set(false));
        });
        // the next job is taken while the last beat leaves, so answers follow each other without a gap
        queue.out.ready.set(busy.not().or(out.fire().and(last)));
        when(queue.out.fire(), () -> {
            busy.set(true);
            beat.set(0);
            cur.set(queue.out.payload);
        });
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

    /** Sum of the big-endian 16-bit words of {@code b} (a multiple of 16 bits), 32 bits wide. */
    private static UInt sum16(Bits b) {
        UInt s = UInt.lit(0, 32);
        for (int i = 0; i < b.width() / 16; i++) s = s.plus(b.part(16 * i, 16).asUInt().zext(32));
        return s;
    }

    private static UInt fold(UInt acc) {
        UInt f1 = acc.slice(15, 0).zext(17).plus(acc.slice(31, 16).zext(17));
        return f1.slice(15, 0).plus(f1.slice(16, 16).zext(16));
    }

    /** {@code wire} (first byte most significant) as a vector with byte 0 in the low bits, zero-padded to {@code bytes}. */
    private static Bits littleEndian(Bits wire, int bytes) {
        int n = wire.width() / 8;
        List<Bits> parts = new ArrayList<>();
        if (bytes > n) parts.add(Bits.lit(0, 8 * (bytes - n)));
        for (int i = n - 1; i >= 0; i--) parts.add(wire.part(8 * (n - 1 - i), 8));
        return Bits.cat(parts);
    }
}
