package org.ntsfab.responder.answer;

import org.ntsfab.responder.decide.AnswerJob;
import org.ntsfab.responder.decide.FrameClassifier;
import org.ntsfab.responder.ResponderCfg;

import org.ntsfab.hdl.Axis;
import org.ntsfab.hdl.Bits;
import org.ntsfab.hdl.Bool;
import org.ntsfab.hdl.Component;
import org.ntsfab.hdl.Flow;
import org.ntsfab.hdl.Stream;
import org.ntsfab.hdl.UInt;
import static org.ntsfab.ip.stream.FrameBytes.littleEndian;
import org.ntsfab.ip.eth.OnesComplement;
import org.ntsfab.hdl.lib.StreamFifo;

import java.util.ArrayList;
import java.util.List;

/**
 * The header-built answers: NTP (48-byte requests), ARP replies and neighbour advertisements, from
 * the jobs the {@link FrameClassifier} hands over. Jobs wait in a 32-deep queue (a full queue
 * drops the request and counts it); answers leave back to back. T3 is the clock in the cycle the
 * answer's first byte leaves ({@code t3_stamp}); the UDP checksum, which precedes T3 on the wire, is
 * completed from it in the following four cycles (beat 5, the earliest beat that carries it, cannot
 * leave sooner), so backpressure never makes T3 wrong. Every checksum is summed in register stages of
 * small adders from the job, which is held from the cycle after it is taken to its last beat.
 */
public final class NtpAnswerer extends Component {
    /** Requests to answer; one arriving while the queue is full is dropped and counted ({@code overload_drop}). */
    public final Flow<AnswerJob> job = slave(new Flow<>(new AnswerJob()));
    public final ResponderCfg cfg = in(new ResponderCfg());
    public final UInt now = in(new UInt(64));
    /**
     * High in the cycle the answer's first byte leaves the core (T3 is the clock then). With the
     * answerer straight on a 64-bit port that is {@code out} accepting beat 0; behind a width
     * adapter, the adapter's first byte.
     */
    public final Bool t3_stamp = in(new Bool());
    public final Axis out;
    public final Bool answered = out(new Bool());
    public final Bool overload_drop = out(new Bool());
    public final StreamFifo<AnswerJob> queue;

    /** Answers waiting: enough to ride out the port being held for NTS departures and long host frames at line rate. */
    public static final int QUEUE = 32;

    public NtpAnswerer() {
        moduleName("ntp_answerer");
        out = master(new Axis(8, 1));
        Stream<AnswerJob> offered = job.toStream().nameHandshake("job_offered");
        queue = StreamFifo.queue("job_queue", offered, AnswerJob::new, QUEUE);
        answered.set(regNextInit(offered.fire(), 0));
        overload_drop.set(regNextInit(job.valid.and(offered.ready.not()), 0));

        // ---- the answer stream -----------------------------------------------------------------
        Bool busy = regInit(new Bool(), 0).named("tx_busy_reg");
        UInt beat = regInit(new UInt(4), 0).named("tx_beat_reg");
        AnswerJob cur = reg(new AnswerJob());
        cur.named("tx_job");
        UInt t3 = reg(new UInt(64)).named("t3_reg");
        // beats after the one offered: the last beat is known from a register, not from the job's kind
        UInt beatsLeft = regInit(new UInt(4), 0).named("tx_beats_left_reg");

        AnswerJob j = cur;
        Bool jNs = j.ns, jNsMulticast = j.ns_multicast, jArp = j.arp, jV6 = j.v6, jTag = j.tagged;
        Bits jTci = j.tci, jMac = j.mac, jIp = j.ip, jPort = j.port, jVn = j.vn, jPoll = j.poll, jOrigin = j.origin, jT2 = j.t2,
                jLeap = j.leap;

        Bits li = cfg.synced.mux(jLeap, Bits.lit(3, 2));
        Bits stratum = cfg.synced.mux(cfg.stratum.asBits(), Bits.lit(16, 8));
        Bits ntp = Bits.cat(li, jVn, Bits.lit(4, 3), stratum, jPoll, cfg.precision, cfg.root_delay, cfg.root_dispersion, cfg.refid,
                jT2.slice(63, 32), Bits.lit(0, 32), jOrigin, jT2, t3.asBits());
        Bits ourIp6 = cfg.ipv6, ourIp4 = cfg.ipv4;

        // ---- checksums: pipelines of small adders, each stage a register ----------------------------
        // Registers follow the job (tx_job) and the configuration every cycle; the job is held from the cycle after it is
        // taken (c + 1, when beat 0 may leave) to its last beat. The IPv4 header checksum (beat 3, at c + 4 at the
        // earliest) is ready at c + 3, the advert's (beat 7) at c + 4; the UDP checksum (beat 5 or later) needs T3, taken
        // when beat 0 leaves (cycle d >= c + 1, t3_reg from d + 1), and is ready at d + 4, before beat 5 can leave
        // (d + 5): so stalls never make T3 or the checksum wrong.
        // UDP: pseudo-header + UDP header (checksum 0) + NTP; the 38 words without T3 in 5 groups of up to 8
        List<UInt> udpWords = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            Bits zero = Bits.lit(0, 16);
            udpWords.add(jV6.mux(ourIp6.part(16 * i, 16), i < 2 ? ourIp4.part(16 * i, 16) : zero).asUInt());
            udpWords.add((i < 2 ? jIp.part(16 * i, 16) : jV6.mux(jIp.part(16 * i, 16), zero)).asUInt());
        }
        udpWords.add(UInt.lit(17 + 56 + 123 + 56, 16));  // protocol, UDP length (twice), source port
        udpWords.add(jPort.asUInt());
        udpWords.addAll(OnesComplement.words(ntp.slice(383, 64)));
        UInt udpPartial = regNext(OnesComplement.sumTree(regSums("udp_sum_group", udpWords, 8), 22)).named("udp_partial_sum_reg");
        UInt t3Sum = regNext(OnesComplement.sumTree(OnesComplement.words(t3.asBits()), 18)).named("udp_t3_sum_reg");
        UInt udpFolded = regNext(foldWide(udpPartial.plus(t3Sum.zext(22)))).named("udp_folded_reg");
        UInt udpCsum = regNext(udpFolded.eq(0xffff).mux(UInt.lit(0xffff, 16), udpFolded.not())).named("udp_checksum_reg");
        Bits udp = Bits.cat(Bits.lit(123, 16), jPort, Bits.lit(56, 16), udpCsum.asBits());
        Bits ip4NoSum = Bits.cat(Bits.lit(0x4500, 16), Bits.lit(76, 16), Bits.lit(0, 16), Bits.lit(0x4000, 16), cfg.ttl.asBits(),
                Bits.lit(17, 8), Bits.lit(0, 16), ourIp4, jIp.slice(31, 0));
        UInt ip4Sum = regNext(OnesComplement.sumTree(OnesComplement.words(ip4NoSum), 20)).named("ip4_sum_reg");
        UInt ip4Csum = regNext(foldWide(ip4Sum).not()).named("ip4_checksum_reg");
        Bits ip4 = Bits.cat(ip4NoSum.slice(159, 80), ip4Csum.asBits(), ip4NoSum.slice(63, 0));
        Bits ip6 = Bits.cat(Bits.lit(0x60000000L, 32), Bits.lit(56, 16), Bits.lit(17, 8), cfg.ttl.asBits(), ourIp6, jIp);
        Bits ethTagged = Bits.cat(jMac, cfg.mac, Bits.lit(0x8100, 16), jTci);
        Bits ethPlain = Bits.cat(jMac, cfg.mac);

        // the four layouts, each as the frame's bytes with byte 0 in the low bits (the AXI-Stream lane order)
        Bits v4u = littleEndian(Bits.cat(ethPlain, Bits.lit(0x0800, 16), ip4, udp, ntp), 120);
        Bits v4t = littleEndian(Bits.cat(ethTagged, Bits.lit(0x0800, 16), ip4, udp, ntp), 120);
        Bits v6u = littleEndian(Bits.cat(ethPlain, Bits.lit(0x86dd, 16), ip6, udp, ntp), 120);
        Bits v6t = littleEndian(Bits.cat(ethTagged, Bits.lit(0x86dd, 16), ip6, udp, ntp), 120);
        // ARP reply: 28-byte body, padded to the 60-byte minimum
        Bits arpBody = Bits.cat(Bits.lit(0x0001080006040002L, 64), cfg.mac, ourIp4, jOrigin.slice(47, 0), jIp.slice(31, 0));
        Bits arpU = littleEndian(Bits.cat(ethPlain, Bits.lit(0x0806, 16), arpBody), 120);
        Bits arpT = littleEndian(Bits.cat(ethTagged, Bits.lit(0x0806, 16), arpBody), 120);
        // neighbour advertisement: solicited + override, our address, and for multicast solicitations our MAC as option
        Bits naBody = Bits.cat(Bits.lit(0x60000000L, 32), ourIp6);
        Bits naOpt = Bits.cat(Bits.lit(0x0201, 16), cfg.mac);
        UInt naLen = jNsMulticast.mux(UInt.lit(32, 16), UInt.lit(24, 16));
        // pseudo-header (our address twice: as source and in the target field) + ICMPv6 header + body + option
        List<UInt> naWords = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            naWords.add(ourIp6.part(16 * i, 16).asUInt().zext(17).shl(1));
            naWords.add(jIp.part(16 * i, 16).asUInt());
        }
        // next header, length, type and flags (0x8800), the reserved word 0x6000, and the option's type and length
        naWords.add(jNsMulticast.mux(UInt.lit(58 + 32 + 0x8800 + 0x6000 + 0x0201, 17), UInt.lit(58 + 24 + 0x8800 + 0x6000, 17)));
        for (int i = 0; i < 3; i++) naWords.add(jNsMulticast.mux(cfg.mac.part(16 * i, 16), Bits.lit(0, 16)).asUInt());
        UInt naSum = regNext(OnesComplement.sumTree(regSums("na_sum_group", naWords, 7), 21)).named("na_sum_reg");
        Bits naCsum = regNext(foldWide(naSum).not()).named("na_checksum_reg").asBits();
        Bits ip6Na = Bits.cat(Bits.lit(0x60000000L, 32), naLen.asBits(), Bits.lit(58, 8), Bits.lit(255, 8), ourIp6, jIp);
        Bits naMc = Bits.cat(ip6Na, Bits.lit(0x8800, 16), naCsum, naBody, naOpt);
        Bits naUc = Bits.cat(ip6Na, Bits.lit(0x8800, 16), naCsum, naBody);
        Bits naMcU = littleEndian(Bits.cat(ethPlain, Bits.lit(0x86dd, 16), naMc), 120);
        Bits naMcT = littleEndian(Bits.cat(ethTagged, Bits.lit(0x86dd, 16), naMc), 120);
        Bits naUcU = littleEndian(Bits.cat(ethPlain, Bits.lit(0x86dd, 16), naUc), 120);
        Bits naUcT = littleEndian(Bits.cat(ethTagged, Bits.lit(0x86dd, 16), naUc), 120);
        Bits naFrame = jNsMulticast.mux(jTag.mux(naMcT, naMcU), jTag.mux(naUcT, naUcU));
        Bits frame = let("answer_frame", jNs.mux(naFrame, jArp.mux(jTag.mux(arpT, arpU), jV6.mux(jTag.mux(v6t, v6u), jTag.mux(v4t, v4u)))));
        // the last beat's keep: 90 / 94 / 110 / 114 bytes for NTP, 86 / 90 (multicast) and 78 / 82 (unicast) for adverts
        Bits naKeep = jTag.mux(Bits.lit(0x03, 8), Bits.lit(0x3f, 8));
        Bits lastKeep = jNs.mux(naKeep, jArp.mux(Bits.lit(0x0f, 8),
                jV6.mux(jTag.mux(Bits.lit(0x03, 8), Bits.lit(0x3f, 8)), jTag.mux(Bits.lit(0x3f, 8), Bits.lit(0x03, 8)))));

        Bits data = slice("tx_data", frame, beat, 64);
        Bool last = let("tx_last", beatsLeft.eq(0));
        out.valid.set(busy);
        out.tdata().set(data);
        out.tkeep().set(last.mux(lastKeep, Bits.lit(0xff, 8)));
        out.tlast().set(last);
        out.tuser().set(Bits.lit(0, 1));
        when(busy.and(beat.eq(0)).and(t3_stamp), () -> t3.set(now));
        when(out.fire(), () -> {
            beat.set(beat.plus(1));
            beatsLeft.set(beatsLeft.minus(1));
            when(last, () -> busy.set(false));
        });
        // the next job is taken while the last beat leaves, so answers follow each other without a gap
        queue.out.ready.set(busy.not().or(out.fire().and(last)));
        when(queue.out.fire(), () -> {
            busy.set(true);
            beat.set(0);
            beatsLeft.set(lastBeatOf(queue.out.payload));
            cur.setFrom(queue.out.payload);
        });
    }

    /** The last beat's index: 90 / 94 / 110 / 114 bytes for NTP, 60 for ARP, 86 / 90 (multicast) and 78 / 82 (unicast) for adverts. */
    private static UInt lastBeatOf(AnswerJob j) {
        UInt naLast = j.ns_multicast.mux(j.tagged.mux(UInt.lit(11, 4), UInt.lit(10, 4)), j.tagged.mux(UInt.lit(10, 4), UInt.lit(9, 4)));
        return j.ns.mux(naLast, j.arp.mux(UInt.lit(7, 4), j.v6.mux(j.tagged.mux(UInt.lit(14, 4), UInt.lit(13, 4)), UInt.lit(11, 4))));
    }

    /** The big-endian 16-bit words of {@code b} (a multiple of 16 bits). */
    /** {@code terms} in groups of up to {@code size}, each group's sum a register {@code name + k + "_reg"}. */
    private List<UInt> regSums(String name, List<UInt> terms, int size) {
        List<UInt> sums = new ArrayList<>();
        int width = 17 + 32 - Integer.numberOfLeadingZeros(size - 1);
        for (int k = 0; k * size < terms.size(); k++)
            sums.add(regNext(OnesComplement.sumTree(terms.subList(k * size, Math.min(terms.size(), (k + 1) * size)), width)).named(name + k + "_reg"));
        return sums;
    }

    /** A sum of up to 22 bits folded to 16 with end-around carry (not complemented), as {@link OnesComplement#fold} does. */
    private static UInt foldWide(UInt acc) {
        UInt f1 = acc.slice(15, 0).zext(17).plus(acc.slice(acc.width() - 1, 16).zext(17));
        return f1.slice(15, 0).plus(f1.slice(16, 16).zext(16));
    }
}
