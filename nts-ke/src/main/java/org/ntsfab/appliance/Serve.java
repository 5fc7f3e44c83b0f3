package org.ntsfab.appliance;

import org.ntsfab.ke.NtsKeServer;
import org.ntsfab.ke.Pem;

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
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.ntsfab.model.ConfigFile;
import org.ntsfab.model.nts.KeyFile;

/**
 * The software appliance: NTP/NTS on a real UDP socket and the NTS-KE server beside it, sharing one master-key
 * file. The datagrams are answered by a backend: the reference model ({@link ModelBackend}, {@code serve --backend
 * model}) or the simulated hardware ({@code serve --backend sim}, in the simulator module). A key rotation writes
 * the key file and hands the new keys to the NTS-KE server and to the backend; with chrony's key file
 * ({@code ntsdumpdir/ntskeys}) it re-reads the file, which chronyd rotates.
 */
public final class Serve implements AutoCloseable {
    private final NtpBackend backend;
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

    /** With the reference model as the backend. */
    public Serve(ConfigFile cfg, InetSocketAddress ntp, InetSocketAddress keAddr, Path cert, Path key, Path keyFile,
                 Duration rotateEvery, Duration retain) throws Exception {
        this(cfg, ntp, keAddr, cert, key, keyFile, rotateEvery, retain, ModelBackend::new);
    }

    public Serve(ConfigFile cfg, InetSocketAddress ntp, InetSocketAddress keAddr, Path cert, Path key, Path keyFile,
                 Duration rotateEvery, Duration retain, NtpBackend.Factory backendFactory) throws Exception {
        this.keyFilePath = keyFile;
        // every input and both sockets before the backend (building the simulated one takes minutes): a bad file or a
        // port in use is reported at once, naming the file or the address
        List<byte[]> chain = Pem.certificates(cert);
        java.security.PrivateKey privateKey = Pem.privateKey(key);
        try {
            if (!Files.exists(keyFile)) KeyFile.generate(new SecureRandom(), Instant.now()).save(keyFile);
            this.keys = KeyFile.load(keyFile);
        } catch (java.nio.file.NoSuchFileException | java.nio.file.AccessDeniedException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw new IOException(keyFile + ": bad NTS master key file: " + oneLine(e), e);
        }
        this.udp = bound("NTP (UDP)", ntp, () -> new DatagramSocket(ntp));
        NtsKeServer keServer;
        try {
            keServer = bound("NTS-KE (TCP)", keAddr, () -> new NtsKeServer(keAddr, chain, privateKey, () -> keys.masterKeys(),
                    new NtsKeServer.Settings(64, 10_000, 1024, null, udp.getLocalPort() == 123 ? -1 : udp.getLocalPort())));
        } catch (IOException e) {
            udp.close();
            throw e;
        }
        this.ke = keServer;
        try {
            this.backend = backendFactory.create(cfg, keys);
        } catch (Exception e) {
            udp.close();
            ke.close();
            throw e;
        }
        if (rotateEvery != null)
            rotation.scheduleAtFixedRate(() -> rotate(retain), rotateEvery.toMillis(), rotateEvery.toMillis(), TimeUnit.MILLISECONDS);
        this.ntpThread = new Thread(this::ntpLoop, "ntp");
        ntpThread.setDaemon(true);
        ntpThread.start();
        System.err.println("serve: NTP on " + udp.getLocalSocketAddress() + ", NTS-KE on 127.0.0.1:" + ke.port() + ", keys " + keyFile
                + " (current " + keys.current() + ")");
    }

    private interface Binder<T> {
        T bind() throws IOException;
    }

    /** Binds a socket; a failure is one line naming the service and the address, e.g. {@code NTP (UDP) 127.0.0.1:123: address already in use}. */
    private static <T> T bound(String what, InetSocketAddress at, Binder<T> b) throws IOException {
        try {
            return b.bind();
        } catch (java.net.BindException e) {
            String m = e.getMessage() == null ? "cannot bind" : e.getMessage().replaceFirst(" \\(Bind failed\\)$", "");
            throw new IOException(what + " " + at.getHostString() + ":" + at.getPort() + ": " + m.toLowerCase(java.util.Locale.ROOT), e);
        }
    }

    private static String oneLine(Exception e) {
        String m = e.getMessage();
        return m == null ? e.getClass().getSimpleName() : m.lines().findFirst().orElse(m);
    }

    public int ntpPort() {
        return udp.getLocalPort();
    }

    public int kePort() {
        return ke.port();
    }

    /**
     * Makes the next key current, writes the key file, and hands the keys to both sides. With chrony's key file
     * ({@code ntsdumpdir/ntskeys}, which chronyd rotates and writes), re-reads the file instead and never writes it.
     */
    public synchronized void rotate(Duration retain) {
        try {
            KeyFile next;
            if (keys.format() == KeyFile.Format.CHRONY) {
                next = KeyFile.load(keyFilePath);
            } else {
                next = keys.rotate(new SecureRandom(), Instant.now(), retain);
                next.save(keyFilePath);
            }
            // the NTP side first: it must open cookies under the new key before the NTS-KE side hands any out
            backend.useKeys(next);
            keys = next;
            System.err.println("serve key_rotated current=" + next.current() + " next=" + next.next());
        } catch (Exception e) {
            System.err.println("serve key_rotation_failed: " + e);
        }
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
            long rx = System.nanoTime();
            try {
                byte[] payload = Arrays.copyOfRange(p.getData(), p.getOffset(), p.getOffset() + p.getLength());
                java.net.SocketAddress client = p.getSocketAddress();
                backend.answer(payload, (InetSocketAddress) client, rx, a -> udp.send(new DatagramPacket(a, a.length, client)));
            } catch (Exception e) {
                udpErrors.incrementAndGet();
                if (running) System.err.println("serve ntp_error " + e);
            }
        }
    }

    /** NTP outcomes, the backend's own counters, NTS-KE events and socket errors, by name. */
    public Map<String, Long> counters() {
        Map<String, Long> m = new TreeMap<>(backend.counters());
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
        try {
            backend.close();
        } catch (Exception e) {
            throw new IOException("closing the backend: " + e.getMessage(), e);
        }
    }
}
