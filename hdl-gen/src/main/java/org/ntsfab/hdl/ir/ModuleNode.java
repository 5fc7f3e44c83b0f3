package org.ntsfab.hdl.ir;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One component instance: its signals, memories, statement tree, children, and (after elaboration)
 * its module name and instance name. Several instances may share one emitted module.
 */
public final class ModuleNode {
    private final String className;
    private final ModuleNode parent;
    private final SourceLoc loc;
    private final List<SigNode> signals = new ArrayList<>();
    private final List<MemNode> mems = new ArrayList<>();
    private final List<Stmt> body = new ArrayList<>();
    private final List<ModuleNode> children = new ArrayList<>();
    private final Map<String, Expr.Lit> localParams = new LinkedHashMap<>();
    private String requestedModuleName;
    private String moduleName;
    private String instanceName;
    private String instanceFieldName;
    private boolean synchronizer;
    private boolean keepHierarchy;
    /** A stream this module drives through its ports: its valid must not depend combinationally on its ready. */
    public record MasterStream(SigNode valid, SigNode ready, SourceLoc loc) {}
    private final List<MasterStream> masterStreams = new ArrayList<>();
    /** A documented group of this module's ports (one line of the port comment above the module). */
    public record PortDoc(List<SigNode> ports, String text, SourceLoc loc) {}
    private final List<PortDoc> portDocs = new ArrayList<>();
    /** What a clock domain's clock and reset ports are to this module (the port comment's first lines). */
    public record DomainDoc(String clock, String reset) {}
    private final Map<DomainNode, DomainDoc> domainDocs = new java.util.IdentityHashMap<>();
    private final Map<SigNode, String> childPortNames = new java.util.IdentityHashMap<>();
    private final java.util.Set<String> usedNames = new java.util.HashSet<>();

    public ModuleNode(String className, ModuleNode parent, SourceLoc loc) {
        this.className = className;
        this.parent = parent;
        this.loc = loc;
        if (parent != null) parent.children.add(this);
    }

    public String className() { return className; }
    public ModuleNode parent() { return parent; }
    public SourceLoc loc() { return loc; }
    public List<SigNode> signals() { return signals; }
    public List<MemNode> mems() { return mems; }
    public List<Stmt> body() { return body; }
    public List<ModuleNode> children() { return children; }
    /** Symbolic constants (FSM state encodings), emitted as localparams. */
    public Map<String, Expr.Lit> localParams() { return localParams; }
    public String requestedModuleName() { return requestedModuleName; }
    public void setRequestedModuleName(String n) { requestedModuleName = n; }
    public String moduleName() { return moduleName; }
    public void setModuleName(String n) { moduleName = n; }
    public String instanceName() { return instanceName; }
    public void setInstanceName(String n) { instanceName = n; }
    public String instanceFieldName() { return instanceFieldName; }
    public void setInstanceFieldName(String n) { if (instanceFieldName == null) instanceFieldName = n; }
    /** Names of the wires in this module that connect to its children's ports. */
    public Map<SigNode, String> childPortNames() { return childPortNames; }
    /** Every name allocated in this module (the emitter adds temporaries beside them). */
    public java.util.Set<String> usedNames() { return usedNames; }
    public List<MasterStream> masterStreams() { return masterStreams; }
    /** The port documentation, in the order given; empty for a module that documents none. */
    public List<PortDoc> portDocs() { return portDocs; }
    public Map<DomainNode, DomainDoc> domainDocs() { return domainDocs; }
    /** Whether the module documents its ports: then all of them, clocks and resets included (checked by the elaboration). */
    public boolean documentsPorts() { return !portDocs.isEmpty() || !domainDocs.isEmpty(); }
    public boolean isSynchronizer() { return synchronizer; }
    public void markSynchronizer() { synchronizer = true; }
    /** Whether synthesis maps this module on its own, never flattened into its parents (Verilog {@code keep_hierarchy}). */
    public boolean keepsHierarchy() { return keepHierarchy; }
    public void markKeepHierarchy() { keepHierarchy = true; }

    public String displayPath() {
        if (parent == null)
            return moduleName != null ? moduleName : requestedModuleName != null ? requestedModuleName
                    : className.substring(className.lastIndexOf('.') + 1);
        String me = instanceName != null ? instanceName : instanceFieldName != null ? instanceFieldName
                : className.substring(className.lastIndexOf('.') + 1);
        return parent == null ? me : parent.displayPath() + "." + me;
    }

    public List<SigNode> ports() {
        return signals.stream().filter(SigNode::isPort).toList();
    }
}
