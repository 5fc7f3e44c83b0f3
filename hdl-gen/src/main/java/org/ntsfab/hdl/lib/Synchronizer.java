package org.ntsfab.hdl.lib;

import org.ntsfab.hdl.Bits;
import org.ntsfab.hdl.ClockDomain;
import org.ntsfab.hdl.Component;

/**
 * The only legal way across clock domains: two flops in the destination domain. Suitable for
 * single-bit levels and Gray-coded or otherwise one-bit-at-a-time changing values. Every instance is
 * listed in {@code Design.crossings()} so constraints can be generated from the design itself.
 */
public final class Synchronizer extends Component {
    public final Bits in;
    public final Bits out;

    public Synchronizer(int width, ClockDomain destination) {
        moduleName("sync2_w" + width);
        in = in(new Bits(width));
        out = inDomain(destination, () -> out(new Bits(width)));
        Bits stage0 = inDomain(destination, () -> reg(new Bits(width)).named("sync_stage0_reg"));
        Bits stage1 = inDomain(destination, () -> reg(new Bits(width)).named("sync_stage1_reg"));
        stage0.set(in);
        stage1.set(stage0);
        out.set(stage1);
        declareSynchronizer(in, stage0);
    }
}
