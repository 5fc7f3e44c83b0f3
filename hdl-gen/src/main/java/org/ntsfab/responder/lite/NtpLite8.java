package org.ntsfab.responder.lite;

import org.ntsfab.responder.clock.NtpClockCore;
import org.ntsfab.responder.ResponderDefaults;

import static org.ntsfab.ip.stream.FrameBytes.littleEndian;

import org.ntsfab.hdl.Axis;
import org.ntsfab.hdl.Bits;
import org.ntsfab.hdl.Bool;
import org.ntsfab.hdl.Bundle;
import org.ntsfab.hdl.Component;
import org.ntsfab.hdl.Fsm;
import org.ntsfab.hdl.UInt;

/**
 * The reduced responder for small FPGAs (iCE40 HX8K class): one byte per cycle at most, IPv4 NTP and ARP only,
 * no NTS, no host port, no register file (identity and served fields are generator constants). For the frames it
 * answers it follows the full responder's specification exactly (docs/responder-spec.md §3, §4, §5, §7, §8:
 * every check that decides whether an untagged IPv4 NTP request or an ARP request is answered, including IPv4
 * options, checksums, bad sources and the RFC 7822 extension-field walk); everything else is dropped: VLAN-tagged
 * frames, IPv6, ICMP, NTS, and all frames the full responder would pass to its host port. The answers are byte
 * for byte the reference model's (checked frame by frame in {@code NtpLiteSimTest}).
 *
 * <p>{@code in}: frames from a MAC without FCS, {@code tuser} high on a bad frame's last byte; always ready.
 * {@code out}: the answers, each byte held until taken; T3 is the clock in the cycle the first byte is taken, T2
 * the clock in the cycle the request's first byte arrived. One answer can wait while another leaves (a long answer
 * followed by short requests at line rate); an answer due while both places are taken is dropped ({@code ev_overload};
 * never at line rate, where every answer is at most as long as its request). Frames must be at least two cycles
 * apart (a MAC leaves at least 20 byte slots): a frame is judged in the cycle after its last byte and its answer
 * decided (and the event strobes raised) in the cycle after that. Event strobes for counters or LEDs: {@code ev_answer_ntp}, {@code ev_answer_arp}, {@code ev_drop}, {@code ev_overload}.
 */
public final class NtpLite8 extends Component {
    public final Axis in;
    public final Axis out;
    public final Bool clock_load = in(new Bool());
    public final UInt clock_load_time = in(new UInt(64));
    public final UInt now = out(new UInt(64));
    public final Bool ev_answer_ntp = out(new Bool());
    public final Bool ev_answer_arp = out(new Bool());
    public final Bool ev_drop = out(new Bool());
    public final Bool ev_overload = out(new Bool());

    public NtpLite8(ResponderDefaults d) {
        moduleName("ntp_lite_8" + d.nameTag(ResponderDefaults.EXAMPLE));  // identity and served fields are constants here
        in = slave(new Axis(1, 1));
        out = master(new Axis(1, 1));
        NtpClockCore clock = add("clock", new NtpClockCore());
        clock.load.set(clock_load);
        clock.load_time.set(clock_load_time);
        clock.step.set(UInt.lit(d.clockStep(), 64));
        clock.leap_mode.set(UInt.lit(0, 2));
        clock.leap_event.set(UInt.lit(0, 32));
        now.set(clock.now);
        in.ready.set(true);

        Bits ourMac = Bits.lit(d.mac(), 48);
        Bits ourIp = Bits.lit(d.ipv4(), 32);
        Bits b = in.tdata();
        Bool take = in.valid;

        // ---- receive: position counters ----------------------------------------------------------
        UInt pos = regInit(new UInt(11), 0).named("pos_reg");          // byte index in the frame (saturates)
        Bool first = let("first_byte", take.and(pos.eq(0)));
        UInt t2 = reg(new UInt(64)).named("t2_reg");
        when(first, () -> t2.set(clock.now));
        when(take, () -> when(in.tlast(), () -> pos.set(0)).elseWhen(pos.ne(2047), () -> pos.set(pos.plus(1))));

        // ---- Ethernet header -----------------------------------------------------------------------
        Bits srcMac = reg(new Bits(48)).named("src_mac_reg");
        Bool dstOurs = regInit(new Bool(), 0).named("dst_ours_reg");
        Bool dstBcast = regInit(new Bool(), 0).named("dst_bcast_reg");
        Bits etype = reg(new Bits(16)).named("ethertype_reg");
        when(take, () -> {
            for (int k = 0; k < 6; k++) {
                final int kk = k;
                Bits ourByte = ourMac.part(8 * (5 - kk), 8);
                when(pos.eq(kk), () -> {
                    Bool ob = b.eq(ourByte), bb = b.eq(0xff);
                    dstOurs.set(kk == 0 ? ob : dstOurs.and(ob));
                    dstBcast.set(kk == 0 ? bb : dstBcast.and(bb));
                });
            }
            when(pos.ge(6).and(pos.lt(12)), () -> srcMac.set(Bits.cat(srcMac.slice(39, 0), b)));
            when(pos.eq(12), () -> etype.set(Bits.cat(b, etype.slice(7, 0))));
            when(pos.eq(13), () -> etype.set(Bits.cat(etype.slice(15, 8), b)));
        });
        Bool isArp = let("is_arp", etype.eq(0x0806));
        Bool isIp = let("is_ipv4", etype.eq(0x0800));

        // ---- ARP (bytes 14..41) ------------------------------------------------------------------------
        Bool arpOk = regInit(new Bool(), 0).named("arp_ok_reg");
        Bits arpSha = reg(new Bits(48)).named("arp_sha_reg");
        Bits arpSpa = reg(new Bits(32)).named("arp_spa_reg");
        long[] arpFixed = {0x00, 0x01, 0x08, 0x00, 0x06, 0x04, 0x00, 0x01};
        when(take, () -> {
            when(pos.eq(13), () -> arpOk.set(true));
            for (int k = 0; k < 8; k++) {
                final int kk = k;
                when(pos.eq(14 + kk).and(b.ne(arpFixed[kk])), () -> arpOk.set(false));
            }
            when(pos.ge(22).and(pos.lt(28)), () -> arpSha.set(Bits.cat(arpSha.slice(39, 0), b)));
            when(pos.ge(28).and(pos.lt(32)), () -> arpSpa.set(Bits.cat(arpSpa.slice(23, 0), b)));
            for (int k = 0; k < 4; k++) {
                final int kk = k;
                when(pos.eq(38 + kk).and(b.ne(ourIp.part(8 * (3 - kk), 8))), () -> arpOk.set(false));
            }
        });

        // ---- IPv4 (from byte 14) ---------------------------------------------------------------------
        UInt ihlBytes = regInit(new UInt(7), 20).named("ihl_bytes_reg");
        UInt totalLen = reg(new UInt(16)).named("total_length_reg");
        Bits srcIp = reg(new Bits(32)).named("src_ip_reg");
        Bool ipOk = regInit(new Bool(), 0).named("ip_ok_reg");       // header fields (version, IHL, destination, fragment, source, protocol)
        UInt ipSum = regInit(new UInt(17), 0).named("ip_sum_reg");   // ones' complement sum over the header
        Bits hiByte = reg(new Bits(8)).named("high_byte_reg");
        UInt ipos = let("ip_pos", pos.minus(14));
        // (at byte 14 the IHL is being read: that byte is in the header whatever it says)
        Bool inIpHdr = let("in_ip_header", pos.eq(14).or(pos.gt(14).and(ipos.lt(ihlBytes.zext(11)))));
        when(take, () -> {
            when(pos.eq(14), () -> {
                ihlBytes.set(UInt.cat(b.slice(3, 0).asUInt(), UInt.lit(0, 2)).zext(7));
                ipOk.set(b.slice(7, 4).eq(4).and(b.slice(3, 0).asUInt().ge(5)));
                ipSum.set(0);
            });
            when(pos.eq(16), () -> totalLen.set(UInt.cat(b.asUInt(), totalLen.slice(7, 0))));
            when(pos.eq(17), () -> totalLen.set(UInt.cat(totalLen.slice(15, 8), b.asUInt())));
            // MF or a fragment offset: not answered
            when(pos.eq(20).and(b.bit(5).or(b.slice(4, 0).ne(0))), () -> ipOk.set(false));
            when(pos.eq(21).and(b.ne(0)), () -> ipOk.set(false));
            when(pos.eq(23).and(b.ne(17)), () -> ipOk.set(false));
            when(pos.ge(26).and(pos.lt(30)), () -> srcIp.set(Bits.cat(srcIp.slice(23, 0), b)));
            for (int k = 0; k < 4; k++) {
                final int kk = k;
                when(pos.eq(30 + kk).and(b.ne(ourIp.part(8 * (3 - kk), 8))), () -> ipOk.set(false));
            }
            // the header sum, a 16-bit word per byte pair, end-around carry folded as it goes
            when(inIpHdr.and(ipos.bit(0).not()), () -> hiByte.set(b));
            when(inIpHdr.and(ipos.bit(0)), () -> ipSum.set(addFold(ipSum, Bits.cat(hiByte, b).asUInt())));
        });
        // sources that must not be answered: 0/8, 127/8, 224/3, 255.255.255.255 (the last is inside 224/3)
        Bits s0 = srcIp.slice(31, 24);
        Bool badSource = let("bad_source", s0.eq(0).or(s0.eq(127)).or(s0.slice(7, 5).eq(7)));

        // ---- UDP (from byte 14 + IHL·4) ---------------------------------------------------------------
        // the positions behind the IPv4 header are counted, not computed from pos: a byte's UDP position (pos - 14 - IHL·4,
        // modulo 2048 like pos, and held where pos saturates) is set when the IHL arrives and counts from there
        UInt udpStart = regInit(new UInt(7), 34).named("udp_start_reg");
        UInt upos = regInit(new UInt(11), 0).named("udp_pos_reg");
        Bool afterHdr = regInit(new Bool(), 0).named("after_ip_header_reg");     // pos >= 34 and pos >= udpStart
        UInt udpExtent = reg(new UInt(16)).named("udp_extent_reg");             // total length - IHL·4, from byte 18
        UInt udpLast = regInit(new UInt(11), 2047).named("udp_last_reg");       // UDP length - 1, from UDP byte 6
        when(take, () -> {
            when(pos.eq(14), () -> {
                udpStart.set(UInt.cat(b.slice(3, 0).asUInt(), UInt.lit(0, 2)).zext(7).plus(14));
                upos.set(UInt.lit(1, 11).minus(UInt.cat(b.slice(3, 0).asUInt(), UInt.lit(0, 2)).zext(11)));
            }).elseWhen(pos.ne(2047), () -> upos.set(upos.plus(1)));
            when(in.tlast(), () -> afterHdr.set(false))
                    .elseWhen(pos.eq(33), () -> afterHdr.set(udpStart.le(34)))
                    .elseWhen(pos.ge(34).and(upos.eq(2047)), () -> afterHdr.set(true));
            when(pos.eq(18), () -> udpExtent.set(totalLen.minus(ihlBytes.zext(16))));
            // (2047 is odd: no even position matches before the length is known)
            when(pos.eq(14), () -> udpLast.set(2047));
        });
        UInt udpLen = reg(new UInt(16)).named("udp_length_reg");
        Bits sport = reg(new Bits(16)).named("src_port_reg");
        Bool udpOk = regInit(new Bool(), 0).named("udp_ok_reg");      // destination port 123, source port not 0
        Bool csumZero = regInit(new Bool(), 0).named("udp_csum_zero_reg");
        UInt udpSum = regInit(new UInt(17), 0).named("udp_sum_reg");
        Bits uHi = reg(new Bits(8)).named("udp_high_byte_reg");
        Bool inUdp = let("in_udp", afterHdr.and(upos.lt(udpExtent.trunc(11))).and(upos.lt(2047)));
        when(take.and(afterHdr), () -> {
            when(upos.eq(0), () -> {
                sport.set(Bits.cat(b, sport.slice(7, 0)));
                udpOk.set(true);
                csumZero.set(true);
            });
            when(upos.eq(1), () -> sport.set(Bits.cat(sport.slice(15, 8), b)));
            when(upos.eq(2).and(b.ne(0)), () -> udpOk.set(false));
            when(upos.eq(3).and(b.ne(123)), () -> udpOk.set(false));
            when(upos.eq(4), () -> udpLen.set(UInt.cat(b.asUInt(), udpLen.slice(7, 0))));
            when(upos.eq(5), () -> udpLen.set(UInt.cat(udpLen.slice(15, 8), b.asUInt())));
            when(upos.eq(6), () -> udpLast.set(udpLen.minus(1).trunc(11)));
            when(upos.eq(6).or(upos.eq(7)).and(b.ne(0)), () -> csumZero.set(false));
            when(inUdp.and(upos.bit(0).not()), () -> uHi.set(b));
            // an odd datagram's last byte is summed as the high byte of a word padded with zero
            when(inUdp.and(upos.bit(0).not()).and(upos.eq(udpLast)), () ->
                    udpSum.set(addFold(udpSum, Bits.cat(b, Bits.lit(0, 8)).asUInt())));
            when(inUdp.and(upos.bit(0)), () -> udpSum.set(addFold(udpSum, Bits.cat(uHi, b).asUInt())));
            // the pseudo header's UDP length, in a byte slot with no data word to add
            when(upos.eq(6), () -> udpSum.set(addFold(udpSum, udpLen)));
        });
        // the UDP sum starts with the pseudo header: our address and protocol 17 now, the source address as it arrives
        long pseudoConst = (d.ipv4() >>> 16) + (d.ipv4() & 0xffff) + 17;
        when(first, () -> udpSum.set(UInt.lit((pseudoConst & 0xffff) + (pseudoConst >>> 16), 17)));
        when(take.and(pos.eq(27).or(pos.eq(29))), () -> udpSum.set(addFold(udpSum, Bits.cat(srcIp.slice(7, 0), b).asUInt())));
        Bool udpCsumOk = let("udp_csum_ok", csumZero.or(allOnes(udpSum)));

        // ---- NTP (from UDP byte 8) ----------------------------------------------------------------------
        Bool inNtp = let("in_ntp", afterHdr.and(upos.ge(8)));
        Bits lvm = reg(new Bits(8)).named("ntp_lvm_reg");
        Bits poll = reg(new Bits(8)).named("ntp_poll_reg");
        Bits origin = reg(new Bits(64)).named("ntp_origin_reg");
        when(take.and(inNtp), () -> {
            when(upos.eq(8), () -> lvm.set(b));
            when(upos.eq(10), () -> poll.set(b));
            when(upos.ge(48).and(upos.lt(56)), () -> origin.set(Bits.cat(origin.slice(55, 0), b)));
        });
        UInt vn = let("ntp_version", lvm.slice(5, 3).asUInt());
        UInt payload = let("ntp_length", udpLen.minus(8));
        Bool ntpOk = let("ntp_ok", payload.ge(48).and(vn.ge(1)).and(vn.le(4)).and(lvm.slice(2, 0).eq(3))
                .and(payload.eq(48).or(vn.eq(4))));

        // RFC 7822 walk over the fields behind the header (version 4): a field starts where the byte's position in it,
        // fpos (NTP position - the field's start, modulo 2048), is 0, with efRemain bytes left; fpos is counted a byte
        // ahead: 48 bytes before the first field when the UDP length arrives, and 4 - length (the next field's start) at
        // a field's length
        UInt fpos = regInit(new UInt(11), 0).named("ef_pos_reg");
        UInt efRemain = reg(new UInt(16)).named("ef_remain_reg");
        Bool efOk = regInit(new Bool(), 0).named("ef_ok_reg");
        Bits efType = reg(new Bits(16)).named("ef_type_reg");
        UInt efLen = reg(new UInt(16)).named("ef_length_reg");
        Bool walking = let("ef_walking", efRemain.ne(0));
        when(take.and(pos.ne(2047)), () -> fpos.set(fpos.plus(1)));
        when(take.and(afterHdr), () -> {
            when(upos.eq(5), () -> {
                efOk.set(true);
                fpos.set(UInt.lit(2048 - 50, 11));   // the next byte, UDP byte 6, is 50 before the first field
            });
            when(upos.eq(6), () -> efRemain.set(udpLen.lt(56).mux(UInt.lit(0, 16), udpLen.minus(56))));
            when(inNtp.and(walking), () -> {
                when(fpos.eq(0), () -> {
                    when(efRemain.eq(20).or(efRemain.eq(24)).or(efRemain.lt(16)), () -> {
                        efOk.set(false);
                        efRemain.set(0);
                    });
                    efType.set(Bits.cat(b, efType.slice(7, 0)));
                });
                when(fpos.eq(1), () -> efType.set(Bits.cat(efType.slice(15, 8), b)));
                when(fpos.eq(2), () -> efLen.set(UInt.cat(b.asUInt(), efLen.slice(7, 0))));
                when(fpos.eq(3), () -> {
                    UInt len = UInt.cat(efLen.slice(15, 8), b.asUInt());
                    Bool nts = efType.eq(0x0104).or(efType.eq(0x0204)).or(efType.eq(0x0304)).or(efType.eq(0x0404));
                    when(len.lt(16).or(len.slice(1, 0).ne(0)).or(len.gt(efRemain)).or(nts), () -> {
                        efOk.set(false);
                        efRemain.set(0);
                    }).otherwise(() -> {
                        fpos.set(UInt.lit(4, 11).minus(len.trunc(11)));
                        efRemain.set(efRemain.minus(len));
                    });
                });
            });
        });

        // ---- verdict at the frame's last byte --------------------------------------------------------
        // judged in the cycle after the last byte, when every register holds the whole frame (a next frame's first byte
        // in that cycle changes them only at its end), and acted on in the next: by then that first byte has changed
        // T2 (kept for the answer) and nothing else an answer reads. The frame length's checks are taken at the last
        // byte itself (length = pos + 1, 0 where pos saturated)
        Bool lastIn = let("last_byte_in", take.and(in.tlast()));
        Bool lastByte = regNextInit(lastIn, 0).named("verdict_reg");
        Bool sizeOk = regInit(new Bool(), 0).named("size_ok_reg");
        Bool ipLenOk = regInit(new Bool(), 0).named("ip_length_ok_reg");
        when(lastIn, () -> {
            sizeOk.set(pos.ge(59).and(pos.le(1513)).and(in.tuser().bit(0).not()));
            ipLenOk.set(totalLen.ge(ihlBytes.zext(16)).and(totalLen.le(pos.minus(13).zext(16))).and(pos.ge(33)).and(pos.ne(2047)));
        });
        Bool judgedNtp = let("judged_ntp", lastByte.and(sizeOk).and(isIp).and(dstOurs).and(ipOk).and(ipLenOk)
                .and(allOnes(ipSum)).and(badSource.not()).and(udpOk).and(sport.ne(0))
                .and(udpLen.ge(8)).and(udpLen.eq(udpExtent)).and(udpCsumOk).and(ntpOk)
                .and(efOk).and(efRemain.eq(0).or(payload.eq(48))));
        Bool judgedArp = let("judged_arp", lastByte.and(sizeOk).and(isArp).and(dstOurs.or(dstBcast)).and(arpOk));
        Bool answerNtp = regNextInit(judgedNtp, 0).named("answer_ntp_reg");
        Bool answerArp = regNextInit(judgedArp, 0).named("answer_arp_reg");
        Bool judged = regNextInit(lastByte, 0).named("judged_reg");
        UInt t2Judged = regNext(t2).named("t2_judged_reg");

        // ---- the answer being built / sent ----------------------------------------------------------
        enum TxState { IDLE, WAIT, SEND }
        Fsm<TxState> f = new Fsm<>(this, "tx_state", TxState.class);
        enum ChecksumState { IDLE, PASS, T3WAIT, T3, DONE }
        Fsm<ChecksumState> cs = new Fsm<>(this, "checksum_state", ChecksumState.class);
        // the answer leaving (or about to), and the request just decided
        Job job = (Job) reg(new Job()).named("job");
        Job decided = (Job) wire(new Job()).named("decided");
        decided.arp.set(answerArp);
        decided.mac.set(srcMac);
        decided.ip.set(answerArp.mux(arpSpa, srcIp));
        decided.port.set(sport);
        decided.arpSha.set(arpSha);
        decided.vn.set(lvm.slice(5, 3));
        decided.poll.set(poll);
        decided.origin.set(origin);
        decided.t2.set(t2Judged);
        Bool jobArp = job.arp;
        Bits jMac = job.mac, jIp = job.ip, jPort = job.port, jArpSha = job.arpSha, jVn = job.vn, jPoll = job.poll, jOrigin = job.origin;
        UInt jT2 = job.t2;
        UInt t3 = reg(new UInt(64)).named("t3_reg");
        Bool t3Taken = regInit(new Bool(), 0).named("t3_taken_reg");
        UInt idx = regInit(new UInt(7), 0).named("tx_index_reg");
        UInt wIdx = regInit(new UInt(6), 0).named("sum_word_index_reg");
        UInt ansSum = regInit(new UInt(17), 0).named("udp_acc_reg");
        UInt ipAcc = regInit(new UInt(17), 0).named("ip_acc_reg");
        UInt ipCsum = reg(new UInt(16)).named("ip_checksum_reg");
        UInt udpCsum = reg(new UInt(16)).named("udp_checksum_reg");
        Bool ipDone = regInit(new Bool(), 0).named("ip_checksum_done_reg");
        Bool udpDone = regInit(new Bool(), 0).named("udp_checksum_done_reg");
        Bool busy = let("tx_busy", f.is(TxState.IDLE).not());
        // one answer waiting behind the one leaving (a long answer followed by short requests at line rate)
        Bool pValid = regInit(new Bool(), 0).named("pending_valid_reg");
        Job pending = (Job) reg(new Job()).named("pending");
        Bool due = let("answer_due", answerNtp.or(answerArp));
        Bool held = wire(new Bool()).named("tx_held");
        Bool lastOut = let("last_out", jobArp.mux(idx.eq(59), idx.eq(89)));
        Bool finishing = let("tx_finishing", f.is(TxState.SEND).and(out.ready).and(held.not()).and(lastOut));
        Bool overload = let("overload", due.and(busy).and(pValid).and(finishing.not()));
        ev_answer_ntp.set(answerNtp.and(overload.not()));
        ev_answer_arp.set(answerArp.and(overload.not()));
        ev_overload.set(overload);
        ev_drop.set(judged.and(due.not()));
        // the job being sent: from the request just decided, or from the one waiting
        Bool fromPending = let("start_from_pending", finishing.and(pValid));
        Bool fromNew = let("start_from_new", due.and(f.is(TxState.IDLE).or(finishing.and(pValid.not()))));
        Bool start = let("start_job", fromPending.or(fromNew));
        Bool sArp = fromPending.mux(pending.arp, answerArp);
        when(start, () -> {
            when(fromPending, () -> job.setFrom(pending)).otherwise(() -> job.setFrom(decided));
            idx.set(0);
            t3Taken.set(false);
            // the checksum fields read 0 while they are summed; ARP answers have none
            ipCsum.set(0);
            udpCsum.set(0);
            ipAcc.set(0);
            ansSum.set(0);
            wIdx.set(7);
            ipDone.set(sArp);
            udpDone.set(sArp);
            when(sArp.not(), () -> cs.goTo(ChecksumState.PASS));
            f.goTo(TxState.WAIT);
        });
        // the request just decided waits when the port is busy and nothing else waits (or what waited starts now)
        Bool toPending = let("to_pending", due.and(busy).and(pValid.not().or(finishing)).and(fromNew.not()));
        when(fromPending.and(toPending.not()), () -> pValid.set(false));
        when(toPending, () -> {
            pValid.set(true);
            pending.setFrom(decided);
        });

        // the answer frames (byte 0 in the low bits); the checksum fields from registers
        Bits li = d.synced() ? Bits.lit(0, 2) : Bits.lit(3, 2);
        int stratum = d.synced() ? d.stratum() : 16;
        Bits ntp = Bits.cat(li, jVn, Bits.lit(4, 3), Bits.lit(stratum, 8), jPoll, Bits.lit(d.precision() & 0xff, 8),
                Bits.lit(d.rootDelay(), 32), Bits.lit(d.rootDispersion(), 32), Bits.lit(d.refid(), 32), jT2.slice(63, 32).asBits(),
                Bits.lit(0, 32), jOrigin, jT2.asBits(), t3.asBits());
        Bits ip = Bits.cat(Bits.lit(0x4500, 16), Bits.lit(76, 16), Bits.lit(0, 16), Bits.lit(0x4000, 16), Bits.lit(d.ttl(), 8),
                Bits.lit(17, 8), ipCsum.asBits(), ourIp, jIp);
        Bits udp = Bits.cat(Bits.lit(123, 16), jPort, Bits.lit(56, 16), udpCsum.asBits());
        Bits ntpFrame = littleEndian(Bits.cat(jMac, ourMac, Bits.lit(0x0800, 16), ip, udp, ntp), 90);
        Bits arpFrame = littleEndian(Bits.cat(jMac, ourMac, Bits.lit(0x0806, 16), Bits.lit(0x0001080006040002L, 64), ourMac, ourIp,
                jArpSha, jIp), 90);
        Bits frame = let("answer_frame", jobArp.mux(arpFrame, ntpFrame));
        Bits txByte = slice("tx_byte", frame, idx, 8);

        // the checksums, beside the sending: one 16-bit word of the NTP answer per cycle (words 7..40, bytes 14..81):
        // words 7..16 are the IP header (its checksum field still 0), words 13..40 the pseudo-header addresses, the UDP
        // header (checksum field 0) and the NTP header up to T3; then protocol and length (17 + 56) and, once the first
        // byte has left, T3's four words
        Bits w16 = slice("sum_word", ntpFrame, wIdx, 16);
        UInt word = let("sum_word_value", Bits.cat(w16.slice(7, 0), w16.slice(15, 8)).asUInt());
        cs.on(ChecksumState.PASS, () -> {
            when(wIdx.le(16), () -> ipAcc.set(addFold(ipAcc, word.zext(17))));
            when(wIdx.ge(13), () -> ansSum.set(addFold(ansSum, word.zext(17))));
            when(wIdx.eq(17), () -> {
                ipCsum.set(fold16(ipAcc).not());
                ipDone.set(true);
            });
            wIdx.set(wIdx.plus(1));
            when(wIdx.eq(40), () -> cs.goTo(ChecksumState.T3WAIT));
        });
        UInt step = regInit(new UInt(3), 0).named("checksum_step_reg");
        cs.on(ChecksumState.T3WAIT, () -> {
            // word 40 went in last cycle: the IP checksum is long done
            when(t3Taken, () -> {
                ansSum.set(addFold(ansSum, UInt.lit(17 + 56, 17)));
                step.set(0);
                cs.goTo(ChecksumState.T3);
            });
        });
        cs.on(ChecksumState.T3, () -> {
            var st = switchOn(step);
            for (int k = 0; k < 4; k++) {
                final int kk = k;
                st.is(k, () -> ansSum.set(addFold(ansSum, t3.slice(63 - 16 * kk, 48 - 16 * kk).zext(17))));
            }
            st.otherwise(() -> { });
            step.set(step.plus(1));
            when(step.eq(3), () -> cs.goTo(ChecksumState.DONE));
        });
        cs.on(ChecksumState.DONE, () -> {
            UInt folded = fold16(ansSum).not();
            udpCsum.set(folded.eq(0).mux(UInt.lit(0xffff, 16), folded));
            udpDone.set(true);
            cs.goTo(ChecksumState.IDLE);
        });

        // WAIT: the first byte is offered; T3 is the clock in the cycle it is taken
        Bool firstOut = let("first_out", f.is(TxState.WAIT).and(out.ready));
        when(firstOut, () -> {
            t3.set(clock.now);
            t3Taken.set(true);
            idx.set(1);
            f.goTo(TxState.SEND);
        });
        // a checksum byte waits for its checksum (never behind a MAC, which needs 8 byte slots of preamble first)
        held.set(idx.eq(24).and(ipDone.not()).or(idx.eq(40).and(udpDone.not())));
        f.on(TxState.SEND, () -> when(out.ready.and(held.not()), () -> {
            idx.set(idx.plus(1));
            when(lastOut.and(start.not()), () -> f.goTo(TxState.IDLE));
        }));
        out.valid.set(f.is(TxState.WAIT).or(f.is(TxState.SEND).and(held.not())));
        out.tdata().set(jobArp.and(idx.ge(42)).mux(Bits.lit(0, 8), txByte));
        out.tkeep().set(Bits.lit(1, 1));
        out.tlast().set(f.is(TxState.SEND).and(lastOut));
        out.tuser().set(Bits.lit(0, 1));
    }

    /** What an answer needs from its request. */
    static final class Job extends Bundle {
        final Bool arp = new Bool();
        final Bits mac = new Bits(48);
        final Bits ip = new Bits(32);
        final Bits port = new Bits(16);
        final Bits arpSha = new Bits(48);
        final Bits vn = new Bits(3);
        final Bits poll = new Bits(8);
        final Bits origin = new Bits(64);
        final UInt t2 = new UInt(64);
    }

    /** a + b with the end-around carry of the previous sum folded in (a 17-bit ones'-complement accumulator). */
    private static UInt addFold(UInt acc, UInt word) {
        return acc.slice(15, 0).zext(18).plus(acc.bit(16).asUInt().zext(18)).plus(word.zext(18)).trunc(17);
    }

    /** Does a 17-bit accumulator hold the ones'-complement value 0xFFFF (a checksum that verifies)? Comparisons only. */
    private static Bool allOnes(UInt acc) {
        return acc.eq(0x0ffff).or(acc.eq(0x1fffe));
    }

    /** The 16-bit ones'-complement value of a 17-bit accumulator. */
    private static UInt fold16(UInt acc) {
        UInt s = acc.slice(15, 0).zext(17).plus(acc.bit(16).asUInt().zext(17));
        return s.slice(15, 0).plus(s.bit(16).asUInt().zext(16));
    }
}
