package org.ntsfab.rtl;

import java.util.ArrayList;
import java.util.List;
import org.ntsfab.hdl.Axis;
import org.ntsfab.hdl.Bits;
import org.ntsfab.hdl.Bool;
import org.ntsfab.hdl.Component;
import org.ntsfab.hdl.UInt;
import static org.ntsfab.rtl.OnesComplement.fold;

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
 *     [l3 + 40, l3 + 40 + payload length) for IPv6, else 0
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
        List<Bool> inH = new ArrayList<>(), inL = new ArrayList<>();
        for (int lane = 0; lane < 8; lane++) {
            UInt pos = base.plus(lane);
            Bool kept = in.tkeep().bit(lane);
            inH.add(kept.and(pos.ge(hStart)).and(pos.lt(hEnd)));
            inL.add(kept.and(pos.ge(lStart)).and(pos.lt(lEnd)));
        }
        UInt hBeat = let("ip_hdr_beat_sum", beatSum(data, inH));
        UInt lBeat = let("l4_beat_sum", beatSum(data, inL));
        UInt keptBytes = popcount(in.tkeep());

        validReg.set(false);
        when(in.valid, () -> {
            for (int i = 0; i < WORDS; i++) words[i].set(view[i]);
            when(first, () -> {
                t2Reg.set(now);
                leapReg.set(leap);
                hAcc.set(hBeat);
                lAcc.set(lBeat);
                lenReg.set(keptBytes.zext(13));
                errReg.set(in.tuser().bit(0));
            }).otherwise(() -> {
                hAcc.set(hAcc.plus(hBeat));
                lAcc.set(lAcc.plus(lBeat));
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
    }

    /** Byte {@code i} of the captured view (i < 128). */
    private static Bits byteAt(Bits[] view, int i) {
        return view[i / 8].part(8 * (i % 8), 8);
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
