package org.ntsfab.hdl;

import org.ntsfab.hdl.ir.SourceLoc;

import java.math.BigInteger;
import org.ntsfab.hdl.ir.Expr;

/** Literal construction with fit checks; a value that does not fit is an error, never truncated. */
final class Literals {
    private Literals() {}

    static Expr.Lit lit(Builder b, SourceLoc loc, BigInteger value, int width, boolean signed) {
        if (width < 1) {
            b.error(HdlError.Kind.LITERAL_OVERFLOW, loc, "literal width must be at least 1, got " + width);
            return new Expr.Lit(BigInteger.ZERO, 1, null);
        }
        BigInteger min = signed ? BigInteger.ONE.shiftLeft(width - 1).negate() : BigInteger.ZERO;
        BigInteger max = signed ? BigInteger.ONE.shiftLeft(width - 1).subtract(BigInteger.ONE)
                : BigInteger.ONE.shiftLeft(width).subtract(BigInteger.ONE);
        if (value.compareTo(min) < 0 || value.compareTo(max) > 0) {
            b.error(HdlError.Kind.LITERAL_OVERFLOW, loc, "literal " + value + " does not fit in "
                    + (signed ? "a signed " : "an unsigned ") + width + "-bit value (range " + min + ".." + max + ")");
            return new Expr.Lit(BigInteger.ZERO, width, null);
        }
        BigInteger raw = value.signum() < 0 ? value.add(BigInteger.ONE.shiftLeft(width)) : value;
        return new Expr.Lit(raw, width, null);
    }

    static Expr.Lit lit(BigInteger value, int width, boolean signed) {
        Builder b = Builder.get();
        return lit(b, SourceLoc.capture(), value, width, signed);
    }
}
