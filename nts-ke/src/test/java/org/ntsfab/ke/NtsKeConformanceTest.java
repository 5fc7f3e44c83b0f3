package org.ntsfab.ke;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.List;
import org.bouncycastle.tls.ProtocolVersion;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ntsfab.model.nts.CookieCodec;
import org.ntsfab.model.nts.KeyFile;

/** Every NTS-KE rule, exercised with raw TLS clients. */
class NtsKeConformanceTest {
    @TempDir
    static Path dir;
    static NtsKeServer server;
    static KeyFile keys;

    @BeforeAll
    static void start() throws IOException {
        SelfSigned.create(dir.resolve("cert.pem"), dir.resolve("key.pem"), "localhost", List.of("localhost"), List.of("127.0.0.1"));
        keys = KeyFile.generate(new SecureRandom(), Instant.now());
        server = new NtsKeServer(new InetSocketAddress("127.0.0.1", 0), Pem.certificates(dir.resolve("cert.pem")),
                Pem.privateKey(dir.resolve("key.pem")), keys::masterKeys,
                new NtsKeServer.Settings(4, 1500, 1024, null, 10123));
    }

    @AfterAll
    static void stop() throws IOException {
        server.close();
    }

    static KeClient.Result ask(byte[] request) throws IOException {
        return KeClient.exchange("127.0.0.1", server.port(), request, NtsKeServer.ALPN, ProtocolVersion.TLSv13.only());
    }

    static int errorCode(KeClient.Result r) {
        KeRecord e = r.first(KeRecord.ERROR);
        assertNotNull(e, "an Error record: " + r.records());
        assertTrue(e.critical());
        assertEquals(KeRecord.END_OF_MESSAGE, r.records().get(r.records().size() - 1).type());
        assertTrue(r.cookies().isEmpty());
        return e.values()[0];
    }

    @Test
    void goodRequestGetsEightCookiesSealingTheExportedKeys() throws IOException {
        KeClient.Result r = ask(KeClient.request(15));
        assertArrayEquals(new int[] {0}, r.first(KeRecord.NEXT_PROTOCOL).values());
        assertArrayEquals(new int[] {15}, r.first(KeRecord.AEAD).values());
        assertArrayEquals(new int[] {10123}, r.first(KeRecord.NTPV4_PORT).values());
        assertEquals(8, r.cookies().size());
        CookieCodec codec = new CookieCodec(keys.masterKeys());
        for (byte[] c : r.cookies()) {
            assertEquals(100, c.length);
            CookieCodec.Keys k = codec.open(c).keys();
            assertArrayEquals(r.c2s(), k.c2s(), "the cookie carries the key both ends exported");
            assertArrayEquals(r.s2c(), k.s2c());
        }
        assertTrue(!java.util.Arrays.equals(r.c2s(), r.s2c()));
    }

    @Test
    void theClientsOrderWinsAmongOurs() throws IOException {
        KeClient.Result r = ask(KeClient.request(17, 15));
        assertArrayEquals(new int[] {17}, r.first(KeRecord.AEAD).values());
        assertEquals(164, r.cookies().get(0).length);
        assertArrayEquals(new int[] {15}, ask(KeClient.request(30, 15)).first(KeRecord.AEAD).values());
    }

    @Test
    void noCommonAeadGetsAnEmptyAeadRecordAndNoCookies() throws IOException {
        KeClient.Result r = ask(KeClient.request(30, 1));
        assertEquals(0, r.first(KeRecord.AEAD).body().length);
        assertTrue(r.cookies().isEmpty());
    }

    @Test
    void missingNextProtocolIsABadRequest() throws IOException {
        byte[] req = KeRecord.message(List.of(KeRecord.u16s(true, KeRecord.AEAD, 15), new KeRecord(true, 0, new byte[0])));
        assertEquals(KeRecord.ERROR_BAD_REQUEST, errorCode(ask(req)));
    }

    @Test
    void nonCriticalNextProtocolOrMissingAeadIsABadRequest() throws IOException {
        assertEquals(KeRecord.ERROR_BAD_REQUEST, errorCode(ask(KeRecord.message(List.of(KeRecord.u16s(false, 1, 0),
                KeRecord.u16s(true, 4, 15), new KeRecord(true, 0, new byte[0]))))));
        assertEquals(KeRecord.ERROR_BAD_REQUEST, errorCode(ask(KeRecord.message(List.of(KeRecord.u16s(true, 1, 0),
                new KeRecord(true, 0, new byte[0]))))));
    }

    @Test
    void unknownCriticalRecordIsError0AndUnknownNonCriticalIsIgnored() throws IOException {
        byte[] crit = KeRecord.message(List.of(KeRecord.u16s(true, 1, 0), KeRecord.u16s(true, 4, 15),
                new KeRecord(true, 0x4321, new byte[3]), new KeRecord(true, 0, new byte[0])));
        assertEquals(KeRecord.ERROR_UNRECOGNIZED_CRITICAL, errorCode(ask(crit)));
        byte[] soft = KeRecord.message(List.of(KeRecord.u16s(true, 1, 0), KeRecord.u16s(true, 4, 15),
                new KeRecord(false, 0x4321, new byte[3]), new KeRecord(true, 0, new byte[0])));
        assertEquals(8, ask(soft).cookies().size());
    }

    @Test
    void oversizedRequestIsABadRequest() throws IOException {
        byte[] big = KeRecord.message(List.of(KeRecord.u16s(true, 1, 0), new KeRecord(false, 0x4000, new byte[2000]),
                KeRecord.u16s(true, 4, 15), new KeRecord(true, 0, new byte[0])));
        assertEquals(KeRecord.ERROR_BAD_REQUEST, errorCode(ask(big)));
    }

    @Test
    void missingEndOfMessageTimesOutWithoutAnswer() throws IOException {
        long t0 = System.nanoTime();
        KeClient.Result r = ask(KeRecord.message(List.of(KeRecord.u16s(true, 1, 0), KeRecord.u16s(true, 4, 15))));
        assertTrue(r.records().isEmpty());
        double secs = (System.nanoTime() - t0) / 1e9;
        assertTrue(secs >= 1.4 && secs < 8, "closed after the 1.5 s deadline, took " + secs);
    }

    @Test
    void aSlowClientIsCutOffAtTheDeadline() throws IOException {
        try (Socket s = new Socket("127.0.0.1", server.port())) {
            s.setSoTimeout(10_000);
            long t0 = System.nanoTime();
            assertEquals(-1, s.getInputStream().read(), "the server closes a silent connection");
            double secs = (System.nanoTime() - t0) / 1e9;
            assertTrue(secs >= 1.4 && secs < 8, "after " + secs + " s");
        }
    }

    @Test
    void tls12IsRefused() {
        assertThrows(IOException.class, () -> KeClient.exchange("127.0.0.1", server.port(), KeClient.request(15), NtsKeServer.ALPN,
                ProtocolVersion.TLSv12.only()));
    }

    @Test
    void wrongOrMissingAlpnIsRefused() {
        assertThrows(IOException.class, () -> KeClient.exchange("127.0.0.1", server.port(), KeClient.request(15), "http/1.1",
                ProtocolVersion.TLSv13.only()));
        assertThrows(IOException.class, () -> KeClient.exchange("127.0.0.1", server.port(), KeClient.request(15), null,
                ProtocolVersion.TLSv13.only()));
    }

    @Test
    void connectionsBeyondTheCapAreRefused() throws Exception {
        Socket[] idle = new Socket[4];
        try {
            for (int i = 0; i < idle.length; i++) idle[i] = new Socket("127.0.0.1", server.port());
            Thread.sleep(300);
            try (Socket extra = new Socket("127.0.0.1", server.port())) {
                extra.setSoTimeout(5000);
                assertEquals(-1, extra.getInputStream().read(), "closed at once");
            }
            assertTrue(server.counters.get("refused_over_capacity").get() >= 1);
        } finally {
            for (Socket s : idle) if (s != null) s.close();
        }
        Thread.sleep(300);
        assertNull(ask(KeClient.request(15)).first(KeRecord.ERROR), "served again once the slots are free");
    }
}
