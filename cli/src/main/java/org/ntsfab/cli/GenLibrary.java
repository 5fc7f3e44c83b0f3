package org.ntsfab.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import org.ntsfab.flow.Gates;
import org.ntsfab.gen.LibraryTops;
import org.ntsfab.hdl.Design;
import org.ntsfab.responder.regs.ResponderRegisters;

/** {@code gen [--out DIR] [--top NAME] [--check]} and {@code lint}: the Verilog of every library top; with check also lint and synthesize each. */
final class GenLibrary {
    private GenLibrary() {}

    /** {@code only}: one top's name, or null for all. */
    static int run(Path out, String only, boolean check, Io io) throws Exception {
        int files = 0, failures = 0;
        for (String name : LibraryTops.all().keySet()) {
            if (only != null && !only.equals(name)) continue;
            Design d = LibraryTops.elaborate(name);
            files += d.write(out.resolve(name)).size();
            String status = "";
            if (check) {
                Path work = Files.createTempDirectory("ntsfab-gate");
                String lint = Gates.lint(d, work);
                String synth;
                try {
                    for (Gates.Target t : Gates.Target.EVERY_TOP) Gates.synthesize(d, work, t);
                    synth = "yosys clean (generic, ice40, xilinx)";
                } catch (RuntimeException e) {
                    synth = "YOSYS FAILED: " + e.getMessage();
                    failures++;
                }
                if (!lint.isEmpty()) failures++;
                status = "  lint " + (lint.isEmpty() ? "0 warnings" : "FAILED:\n" + lint) + "; " + synth;
            }
            io.out().printf("%-24s %2d module(s) -> %s%s%n", name, d.modules().size(), out.resolve(name), status);
        }
        // the register map in the three forms software needs, from the same description as the RTL
        var map = ResponderRegisters.map();
        Path regs = Files.createDirectories(out.resolve("registers"));
        Files.writeString(regs.resolve("ntsfab_regs.md"), map.markdown());
        Files.writeString(regs.resolve("ntsfab_regs.h"), map.cHeader());
        Files.writeString(regs.resolve("NtsfabRegisters.java"), map.javaConstants("org.ntsfab.regs", "NtsfabRegisters"));
        io.out().println("register map (Markdown, C header, Java constants) -> " + regs);
        io.out().println(files + " Verilog files written under " + out + (check ? (failures == 0 ? "; all gates passed" : "; " + failures + " gate failure(s)") : ""));
        return failures == 0 ? Exit.OK : Exit.FAILED;
    }
}
