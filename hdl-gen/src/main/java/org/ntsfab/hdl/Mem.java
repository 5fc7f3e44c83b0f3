package org.ntsfab.hdl;

import org.ntsfab.hdl.ir.SourceLoc;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import org.ntsfab.hdl.ir.Expr;
import org.ntsfab.hdl.ir.MemNode;
import org.ntsfab.hdl.ir.SigNode;

/**
 * A memory array emitted in the shape Yosys and vendor tools infer as block RAM: one
 * {@code reg [W-1:0] name [0:D-1]} with clocked write ports (optional byte mask), registered or
 * combinational read ports, and optional initial contents.
 */
public final class Mem {
    private final MemNode node;
    private final Component owner;

    Mem(int width, int depth) {
        Builder b = Builder.get();
        if (width < 1 || depth < 1) throw new IllegalArgumentException("memory needs width and depth >= 1");
        this.owner = b.current();
        this.node = new MemNode(width, depth, owner.node, SourceLoc.capture(), b.nextSerial());
        owner.node.mems().add(node);
    }

    public MemNode node() {
        return node;
    }

    public int width() {
        return node.width();
    }

    public int depth() {
        return node.depth();
    }

    public int addrWidth() {
        return node.addrWidth();
    }

    public Mem named(String name) {
        node.setExplicitName(name);
        return this;
    }

    public Mem init(List<BigInteger> contents) {
        Builder b = Builder.get();
        if (contents.size() > node.depth())
            b.error(HdlError.Kind.LITERAL_OVERFLOW, "memory init has " + contents.size() + " words, depth is " + node.depth());
        List<BigInteger> all = new ArrayList<>();
        for (int i = 0; i < node.depth(); i++) {
            BigInteger v = i < contents.size() ? contents.get(i) : BigInteger.ZERO;
            if (v.signum() < 0 || v.bitLength() > node.width())
                b.error(HdlError.Kind.LITERAL_OVERFLOW, "memory init word " + i + " (" + v + ") does not fit " + node.width() + " bits");
            all.add(v);
        }
        node.setInit(all);
        return this;
    }

    private boolean checkAddr(UInt addr) {
        if (addr.width() != node.addrWidth()) {
            Builder.get().error(HdlError.Kind.WIDTH_MISMATCH, "memory of depth " + node.depth() + " needs a "
                    + node.addrWidth() + "-bit address, got " + addr.width() + " bits");
            return false;
        }
        return true;
    }

    /** Combinational read (distributed RAM / LUT RAM). */
    public Bits readAsync(UInt addr) {
        checkAddr(addr);
        return new Bits(new Expr.MemRead(node, addr.expr()));
    }

    /** Registered read in the current domain: the word appears the cycle after {@code enable}. */
    public Bits readSync(UInt addr, Bool enable) {
        Builder b = Builder.get();
        checkAddr(addr);
        SourceLoc loc = SourceLoc.capture();
        SigNode target = new SigNode(SigNode.Kind.REG, node.width(), owner.node, b.domain(), loc, b.nextSerial());
        owner.node.signals().add(target);
        Bits out = new Bits(node.width());
        out.bind(target);
        node.syncReads().add(new MemNode.SyncRead(b.domain(), addr.expr(), enable.expr(), target, loc));
        return out;
    }

    public void write(UInt addr, Bits data, Bool enable) {
        writeImpl(addr, data, enable, null);
    }

    /** Byte-masked write: {@code mask} has one bit per 8-bit lane of the word. */
    public void write(UInt addr, Bits data, Bool enable, Bits mask) {
        if (node.width() % 8 != 0)
            Builder.get().error(HdlError.Kind.WIDTH_MISMATCH, "byte-masked write needs a width that is a multiple of 8");
        else if (mask.width() != node.width() / 8)
            Builder.get().error(HdlError.Kind.WIDTH_MISMATCH, "byte mask needs " + node.width() / 8 + " bits, got " + mask.width());
        writeImpl(addr, data, enable, mask);
    }

    private void writeImpl(UInt addr, Bits data, Bool enable, Bits mask) {
        Builder b = Builder.get();
        checkAddr(addr);
        if (data.width() != node.width())
            b.error(HdlError.Kind.WIDTH_MISMATCH, "memory word is " + node.width() + " bits, data is " + data.width());
        node.writes().add(new MemNode.WritePort(b.domain(), addr.expr(), data.expr(), enable.expr(),
                mask == null ? null : mask.expr(), SourceLoc.capture()));
    }
}
