package org.ntsfab.hdl;

import org.ntsfab.hdl.ir.SourceLoc;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.ntsfab.hdl.ir.Expr;
import org.ntsfab.hdl.ir.Stmt;

/** A switch on a signal's value: cases are literals checked to fit and to be distinct. */
public final class Switch {
    private final Stmt.Switch node;
    private final Signal selector;
    private final Set<BigInteger> seen = new HashSet<>();

    private Switch(Stmt.Switch node, Signal selector) {
        this.node = node;
        this.selector = selector;
    }

    static Switch start(Signal selector) {
        Builder b = Builder.get();
        Stmt.Switch s = new Stmt.Switch(selector.expr(), SourceLoc.capture());
        b.scope().add(s);
        return new Switch(s, selector);
    }

    public Switch is(long value, Runnable body) {
        return is(new long[] {value}, body);
    }

    public Switch is(long v1, long v2, Runnable body) {
        return is(new long[] {v1, v2}, body);
    }

    public Switch is(long[] values, Runnable body) {
        Builder b = Builder.get();
        SourceLoc loc = SourceLoc.capture();
        List<Expr.Lit> vs = new ArrayList<>();
        for (long v : values) {
            Expr.Lit lit = Literals.lit(b, loc, BigInteger.valueOf(v), selector.width(), selector instanceof SInt);
            if (!seen.add(lit.value()))
                b.error(HdlError.Kind.USAGE, loc, "switch case " + v + " appears twice");
            vs.add(lit);
        }
        if (node.otherwise != null) b.error(HdlError.Kind.USAGE, loc, "switch case after otherwise");
        Stmt.Case c = new Stmt.Case(vs, new ArrayList<>());
        node.cases.add(c);
        When.run(b, c.body(), body);
        return this;
    }

    /** Case on a symbolic FSM state or other named literal. */
    Switch isLit(Expr.Lit lit, Runnable body) {
        Builder b = Builder.get();
        if (!seen.add(lit.value())) b.error(HdlError.Kind.USAGE, "switch case " + lit.value() + " appears twice");
        Stmt.Case c = new Stmt.Case(List.of(lit), new ArrayList<>());
        node.cases.add(c);
        When.run(b, c.body(), body);
        return this;
    }

    public void otherwise(Runnable body) {
        Builder b = Builder.get();
        if (node.otherwise != null) b.error(HdlError.Kind.USAGE, "otherwise given twice");
        node.otherwise = new ArrayList<>();
        When.run(b, node.otherwise, body);
    }
}
