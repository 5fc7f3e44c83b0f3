package org.ntsfab.hdl;

import org.ntsfab.hdl.ir.SourceLoc;

import org.ntsfab.hdl.ir.Stmt;

/** A when/elseWhen/otherwise chain; each body runs at once, its assignments conditional. */
public final class When {
    private final Stmt.If node;

    private When(Stmt.If node) {
        this.node = node;
    }

    static When start(Bool cond, Runnable body) {
        Builder b = Builder.get();
        Stmt.If s = new Stmt.If(cond.expr(), SourceLoc.capture());
        b.scope().add(s);
        run(b, s.then(), body);
        return new When(s);
    }

    public When elseWhen(Bool cond, Runnable body) {
        Builder b = Builder.get();
        if (!node.otherwise().isEmpty())
            b.error(HdlError.Kind.USAGE, "elseWhen after otherwise");
        Stmt.If s = new Stmt.If(cond.expr(), SourceLoc.capture());
        node.otherwise().add(s);
        run(b, s.then(), body);
        return new When(s);
    }

    public void otherwise(Runnable body) {
        Builder b = Builder.get();
        if (!node.otherwise().isEmpty())
            b.error(HdlError.Kind.USAGE, "otherwise given twice");
        run(b, node.otherwise(), body);
    }

    static void run(Builder b, java.util.List<Stmt> scope, Runnable body) {
        b.pushScope(scope);
        try {
            body.run();
        } finally {
            b.popScope();
        }
    }
}
