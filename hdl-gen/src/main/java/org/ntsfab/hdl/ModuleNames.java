package org.ntsfab.hdl;

import java.lang.reflect.RecordComponent;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

/**
 * One module name, one content, in every design: a component whose constructor parameters change its Verilog carries
 * them in the name it gives {@link Component#moduleName}. Readable parameters are spelled out ({@code stream_fifo_w74_d16});
 * values that cannot be (an identity of addresses and served fields) go in as a {@link #digest}. Clock domains are added
 * by {@link Design} (see {@link ClockDomain#tag}).
 */
public final class ModuleNames {
    private ModuleNames() {}

    /**
     * Eight hex digits of the SHA-256 of the parameters' canonical text (records component by component), the same in
     * every run and on every machine: for a module name, {@code ntsfab_regs_cfg} + digest.
     */
    public static String digest(Object... parameters) {
        StringBuilder sb = new StringBuilder();
        for (Object p : parameters) canonical(sb, p).append(';');
        try {
            byte[] h = MessageDigest.getInstance("SHA-256").digest(sb.toString().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(h, 0, 4);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * For values a name cannot spell: nothing when {@code parameters} are {@code example}'s (the plain name is the
     * component's example), else {@code _cfg} and their {@link #digest}.
     */
    public static String cfgTag(List<?> example, Object... parameters) {
        return example.equals(Arrays.asList(parameters)) ? "" : "_cfg" + digest(parameters);
    }

    private static StringBuilder canonical(StringBuilder sb, Object v) {
        if (v instanceof Record r) {
            sb.append(r.getClass().getSimpleName()).append('[');
            for (RecordComponent c : r.getClass().getRecordComponents()) {
                try {
                    sb.append(c.getName()).append('=');
                    canonical(sb, c.getAccessor().invoke(r)).append(',');
                } catch (ReflectiveOperationException e) {
                    throw new IllegalStateException(e);
                }
            }
            return sb.append(']');
        }
        if (v instanceof Enum<?> e) return sb.append(e.name());
        return sb.append(v);
    }
}
