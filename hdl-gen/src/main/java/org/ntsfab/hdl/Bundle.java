package org.ntsfab.hdl;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;

/**
 * A group of named members (signals or nested bundles), found by reflection on the subclass's
 * fields in declaration order. Members wrapped in {@link #flip} run against the bundle's direction:
 * in a {@code master} bundle they are inputs. Flattened names join member names with {@code _};
 * a subclass may rename a member (or make it transparent with "") via {@link #memberName}, and may join its
 * members to its own name without the {@code _} ({@link #separator}: an AMBA channel, {@code awvalid}).
 */
public abstract class Bundle extends Data {
    private final Set<Data> flipped = Collections.newSetFromMap(new IdentityHashMap<>());

    /** Marks a member as running against the bundle direction (e.g. a stream's ready). */
    protected <T extends Data> T flip(T member) {
        flipped.add(member);
        return member;
    }

    boolean isFlipped(Data member) {
        return flipped.contains(member);
    }

    /** The name a member contributes to flattened names; "" makes it transparent. */
    protected String memberName(String fieldName) {
        return fieldName;
    }

    /**
     * What joins this bundle's name and its members' names in flattened names: {@code "_"} ({@code rx_tvalid}), or
     * {@code ""} for the AMBA style, where a channel's signals are its name and theirs run together ({@code aw} +
     * {@code valid}, {@code addr} → {@code awvalid}, {@code awaddr}). The members of a transparent member (its name "",
     * such as a stream's payload bundle) join with the separator of the bundle that holds it.
     */
    protected String separator() {
        return "_";
    }

    /** A member with its flattened name suffix and flip parity, for port creation and naming. */
    public record Member(String name, Data data, boolean flipped) {}

    /** The direct members in declaration order (superclass fields first). */
    public List<Member> members() {
        List<Class<?>> chain = new ArrayList<>();
        for (Class<?> c = getClass(); c != null && c != Bundle.class; c = c.getSuperclass()) chain.add(0, c);
        List<Member> out = new ArrayList<>();
        for (Class<?> c : chain) {
            for (Field f : c.getDeclaredFields()) {
                if (Modifier.isStatic(f.getModifiers()) || f.isSynthetic()) continue;
                if (!Data.class.isAssignableFrom(f.getType())) continue;
                try {
                    f.setAccessible(true);
                    Data d = (Data) f.get(this);
                    if (d != null) out.add(new Member(memberName(f.getName()), d, isFlipped(d)));
                } catch (IllegalAccessException | RuntimeException e) {
                    throw new IllegalStateException("cannot read bundle member " + f, e);
                }
            }
        }
        return out;
    }

    @Override
    public List<Signal> leaves() {
        List<Signal> out = new ArrayList<>();
        for (Member m : members()) out.addAll(m.data().leaves());
        return out;
    }

    /** Leaves with their flattened name (members joined with their bundle's {@link #separator}) and net flip parity. */
    public record Leaf(String path, Signal signal, boolean flipped) {}

    public List<Leaf> flatten() {
        List<Leaf> out = new ArrayList<>();
        flattenInto(this, "", false, out);
        return out;
    }

    static void flattenInto(Data d, String prefix, boolean flip, List<Leaf> out) {
        flattenInto(d, prefix, d instanceof Bundle b ? b.separator() : "_", flip, out);
    }

    /** {@code sep} joins {@code d}'s members to {@code prefix}: {@code d}'s own separator, or its holder's when it is transparent. */
    private static void flattenInto(Data d, String prefix, String sep, boolean flip, List<Leaf> out) {
        if (d instanceof Signal s) {
            out.add(new Leaf(prefix, s, flip));
        } else if (d instanceof Bundle b) {
            for (Member m : b.members()) {
                boolean transparent = m.name().isEmpty();
                String p = transparent ? prefix : prefix.isEmpty() ? m.name() : prefix + sep + m.name();
                String inner = m.data() instanceof Bundle mb ? transparent ? sep : mb.separator() : sep;
                flattenInto(m.data(), p, inner, flip ^ m.flipped(), out);
            }
        }
    }

    /** {@code name} and a flattened path joined as this bundle joins its members (the whole name of a leaf). */
    String join(String name, String path) {
        return path.isEmpty() ? name : name + separator() + path;
    }

    @Override
    public Bundle named(String name) {
        for (Leaf l : flatten()) {
            String n = join(name, l.path());
            if (l.signal().node != null) l.signal().node.setExplicitName(n);
        }
        return this;
    }

    /** Leaf-by-leaf assignment from a bundle of the same shape (flipped leaves are not special here). */
    public void setFrom(Bundle other) {
        List<Signal> a = leaves(), b = other.leaves();
        if (a.size() != b.size()) {
            Builder.get().error(HdlError.Kind.WIDTH_MISMATCH, "bundles differ in shape: " + a.size() + " vs " + b.size() + " members");
            return;
        }
        for (int i = 0; i < a.size(); i++) a.get(i).assign(b.get(i));
    }

    /** All leaves concatenated, first member most significant. */
    public Bits asBits() {
        return Bits.cat(leaves());
    }

    /** Assigns every leaf from the matching slice of {@code bits} (the inverse of {@link #asBits}). */
    public void setFromBits(Bits bits) {
        List<Signal> ls = leaves();
        int total = ls.stream().mapToInt(Signal::width).sum();
        if (bits.width() != total) {
            Builder.get().error(HdlError.Kind.WIDTH_MISMATCH, "setFromBits needs " + total + " bits, got " + bits.width());
            return;
        }
        int hi = total - 1;
        for (Signal s : ls) {
            Bits part = bits.slice(hi, hi - s.width() + 1);
            s.assign(s.wrap(part.expr()));
            hi -= s.width();
        }
    }
}
