package org.ntsfab.hdl;

import org.ntsfab.hdl.ir.DomainNode;
import org.ntsfab.hdl.ir.SourceLoc;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.ntsfab.hdl.ir.Expr;
import org.ntsfab.hdl.ir.IrWalk;
import org.ntsfab.hdl.ir.MemNode;
import org.ntsfab.hdl.ir.ModuleNode;
import org.ntsfab.hdl.ir.SigNode;
import org.ntsfab.hdl.ir.Stmt;

/**
 * Structural checks run after construction, over the whole instance tree: hierarchy of reads,
 * undriven signals, shadowed drivers, latches, combinational loops and clock-domain crossings.
 * Each problem is reported with the source line of the construction that caused it.
 */
final class Checks {
    private final ModuleNode top;
    private final List<HdlError> errors;
    private final List<ModuleNode> modules = new ArrayList<>();
    /** Comb dependencies: for each driven node, the nodes its value (and guards) read. */
    private final Map<SigNode, Set<SigNode>> deps = new IdentityHashMap<>();
    private final Map<SigNode, SourceLoc> firstAssign = new IdentityHashMap<>();
    private final Map<SigNode, Set<MemNode>> memDeps = new IdentityHashMap<>();

    Checks(ModuleNode top, List<HdlError> errors) {
        this.top = top;
        this.errors = errors;
        collectModules(top);
    }

    private void collectModules(ModuleNode m) {
        modules.add(m);
        for (ModuleNode c : m.children()) collectModules(c);
    }

    void run() {
        for (ModuleNode m : modules) {
            checkHierarchy(m);
            collectDrivers(m);
            checkShadowed(m.body());
        }
        for (ModuleNode m : modules) checkUndrivenAndLatches(m);
        boolean loops = checkLoops();
        if (!loops) {
            checkCrossings();
            for (ModuleNode m : modules) checkStreams(m);
        }
    }

    private void error(HdlError.Kind k, SourceLoc loc, String msg) {
        errors.add(new HdlError(k, loc, msg));
    }

    // ---- reads must stay within a module and its direct children's ports ----------------------
    private boolean readable(ModuleNode m, SigNode s) {
        return s.owner() == m || (s.isPort() && s.owner().parent() == m);
    }

    private void checkHierarchy(ModuleNode m) {
        for (IrWalk.Guarded g : IrWalk.assignments(m.body())) {
            List<Expr> es = new ArrayList<>(g.guards());
            es.add(g.assign().value());
            for (Expr e : es) checkReads(m, e, g.assign().loc());
        }
        for (MemNode mem : m.mems()) {
            for (MemNode.WritePort w : mem.writes()) {
                for (Expr e : new Expr[] {w.addr(), w.data(), w.enable(), w.byteMask()})
                    if (e != null) checkReads(m, e, w.loc());
            }
            for (MemNode.SyncRead r : mem.syncReads()) {
                checkReads(m, r.addr(), r.loc());
                checkReads(m, r.enable(), r.loc());
            }
        }
    }

    private void checkReads(ModuleNode m, Expr e, SourceLoc loc) {
        IrWalk.refs(e, s -> {
            if (!readable(m, s))
                error(HdlError.Kind.HIERARCHY, loc, m.displayPath() + " reads " + s.displayName()
                        + ", which is neither its own signal nor a port of a direct child");
        }, r -> {
            if (r.mem().owner() != m)
                error(HdlError.Kind.HIERARCHY, loc, m.displayPath() + " reads a memory of another component");
        });
    }

    // ---- drivers -------------------------------------------------------------------------------
    private void collectDrivers(ModuleNode m) {
        for (IrWalk.Guarded g : IrWalk.assignments(m.body())) {
            SigNode t = g.assign().target();
            firstAssign.putIfAbsent(t, g.assign().loc());
            Set<SigNode> d = deps.computeIfAbsent(t, k -> new LinkedHashSet<>());
            Set<MemNode> md = memDeps.computeIfAbsent(t, k -> new LinkedHashSet<>());
            for (Expr e : g.guards()) IrWalk.refs(e, d::add, r -> md.add(r.mem()));
            IrWalk.refs(g.assign().value(), d::add, r -> md.add(r.mem()));
        }
    }

    /** Two unconditional assignments in one list: the first can never take effect. */
    private void checkShadowed(List<Stmt> body) {
        // per statement list: an unconditional assignment after any earlier assignment to the same target (unconditional,
        // or inside an earlier if/case) makes that earlier one dead, e.g. a wire's default written after the FSM that drives it
        Map<SigNode, SourceLoc> before = new HashMap<>();
        for (Stmt s : body) {
            if (s instanceof Stmt.Assign a) {
                SourceLoc prev = before.get(a.target());
                if (prev != null)
                    error(HdlError.Kind.MULTIPLE_DRIVERS, a.loc(), a.target().displayName()
                            + " is assigned unconditionally after the assignment at " + prev
                            + ", which therefore never takes effect (a default value must come first: create the wire before the logic that drives it)");
                before.put(a.target(), a.loc());
            } else {
                if (s instanceof Stmt.If i) {
                    checkShadowed(i.then());
                    checkShadowed(i.otherwise());
                } else if (s instanceof Stmt.Switch sw) {
                    for (Stmt.Case c : sw.cases) checkShadowed(c.body());
                    if (sw.otherwise != null) checkShadowed(sw.otherwise);
                }
                for (IrWalk.Guarded g : IrWalk.assignments(List.of(s))) before.putIfAbsent(g.assign().target(), g.assign().loc());
            }
        }
    }

    private void checkUndrivenAndLatches(ModuleNode m) {
        Set<SigNode> syncTargets = new HashSet<>();
        for (MemNode mem : m.mems()) for (MemNode.SyncRead r : mem.syncReads()) syncTargets.add(r.target());
        List<SigNode> driven = new ArrayList<>();
        for (SigNode s : m.signals()) {
            if (syncTargets.contains(s)) continue;
            switch (s.kind()) {
                case OUT, WIRE, REG -> driven.add(s);
                case IN -> {
                    if (m.parent() != null) driven.add(s);
                }
            }
        }
        for (SigNode s : driven) {
            ModuleNode driverModule = s.kind() == SigNode.Kind.IN ? m.parent() : m;
            if (!firstAssign.containsKey(s)) {
                String what = switch (s.kind()) {
                    case IN -> "input " + s.displayName() + " of instance " + m.displayPath() + " is not connected";
                    case OUT -> "output " + s.displayName() + " is never assigned";
                    case REG -> "register " + s.displayName() + " is never assigned";
                    default -> "wire " + s.displayName() + " is never assigned";
                };
                error(HdlError.Kind.UNDRIVEN, s.kind() == SigNode.Kind.IN ? m.loc() : s.loc(), what);
            } else if (s.kind() != SigNode.Kind.REG && !fullyAssigned(driverModule.body(), s)) {
                error(HdlError.Kind.LATCH, firstAssign.get(s), s.displayName()
                        + " is combinational but not assigned on every path (it would be a latch); "
                        + "give it a default value or an otherwise branch");
            }
        }
    }

    static boolean fullyAssigned(List<Stmt> body, SigNode t) {
        for (Stmt s : body) if (fully(s, t)) return true;
        return false;
    }

    private static boolean fully(Stmt s, SigNode t) {
        if (s instanceof Stmt.Assign a) return a.target() == t;
        if (s instanceof Stmt.If i) return fullyAssigned(i.then(), t) && fullyAssigned(i.otherwise(), t);
        if (s instanceof Stmt.Switch sw) {
            for (Stmt.Case c : sw.cases) if (!fullyAssigned(c.body(), t)) return false;
            if (sw.otherwise != null) return fullyAssigned(sw.otherwise, t);
            Set<BigInteger> covered = new HashSet<>();
            for (Stmt.Case c : sw.cases) for (Expr.Lit l : c.values()) covered.add(l.value());
            int w = sw.selector.width();
            return w < 31 && covered.size() == (1 << w);
        }
        return false;
    }

    // ---- combinational loops ------------------------------------------------------------------
    private static boolean isComb(SigNode s) {
        return s.kind() != SigNode.Kind.REG;
    }

    private boolean checkLoops() {
        Map<SigNode, Integer> state = new IdentityHashMap<>(); // 1 = on stack, 2 = done
        boolean found = false;
        List<SigNode> order = new ArrayList<>(deps.keySet());
        for (SigNode start : order) {
            if (!isComb(start) || state.containsKey(start)) continue;
            found |= dfs(start, state, new ArrayList<>());
        }
        return found;
    }

    private boolean dfs(SigNode n, Map<SigNode, Integer> state, List<SigNode> stack) {
        state.put(n, 1);
        stack.add(n);
        boolean found = false;
        for (SigNode d : deps.getOrDefault(n, Set.of())) {
            if (!isComb(d)) continue;
            Integer st = state.get(d);
            if (st == null) {
                found |= dfs(d, state, stack);
            } else if (st == 1) {
                List<SigNode> cycle = new ArrayList<>(stack.subList(stack.indexOf(d), stack.size()));
                StringBuilder chain = new StringBuilder();
                for (int i = cycle.size() - 1; i >= 0; i--) {
                    SigNode c = cycle.get(i);
                    chain.append(c.displayName()).append(" (").append(firstAssign.getOrDefault(c, c.loc())).append(") <- ");
                }
                chain.append(cycle.get(cycle.size() - 1).displayName());
                error(HdlError.Kind.COMBINATIONAL_LOOP, firstAssign.getOrDefault(d, d.loc()),
                        "combinational loop: " + chain);
                found = true;
            }
        }
        stack.remove(stack.size() - 1);
        state.put(n, 2);
        return found;
    }

    // ---- stream protocol: a master's valid never waits combinationally on its ready -------------
    private void checkStreams(ModuleNode m) {
        for (ModuleNode.MasterStream ms : m.masterStreams()) {
            List<SigNode> path = pathTo(ms.valid(), ms.ready(), m, new java.util.HashSet<>());
            if (path != null) {
                StringBuilder chain = new StringBuilder();
                for (SigNode n : path) chain.append(chain.length() == 0 ? "" : " <- ").append(n.displayName());
                error(HdlError.Kind.STREAM_PROTOCOL, firstAssign.getOrDefault(ms.valid(), ms.loc()), ms.valid().displayName()
                        + " depends combinationally on " + ms.ready().displayName() + " (" + chain
                        + "); a stream's valid may not wait for ready");
            }
        }
    }

    /** A combinational path from {@code from} back to {@code target} inside module {@code m}, or null. */
    private List<SigNode> pathTo(SigNode from, SigNode target, ModuleNode m, Set<SigNode> seen) {
        if (from == target) return new ArrayList<>(List.of(from));
        if (!seen.add(from) || !isComb(from)) return null;
        if (from.kind() == SigNode.Kind.IN && from.owner() == m) return null; // leaves the module
        for (SigNode d : deps.getOrDefault(from, Set.of())) {
            List<SigNode> p = pathTo(d, target, m, seen);
            if (p != null) {
                p.add(0, from);
                return p;
            }
        }
        return null;
    }

    // ---- clock-domain crossings ---------------------------------------------------------------
    private final Map<SigNode, Set<DomainNode>> domainMemo = new IdentityHashMap<>();

    /** The clock domains whose registers (or top-level inputs) this signal's value depends on. */
    private Set<DomainNode> domainsOf(SigNode s) {
        Set<DomainNode> memo = domainMemo.get(s);
        if (memo != null) return memo;
        Set<DomainNode> out = new LinkedHashSet<>();
        if (s.kind() == SigNode.Kind.REG) {
            out.add(s.domain());
        } else if (s.kind() == SigNode.Kind.IN && !s.anyDomain()) {
            // an input takes its declared domain; what drives a child's input is checked where it is driven
            out.add(s.domain());
        } else {
            domainMemo.put(s, out);
            for (SigNode d : deps.getOrDefault(s, Set.of())) out.addAll(domainsOf(d));
            for (MemNode m : memDeps.getOrDefault(s, Set.of()))
                if (!m.isCrossing()) for (MemNode.WritePort w : m.writes()) out.add(w.domain());
        }
        domainMemo.put(s, out);
        return out;
    }

    private Set<DomainNode> sourcesOf(SigNode target) {
        Set<DomainNode> out = new LinkedHashSet<>();
        for (SigNode d : deps.getOrDefault(target, Set.of())) out.addAll(domainsOf(d));
        for (MemNode m : memDeps.getOrDefault(target, Set.of()))
            if (!m.isCrossing()) for (MemNode.WritePort w : m.writes()) out.add(w.domain());
        return out;
    }

    private void checkCrossings() {
        for (SigNode t : new ArrayList<>(deps.keySet())) {
            boolean checked = t.kind() == SigNode.Kind.REG && !t.syncFirstStage()
                    || t.kind() == SigNode.Kind.IN && !t.anyDomain()
                    || t.kind() == SigNode.Kind.OUT;
            if (!checked) continue;
            for (DomainNode src : sourcesOf(t)) {
                if (src != t.domain()) {
                    error(HdlError.Kind.CLOCK_CROSSING, firstAssign.get(t), t.displayName() + " (in " + t.domain()
                            + ") takes a value from " + src + " without a Synchronizer: " + culprit(t, src));
                }
            }
        }
        for (ModuleNode m : modules) {
            for (MemNode mem : m.mems()) {
                for (MemNode.WritePort w : mem.writes())
                    for (Expr e : new Expr[] {w.addr(), w.data(), w.enable(), w.byteMask()})
                        if (e != null) checkExprDomain(e, w.domain(), w.loc(), "memory write port");
                for (MemNode.SyncRead r : mem.syncReads()) {
                    checkExprDomain(r.addr(), r.domain(), r.loc(), "memory read port");
                    checkExprDomain(r.enable(), r.domain(), r.loc(), "memory read port");
                }
            }
        }
    }

    private void checkExprDomain(Expr e, DomainNode dom, SourceLoc loc, String what) {
        Set<SigNode> rs = new LinkedHashSet<>();
        IrWalk.refs(e, rs);
        for (SigNode s : rs)
            for (DomainNode src : domainsOf(s))
                if (src != dom)
                    error(HdlError.Kind.CLOCK_CROSSING, loc, what + " in " + dom + " reads " + s.displayName()
                            + " from " + src + " without a Synchronizer");
    }

    private String culprit(SigNode t, DomainNode src) {
        for (SigNode d : deps.getOrDefault(t, Set.of()))
            if (domainsOf(d).contains(src)) return "via " + d.displayName();
        return "via a memory written in " + src;
    }

    /** Domains each module needs clock (and reset) ports for, children included. */
    static Map<ModuleNode, Set<DomainNode>> clockUse(ModuleNode top, boolean resetOnly) {
        Map<ModuleNode, Set<DomainNode>> out = new LinkedHashMap<>();
        use(top, resetOnly, out);
        return out;
    }

    private static Set<DomainNode> use(ModuleNode m, boolean resetOnly, Map<ModuleNode, Set<DomainNode>> out) {
        Set<DomainNode> s = new LinkedHashSet<>();
        Set<SigNode> syncTargets = new HashSet<>();
        for (MemNode mem : m.mems()) {
            for (MemNode.SyncRead r : mem.syncReads()) {
                syncTargets.add(r.target());
                if (!resetOnly) s.add(r.domain());
            }
            if (!resetOnly) for (MemNode.WritePort w : mem.writes()) s.add(w.domain());
        }
        for (SigNode n : m.signals()) {
            if (n.kind() != SigNode.Kind.REG || syncTargets.contains(n)) continue;
            if (!resetOnly || (n.init() != null && n.domain().hasReset())) s.add(n.domain());
        }
        for (ModuleNode c : m.children()) s.addAll(use(c, resetOnly, out));
        out.put(m, s);
        return s;
    }
}
