package org.ntsfab.ke;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.interfaces.ECPrivateKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Vector;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.bouncycastle.tls.AlertDescription;
import org.bouncycastle.tls.Certificate;
import org.bouncycastle.tls.CertificateEntry;
import org.bouncycastle.tls.DefaultTlsServer;
import org.bouncycastle.tls.ProtocolName;
import org.bouncycastle.tls.ProtocolVersion;
import org.bouncycastle.tls.SignatureAndHashAlgorithm;
import org.bouncycastle.tls.SignatureScheme;
import org.bouncycastle.tls.TlsCredentials;
import org.bouncycastle.tls.TlsFatalAlert;
import org.bouncycastle.tls.TlsServerProtocol;
import org.bouncycastle.tls.crypto.TlsCryptoParameters;
import org.bouncycastle.tls.crypto.impl.jcajce.JcaDefaultTlsCredentialedSigner;
import org.bouncycastle.tls.crypto.impl.jcajce.JcaTlsCrypto;
import org.bouncycastle.tls.crypto.impl.jcajce.JcaTlsCryptoProvider;
import org.ntsfab.model.nts.CookieCodec;
import org.ntsfab.model.nts.MasterKeys;

/**
 * The NTS-KE server (RFC 8915 §4): TLS 1.3 only (Bouncy Castle), ALPN "ntske/1" required, records
 * 0–7 with the critical bit honoured, AEAD 15 and 17 (the client's order wins among ours), NTPv4
 * server and port records, 8 cookies under the current master key, the whole answer in one TLS
 * write, then close_notify. Bounded: concurrent connections, request size, and a deadline for the
 * whole exchange. Logs one line per event; never a key.
 */
public final class NtsKeServer implements AutoCloseable {
    public static final String ALPN = "ntske/1";
    public static final String EXPORTER_LABEL = "EXPORTER-network-time-security";
    public static final int COOKIES = 8;

    /** Limits and the NTP server/port to advertise (null / -1: none, the client uses this host and 123). */
    public record Settings(int maxConnections, int timeoutMillis, int maxRequestBytes, String ntpServer, int ntpPort) {
        public static Settings defaults() {
            return new Settings(64, 10_000, 1024, null, -1);
        }
    }

    /** Event counters (exported on exit and on signal). */
    public final Map<String, AtomicLong> counters = new ConcurrentHashMap<>();

    private final JcaTlsCrypto crypto;
    private final List<byte[]> chain;
    private final PrivateKey key;
    private final Supplier<MasterKeys> keys;
    private final Settings settings;
    private final SecureRandom random = new SecureRandom();
    private final ServerSocket listener;
    private final ExecutorService workers;
    private final ScheduledExecutorService deadlines = Executors.newSingleThreadScheduledExecutor(daemon("nts-ke-deadline"));
    private final Semaphore slots;
    private final Thread acceptor;
    private volatile boolean running = true;

    public NtsKeServer(InetSocketAddress bind, List<byte[]> chain, PrivateKey key, Supplier<MasterKeys> keys, Settings settings)
            throws IOException {
        this.crypto = new JcaTlsCryptoProvider().create(random);
        this.chain = chain;
        this.key = key;
        this.keys = keys;
        this.settings = settings;
        this.slots = new Semaphore(settings.maxConnections());
        this.workers = Executors.newFixedThreadPool(settings.maxConnections(), daemon("nts-ke"));
        this.listener = new ServerSocket();
        listener.setReuseAddress(true);
        listener.bind(bind, 128);
        this.acceptor = new Thread(this::acceptLoop, "nts-ke-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }

    public int port() {
        return listener.getLocalPort();
    }

    private void count(String event) {
        counters.computeIfAbsent(event, k -> new AtomicLong()).incrementAndGet();
    }

    private void log(String event, Socket s, String detail) {
        count(event);
        System.err.println("nts-ke " + event + " " + s.getRemoteSocketAddress() + (detail == null ? "" : ": " + detail));
    }

    private void acceptLoop() {
        while (running) {
            Socket s;
            try {
                s = listener.accept();
            } catch (IOException e) {
                if (running) count("accept_error");
                continue;
            }
            if (!slots.tryAcquire()) {
                log("refused_over_capacity", s, null);
                closeQuietly(s);
                continue;
            }
            workers.execute(() -> {
                try {
                    serve(s);
                } finally {
                    slots.release();
                }
            });
        }
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }

    private void serve(Socket s) {
        ScheduledFuture<?> deadline = deadlines.schedule(() -> closeQuietly(s), settings.timeoutMillis(), TimeUnit.MILLISECONDS);
        try {
            s.setSoTimeout(settings.timeoutMillis());
            s.setTcpNoDelay(true);
            TlsServerProtocol tls = new TlsServerProtocol(s.getInputStream(), s.getOutputStream());
            Server server = new Server();
            try {
                tls.accept(server);
            } catch (IOException e) {
                log("tls_handshake_failed", s, e instanceof TlsFatalAlert a ? AlertDescription.getText(a.getAlertDescription()) : e.getClass().getSimpleName());
                return;
            }
            count("handshake");
            byte[] response = respond(readRequest(tls.getInputStream(), s), server);
            OutputStream out = tls.getOutputStream();
            out.write(response); // the whole answer in one TLS write
            out.flush();
            tls.close(); // close_notify
        } catch (SocketTimeoutException e) {
            log("timeout", s, null);
        } catch (SocketException e) {
            if (s.isClosed() && !running) return;
            log(s.isClosed() ? "deadline" : "connection_error", s, e.getMessage());
        } catch (IOException | RuntimeException e) {
            log("connection_error", s, e.getClass().getSimpleName() + " " + e.getMessage());
        } finally {
            deadline.cancel(false);
            closeQuietly(s);
        }
    }

    /** A parsed request, or the error to answer with. */
    private record Request(List<KeRecord> records, int error) {}

    private Request readRequest(InputStream in, Socket s) throws IOException {
        byte[] buf = new byte[settings.maxRequestBytes()];
        int len = 0;
        List<KeRecord> records = new ArrayList<>();
        while (true) {
            int n = in.read(buf, len, buf.length - len);
            if (n < 0) throw new IOException("client closed before End of Message");
            len += n;
            records.clear();
            int used = KeRecord.parse(buf, len, records);
            for (KeRecord r : records) if (r.type() == KeRecord.END_OF_MESSAGE) return new Request(records, -1);
            if (len == buf.length) {
                log("request_too_large", s, null);
                return new Request(List.of(), KeRecord.ERROR_BAD_REQUEST);
            }
            if (used < 0) throw new IOException("unreachable");
        }
    }

    private byte[] respond(Request req, Server server) throws IOException {
        if (req.error() >= 0) return error(req.error());
        int npRecords = 0, aeadRecords = 0, npValues = 0, aeadValues = 0;
        boolean ntpv4 = false;
        int aead = -1;
        for (KeRecord r : req.records()) {
            if (r.type() == KeRecord.END_OF_MESSAGE) break;
            switch (r.type()) {
                case KeRecord.NEXT_PROTOCOL -> {
                    int[] v = r.values();
                    if (!r.critical() || v == null || v.length == 0) return error(KeRecord.ERROR_BAD_REQUEST);
                    npRecords++;
                    npValues += v.length;
                    for (int x : v) ntpv4 |= x == KeRecord.PROTOCOL_NTPV4;
                }
                case KeRecord.AEAD -> {
                    int[] v = r.values();
                    if (v == null || v.length == 0) return error(KeRecord.ERROR_BAD_REQUEST);
                    aeadRecords++;
                    aeadValues += v.length;
                    for (int x : v)
                        if (aead < 0 && (x == CookieCodec.AEAD_AES_SIV_CMAC_256 || x == CookieCodec.AEAD_AES_SIV_CMAC_512)) aead = x;
                }
                case KeRecord.ERROR, KeRecord.WARNING, KeRecord.NEW_COOKIE -> {
                    return error(KeRecord.ERROR_BAD_REQUEST);
                }
                case KeRecord.NTPV4_SERVER, KeRecord.NTPV4_PORT -> { } // the client's suggestion; ours is sent
                default -> {
                    if (r.critical()) return error(KeRecord.ERROR_UNRECOGNIZED_CRITICAL);
                }
            }
        }
        if (npRecords != 1 || npValues < 1 || ntpv4 && (aeadRecords != 1 || aeadValues < 1)) return error(KeRecord.ERROR_BAD_REQUEST);
        List<KeRecord> out = KeRecord.list();
        if (!ntpv4) {
            count("no_common_protocol");
            out.add(new KeRecord(true, KeRecord.NEXT_PROTOCOL, new byte[0]));
            out.add(new KeRecord(true, KeRecord.END_OF_MESSAGE, new byte[0]));
            return KeRecord.message(out);
        }
        out.add(KeRecord.u16s(true, KeRecord.NEXT_PROTOCOL, KeRecord.PROTOCOL_NTPV4));
        if (aead < 0) {
            count("no_common_aead");
            out.add(new KeRecord(true, KeRecord.AEAD, new byte[0]));
            out.add(new KeRecord(true, KeRecord.END_OF_MESSAGE, new byte[0]));
            return KeRecord.message(out);
        }
        out.add(KeRecord.u16s(true, KeRecord.AEAD, aead));
        if (settings.ntpServer() != null)
            out.add(new KeRecord(true, KeRecord.NTPV4_SERVER, settings.ntpServer().getBytes(StandardCharsets.US_ASCII)));
        if (settings.ntpPort() >= 0) out.add(KeRecord.u16s(true, KeRecord.NTPV4_PORT, settings.ntpPort()));
        int keyLen = aead == CookieCodec.AEAD_AES_SIV_CMAC_256 ? 32 : 64;
        byte[] c2s = server.export(aead, 0, keyLen), s2c = server.export(aead, 1, keyLen);
        CookieCodec codec = new CookieCodec(keys.get());
        CookieCodec.Keys k = new CookieCodec.Keys(aead, c2s, s2c);
        for (int i = 0; i < COOKIES; i++) {
            byte[] nonce = new byte[16];
            random.nextBytes(nonce);
            out.add(new KeRecord(false, KeRecord.NEW_COOKIE, codec.seal(k, nonce)));
        }
        out.add(new KeRecord(true, KeRecord.END_OF_MESSAGE, new byte[0]));
        count("cookies_issued_aead_" + aead);
        return KeRecord.message(out);
    }

    private byte[] error(int code) {
        count("error_" + code);
        return KeRecord.message(List.of(KeRecord.u16s(true, KeRecord.ERROR, code), new KeRecord(true, KeRecord.END_OF_MESSAGE, new byte[0])));
    }

    /** The TLS side: 1.3 only, our certificate, ALPN ntske/1 mandatory, and the RFC 8915 exporter. */
    private final class Server extends DefaultTlsServer {
        Server() {
            super(crypto);
        }

        @Override
        protected ProtocolVersion[] getSupportedVersions() {
            return ProtocolVersion.TLSv13.only();
        }

        @Override
        protected Vector<ProtocolName> getProtocolNames() {
            Vector<ProtocolName> v = new Vector<>();
            v.add(ProtocolName.asUtf8Encoding(ALPN));
            return v;
        }

        /** RFC 8915 §4: without ALPN "ntske/1" the handshake fails (before the server's Finished). */
        @Override
        public java.util.Hashtable<Integer, byte[]> getServerExtensions() throws IOException {
            boolean offered = false;
            if (clientProtocolNames != null)
                for (Object o : clientProtocolNames) offered |= ALPN.equals(((ProtocolName) o).getUtf8Decoding());
            if (!offered) throw new TlsFatalAlert(AlertDescription.no_application_protocol);
            return super.getServerExtensions();
        }

        @Override
        public TlsCredentials getCredentials() throws IOException {
            CertificateEntry[] entries = new CertificateEntry[chain.size()];
            for (int i = 0; i < entries.length; i++) entries[i] = new CertificateEntry(crypto.createCertificate(chain.get(i)), null);
            Certificate cert = new Certificate(new byte[0], entries);
            int scheme = key instanceof ECPrivateKey ? SignatureScheme.ecdsa_secp256r1_sha256 : SignatureScheme.rsa_pss_rsae_sha256;
            SignatureAndHashAlgorithm alg = SignatureScheme.getSignatureAndHashAlgorithm(scheme);
            return new JcaDefaultTlsCredentialedSigner(new TlsCryptoParameters(context), crypto, key, cert, alg);
        }

        private final Map<String, byte[]> exported = new java.util.HashMap<>();

        /** Bouncy Castle exports keying material only here, so both AEADs' keys are derived now. */
        @Override
        public void notifyHandshakeComplete() throws IOException {
            super.notifyHandshakeComplete();
            for (int aead : new int[] {CookieCodec.AEAD_AES_SIV_CMAC_256, CookieCodec.AEAD_AES_SIV_CMAC_512})
                for (int dir = 0; dir < 2; dir++) exported.put(aead + "/" + dir, exportKeys(context, aead, dir));
        }

        byte[] export(int aead, int direction, int len) {
            byte[] k = exported.get(aead + "/" + direction);
            if (k == null || k.length != len) throw new IllegalStateException("keys not exported");
            return k;
        }
    }

    /** The RFC 8915 §5.1 exporter: context = protocol id (NTPv4), AEAD id, 0x00 (C2S) or 0x01 (S2C). */
    static byte[] exportKeys(org.bouncycastle.tls.TlsContext context, int aead, int direction) {
        byte[] ctx = {0, (byte) KeRecord.PROTOCOL_NTPV4, (byte) (aead >> 8), (byte) aead, (byte) direction};
        return context.exportKeyingMaterial(EXPORTER_LABEL, ctx, aead == CookieCodec.AEAD_AES_SIV_CMAC_256 ? 32 : 64);
    }

    @Override
    public void close() throws IOException {
        running = false;
        listener.close();
        workers.shutdownNow();
        deadlines.shutdownNow();
    }

}
