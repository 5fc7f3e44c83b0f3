package org.ntsfab.hdl;

import org.ntsfab.hdl.ir.DomainNode;
import org.ntsfab.hdl.ir.SourceLoc;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.ntsfab.hdl.emit.VerilogEmitter;
import org.ntsfab.hdl.ir.ModuleNode;
import org.ntsfab.hdl.ir.SigNode;

/**
 * An elaborated design: the result of running a top component's constructor through the phases
 * build → name → check → allocate names → emit. Holds one Verilog file per distinct module.
 */
public final class Design {
    /** A top-level port as the simulator harness and board wrappers see it. */
    public record Port(String name, int width, boolean input, boolean clock, boolean reset) {}

    /**
     * A declared clock-domain crossing: a synchronizer instance (its first stage, {@code cell}, samples another domain) or a
     * memory written in one domain and read in {@code destinationClock} (an asynchronous FIFO's {@code cell}).
     */
    public record Crossing(String instancePath, String moduleName, String destinationClock, String cell, boolean memory) {
        public Crossing(String instancePath, String moduleName, String destinationClock) {
            this(instancePath, moduleName, destinationClock, "sync_stage0_reg", false);
        }
    }

    private final String topName;
    private final Map<String, String> modules;
    private final List<Port> ports;
    private final List<Crossing> crossings;
    private final ModuleNode topNode;

    private Design(String topName, Map<String, String> modules, List<Port> ports, List<Crossing> crossings, ModuleNode topNode) {
        this.topName = topName;
        this.modules = modules;
        this.ports = ports;
        this.crossings = crossings;
        this.topNode = topNode;
    }

    public String topName() { return topName; }
    /** Module name → Verilog text, top last (children before parents). */
    public Map<String, String> modules() { return modules; }
    public List<Port> ports() { return ports; }
    public List<Crossing> crossings() { return crossings; }
    public ModuleNode topNode() { return topNode; }

    public String verilog(String module) {
        return modules.get(module);
    }

    /** Writes {@code <module>.v} for every module into {@code dir}; returns the paths, top last. */
    public List<Path> write(Path dir) throws IOException {
        Files.createDirectories(dir);
        List<Path> out = new ArrayList<>();
        for (Map.Entry<String, String> e : modules.entrySet()) {
            Path p = dir.resolve(e.getKey() + ".v");
            Files.writeString(p, e.getValue(), StandardCharsets.UTF_8);
            out.add(p);
        }
        return out;
    }

    /** Builds the component {@code top} constructs, checks it, and emits it; all errors in one exception. */
    public static Design elaborate(Supplier<? extends Component> top) {
        Builder b = Builder.open();
        try {
            Component t;
            try {
                t = top.get();
            } catch (RuntimeException e) {
                if (!b.errors.isEmpty()) {
                    b.materialize();
                    List<HdlError> errs = new ArrayList<>(b.errors);
                    errs.add(new HdlError(HdlError.Kind.USAGE, SourceLoc.UNKNOWN, "construction aborted: " + e));
                    throw new ElaborationException(errs);
                }
                throw e;
            }
            for (Map.Entry<Component, SourceLoc> e : b.notAdded.entrySet())
                b.error(HdlError.Kind.HIERARCHY, e.getValue(), e.getKey().getClass().getSimpleName()
                        + " was constructed but never passed to add(...) by its parent");
            ModuleNode root = t.node;
            if (root.parent() != null) throw new IllegalStateException("top component has a parent");

            Naming.reflect(b.all);
            Map<ModuleNode, java.util.Set<DomainNode>> clocks = Checks.clockUse(root, false);
            Map<ModuleNode, java.util.Set<DomainNode>> resets = Checks.clockUse(root, true);
            checkClockNames(b, clocks);
            allocate(root, clocks, resets);
            checkPortDocs(b, root, clocks, resets);
            b.materialize();
            new Checks(root, b.errors).run();
            if (!b.errors.isEmpty()) throw new ElaborationException(b.errors);

            Map<String, String> modules = new LinkedHashMap<>();
            Map<String, ModuleNode> firstByName = new HashMap<>();
            List<Crossing> crossings = new ArrayList<>();
            emit(b, root, clocks, resets, modules, firstByName, crossings);
            if (!b.errors.isEmpty()) throw new ElaborationException(b.errors);

            List<Port> ports = new ArrayList<>();
            for (DomainNode d : clocks.get(root)) ports.add(new Port(d.clockName(), 1, true, true, false));
            for (DomainNode d : resets.get(root)) ports.add(new Port(d.resetName(), 1, true, false, true));
            for (SigNode p : root.ports()) ports.add(new Port(p.name(), p.width(), p.kind() == SigNode.Kind.IN, false, false));
            return new Design(root.moduleName(), modules, List.copyOf(ports), List.copyOf(crossings), root);
        } finally {
            Builder.close();
        }
    }

    private static void checkClockNames(Builder b, Map<ModuleNode, java.util.Set<DomainNode>> clocks) {
        for (Map.Entry<ModuleNode, java.util.Set<DomainNode>> e : clocks.entrySet()) {
            Map<String, DomainNode> seen = new HashMap<>();
            for (DomainNode d : e.getValue()) {
                for (String n : new String[] {d.clockName(), d.resetName()}) {
                    if (n == null) continue;
                    DomainNode prev = seen.put(n, d);
                    if (prev != null && prev != d)
                        b.error(HdlError.Kind.NAMING, e.getKey().loc(), "two clock domains use the port name " + n
                                + " in " + e.getKey().displayPath());
                }
            }
        }
    }

    /** A module that documents its ports documents every one, and every clock and reset it has (one entry each). */
    private static void checkPortDocs(Builder b, ModuleNode m, Map<ModuleNode, java.util.Set<DomainNode>> clocks,
                                      Map<ModuleNode, java.util.Set<DomainNode>> resets) {
        for (ModuleNode c : m.children()) checkPortDocs(b, c, clocks, resets);
        if (!m.documentsPorts()) return;
        java.util.Set<SigNode> seen = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        for (ModuleNode.PortDoc d : m.portDocs())
            for (SigNode p : d.ports())
                if (!seen.add(p)) b.error(HdlError.Kind.USAGE, d.loc(), "port " + p.name() + " of " + m.displayPath() + " is documented twice");
        for (SigNode p : m.ports())
            if (!seen.contains(p))
                b.error(HdlError.Kind.USAGE, p.loc(), "port " + p.name() + " of " + m.displayPath() + " has no doc(...): a module that documents its ports documents them all");
        java.util.Set<DomainNode> domains = new java.util.LinkedHashSet<>(clocks.get(m));
        domains.addAll(resets.get(m));
        for (DomainNode d : domains)
            if (!m.domainDocs().containsKey(d))
                b.error(HdlError.Kind.USAGE, m.loc(), "clock " + d.clockName() + " of " + m.displayPath() + " has no docDomain(...)");
        for (DomainNode d : m.domainDocs().keySet())
            if (!domains.contains(d))
                b.error(HdlError.Kind.USAGE, m.loc(), m.displayPath() + " documents " + d.clockName() + ", which is not one of its clocks");
    }

    private static void allocate(ModuleNode m, Map<ModuleNode, java.util.Set<DomainNode>> clocks,
                                 Map<ModuleNode, java.util.Set<DomainNode>> resets) {
        for (ModuleNode c : m.children()) allocate(c, clocks, resets);
        List<String> reserved = new ArrayList<>();
        for (DomainNode d : clocks.get(m)) {
            reserved.add(d.clockName());
            if (d.resetName() != null) reserved.add(d.resetName());
        }
        Naming.allocate(m, reserved);
    }

    /**
     * The module's name: the component's ({@link Component#moduleName}, else its class in snake_case), and for a module
     * clocked in exactly one domain other than the main one that domain's {@link DomainNode#tag} (its clock and reset
     * ports are part of its text: {@code sync2_w7_rgmii_rx}). A module clocked in several domains names them itself (the
     * name must say which domain plays which part, {@code async_fifo_w11_d64_rgmii_rx_to_clk}); below the top, every
     * tag must be in its name.
     */
    private static String moduleName(Builder b, ModuleNode m, java.util.Set<DomainNode> clocks, java.util.Set<DomainNode> resets) {
        String name = m.requestedModuleName() != null ? Naming.sanitize(m.requestedModuleName()) : Naming.snake(m.className());
        java.util.Set<String> tags = new java.util.LinkedHashSet<>();
        for (DomainNode d : clocks) tags.add(d.tag());
        for (DomainNode d : resets) tags.add(d.tag());
        if (tags.size() == 1) {
            String t = tags.iterator().next();
            return t.isEmpty() ? name : Naming.sanitize(name + "_" + t);
        }
        if (m.parent() != null)
            for (String t : tags)
                if (!t.isEmpty() && !("_" + name + "_").contains("_" + t + "_"))
                    b.error(HdlError.Kind.NAMING, m.loc(), "module " + name + " (" + m.displayPath() + ") is clocked in several domains and its name "
                            + "does not carry " + t + ": a component clocked in domains it is given names them (DomainNode.tag)");
        return name;
    }

    private static void emit(Builder b, ModuleNode m, Map<ModuleNode, java.util.Set<DomainNode>> clocks,
                             Map<ModuleNode, java.util.Set<DomainNode>> resets, Map<String, String> modules,
                             Map<String, ModuleNode> firstByName, List<Crossing> crossings) {
        for (ModuleNode c : m.children()) emit(b, c, clocks, resets, modules, firstByName, crossings);
        Map<ModuleNode, List<DomainNode>> cc = new HashMap<>(), cr = new HashMap<>();
        for (ModuleNode c : m.children()) {
            cc.put(c, List.copyOf(clocks.get(c)));
            cr.put(c, List.copyOf(resets.get(c)));
        }
        String name = moduleName(b, m, clocks.get(m), resets.get(m));
        String text = new VerilogEmitter(m, name, List.copyOf(clocks.get(m)), List.copyOf(resets.get(m)), cc, cr).emit();
        // identical instances share one module; one name never stands for two contents (in this design or any other: the
        // name carries every parameter that changes the text)
        String prev = modules.putIfAbsent(name, text);
        if (prev == null) firstByName.put(name, m);
        else if (!prev.equals(text))
            b.error(HdlError.Kind.NAMING, m.loc(), "module name " + name + " stands for two different modules, " + firstByName.get(name).displayPath()
                    + " and " + m.displayPath() + ": a component whose parameters change its Verilog must carry them in its name (moduleName)");
        m.setModuleName(name);
        if (m.isSynchronizer()) {
            DomainNode d = clocks.get(m).iterator().next();
            crossings.add(new Crossing(m.displayPath(), name, d.clockName()));
        }
        for (org.ntsfab.hdl.ir.MemNode mem : m.mems()) {
            if (!mem.isCrossing()) continue;
            // the constraint bounds the paths from the memory into its registered read port: there must be exactly one
            if (mem.syncReads().size() != 1)
                throw new IllegalStateException(m.displayPath() + "." + mem.name() + ": a crossing memory is read through one registered port");
            crossings.add(new Crossing(m.displayPath(), name, mem.syncReads().get(0).domain().clockName(), mem.name(), true));
        }
    }

    /** All module names. */
    public Set<String> moduleNames() {
        return modules.keySet();
    }
}
