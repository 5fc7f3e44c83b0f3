package org.ntsfab.harness;

import org.ntsfab.flow.Tools;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.ntsfab.hdl.Design;

/**
 * Builds a design and its generated harness with Verilator into a cache directory named by a hash
 * of everything that affects the binary (Verilog text, harness text, flags, Verilator version), so a
 * second build of the same thing is free. The cache root is {@code $NTSFAB_CACHE} or
 * {@code ~/.cache/ntsfab}.
 */
public final class VerilatorBuild {
    private VerilatorBuild() {}

    public static Path cacheRoot() {
        String env = System.getenv("NTSFAB_CACHE");
        return env != null && !env.isBlank() ? Path.of(env) : Path.of(System.getProperty("user.home"), ".cache", "ntsfab");
    }

    /**
     * The C++ compiler: {@code $NTSFAB_CXX}, else clang++ when installed (its code for a Verilated ntsfab_top runs
     * about 1.3x faster than g++'s), else g++.
     */
    static String compiler() {
        String env = System.getenv("NTSFAB_CXX");
        if (env != null && !env.isBlank()) return env;
        return Tools.onPath("clang++") ? "clang++" : "g++";
    }

    /**
     * How the C++ is compiled (part of the cache key). Verilator's makefile puts its own {@code OPT_FAST=-Os} after
     * {@code -CFLAGS}, so the evaluation code is optimised here through the make variables: -O2 for the code that runs
     * every cycle and the runtime library, -O0 for the constructors and initial blocks that run once (about half of the
     * generated text). No -march: binaries stay portable.
     */
    static List<String> compileFlags(String cxx) {
        return List.of("-CFLAGS", "-w", "-LDFLAGS", "-s", "-MAKEFLAGS", "CXX=" + cxx + " OPT_FAST=-O2 OPT_SLOW=-O0 OPT_GLOBAL=-O2");
    }

    /** Returns the harness binary, building it if the cache has none for this input. */
    public static synchronized Path build(Design design, String harness, SimOptions opts) {
        Tools.require("verilator");
        String cxx = compiler();
        String version = Tools.version("verilator") + " / " + Tools.version(cxx);
        List<String> flags = new ArrayList<>(opts.verilatorFlags());
        flags.addAll(compileFlags(cxx));
        String key = hash(design, harness, flags, version);
        Path dir = cacheRoot().resolve("verilator").resolve(design.topName() + "-" + key.substring(0, 16));
        Path bin = dir.resolve("obj").resolve("Vtop");
        if (Files.isExecutable(bin)) return bin;
        // built beside the cache entry and moved into place whole, so test JVMs running in parallel never see (or build
        // into) a half-written entry: the first to finish wins, the others use its binary
        Path work = dir.resolveSibling(dir.getFileName() + ".tmp-" + ProcessHandle.current().pid());
        try {
            Tools.deleteTree(work);
            Path src = work.resolve("src");
            Files.createDirectories(src);
            List<Path> files = design.write(src);
            Files.writeString(src.resolve("harness.cpp"), harness, StandardCharsets.UTF_8);
            List<String> cmd = new ArrayList<>(List.of("verilator", "--cc", "--exe", "--build", "-j", "2",
                    "--top-module", design.topName(), "--prefix", "Vtop", "--Mdir", work.resolve("obj").toString()));
            cmd.addAll(flags);
            for (Path f : files) cmd.add(f.toString());
            cmd.add(src.resolve("harness.cpp").toString());
            Tools.run(cmd, work, true);
            if (!Files.isExecutable(work.resolve("obj").resolve("Vtop")))
                throw new IllegalStateException("Verilator build produced no " + work.resolve("obj").resolve("Vtop"));
            try {
                Files.move(work, dir, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException e) {
                // the entry exists: another JVM's finished build (use it), or something this scheme never makes
                if (!Files.isExecutable(bin))
                    throw new IOException(dir + " exists without a simulator in it; remove it (" + e + ")", e);
            }
            return bin;
        } catch (IOException e) {
            throw new IllegalStateException("cannot write build directory " + work + ": " + e.getMessage(), e);
        } finally {
            // a failed build leaves nothing behind (a finished one has been moved away)
            try {
                Tools.deleteTree(work);
            } catch (IOException e) {
                System.err.println("ntsfab: could not remove " + work + ": " + e.getMessage());
            }
        }
    }

    static String hash(Design d, String harness, List<String> flags, String version) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            for (Map.Entry<String, String> e : d.modules().entrySet()) {
                md.update(e.getKey().getBytes(StandardCharsets.UTF_8));
                md.update((byte) 0);
                md.update(e.getValue().getBytes(StandardCharsets.UTF_8));
                md.update((byte) 0);
            }
            md.update(harness.getBytes(StandardCharsets.UTF_8));
            md.update(String.join(" ", flags).getBytes(StandardCharsets.UTF_8));
            md.update(version.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
