package org.ntsfab.hdl.ir;

import java.math.BigInteger;
import org.ntsfab.hdl.ir.DomainNode;

/**
 * A named piece of hardware state or wiring: a port, a combinational wire or a register. Its name
 * is allocated by the elaborator (reflection on fields, explicit names, else {@code _zz_} temporaries).
 */
public final class SigNode {
    public enum Kind { IN, OUT, WIRE, REG }

    private final Kind kind;
    private final int width;
    private final ModuleNode owner;
    private final SourceLoc loc;
    private final long serial;
    private DomainNode domain;
    private BigInteger init;
    private String explicitName;
    private String fieldName;
    private String name;
    private boolean syncFirstStage;
    private boolean anyDomain;
    private boolean signed;

    public SigNode(Kind kind, int width, ModuleNode owner, DomainNode domain, SourceLoc loc, long serial) {
        if (width < 1) throw new IllegalArgumentException("width must be >= 1, got " + width);
        this.kind = kind;
        this.width = width;
        this.owner = owner;
        this.domain = domain;
        this.loc = loc;
        this.serial = serial;
    }

    public Kind kind() { return kind; }
    public int width() { return width; }
    public ModuleNode owner() { return owner; }
    public SourceLoc loc() { return loc; }
    public long serial() { return serial; }
    public DomainNode domain() { return domain; }
    public void setDomain(DomainNode d) { domain = d; }
    public BigInteger init() { return init; }
    public void setInit(BigInteger v) { init = v; }
    public String explicitName() { return explicitName; }
    public void setExplicitName(String n) { explicitName = n; }
    public String fieldName() { return fieldName; }
    public void setFieldName(String n) { if (fieldName == null) fieldName = n; }
    public String name() { return name; }
    public void setName(String n) { name = n; }
    /** First flop of a declared synchronizer: the only register allowed to sample another domain. */
    public boolean syncFirstStage() { return syncFirstStage; }
    public void markSyncFirstStage() { syncFirstStage = true; }
    /** An input port that accepts a signal of any clock domain (synchronizer inputs only). */
    public boolean anyDomain() { return anyDomain; }
    public void markAnyDomain() { anyDomain = true; }
    public boolean signed() { return signed; }
    public void setSigned(boolean s) { signed = s; }

    public boolean isPort() { return kind == Kind.IN || kind == Kind.OUT; }
    /** Combinational nodes are those whose value is a function of the current cycle's inputs. */
    public boolean isComb() { return kind == Kind.WIRE || kind == Kind.OUT; }

    public String displayName() {
        String n = name != null ? name : explicitName != null ? explicitName : fieldName != null ? fieldName : "<unnamed>";
        return owner.displayPath() + "." + n;
    }

    @Override
    public String toString() {
        return displayName();
    }
}
