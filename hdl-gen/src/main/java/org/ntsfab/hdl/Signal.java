package org.ntsfab.hdl;

import org.ntsfab.hdl.ir.SourceLoc;

import java.math.BigInteger;
import java.util.List;
import org.ntsfab.hdl.ir.Expr;
import org.ntsfab.hdl.ir.ModuleNode;
import org.ntsfab.hdl.ir.SigNode;
import org.ntsfab.hdl.ir.Stmt;

/**
 * A value of exact width. Three states: a <em>template</em> (a type not yet made into hardware:
 * {@code new UInt(8)}), a <em>named signal</em> (a port, wire or register; assignable), or an
 * <em>expression</em> (the result of an operator; read-only).
 */
public abstract class Signal extends Data {
    private final int width;
    SigNode node;
    Expr expr;

    protected Signal(int width) {
        if (width < 1) throw new IllegalArgumentException("a signal needs at least one bit, got width " + width);
        this.width = width;
    }

    Signal(Expr e) {
        this(e.width());
        this.expr = e;
    }

    public final int width() {
        return width;
    }

    @Override
    public final List<Signal> leaves() {
        return List.of(this);
    }

    /** A new signal of the same kind (same class) holding {@code e}. */
    abstract Signal wrap(Expr e);

    /** A fresh unbound template of the same class and width (used by {@code regNext}, FIFOs, ...). */
    public abstract Signal template();

    public boolean isBound() {
        return node != null;
    }

    public boolean isTemplate() {
        return node == null && expr == null;
    }

    /** The IR node behind a named signal, or null for expressions and templates. */
    public SigNode node() {
        return node;
    }

    /** The expression that reads this value. */
    public Expr expr() {
        if (expr == null) {
            Builder.get().error(HdlError.Kind.USAGE,
                    "a " + getClass().getSimpleName() + " template was read before it was made a port, wire or register");
            return new Expr.Lit(BigInteger.ZERO, width, null);
        }
        return expr;
    }

    void bind(SigNode n) {
        if (node != null) {
            SigNode n0 = node;
            Builder.get().errorLater(HdlError.Kind.USAGE, SourceLoc.capture(), () -> "signal " + n0.displayName() + " is already hardware; "
                    + "pass a fresh template (e.g. new UInt(8)) or x.template()");
            return;
        }
        if (expr != null) {
            Builder.get().error(HdlError.Kind.USAGE,
                    "an expression cannot become a port, wire or register; use wire(x.template()) and set(...)");
            return;
        }
        node = n;
        expr = new Expr.Ref(n);
    }

    @Override
    public Signal named(String name) {
        if (node == null) {
            Builder.get().error(HdlError.Kind.NAMING, "only ports, wires and registers can be named");
        } else {
            node.setExplicitName(name);
        }
        return this;
    }

    /** Assignment: the last assignment on any path wins; inside a when-body it is conditional. */
    void assign(Signal value) {
        Builder b = Builder.get();
        SourceLoc loc = SourceLoc.capture();
        if (value.width != width) {
            b.errorLater(HdlError.Kind.WIDTH_MISMATCH, loc, () -> "cannot assign a " + value.width + "-bit value to "
                    + describe() + " of " + width + " bits; use resize/trunc/zext/sext explicitly");
            return;
        }
        assignExpr(b, value.expr(), loc);
    }

    void assignExpr(Builder b, Expr value, SourceLoc loc) {
        if (node == null) {
            b.error(HdlError.Kind.USAGE, loc, "only ports, wires and registers can be assigned, not an expression or template");
            return;
        }
        ModuleNode here = b.currentModule();
        if (node.owner() == here) {
            if (node.kind() == SigNode.Kind.IN) {
                b.errorLater(HdlError.Kind.MULTIPLE_DRIVERS, loc, () -> "input port " + node.displayName()
                        + " is driven by the parent; it cannot be assigned inside its own component");
                return;
            }
        } else if (node.owner().parent() == here) {
            if (node.kind() != SigNode.Kind.IN) {
                b.errorLater(HdlError.Kind.MULTIPLE_DRIVERS, loc, () -> node.displayName()
                        + " is an output of the instance, which already drives it");
                return;
            }
        } else {
            b.errorLater(HdlError.Kind.HIERARCHY, loc, () -> "cannot assign " + node.displayName() + " from component "
                    + here.displayPath() + ": only own signals and the inputs of direct children");
            return;
        }
        b.scope().add(new Stmt.Assign(node, value, loc));
    }

    void assignLiteral(long value) {
        assignLiteral(BigInteger.valueOf(value));
    }

    void assignLiteral(BigInteger value) {
        Builder b = Builder.get();
        SourceLoc loc = SourceLoc.capture();
        Expr.Lit lit = Literals.lit(b, loc, value, width, this instanceof SInt);
        assignExpr(b, lit, loc);
    }

    String describe() {
        return node != null ? node.displayName() : "an expression";
    }
}
