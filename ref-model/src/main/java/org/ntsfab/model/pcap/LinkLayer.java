package org.ntsfab.model.pcap;

import java.io.IOException;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;

/**
 * The link-layer header types a capture's frames may have (the tcpdump.org LINKTYPE_ registry), and the frames of the
 * ones read turned into Ethernet frames: Ethernet (1) as captured, Linux cooked captures (SLL, 113; SLL2, 276) rebuilt
 * as Ethernet frames whose destination was not captured (see {@link Pcap.Cooked}).
 */
final class LinkLayer {
    private LinkLayer() {}

    static final int ETHERNET = 1, LINUX_SLL = 113, LINUX_SLL2 = 276;
    static final String READ = "Ethernet (1), Linux cooked SLL (113) and SLL2 (276)";

    /** Names for the link types an unsupported capture most likely has. */
    private static final Map<Integer, String> NAMES = Map.ofEntries(
            Map.entry(0, "NULL, BSD loopback"), Map.entry(6, "IEEE802_5, Token Ring"), Map.entry(9, "PPP"), Map.entry(10, "FDDI"),
            Map.entry(101, "RAW, IP without a link-layer header"), Map.entry(105, "IEEE802_11, Wi-Fi"), Map.entry(108, "LOOP, OpenBSD loopback"),
            Map.entry(127, "IEEE802_11_RADIOTAP, Wi-Fi with radiotap"), Map.entry(228, "IPV4"), Map.entry(229, "IPV6"),
            Map.entry(239, "NFLOG, Linux netfilter log"));

    static String name(int linkType) {
        return switch (linkType) {
            case ETHERNET -> "ETHERNET";
            case LINUX_SLL -> "LINUX_SLL";
            case LINUX_SLL2 -> "LINUX_SLL2";
            default -> NAMES.getOrDefault(linkType, "not one ntsfab knows");
        };
    }

    static boolean supported(int linkType) {
        return linkType == ETHERNET || linkType == LINUX_SLL || linkType == LINUX_SLL2;
    }

    /** The one line for a link type not read. */
    static String unsupported(int linkType) {
        return "link type " + linkType + " (" + name(linkType) + ") is not read; ntsfab reads " + READ;
    }

    /** A captured frame of a supported link type as a record; {@code where} names it in an error. */
    static Pcap.Record record(int linkType, Instant time, byte[] data, String where) throws IOException {
        return switch (linkType) {
            case ETHERNET -> new Pcap.Record(time, data);
            case LINUX_SLL -> sll(time, data, where);
            case LINUX_SLL2 -> sll2(time, data, where);
            default -> throw new IOException(where + ": " + unsupported(linkType));
        };
    }

    /*
     * LINKTYPE_LINUX_SLL, 16 bytes, big-endian: packet type (2), ARPHRD_ type (2), link-layer address length (2),
     * link-layer address of the sender (8, padded), protocol type (2), then the payload.
     */
    private static Pcap.Record sll(Instant time, byte[] d, String where) throws IOException {
        if (d.length < 16) throw new IOException(where + ": a Linux cooked (SLL) frame of " + d.length + " bytes is shorter than its 16-byte header");
        return ethernet(time, u16(d, 0), u16(d, 4), d, 6, u16(d, 14), d, 16);
    }

    /*
     * LINKTYPE_LINUX_SLL2, 20 bytes, big-endian: protocol type (2), reserved (2), interface index (4), ARPHRD_ type (2),
     * packet type (1), link-layer address length (1), link-layer address of the sender (8, padded), then the payload.
     */
    private static Pcap.Record sll2(Instant time, byte[] d, String where) throws IOException {
        if (d.length < 20) throw new IOException(where + ": a Linux cooked (SLL2) frame of " + d.length + " bytes is shorter than its 20-byte header");
        return ethernet(time, d[10] & 0xff, d[11] & 0xff, d, 12, u16(d, 0), d, 20);
    }

    /**
     * The Ethernet frame a cooked capture stands for: destination 00:00:00:00:00:00 (not captured; {@link Pcap#address}
     * fills it in), source the sender's link-layer address when it is 6 bytes long (else zeros), the protocol type as the
     * EtherType, the payload, and zero padding up to the 60-byte Ethernet minimum.
     */
    private static Pcap.Record ethernet(Instant time, int packetType, int addrLen, byte[] a, int addrAt, int protocol, byte[] p, int payloadAt) {
        int len = 14 + p.length - payloadAt;
        byte[] f = new byte[Math.max(len, 60)];
        if (addrLen == 6) System.arraycopy(a, addrAt, f, 6, 6);
        f[12] = (byte) (protocol >> 8);
        f[13] = (byte) protocol;
        System.arraycopy(p, payloadAt, f, 14, p.length - payloadAt);
        return new Pcap.Record(time, f, Pcap.Cooked.of(packetType));
    }

    private static int u16(byte[] d, int at) {
        return (d[at] & 0xff) << 8 | (d[at + 1] & 0xff);
    }

    /** The destination MAC of a multicast IPv4 (01:00:5e + 23 bits, RFC 1112) or IPv6 (33:33 + 32 bits, RFC 2464) frame, else null. */
    static byte[] multicastMac(byte[] f) {
        int at = 12;
        int type = u16(f, at);
        while ((type == 0x8100 || type == 0x88a8) && f.length >= at + 6) {
            at += 4;
            type = u16(f, at);
        }
        int l3 = at + 2;
        if (type == 0x0800 && f.length >= l3 + 20 && (f[l3 + 16] & 0xf0) == 0xe0)
            return new byte[] {1, 0, 0x5e, (byte) (f[l3 + 17] & 0x7f), f[l3 + 18], f[l3 + 19]};
        if (type == 0x86dd && f.length >= l3 + 40 && (f[l3 + 24] & 0xff) == 0xff)
            return new byte[] {0x33, 0x33, f[l3 + 36], f[l3 + 37], f[l3 + 38], f[l3 + 39]};
        return null;
    }

    static byte[] withDestination(byte[] f, byte[] mac) {
        byte[] g = Arrays.copyOf(f, f.length);
        System.arraycopy(mac, 0, g, 0, 6);
        return g;
    }
}
