package org.ntsfab.hdl;

import java.math.BigInteger;
import org.ntsfab.hdl.ir.Expr;
import org.ntsfab.hdl.ir.Expr.BinOp;
import org.ntsfab.hdl.ir.Expr.UnOp;

/** A single bit used as a condition or flag. */
public final class Bool extends Signal {
    public Bool() {
        super(1);
    }

    Bool(Expr e) {
        super(e);
        if (e.width() != 1) throw new IllegalArgumentException("Bool needs a 1-bit expression");
    }

    @Override
    Bool wrap(Expr e) {
        return new Bool(e);
    }

    @Override
    public Bool template() {
        return new Bool();
    }

    public static Bool lit(boolean v) {
        return new Bool(new Expr.Lit(v ? BigInteger.ONE : BigInteger.ZERO, 1, null));
    }

    public Bool set(Bool v) {
        assign(v);
        return this;
    }

    public Bool set(boolean v) {
        assignLiteral(v ? 1 : 0);
        return this;
    }

    @Override
    public Bool named(String name) {
        super.named(name);
        return this;
    }

    public Bool and(Bool o) { return new Bool(new Expr.Binary(BinOp.AND, expr(), o.expr(), 1)); }
    public Bool or(Bool o) { return new Bool(new Expr.Binary(BinOp.OR, expr(), o.expr(), 1)); }
    public Bool xor(Bool o) { return new Bool(new Expr.Binary(BinOp.XOR, expr(), o.expr(), 1)); }
    public Bool not() { return new Bool(new Expr.Unary(UnOp.NOT, expr(), 1)); }
    public Bool eq(Bool o) { return new Bool(new Expr.Binary(BinOp.EQ, expr(), o.expr(), 1)); }
    public Bool ne(Bool o) { return new Bool(new Expr.Binary(BinOp.NE, expr(), o.expr(), 1)); }

    /** {@code this ? whenTrue : whenFalse}; both sides must have the same type and width. */
    @SuppressWarnings("unchecked")
    public <T extends Signal> T mux(T whenTrue, T whenFalse) {
        if (whenTrue.width() != whenFalse.width()) {
            Builder.get().error(HdlError.Kind.WIDTH_MISMATCH, "mux needs both sides of equal width, got "
                    + whenTrue.width() + " and " + whenFalse.width() + " bits");
        }
        return (T) whenTrue.wrap(new Expr.Mux(expr(), whenTrue.expr(), whenFalse.expr()));
    }

    public Bits asBits() { return new Bits(expr()); }
    public UInt asUInt() { return new UInt(expr()); }
}
