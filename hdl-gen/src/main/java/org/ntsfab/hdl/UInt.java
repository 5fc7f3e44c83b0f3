package org.ntsfab.hdl;

import java.math.BigInteger;
import java.util.List;
import org.ntsfab.hdl.ir.Expr;
import org.ntsfab.hdl.ir.Expr.BinOp;

/** Unsigned number of exact width. {@code plus}/{@code minus} wrap; {@code plusExpand} keeps the carry. */
public final class UInt extends BitVector<UInt> {
    public UInt(int width) {
        super(width);
    }

    UInt(Expr e) {
        super(e);
    }

    @Override
    UInt wrap(Expr e) {
        return new UInt(e);
    }

    @Override
    public UInt template() {
        return new UInt(width());
    }

    @Override
    boolean isSignedType() {
        return false;
    }

    public static UInt lit(long value, int width) {
        return new UInt(Literals.lit(BigInteger.valueOf(value), width, false));
    }

    public static UInt lit(BigInteger value, int width) {
        return new UInt(Literals.lit(value, width, false));
    }

    /** Bits needed to hold values 0..maxValue. */
    public static int widthFor(long maxValue) {
        return Math.max(1, 64 - Long.numberOfLeadingZeros(maxValue));
    }

    public UInt plus(UInt o) { return bin(BinOp.ADD, o); }
    public UInt plus(long v) { return bin(BinOp.ADD, lit(v)); }
    public UInt minus(UInt o) { return bin(BinOp.SUB, o); }
    public UInt minus(long v) { return bin(BinOp.SUB, lit(v)); }

    /** Sum one bit wider than the operands: no carry is lost. */
    public UInt plusExpand(UInt o) {
        sameWidth(o, "plusExpand");
        return zext(width() + 1).plus(o.zext(width() + 1));
    }

    /** Full product, {@code width() + o.width()} bits. */
    public UInt times(UInt o) {
        int w = width() + o.width();
        return new UInt(new Expr.Binary(BinOp.MUL_U, zext(w).expr(), o.zext(w).expr(), w));
    }

    public Bool lt(UInt o) { return cmp(BinOp.LT_U, o); }
    public Bool le(UInt o) { return cmp(BinOp.LE_U, o); }
    public Bool gt(UInt o) { return cmp(BinOp.GT_U, o); }
    public Bool ge(UInt o) { return cmp(BinOp.GE_U, o); }
    public Bool lt(long v) { return cmp(BinOp.LT_U, lit(v)); }
    public Bool le(long v) { return cmp(BinOp.LE_U, lit(v)); }
    public Bool gt(long v) { return cmp(BinOp.GT_U, lit(v)); }
    public Bool ge(long v) { return cmp(BinOp.GE_U, lit(v)); }

    /** Zero-extends or truncates to {@code w} bits (explicit in the name: value may be cut). */
    public UInt resize(int w) {
        return w <= width() ? trunc(w) : zext(w);
    }

    /** Concatenation as UInt, most significant part first. */
    public static UInt cat(Signal... parts) {
        return Bits.cat(List.of(parts)).asUInt();
    }
}
