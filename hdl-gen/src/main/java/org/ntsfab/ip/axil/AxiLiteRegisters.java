package org.ntsfab.ip.axil;

import java.util.LinkedHashMap;
import java.util.Map;
import org.ntsfab.hdl.Bits;
import org.ntsfab.hdl.Bool;
import org.ntsfab.hdl.Component;
import org.ntsfab.hdl.Stream;
import org.ntsfab.hdl.UInt;

import static org.ntsfab.ip.axil.AxiLite.OKAY;
import static org.ntsfab.ip.axil.AxiLite.SLVERR;

/**
 * An AXI4-Lite slave generated from a {@link RegisterMap}: one write and one read in flight,
 * responses OKAY, or SLVERR for an address the map does not have (reads return 0 there, writes are
 * ignored). Write strobes are honoured per byte. RW registers are outputs {@code <name>}; RO values
 * are inputs {@code <name>}; pulse registers are outputs that are high for the one cycle after the
 * write. A write needs its address and data together (the slave's ready waits for both valids).
 */
public final class AxiLiteRegisters extends Component {
    /** The slave port: {@code s_axil_awvalid}, {@code s_axil_awready}, {@code s_axil_awaddr}, ... (AMBA names). */
    public final AxiLite s_axil;
    /** Per register: its port (output for RW/PULSE, input for RO). */
    public final Map<String, UInt> ports = new LinkedHashMap<>();

    public AxiLiteRegisters(RegisterMap map) {
        moduleName(map.moduleName());
        s_axil = slave(new AxiLite(map.addressBits()));
        Stream<AxiLite.Addr> aw = s_axil.aw, ar = s_axil.ar;
        Stream<AxiLite.WData> w = s_axil.w;
        Stream<AxiLite.BResp> b = s_axil.b;
        Stream<AxiLite.RData> r = s_axil.r;

        Bool bValid = regInit(new Bool(), 0).named("bvalid_reg");
        UInt bResp = reg(new UInt(2)).named("bresp_reg");
        Bool rValid = regInit(new Bool(), 0).named("rvalid_reg");
        Bits rData = reg(new Bits(32)).named("rdata_reg");
        UInt rResp = reg(new UInt(2)).named("rresp_reg");

        Bool writeFire = let("write_fire", aw.valid.and(w.valid).and(bValid.not()));
        Bool readFire = let("read_fire", ar.valid.and(rValid.not()));
        UInt waddr = aw.payload.addr, raddr = ar.payload.addr;

        when(b.ready, () -> bValid.set(false));
        when(r.ready, () -> rValid.set(false));
        when(writeFire, () -> {
            bValid.set(true);
            bResp.set(SLVERR);
        });
        when(readFire, () -> {
            rValid.set(true);
            rData.set(0);
            rResp.set(SLVERR);
        });

        for (RegisterMap.Register reg : map.registers()) {
            int words = reg.words();
            switch (reg.access()) {
                case RW -> {
                    UInt value = regInit(new UInt(reg.width()), reg.reset()).named(reg.name() + "_reg");
                    UInt out = out(new UInt(reg.width())).named(reg.name());
                    out.set(value);
                    ports.put(reg.name(), out);
                    for (int wd = 0; wd < words; wd++) {
                        int lo = 32 * wd, hi = Math.min(reg.width(), lo + 32) - 1;
                        int offset = reg.offset() + 4 * wd;
                        final int fLo = lo, fHi = hi;
                        when(writeFire.and(waddr.eq(offset)), () -> {
                            bResp.set(OKAY);
                            value.set(merge(value, w.payload.data, w.payload.strb, fLo, fHi));
                        });
                        when(readFire.and(raddr.eq(offset)), () -> {
                            rResp.set(OKAY);
                            rData.set(value.slice(fHi, fLo).asBits().resize(32));
                        });
                    }
                }
                case PULSE -> {
                    Bits pulse = regInit(new Bits(reg.width()), 0).named(reg.name() + "_pulse_reg");
                    pulse.set(0);
                    UInt out = out(new UInt(reg.width())).named(reg.name());
                    out.set(pulse.asUInt());
                    ports.put(reg.name(), out);
                    when(writeFire.and(waddr.eq(reg.offset())), () -> {
                        bResp.set(OKAY);
                        pulse.set(w.payload.data.trunc(reg.width()));
                    });
                    when(readFire.and(raddr.eq(reg.offset())), () -> {
                        rResp.set(OKAY);
                        rData.set(0);
                    });
                }
                case RO -> {
                    UInt in = in(new UInt(reg.width())).named(reg.name());
                    ports.put(reg.name(), in);
                    Bits shadow = words == 2 ? regInit(new Bits(reg.width() - 32), 0).named(reg.name() + "_high_latch_reg") : null;
                    for (int wd = 0; wd < words; wd++) {
                        int offset = reg.offset() + 4 * wd;
                        final int fwd = wd;
                        when(writeFire.and(waddr.eq(offset)), () -> bResp.set(OKAY)); // writes to read-only words are ignored
                        when(readFire.and(raddr.eq(offset)), () -> {
                            rResp.set(OKAY);
                            if (words == 1) {
                                rData.set(in.asBits().resize(32));
                            } else if (fwd == 0) {
                                rData.set(in.slice(31, 0).asBits());
                                shadow.set(in.slice(reg.width() - 1, 32).asBits());
                            } else {
                                rData.set(shadow.resize(32));
                            }
                        });
                    }
                }
            }
        }
        aw.ready.set(writeFire);
        w.ready.set(writeFire);
        b.valid.set(bValid);
        b.payload.resp.set(bResp);
        ar.ready.set(readFire);
        r.valid.set(rValid);
        r.payload.data.set(rData);
        r.payload.resp.set(rResp);
    }

    /** {@code value[hi:lo]} with the strobed bytes of {@code data} written in. */
    private static UInt merge(UInt value, Bits data, Bits strb, int lo, int hi) {
        int n = hi - lo + 1;
        Bits old = value.slice(hi, lo).asBits();
        Bits[] bytes = new Bits[(n + 7) / 8];
        for (int i = 0; i < bytes.length; i++) {
            int bLo = 8 * i, bHi = Math.min(n, bLo + 8) - 1;
            bytes[bytes.length - 1 - i] = strb.bit(i).mux(data.slice(bHi, bLo), old.slice(bHi, bLo));
        }
        Bits field = Bits.cat(bytes);
        UInt merged = field.asUInt();
        if (lo > 0) merged = UInt.cat(merged, value.slice(lo - 1, 0));
        if (hi < value.width() - 1) merged = UInt.cat(value.slice(value.width() - 1, hi + 1), merged);
        return merged;
    }
}
