package org.ntsfab.model.pcap;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.DateTimeException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * pcapng (draft-ietf-opsawg-pcapng), as Wireshark, tshark and dumpcap write it by default. A file is one or more
 * sections, each a Section Header Block (its byte-order magic 0x1A2B3C4D gives the section's byte order) and the blocks
 * after it. Every block is type (4 bytes), total length (4), body, total length again; the two lengths must agree.
 * Read: Interface Description Blocks (link type, snap length, {@code if_tsresol} and {@code if_tsoffset}; interface
 * numbers count per section), Enhanced Packet Blocks and the obsolete Packet Block. A Simple Packet Block is refused: it
 * has no timestamp, and the model needs each frame's arrival time. Every other block (Name Resolution, Interface
 * Statistics, Decryption Secrets, custom, ...) is skipped by its length.
 */
final class Pcapng {
    private Pcapng() {}

    static final int SHB = 0x0A0D0D0A, IDB = 1, PB = 2, SPB = 3, EPB = 6;
    private static final int BYTE_ORDER_MAGIC = 0x1A2B3C4D;
    /** Larger blocks than this are not read into memory (the frames are at most 256 KiB). */
    private static final int MAX_BLOCK = 16 << 20;
    private static final BigInteger NS_PER_S = BigInteger.valueOf(1_000_000_000L);

    /** An interface of the current section: link type and how its timestamps count (its snap length matters to Simple Packet Blocks only). */
    private record Interface(int linkType, boolean binary, int exponent, long offsetSeconds) {
        /** Seconds and nanoseconds since 1970 of a timestamp in this interface's units (rounded down to a nanosecond). */
        Instant time(long ts) {
            long sec, ns;
            if (!binary && exponent <= 9) {
                long units = POW10[exponent];
                sec = Long.divideUnsigned(ts, units);
                ns = Long.remainderUnsigned(ts, units) * POW10[9 - exponent];
            } else if (binary && exponent <= 33) {
                sec = ts >>> exponent;
                ns = ((ts & ((1L << exponent) - 1)) * 1_000_000_000L) >>> exponent;
            } else {
                BigInteger units = binary ? BigInteger.ONE.shiftLeft(exponent) : BigInteger.TEN.pow(exponent);
                BigInteger[] qr = new BigInteger(Long.toUnsignedString(ts)).divideAndRemainder(units);
                if (qr[0].bitLength() > 62) throw new DateTimeException("beyond the year 1e9");
                sec = qr[0].longValueExact();
                ns = qr[1].multiply(NS_PER_S).divide(units).longValueExact();
            }
            if (sec < 0) throw new DateTimeException("2^63 seconds or more"); // an unsigned count of whole seconds
            return Instant.ofEpochSecond(Math.addExact(sec, offsetSeconds), ns);
        }

        String resolution() {
            return (binary ? "2^-" : "10^-") + exponent + " s";
        }
    }

    private static final long[] POW10 = {1L, 10L, 100L, 1_000L, 10_000L, 100_000L, 1_000_000L, 10_000_000L, 100_000_000L, 1_000_000_000L};

    /** The file after its first four bytes (the Section Header Block's type). */
    static List<Pcap.Record> read(Source in) throws IOException {
        List<Pcap.Record> out = new ArrayList<>();
        List<Interface> interfaces = new ArrayList<>();
        ByteOrder order = null;
        int block = 0;
        long start = 0;
        boolean first = true;
        byte[] head = new byte[8];
        while (true) {
            block++;
            int type;
            if (first) {
                type = SHB;
                first = false;
            } else {
                start = in.offset();
                int got = in.fill(head, 4);
                if (got == 0) return out;
                if (got < 4) throw cut("block " + block + " at byte " + start, got, 8, true);
                type = order == ByteOrder.LITTLE_ENDIAN ? le(head, 0) : be(head, 0);
            }
            String where = "block " + block + " at byte " + start;
            if (type == SHB) {
                // the byte order comes from the magic after the length
                byte[] h = new byte[8];
                int got = in.fill(h, 8);
                if (got < 8) throw cut(where + " (Section Header Block)", 4 + got, 12, true);
                if (be(h, 4) == BYTE_ORDER_MAGIC) order = ByteOrder.BIG_ENDIAN;
                else if (le(h, 4) == BYTE_ORDER_MAGIC) order = ByteOrder.LITTLE_ENDIAN;
                else throw new IOException(where + ": pcapng Section Header Block with byte-order magic 0x" + Integer.toHexString(be(h, 4))
                        + " (0x1a2b3c4d in neither byte order): not a pcapng file, or a corrupted one");
                long total = ByteBuffer.wrap(h).order(order).getInt(0) & 0xffffffffL;
                where += " (Section Header Block)";
                checkLength(total, 28, where);
                ByteBuffer b = body(in, total, 12, where, order);
                int major = b.getShort(0) & 0xffff, minor = b.getShort(2) & 0xffff;
                if (major != 1) throw new IOException(where + ": pcapng version " + major + "." + minor + " (ntsfab reads version 1)");
                interfaces.clear();
                continue;
            }
            byte[] l = new byte[4];
            int got = in.fill(l, 4);
            if (got < 4) throw cut(where, 4 + got, 8, true);
            long total = ByteBuffer.wrap(l).order(order).getInt(0) & 0xffffffffL;
            String name = blockName(type);
            where += " (" + name + ")";
            switch (type) {
                case IDB -> {
                    checkLength(total, 20, where);
                    ByteBuffer b = body(in, total, 8, where, order);
                    interfaces.add(idb(b, where));
                }
                case EPB, PB -> {
                    checkLength(total, 32, where);
                    ByteBuffer b = body(in, total, 8, where, order);
                    long iface = type == EPB ? b.getInt(0) & 0xffffffffL : b.getShort(0) & 0xffff;
                    long ts = (b.getInt(4) & 0xffffffffL) << 32 | (b.getInt(8) & 0xffffffffL);
                    long captured = b.getInt(12) & 0xffffffffL, original = b.getInt(16) & 0xffffffffL;
                    int dataLength = b.limit() - 20;
                    if (captured > dataLength)
                        throw new IOException(where + ": " + captured + " captured bytes do not fit the block's " + dataLength + " (corrupted)");
                    if (iface >= interfaces.size())
                        throw new IOException(where + ": interface " + iface + " is not described (" + interfaces.size()
                                + " Interface Description Block(s) before it in this section)");
                    Interface i = interfaces.get((int) iface);
                    checkWhole(captured, original, where);
                    Instant t;
                    try {
                        t = i.time(ts);
                    } catch (DateTimeException | ArithmeticException e) {
                        throw new IOException(where + ": timestamp " + Long.toUnsignedString(ts) + " x " + i.resolution() + " + "
                                + i.offsetSeconds() + " s is out of range");
                    }
                    byte[] data = new byte[(int) captured];
                    b.get(20, data);
                    out.add(LinkLayer.record(i.linkType(), t, data, where));
                }
                case SPB -> throw new IOException(where + ": a Simple Packet Block has no timestamp, and ntsfab needs each frame's arrival"
                        + " time (write Enhanced Packet Blocks, as dumpcap, tshark and Wireshark do)");
                default -> {
                    checkLength(total, 12, where);
                    long skipped = in.skip(total - 12);
                    if (skipped < total - 12) throw cut(where, 8 + skipped, total, false);
                    trailer(in, total, where, order);
                }
            }
        }
    }

    private static Interface idb(ByteBuffer b, String where) throws IOException {
        int linkType = b.getShort(0) & 0xffff;
        boolean binary = false;
        int exponent = 6;
        long offset = 0;
        int at = 8;
        while (at + 4 <= b.limit()) {
            int code = b.getShort(at) & 0xffff, len = b.getShort(at + 2) & 0xffff;
            if (code == 0) break;
            if (at + 4 + len > b.limit()) throw new IOException(where + ": option " + code + " of " + len + " bytes overruns the block");
            if (code == 9) {
                if (len != 1) throw new IOException(where + ": if_tsresol of " + len + " bytes (it is 1)");
                int r = b.get(at + 4) & 0xff;
                binary = (r & 0x80) != 0;
                exponent = r & 0x7f;
            } else if (code == 14) {
                if (len != 8) throw new IOException(where + ": if_tsoffset of " + len + " bytes (it is 8)");
                offset = b.getLong(at + 4);
            }
            at += 4 + (len + 3 & ~3);
        }
        return new Interface(linkType, binary, exponent, offset);
    }

    /** Reads the rest of a block whose {@code read} first bytes are in, checks its trailing length; returns the body after the fixed header. */
    private static ByteBuffer body(Source in, long total, int read, String where, ByteOrder order) throws IOException {
        if (total > MAX_BLOCK) throw new IOException(where + ": block of " + total + " bytes (more than " + MAX_BLOCK + "; corrupted?)");
        int n = (int) total - read - 4;
        byte[] b = new byte[n];
        int got = in.fill(b, n);
        if (got < n) throw cut(where, read + got, total, false);
        trailer(in, total, where, order);
        return ByteBuffer.wrap(b).order(order);
    }

    private static void trailer(Source in, long total, String where, ByteOrder order) throws IOException {
        byte[] t = new byte[4];
        int got = in.fill(t, 4);
        if (got < 4) throw cut(where, total - 4 + got, total, false);
        long end = ByteBuffer.wrap(t).order(order).getInt(0) & 0xffffffffL;
        if (end != total)
            throw new IOException(where + ": total length " + total + " at its start but " + end + " at its end (corrupted)");
    }

    private static void checkLength(long total, int min, String where) throws IOException {
        if (total < min || total % 4 != 0)
            throw new IOException(where + ": total length " + total + " (a multiple of 4, at least " + min + "; corrupted)");
    }

    static void checkWhole(long captured, long original, String where) throws IOException {
        if (original > captured)
            throw new IOException(where + ": truncated capture (snaplen cut a frame of " + original + " bytes to " + captured + ")");
        if (original < captured)
            throw new IOException(where + ": " + captured + " captured bytes of a frame of " + original + " (corrupted)");
    }

    /** A record or block the file ends inside: {@code got} of its {@code wanted} bytes (of its header, if {@code header}). */
    static IOException cut(String where, long got, long wanted, boolean header) {
        return new IOException(where + " cut short: the file ends after " + got + " of " + (header ? "the " + wanted + " bytes of its header" : "its " + wanted + " bytes"));
    }

    static String blockName(int type) {
        return switch (type) {
            case SHB -> "Section Header Block";
            case IDB -> "Interface Description Block";
            case PB -> "Packet Block";
            case SPB -> "Simple Packet Block";
            case 4 -> "Name Resolution Block";
            case 5 -> "Interface Statistics Block";
            case EPB -> "Enhanced Packet Block";
            case 9 -> "systemd Journal Export Block";
            case 10 -> "Decryption Secrets Block";
            case 0x00000BAD, 0x40000BAD -> "Custom Block";
            default -> "block type 0x" + Integer.toHexString(type);
        };
    }

    static int be(byte[] b, int at) {
        return (b[at] & 0xff) << 24 | (b[at + 1] & 0xff) << 16 | (b[at + 2] & 0xff) << 8 | (b[at + 3] & 0xff);
    }

    static int le(byte[] b, int at) {
        return Integer.reverseBytes(be(b, at));
    }
}
