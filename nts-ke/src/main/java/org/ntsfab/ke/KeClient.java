package org.ntsfab.ke;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Vector;
import org.bouncycastle.tls.DefaultTlsClient;
import org.bouncycastle.tls.ProtocolName;
import org.bouncycastle.tls.ProtocolVersion;
import org.bouncycastle.tls.ServerOnlyTlsAuthentication;
import org.bouncycastle.tls.TlsAuthentication;
import org.bouncycastle.tls.TlsClientProtocol;
import org.bouncycastle.tls.TlsServerCertificate;
import org.bouncycastle.tls.crypto.impl.jcajce.JcaTlsCryptoProvider;

/**
 * An NTS-KE client (RFC 8915 §4) for tests, conformance checks and load: sends raw records over TLS
 * with a chosen ALPN and TLS versions, reads the answer to End of Message, and exports the C2S/S2C
 * keys. It does not verify the server's certificate chain (a test tool; the real clients do).
 */
public final class KeClient {
    private KeClient() {}

    /** The server's records and the keys exported for the negotiated AEAD (null when none). */
    public record Result(List<KeRecord> records, byte[] c2s, byte[] s2c, int aead) {
        public List<byte[]> cookies() {
            List<byte[]> c = new ArrayList<>();
            for (KeRecord r : records) if (r.type() == KeRecord.NEW_COOKIE) c.add(r.body());
            return c;
        }

        public KeRecord first(int type) {
            for (KeRecord r : records) if (r.type() == type) return r;
            return null;
        }
    }

    public static Result exchange(String host, int port, byte[] request, String alpn, ProtocolVersion[] versions) throws IOException {
        try (Socket s = new Socket(host, port)) {
            s.setSoTimeout(15_000);
            TlsClientProtocol tls = new TlsClientProtocol(s.getInputStream(), s.getOutputStream());
            Client c = new Client(alpn, versions);
            tls.connect(c);
            tls.getOutputStream().write(request);
            tls.getOutputStream().flush();
            InputStream in = tls.getInputStream();
            ByteArrayOutputStream got = new ByteArrayOutputStream();
            byte[] buf = new byte[4096];
            List<KeRecord> recs = new ArrayList<>();
            while (true) {
                int n;
                try {
                    n = in.read(buf);
                } catch (IOException e) {
                    break;
                }
                if (n < 0) break;
                got.write(buf, 0, n);
                recs.clear();
                byte[] all = got.toByteArray();
                KeRecord.parse(all, all.length, recs);
                if (recs.stream().anyMatch(r -> r.type() == KeRecord.END_OF_MESSAGE)) break;
            }
            int aead = -1;
            for (KeRecord r : recs) if (r.type() == KeRecord.AEAD && r.values() != null && r.values().length == 1) aead = r.values()[0];
            byte[] c2s = null, s2c = null;
            if (aead == 15 || aead == 17) {
                int len = aead == 15 ? 32 : 64;
                c2s = c.export(aead, 0, len);
                s2c = c.export(aead, 1, len);
            }
            try {
                tls.close();
            } catch (IOException ignored) {
                // the server may have closed first
            }
            return new Result(List.copyOf(recs), c2s, s2c, aead);
        }
    }

    /** A well-formed request: Next Protocol NTPv4, the given AEAD ids, End of Message. */
    public static byte[] request(int... aeads) {
        return KeRecord.message(List.of(KeRecord.u16s(true, KeRecord.NEXT_PROTOCOL, KeRecord.PROTOCOL_NTPV4),
                KeRecord.u16s(true, KeRecord.AEAD, aeads), new KeRecord(true, KeRecord.END_OF_MESSAGE, new byte[0])));
    }

    private static final class Client extends DefaultTlsClient {
        private final String alpn;
        private final ProtocolVersion[] versions;

        Client(String alpn, ProtocolVersion[] versions) {
            super(new JcaTlsCryptoProvider().create(new SecureRandom()));
            this.alpn = alpn;
            this.versions = versions;
        }

        @Override
        protected ProtocolVersion[] getSupportedVersions() {
            return versions;
        }

        @Override
        protected Vector<ProtocolName> getProtocolNames() {
            if (alpn == null) return null;
            Vector<ProtocolName> v = new Vector<>();
            v.add(ProtocolName.asUtf8Encoding(alpn));
            return v;
        }

        @Override
        public TlsAuthentication getAuthentication() {
            return new ServerOnlyTlsAuthentication() {
                @Override
                public void notifyServerCertificate(TlsServerCertificate serverCertificate) {
                    // test tool: accepted without path validation
                }
            };
        }

        private final java.util.Map<String, byte[]> exported = new java.util.HashMap<>();

        @Override
        public void notifyHandshakeComplete() throws IOException {
            super.notifyHandshakeComplete();
            for (int aead : new int[] {15, 17})
                for (int dir = 0; dir < 2; dir++) exported.put(aead + "/" + dir, NtsKeServer.exportKeys(context, aead, dir));
        }

        byte[] export(int aead, int direction, int len) {
            return exported.get(aead + "/" + direction);
        }
    }
}
