package org.ntsfab.responder.answer;

import org.ntsfab.responder.decide.EchoJob;
import org.ntsfab.responder.decide.FrameClassifier;
import org.ntsfab.responder.ResponderCfg;

import java.util.ArrayList;
import java.util.List;
import org.ntsfab.ip.stream.AxisRealign;
import org.ntsfab.hdl.Axis;
import org.ntsfab.hdl.Bits;
import org.ntsfab.hdl.Bool;
import org.ntsfab.hdl.Component;
import org.ntsfab.hdl.Stream;
import org.ntsfab.hdl.UInt;
import static org.ntsfab.ip.stream.FrameBytes.littleEndian;
import static org.ntsfab.ip.eth.OnesComplement.fold;
import static org.ntsfab.ip.eth.OnesComplement.sum16;

/**
 * Echo replies (docs/responder-spec.md §5.1, §6.1) from a stored request: takes one job (from the
 * {@link FrameClassifier}) and then the request's beats, and sends the reply — new Ethernet and IP
 * headers (IPv4 without options), type 0 / 129, the checksum the job carries, and the request's
 * identifier, sequence number and data unchanged. The request's IPv4 options are cut out by
 * skipping whole beats and realigning by the remaining 0 or 4 bytes; Ethernet padding behind the
 * request's IP datagram is not copied (the reply is zero-padded to 60 bytes instead). One beat per
 * cycle; the reply's beats leave without a gap once its first beat is valid.
 */
public final class IcmpEchoBuilder extends Component {
    public final Stream<EchoJob> job;
    public final Axis in;
    public final ResponderCfg cfg = in(new ResponderCfg());
    public final Axis out;
    public final AxisRealign realign;
    /** Beats of the reply being (or about to be) sent: lets the transmit merge start it only if it ends in time. */
    public final UInt out_beats = out(new UInt(8));

    public IcmpEchoBuilder() {
        moduleName("icmp_echo_builder");
        job = slave(new Stream<>(new EchoJob()));
        in = slave(new Axis(8, 1));
        out = master(new Axis(8, 1));
        realign = add(new AxisRealign(8));

        Bool active = regInit(new Bool(), 0).named("active_reg");
        Bool draining = regInit(new Bool(), 0).named("draining_reg");
        Bool inDone = regInit(new Bool(), 0).named("in_done_reg");
        Bool inStarted = regInit(new Bool(), 0).named("in_started_reg");
        UInt skipped = regInit(new UInt(3), 0).named("skipped_reg");
        UInt ob = regInit(new UInt(8), 0).named("out_beat_reg");
        EchoJob cur = reg(new EchoJob());
        cur.named("job");
        Bool jTag = cur.tagged, jV6 = cur.v6;
        Bits jTci = cur.tci, jMac = cur.mac, jIp = cur.ip, jCsum = cur.checksum;
        UInt jOpt = cur.option_bytes, jLen = cur.icmp_length;

        // ---- the request's beats: skip whole beats of options, realign by the rest --------------------
        UInt skipBeats = let("skip_beats", jOpt.slice(5, 3));
        Bool skipping = let("skipping", active.and(inStarted.not()).and(skipped.lt(skipBeats)));
        realign.shift.set(jOpt.slice(2, 0));
        // the request's beats only until its realigned end: a reply padded past it must not take in the next request
        realign.in.connectFrom(in.continueWhen(active.and(inDone.not())).nameHandshake("request_active").throwWhen(skipping)
                .nameHandshake("request_kept"));
        when(in.fire(), () -> {
            when(skipping, () -> skipped.set(skipped.plus(1))).otherwise(() -> inStarted.set(true));
        });

        // ---- the reply: header bytes, then the realigned request, then zero padding -----------------
        // its lengths, registered with the job (from the job offered, each one adder deep): where the header and the reply
        // end, and the reply's beats (at least 60 bytes)
        UInt hdrEnd = regInit(new UInt(11), 0).named("header_end_reg");
        UInt ansEnd = regInit(new UInt(11), 0).named("reply_end_reg");
        UInt beats = regInit(new UInt(8), 8).named("reply_beats_reg");
        UInt lastIdx = regInit(new UInt(8), 7).named("reply_last_beat_reg");
        UInt lastBytes = regInit(new UInt(3), 3).named("reply_last_bytes_reg");
        out_beats.set(beats);

        // IPv4: total length, then the header checksum over two more register stages (beat 3, at the earliest 3 beats
        // after the first: the job is held from the cycle after it is taken to the reply's end)
        UInt totalLen = regNext(jLen.plus(20)).named("ip4_total_length_reg");
        Bits ip4NoSum = Bits.cat(Bits.lit(0x4500, 16), totalLen.asBits(), Bits.lit(0, 16), Bits.lit(0x4000, 16),
                cfg.ttl.asBits(), Bits.lit(1, 8), Bits.lit(0, 16), cfg.ipv4, jIp.slice(31, 0));
        UInt ip4Sum = regNext(sum16(ip4NoSum).trunc(20)).named("ip4_sum_reg");
        Bits ip4Sum16 = regNext(fold(ip4Sum.zext(32)).not()).named("ip4_checksum_reg").asBits();
        Bits ip4 = Bits.cat(ip4NoSum.slice(159, 80), ip4Sum16, ip4NoSum.slice(63, 0));
        Bits ip6 = Bits.cat(Bits.lit(0x60000000L, 32), jLen.asBits(), Bits.lit(58, 8), cfg.ttl.asBits(), cfg.ipv6, jIp);
        Bits eth = Bits.cat(jMac, cfg.mac);
        Bits tag = Bits.cat(Bits.lit(0x8100, 16), jTci);
        Bits icmp4 = Bits.cat(Bits.lit(0, 16), jCsum);
        Bits icmp6 = Bits.cat(Bits.lit(0x8100, 16), jCsum);
        Bits h4u = littleEndian(Bits.cat(eth, Bits.lit(0x0800, 16), ip4, icmp4), 64);
        Bits h4t = littleEndian(Bits.cat(eth, tag, Bits.lit(0x0800, 16), ip4, icmp4), 64);
        Bits h6u = littleEndian(Bits.cat(eth, Bits.lit(0x86dd, 16), ip6, icmp6), 64);
        Bits h6t = littleEndian(Bits.cat(eth, tag, Bits.lit(0x86dd, 16), ip6, icmp6), 64);
        Bits hdr = let("reply_header", jV6.mux(jTag.mux(h6t, h6u), jTag.mux(h4t, h4u)));

        Axis rin = realign.out;
        Bits hdrBeat = slice("header_beat", hdr, ob, 64);
        List<Bits> lanes = new ArrayList<>();
        for (int lane = 7; lane >= 0; lane--) {
            UInt pos = UInt.cat(ob.trunc(8), UInt.lit(lane, 3));
            Bits dataByte = inDone.mux(Bits.lit(0, 8), rin.tdata().part(8 * lane, 8));
            lanes.add(pos.lt(hdrEnd).mux(hdrBeat.part(8 * lane, 8), pos.lt(ansEnd).mux(dataByte, Bits.lit(0, 8))));
        }
        Bool last = let("reply_last", ob.eq(lastIdx));
        List<Bits> keep = new ArrayList<>();
        for (int lane = 7; lane >= 0; lane--) keep.add(lane == 0 ? Bits.lit(1, 1) : last.not().or(lastBytes.ge(lane)).asBits());

        Bool sending = let("sending", active.and(draining.not()));
        out.valid.set(sending.and(inDone.or(rin.valid)));
        out.tdata().set(Bits.cat(lanes));
        out.tkeep().set(Bits.cat(keep));
        out.tlast().set(last);
        out.tuser().set(Bits.lit(0, 1));
        rin.ready.set(active.and(draining.or(inDone.not().and(out.ready))));

        Bool inEnds = rin.fire().and(rin.tlast());
        when(out.fire(), () -> {
            ob.set(ob.plus(1));
            when(last, () -> {
                when(inDone.or(inEnds), () -> active.set(false)).otherwise(() -> draining.set(true));
            });
        });
        when(inEnds, () -> {
            inDone.set(true);
            when(draining, () -> active.set(false));
        });

        job.ready.set(active.not());
        when(job.fire(), () -> {
            active.set(true);
            draining.set(false);
            inDone.set(false);
            inStarted.set(false);
            skipped.set(0);
            ob.set(0);
            cur.setFrom(job.payload);
            EchoJob p = job.payload;
            UInt lenP = p.icmp_length.trunc(11);
            // Ethernet (14 or 18 bytes) and IP (20 or 40) headers: each length one adder over a constant picked by the kind
            hdrEnd.set(byKind(p, 4));
            ansEnd.set(lenP.plus(byKind(p, 0)));
            // reply length max(60, end): beats max(8, ceil(end / 8)), last beat max(7, (end - 1) / 8), bytes in it - 1
            UInt roundUp = lenP.plus(byKind(p, 7)).slice(10, 3);
            UInt lastByte = lenP.plus(byKind(p, -1));
            Bool shortReply = lenP.plus(byKind(p, 0)).lt(60);
            beats.set(shortReply.mux(UInt.lit(8, 8), roundUp.zext(8)));
            lastIdx.set(shortReply.mux(UInt.lit(7, 8), lastByte.slice(10, 3).zext(8)));
            lastBytes.set(shortReply.mux(UInt.lit(3, 3), lastByte.slice(2, 0)));
        });
    }

    /** Ethernet and IP header bytes of the reply to {@code p}, plus {@code extra}, as an 11-bit constant picked by its kind. */
    private static UInt byKind(EchoJob p, int extra) {
        return p.tagged.mux(p.v6.mux(UInt.lit(58 + extra, 11), UInt.lit(38 + extra, 11)),
                p.v6.mux(UInt.lit(54 + extra, 11), UInt.lit(34 + extra, 11)));
    }
}
