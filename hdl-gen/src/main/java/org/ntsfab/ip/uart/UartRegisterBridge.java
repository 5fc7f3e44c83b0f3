package org.ntsfab.ip.uart;

import org.ntsfab.hdl.Bits;
import org.ntsfab.hdl.Bool;
import org.ntsfab.hdl.Component;
import org.ntsfab.hdl.Fsm;
import org.ntsfab.hdl.Stream;
import org.ntsfab.hdl.UInt;
import org.ntsfab.ip.axil.AxiLite;

/**
 * The host's register access over a UART, for boards without a CPU: an AXI4-Lite master driven by byte commands.
 *
 * <pre>
 *   'W' (0x57) addr[15:8] addr[7:0] d[31:24] d[23:16] d[15:8] d[7:0]  → 'K' (0x4B) once the write is done, 'E' (0x45) on an error response
 *   'R' (0x52) addr[15:8] addr[7:0]                                 → 'K' or 'E', then d[31:24] d[23:16] d[15:8] d[7:0]
 * </pre>
 *
 * Addresses are byte addresses (the register file's), most significant byte first; any other command byte is
 * ignored. A command whose bytes stop coming for {@code timeoutCycles} is abandoned, so a host that restarts
 * mid-command is back in step with its next command. One command at a time: the answer is sent before the next
 * command byte is looked at (bytes arriving meanwhile are dropped; a host waits for the answer).
 */
public final class UartRegisterBridge extends Component {
    public static final int WRITE = 0x57, READ = 0x52, OK = 0x4B, ERROR = 0x45;

    public final Bool rx_valid = in(new Bool());
    public final Bits rx_data = in(new Bits(8));
    public final Stream<Bits> tx = master(new Stream<>(new Bits(8)));
    /** The AXI4-Lite master: {@code m_axil_awvalid}, {@code m_axil_awready}, {@code m_axil_awaddr}, ... (AMBA names). */
    public final AxiLite m_axil;

    public UartRegisterBridge(int addrBits, int timeoutCycles) {
        if (addrBits > 16) throw new IllegalArgumentException("the UART commands carry 16-bit addresses");
        moduleName("uart_register_bridge_a" + addrBits + "_t" + timeoutCycles);
        m_axil = master(new AxiLite(addrBits));

        Bool isWrite = reg(new Bool()).named("is_write_reg");
        UInt got = regInit(new UInt(3), 0).named("bytes_got_reg");           // bytes of the command after its first
        Bits args = reg(new Bits(48)).named("args_reg");                      // address and data, shifted in
        Bits answer = reg(new Bits(40)).named("answer_reg");                  // status byte then data, shifted out
        UInt left = regInit(new UInt(3), 0).named("answer_left_reg");
        int tw = 32 - Integer.numberOfLeadingZeros(timeoutCycles);
        UInt idle = regInit(new UInt(tw), 0).named("idle_timer_reg");
        Bool awDone = reg(new Bool()).named("aw_done_reg");
        Bool wDone = reg(new Bool()).named("w_done_reg");

        UInt addr = let("command_addr", isWrite.mux(args.slice(47, 32), args.slice(15, 0)).asUInt().trunc(addrBits));
        m_axil.aw.payload.addr.set(addr);
        m_axil.ar.payload.addr.set(addr);
        m_axil.w.payload.data.set(args.slice(31, 0));
        m_axil.w.payload.strb.set(Bits.lit(0xf, 4));
        m_axil.aw.valid.set(false);
        m_axil.w.valid.set(false);
        m_axil.ar.valid.set(false);
        m_axil.b.ready.set(false);
        m_axil.r.ready.set(false);
        tx.valid.set(left.ne(0));
        tx.payload.set(answer.slice(39, 32));

        Bool awNow = let("aw_accepted", awDone.or(m_axil.aw.ready));
        Bool wNow = let("w_accepted", wDone.or(m_axil.w.ready));

        enum State { COMMAND, ARGUMENTS, WRITE, WRITE_RESPONSE, READ, READ_DATA, ANSWER }

        Fsm<State> fsm = new Fsm<>(this, "state", State.class);
        fsm.on(State.COMMAND, () -> when(rx_valid.and(rx_data.eq(WRITE).or(rx_data.eq(READ))), () -> {
            isWrite.set(rx_data.eq(WRITE));
            got.set(0);
            idle.set(0);
            fsm.goTo(State.ARGUMENTS);
        }));
        fsm.on(State.ARGUMENTS, () -> when(rx_valid, () -> {
            args.set(Bits.cat(args.slice(39, 0), rx_data));
            got.set(got.plus(1));
            idle.set(0);
            when(isWrite.and(got.eq(5)), () -> {
                awDone.set(false);
                wDone.set(false);
                fsm.goTo(State.WRITE);
            });
            when(isWrite.not().and(got.eq(1)), () -> fsm.goTo(State.READ));
        }).otherwise(() -> {
            idle.set(idle.plus(1));
            when(idle.eq(timeoutCycles), () -> fsm.goTo(State.COMMAND));
        }));
        fsm.on(State.WRITE, () -> {
            m_axil.aw.valid.set(awDone.not());
            m_axil.w.valid.set(wDone.not());
            when(m_axil.aw.ready, () -> awDone.set(true));
            when(m_axil.w.ready, () -> wDone.set(true));
            when(awNow.and(wNow), () -> fsm.goTo(State.WRITE_RESPONSE));
        });
        fsm.on(State.WRITE_RESPONSE, () -> {
            m_axil.b.ready.set(true);
            when(m_axil.b.valid, () -> {
                answer.set(Bits.cat(m_axil.b.payload.resp.eq(0).mux(Bits.lit(OK, 8), Bits.lit(ERROR, 8)), Bits.lit(0, 32)));
                left.set(1);
                fsm.goTo(State.ANSWER);
            });
        });
        fsm.on(State.READ, () -> {
            m_axil.ar.valid.set(true);
            when(m_axil.ar.ready, () -> fsm.goTo(State.READ_DATA));
        });
        fsm.on(State.READ_DATA, () -> {
            m_axil.r.ready.set(true);
            when(m_axil.r.valid, () -> {
                answer.set(Bits.cat(m_axil.r.payload.resp.eq(0).mux(Bits.lit(OK, 8), Bits.lit(ERROR, 8)), m_axil.r.payload.data));
                left.set(5);
                fsm.goTo(State.ANSWER);
            });
        });
        fsm.on(State.ANSWER, () -> {
            when(tx.ready.and(left.ne(0)), () -> {
                answer.set(Bits.cat(answer.slice(31, 0), Bits.lit(0, 8)));
                left.set(left.minus(1));
                when(left.eq(1), () -> fsm.goTo(State.COMMAND));
            });
        });
    }
}
