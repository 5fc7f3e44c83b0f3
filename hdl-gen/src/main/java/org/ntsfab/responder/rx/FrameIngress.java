package org.ntsfab.responder.rx;

import java.util.ArrayList;
import java.util.List;
import org.ntsfab.hdl.Axis;
import org.ntsfab.hdl.Bits;
import org.ntsfab.hdl.Bool;
import org.ntsfab.hdl.Component;
import org.ntsfab.hdl.UInt;
import static org.ntsfab.ip.eth.OnesComplement.fold;

/**
 * The responder's receive front end: while a frame streams in (64-bit beats, always ready) it
 * captures the first {@value #HDR_BYTES} bytes, stamps T2 (the clock at the first beat), and sums,
 * in ones' complement, the IP header and the layer-4 bytes at whatever offsets this frame's
 * headers put them; one cycle after the last beat it presents one descriptor ({@code desc_*},
 * valid for the one cycle {@code desc_valid} is high):
 * <ul>
 * <li>{@code hdr}: bytes 0..135 of the frame (byte i at bits 8i+7..8i; zero past the end);
 * <li>{@code length} (bytes, saturating at 8191), {@code rx_error} (any beat's tuser);
 * <li>{@code t2}, {@code t2_leap}: the clock and its leap indicator in the cycle the first beat was accepted;
 * <li>{@code ip_hdr_sum}: folded sum of bytes [l3, l3 + H) when the EtherType is IPv4, else 0, where
 *     H = max(4·IHL, 20);
 * <li>{@code l4_sum}: folded sum of bytes [l3 + H, l3 + total length) for IPv4, or
 *     [l3 + 40, l3 + 40 + payload length) for IPv6, else 0;
 * <li>{@code l4_tail_sum}: the same range without its first four bytes (an ICMP message without
 *     type, code and checksum: what an echo reply's checksum is computed from);
 * <li>{@code ef_status}, {@code ef_nts}: the RFC 7822 extension-field walk over the UDP payload
 *     from NTP byte 48 to the layer-4 end, as docs/responder-spec.md §8.1 defines it (0 fields well
 *     formed, 1 a legacy MAC trailer of 20 or 24 bytes, 2 a field breaking the length rules), and
 *     whether a field of an NTS type (0x0104, 0x0204, 0x0304, 0x0404) was seen. Meaningful for UDP
 *     frames whose headers the decision stage accepts; fields are at least 16 bytes long, so one
 *     field header at most completes per beat, and the walk keeps pace with the stream.
 * </ul>
 * where l3 is 18 after an 802.1Q tag, else 14, and every range is cut at the frame's end. Bytes
 * are summed as big-endian 16-bit words from even frame offsets (all IP ranges start even). The
 * decision stage adds pseudo-headers and applies docs/responder-spec.md.
 */
public final class FrameIngress extends Component {
    /** Enough for the NTP header behind a VLAN tag and IPv4 options: 18 + 60 + 8 + 48 = 134. */
    public static final int HDR_BYTES = 136;
    private static final int WORDS = HDR_BYTES / 8;

    public final Axis in;
    public final UInt now;
    public final UInt leap;
    public final Bool desc_valid;
    public final IngressDescriptor desc;

    public FrameIngress() {
        moduleName("frame_ingress");
        in = slave(new Axis(8, 1));
        now = in(new UInt(64));
        leap = in(new UInt(2));
        desc_valid = out(new Bool());
        desc = out(new IngressDescriptor());
        in.ready.set(true);

        Bool inFrame = regInit(new Bool(), 0).named("in_frame_reg");
        UInt beat = regInit(new UInt(10), 0).named("beat_reg");
        Bits[] words = new Bits[WORDS];
        for (int i = 0; i < WORDS; i++) words[i] = reg(new Bits(64)).named("hdr_word" + i + "_reg");
        UInt t2Reg = reg(new UInt(64)).named("t2_reg");
        UInt leapReg = reg(new UInt(2)).named("t2_leap_reg");
        UInt lenReg = reg(new UInt(13)).named("length_reg");
        Bool errReg = reg(new Bool()).named("error_reg");
        UInt hAcc = reg(new UInt(32)).named("ip_hdr_acc_reg");
        UInt lAcc = reg(new UInt(32)).named("l4_acc_reg");
        UInt tAcc = reg(new UInt(32)).named("l4_tail_acc_reg");
        Bool validReg = regInit(new Bool(), 0).named("desc_valid_reg");

        Bool first = let("first_beat", in.valid.and(inFrame.not()));
        UInt beatIdx = let("beat_index", first.mux(UInt.lit(0, 10), beat));
        Bits data = in.tdata();

        // the header as it stands including this beat: later fields are read "live" in the beat they arrive
        Bits[] view = new Bits[WORDS];
        for (int i = 0; i < WORDS; i++) {
            Bool here = in.valid.and(beatIdx.eq(i));
            Bits old = first.mux(Bits.lit(0, 64), words[i]);
            view[i] = let("hdr_view" + i, here.mux(data, old));
        }
        Bits etherOuter = be16(view, 12);
        Bool tagged = let("tagged", etherOuter.eq(0x8100));
        UInt l3 = let("l3_offset", tagged.mux(UInt.lit(18, 17), UInt.lit(14, 17)));
        Bits etherType = tagged.mux(be16(view, 16), etherOuter);
        Bool ipv4 = let("is_ipv4", etherType.eq(0x0800));
        Bool ipv6 = let("is_ipv6", etherType.eq(0x86dd));
        Bits verIhl = tagged.mux(byteAt(view, 18), byteAt(view, 14));
        // 4·IHL, at least 20: an IHL below 5 is dropped later anyway, and the floor keeps every range
        // boundary behind bytes that have already arrived
        UInt ihlRaw = UInt.cat(verIhl.slice(3, 0).asUInt(), UInt.lit(0, 2)).zext(17);
        UInt ihlBytes = let("ihl_bytes", ihlRaw.lt(20).mux(UInt.lit(20, 17), ihlRaw));
        UInt total = tagged.mux(be16(view, 20), be16(view, 16)).asUInt().zext(17);
        UInt plen = tagged.mux(be16(view, 22), be16(view, 18)).asUInt().zext(17);
        UInt hStart = l3;
        UInt hEnd = let("ip_hdr_end", ipv4.mux(l3.plus(ihlBytes), l3));
        UInt lStart = let("l4_start", ipv4.mux(l3.plus(ihlBytes), l3.plus(40)));
        UInt lEnd = let("l4_end", ipv4.mux(l3.plus(total), ipv6.mux(l3.plus(40).plus(plen), l3.plus(40))));

        // per byte lane: in which ranges does this byte fall? (positions are 17 bits: l3 + 65535 fits)
        UInt base = let("beat_base", UInt.cat(beatIdx, UInt.lit(0, 3)).zext(17));
        UInt tStart = let("l4_tail_start", lStart.plus(4));
        List<Bool> inH = new ArrayList<>(), inL = new ArrayList<>(), inT = new ArrayList<>();
        for (int lane = 0; lane < 8; lane++) {
            UInt pos = base.plus(lane);
            Bool kept = in.tkeep().bit(lane);
            inH.add(kept.and(pos.ge(hStart)).and(pos.lt(hEnd)));
            inL.add(kept.and(pos.ge(lStart)).and(pos.lt(lEnd)));
            inT.add(kept.and(pos.ge(tStart)).and(pos.lt(lEnd)));
        }
        UInt hBeat = let("ip_hdr_beat_sum", beatSum(data, inH));
        UInt lBeat = let("l4_beat_sum", beatSum(data, inL));
        UInt tBeat = let("l4_tail_beat_sum", beatSum(data, inT));

        // ---- extension-field walk: p = the next field's first byte (absolute), end = the layer-4 end
        // q counts from the UDP header; the absolute position follows l4_start once the IP header is in
        UInt efQ = reg(new UInt(17)).named("ef_offset_reg");
        Bool efDone = reg(new Bool()).named("ef_done_reg");
        UInt efStat = reg(new UInt(2)).named("ef_status_reg");
        Bool efNts = reg(new Bool()).named("ef_nts_reg");
        Bits prevData = reg(new Bits(64)).named("prev_data_reg");
        UInt q = first.mux(UInt.lit(8 + 48, 17), efQ);
        UInt p = let("ef_pos", lStart.plus(q));
        UInt rem = let("ef_remaining", lEnd.minus(p));
        Bool walking = let("ef_walking", first.or(efDone.not()));
        // byte x of the frame for x in [base - 8, base + 8): from the previous beat or this one
        Bits window = Bits.cat(data, first.mux(Bits.lit(0, 64), prevData));
        UInt winBase = let("ef_window_rel", p.minus(base).plus(8));
        Bits fieldHdr = let("ef_field_header", Bits.cat(byteOf(window, winBase), byteOf(window, winBase.plus(1)),
                byteOf(window, winBase.plus(2)), byteOf(window, winBase.plus(3))));
        UInt fieldLen = fieldHdr.slice(15, 0).asUInt();
        Bits fieldType = fieldHdr.slice(31, 16);
        Bool reached = let("ef_reached", in.valid.and(p.lt(base.plus(8))));
        Bool lengthIn = let("ef_length_in", in.valid.and(p.plus(3).lt(base.plus(8))));
        Bool atEnd = p.ge(lEnd);
        Bool macTrailer = rem.eq(20).or(rem.eq(24));
        Bool tooShort = rem.lt(16);
        Bool lenBad = fieldLen.lt(16).or(fieldLen.slice(1, 0).ne(0)).or(fieldLen.zext(17).gt(rem));
        Bool ntsType = fieldType.eq(0x0104).or(fieldType.eq(0x0204)).or(fieldType.eq(0x0304)).or(fieldType.eq(0x0404));
        // status if the frame ended here: the rules at p with no more bytes to come
        UInt finalStatus = atEnd.mux(UInt.lit(0, 2), macTrailer.mux(UInt.lit(1, 2), UInt.lit(2, 2)));
        UInt keptBytes = popcount(in.tkeep());

        validReg.set(false);
        when(in.valid, () -> {
            prevData.set(data);
            when(first, () -> {
                efQ.set(q);
                efDone.set(false);
                efStat.set(0);
                efNts.set(false);
            });
            when(walking.and(reached), () -> {
                when(atEnd, () -> {
                    efDone.set(true);
                    efStat.set(0);
                }).elseWhen(macTrailer, () -> {
                    efDone.set(true);
                    efStat.set(1);
                }).elseWhen(tooShort, () -> {
                    efDone.set(true);
                    efStat.set(2);
                }).elseWhen(lengthIn, () -> {
                    when(lenBad, () -> {
                        efDone.set(true);
                        efStat.set(2);
                    }).otherwise(() -> {
                        efQ.set(q.plus(fieldLen.zext(17)));
                        when(ntsType, () -> efNts.set(true));
                    });
                });
            });
            // a walk the stream ended before it reached p: decide at p without more bytes
            when(in.tlast().and(walking).and(reached.not().or(lengthIn.not()).or(atEnd)), () -> {
                efDone.set(true);
                efStat.set(finalStatus);
            });
            for (int i = 0; i < WORDS; i++) words[i].set(view[i]);
            when(first, () -> {
                t2Reg.set(now);
                leapReg.set(leap);
                hAcc.set(hBeat);
                lAcc.set(lBeat);
                tAcc.set(tBeat);
                lenReg.set(keptBytes.zext(13));
                errReg.set(in.tuser().bit(0));
            }).otherwise(() -> {
                hAcc.set(hAcc.plus(hBeat));
                lAcc.set(lAcc.plus(lBeat));
                tAcc.set(tAcc.plus(tBeat));
                UInt sum = lenReg.plusExpand(keptBytes.zext(13));
                lenReg.set(sum.bit(13).mux(UInt.lit(8191, 13), sum.trunc(13)));
                errReg.set(errReg.or(in.tuser().bit(0)));
            });
            UInt nextBeat = beatIdx.plusExpand(UInt.lit(1, 10));
            beat.set(nextBeat.bit(10).mux(UInt.lit(1023, 10), nextBeat.trunc(10)));
            inFrame.set(in.tlast().not());
            when(in.tlast(), () -> validReg.set(true));
        });

        desc_valid.set(validReg);
        List<Bits> hw = new ArrayList<>();
        for (int i = WORDS - 1; i >= 0; i--) hw.add(words[i]);
        desc.hdr.set(Bits.cat(hw));
        desc.length.set(lenReg);
        desc.rx_error.set(errReg);
        desc.t2.set(t2Reg);
        desc.t2_leap.set(leapReg);
        desc.ip_hdr_sum.set(fold(hAcc));
        desc.l4_sum.set(fold(lAcc));
        desc.l4_tail_sum.set(fold(tAcc));
        desc.ef_status.set(efStat);
        desc.ef_nts.set(efNts);
    }

    /** Byte {@code i} of the captured view (i < 128). */
    private static Bits byteAt(Bits[] view, int i) {
        return view[i / 8].part(8 * (i % 8), 8);
    }

    /** Byte {@code idx} (0..15, from the low end) of a 128-bit window. */
    private static Bits byteOf(Bits window, UInt idx) {
        Bits r = window.part(0, 8);
        for (int i = 1; i < 16; i++) r = idx.slice(3, 0).eq(i).mux(window.part(8 * i, 8), r);
        return r;
    }

    private static Bits be16(Bits[] view, int i) {
        return Bits.cat(byteAt(view, i), byteAt(view, i + 1));
    }

    /** Sum of the four big-endian 16-bit words of a beat, bytes outside the mask counted as zero. */
    private static UInt beatSum(Bits data, List<Bool> mask) {
        UInt s = null;
        for (int w = 0; w < 4; w++) {
            Bits hi = mask.get(2 * w).mux(data.part(16 * w, 8), Bits.lit(0, 8));
            Bits lo = mask.get(2 * w + 1).mux(data.part(16 * w + 8, 8), Bits.lit(0, 8));
            UInt word = Bits.cat(hi, lo).asUInt().zext(32);
            s = s == null ? word : s.plus(word);
        }
        return s;
    }

    private static UInt popcount(Bits b) {
        UInt s = UInt.lit(0, 4);
        for (int i = 0; i < b.width(); i++) s = s.plus(b.bit(i).asUInt().zext(4));
        return s;
    }

}
