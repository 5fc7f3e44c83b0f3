package org.ntsfab.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.ntsfab.flow.CoreFiles;
import org.ntsfab.flow.Gates;
import org.ntsfab.hdl.Design;
import org.ntsfab.model.ConfigFile;
import org.ntsfab.responder.regs.ResponderRegisters;
import org.ntsfab.responder.top.ResponderDesigns;

/** {@code gen --config C --out DIR [--check]}: the responder core for a configuration, one module per file, and its register map. */
final class GenCore {
    private GenCore() {}

    static int run(ConfigFile cfg, Path out, boolean check, Io io) throws Exception {
        Design d = ResponderDesigns.design(cfg);
        int n = write(d, cfg, out);
        String status = "";
        int rc = Exit.OK;
        if (check) {
            Path work = Files.createTempDirectory("ntsfab-gate");
            String lint = Gates.lint(d, work);
            String synth = "yosys clean (generic, ice40, xilinx)";
            try {
                for (Gates.Target t : Gates.Target.EVERY_TOP) Gates.synthesize(d, work, t);
            } catch (RuntimeException e) {
                synth = "YOSYS FAILED: " + e.getMessage(); // a latch, a failed check: the gate's verdict, not an internal error
            }
            status = (lint.isEmpty() ? "; verilator -Wall: 0 warnings" : "; LINT FAILED:\n" + lint) + "; " + synth;
            rc = lint.isEmpty() && !synth.startsWith("YOSYS FAILED") ? Exit.OK : Exit.FAILED;
        }
        io.out().printf("%s: %d modules -> %s (register map in %s)%s%n", d.topName(), n, out, out.resolve("registers"), status);
        return rc;
    }

    /** The design's Verilog, register map, constraints and FuseSoC core under {@code out}; returns the number of Verilog files. */
    static int write(Design d, ConfigFile cfg, Path out) throws Exception {
        List<Path> files = d.write(out);
        var map = ResponderRegisters.map(ResponderDesigns.defaults(cfg));
        Path regs = Files.createDirectories(out.resolve("registers"));
        Files.writeString(regs.resolve("ntsfab_regs.md"), map.markdown());
        Files.writeString(regs.resolve("ntsfab_regs.h"), map.cHeader());
        Files.writeString(regs.resolve("NtsfabRegisters.java"), map.javaConstants("org.ntsfab.regs", "NtsfabRegisters"));
        // timing constraints from the design's clock ports and declared crossings, and a FuseSoC core over all of it
        Path cons = Files.createDirectories(out.resolve("constraints"));
        for (Map.Entry<String, String> c : CoreFiles.constraints(d, cfg).entrySet()) Files.writeString(cons.resolve(c.getKey()), c.getValue());
        Files.writeString(out.resolve("ntsfab.core"), CoreFiles.fusesoc(d, cfg, files.stream().map(p -> out.relativize(p).toString()).toList()));
        return files.size();
    }
}
