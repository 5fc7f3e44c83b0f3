package org.ntsfab.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ntsfab.cli.Main;
import org.ntsfab.flow.Tools;
import org.ntsfab.model.ConfigFile;
import org.ntsfab.model.pcap.Pcap;

/**
 * The capture formats against tshark: the pcapng tshark writes by default gives {@code model} exactly the answers of the
 * classic file it came from, and goes through {@code sim --check} without a mismatch; Linux cooked captures (SLL, SLL2)
 * built here by hand from the tcpdump.org header layouts dissect in tshark as the fields intended, and {@code model}
 * answers them as it answers the Ethernet frames they were made from.
 */
class CaptureFormatsTest {
    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final Path CONFIG = ROOT.resolve("configs/example.toml");

    record Run(int rc, String out, String err) {}

    static Run run(Path dir, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
        int rc;
        try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8); PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
            rc = Main.run(List.of(args), o, e, dir);
        }
        return new Run(rc, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    static String sh(String command) {
        return Tools.run(List.of("bash", "-c", command + " 2>/dev/null"), true);
    }

    /** traffic, then tshark's default output of it, which must be pcapng (Section Header Block type, byte-order magic). */
    static Path pcapng(Path dir, int count, int seed) throws Exception {
        Run t = run(dir, "traffic", "--config", CONFIG.toString(), "--out", "req.pcap", "--count", String.valueOf(count), "--seed", String.valueOf(seed));
        assertEquals(0, t.rc(), t.err());
        sh("tshark -r " + dir.resolve("req.pcap") + " -w " + dir.resolve("req.pcapng"));
        byte[] b = Files.readAllBytes(dir.resolve("req.pcapng"));
        assertEquals("0a0d0d0a", HexFormat.of().formatHex(b, 0, 4), "tshark -w writes pcapng");
        String bom = HexFormat.of().formatHex(b, 8, 12);
        assertTrue(bom.equals("4d3c2b1a") || bom.equals("1a2b3c4d"), bom);
        assertEquals(String.valueOf(count), sh("capinfos -M -c -T " + dir.resolve("req.pcapng") + " | tail -1 | cut -f2").trim());
        return dir.resolve("req.pcapng");
    }

    /** Drops the "N frames/s" of model's first line, which differs from run to run. */
    static String counters(String out) {
        return out.replaceFirst(", \\d+ frames/s", "");
    }

    @Test
    void modelAnswersTsharksPcapngExactlyAsTheClassicFile(@TempDir Path dir) throws Exception {
        Tools.require("tshark");
        pcapng(dir, 3000, 5);
        Run a = run(dir, "model", "--config", CONFIG.toString(), "--in", "req.pcap", "--out", "a.pcap", "--host", "ah.pcap");
        Run b = run(dir, "model", "--config", CONFIG.toString(), "--in", "req.pcapng", "--out", "b.pcap", "--host", "bh.pcap");
        assertEquals(0, a.rc(), a.err());
        assertEquals(0, b.rc(), b.err());
        assertEquals("", b.err());
        assertEquals(counters(a.out()), counters(b.out()));
        assertTrue(a.out().startsWith("3000 frames in"), a.out());
        assertArrayEquals(Files.readAllBytes(dir.resolve("a.pcap")), Files.readAllBytes(dir.resolve("b.pcap")), "answers");
        assertArrayEquals(Files.readAllBytes(dir.resolve("ah.pcap")), Files.readAllBytes(dir.resolve("bh.pcap")), "host frames");
        assertTrue(Files.size(dir.resolve("a.pcap")) > 100_000, "the corpus was answered");
    }

    @Test
    void simCheckOnTsharksPcapng(@TempDir Path dir) throws Exception {
        Tools.require("tshark");
        pcapng(dir, 100, 9);
        Run s = run(dir, "sim", "--config", CONFIG.toString(), "--in", "req.pcapng", "--out", "tx.pcap", "--check");
        assertEquals(0, s.rc(), s.out() + s.err());
        assertTrue(s.out().contains("frames in        100"), s.out());
        assertTrue(s.out().contains("check: 0 mismatch(es) against the reference model"), s.out());
        System.out.println(s.out().lines().filter(l -> l.startsWith("check") || l.startsWith("frames in")).toList());
    }

    // ---- Linux cooked captures, built by hand ---------------------------------------------------------------------

    static final byte[] BROADCAST = {-1, -1, -1, -1, -1, -1};

    /** LINKTYPE_LINUX_SLL: packet type (2), ARPHRD_ETHER (2), address length 6 (2), sender's address padded to 8, protocol (2). */
    static byte[] sll(int packetType, byte[] f) {
        ByteBuffer b = ByteBuffer.allocate(16 + f.length - 14);
        b.putShort((short) packetType).putShort((short) 1).putShort((short) 6).put(f, 6, 6).putShort((short) 0).put(f, 12, 2).put(f, 14, f.length - 14);
        return b.array();
    }

    /** LINKTYPE_LINUX_SLL2: protocol (2), reserved (2), interface index 7 (4), ARPHRD_ETHER (2), packet type (1), address length 6 (1), address (8). */
    static byte[] sll2(int packetType, byte[] f) {
        ByteBuffer b = ByteBuffer.allocate(20 + f.length - 14);
        b.put(f, 12, 2).putShort((short) 0).putInt(7).putShort((short) 1).put((byte) packetType).put((byte) 6).put(f, 6, 6).putShort((short) 0)
                .put(f, 14, f.length - 14);
        return b.array();
    }

    /** A classic little-endian nanosecond pcap of link type {@code linkType}. */
    static byte[] classic(int linkType, List<Pcap.Record> times, List<byte[]> data) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(ByteBuffer.allocate(24).order(ByteOrder.LITTLE_ENDIAN).putInt(0xa1b23c4d).putShort((short) 2).putShort((short) 4)
                .putInt(0).putInt(0).putInt(65535).putInt(linkType).array());
        for (int i = 0; i < data.size(); i++) {
            byte[] d = data.get(i);
            out.writeBytes(ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putInt((int) times.get(i).time().getEpochSecond())
                    .putInt(times.get(i).time().getNano()).putInt(d.length).putInt(d.length).array());
            out.writeBytes(d);
        }
        return out.toByteArray();
    }

    /** A big-endian pcapng: Section Header Block, one interface of {@code linkType} with if_tsresol 10^-9, Enhanced Packet Blocks. */
    static byte[] pcapng(int linkType, List<Pcap.Record> times, List<byte[]> data) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(block(0x0A0D0D0A, ByteBuffer.allocate(16).putInt(0x1A2B3C4D).putShort((short) 1).putShort((short) 0).putLong(-1).array()));
        out.writeBytes(block(1, ByteBuffer.allocate(20).putShort((short) linkType).putShort((short) 0).putInt(0)
                .putShort((short) 9).putShort((short) 1).put((byte) 9).put(new byte[3]).putInt(0).array()));
        for (int i = 0; i < data.size(); i++) {
            byte[] d = data.get(i);
            long ts = times.get(i).time().getEpochSecond() * 1_000_000_000L + times.get(i).time().getNano();
            out.writeBytes(block(6, ByteBuffer.allocate(20 + (d.length + 3 & ~3)).putInt(0).putLong(ts).putInt(d.length).putInt(d.length).put(d).array()));
        }
        return out.toByteArray();
    }

    static byte[] block(int type, byte[] body) {
        int total = 12 + (body.length + 3 & ~3);
        return ByteBuffer.allocate(total).putInt(type).putInt(total).put(body).putInt(total - 4, total).array();
    }

    @Test
    void tsharkDissectsTheHandBuiltCookedFramesAndModelAnswersThemAsEthernet(@TempDir Path dir) throws Exception {
        Tools.require("tshark");
        ConfigFile cfg = ConfigFile.load(CONFIG);
        Run t = run(dir, "traffic", "--config", CONFIG.toString(), "--out", "all.pcap", "--count", "600", "--seed", "4");
        assertEquals(0, t.rc(), t.err());
        // the frames a cooked capture can stand for exactly: sent to us, broadcast, or multicast IPv6 to its group's MAC, at least 60 bytes
        List<Pcap.Record> kept = new ArrayList<>(), times = new ArrayList<>();
        List<Integer> types = new ArrayList<>();
        int toUs = 0, broadcast = 0, multicast = 0, outgoing = 0;
        for (Pcap.Record r : Pcap.read(dir.resolve("all.pcap"))) {
            byte[] f = r.frame();
            if (f.length < 60) continue;
            byte[] dst = Arrays.copyOf(f, 6);
            int type;
            if (Arrays.equals(dst, cfg.mac())) type = 0;
            else if (Arrays.equals(dst, BROADCAST)) type = 1;
            else if (f.length >= 54 && f[12] == (byte) 0x86 && f[13] == (byte) 0xdd && f[0] == 0x33 && f[1] == 0x33
                    && Arrays.equals(Arrays.copyOfRange(f, 2, 6), Arrays.copyOfRange(f, 14 + 36, 14 + 40))) type = 2;
            else continue;
            if (type == 0) toUs++;
            if (type == 1) broadcast++;
            if (type == 2) multicast++;
            kept.add(r);
            times.add(r);
            types.add(type);
            if (kept.size() % 50 == 7) { // now and then a frame this host sent: dropped
                times.add(r);
                types.add(4);
                outgoing++;
            }
        }
        assertTrue(toUs > 300 && broadcast > 0 && multicast > 0, toUs + " " + broadcast + " " + multicast);
        List<byte[]> v1 = new ArrayList<>(), v2 = new ArrayList<>();
        for (int i = 0; i < times.size(); i++) {
            byte[] f = times.get(i).frame();
            v1.add(sll(types.get(i), f));
            v2.add(sll2(types.get(i), f));
        }
        Files.write(dir.resolve("sll.pcap"), classic(113, times, v1));
        Files.write(dir.resolve("sll2.pcapng"), pcapng(276, times, v2));
        Pcap.write(dir.resolve("eth.pcap"), kept);

        // tshark: the cooked header fields as built, the IP/UDP/NTP fields as tshark reads them in the Ethernet frames
        String ipFields = " -e ip.src -e ip.dst -e ipv6.src -e ipv6.dst -e udp.srcport -e udp.dstport -e ntp.flags.mode -e arp.opcode -e frame.time_epoch";
        List<String> eth = sh("tshark -r " + dir.resolve("eth.pcap") + " -T fields -E separator=@ -e eth.src -e eth.type" + ipFields).lines().toList();
        List<String> c1 = sh("tshark -r " + dir.resolve("sll.pcap") + " -T fields -E separator=@ -e sll.pkttype -e sll.hatype -e sll.halen"
                + " -e sll.src.eth -e sll.etype" + ipFields).lines().toList();
        List<String> c2 = sh("tshark -r " + dir.resolve("sll2.pcapng") + " -T fields -E separator=@ -e sll.pkttype -e sll.hatype -e sll.halen"
                + " -e sll.src.eth -e sll.etype -e sll.ifindex" + ipFields).lines().toList();
        assertEquals(times.size(), c1.size());
        assertEquals(times.size(), c2.size());
        assertEquals(kept.size(), eth.size());
        for (int i = 0, k = 0; i < times.size(); i++) {
            String[] sll = c1.get(i).split("@", 6), sll2 = c2.get(i).split("@", 7);
            String e = eth.get(types.get(i) == 4 ? k - 1 : k); // an outgoing frame is a copy of the one before it
            String src = e.substring(0, e.indexOf('@')), rest = e.substring(e.indexOf('@') + 1); // eth.type@ip...
            String intended = types.get(i) + "@1@6@" + src + "@";
            assertEquals(intended + rest, c1.get(i), "SLL frame " + i);
            assertEquals(intended + rest.substring(0, rest.indexOf('@')) + "@7" + rest.substring(rest.indexOf('@')), c2.get(i), "SLL2 frame " + i);
            if (types.get(i) != 4) k++;
            assertEquals(sll[4], sll2[4]);
        }
        assertTrue(eth.stream().filter(l -> l.contains("@0x0800@") || l.contains("@0x86dd@")).anyMatch(l -> l.contains("@123@")), "NTP requests in the corpus");

        // model: the cooked captures' answers are the Ethernet frames' answers, and one note line says what was done
        Run ref = run(dir, "model", "--config", CONFIG.toString(), "--in", "eth.pcap", "--out", "ref.pcap", "--host", "refh.pcap");
        assertEquals(0, ref.rc(), ref.err());
        String mac = HexFormat.ofDelimiter(":").formatHex(cfg.mac());
        for (String in : List.of("sll.pcap", "sll2.pcapng")) {
            Run m = run(dir, "model", "--config", CONFIG.toString(), "--in", in, "--out", in + ".out", "--host", in + ".host");
            assertEquals(0, m.rc(), m.err());
            assertEquals(List.of("ntsfab model: note: " + in + ": " + times.size() + " of " + times.size() + " frames are from a Linux cooked capture,"
                    + " which has no destination MAC: " + toUs + " to us, now addressed to " + mac + " (the configuration's MAC), " + broadcast
                    + " broadcast, to ff:ff:ff:ff:ff:ff, " + multicast + " multicast, to their IP groups' MACs; dropped " + outgoing + " outgoing"),
                    m.err().lines().toList());
            assertEquals(counters(ref.out()), counters(m.out()), in);
            assertArrayEquals(Files.readAllBytes(dir.resolve("ref.pcap")), Files.readAllBytes(dir.resolve(in + ".out")), in + " answers");
            assertArrayEquals(Files.readAllBytes(dir.resolve("refh.pcap")), Files.readAllBytes(dir.resolve(in + ".host")), in + " host frames");
        }
    }
}
