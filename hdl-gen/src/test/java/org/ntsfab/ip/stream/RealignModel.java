package org.ntsfab.ip.stream;

import java.util.Arrays;

/** What the realigner promises: the frame without its first {@code shift} bytes, or nothing if none remain. */
public final class RealignModel {
    private RealignModel() {}

    public static byte[] apply(byte[] frame, int shift) {
        if (frame.length <= shift) return null;
        return Arrays.copyOfRange(frame, shift, frame.length);
    }
}
