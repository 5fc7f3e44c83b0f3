package org.ntsfab.ip.aes;

import java.util.ArrayList;
import java.util.List;
import org.ntsfab.hdl.Bits;
import org.ntsfab.hdl.Bool;
import org.ntsfab.hdl.Component;
import org.ntsfab.hdl.Stream;
import org.ntsfab.hdl.UInt;
import org.ntsfab.hdl.lib.RoundRobin;

/**
 * One AES pipeline shared by {@code n} clients, each with at most a few blocks in flight (an
 * AES-SIV unit has one): every cycle the next client in round-robin order with a block waiting
 * issues it, tagged with its index; results return on that client's {@code res} (clients are
 * always ready). With n clients of one block each in flight and a pipeline of d stages, the
 * pipeline is busy n / (d + client turnaround) of the time.
 */
public final class AesArbiter extends Component {
    private final List<Stream<AesPipeline.Request>> reqs = new ArrayList<>();
    private final List<Stream<AesPipeline.Result>> ress = new ArrayList<>();
    public final int latency;

    public AesArbiter(int n, int keyBits, int roundsPerStage) {
        if (n < 2 || n > 64) throw new IllegalArgumentException("2..64 clients");
        int tb = 32 - Integer.numberOfLeadingZeros(n - 1);
        AesPipeline p = add("pipeline", new AesPipeline(keyBits, roundsPerStage, tb));
        latency = p.latency;
        moduleName("aes" + keyBits + "_shared_" + n + "_s" + p.latency);
        for (int i = 0; i < n; i++) {
            reqs.add((Stream<AesPipeline.Request>) slave(new Stream<>(new AesPipeline.Request(keyBits, 1))).named("req" + i));
            ress.add((Stream<AesPipeline.Result>) master(new Stream<>(new AesPipeline.Result(1))).named("res" + i));
        }
        UInt last = regInit(new UInt(tb), n - 1).named("last_issued_reg");
        List<Bool> valids = new ArrayList<>();
        for (Stream<AesPipeline.Request> r : reqs) valids.add(r.valid);
        UInt pick = let("pick", RoundRobin.next(valids, last));
        Bool any = Bool.lit(false);
        Bits key = reqs.get(0).payload.key, block = reqs.get(0).payload.block;
        for (int i = 0; i < n; i++) {
            any = any.or(reqs.get(i).valid);
            if (i > 0) {
                key = pick.eq(i).mux(reqs.get(i).payload.key, key);
                block = pick.eq(i).mux(reqs.get(i).payload.block, block);
            }
        }
        p.in.valid.set(any);
        p.in.payload.key.set(key);
        p.in.payload.block.set(block);
        p.in.payload.tag.set(pick.asBits());
        for (int i = 0; i < n; i++) reqs.get(i).ready.set(p.in.ready.and(pick.eq(i)));
        when(p.in.fire(), () -> last.set(pick));
        p.out.ready.set(Bool.lit(true));
        for (int i = 0; i < n; i++) {
            ress.get(i).valid.set(p.out.valid.and(p.out.payload.tag.asUInt().eq(i)));
            ress.get(i).payload.block.set(p.out.payload.block);
            ress.get(i).payload.tag.set(Bits.lit(0, 1));
        }
    }

    public Stream<AesPipeline.Request> req(int i) {
        return reqs.get(i);
    }

    public Stream<AesPipeline.Result> res(int i) {
        return ress.get(i);
    }
}
