package org.ntsfab.hdl.ir;

import java.util.ArrayList;
import java.util.List;

/** Statements of a module body: assignments under when/switch conditions, last assignment wins. */
public sealed interface Stmt {
    record Assign(SigNode target, Expr value, SourceLoc loc) implements Stmt {}

    /** if/else; the lists are filled while the user's when-bodies run. */
    record If(Expr cond, List<Stmt> then, List<Stmt> otherwise, SourceLoc loc) implements Stmt {
        public If(Expr cond, SourceLoc loc) {
            this(cond, new ArrayList<>(), new ArrayList<>(), loc);
        }
    }

    record Case(List<Expr.Lit> values, List<Stmt> body) {}

    /** {@code otherwise} is null when no default branch was given. */
    final class Switch implements Stmt {
        public final Expr selector;
        public final List<Case> cases = new ArrayList<>();
        public List<Stmt> otherwise;
        public final SourceLoc loc;

        public Switch(Expr selector, SourceLoc loc) {
            this.selector = selector;
            this.loc = loc;
        }
    }
}
