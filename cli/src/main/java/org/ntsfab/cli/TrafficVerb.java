package org.ntsfab.cli;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.ntsfab.model.ConfigFile;
import org.ntsfab.model.pcap.Pcap;
import org.ntsfab.model.traffic.TrafficGenerator;

/** {@code ntsfab traffic}: a mixed request corpus for a configuration. */
final class TrafficVerb implements Verb {
    static final Option<Path> CONFIG = Option.required("--config", ValueType.PATH, "the responder configuration (TOML): addresses, NTS keys");
    static final Option<Path> OUT = Option.required("--out", ValueType.PATH, "where the corpus goes (pcap)").as("REQ.pcap");
    static final Option<Integer> COUNT = Option.value("--count", ValueType.integer(0, TrafficGenerator.MAX_FRAMES), "10000", "frames (held in memory)");
    static final Option<Long> SEED = Option.value("--seed", ValueType.longInteger(Long.MIN_VALUE), "1", "seed of the corpus").as("S");
    static final Option<Map<String, Integer>> MIX = Option.value("--mix", ValueType.of(
            "kind=weight,... with kinds " + String.join(", ", TrafficGenerator.DEFAULT_MIX.keySet()), "kind=w,...", s -> {
                Map<String, Integer> m = TrafficGenerator.parseMix(s);
                return m.values().stream().allMatch(w -> w >= 0) ? m : null;
            }), null, "the kinds of frame and their weights (default: every kind, the standard mix)");
    static final Option<Instant> START = Option.value("--start", ValueType.INSTANT, "2026-11-24T12:00:00Z", "capture time of the first frame");
    static final Option<Long> NTS_SPACING = Option.value("--nts-spacing", ValueType.longInteger(0), null,
            "at least this many clock cycles between NTS requests (later frames shifted)").as("CYCLES");

    @Override
    public Spec spec() {
        return new Spec("traffic", "write a mixed request corpus (kinds: ntp, nts, arp, ... malformed)", """
                Writes a corpus of requests to the configuration's addresses: NTP and NTS (cookies sealed with the
                configuration's keys) over IPv4 and IPv6, ARP, ICMP, NDP, frames for the host, and malformed ones, in the
                weights of --mix, one frame per capture timestamp from --start on.""",
                List.of(CONFIG, OUT, COUNT, SEED, MIX, START, NTS_SPACING), null);
    }

    @Override
    public int run(Args a, Io io) throws Exception {
        Inputs.outputFile(OUT.name(), a.get(OUT));
        ConfigFile cfg = Inputs.config(a.get(CONFIG));
        Map<String, Integer> mix = a.get(MIX);
        List<Pcap.Record> frames = new TrafficGenerator(cfg, a.get(SEED)).generate(a.get(COUNT),
                mix == null ? TrafficGenerator.DEFAULT_MIX : mix, a.get(START));
        if (a.given(NTS_SPACING)) frames = TrafficGenerator.spaceNts(frames, a.get(NTS_SPACING), cfg.frequencyHz());
        Pcap.write(a.get(OUT), frames);
        io.out().println(frames.size() + " frames written to " + a.get(OUT));
        return Exit.OK;
    }
}
