package org.ntsfab.hdl;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import org.ntsfab.hdl.ir.Expr;

/** An untyped bit vector: bitwise operations, slicing, concatenation; no arithmetic. */
public final class Bits extends BitVector<Bits> {
    public Bits(int width) {
        super(width);
    }

    Bits(Expr e) {
        super(e);
    }

    @Override
    Bits wrap(Expr e) {
        return new Bits(e);
    }

    @Override
    public Bits template() {
        return new Bits(width());
    }

    @Override
    boolean isSignedType() {
        return false;
    }

    public static Bits lit(long value, int width) {
        return new Bits(Literals.lit(BigInteger.valueOf(value), width, false));
    }

    public static Bits lit(BigInteger value, int width) {
        return new Bits(Literals.lit(value, width, false));
    }

    /** Concatenation, most significant part first (as Verilog's {a, b}). */
    public static Bits cat(Signal... parts) {
        return cat(List.of(parts));
    }

    public static Bits cat(List<? extends Signal> parts) {
        if (parts.isEmpty()) throw new IllegalArgumentException("cat of nothing");
        List<Expr> es = new ArrayList<>();
        for (Signal s : parts) es.add(s.expr());
        return new Bits(es.size() == 1 ? es.get(0) : new Expr.Concat(es));
    }

    /** {@code times} copies of {@code s}. */
    public static Bits repeat(Signal s, int times) {
        if (times < 1) throw new IllegalArgumentException("repeat needs times >= 1");
        return new Bits(times == 1 ? s.expr() : new Expr.Repeat(s.expr(), times));
    }

    public Bits resize(int w) {
        return w <= width() ? trunc(w) : zext(w);
    }
}
