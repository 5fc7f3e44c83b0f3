package org.ntsfab.responder.rx;

import java.util.ArrayList;
import java.util.List;
import org.ntsfab.hdl.Axis;
import org.ntsfab.hdl.Bits;
import org.ntsfab.hdl.Bool;
import org.ntsfab.hdl.Bundle;
import org.ntsfab.hdl.Component;
import org.ntsfab.hdl.Flow;
import org.ntsfab.hdl.SInt;
import org.ntsfab.hdl.Signal;
import org.ntsfab.hdl.UInt;
import static org.ntsfab.ip.eth.OnesComplement.fold;

/**
 * The responder's receive front end: while a frame streams in (64-bit beats, always ready) it
 * captures the first {@value #HDR_BYTES} bytes, stamps T2 (the clock at the first beat), and sums,
 * in ones' complement, the IP header and the layer-4 bytes at whatever offsets this frame's
 * headers put them; {@value #DESC_LATENCY} cycles after the last beat it presents one descriptor
 * ({@code desc_*}, valid for the one cycle {@code desc_valid} is high):
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
 *     frames whose headers the decision stage accepts.
 * </ul>
 * where l3 is 18 after an 802.1Q tag, else 14, and every range is cut at the frame's end. Bytes
 * are summed as big-endian 16-bit words from even frame offsets (all IP ranges start even). The
 * decision stage adds pseudo-headers and applies docs/responder-spec.md.
 *
 * <p>Pipeline (cycle c is a beat's arrival; every stage takes one beat per cycle, so frames of any
 * length follow each other back to back): c, the header fields that place the ranges (EtherType,
 * IHL, lengths) are captured as they arrive; c+1, the ranges are derived from them and each byte
 * lane of the beat is masked; c+2, the masked words of the beat are added up, and the candidate
 * extension-field headers of the beat (one per byte offset a field could start at) are decoded;
 * c+3, the sums are accumulated, and the walk takes the candidate at its position if the field's
 * header completes in this beat (fields are at least 16 bytes, so the next one completes two beats
 * later at the earliest: a step's follow-up, the next position's end tests, takes the cycle in
 * between); c+4, the header words are written and the sums folded; the descriptor is out at c+5
 * for the last beat.
 */
public final class FrameIngress extends Component {
    /** Enough for the NTP header behind a VLAN tag and IPv4 options: 18 + 60 + 8 + 48 = 134. */
    public static final int HDR_BYTES = 136;
    /** Cycles from a frame's last beat to its descriptor. */
    public static final int DESC_LATENCY = 5;
    private static final int WORDS = HDR_BYTES / 8;
    /** Positions in the frame: l3 + 40 + 65535 fits. */
    private static final int POS = 17;
    /** The walk's first position, relative to the layer-4 start: the UDP header and the NTP header. */
    private static final int WALK_FROM = 8 + 48;

    /** A beat in the pipeline, with where it stands in its frame. */
    static final class RxBeat extends Bundle {
        final Bits data = new Bits(64);
        final Bits keep = new Bits(8);
        final Bool last = new Bool();
        final Bool error = new Bool();
        final Bool first = new Bool();
        /** Beat number in the frame, saturating at 1023. */
        final UInt index = new UInt(10);
    }

    /** The byte ranges of a frame, from its Ethernet and IP headers (absolute byte positions). */
    static final class Ranges extends Bundle {
        final UInt ip_hdr_start = new UInt(POS);
        final UInt ip_hdr_end = new UInt(POS);
        final UInt l4_start = new UInt(POS);
        final UInt l4_tail_start = new UInt(POS);
        final UInt l4_end = new UInt(POS);
        /** l4_end - l4_start (negative for an IPv4 total length short of its header). */
        final SInt l4_length = new SInt(POS + 1);
    }

    /** What the walk needs to know about a position before it reads the field there. */
    static final class WalkPosition extends Bundle {
        final UInt pos = new UInt(POS);
        /** The last byte of the 4-byte field header at {@code pos}: pos + 3. */
        final UInt header_end = new UInt(POS);
        /** The beat in which that header completes: (pos + 3) / 8. */
        final UInt beat = new UInt(14);
        /** l4_end - pos (meaningful when not at the end). */
        final UInt remaining = new UInt(POS);
        /** The walk ends here without reading a field: at the end, a MAC trailer, or too short for a field. */
        final Bool ends = new Bool();
        /** The status it ends with then. */
        final UInt end_status = new UInt(2);
    }

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

        // ---- cycle c: the beat as it arrives; T2; the header fields that place the ranges -------------
        Bool inFrame = regInit(new Bool(), 0).named("in_frame_reg");
        UInt beat = regInit(new UInt(10), 0).named("beat_reg");
        UInt t2Reg = reg(new UInt(64)).named("t2_reg");
        UInt leapReg = reg(new UInt(2)).named("t2_leap_reg");
        Bool first = let("first_beat", in.valid.and(inFrame.not()));
        UInt beatIdx = let("beat_index", first.mux(UInt.lit(0, 10), beat));
        Bits data = in.tdata();
        when(in.valid, () -> {
            UInt nextBeat = beatIdx.plusExpand(UInt.lit(1, 10));
            beat.set(nextBeat.bit(10).mux(UInt.lit(1023, 10), nextBeat.trunc(10)));
            inFrame.set(in.tlast().not());
        });
        when(first, () -> {
            t2Reg.set(now);
            leapReg.set(leap);
        });
        Flow<RxBeat> live = new Flow<>(new RxBeat());
        wire(live).named("rx_beat");
        live.valid.set(in.valid);
        live.payload.data.set(data);
        live.payload.keep.set(in.tkeep());
        live.payload.last.set(in.tlast());
        live.payload.error.set(in.tuser().bit(0));
        live.payload.first.set(first);
        live.payload.index.set(beatIdx);

        // header fields as they stand after the beats so far (zero before they arrive), compared as they come
        Bool outerVlan = regInit(new Bool(), 0).named("ether_outer_vlan_reg");     // bytes 12-13 = 0x8100
        Bool outerV4 = regInit(new Bool(), 0).named("ether_outer_ipv4_reg");       // bytes 12-13 = 0x0800
        Bool outerV6 = regInit(new Bool(), 0).named("ether_outer_ipv6_reg");       // bytes 12-13 = 0x86dd
        Bool innerV4 = regInit(new Bool(), 0).named("ether_inner_ipv4_reg");       // bytes 16-17 = 0x0800
        Bool innerV6 = regInit(new Bool(), 0).named("ether_inner_ipv6_reg");       // bytes 16-17 = 0x86dd
        UInt ihlUntagged = regInit(new UInt(4), 0).named("ihl_untagged_reg");      // byte 14, low nibble
        Bits word2 = regInit(new Bits(64), 0).named("hdr_bytes16_23_reg");         // lengths at 16-17, 18-19, 20-21, 22-23
        when(in.valid, () -> {
            when(first, () -> {
                outerVlan.set(false);
                outerV4.set(false);
                outerV6.set(false);
                innerV4.set(false);
                innerV6.set(false);
                ihlUntagged.set(0);
                word2.set(Bits.lit(0, 64));
            });
            when(beatIdx.eq(1), () -> {
                Bits e = be16(data, 4);
                outerVlan.set(e.eq(0x8100));
                outerV4.set(e.eq(0x0800));
                outerV6.set(e.eq(0x86dd));
                ihlUntagged.set(data.part(48, 4).asUInt());
            });
            when(beatIdx.eq(2), () -> {
                innerV4.set(be16(data, 0).eq(0x0800));
                innerV6.set(be16(data, 0).eq(0x86dd));
                word2.set(data);
            });
        });

        // ---- cycle c+1: the ranges, and this beat's byte lanes in each ------------------------------------
        Flow<RxBeat> d1 = stage(live, "rx_d1");
        Bool isV4 = let("is_ipv4", outerVlan.mux(innerV4, outerV4));
        Bool isV6 = let("is_ipv6", outerVlan.mux(innerV6, outerV6));
        UInt l3 = outerVlan.mux(UInt.lit(18, POS), UInt.lit(14, POS));
        // 4·IHL, at least 20: an IHL below 5 is dropped later anyway
        UInt ihlNibble = outerVlan.mux(word2.part(16, 4).asUInt(), ihlUntagged);
        UInt ihlRaw = UInt.cat(ihlNibble, UInt.lit(0, 2)).zext(POS);
        UInt ihlBytes = let("ihl_bytes", ihlRaw.lt(20).mux(UInt.lit(20, POS), ihlRaw));
        UInt total = outerVlan.mux(be16(word2, 4), be16(word2, 0)).asUInt().zext(POS);
        UInt plen = outerVlan.mux(be16(word2, 6), be16(word2, 2)).asUInt().zext(POS);
        Ranges rangesNow = new Ranges();
        wire(rangesNow).named("range_next");
        UInt afterIp = l3.plus(ihlBytes);
        UInt l4Start = isV4.mux(afterIp, l3.plus(40));
        rangesNow.ip_hdr_start.set(l3);
        rangesNow.ip_hdr_end.set(isV4.mux(afterIp, l3));
        rangesNow.l4_start.set(l4Start);
        rangesNow.l4_tail_start.set(l4Start.plus(4));
        rangesNow.l4_end.set(isV4.mux(l3.plus(total), isV6.mux(l3.plus(40).plus(plen), l3.plus(40))));
        // from the lengths themselves: total - IHL (IPv4), the payload length (IPv6), else 0
        SInt v4Len = total.zext(POS + 1).asSInt().minus(ihlBytes.zext(POS + 1).asSInt());
        rangesNow.l4_length.set(isV4.mux(v4Len, isV6.mux(plen.zext(POS + 1).asSInt(), SInt.lit(0, POS + 1))));
        // the ranges as of the beats before d1's (for d1 from beat 3 on: all the fields they depend on are in)
        Ranges ranges = (Ranges) reg(new Ranges()).named("range");
        ranges.setFrom(rangesNow);

        RxBeat b1 = d1.payload;
        // beats 0..2 hold no layer-4 byte (it starts at 34 or later), and their IP header bytes are those from l3 on
        Bool early = let("early_beat", b1.index.lt(3));
        Bits[] masks = new Bits[3];
        String[] rangeNames = {"ip_hdr", "l4", "l4_tail"};
        for (int r = 0; r < 3; r++) {
            List<Bool> lanes = new ArrayList<>();
            for (int lane = 0; lane < 8; lane++) {
                UInt pos = UInt.cat(b1.index, UInt.lit(lane, 3)).zext(POS);
                Bool inRange;
                if (r == 0) {
                    // beat 1: bytes 14-15 untagged; beat 2: bytes 16-23 untagged, 18-23 tagged
                    Bool earlyIn = b1.index.eq(2).and(lane >= 2 ? isV4 : outerV4);
                    if (lane >= 6) earlyIn = earlyIn.or(b1.index.eq(1).and(outerV4));
                    Bool lateIn = pos.ge(ranges.ip_hdr_start).and(pos.lt(ranges.ip_hdr_end));
                    inRange = early.mux(earlyIn, lateIn);
                } else {
                    UInt start = r == 1 ? ranges.l4_start : ranges.l4_tail_start;
                    inRange = early.not().and(pos.ge(start)).and(pos.lt(ranges.l4_end));
                }
                lanes.add(d1.valid.and(b1.keep.bit(lane)).and(inRange));
            }
            java.util.Collections.reverse(lanes);
            masks[r] = regNext(let(rangeNames[r] + "_lanes", Bits.cat(lanes))).named(rangeNames[r] + "_lanes_reg");
        }
        // the walk's start and its end tests, one cycle behind the ranges
        WalkPosition startNow = new WalkPosition();
        wire(startNow).named("walk_start_next");
        UInt walkStart = let("walk_start_pos", ranges.l4_start.plus(WALK_FROM));
        walkTests(startNow, walkStart, ranges.l4_start.plus(WALK_FROM + 3), ranges.l4_length.minus(WALK_FROM));
        WalkPosition walkStartPos = (WalkPosition) reg(new WalkPosition()).named("walk_start");
        walkStartPos.setFrom(startNow);
        UInt walkEnd = regNext(ranges.l4_end).named("walk_l4_end_reg");

        // ---- cycle c+2: each range's sum over this beat; the beat's candidate field headers -------------
        Flow<RxBeat> d2 = stage(d1, "rx_d2");
        RxBeat b2 = d2.payload;
        UInt[] beatSums = new UInt[3];
        for (int r = 0; r < 3; r++)
            beatSums[r] = regNext(let(rangeNames[r] + "_beat_sum", beatSum(b2.data, masks[r]))).named(rangeNames[r] + "_beat_sum_reg");
        // a field header completing in this beat starts at one of 8 offsets, in the previous beat (its last 3
        // bytes) or this one (its first 5); candidate k starts at the byte whose position is k mod 8
        Bits prevData = reg(new Bits(64)).named("prev_data_reg");
        when(d2.valid, () -> prevData.set(b2.data));
        Bits window = Bits.cat(b2.data, prevData);
        // the walk's position as it will stand when this beat reaches it (a step's follow-up completes it now; a
        // position just stepped to or started from has its field two beats later at the earliest, when this holds)
        Bool tested = reg(new Bool()).named("ef_tested_reg");
        WalkPosition at = (WalkPosition) reg(new WalkPosition()).named("ef_at");
        UInt atEnd = reg(new UInt(POS)).named("ef_l4_end_reg");
        WalkPosition nextTests = new WalkPosition();
        wire(nextTests).named("ef_at_next");
        walkTests(nextTests, at.pos, at.header_end, atEnd.zext(POS + 1).asSInt().minus(at.pos.zext(POS + 1).asSInt()));
        UInt remSoon = let("ef_remaining_soon", tested.mux(at.remaining, nextTests.remaining));
        UInt beatSoon = tested.mux(at.beat, nextTests.beat);
        Bool dueReg = regNext(beatSoon.eq(b2.index.zext(14))).named("ef_field_due_reg");
        List<Bits> candLen = new ArrayList<>();
        List<Bool> candBad = new ArrayList<>(), candNts = new ArrayList<>();
        for (int k = 0; k < 8; k++) {
            int w = k >= 5 ? k : k + 8;
            Bits type = Bits.cat(window.part(8 * w, 8), window.part(8 * (w + 1), 8));
            Bits len = Bits.cat(window.part(8 * (w + 2), 8), window.part(8 * (w + 3), 8));
            // the length rules: at least 16, a multiple of 4, within the layer-4 bytes left
            Bool bad = len.asUInt().lt(16).or(len.slice(1, 0).ne(0)).or(len.asUInt().zext(POS).gt(remSoon));
            Bool nts = type.eq(0x0104).or(type.eq(0x0204)).or(type.eq(0x0304)).or(type.eq(0x0404));
            candLen.add(regNext(len).named("ef_cand" + k + "_length_reg"));
            candBad.add(regNext(bad).named("ef_cand" + k + "_length_bad_reg"));
            candNts.add(regNext(nts).named("ef_cand" + k + "_nts_reg"));
        }

        // ---- cycle c+3: accumulate; the extension-field walk -------------------------------------------
        Flow<RxBeat> d3 = stage(d2, "rx_d3");
        RxBeat b3 = d3.payload;
        UInt[] accs = new UInt[3];
        String[] accNames = {"ip_hdr_acc_reg", "l4_acc_reg", "l4_tail_acc_reg"};
        for (int r = 0; r < 3; r++) {
            UInt acc = reg(new UInt(32)).named(accNames[r]);
            UInt bs = beatSums[r].zext(32);
            when(d3.valid, () -> acc.set(b3.first.mux(bs, acc.plus(bs))));
            accs[r] = acc;
        }

        // walk state: the next field's position (and its tests), done, status, NTS type seen
        Bool armed = regInit(new Bool(), 0).named("ef_armed_reg");
        Bool efDone = reg(new Bool()).named("ef_done_reg");
        UInt efStat = reg(new UInt(2)).named("ef_status_reg");
        Bool efNts = reg(new Bool()).named("ef_nts_reg");
        // the walk starts at beat 2 (the ranges are complete), or at the last beat of a shorter frame
        Bool start = let("ef_start", d3.valid.and(b3.index.eq(2).or(b3.last.and(b3.index.lt(2)))));
        Bool walking = let("ef_walking", armed.and(efDone.not()).and(tested));
        UInt sel = at.pos.slice(2, 0);
        UInt fieldLen = let("ef_field_length", pick(candLen, sel).asUInt());
        Bool fieldNts = pick(candNts, sel);
        // the field header at the position completes in this beat
        Bool here = let("ef_field_here", walking.and(at.ends.not()).and(d3.valid).and(dueReg));
        Bool lenBad = let("ef_length_bad", pick(candBad, sel));
        UInt nextPos = let("ef_next_pos", at.pos.plus(fieldLen.zext(POS)));
        when(start, () -> {
            armed.set(true);
            efDone.set(false);
            efStat.set(0);
            efNts.set(false);
            tested.set(true);
            at.setFrom(walkStartPos);
            atEnd.set(walkEnd);
        }).otherwise(() -> {
            when(d3.valid.and(b3.first), () -> armed.set(false));
            // a step's follow-up: the end tests of the position it moved to
            when(tested.not(), () -> {
                at.setFrom(nextTests);
                tested.set(true);
            });
            when(walking.and(at.ends), () -> {
                efDone.set(true);
                efStat.set(at.end_status);
            }).elseWhen(here, () -> {
                when(lenBad, () -> {
                    efDone.set(true);
                    efStat.set(2);
                }).otherwise(() -> {
                    at.pos.set(nextPos);
                    at.header_end.set(at.header_end.plus(fieldLen.zext(POS)));
                    tested.set(false);
                    when(fieldNts, () -> efNts.set(true));
                    // a field whose header completes in the frame's last beat ends the walk well formed (the next
                    // position lies past the frame's bytes)
                    when(b3.last, () -> efDone.set(true));
                });
            });
        });

        // ---- cycle c+4: the header words, length and error; fold the sums; the walk's outcome ----------
        Flow<RxBeat> d4 = stage(d3, "rx_d4");
        RxBeat b4 = d4.payload;
        Bits[] words = new Bits[WORDS];
        for (int i = 0; i < WORDS; i++) words[i] = reg(new Bits(64)).named("hdr_word" + i + "_reg");
        UInt lenReg = reg(new UInt(13)).named("length_reg");
        Bool errReg = reg(new Bool()).named("error_reg");
        UInt keptBytes = regNext(popcount(b3.keep)).named("rx_d4_kept_bytes_reg");
        when(d4.valid, () -> {
            for (int i = 0; i < WORDS; i++) {
                final int ii = i;
                when(b4.first, () -> words[ii].set(Bits.lit(0, 64)));
                when(b4.index.eq(i), () -> words[ii].set(b4.data));
            }
            when(b4.first, () -> {
                lenReg.set(keptBytes.zext(13));
                errReg.set(b4.error);
            }).otherwise(() -> {
                UInt sum = lenReg.plusExpand(keptBytes.zext(13));
                lenReg.set(sum.bit(13).mux(UInt.lit(8191, 13), sum.trunc(13)));
                errReg.set(errReg.or(b4.error));
            });
        });
        UInt hSum = regNext(fold(accs[0])).named("ip_hdr_sum_reg");
        UInt lSum = regNext(fold(accs[1])).named("l4_sum_reg");
        UInt tSum = regNext(fold(accs[2])).named("l4_tail_sum_reg");
        // the cycle after the last beat's walk step: a walk still going ends where it stands, with the frame
        UInt outStat = regNext(efDone.mux(efStat, tested.and(at.ends).mux(at.end_status, UInt.lit(2, 2))))
                .named("ef_status_out_reg");
        Bool outNts = regNext(efNts).named("ef_nts_out_reg");
        // T2 from its capture (where it holds until the next frame's first beat at the earliest) to the descriptor
        UInt t2Out = t2Reg, leapOut = leapReg;
        for (int i = 1; i < DESC_LATENCY; i++) {
            t2Out = regNext(t2Out).named("t2_d" + i + "_reg");
            leapOut = regNext(leapOut).named("t2_leap_d" + i + "_reg");
        }
        Bool validReg = regNextInit(d4.valid.and(b4.last), 0).named("desc_valid_reg");

        desc_valid.set(validReg);
        List<Bits> hw = new ArrayList<>();
        for (int i = WORDS - 1; i >= 0; i--) hw.add(words[i]);
        desc.hdr.set(Bits.cat(hw));
        desc.length.set(lenReg);
        desc.rx_error.set(errReg);
        desc.t2.set(t2Out);
        desc.t2_leap.set(leapOut);
        desc.ip_hdr_sum.set(hSum);
        desc.l4_sum.set(lSum);
        desc.l4_tail_sum.set(tSum);
        desc.ef_status.set(outStat);
        desc.ef_nts.set(outNts);
    }

    /** One pipeline stage: the beat one cycle later. */
    private Flow<RxBeat> stage(Flow<RxBeat> from, String name) {
        Flow<RxBeat> r = new Flow<>(new RxBeat());
        regInit(r.valid, 0);
        reg(r.payload);
        for (Bundle.Leaf l : r.flatten()) l.signal().named(name + "_" + l.path() + "_reg");
        r.valid.set(from.valid);
        r.payload.setFrom(from.payload);
        return r;
    }

    /**
     * The walk's tests at {@code pos}, {@code rem} = l4_end - pos: at (or past) the end of the layer-4 bytes, a MAC
     * trailer (20 or 24 bytes left), too short for a field.
     */
    private static void walkTests(WalkPosition t, UInt pos, UInt headerEnd, SInt rem) {
        Bool atEnd = rem.msb().or(rem.eq(0));
        Bool macTrailer = rem.eq(20).or(rem.eq(24));
        Bool tooShort = rem.asUInt().lt(16);
        t.pos.set(pos);
        t.header_end.set(headerEnd);
        t.beat.set(headerEnd.slice(POS - 1, 3));
        t.remaining.set(rem.asUInt().trunc(POS));
        t.ends.set(atEnd.or(macTrailer).or(tooShort));
        t.end_status.set(atEnd.mux(UInt.lit(0, 2), macTrailer.mux(UInt.lit(1, 2), UInt.lit(2, 2))));
    }

    /** Element {@code sel} of eight, as a tree of 2:1 selects on the bits of {@code sel}. */
    private static <T extends Signal> T pick(List<T> xs, UInt sel) {
        List<T> level = xs;
        for (int b = 0; level.size() > 1; b++) {
            List<T> next = new ArrayList<>();
            for (int i = 0; i < level.size(); i += 2) next.add(sel.bit(b).mux(level.get(i + 1), level.get(i)));
            level = next;
        }
        return level.get(0);
    }

    private static Bits be16(Bits word, int byteIdx) {
        return Bits.cat(word.part(8 * byteIdx, 8), word.part(8 * byteIdx + 8, 8));
    }

    /** Sum of the four big-endian 16-bit words of a beat, bytes outside the mask counted as zero (18 bits). */
    private static UInt beatSum(Bits data, Bits mask) {
        UInt[] w = new UInt[4];
        for (int i = 0; i < 4; i++) {
            Bits hi = mask.bit(2 * i).mux(data.part(16 * i, 8), Bits.lit(0, 8));
            Bits lo = mask.bit(2 * i + 1).mux(data.part(16 * i + 8, 8), Bits.lit(0, 8));
            w[i] = Bits.cat(hi, lo).asUInt().zext(18);
        }
        return w[0].plus(w[1]).plus(w[2].plus(w[3]));
    }

    private static UInt popcount(Bits b) {
        UInt s = UInt.lit(0, 4);
        for (int i = 0; i < b.width(); i++) s = s.plus(b.bit(i).asUInt().zext(4));
        return s;
    }
}
