package org.ntsfab.hdl.ir;

import java.math.BigInteger;
import java.util.List;

/**
 * Immutable expression tree. Every node has an exact width; the builders in {@code org.ntsfab.hdl}
 * guarantee that operands of an operator have the widths the operator requires. Nothing here knows
 * Verilog syntax.
 */
public sealed interface Expr {
    int width();

    /** A read of a named signal (port, wire or register). */
    record Ref(SigNode sig) implements Expr {
        public int width() {
            return sig.width();
        }
    }

    /** A constant; {@code symbol} optionally names it (FSM state encodings become localparams). */
    record Lit(BigInteger value, int width, String symbol) implements Expr {
        public Lit {
            if (value.signum() < 0 || value.bitLength() > width)
                throw new IllegalArgumentException("literal " + value + " does not fit " + width + " bits");
        }
    }

    enum UnOp { NOT, NEG, AND_REDUCE, OR_REDUCE, XOR_REDUCE }

    record Unary(UnOp op, Expr a, int width) implements Expr {}

    enum BinOp {
        AND, OR, XOR, ADD, SUB, MUL_U, MUL_S, EQ, NE, LT_U, LE_U, GT_U, GE_U, LT_S, LE_S, GT_S, GE_S,
        SHL, SHR_U, SHR_S;

        public boolean isCompare() {
            return ordinal() >= EQ.ordinal() && ordinal() <= GE_S.ordinal();
        }

        public boolean isShift() {
            return this == SHL || this == SHR_U || this == SHR_S;
        }
    }

    /** For shifts {@code b} is the shift amount (any width); otherwise operands have equal widths. */
    record Binary(BinOp op, Expr a, Expr b, int width) implements Expr {}

    record Mux(Expr sel, Expr whenTrue, Expr whenFalse) implements Expr {
        public int width() {
            return whenTrue.width();
        }
    }

    record Slice(Expr a, int hi, int lo) implements Expr {
        public int width() {
            return hi - lo + 1;
        }
    }

    /** Concatenation, most significant part first. */
    record Concat(List<Expr> parts) implements Expr {
        public Concat {
            parts = List.copyOf(parts);
        }

        public int width() {
            return parts.stream().mapToInt(Expr::width).sum();
        }
    }

    record Repeat(Expr a, int times) implements Expr {
        public int width() {
            return a.width() * times;
        }
    }

    /** Combinational (asynchronous) read of a memory word. */
    record MemRead(MemNode mem, Expr addr) implements Expr {
        public int width() {
            return mem.width();
        }
    }
}
