package org.ntsfab.appliance;

import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import org.ntsfab.model.ConfigFile;
import org.ntsfab.model.Outcome;
import org.ntsfab.model.Responder;
import org.ntsfab.model.ResponderConfig;
import org.ntsfab.model.clock.NtpClock;
import org.ntsfab.model.nts.KeyFile;
import org.ntsfab.model.traffic.FrameBuilder;
import org.ntsfab.model.wire.WireException;

/**
 * The reference model as the appliance's responder. The clock is the host's: cycle = nanoseconds since start,
 * loaded with the host time at start, so T2 is taken when the datagram was received and T3 just before the answer
 * is sent.
 */
public final class ModelBackend implements NtpBackend {
    private final ConfigFile cfg;
    private final Responder responder;
    private final long t0Nanos;

    public ModelBackend(ConfigFile cfg, KeyFile keys) {
        this.cfg = cfg;
        ResponderConfig base = cfg.responder(Instant.now());
        // cycle 0 and the host time it reads are taken together: any gap would be a constant offset
        Instant start = Instant.now();
        this.t0Nanos = System.nanoTime();
        NtpClock hostClock = new NtpClock(ConfigFile.ntpTime(start), NtpClock.stepFor(1_000_000_000L), NtpClock.Leap.NONE, 0);
        byte[] seed = new byte[16];
        new SecureRandom().nextBytes(seed);
        ResponderConfig rc = new ResponderConfig(base.mac(), base.ipv4(), base.ipv6(), base.vlan(), false, base.ttl(), base.stratum(),
                base.refid(), base.precision(), base.rootDelay(), base.rootDispersion(), base.synced(), base.icmpMaxPayload(),
                base.maxPlaceholders(), hostClock, new ResponderConfig.Nts(keys.masterKeys(), seed));
        this.responder = new Responder(rc);
        warmUp(rc, keys);
    }

    /**
     * Runs a few thousand NTP and NTS requests through a throwaway responder with the same configuration, so the
     * first real clients do not meet a cold JIT (which shows up as delay asymmetry, i.e. offset, in their
     * measurements).
     */
    private void warmUp(ResponderConfig rc, KeyFile keys) {
        Responder scratch = new Responder(rc);
        java.util.Random r = new java.util.Random(1);
        org.ntsfab.model.nts.CookieCodec.Keys k = org.ntsfab.model.traffic.NtsClient.keys(r);
        byte[] cookie = new org.ntsfab.model.nts.CookieCodec(keys.masterKeys()).seal(k, new byte[16]);
        for (int i = 0; i < 3000; i++) {
            byte[] payload = i % 4 == 0
                    ? org.ntsfab.model.traffic.NtsClient.request(FrameBuilder.ntpRequest(4, 3, i), new byte[32], cookie, 0, k.c2s(), new byte[16], new byte[0])
                    : FrameBuilder.ntpRequest(4, 3, i);
            Responder.Result res = scratch.process(UdpFrames.wrap(cfg, payload, 1000 + i), false, i);
            try {
                UdpFrames.unwrap(res.answer().at(i + 10));
            } catch (WireException e) {
                throw new IllegalStateException("warm-up answer did not parse", e);
            }
        }
    }

    private long cycle() {
        return System.nanoTime() - t0Nanos;
    }

    @Override
    public synchronized void answer(byte[] payload, InetSocketAddress from, long rxNanos, Sender send) throws WireException, java.io.IOException {
        Responder.Result r = responder.process(UdpFrames.wrap(cfg, payload, from.getPort()), false, rxNanos - t0Nanos);
        if (r.answer() != null) send.send(UdpFrames.unwrap(r.answer().at(cycle())));
    }

    @Override
    public synchronized void useKeys(KeyFile keys) {
        responder.useKeys(keys.masterKeys());
    }

    @Override
    public synchronized Map<String, Long> counters() {
        Map<String, Long> m = new TreeMap<>();
        for (Map.Entry<Outcome, Long> e : responder.counters().entrySet())
            if (e.getValue() > 0) m.put("ntp." + e.getKey().counterName(), e.getValue());
        return m;
    }
}
