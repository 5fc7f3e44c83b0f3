package org.ntsfab.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.ntsfab.model.pcap.Pcap;
import org.ntsfab.model.traffic.TrafficGenerator;

/** The config file, pcap I/O, the traffic generator and the capture runner. */
class FilesTest {
    static ConfigFile example() throws IOException {
        return ConfigFile.load(Path.of("../configs/example.toml"));
    }

    @Test
    void exampleConfigLoadsWithEveryValue() throws IOException {
        ConfigFile c = example();
        assertArrayEquals(new byte[] {2, 0, 0x5e, 0x10, 0, 1}, c.mac());
        assertArrayEquals(new byte[] {(byte) 192, 0, 2, 123}, c.ipv4());
        assertEquals(16, c.ipv6().length);
        assertEquals(-1, c.vlan());
        assertEquals(156_250_000L, c.frequencyHz());
        assertEquals(2, c.ntsCurrentKey());
        assertEquals(2, c.ntsKeys().size());
        assertEquals(7, c.maxPlaceholders());
        assertEquals(16, c.rootDispersion());
        ResponderConfig r = c.responder(Instant.parse("2026-11-24T00:00:00Z"));
        assertEquals((1795478400L + 2208988800L) << 32, r.clock().at(0), "cycle 0 reads the load time in NTP era 0");
    }

    @Test
    void configCanTakeItsKeysFromTheSharedKeyFile(@org.junit.jupiter.api.io.TempDir Path dir) throws IOException {
        org.ntsfab.model.nts.KeyFile kf = org.ntsfab.model.nts.KeyFile.generate(new java.security.SecureRandom(), Instant.now());
        kf.save(dir.resolve("keys.toml"));
        java.nio.file.Files.writeString(dir.resolve("c.toml"), "[interface]\nmac = \"02:00:00:00:00:01\"\nipv4 = \"192.0.2.1\"\n"
                + "[nts]\nnonce_seed = \"000102030405060708090a0b0c0d0e0f\"\nkey_file = \"keys.toml\"\n");
        ConfigFile c = ConfigFile.load(dir.resolve("c.toml"));
        assertEquals(kf.current(), c.ntsCurrentKey());
        assertArrayEquals(kf.key(kf.next()).key(), c.ntsKeys().get(kf.next()));
    }

    @Test
    void configIsStrict() {
        IOException e = assertThrows(IOException.class, () -> ConfigFile.parse("[interface]\nmac = \"02:00:00:00:00:01\"\nttll = 3\n"));
        assertTrue(e.getMessage().contains("ttll"), e.getMessage());
        assertThrows(IOException.class, () -> ConfigFile.parse("[interfaces]\nmac = \"02:00:00:00:00:01\"\n"));
        assertThrows(IOException.class, () -> ConfigFile.parse("[interface]\nmac = \"02:00:00:00:00:01\"\n[nts]\nnonce_seed = \"00\"\n[[nts.keys]]\nid = 1\nkey = \"00\"\n"));
        assertThrows(IOException.class, () -> ConfigFile.parse("[interface]\nmac = \"02:00:00:00:00:01\"\nipv4 = \"example.com\"\n"));
    }

    @Test
    void pcapRoundTripsNanosecondsAndReadsMicrosecondFiles() throws IOException {
        List<Pcap.Record> recs = List.of(new Pcap.Record(Instant.parse("2026-11-24T12:00:00.000000006Z"), new byte[60]),
                new Pcap.Record(Instant.parse("2026-11-24T12:00:01.123456789Z"), new byte[] {1, 2, 3}));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Pcap.write(out, recs);
        List<Pcap.Record> back = Pcap.read(new ByteArrayInputStream(out.toByteArray()));
        assertEquals(recs.get(1).time(), back.get(1).time());
        assertArrayEquals(recs.get(1).frame(), back.get(1).frame());
        // a big-endian microsecond file, as older tools write
        ByteBuffer b = ByteBuffer.allocate(24 + 16 + 4).order(ByteOrder.BIG_ENDIAN);
        b.putInt(0xa1b2c3d4).putShort((short) 2).putShort((short) 4).putInt(0).putInt(0).putInt(65535).putInt(1);
        b.putInt(1_795_521_600).putInt(250_000).putInt(4).putInt(4).put(new byte[] {9, 8, 7, 6});
        Pcap.Record r = Pcap.read(new ByteArrayInputStream(b.array())).get(0);
        assertEquals(Instant.parse("2026-11-24T12:00:00.250Z"), r.time());
        assertArrayEquals(new byte[] {9, 8, 7, 6}, r.frame());
    }

    @Test
    void trafficIsDeterministicAndCoversEveryOutcomeFamily() throws IOException {
        ConfigFile c = example();
        Instant t = Instant.parse("2026-11-24T12:00:00Z");
        List<Pcap.Record> a = new TrafficGenerator(c, 5).generate(3000, TrafficGenerator.DEFAULT_MIX, t);
        List<Pcap.Record> b = new TrafficGenerator(c, 5).generate(3000, TrafficGenerator.DEFAULT_MIX, t);
        for (int i = 0; i < a.size(); i++) assertArrayEquals(a.get(i).frame(), b.get(i).frame());
        ModelRun.Output out = ModelRun.run(c, a, 8);
        for (Outcome o : List.of(Outcome.ANSWER_NTP, Outcome.ANSWER_NTS, Outcome.ANSWER_NTS_NAK_COOKIE, Outcome.ANSWER_NTS_NAK_AUTH,
                Outcome.ANSWER_ARP, Outcome.ANSWER_ICMP_ECHO, Outcome.ANSWER_ICMPV6_ECHO, Outcome.ANSWER_NDP_ADVERT,
                Outcome.DROP_NTP_CONTROL, Outcome.DROP_NTS_MALFORMED, Outcome.HOST_UDP_PORT, Outcome.HOST_NOT_FOR_US))
            assertTrue(out.counters().get(o) > 0, o + " never happened");
        long total = out.counters().values().stream().mapToLong(Long::longValue).sum();
        assertEquals(a.size(), total, "every frame has exactly one outcome");
    }

    @Test
    void answersLeaveInOrderOnePortAtATimeAfterTheLatency() throws IOException {
        ConfigFile c = example();
        List<Pcap.Record> in = new TrafficGenerator(c, 6).generate(2000, TrafficGenerator.parseMix("ntp=1"), Instant.parse("2026-11-24T12:00:00Z"));
        ModelRun.Output out = ModelRun.run(c, in, 8);
        assertEquals(in.size(), out.answers().size());
        double cycle = 1e9 / c.frequencyHz();
        for (int i = 0; i < in.size(); i++) {
            long lat = java.time.Duration.between(in.get(i).time(), out.answers().get(i).time()).toNanos();
            long beatsIn = ModelRun.beats(in.get(i).frame().length, 8);
            assertTrue(lat >= (beatsIn - 1 + c.answerLatencyCycles()) * cycle - 1, "answer " + i + " left too early: " + lat + " ns");
            if (i > 0) {
                long gap = java.time.Duration.between(out.answers().get(i - 1).time(), out.answers().get(i).time()).toNanos();
                assertTrue(gap >= ModelRun.beats(out.answers().get(i - 1).frame().length, 8) * cycle - 1, "answers overlap at " + i);
            }
        }
    }

    /**
     * The NTS cores' answers (spec 9.7): each leaves exactly the residence after its request's first beat, whatever
     * else is waiting; the rest are dropped as drop_nts_overload by the cores' own rule (31 contexts, each held 12 400
     * cycles in configs/example.toml), so a corpus at full speed finds most requests dropped, and plain NTP answers
     * between them skip the reserved cycles.
     */
    @Test
    void ntsAnswersLeaveAtTheirFixedResidence() throws IOException {
        ConfigFile c = example();
        List<Pcap.Record> in = new TrafficGenerator(c, 6).generate(2000, TrafficGenerator.parseMix("ntp=1,nts=1"), Instant.parse("2026-11-24T12:00:00Z"));
        ModelRun.Output out = ModelRun.run(c, in, 8);
        long nts = out.counters().get(Outcome.ANSWER_NTS) + out.counters().get(Outcome.ANSWER_NTS_NAK_COOKIE)
                + out.counters().get(Outcome.ANSWER_NTS_NAK_AUTH);
        long dropped = out.counters().get(Outcome.DROP_NTS_OVERLOAD);
        assertTrue(nts > 0 && dropped > 0, nts + " NTS answers, " + dropped + " dropped");
        double hz = c.frequencyHz();
        java.util.Set<Long> rxCycles = new java.util.HashSet<>();
        for (Pcap.Record r : in) rxCycles.add(Math.round(java.time.Duration.between(in.get(0).time(), r.time()).toNanos() * hz / 1e9));
        long atLong = 0, atShort = 0;
        for (Pcap.Record a : out.answers()) {
            long tx = Math.round(java.time.Duration.between(in.get(0).time(), a.time()).toNanos() * hz / 1e9);
            if (a.frame().length <= 150) continue;
            if (rxCycles.contains(tx - c.ntsCapacity().residenceCycles())) atLong++;
            else if (rxCycles.contains(tx - c.ntsCapacity().shortResidenceCycles())) atShort++;
        }
        // (a request arrives at most once every few cycles, so an answer cannot be both)
        assertEquals(nts, atLong + atShort, "every NTS answer leaves 12 000 or, short, 3 000 cycles after a request arrived");
        assertTrue(atLong > 0 && atShort > 0, atLong + " long, " + atShort + " short");
        assertEquals(in.size() - dropped - out.counters().get(Outcome.DROP_NTS_MALFORMED), out.answers().size());
    }
}
