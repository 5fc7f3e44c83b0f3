package org.ntsfab.it;

import org.ntsfab.sim.FrameFields;
import org.ntsfab.sim.TopSim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import org.ntsfab.model.ConfigFile;
import org.ntsfab.model.Outcome;
import org.ntsfab.model.Responder;
import org.ntsfab.model.clock.NtpClock;
import org.ntsfab.model.pcap.Pcap;

/**
 * A board core's answers at its pins against the reference model. The board's MACs put a fixed number of cycles between
 * a frame's SFD on the pins and the responder's T2 (and between T3 and the answer's SFD): the two latencies are found on
 * the first NTP answer (a search over 0..{@value #MAX_LATENCY} cycles, the model computing each candidate) and must
 * then hold, to the cycle, for every other answer. Everything else must equal the model byte for byte, in order.
 */
final class BoardCheck {
    static final int MAX_LATENCY = 80;

    /** A frame on the transmit pins: the cycle of its start/SFD reference and its bytes (without preamble and FCS). */
    record TxFrame(long sfdCycle, byte[] frame) {}

    /** The latencies found and the number of answers checked. */
    record Result(long rxLatency, long txLatency, int answers, int ntp, Responder model) {}

    /**
     * @param rxSfd per request, the cycle of its SFD reference on the receive pins
     * @param origin the cycle the clock's {@code time} stands for (the PPS input edge)
     */
    static Result check(ConfigFile cfg, Instant t0, NtpClock clock, List<Pcap.Record> in, List<Long> rxSfd, List<TxFrame> tx, long origin) {
        int first = -1, answersBefore = 0;
        for (int i = 0; i < in.size() && first < 0; i++) {
            Responder.Result res = fresh(cfg, t0, clock).process(in.get(i).frame(), false, 0);
            if (res.outcome() == Outcome.ANSWER_NTP) first = i;
            else if (res.answer() != null) answersBefore++;
        }
        assertTrue(first >= 0, "an NTP request in the traffic");
        assertTrue(answersBefore < tx.size(), "the first NTP answer is on the pins");
        TxFrame firstTx = tx.get(answersBefore);
        long rxLatency = -1, txLatency = -1;
        for (int dr = 0; dr <= MAX_LATENCY && rxLatency < 0; dr++)
            for (int dt = 0; dt <= MAX_LATENCY; dt++) {
                byte[] want = fresh(cfg, t0, clock).process(in.get(first).frame(), false, rxSfd.get(first) + dr - origin).answer()
                        .at(firstTx.sfdCycle() - dt - origin);
                if (Arrays.equals(want, firstTx.frame())) {
                    rxLatency = dr;
                    txLatency = dt;
                    break;
                }
            }
        assertTrue(rxLatency >= 0, "no receive/transmit latency within " + MAX_LATENCY + " cycles gives the first NTP answer's timestamps");

        Responder model = fresh(cfg, t0, clock);
        int next = 0, ntp = 0;
        for (int i = 0; i < in.size(); i++) {
            Responder.Result res = model.process(in.get(i).frame(), false, rxSfd.get(i) + rxLatency - origin);
            if (res.answer() == null) continue;
            assertTrue(next < tx.size(), "frame #" + i + " (" + res.outcome().counterName() + "): no answer on the pins");
            TxFrame f = tx.get(next++);
            byte[] want = res.answer().at(f.sfdCycle() - txLatency - origin);
            assertArrayEquals(want, f.frame(), "answer to frame #" + i + " (" + res.outcome().counterName() + "): "
                    + FrameFields.describeDifference(want, f.frame()));
            if (res.outcome() == Outcome.ANSWER_NTP) ntp++;
        }
        assertEquals(next, tx.size(), "frames on the pins that the model does not send");
        return new Result(rxLatency, txLatency, next, ntp, model);
    }

    /** A frame's bytes from what a transmitter put on the wire: preamble and SFD checked, FCS checked and cut. */
    static byte[] payload(byte[] wire, long cycle) {
        byte[] pre = {0x55, 0x55, 0x55, 0x55, 0x55, 0x55, 0x55, (byte) 0xD5};
        assertArrayEquals(pre, Arrays.copyOf(wire, 8), "preamble and SFD at cycle " + cycle);
        java.util.zip.CRC32 crc = new java.util.zip.CRC32();
        crc.update(wire, 8, wire.length - 12);
        long fcs = 0;
        for (int k = 0; k < 4; k++) fcs |= (long) (wire[wire.length - 4 + k] & 0xff) << (8 * k);
        assertEquals(crc.getValue(), fcs, "FCS of the frame at cycle " + cycle);
        return Arrays.copyOfRange(wire, 8, wire.length - 4);
    }

    private static Responder fresh(ConfigFile cfg, Instant t0, NtpClock clock) {
        Responder m = new Responder(TopSim.modelConfig(cfg, t0));
        m.useClock(clock);
        return m;
    }
}
