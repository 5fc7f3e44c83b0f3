package org.ntsfab.hdl;

import org.ntsfab.hdl.ir.SourceLoc;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import org.ntsfab.hdl.ir.Expr;
import org.ntsfab.hdl.ir.ModuleNode;
import org.ntsfab.hdl.ir.SigNode;
import org.ntsfab.hdl.ir.Stmt;

/**
 * One class, one module: a subclass's constructor <em>is</em> the hardware. Ports are fields made
 * with {@link #in}/{@link #out}/{@link #master}/{@link #slave}; children are other components
 * constructed inside the constructor and handed to {@link #add}. Fields are named by reflection.
 *
 * <pre>{@code
 * final class Counter extends Component {
 *     final Bool enable = in(new Bool());
 *     final UInt count = out(new UInt(8));
 *     Counter() {
 *         UInt value = regInit(new UInt(8), 0).named("value");
 *         when(enable, () -> value.set(value.plus(1)));
 *         count.set(value);
 *     }
 * }
 * }</pre>
 */
public abstract class Component {
    final ModuleNode node;
    private final ClockDomain defaultDomain;

    protected Component() {
        Builder b = Builder.get();
        SourceLoc loc = SourceLoc.capture();
        this.node = new ModuleNode(getClass().getName(), b.currentModuleOrNull(), loc);
        this.defaultDomain = b.domain();
        if (b.currentModuleOrNull() != null) b.notAdded.put(this, loc);
        b.enter(this);
    }

    public ModuleNode node() {
        return node;
    }

    /** The clock domain that was current when this component was constructed. */
    public ClockDomain clockDomain() {
        return defaultDomain;
    }

    /**
     * Sets the Verilog module name (default: the class name in snake_case). One name, one content, in every design: the
     * name carries every constructor parameter that changes the module's Verilog ({@link ModuleNames}); {@link Design}
     * adds the tag of the one clock domain a module is clocked in when it is not the main one, and refuses one name for
     * two different modules.
     */
    protected void moduleName(String name) {
        node.setRequestedModuleName(name);
    }

    /**
     * Asks synthesis to map this module on its own, never flattened into its parents: the emitted module carries
     * {@code (* keep_hierarchy = "yes" *)}, which Yosys and Vivado both honor. For a small table whose best mapping is
     * its own (the AES S-box, a 256 x 8 ROM: flattened, Yosys merges it with the rounds' xors and the AES pipeline takes
     * three times the LUTs); the module must be combinational ({@code flow.LogicLevels} counts a path through it as the
     * module's own deepest path).
     */
    protected void keepHierarchy() {
        node.markKeepHierarchy();
    }

    // ---- hierarchy ----------------------------------------------------------------------------
    /** Finishes the construction of {@code child} and makes it an instance inside this component. */
    protected <C extends Component> C add(C child) {
        Builder b = Builder.get();
        if (b.components.peek() != child || child.node.parent() != node) {
            b.error(HdlError.Kind.HIERARCHY, "add(" + child.getClass().getSimpleName()
                    + ") must be called by its parent right after the child's constructor returns");
            return child;
        }
        b.components.pop();
        b.notAdded.remove(child);
        return child;
    }

    /** {@link #add(Component)} with an explicit instance name (for children held in locals, which reflection cannot name). */
    protected <C extends Component> C add(String instanceName, C child) {
        child.node.setInstanceFieldName(instanceName);
        return add(child);
    }

    /**
     * {@link #add(String, Component)} for library helpers that build a child on the caller's behalf (such as
     * {@code StreamFifo.queue}): makes {@code child}, just constructed, an instance of the component under
     * construction, named {@code instanceName}.
     */
    public static <C extends Component> C addToCurrent(String instanceName, C child) {
        Builder b = Builder.get();
        if (b.components.peek() != child) {
            b.error(HdlError.Kind.HIERARCHY, "addToCurrent(" + child.getClass().getSimpleName() + ") must follow the child's constructor");
            return child;
        }
        b.components.pop();
        Component parent = b.components.peek();
        b.components.push(child);
        if (parent == null) {
            b.error(HdlError.Kind.HIERARCHY, "addToCurrent(" + child.getClass().getSimpleName() + ") outside a component");
            return child;
        }
        return parent.add(instanceName, child);
    }

    /** Makes {@code d} combinational wires of the component under construction (for the stream combinators). */
    static <T extends Data> T wireHere(T d) {
        return Builder.get().current().wire(d);
    }

    // ---- ports --------------------------------------------------------------------------------
    protected <T extends Data> T in(T d) {
        return port(d, false);
    }

    protected <T extends Data> T out(T d) {
        return port(d, true);
    }

    /** Bundle as seen by its driver: members are outputs, flipped members inputs. */
    protected <T extends Data> T master(T d) {
        return port(d, true);
    }

    /** Bundle as seen by its consumer: members are inputs, flipped members outputs. */
    protected <T extends Data> T slave(T d) {
        return port(d, false);
    }

    private <T extends Data> T port(T d, boolean outward) {
        Builder b = Builder.get();
        SourceLoc loc = SourceLoc.capture();
        checkOwner(b);
        List<Bundle.Leaf> leaves = new ArrayList<>();
        Bundle.flattenInto(d, "", false, leaves);
        for (Bundle.Leaf l : leaves) {
            boolean out = outward ^ l.flipped();
            bindNew(b, l.signal(), out ? SigNode.Kind.OUT : SigNode.Kind.IN, loc);
        }
        noteMasterStreams(d, outward, loc);
        return d;
    }

    /** Every stream in a port this component drives (a master stream, or one flipped into a slave bundle such as AXI's B and R). */
    private void noteMasterStreams(Data d, boolean outward, SourceLoc loc) {
        if (outward && d instanceof Stream<?> s && s.valid.node != null && s.ready.node != null)
            node.masterStreams().add(new ModuleNode.MasterStream(s.valid.node, s.ready.node, loc));
        if (d instanceof Bundle b)
            for (Bundle.Member m : b.members()) noteMasterStreams(m.data(), outward ^ m.flipped(), loc);
    }

    // ---- port documentation -------------------------------------------------------------------
    /**
     * Documents a group of this component's ports ({@code ports}: signals or bundles of them, e.g. one AXI4-Stream): what
     * they carry, for the comment block the emitter prints above the module, one entry per group in port order, labelled
     * with the group's common name ({@code rx_*}). A component that documents one port must document them all, and its
     * clocks and resets ({@link #docDomain}): the elaboration names any it left out, so the comment stays complete.
     */
    protected void doc(String text, Data... ports) {
        Builder b = Builder.get();
        SourceLoc loc = SourceLoc.capture();
        List<SigNode> group = new ArrayList<>();
        for (Data d : ports)
            for (Signal s : d.leaves()) {
                if (s.node == null || s.node.owner() != node || !s.node.isPort()) {
                    b.error(HdlError.Kind.USAGE, loc, "doc(...) of " + getClass().getSimpleName() + " names a signal that is not one of its ports");
                    return;
                }
                group.add(s.node);
            }
        if (group.isEmpty()) {
            b.error(HdlError.Kind.USAGE, loc, "doc(...) without ports");
            return;
        }
        node.portDocs().add(new ModuleNode.PortDoc(List.copyOf(group), text, loc));
    }

    /**
     * Documents the clock and reset ports of {@code cd} in this component ({@code reset} null for a domain without reset).
     * The emitter adds what the RTL does with them: the rising edge; the reset's polarity and whether it is synchronous.
     */
    protected void docDomain(ClockDomain cd, String clock, String reset) {
        if ((reset == null) != !cd.hasReset())
            Builder.get().error(HdlError.Kind.USAGE, SourceLoc.capture(), cd + (cd.hasReset() ? " has a reset to document" : " has no reset"));
        node.domainDocs().put(cd, new ModuleNode.DomainDoc(clock, reset));
    }

    // ---- wires and registers ------------------------------------------------------------------
    /** A combinational signal: must be assigned on every path (else it would be a latch). */
    protected <T extends Data> T wire(T d) {
        Builder b = Builder.get();
        SourceLoc loc = SourceLoc.capture();
        checkOwner(b);
        for (Signal s : d.leaves()) bindNew(b, s, SigNode.Kind.WIRE, loc);
        return d;
    }

    /** A combinational signal with a default value assigned first (later assignments override it). */
    protected <T extends Signal> T wire(T d, long defaultValue) {
        wire(d);
        d.assignLiteral(defaultValue);
        return d;
    }

    /**
     * The {@code index}-th {@code width}-bit slice of {@code vector} (slice 0 in the low bits), as a named wire and a case
     * statement over the index; 0 for an index past the last slice. E.g. beat k of a frame held as one vector.
     */
    protected Bits slice(String name, Bits vector, UInt index, int width) {
        if (vector.width() % width != 0) throw new IllegalArgumentException(vector.width() + "-bit vector is not whole " + width + "-bit slices");
        Bits out = wire(new Bits(width), 0).named(name);
        Switch sw = switchOn(index);
        for (int k = 0; k < vector.width() / width; k++) {
            final int kk = k;
            sw.is(k, () -> out.set(vector.part(width * kk, width)));
        }
        sw.otherwise(() -> { });
        return out;
    }

    /** A named combinational signal holding {@code value}: gives an intermediate result a name in the Verilog. */
    @SuppressWarnings("unchecked")
    protected <T extends Signal> T let(String name, T value) {
        T w = (T) wire(value.template());
        w.named(name);
        w.assign(value);
        return w;
    }

    /** A register without reset, in the current clock domain. */
    protected <T extends Data> T reg(T d) {
        Builder b = Builder.get();
        SourceLoc loc = SourceLoc.capture();
        checkOwner(b);
        for (Signal s : d.leaves()) bindNew(b, s, SigNode.Kind.REG, loc);
        return d;
    }

    /** A register that takes {@code resetValue} while the domain's reset is high. */
    protected <T extends Signal> T regInit(T d, long resetValue) {
        return regInit(d, BigInteger.valueOf(resetValue));
    }

    protected <T extends Signal> T regInit(T d, BigInteger resetValue) {
        Builder b = Builder.get();
        SourceLoc loc = SourceLoc.capture();
        reg(d);
        if (d.node != null) {
            if (!b.domain().hasReset())
                b.error(HdlError.Kind.USAGE, loc, "regInit in " + b.domain() + ", which has no reset");
            Expr.Lit lit = Literals.lit(b, loc, resetValue, d.width(), d instanceof SInt);
            d.node.setInit(lit.value());
        }
        return d;
    }

    /** A register (no reset) that takes {@code value} every cycle. */
    @SuppressWarnings("unchecked")
    protected <T extends Signal> T regNext(T value) {
        T r = (T) reg(value.template());
        r.assign(value);
        return r;
    }

    /** A register with reset value that takes {@code value} every cycle. */
    @SuppressWarnings("unchecked")
    protected <T extends Signal> T regNextInit(T value, long resetValue) {
        T r = (T) regInit(value.template(), resetValue);
        r.assign(value);
        return r;
    }

    private void bindNew(Builder b, Signal s, SigNode.Kind kind, SourceLoc loc) {
        SigNode n = new SigNode(kind, s.width(), node, b.domain(), loc, b.nextSerial());
        n.setSigned(s instanceof SInt);
        if (s.node != null || s.expr != null) {
            s.bind(n); // reports the error
            return;
        }
        node.signals().add(n);
        s.bind(n);
    }

    private void checkOwner(Builder b) {
        if (b.current() != this)
            b.error(HdlError.Kind.HIERARCHY, "hardware of " + getClass().getSimpleName()
                    + " created while " + b.current().getClass().getSimpleName() + " is under construction; "
                    + "did a child miss add(...)?");
    }

    // ---- clock domains ------------------------------------------------------------------------
    /** Runs {@code body} with {@code cd} as the domain of new registers, ports and children. */
    protected void withDomain(ClockDomain cd, Runnable body) {
        Builder b = Builder.get();
        b.domains.push(cd);
        try {
            body.run();
        } finally {
            b.domains.pop();
        }
    }

    /** Evaluates {@code body} with {@code cd} as the current domain and returns its result. */
    protected <R> R inDomain(ClockDomain cd, java.util.function.Supplier<R> body) {
        Builder b = Builder.get();
        b.domains.push(cd);
        try {
            return body.get();
        } finally {
            b.domains.pop();
        }
    }

    // ---- control ------------------------------------------------------------------------------
    /** {@code when(c, () -> ...).elseWhen(c2, () -> ...).otherwise(() -> ...)}. */
    protected static When when(Bool cond, Runnable body) {
        return When.start(cond, body);
    }

    /** {@code switchOn(sel).is(0, () -> ...).is(1, 2, () -> ...).otherwise(() -> ...)}. */
    protected static Switch switchOn(Signal selector) {
        return Switch.start(selector);
    }

    // ---- memories -----------------------------------------------------------------------------
    protected Mem mem(int width, int depth) {
        return new Mem(width, depth);
    }

    // ---- synchronizer support (used only by org.ntsfab.hdl.lib.Synchronizer) -------------------
    /** Declares this component a synchronizer: {@code input} may come from any domain, {@code firstStage} may sample it. */
    protected void declareSynchronizer(Signal input, Signal firstStage) {
        node.markSynchronizer();
        if (input.node != null) input.node.markAnyDomain();
        if (firstStage.node != null) firstStage.node.markSyncFirstStage();
    }

    /**
     * Declares {@code m} a clock-domain crossing (used only by {@code org.ntsfab.hdl.lib.AsyncFifo}): its words are written
     * in one domain and read in another, and the component guarantees through synchronized Gray-coded pointers that a
     * word is never read while it may change. Listed in {@code Design.crossings()} so constraints cover it.
     */
    protected void declareMemoryCrossing(Mem m) {
        m.node().markCrossing();
    }

    // used by When/Switch
    static void addStmt(Stmt s) {
        Builder.get().scope().add(s);
    }

    static Expr cond(Bool c) {
        return c.expr();
    }
}
