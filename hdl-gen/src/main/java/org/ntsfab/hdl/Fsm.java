package org.ntsfab.hdl;

import org.ntsfab.hdl.ir.SourceLoc;

import java.math.BigInteger;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.ntsfab.hdl.ir.Expr;

/**
 * A finite-state machine with named states. The state register (reset to the first state) and a
 * combinational {@code _next} are emitted with {@code localparam} encodings named
 * {@code <NAME>_<STATE>}, so waveforms and code read by name.
 *
 * <pre>{@code
 * Fsm fsm = new Fsm(this, "state", "IDLE", "BUSY");
 * fsm.on("IDLE", () -> when(start, () -> fsm.goTo("BUSY")));
 * fsm.on("BUSY", () -> when(done, () -> fsm.goTo("IDLE")));
 * fsm.onEntry("BUSY", () -> count.set(0));
 * }</pre>
 */
public final class Fsm {
    private final UInt state;
    private final UInt next;
    private final Map<String, Expr.Lit> encodings = new LinkedHashMap<>();
    private final Switch body;

    public Fsm(Component owner, String name, String... states) {
        if (states.length == 0) throw new IllegalArgumentException("an FSM needs at least one state");
        Builder b = Builder.get();
        int w = UInt.widthFor(Math.max(1, states.length - 1));
        String prefix = name.toUpperCase();
        for (int i = 0; i < states.length; i++) {
            String sym = prefix + "_" + states[i].toUpperCase();
            if (encodings.containsKey(states[i]))
                b.error(HdlError.Kind.USAGE, "FSM state " + states[i] + " declared twice");
            Expr.Lit lit = new Expr.Lit(BigInteger.valueOf(i), w, sym);
            encodings.put(states[i], lit);
            owner.node.localParams().put(sym, lit);
        }
        state = owner.regInit(new UInt(w), 0).named(name);
        next = owner.wire(new UInt(w)).named(name + "_next");
        next.set(state);
        state.set(next);
        body = Switch.start(state);
    }

    private Expr.Lit enc(String s) {
        Expr.Lit l = encodings.get(s);
        if (l == null) {
            Builder.get().error(HdlError.Kind.USAGE, "unknown FSM state " + s + "; states are " + encodings.keySet());
            return encodings.values().iterator().next();
        }
        return l;
    }

    /** The behaviour while in {@code state} (a case of the FSM's switch). */
    public Fsm on(String s, Runnable behaviour) {
        body.isLit(enc(s), behaviour);
        return this;
    }

    /** Go to {@code s} at the next clock edge (call inside {@link #on} or any when-body). */
    public void goTo(String s) {
        Builder b = Builder.get();
        next.assignExpr(b, enc(s), SourceLoc.capture());
    }

    public Bool is(String s) {
        return new Bool(new Expr.Binary(Expr.BinOp.EQ, state.expr(), enc(s), 1));
    }

    public Bool isNext(String s) {
        return new Bool(new Expr.Binary(Expr.BinOp.EQ, next.expr(), enc(s), 1));
    }

    /** Runs when the FSM is about to enter {@code s} (condition: next == s and state != s). */
    public void onEntry(String s, Runnable action) {
        When.start(isNext(s).and(is(s).not()), action);
    }

    /** Runs when the FSM is about to leave {@code s}. */
    public void onExit(String s, Runnable action) {
        When.start(is(s).and(isNext(s).not()), action);
    }

    public UInt state() {
        return state;
    }

    public List<String> states() {
        return List.copyOf(encodings.keySet());
    }
}
