package org.ntsfab.harness;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.ntsfab.harness.Testbench;

/** Frames as byte arrays and as AXI-Stream beats (little-endian lanes, contiguous tkeep). */
public final class AxisFrames {
    private AxisFrames() {}

    /** A beat: data (lane 0 in the low byte), keep mask, last flag, user bits. */
    public record Beat(long tdata, int tkeep, boolean tlast, int tuser) {
        public long[] fields() {
            return new long[] {tdata, tkeep, tlast ? 1 : 0, tuser};
        }
    }

    public static List<Beat> toBeats(byte[] frame, int bytesPerBeat, int user) {
        if (frame.length == 0) throw new IllegalArgumentException("AXI-Stream frames have at least one byte");
        List<Beat> out = new ArrayList<>();
        for (int off = 0; off < frame.length; off += bytesPerBeat) {
            int n = Math.min(bytesPerBeat, frame.length - off);
            long data = 0;
            for (int i = 0; i < n; i++) data |= (frame[off + i] & 0xffL) << (8 * i);
            boolean last = off + n == frame.length;
            out.add(new Beat(data, (1 << n) - 1, last, last ? user : 0));
        }
        return out;
    }

    /** Reassembles frames from beats in tdata/tkeep/tlast/tuser field order. */
    public static List<byte[]> frames(List<Testbench.Beat> beats, int bytesPerBeat) {
        List<byte[]> out = new ArrayList<>();
        byte[] cur = new byte[0];
        for (Testbench.Beat b : beats) {
            long data = b.field(0);
            int keep = (int) b.field(1);
            int n = Integer.bitCount(keep);
            if (keep != (1 << n) - 1) throw new AssertionError("non-contiguous tkeep 0x" + Integer.toHexString(keep) + " at cycle " + b.cycle());
            int old = cur.length;
            cur = Arrays.copyOf(cur, old + n);
            for (int i = 0; i < n; i++) cur[old + i] = (byte) (data >>> (8 * i));
            if (b.field(2) != 0) {
                out.add(cur);
                cur = new byte[0];
            }
        }
        if (cur.length > 0) throw new AssertionError("stream ended inside a frame");
        return out;
    }
}
