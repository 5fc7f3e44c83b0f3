package org.ntsfab.hdl.ir;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.function.Consumer;

/** Traversals of statements and expressions shared by the checks and the emitter. */
public final class IrWalk {
    private IrWalk() {}

    /** An assignment together with the conditions (and switch selectors) that guard it. */
    public record Guarded(Stmt.Assign assign, List<Expr> guards) {}

    public static List<Guarded> assignments(List<Stmt> body) {
        List<Guarded> out = new ArrayList<>();
        collect(body, new ArrayList<>(), out);
        return out;
    }

    private static void collect(List<Stmt> body, List<Expr> guards, List<Guarded> out) {
        for (Stmt s : body) {
            if (s instanceof Stmt.Assign a) {
                out.add(new Guarded(a, List.copyOf(guards)));
            } else if (s instanceof Stmt.If i) {
                guards.add(i.cond());
                collect(i.then(), guards, out);
                collect(i.otherwise(), guards, out);
                guards.remove(guards.size() - 1);
            } else if (s instanceof Stmt.Switch sw) {
                guards.add(sw.selector);
                for (Stmt.Case c : sw.cases) collect(c.body(), guards, out);
                if (sw.otherwise != null) collect(sw.otherwise, guards, out);
                guards.remove(guards.size() - 1);
            }
        }
    }

    /** Every expression appearing in a statement list: values, conditions, selectors. */
    public static void expressions(List<Stmt> body, Consumer<Expr> f) {
        for (Stmt s : body) {
            if (s instanceof Stmt.Assign a) {
                f.accept(a.value());
            } else if (s instanceof Stmt.If i) {
                f.accept(i.cond());
                expressions(i.then(), f);
                expressions(i.otherwise(), f);
            } else if (s instanceof Stmt.Switch sw) {
                f.accept(sw.selector);
                for (Stmt.Case c : sw.cases) expressions(c.body(), f);
                if (sw.otherwise != null) expressions(sw.otherwise, f);
            }
        }
    }

    public record MemRead(MemNode mem, Expr addr) {}

    /** Every named signal read by {@code e}, and every memory it reads asynchronously. */
    public static void refs(Expr e, Consumer<SigNode> sigs, Consumer<MemRead> mems) {
        if (e instanceof Expr.Ref r) {
            sigs.accept(r.sig());
        } else if (e instanceof Expr.Unary u) {
            refs(u.a(), sigs, mems);
        } else if (e instanceof Expr.Binary b) {
            refs(b.a(), sigs, mems);
            refs(b.b(), sigs, mems);
        } else if (e instanceof Expr.Mux m) {
            refs(m.sel(), sigs, mems);
            refs(m.whenTrue(), sigs, mems);
            refs(m.whenFalse(), sigs, mems);
        } else if (e instanceof Expr.Slice s) {
            refs(s.a(), sigs, mems);
        } else if (e instanceof Expr.Concat c) {
            for (Expr p : c.parts()) refs(p, sigs, mems);
        } else if (e instanceof Expr.Repeat r) {
            refs(r.a(), sigs, mems);
        } else if (e instanceof Expr.MemRead m) {
            mems.accept(new MemRead(m.mem(), m.addr()));
            refs(m.addr(), sigs, mems);
        }
    }

    public static void refs(Expr e, Collection<SigNode> into) {
        refs(e, into::add, m -> { });
    }

    /** Keeps only the statements that (may) assign one of {@code targets}; structure preserved. */
    public static List<Stmt> prune(List<Stmt> body, Collection<SigNode> targets) {
        List<Stmt> out = new ArrayList<>();
        for (Stmt s : body) {
            if (s instanceof Stmt.Assign a) {
                if (targets.contains(a.target())) out.add(a);
            } else if (s instanceof Stmt.If i) {
                List<Stmt> t = prune(i.then(), targets), o = prune(i.otherwise(), targets);
                if (!t.isEmpty() || !o.isEmpty()) out.add(new Stmt.If(i.cond(), t, o, i.loc()));
            } else if (s instanceof Stmt.Switch sw) {
                Stmt.Switch n = new Stmt.Switch(sw.selector, sw.loc);
                boolean any = false;
                for (Stmt.Case c : sw.cases) {
                    List<Stmt> b = prune(c.body(), targets);
                    any |= !b.isEmpty();
                    n.cases.add(new Stmt.Case(c.values(), b));
                }
                if (sw.otherwise != null) {
                    n.otherwise = prune(sw.otherwise, targets);
                    any |= !n.otherwise.isEmpty();
                }
                if (any) out.add(n);
            }
        }
        return out;
    }
}
