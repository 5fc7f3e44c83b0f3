package org.ntsfab.model.pcap;

import java.io.IOException;
import java.io.InputStream;

/** A capture being read: the bytes so far counted, so that an error can say at which byte offset a record starts. */
final class Source {
    private final InputStream in;
    private final byte[] scratch = new byte[8192];
    private long offset;

    Source(InputStream in) {
        this.in = in;
    }

    /** Bytes read so far: the offset of the next byte. */
    long offset() {
        return offset;
    }

    /** Reads {@code n} bytes into {@code b[0..n)}, fewer only where the input ends; returns how many arrived. */
    int fill(byte[] b, int n) throws IOException {
        int got = 0;
        while (got < n) {
            int r = in.read(b, got, n - got);
            if (r < 0) break;
            got += r;
        }
        offset += got;
        return got;
    }

    /** Reads and discards {@code n} bytes, fewer only where the input ends; returns how many were there. */
    long skip(long n) throws IOException {
        long done = 0;
        while (done < n) {
            int r = in.read(scratch, 0, (int) Math.min(scratch.length, n - done));
            if (r < 0) break;
            done += r;
        }
        offset += done;
        return done;
    }
}
