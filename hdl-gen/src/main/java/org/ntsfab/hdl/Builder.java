package org.ntsfab.hdl;

import org.ntsfab.hdl.ir.SourceLoc;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.ntsfab.hdl.ir.ModuleNode;
import org.ntsfab.hdl.ir.Stmt;

/**
 * Per-thread elaboration state: which component is under construction, which statement list the
 * next assignment goes to, which clock domain new registers join, and the errors found so far.
 * Users never touch it; {@link Design#elaborate} opens and closes one.
 */
final class Builder {
    private static final ThreadLocal<Builder> CURRENT = new ThreadLocal<>();

    final List<HdlError> errors = new ArrayList<>();
    final Deque<Component> components = new ArrayDeque<>();
    final Map<Component, Deque<List<Stmt>>> scopes = new IdentityHashMap<>();
    final Deque<ClockDomain> domains = new ArrayDeque<>();
    final List<Component> all = new ArrayList<>();
    final Map<Component, SourceLoc> notAdded = new IdentityHashMap<>();
    private long serial;

    static Builder open() {
        if (CURRENT.get() != null) throw new IllegalStateException("elaboration already in progress on this thread");
        Builder b = new Builder();
        b.domains.push(ClockDomain.main());
        CURRENT.set(b);
        return b;
    }

    static void close() {
        CURRENT.remove();
    }

    static Builder get() {
        Builder b = CURRENT.get();
        if (b == null)
            throw new IllegalStateException("hardware can only be built inside Design.elaborate(...)");
        return b;
    }

    long nextSerial() {
        return serial++;
    }

    void error(HdlError.Kind kind, SourceLoc loc, String msg) {
        errors.add(new HdlError(kind, loc, msg));
    }

    /** Messages that name signals are rendered after the naming phase, when names exist. */
    private final List<java.util.function.Supplier<HdlError>> deferred = new ArrayList<>();

    void errorLater(HdlError.Kind kind, SourceLoc loc, java.util.function.Supplier<String> msg) {
        deferred.add(() -> new HdlError(kind, loc, msg.get()));
        errors.add(null); // keeps "has errors" true and the order stable; replaced in materialize()
    }

    /** Renders deferred messages in place. */
    void materialize() {
        int d = 0;
        for (int i = 0; i < errors.size(); i++) if (errors.get(i) == null) errors.set(i, deferred.get(d++).get());
        deferred.clear();
    }

    void error(HdlError.Kind kind, String msg) {
        error(kind, SourceLoc.capture(), msg);
    }

    Component current() {
        Component c = components.peek();
        if (c == null) throw new IllegalStateException("no component under construction");
        return c;
    }

    ModuleNode currentModule() {
        return current().node;
    }

    ModuleNode currentModuleOrNull() {
        Component c = components.peek();
        return c == null ? null : c.node;
    }

    List<Stmt> scope() {
        return scopes.get(current()).peek();
    }

    void pushScope(List<Stmt> s) {
        scopes.get(current()).push(s);
    }

    void popScope() {
        scopes.get(current()).pop();
    }

    ClockDomain domain() {
        return domains.peek();
    }

    void enter(Component c) {
        components.push(c);
        Deque<List<Stmt>> d = new ArrayDeque<>();
        d.push(c.node.body());
        scopes.put(c, d);
        all.add(c);
    }
}
