package org.ntsfab.hdl;

import java.math.BigInteger;
import org.ntsfab.hdl.ir.Expr;
import org.ntsfab.hdl.ir.Expr.BinOp;
import org.ntsfab.hdl.ir.Expr.UnOp;

/** Two's-complement signed number of exact width; comparisons and right shifts are signed. */
public final class SInt extends BitVector<SInt> {
    public SInt(int width) {
        super(width);
    }

    SInt(Expr e) {
        super(e);
    }

    @Override
    SInt wrap(Expr e) {
        return new SInt(e);
    }

    @Override
    public SInt template() {
        return new SInt(width());
    }

    @Override
    boolean isSignedType() {
        return true;
    }

    public static SInt lit(long value, int width) {
        return new SInt(Literals.lit(BigInteger.valueOf(value), width, true));
    }

    public SInt plus(SInt o) { return bin(BinOp.ADD, o); }
    public SInt plus(long v) { return bin(BinOp.ADD, lit(v)); }
    public SInt minus(SInt o) { return bin(BinOp.SUB, o); }
    public SInt minus(long v) { return bin(BinOp.SUB, lit(v)); }
    public SInt negate() { return wrap(new Expr.Unary(UnOp.NEG, expr(), width())); }

    public SInt plusExpand(SInt o) {
        sameWidth(o, "plusExpand");
        return sext(width() + 1).plus(o.sext(width() + 1));
    }

    public SInt times(SInt o) {
        int w = width() + o.width();
        return new SInt(new Expr.Binary(BinOp.MUL_S, sext(w).expr(), o.sext(w).expr(), w));
    }

    public Bool lt(SInt o) { return cmp(BinOp.LT_S, o); }
    public Bool le(SInt o) { return cmp(BinOp.LE_S, o); }
    public Bool gt(SInt o) { return cmp(BinOp.GT_S, o); }
    public Bool ge(SInt o) { return cmp(BinOp.GE_S, o); }
    public Bool lt(long v) { return cmp(BinOp.LT_S, lit(v)); }
    public Bool ge(long v) { return cmp(BinOp.GE_S, lit(v)); }

    /** Sign-extends or truncates to {@code w} bits. */
    public SInt resize(int w) {
        return w <= width() ? trunc(w) : sext(w);
    }
}
