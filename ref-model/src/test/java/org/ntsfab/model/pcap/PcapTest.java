package org.ntsfab.model.pcap;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * Captures built here byte by byte from the pcapng draft (draft-ietf-opsawg-pcapng) and the tcpdump.org LINKTYPE_LINUX_SLL
 * / _SLL2 layouts, with the times and frames they must give worked out by hand; every way a capture can be wrong, one
 * line each.
 */
class PcapTest {
    /** 2026-11-24T12:00:00Z in seconds since 1970. */
    private static final long T = 1_795_521_600L;

    // ---- pcapng built by hand ------------------------------------------------------------------------------------

    /** A pcapng file in one byte order per section; each block's two total lengths computed from its body. */
    static final class Ng {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteOrder o;

        Ng(ByteOrder o) {
            this.o = o;
        }

        Ng raw(byte[] b) {
            out.writeBytes(b);
            return this;
        }

        /** type, total, body padded to 4, total */
        Ng block(int type, byte[] body) {
            int total = 12 + (body.length + 3 & ~3);
            ByteBuffer b = ByteBuffer.allocate(total).order(o);
            b.putInt(type).putInt(total).put(body).putInt(total - 4, total);
            return raw(b.array());
        }

        Ng section(ByteOrder order, byte[]... options) {
            o = order;
            ByteBuffer b = ByteBuffer.allocate(16).order(o).putInt(0x1A2B3C4D).putShort((short) 1).putShort((short) 0).putLong(-1);
            return block(0x0A0D0D0A, cat(b.array(), options(options)));
        }

        Ng idb(int linkType, byte[]... options) {
            ByteBuffer b = ByteBuffer.allocate(8).order(o).putShort((short) linkType).putShort((short) 0).putInt(0);
            return block(1, cat(b.array(), options(options)));
        }

        Ng epb(int iface, long ts, byte[] data, int original, byte[]... options) {
            ByteBuffer b = ByteBuffer.allocate(20 + (data.length + 3 & ~3)).order(o);
            b.putInt(iface).putInt((int) (ts >>> 32)).putInt((int) ts).putInt(data.length).putInt(original).put(data);
            return block(6, cat(b.array(), options(options)));
        }

        Ng epb(int iface, long ts, byte[] data) {
            return epb(iface, ts, data, data.length);
        }

        /** The obsolete Packet Block: a 16-bit interface and a drops count where the EPB has its 32-bit interface. */
        Ng pb(int iface, long ts, byte[] data) {
            ByteBuffer b = ByteBuffer.allocate(20 + (data.length + 3 & ~3)).order(o);
            b.putShort((short) iface).putShort((short) 7).putInt((int) (ts >>> 32)).putInt((int) ts).putInt(data.length).putInt(data.length).put(data);
            return block(2, b.array());
        }

        byte[] opt(int code, byte[] value) {
            ByteBuffer b = ByteBuffer.allocate(4 + (value.length + 3 & ~3)).order(o);
            return b.putShort((short) code).putShort((short) value.length).put(value).array();
        }

        byte[] tsoffset(long seconds) {
            return opt(14, ByteBuffer.allocate(8).order(o).putLong(seconds).array());
        }

        byte[] u32(int v) {
            return ByteBuffer.allocate(4).order(o).putInt(v).array();
        }

        private byte[] options(byte[][] options) {
            if (options.length == 0) return new byte[0];
            return cat(cat(options), new byte[4]); // opt_endofopt
        }

        byte[] bytes() {
            return out.toByteArray();
        }
    }

    static byte[] cat(byte[]... parts) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        for (byte[] p : parts) b.writeBytes(p);
        return b.toByteArray();
    }

    static byte[] frame(int length, int seed) {
        byte[] f = new byte[length];
        for (int i = 0; i < length; i++) f[i] = (byte) (seed * 31 + i);
        return f;
    }

    static List<Pcap.Record> read(byte[] b) throws IOException {
        return Pcap.read(new ByteArrayInputStream(b));
    }

    static String error(byte[] b) {
        return assertThrows(IOException.class, () -> read(b)).getMessage();
    }

    private static ByteOrder order(String name) {
        return name.equals("big") ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
    }

    private static ByteOrder other(ByteOrder o) {
        return o == ByteOrder.BIG_ENDIAN ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN;
    }

    /**
     * Two sections (the second in the other byte order), six interfaces of five timestamp resolutions and offsets,
     * Enhanced and obsolete Packet Blocks, frames of every length modulo 4, and five kinds of blocks to skip.
     */
    @ParameterizedTest
    @ValueSource(strings = {"little", "big"})
    void pcapngTwoSectionsManyInterfacesSkippedBlocks(String first) throws IOException {
        ByteOrder o = order(first);
        Ng ng = new Ng(o);
        ng.section(o, ng.opt(4, "ntsfab test".getBytes(StandardCharsets.US_ASCII)));
        ng.idb(1);                                                                            // 0: microseconds (default)
        ng.idb(1, ng.opt(2, "eth0".getBytes(StandardCharsets.US_ASCII)), ng.opt(9, new byte[] {9}), ng.tsoffset(-100)); // 1: ns, -100 s
        ng.idb(1, ng.opt(1, "x".getBytes(StandardCharsets.US_ASCII)), ng.opt(9, new byte[] {(byte) 0x8a})); // 2: 2^-10 s
        ng.idb(1, ng.opt(9, new byte[] {3}), ng.tsoffset(T));                                 // 3: ms, +T
        ng.idb(1, ng.opt(9, new byte[] {(byte) (0x80 | 40)}), ng.tsoffset(T));               // 4: 2^-40 s, +T
        ng.idb(1, ng.opt(9, new byte[] {12}), ng.tsoffset(T));                                // 5: ps, +T
        ng.block(4, cat(ng.opt(1, new byte[] {10, 0, 0, 1, 'h', 0}), new byte[4]));             // Name Resolution
        ng.epb(0, T * 1_000_000 + 250_000, frame(60, 0), 60, ng.opt(2, ng.u32(1)), ng.opt(1, "in".getBytes(StandardCharsets.US_ASCII)));
        ng.epb(1, (T + 100) * 1_000_000_000 + 123_456_789, frame(61, 1));
        ng.block(5, new byte[] {0, 0, 0, 0, 1, 2, 3, 4, 5, 6, 7, 8});                           // Interface Statistics
        ng.epb(2, T * 1024 + 1, frame(62, 2));
        ng.pb(2, T * 1024 + 512, frame(63, 3));
        ng.block(10, cat(ng.u32(0x544c534b), ng.u32(5), "12345".getBytes(StandardCharsets.US_ASCII))); // Decryption Secrets
        ng.epb(3, 1500, frame(64, 4));
        ng.block(0x00000BAD, cat(ng.u32(32473), new byte[] {1, 2, 3}));                         // Custom
        ng.epb(4, 3L << 38, frame(65, 5));
        ng.block(0x40000BAD, ng.u32(32473));                                                    // Custom, not to be copied
        ng.epb(5, 1_234_567_891_234L, frame(66, 6));
        ng.block(0x7eadbeef, new byte[0]);                                                      // a type nobody defined
        ByteOrder o2 = other(o);
        ng.section(o2);
        ng.idb(1, ng.opt(9, new byte[] {(byte) 0x80}));                                       // section 2's interface 0: whole seconds
        ng.epb(0, T + 1, frame(60, 7));
        List<Pcap.Record> r = read(ng.bytes());
        List<String> times = List.of("2026-11-24T12:00:00.250Z", "2026-11-24T12:00:00.123456789Z",
                "2026-11-24T12:00:00.000976562Z" /* 1/1024 s = 976562.5 ns, rounded down */, "2026-11-24T12:00:00.500Z",
                "2026-11-24T12:00:01.500Z", "2026-11-24T12:00:00.750Z", "2026-11-24T12:00:01.234567891Z", "2026-11-24T12:00:01Z");
        assertEquals(times.size(), r.size());
        for (int i = 0; i < times.size(); i++) {
            assertEquals(Instant.parse(times.get(i)), r.get(i).time(), "record " + i);
            assertArrayEquals(frame(i == 7 ? 60 : 60 + i, i), r.get(i).frame(), "record " + i);
            assertNull(r.get(i).cooked());
        }
    }

    /** The same frames and times from classic pcap in both byte orders, microsecond and nanosecond. */
    @Test
    void classicPcapAllFourMagics() throws IOException {
        for (ByteOrder o : List.of(ByteOrder.BIG_ENDIAN, ByteOrder.LITTLE_ENDIAN))
            for (boolean ns : List.of(false, true)) {
                ByteBuffer b = ByteBuffer.allocate(24 + 16 + 61).order(o);
                b.putInt(ns ? 0xa1b23c4d : 0xa1b2c3d4).putShort((short) 2).putShort((short) 4).putInt(0).putInt(0).putInt(65535).putInt(1);
                b.putInt((int) T).putInt(ns ? 250_000_001 : 250_001).putInt(61).putInt(61).put(frame(61, 9));
                Pcap.Record r = read(b.array()).get(0);
                assertEquals(Instant.parse(ns ? "2026-11-24T12:00:00.250000001Z" : "2026-11-24T12:00:00.250001Z"), r.time(), o + " " + ns);
                assertArrayEquals(frame(61, 9), r.frame());
            }
    }

    // ---- errors: one line naming what is wrong, and where -------------------------------------------------------------

    static byte[] classicHeader(int linkType) {
        return ByteBuffer.allocate(24).order(ByteOrder.LITTLE_ENDIAN).putInt(0xa1b23c4d).putShort((short) 2).putShort((short) 4)
                .putInt(0).putInt(0).putInt(65535).putInt(linkType).array();
    }

    static byte[] classicRecord(long sec, int incl, int orig, byte[] data) {
        return cat(ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putInt((int) sec).putInt(0).putInt(incl).putInt(orig).array(), data);
    }

    @Test
    void classicErrors() {
        String formats = "ntsfab reads classic pcap (us or ns, either byte order) and pcapng, of link type Ethernet (1), Linux cooked SLL (113) and SLL2 (276)";
        assertEquals("empty file, not a capture", error(new byte[0]));
        assertEquals("not a capture (it starts 3c 3f 78 6d); " + formats, error("<?xml version='1.0'?>".getBytes(StandardCharsets.US_ASCII)));
        assertEquals("not a capture (it starts 0a 0d); " + formats, error(new byte[] {10, 13}));
        assertEquals("classic pcap file header cut short: the file ends after 10 of its 24 bytes", error(Arrays.copyOf(classicHeader(1), 10)));
        assertEquals("link type 105 (IEEE802_11, Wi-Fi) is not read; ntsfab reads Ethernet (1), Linux cooked SLL (113) and SLL2 (276)",
                error(classicHeader(105)));
        assertEquals("link type 4242 (not one ntsfab knows) is not read; ntsfab reads Ethernet (1), Linux cooked SLL (113) and SLL2 (276)",
                error(classicHeader(4242)));
        assertEquals("link type field 0x14000001: frames with an FCS (or other flags) are not read; ntsfab reads frames without FCS",
                error(classicHeader(0x14000001)));
        byte[] one = classicRecord(T, 60, 60, frame(60, 1));
        assertEquals("record 2 at byte 100 cut short: the file ends after 7 of the 16 bytes of its header",
                error(cat(classicHeader(1), one, Arrays.copyOf(one, 7))));
        assertEquals("record 2 at byte 100 cut short: the file ends after 46 of its 76 bytes",
                error(cat(classicHeader(1), one, Arrays.copyOf(one, 46))));
        assertEquals("record 1 at byte 24: truncated capture (snaplen cut a frame of 1514 bytes to 96)",
                error(cat(classicHeader(1), classicRecord(T, 96, 1514, frame(96, 2)))));
        assertEquals("record 1 at byte 24: 300000 captured bytes (more than 262144; corrupted?)",
                error(cat(classicHeader(1), classicRecord(T, 300_000, 300_000, new byte[0]))));
    }

    @Test
    void pcapngErrors() {
        ByteOrder le = ByteOrder.LITTLE_ENDIAN;
        Ng ok = new Ng(le).section(le);
        ok.idb(1);
        byte[] head = ok.bytes(); // SHB 28 bytes + IDB 20 bytes
        assertEquals(48, head.length);
        assertEquals("block 1 at byte 0 (Section Header Block) cut short: the file ends after 8 of the 12 bytes of its header",
                error(Arrays.copyOf(head, 8)));
        byte[] badMagic = head.clone();
        badMagic[8] = 0x4e;
        assertEquals("block 1 at byte 0: pcapng Section Header Block with byte-order magic 0x4e3c2b1a (0x1a2b3c4d in neither byte order):"
                + " not a pcapng file, or a corrupted one", error(badMagic));
        byte[] v2 = head.clone();
        v2[12] = 2;
        assertEquals("block 1 at byte 0 (Section Header Block): pcapng version 2.0 (ntsfab reads version 1)", error(v2));
        assertEquals("block 1 at byte 0 (Section Header Block) cut short: the file ends after 20 of its 28 bytes", error(Arrays.copyOf(head, 20)));
        byte[] ends = head.clone();
        ends[44] = 24; // the IDB's trailing length
        assertEquals("block 2 at byte 28 (Interface Description Block): total length 20 at its start but 24 at its end (corrupted)", error(ends));
        byte[] odd = head.clone();
        odd[32] = 22;
        assertEquals("block 2 at byte 28 (Interface Description Block): total length 22 (a multiple of 4, at least 20; corrupted)", error(odd));
        Ng p = new Ng(le).raw(head);
        p.epb(0, 1, frame(60, 0));
        byte[] packet = p.bytes(); // EPB of 8 + 20 + 60 + 4 = 92 bytes at 48
        assertEquals(140, packet.length);
        assertEquals("block 3 at byte 48 (Enhanced Packet Block) cut short: the file ends after 50 of its 92 bytes", error(Arrays.copyOf(packet, 98)));
        assertEquals("block 3 at byte 48 (Enhanced Packet Block) cut short: the file ends after 90 of its 92 bytes", error(Arrays.copyOf(packet, 138)));
        assertEquals("block 3 at byte 48 cut short: the file ends after 6 of the 8 bytes of its header", error(Arrays.copyOf(packet, 54)));
        assertEquals("block 3 at byte 48 cut short: the file ends after 2 of the 8 bytes of its header", error(Arrays.copyOf(packet, 50)));
        assertEquals("block 3 at byte 48 (Enhanced Packet Block): interface 1 is not described (1 Interface Description Block(s) before it in this section)",
                error(new Ng(le).raw(head).epb(1, 1, frame(60, 0)).bytes()));
        // interfaces count per section: the second section has none yet
        Ng s2 = new Ng(le).raw(head).section(ByteOrder.BIG_ENDIAN);
        assertEquals("block 4 at byte 76 (Enhanced Packet Block): interface 0 is not described (0 Interface Description Block(s) before it in this section)",
                error(s2.epb(0, 1, frame(60, 0)).bytes()));
        assertEquals("block 3 at byte 48 (Enhanced Packet Block): truncated capture (snaplen cut a frame of 1514 bytes to 60)",
                error(new Ng(le).raw(head).epb(0, 1, frame(60, 0), 1514).bytes()));
        Ng spb = new Ng(le).raw(head);
        spb.block(3, cat(spb.u32(60), frame(60, 0)));
        assertEquals("block 3 at byte 48 (Simple Packet Block): a Simple Packet Block has no timestamp, and ntsfab needs each frame's arrival time"
                + " (write Enhanced Packet Blocks, as dumpcap, tshark and Wireshark do)", error(spb.bytes()));
        Ng wifi = new Ng(le).section(le).idb(1);
        wifi.idb(105).epb(0, 1, frame(60, 0)).epb(1, 1, frame(60, 0));
        assertEquals("block 5 at byte 160 (Enhanced Packet Block): link type 105 (IEEE802_11, Wi-Fi) is not read; ntsfab reads Ethernet (1),"
                + " Linux cooked SLL (113) and SLL2 (276)", error(wifi.bytes()));
        Ng skipCut = new Ng(le).raw(head);
        skipCut.block(5, new byte[40]);
        assertEquals("block 3 at byte 48 (Interface Statistics Block) cut short: the file ends after 30 of its 52 bytes",
                error(Arrays.copyOf(skipCut.bytes(), 78)));
        Ng badOpt = new Ng(le).section(le);
        badOpt.block(1, cat(new byte[] {1, 0, 0, 0, 0, 0, 0, 0}, new byte[] {9, 0, 8, 0}));
        assertEquals("block 2 at byte 28 (Interface Description Block): option 9 of 8 bytes overruns the block", error(badOpt.bytes()));
        Ng late = new Ng(le).section(le);
        late.idb(1, late.opt(9, new byte[] {0}));
        late.epb(0, -1L, frame(60, 0)); // 2^64-1 seconds: beyond what an Instant holds
        assertEquals("block 3 at byte 60 (Enhanced Packet Block): timestamp 18446744073709551615 x 10^-0 s + 0 s is out of range", error(late.bytes()));
    }

    // ---- Linux cooked captures ---------------------------------------------------------------------------------------

    static final byte[] SENDER = HexFormat.of().parseHex("02aabbccddee");
    static final byte[] US = HexFormat.of().parseHex("020000000001");

    /** LINKTYPE_LINUX_SLL header: packet type, ARPHRD_ type, address length, address (8, padded), protocol; all big-endian. */
    static byte[] sll(int packetType, int protocol, byte[] payload) {
        ByteBuffer b = ByteBuffer.allocate(16 + payload.length);
        b.putShort((short) packetType).putShort((short) 1).putShort((short) 6).put(SENDER).putShort((short) 0).putShort((short) protocol).put(payload);
        return b.array();
    }

    /** LINKTYPE_LINUX_SLL2 header: protocol, reserved, interface index, ARPHRD_ type, packet type, address length, address (8). */
    static byte[] sll2(int packetType, int protocol, byte[] payload) {
        ByteBuffer b = ByteBuffer.allocate(20 + payload.length);
        b.putShort((short) protocol).putShort((short) 0).putInt(3).putShort((short) 1).put((byte) packetType).put((byte) 6).put(SENDER)
                .putShort((short) 0).put(payload);
        return b.array();
    }

    /** An IPv4 header (20 bytes, checksum not computed: the reader does not look at it) to {@code dst}, and {@code extra} bytes. */
    static byte[] ipv4(String dst, int extra) {
        byte[] p = new byte[20 + extra];
        p[0] = 0x45;
        p[3] = (byte) p.length;
        p[9] = 17;
        String[] d = dst.split("\\.");
        for (int i = 0; i < 4; i++) p[16 + i] = (byte) Integer.parseInt(d[i]);
        return p;
    }

    static byte[] ipv6(byte[] dst) {
        byte[] p = new byte[40 + 8];
        p[0] = 0x60;
        p[5] = 8;
        p[6] = 17;
        System.arraycopy(dst, 0, p, 24, 16);
        return p;
    }

    static byte[] eth(byte[] dst, byte[] src, int type, byte[] payload) {
        byte[] f = new byte[Math.max(60, 14 + payload.length)];
        System.arraycopy(dst, 0, f, 0, 6);
        System.arraycopy(src, 0, f, 6, 6);
        f[12] = (byte) (type >> 8);
        f[13] = (byte) type;
        System.arraycopy(payload, 0, f, 14, payload.length);
        return f;
    }

    @ParameterizedTest
    @ValueSource(ints = {113, 276})
    void linuxCookedFramesBecomeEthernetFrames(int linkType) throws IOException {
        boolean two = linkType == 276;
        byte[] unicast = ipv4("192.0.2.1", 100), group4 = ipv4("224.0.1.1", 8), arp = new byte[28];
        byte[] group6 = ipv6(HexFormat.of().parseHex("ff0200000000000000000001ff123456"));
        arp[7] = 1;
        List<byte[]> payloads = List.of(unicast, arp, group4, group6, ipv4("192.0.2.9", 30), ipv4("198.51.100.1", 30), new byte[50], unicast);
        int[] types = {0, 1, 2, 2, 3, 4, 2, 7};
        int[] protocols = {0x0800, 0x0806, 0x0800, 0x86dd, 0x0800, 0x0800, 0x88b5, 0x0800};
        ByteBuffer b = ByteBuffer.allocate(1 << 12).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(0xa1b23c4d).putShort((short) 2).putShort((short) 4).putInt(0).putInt(0).putInt(65535).putInt(linkType);
        for (int i = 0; i < types.length; i++) {
            byte[] d = two ? sll2(types[i], protocols[i], payloads.get(i)) : sll(types[i], protocols[i], payloads.get(i));
            b.putInt((int) T).putInt(i).putInt(d.length).putInt(d.length).put(d);
        }
        List<Pcap.Record> r = read(Arrays.copyOf(b.array(), b.position()));
        byte[] none = new byte[6];
        Pcap.Cooked[] cooked = {Pcap.Cooked.TO_US, Pcap.Cooked.BROADCAST, Pcap.Cooked.MULTICAST, Pcap.Cooked.MULTICAST,
                Pcap.Cooked.TO_ANOTHER_HOST, Pcap.Cooked.OUTGOING, Pcap.Cooked.MULTICAST, Pcap.Cooked.OTHER};
        assertEquals(types.length, r.size());
        for (int i = 0; i < types.length; i++) {
            assertEquals(cooked[i], r.get(i).cooked(), "record " + i);
            assertEquals(Instant.ofEpochSecond(T, i), r.get(i).time());
            // destination not captured (zeros), the sender's MAC, the protocol as EtherType, padded to 60 bytes
            assertArrayEquals(eth(none, SENDER, protocols[i], payloads.get(i)), r.get(i).frame(), "record " + i);
        }
        assertEquals(134, r.get(0).frame().length);
        assertEquals(60, r.get(1).frame().length);

        List<Pcap.Record> mixed = new ArrayList<>(r);
        byte[] plain = frame(70, 5);
        mixed.add(1, new Pcap.Record(Instant.EPOCH, plain));
        Pcap.Addressed a = Pcap.address(mixed, US);
        List<byte[]> expected = List.of(eth(US, SENDER, 0x0800, unicast), plain, eth(new byte[] {-1, -1, -1, -1, -1, -1}, SENDER, 0x0806, arp),
                eth(HexFormat.of().parseHex("01005e000101"), SENDER, 0x0800, group4), eth(HexFormat.of().parseHex("3333ff123456"), SENDER, 0x86dd, group6));
        assertEquals(expected.size(), a.records().size());
        for (int i = 0; i < expected.size(); i++) {
            assertArrayEquals(expected.get(i), a.records().get(i).frame(), "addressed " + i);
            assertNull(a.records().get(i).cooked());
        }
        assertEquals(Map.of(Pcap.Cooked.TO_US, 1L, Pcap.Cooked.BROADCAST, 1L, Pcap.Cooked.MULTICAST, 2L), a.kept());
        assertEquals(Map.of(Pcap.Cooked.TO_ANOTHER_HOST, 1L, Pcap.Cooked.OUTGOING, 1L, Pcap.Cooked.MULTICAST, 1L, Pcap.Cooked.OTHER, 1L), a.dropped());
        assertEquals("8 of 9 frames are from a Linux cooked capture, which has no destination MAC: 1 to us, now addressed to 02:00:00:00:00:01"
                + " (the configuration's MAC), 1 broadcast, to ff:ff:ff:ff:ff:ff, 2 multicast, to their IP groups' MACs;"
                + " dropped 1 multicast not IP, 1 to another host, 1 outgoing, 1 of another packet type", a.note(US));
        assertNull(Pcap.address(List.of(new Pcap.Record(Instant.EPOCH, plain)), US).note(US));
    }

    /** A cooked frame whose VLAN tag libpcap put back keeps it: its multicast group is found behind the tag. */
    @Test
    void cookedVlanFrameKeepsItsTag() throws IOException {
        byte[] inner = cat(new byte[] {0x00, 0x05, 0x08, 0x00}, ipv4("239.1.2.3", 10));
        ByteBuffer b = ByteBuffer.allocate(24 + 16 + 16 + inner.length).order(ByteOrder.BIG_ENDIAN);
        b.putInt(0xa1b2c3d4).putShort((short) 2).putShort((short) 4).putInt(0).putInt(0).putInt(65535).putInt(113);
        byte[] d = sll(2, 0x8100, inner);
        b.putInt((int) T).putInt(0).putInt(d.length).putInt(d.length).put(d);
        Pcap.Addressed a = Pcap.address(read(b.array()), US);
        assertArrayEquals(eth(HexFormat.of().parseHex("01005e010203"), SENDER, 0x8100, inner), a.records().get(0).frame());
    }

    @Test
    void cookedFrameShorterThanItsHeader() {
        for (int lt : new int[] {113, 276}) {
            byte[] f = cat(classicHeader(lt), classicRecord(T, 12, 12, new byte[12]));
            assertEquals("record 1 at byte 24: a Linux cooked (" + (lt == 113 ? "SLL) frame of 12 bytes is shorter than its 16" : "SLL2) frame of 12 bytes is shorter than its 20")
                    + "-byte header", error(f));
        }
    }

    @Test
    void writerRefusesTimesClassicPcapCannotHold() {
        IOException e = assertThrows(IOException.class, () -> Pcap.write(new ByteArrayOutputStream(),
                List.of(new Pcap.Record(Instant.parse("2107-01-01T00:00:00Z"), new byte[60]))));
        assertEquals("time 2107-01-01T00:00:00Z does not fit a classic pcap record (1970 to 2106)", e.getMessage());
    }
}
