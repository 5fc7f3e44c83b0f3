package org.ntsfab.ip.eth;

import java.util.ArrayList;
import java.util.List;
import org.ntsfab.hdl.Axis;
import org.ntsfab.hdl.Bits;
import org.ntsfab.hdl.Bool;
import org.ntsfab.hdl.Component;

/**
 * Ethernet FCS (CRC-32) over an AXI-Stream of any width with contiguous {@code tkeep}: one beat per
 * cycle, always ready. One cycle after the last beat of a frame {@code crc_valid} pulses with
 * {@code crc} (the CRC of every byte of the frame, as {@code java.util.zip.CRC32} reports it; on the
 * wire the FCS is this value little-endian) and {@code crc_ok}, true when the frame's last four bytes
 * were its correct FCS (the register holds the 802.3 residue 0xDEBB20E3).
 *
 * <p>A beat whose {@code tkeep} is not of the form 0…01…1 (or is zero) leaves the CRC unchanged:
 * a protocol violation upstream must not be mistaken for data.
 */
public final class EthFcs64 extends Component {
    public final Axis in;
    public final Bits crc;
    public final Bool crc_valid;
    public final Bool crc_ok;

    public EthFcs64(int dataBytes) {
        moduleName("eth_fcs_" + 8 * dataBytes);
        in = slave(new Axis(dataBytes, 1));
        crc = out(new Bits(32));
        crc_valid = out(new Bool());
        crc_ok = out(new Bool());

        Bits state = regInit(new Bits(32), 0xFFFFFFFFL).named("crc_state_reg");
        Bits crcReg = regInit(new Bits(32), 0).named("crc_reg");
        Bool validReg = regInit(new Bool(), 0).named("crc_valid_reg");
        Bool okReg = regInit(new Bool(), 0).named("crc_ok_reg");

        Bits next = wire(new Bits(32)).named("crc_next");
        next.set(state);
        var sw = switchOn(in.tkeep());
        for (int k = 1; k <= dataBytes; k++) {
            Bits value = update(state, in.tdata(), k);
            long keep = (1L << k) - 1;
            sw.is(keep, () -> next.set(value));
        }
        sw.otherwise(() -> { });

        validReg.set(false);
        when(in.valid, () -> {
            state.set(next);
            when(in.tlast(), () -> {
                state.set(0xFFFFFFFFL);
                crcReg.set(next.not());
                okReg.set(next.eq(Integer.toUnsignedLong(Crc32.RESIDUE)));
                validReg.set(true);
            });
        });
        in.ready.set(true);
        crc.set(crcReg);
        crc_valid.set(validReg);
        crc_ok.set(okReg);
    }

    public EthFcs64() {
        this(8);
    }

    /** The XOR network for a k-byte update of {@code state} with the low k bytes of {@code data}. */
    public static Bits update(Bits state, Bits data, int k) {
        int[][] deps = Crc32.dependencies(k);
        List<Bool> outBits = new ArrayList<>();
        for (int j = 31; j >= 0; j--) {
            List<Bool> terms = new ArrayList<>();
            for (int i : deps[j]) terms.add(i < 32 ? state.bit(i) : data.bit(i - 32));
            outBits.add(Bits.cat(terms).xorReduce());
        }
        return Bits.cat(outBits);
    }
}
