package org.ntsfab.hdl.ir;

/**
 * Where in user Java code a piece of hardware was constructed: the first stack frame outside the
 * construction library itself. Every IR node carries one so that elaboration errors point at the
 * line that made the mistake.
 */
public record SourceLoc(String file, int line, String method) {
    private static final StackWalker WALKER = StackWalker.getInstance();
    public static final SourceLoc UNKNOWN = new SourceLoc("?", 0, "?");

    /** The innermost caller outside package {@code org.ntsfab.hdl} (sub-packages count as user code). */
    public static SourceLoc capture() {
        return WALKER.walk(frames -> frames
                .filter(f -> !isLibraryFrame(f.getClassName()))
                .findFirst()
                .map(f -> new SourceLoc(f.getFileName() == null ? "?" : f.getFileName(), f.getLineNumber(),
                        f.getMethodName()))
                .orElse(UNKNOWN));
    }

    private static boolean isLibraryFrame(String cls) {
        if (!cls.startsWith("org.ntsfab.hdl.")) return cls.startsWith("java.") || cls.startsWith("jdk.");
        String rest = cls.substring("org.ntsfab.hdl.".length());
        // classes directly in the package (and their nested classes / lambdas) and in ir/emit are the library
        return !rest.contains(".") || rest.startsWith("ir.") || rest.startsWith("emit.");
    }

    @Override
    public String toString() {
        return file + ":" + line;
    }
}
