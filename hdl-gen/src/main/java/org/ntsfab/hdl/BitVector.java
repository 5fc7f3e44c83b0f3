package org.ntsfab.hdl;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import org.ntsfab.hdl.ir.Expr;
import org.ntsfab.hdl.ir.Expr.BinOp;
import org.ntsfab.hdl.ir.Expr.UnOp;

/**
 * Operations shared by {@link Bits}, {@link UInt} and {@link SInt}. Binary operators demand equal
 * widths; results keep the operand width unless the method name says otherwise ({@code plusExpand},
 * {@code times}).
 */
public abstract class BitVector<T extends BitVector<T>> extends Signal {
    protected BitVector(int width) {
        super(width);
    }

    BitVector(Expr e) {
        super(e);
    }

    @Override
    abstract T wrap(Expr e);

    @Override
    public abstract T template();

    abstract boolean isSignedType();

    @SuppressWarnings("unchecked")
    T self() {
        return (T) this;
    }

    // ---- assignment -------------------------------------------------------------------------
    public T set(T value) {
        assign(value);
        return self();
    }

    public T set(long value) {
        assignLiteral(value);
        return self();
    }

    public T set(BigInteger value) {
        assignLiteral(value);
        return self();
    }

    @Override
    public T named(String name) {
        super.named(name);
        return self();
    }

    // ---- literals of this type ----------------------------------------------------------------
    T lit(long v) {
        return wrap(Literals.lit(BigInteger.valueOf(v), width(), isSignedType()));
    }

    boolean sameWidth(Signal o, String op) {
        if (o.width() != width()) {
            Builder.get().error(HdlError.Kind.WIDTH_MISMATCH, op + " needs operands of equal width, got "
                    + width() + " and " + o.width() + " bits; use resize/trunc/zext/sext explicitly");
            return false;
        }
        return true;
    }

    T bin(BinOp op, T o) {
        sameWidth(o, op.name().toLowerCase());
        return wrap(new Expr.Binary(op, expr(), o.expr(), width()));
    }

    Bool cmp(BinOp op, T o) {
        sameWidth(o, op.name().toLowerCase());
        return new Bool(new Expr.Binary(op, expr(), o.expr(), 1));
    }

    // ---- bitwise ------------------------------------------------------------------------------
    public T and(T o) { return bin(BinOp.AND, o); }
    public T or(T o) { return bin(BinOp.OR, o); }
    public T xor(T o) { return bin(BinOp.XOR, o); }
    public T not() { return wrap(new Expr.Unary(UnOp.NOT, expr(), width())); }
    public Bool andReduce() { return new Bool(new Expr.Unary(UnOp.AND_REDUCE, expr(), 1)); }
    public Bool orReduce() { return new Bool(new Expr.Unary(UnOp.OR_REDUCE, expr(), 1)); }
    public Bool xorReduce() { return new Bool(new Expr.Unary(UnOp.XOR_REDUCE, expr(), 1)); }

    // ---- equality -----------------------------------------------------------------------------
    public Bool eq(T o) { return cmp(BinOp.EQ, o); }
    public Bool ne(T o) { return cmp(BinOp.NE, o); }
    public Bool eq(long v) { return cmp(BinOp.EQ, lit(v)); }
    public Bool ne(long v) { return cmp(BinOp.NE, lit(v)); }

    // ---- slicing ------------------------------------------------------------------------------
    /** Bits {@code hi} down to {@code lo}, inclusive, as the same type. */
    public T slice(int hi, int lo) {
        if (lo < 0 || hi < lo || hi >= width()) {
            Builder.get().error(HdlError.Kind.WIDTH_MISMATCH, "slice [" + hi + ":" + lo + "] is outside a "
                    + width() + "-bit value");
            return wrap(new Expr.Lit(BigInteger.ZERO, Math.max(1, hi - lo + 1), null));
        }
        if (lo == 0 && hi == width() - 1) return wrap(expr());
        return wrap(new Expr.Slice(expr(), hi, lo));
    }

    /** {@code width} bits starting at {@code lo}. */
    public T part(int lo, int width) {
        return slice(lo + width - 1, lo);
    }

    public Bool bit(int i) {
        if (i < 0 || i >= width()) {
            Builder.get().error(HdlError.Kind.WIDTH_MISMATCH, "bit " + i + " is outside a " + width() + "-bit value");
            return Bool.lit(false);
        }
        return new Bool(width() == 1 ? expr() : new Expr.Slice(expr(), i, i));
    }

    public Bool msb() { return bit(width() - 1); }
    public Bool lsb() { return bit(0); }

    /** The bits as a list, bit 0 first. */
    public List<Bool> bits() {
        List<Bool> out = new ArrayList<>();
        for (int i = 0; i < width(); i++) out.add(bit(i));
        return out;
    }

    // ---- shifts (result keeps the width) ------------------------------------------------------
    public T shl(int n) { return shiftConst(BinOp.SHL, n); }
    public T shr(int n) { return shiftConst(isSignedType() ? BinOp.SHR_S : BinOp.SHR_U, n); }
    public T shl(UInt amount) { return wrap(new Expr.Binary(BinOp.SHL, expr(), amount.expr(), width())); }
    public T shr(UInt amount) {
        return wrap(new Expr.Binary(isSignedType() ? BinOp.SHR_S : BinOp.SHR_U, expr(), amount.expr(), width()));
    }

    private T shiftConst(BinOp op, int n) {
        if (n < 0) {
            Builder.get().error(HdlError.Kind.USAGE, "negative shift amount " + n);
            n = 0;
        }
        int aw = Math.max(1, 32 - Integer.numberOfLeadingZeros(Math.max(n, 1)));
        return wrap(new Expr.Binary(op, expr(), new Expr.Lit(BigInteger.valueOf(n), aw, null), width()));
    }

    // ---- conversions --------------------------------------------------------------------------
    public Bits asBits() { return new Bits(expr()); }
    public UInt asUInt() { return new UInt(expr()); }
    public SInt asSInt() { return new SInt(expr()); }

    /** Keeps the low {@code w} bits; an error if {@code w} is not smaller-or-equal. */
    public T trunc(int w) {
        if (w > width()) {
            Builder.get().error(HdlError.Kind.WIDTH_MISMATCH, "trunc to " + w + " bits cannot widen a " + width() + "-bit value");
            return self();
        }
        return slice(w - 1, 0);
    }

    /** Zero-extends to {@code w} bits; an error if {@code w} is smaller. */
    public T zext(int w) {
        if (w < width()) {
            Builder.get().error(HdlError.Kind.WIDTH_MISMATCH, "zext to " + w + " bits cannot narrow a " + width() + "-bit value");
            return self();
        }
        if (w == width()) return self();
        return wrap(new Expr.Concat(List.of(new Expr.Lit(BigInteger.ZERO, w - width(), null), expr())));
    }

    /** Sign-extends to {@code w} bits; an error if {@code w} is smaller. */
    public T sext(int w) {
        if (w < width()) {
            Builder.get().error(HdlError.Kind.WIDTH_MISMATCH, "sext to " + w + " bits cannot narrow a " + width() + "-bit value");
            return self();
        }
        if (w == width()) return self();
        return wrap(new Expr.Concat(List.of(new Expr.Repeat(msb().expr(), w - width()), expr())));
    }

    /** Concatenation with {@code low} below this value, as {@link Bits}. */
    public Bits cat(Signal low) {
        return Bits.cat(this, low);
    }
}
