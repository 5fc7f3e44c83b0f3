package org.ntsfab.hdl;

import org.ntsfab.hdl.ir.SourceLoc;

import java.math.BigInteger;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.ntsfab.hdl.ir.Expr;

/**
 * A finite-state machine whose states are the constants of an enum, in declaration order (the first is the reset
 * state). The state register {@code <name>_reg} and the combinational {@code <name>_next} are emitted with one
 * {@code localparam} per constant, named {@code <NAME>_<CONSTANT>}, so waveforms and code read by name.
 *
 * <pre>{@code
 * enum State { IDLE, BUSY }
 * Fsm<State> fsm = new Fsm<>(this, "state", State.class);
 * fsm.on(State.IDLE, () -> when(start, () -> fsm.goTo(State.BUSY)));
 * fsm.on(State.BUSY, () -> when(done, () -> fsm.goTo(State.IDLE)));
 * fsm.onEntry(State.BUSY, () -> count.set(0));
 * }</pre>
 */
public final class Fsm<S extends Enum<S>> {
    private final UInt state;
    private final UInt next;
    private final Map<S, Expr.Lit> encodings;
    private final Switch body;

    public Fsm(Component owner, String name, Class<S> states) {
        S[] all = states.getEnumConstants();
        if (all.length == 0) throw new IllegalArgumentException("an FSM needs at least one state");
        encodings = new EnumMap<>(states);
        int w = UInt.widthFor(Math.max(1, all.length - 1));
        String prefix = name.toUpperCase();
        for (S s : all) {
            String sym = prefix + "_" + s.name().toUpperCase();
            Expr.Lit lit = new Expr.Lit(BigInteger.valueOf(s.ordinal()), w, sym);
            encodings.put(s, lit);
            Expr.Lit prev = owner.node.localParams().putIfAbsent(sym, lit);
            if (prev != null)
                Builder.get().error(HdlError.Kind.NAMING, "two FSMs named " + name + " in one component: their state " + sym
                        + " would share one localparam (name them apart)");
        }
        state = owner.regInit(new UInt(w), 0).named(name);
        next = owner.wire(new UInt(w)).named(name + "_next");
        next.set(state);
        state.set(next);
        body = Switch.start(state);
    }

    private Expr.Lit enc(S s) {
        return encodings.get(s);
    }

    /** The behaviour while in state {@code s} (a case of the FSM's switch). */
    public Fsm<S> on(S s, Runnable behaviour) {
        body.isLit(enc(s), behaviour);
        return this;
    }

    /** Go to {@code s} at the next clock edge (call inside {@link #on} or any when-body). */
    public void goTo(S s) {
        Builder b = Builder.get();
        next.assignExpr(b, enc(s), SourceLoc.capture());
    }

    public Bool is(S s) {
        return new Bool(new Expr.Binary(Expr.BinOp.EQ, state.expr(), enc(s), 1));
    }

    public Bool isNext(S s) {
        return new Bool(new Expr.Binary(Expr.BinOp.EQ, next.expr(), enc(s), 1));
    }

    /** Runs when the FSM is about to enter {@code s} (condition: next == s and state != s). */
    public void onEntry(S s, Runnable action) {
        When.start(isNext(s).and(is(s).not()), action);
    }

    /** Runs when the FSM is about to leave {@code s}. */
    public void onExit(S s, Runnable action) {
        When.start(is(s).and(isNext(s).not()), action);
    }

    public UInt state() {
        return state;
    }

    public List<S> states() {
        return List.copyOf(encodings.keySet());
    }
}
