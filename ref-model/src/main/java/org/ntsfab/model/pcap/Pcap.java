package org.ntsfab.model.pcap;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;

/**
 * Captures. Read: classic pcap (microsecond magic 0xa1b2c3d4 and nanosecond 0xa1b23c4d, either byte order) and pcapng
 * ({@link Pcapng}: several sections, interfaces, timestamp resolutions and offsets), told apart by their first bytes;
 * frames of link type Ethernet (1, without FCS) as captured, Linux cooked captures (SLL 113, SLL2 276: a Linux capture
 * on the {@code any} device) rebuilt as Ethernet frames whose destination was not captured ({@link Record#cooked()},
 * {@link #address}). Written: classic pcap, little-endian, nanosecond timestamps, link type 1 (Ethernet, frames without
 * FCS), which every tool reads and which the model's outputs are compared by, byte for byte.
 */
public final class Pcap {
    private Pcap() {}

    public static final int LINKTYPE_ETHERNET = LinkLayer.ETHERNET;
    /** Frames larger than this are not a capture of Ethernet traffic (and a larger length is a corrupted record). */
    private static final int MAX_FRAME = 262_144;
    /** What {@link #read} reads, for the one line that says a file is not a capture. */
    public static final String FORMATS = "classic pcap (us or ns, either byte order) and pcapng, of link type " + LinkLayer.READ;

    /**
     * What a Linux cooked capture (SLL, SLL2) says about a frame in place of its destination MAC: the Linux packet type,
     * from the capturing host's side.
     */
    public enum Cooked {
        TO_US(0, "to us"), BROADCAST(1, "broadcast"), MULTICAST(2, "multicast"), TO_ANOTHER_HOST(3, "to another host"),
        OUTGOING(4, "outgoing"), OTHER(-1, "of another packet type");

        private final int value;
        private final String text;

        Cooked(int value, String text) {
            this.value = value;
            this.text = text;
        }

        static Cooked of(int packetType) {
            for (Cooked c : values()) if (c.value == packetType) return c;
            return OTHER;
        }

        public String text() {
            return text;
        }
    }

    /**
     * One captured frame and its time. {@code cooked} is null for a frame captured with its Ethernet header; for one from
     * a Linux cooked capture it is the packet type, and the frame's destination MAC is 00:00:00:00:00:00 (not captured).
     */
    public record Record(Instant time, byte[] frame, Cooked cooked) {
        public Record(Instant time, byte[] frame) {
            this(time, frame, null);
        }
    }

    public static List<Record> read(Path p) throws IOException {
        try (InputStream in = new BufferedInputStream(Files.newInputStream(p))) {
            return read(in);
        }
    }

    /** A classic pcap or pcapng capture; an error is one line naming what is wrong and where (record or block, byte offset). */
    public static List<Record> read(InputStream raw) throws IOException {
        Source in = new Source(raw);
        byte[] m = new byte[4];
        int got = in.fill(m, 4);
        if (got == 0) throw new IOException("empty file, not a capture");
        int magic = Pcapng.be(m, 0);
        if (got == 4 && magic == Pcapng.SHB) return Pcapng.read(in);
        if (got == 4) {
            for (ByteOrder order : new ByteOrder[] {ByteOrder.BIG_ENDIAN, ByteOrder.LITTLE_ENDIAN}) {
                int v = order == ByteOrder.BIG_ENDIAN ? magic : Integer.reverseBytes(magic);
                if (v == 0xa1b2c3d4 || v == 0xa1b23c4d) return classic(in, m, order, v == 0xa1b23c4d);
            }
        }
        StringJoiner first = new StringJoiner(" ");
        for (int i = 0; i < got; i++) first.add(String.format("%02x", m[i]));
        throw new IOException("not a capture (it starts " + first + "); ntsfab reads " + FORMATS);
    }

    private static List<Record> classic(Source in, byte[] magic, ByteOrder order, boolean nanos) throws IOException {
        byte[] gh = new byte[24], rest = new byte[20];
        int got = in.fill(rest, 20);
        System.arraycopy(magic, 0, gh, 0, 4);
        System.arraycopy(rest, 0, gh, 4, 20);
        if (got < 20) throw new IOException("classic pcap file header cut short: the file ends after " + (4 + got) + " of its 24 bytes");
        ByteBuffer g = ByteBuffer.wrap(gh).order(order);
        int field = g.getInt(20);
        if ((field & 0xffff0000) != 0)
            throw new IOException(String.format("link type field 0x%08x: frames with an FCS (or other flags) are not read; ntsfab reads frames without FCS", field));
        int link = field;
        if (!LinkLayer.supported(link)) throw new IOException(LinkLayer.unsupported(link));
        List<Record> out = new ArrayList<>();
        byte[] rh = new byte[16];
        for (int n = 1; ; n++) {
            long start = in.offset();
            String where = "record " + n + " at byte " + start;
            got = in.fill(rh, 16);
            if (got == 0) return out;
            if (got < 16) throw Pcapng.cut(where, got, 16, true);
            ByteBuffer r = ByteBuffer.wrap(rh).order(order);
            long sec = r.getInt(0) & 0xffffffffL;
            long sub = r.getInt(4) & 0xffffffffL;
            long incl = r.getInt(8) & 0xffffffffL, orig = r.getInt(12) & 0xffffffffL;
            if (incl > MAX_FRAME) throw new IOException(where + ": " + incl + " captured bytes (more than " + MAX_FRAME + "; corrupted?)");
            byte[] frame = new byte[(int) incl];
            got = in.fill(frame, (int) incl);
            if (got < incl) throw Pcapng.cut(where, 16 + got, 16 + incl, false);
            Pcapng.checkWhole(incl, orig, where);
            out.add(LinkLayer.record(link, Instant.ofEpochSecond(sec, nanos ? sub : sub * 1000), frame, where));
        }
    }

    /**
     * Frames from a Linux cooked capture, addressed: how many of each packet type were kept (to us, broadcast,
     * multicast) and dropped (to another host, outgoing, others, multicast that is not IP); {@code records} are all
     * frames with their destination captured or filled in.
     */
    public record Addressed(List<Record> records, Map<Cooked, Long> kept, Map<Cooked, Long> dropped) {
        public long cooked() {
            long n = 0;
            for (long v : kept.values()) n += v;
            for (long v : dropped.values()) n += v;
            return n;
        }

        /** One line saying what was done to the cooked frames ({@code mac}: the configuration's), or null if there were none. */
        public String note(byte[] mac) {
            if (cooked() == 0) return null;
            StringJoiner k = new StringJoiner(", ");
            if (kept.containsKey(Cooked.TO_US)) k.add(kept.get(Cooked.TO_US) + " to us, now addressed to " + mac(mac) + " (the configuration's MAC)");
            if (kept.containsKey(Cooked.BROADCAST)) k.add(kept.get(Cooked.BROADCAST) + " broadcast, to ff:ff:ff:ff:ff:ff");
            if (kept.containsKey(Cooked.MULTICAST)) k.add(kept.get(Cooked.MULTICAST) + " multicast, to their IP groups' MACs");
            StringJoiner d = new StringJoiner(", ");
            for (Map.Entry<Cooked, Long> e : dropped.entrySet())
                d.add(e.getValue() + " " + (e.getKey() == Cooked.MULTICAST ? "multicast not IP" : e.getKey().text()));
            long frames = records.size() + dropped.values().stream().mapToLong(Long::longValue).sum();
            return cooked() + " of " + frames + " frames are from a Linux cooked capture, which has no destination MAC: " + (k.length() == 0 ? "none kept" : k)
                    + (d.length() == 0 ? "" : "; dropped " + d);
        }
    }

    /**
     * Gives the frames of a Linux cooked capture their destination: those sent to us get {@code mac}, broadcast ones
     * ff:ff:ff:ff:ff:ff, multicast IPv4/IPv6 ones their group's MAC (RFC 1112, RFC 2464); the others (to another host,
     * outgoing, another packet type, multicast that is not IP) are dropped and counted. Other frames pass unchanged.
     */
    public static Addressed address(List<Record> in, byte[] mac) {
        List<Record> out = new ArrayList<>(in.size());
        Map<Cooked, Long> kept = new EnumMap<>(Cooked.class), dropped = new EnumMap<>(Cooked.class);
        byte[] broadcast = {-1, -1, -1, -1, -1, -1};
        for (Record r : in) {
            if (r.cooked() == null) {
                out.add(r);
                continue;
            }
            byte[] dst = switch (r.cooked()) {
                case TO_US -> mac;
                case BROADCAST -> broadcast;
                case MULTICAST -> LinkLayer.multicastMac(r.frame());
                default -> null;
            };
            if (dst == null) {
                dropped.merge(r.cooked(), 1L, Long::sum);
            } else {
                kept.merge(r.cooked(), 1L, Long::sum);
                out.add(new Record(r.time(), LinkLayer.withDestination(r.frame(), dst)));
            }
        }
        return new Addressed(out, kept, dropped);
    }

    private static String mac(byte[] mac) {
        return HexFormat.ofDelimiter(":").formatHex(mac);
    }

    public static void write(Path p, List<Record> records) throws IOException {
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(p))) {
            write(out, records);
        }
    }

    public static void write(OutputStream out, List<Record> records) throws IOException {
        Writer w = new Writer(out);
        for (Record r : records) w.write(r);
    }

    /** A capture written record by record (nanosecond pcap, Ethernet), e.g. by a server that runs until stopped. */
    public static final class Writer implements java.io.Closeable {
        private final OutputStream out;

        public Writer(OutputStream out) throws IOException {
            this.out = out;
            ByteBuffer g = ByteBuffer.allocate(24).order(ByteOrder.LITTLE_ENDIAN);
            g.putInt(0xa1b23c4d).putShort((short) 2).putShort((short) 4).putInt(0).putInt(0).putInt(MAX_FRAME).putInt(LINKTYPE_ETHERNET);
            out.write(g.array());
        }

        public void write(Record r) throws IOException {
            long sec = r.time().getEpochSecond();
            if (sec < 0 || sec > 0xffffffffL) throw new IOException("time " + r.time() + " does not fit a classic pcap record (1970 to 2106)");
            ByteBuffer h = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
            h.putInt((int) sec).putInt(r.time().getNano()).putInt(r.frame().length).putInt(r.frame().length);
            out.write(h.array());
            out.write(r.frame());
        }

        public void flush() throws IOException {
            out.flush();
        }

        @Override
        public void close() throws IOException {
            out.close();
        }
    }
}
