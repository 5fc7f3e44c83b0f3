package org.ntsfab.hdl.lib;

import java.util.List;
import org.ntsfab.hdl.Bool;
import org.ntsfab.hdl.UInt;

/** Round-robin selection as a hardware expression, shared by the arbiters. */
public final class RoundRobin {
    private RoundRobin() {}

    /**
     * The first index after {@code last} (wrapping) whose request is high; when none is, the index
     * after {@code last} (callers gate the grant with "any request").
     */
    public static UInt next(List<Bool> requests, UInt last) {
        int n = requests.size(), sb = last.width();
        UInt pick = UInt.lit(0, sb);
        for (int start = n - 1; start >= 0; start--) {
            // when last == start, scan start+1, start+2, ... (the last match assigned wins, so scan backwards)
            UInt choice = UInt.lit((start + 1) % n, sb);
            for (int k = n - 1; k >= 0; k--) {
                int idx = (start + 1 + k) % n;
                choice = requests.get(idx).mux(UInt.lit(idx, sb), choice);
            }
            pick = last.eq(start).mux(choice, pick);
        }
        return pick;
    }
}
