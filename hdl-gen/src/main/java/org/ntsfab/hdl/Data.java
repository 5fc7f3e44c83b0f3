package org.ntsfab.hdl;

import java.util.List;

/** Anything that flattens to signals: a single {@link Signal} or a {@link Bundle} of them. */
public abstract class Data {
    /** The signals of this data, in declaration order (most significant field first). */
    public abstract List<Signal> leaves();

    /** Total width in bits. */
    public int totalWidth() {
        return leaves().stream().mapToInt(Signal::width).sum();
    }

    /** Gives this data an explicit name (wins over the reflected field name). */
    public abstract Data named(String name);
}
