package org.ntsfab.ke;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.ntsfab.model.ConfigFile;
import org.ntsfab.model.nts.KeyFile;
import org.ntsfab.model.Outcome;
import org.ntsfab.model.Responder;
import org.ntsfab.model.ResponderConfig;
import org.ntsfab.model.clock.NtpClock;
import org.ntsfab.model.traffic.FrameBuilder;
import org.ntsfab.model.wire.EthernetHeader;
import org.ntsfab.model.wire.Ipv4Header;
import org.ntsfab.model.wire.Ipv6Header;
import org.ntsfab.model.wire.WireException;

/**
 * The software appliance: NTP/NTS on a real UDP socket answered by the reference model, and the
 * NTS-KE server beside it, sharing one master-key file. Each datagram is wrapped in the Ethernet
 * frame the hardware would receive (addressed to the configured MAC and IP, from a fixed
 * documentation source address: the socket already did the addressing), processed, and the
 * answer's UDP payload sent back. The clock is the host's: cycle = nanoseconds since start, loaded
 * with the host time at start, so T2 is taken when the datagram is received and T3 just before
 * it is sent.
 */
public final class Serve implements AutoCloseable {
    private static final byte[] CLIENT_MAC = {2, 0, 0, 0, 0, 1};
    private static final byte[] CLIENT_IP4 = {(byte) 198, 51, 100, 1};
    private static final byte[] CLIENT_IP6 = {0x20, 0x01, 0x0d, (byte) 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1};

    private final ConfigFile cfg;
    private final Responder responder;
    private final long t0Nanos;
    private final DatagramSocket udp;
    private final NtsKeServer ke;
    private final Path keyFilePath;
    private volatile KeyFile keys;
    private final ScheduledExecutorService rotation = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "key-rotation");
        t.setDaemon(true);
        return t;
    });
    private final Thread ntpThread;
    private final AtomicLong udpErrors = new AtomicLong();
    private volatile boolean running = true;

    public Serve(ConfigFile cfg, InetSocketAddress ntp, InetSocketAddress keAddr, Path cert, Path key, Path keyFile,
                 Duration rotateEvery, Duration retain) throws IOException {
        this.cfg = cfg;
        this.keyFilePath = keyFile;
        if (!Files.exists(keyFile)) KeyFile.generate(new SecureRandom(), Instant.now()).save(keyFile);
        this.keys = KeyFile.load(keyFile);
        ResponderConfig base = cfg.responder(Instant.now());
        // cycle 0 and the host time it reads are taken together: any gap would be a constant offset
        Instant start = Instant.now();
        this.t0Nanos = System.nanoTime();
        NtpClock hostClock = new NtpClock(ConfigFile.ntpTime(start), NtpClock.stepFor(1_000_000_000L), NtpClock.Leap.NONE, 0);
        byte[] seed = new byte[16];
        new SecureRandom().nextBytes(seed);
        ResponderConfig rc = new ResponderConfig(base.mac(), base.ipv4(), base.ipv6(), -1, false, base.ttl(), base.stratum(), base.refid(),
                base.precision(), base.rootDelay(), base.rootDispersion(), base.synced(), base.icmpMaxPayload(), base.maxPlaceholders(),
                hostClock, new ResponderConfig.Nts(keys.masterKeys(), seed));
        this.responder = new Responder(rc);
        warmUp(rc);
        this.udp = new DatagramSocket(ntp);
        this.ke = new NtsKeServer(keAddr, Pem.certificates(cert), Pem.privateKey(key), () -> keys.masterKeys(),
                new NtsKeServer.Settings(64, 10_000, 1024, null, udp.getLocalPort() == 123 ? -1 : udp.getLocalPort()));
        if (rotateEvery != null)
            rotation.scheduleAtFixedRate(() -> rotate(retain), rotateEvery.toMillis(), rotateEvery.toMillis(), TimeUnit.MILLISECONDS);
        this.ntpThread = new Thread(this::ntpLoop, "ntp");
        ntpThread.setDaemon(true);
        ntpThread.start();
        System.err.println("serve: NTP on " + udp.getLocalSocketAddress() + ", NTS-KE on 127.0.0.1:" + ke.port() + ", keys " + keyFile
                + " (current " + keys.current() + ")");
    }

    /**
     * Runs a few thousand NTP and NTS requests through a throwaway responder with the same
     * configuration, so the first real clients do not meet a cold JIT (which shows up as delay
     * asymmetry, i.e. offset, in their measurements).
     */
    private void warmUp(ResponderConfig rc) {
        Responder scratch = new Responder(rc);
        java.util.Random r = new java.util.Random(1);
        org.ntsfab.model.nts.CookieCodec.Keys k = org.ntsfab.model.traffic.NtsClient.keys(r);
        byte[] cookie = new org.ntsfab.model.nts.CookieCodec(keys.masterKeys()).seal(k, new byte[16]);
        for (int i = 0; i < 3000; i++) {
            byte[] payload = i % 4 == 0
                    ? org.ntsfab.model.traffic.NtsClient.request(FrameBuilder.ntpRequest(4, 3, i), new byte[32], cookie, 0, k.c2s(), new byte[16], new byte[0])
                    : FrameBuilder.ntpRequest(4, 3, i);
            Responder.Result res = scratch.process(wrap(payload, 1000 + i), false, i);
            try {
                unwrap(res.answer().at(i + 10));
            } catch (WireException e) {
                throw new IllegalStateException("warm-up answer did not parse", e);
            }
        }
    }

    public int ntpPort() {
        return udp.getLocalPort();
    }

    public int kePort() {
        return ke.port();
    }

    /** Makes the next key current, writes the key file, and hands the keys to both sides. */
    public synchronized void rotate(Duration retain) {
        try {
            KeyFile next = keys.rotate(new SecureRandom(), Instant.now(), retain);
            next.save(keyFilePath);
            keys = next;
            synchronized (responder) {
                responder.useKeys(next.masterKeys());
            }
            System.err.println("serve key_rotated current=" + next.current() + " next=" + next.next());
        } catch (IOException e) {
            System.err.println("serve key_rotation_failed: " + e.getMessage());
        }
    }

    private long cycle() {
        return System.nanoTime() - t0Nanos;
    }

    private void ntpLoop() {
        byte[] buf = new byte[2048];
        while (running) {
            DatagramPacket p = new DatagramPacket(buf, buf.length);
            try {
                udp.receive(p);
            } catch (IOException e) {
                if (running) udpErrors.incrementAndGet();
                continue;
            }
            long rx = cycle();
            try {
                byte[] payload = Arrays.copyOfRange(p.getData(), p.getOffset(), p.getOffset() + p.getLength());
                byte[] answer;
                synchronized (responder) {
                    Responder.Result r = responder.process(wrap(payload, p.getPort()), false, rx);
                    if (r.answer() == null) continue;
                    answer = unwrap(r.answer().at(cycle()));
                }
                udp.send(new DatagramPacket(answer, answer.length, p.getSocketAddress()));
            } catch (IOException | WireException | RuntimeException e) {
                udpErrors.incrementAndGet();
            }
        }
    }

    private boolean v6() {
        return cfg.ipv4() == null;
    }

    private byte[] wrap(byte[] payload, int srcPort) {
        FrameBuilder.Endpoints e = new FrameBuilder.Endpoints(cfg.mac(), cfg.ipv4(), cfg.ipv6(), CLIENT_MAC, CLIENT_IP4, CLIENT_IP6, -1);
        return FrameBuilder.udpFrame(e, v6(), srcPort, 123, payload);
    }

    private byte[] unwrap(byte[] frame) throws WireException {
        EthernetHeader eth = EthernetHeader.parse(frame);
        int o = eth.length();
        int udpOff, udpLen;
        if (eth.etherType() == 0x86dd) {
            Ipv6Header ip = Ipv6Header.parse(frame, o, frame.length - o);
            udpOff = o + 40;
            udpLen = ip.payloadLength();
        } else {
            Ipv4Header ip = Ipv4Header.parse(frame, o, frame.length - o);
            udpOff = o + ip.headerLength();
            udpLen = ip.payloadLength();
        }
        return Arrays.copyOfRange(frame, udpOff + 8, udpOff + udpLen);
    }

    /** NTP outcomes, NTS-KE events and socket errors, by name. */
    public Map<String, Long> counters() {
        Map<String, Long> m = new TreeMap<>();
        synchronized (responder) {
            for (Map.Entry<Outcome, Long> e : responder.counters().entrySet())
                if (e.getValue() > 0) m.put("ntp." + e.getKey().counterName(), e.getValue());
        }
        ke.counters.forEach((k, v) -> m.put("nts_ke." + k, v.get()));
        m.put("udp.errors", udpErrors.get());
        return m;
    }

    public KeyFile keys() {
        return keys;
    }

    @Override
    public void close() throws IOException {
        running = false;
        udp.close();
        ke.close();
        rotation.shutdownNow();
    }


}
