package org.ntsfab.model.pcap;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Classic pcap files (not pcapng): microsecond (magic 0xa1b2c3d4) and nanosecond (0xa1b23c4d)
 * variants, either byte order on reading; written little-endian with nanosecond timestamps and link
 * type 1 (Ethernet, frames without FCS).
 */
public final class Pcap {
    private Pcap() {}

    public static final int LINKTYPE_ETHERNET = 1;

    /** One captured frame and its time. */
    public record Record(Instant time, byte[] frame) {}

    public static List<Record> read(Path p) throws IOException {
        try (InputStream in = new BufferedInputStream(Files.newInputStream(p))) {
            return read(in);
        }
    }

    public static List<Record> read(InputStream raw) throws IOException {
        DataInputStream in = new DataInputStream(raw);
        byte[] gh = new byte[24];
        in.readFully(gh);
        ByteBuffer g = ByteBuffer.wrap(gh).order(ByteOrder.LITTLE_ENDIAN);
        int magic = g.getInt(0);
        ByteOrder order = ByteOrder.LITTLE_ENDIAN;
        if (magic == 0xd4c3b2a1 || magic == 0x4d3cb2a1) {
            order = ByteOrder.BIG_ENDIAN;
            magic = Integer.reverseBytes(magic);
        }
        boolean nanos;
        if (magic == 0xa1b2c3d4) nanos = false;
        else if (magic == 0xa1b23c4d) nanos = true;
        else throw new IOException("not a classic pcap file (magic 0x" + Integer.toHexString(magic) + "; pcapng is not read)");
        g.order(order);
        int link = g.getInt(20);
        if (link != LINKTYPE_ETHERNET) throw new IOException("link type " + link + " is not Ethernet (1)");
        List<Record> out = new ArrayList<>();
        byte[] rh = new byte[16];
        while (true) {
            try {
                in.readFully(rh);
            } catch (EOFException e) {
                return out;
            }
            ByteBuffer r = ByteBuffer.wrap(rh).order(order);
            long sec = r.getInt(0) & 0xffffffffL;
            long sub = r.getInt(4) & 0xffffffffL;
            int incl = r.getInt(8), orig = r.getInt(12);
            if (incl < 0 || incl > 262_144) throw new IOException("record of " + incl + " bytes");
            byte[] frame = new byte[incl];
            in.readFully(frame);
            if (orig != incl) throw new IOException("truncated capture (snaplen cut a frame of " + orig + " bytes)");
            out.add(new Record(Instant.ofEpochSecond(sec, nanos ? sub : sub * 1000), frame));
        }
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
            g.putInt(0xa1b23c4d).putShort((short) 2).putShort((short) 4).putInt(0).putInt(0).putInt(262_144).putInt(LINKTYPE_ETHERNET);
            out.write(g.array());
        }

        public void write(Record r) throws IOException {
            ByteBuffer h = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
            h.putInt((int) r.time().getEpochSecond()).putInt(r.time().getNano()).putInt(r.frame().length).putInt(r.frame().length);
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
