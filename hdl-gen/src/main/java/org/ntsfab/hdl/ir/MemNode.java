package org.ntsfab.hdl.ir;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import org.ntsfab.hdl.ir.DomainNode;

/** A memory array with its write ports and synchronous read ports. */
public final class MemNode {
    public record WritePort(DomainNode domain, Expr addr, Expr data, Expr enable, Expr byteMask, SourceLoc loc) {}

    /** Registered read: {@code target} (a REG node) takes {@code mem[addr]} at the edge when enable is high. */
    public record SyncRead(DomainNode domain, Expr addr, Expr enable, SigNode target, SourceLoc loc) {}

    private final int width;
    private final int depth;
    private final ModuleNode owner;
    private final SourceLoc loc;
    private final long serial;
    private final List<WritePort> writes = new ArrayList<>();
    private final List<SyncRead> syncReads = new ArrayList<>();
    private List<BigInteger> init;
    private String explicitName;
    private String fieldName;
    private String name;
    private boolean crossing;

    public MemNode(int width, int depth, ModuleNode owner, SourceLoc loc, long serial) {
        this.width = width;
        this.depth = depth;
        this.owner = owner;
        this.loc = loc;
        this.serial = serial;
    }

    public int width() { return width; }
    public int depth() { return depth; }
    public int addrWidth() { return Math.max(1, 32 - Integer.numberOfLeadingZeros(depth - 1)); }
    public ModuleNode owner() { return owner; }
    public SourceLoc loc() { return loc; }
    public long serial() { return serial; }
    public List<WritePort> writes() { return writes; }
    public List<SyncRead> syncReads() { return syncReads; }
    public List<BigInteger> init() { return init; }
    public void setInit(List<BigInteger> v) { init = List.copyOf(v); }
    public String explicitName() { return explicitName; }
    public void setExplicitName(String n) { explicitName = n; }
    public String fieldName() { return fieldName; }
    public void setFieldName(String n) { if (fieldName == null) fieldName = n; }
    public String name() { return name; }
    public void setName(String n) { name = n; }
    /**
     * A declared clock-domain crossing: written in one domain and read in another, with the reader only reading words
     * the writer finished before a synchronized pointer said so (an asynchronous FIFO). Reads of it are not traced
     * back to the write domain by the crossing check.
     */
    public boolean isCrossing() { return crossing; }
    public void markCrossing() { crossing = true; }
}
