package org.ntsfab.harness;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.zip.CRC32;

/**
 * An independent Java model of the 802.3 wire format, for benches at MAC and PHY ports: preamble, SFD, padding to
 * 60 bytes, and the FCS from {@code java.util.zip.CRC32} (not from our HDL's CRC).
 */
public final class EthernetWire {
    private EthernetWire() {}

    /** What the wire carries for a frame sent by a MAC: preamble, SFD, the frame padded to 60 bytes, its FCS. */
    public static byte[] wire(byte[] frame) {
        return wireAsIs(Arrays.copyOf(frame, Math.max(60, frame.length)));
    }

    /** What the wire carries for a frame as it is (no padding): preamble, SFD, the bytes, their FCS. */
    public static byte[] wireAsIs(byte[] frame) {
        ByteArrayOutputStream w = new ByteArrayOutputStream();
        for (int i = 0; i < 7; i++) w.write(0x55);
        w.write(0xD5);
        w.write(frame, 0, frame.length);
        CRC32 c = new CRC32();
        c.update(frame);
        long fcs = c.getValue();
        for (int k = 0; k < 4; k++) w.write((int) (fcs >>> (8 * k)) & 0xff);
        return w.toByteArray();
    }
}
