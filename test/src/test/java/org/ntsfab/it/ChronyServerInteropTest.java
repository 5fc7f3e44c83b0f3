package org.ntsfab.it;

import org.ntsfab.ke.KeClient;
import org.ntsfab.ke.KeRecord;
import org.ntsfab.ke.NtsKeServer;
import org.ntsfab.ke.SelfSigned;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.bouncycastle.tls.ProtocolVersion;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ntsfab.model.traffic.FrameBuilder;
import org.ntsfab.model.traffic.NtsClient;

/** The other direction: our NTS-KE client and NTS-NTP client code against chrony 4.3 as an NTS server. */
class ChronyServerInteropTest {
    static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    @Test
    void ourClientCodeTalksNtsToChrony(@TempDir Path dir) throws Exception {
        Assumptions.assumeTrue(Chrony.available(), "chrony cannot be installed here; interop not tested");
        SelfSigned.create(dir.resolve("cert.pem"), dir.resolve("key.pem"), "localhost", List.of("localhost"), List.of("127.0.0.1"));
        int ntp = freePort(), ke = freePort();
        Files.writeString(dir.resolve("chrony.conf"), String.join("\n", "local stratum 1", "allow 127.0.0.1", "port " + ntp,
                "bindaddress 127.0.0.1", "ntsport " + ke, "ntsserverkey " + dir.resolve("key.pem"), "ntsservercert " + dir.resolve("cert.pem"),
                "cmdport 0", "pidfile " + dir.resolve("chronyd.pid"), ""));
        Process chronyd = new ProcessBuilder("chronyd", "-x", "-u", "root", "-d", "-f", dir.resolve("chrony.conf").toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("chronyd.log").toFile()).start();
        try {
            boolean up = false;
            for (int i = 0; i < 40 && !up; i++) {
                try (Socket s = new Socket("127.0.0.1", ke)) {
                    up = true;
                } catch (java.io.IOException e) {
                    Thread.sleep(250);
                }
            }
            assertTrue(up, "chronyd NTS-KE did not start: " + Files.readString(dir.resolve("chronyd.log")));
            KeClient.Result r = KeClient.exchange("127.0.0.1", ke, KeClient.request(15), NtsKeServer.ALPN, ProtocolVersion.TLSv13.only());
            assertArrayEquals(new int[] {15}, r.first(KeRecord.AEAD).values(), "chrony chose AEAD 15: " + r.records());
            assertEquals(8, r.cookies().size());
            byte[] uid = new byte[32];
            new java.security.SecureRandom().nextBytes(uid);
            byte[] request = NtsClient.request(FrameBuilder.ntpRequest(4, 3, 0x0102030405060708L), uid, r.cookies().get(0), 1,
                    r.c2s(), new byte[16], new byte[0]);
            byte[] answer = null;
            try (DatagramSocket s = new DatagramSocket()) {
                s.setSoTimeout(1000);
                for (int attempt = 0; attempt < 20 && answer == null; attempt++) {
                    s.send(new DatagramPacket(request, request.length, new InetSocketAddress("127.0.0.1", ntp)));
                    DatagramPacket p = new DatagramPacket(new byte[2048], 2048);
                    try {
                        s.receive(p);
                        answer = Arrays.copyOf(p.getData(), p.getLength());
                    } catch (java.net.SocketTimeoutException e) {
                        Thread.sleep(500); // chrony may still be starting its server
                    }
                }
            }
            assertTrue(answer != null, "chrony did not answer: " + Files.readString(dir.resolve("chronyd.log")));
            assertEquals(request.length, answer.length, "chrony pads its answer to the request's length, as our spec does");
            NtsClient.Verified v = NtsClient.verify(answer, uid, r.s2c()).orElseThrow(() -> new AssertionError("answer did not verify"));
            assertEquals(2, v.cookies().size(), "1 + 1 placeholder fresh cookies");
            assertEquals(0x0102030405060708L, java.nio.ByteBuffer.wrap(answer, 24, 8).getLong(), "origin = our transmit");
        } finally {
            chronyd.destroy();
            chronyd.waitFor(10, TimeUnit.SECONDS);
        }
    }
}
