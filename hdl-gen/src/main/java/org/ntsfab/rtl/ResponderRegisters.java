package org.ntsfab.rtl;

/**
 * The responder's register map (identity, NTP identity fields, clock control, counters). The RTL
 * issue connects it; it is defined here once so the map, the C header and the Java constants exist
 * from the start.
 */
public final class ResponderRegisters {
    private ResponderRegisters() {}

    public static final long IDENTITY = 0x4e545346L; // "NTSF"

    public static RegisterMap map() {
        RegisterMap m = new RegisterMap("ntsfab");
        m.add("identity", 32, RegisterMap.Access.RO, 0, "\"NTSF\" (0x4e545346)");
        m.add("version", 32, RegisterMap.Access.RO, 0, "major << 16 | minor");
        m.add("ntp_stratum", 8, RegisterMap.Access.RW, 1, "served stratum");
        m.add("ntp_precision", 8, RegisterMap.Access.RW, 0xe8, "served precision (signed log2 s; 0xe8 = -24)");
        m.add("ntp_refid", 32, RegisterMap.Access.RW, 0x47505300L, "served reference id (\"GPS\\0\")");
        m.add("ntp_root_delay", 32, RegisterMap.Access.RW, 0, "served root delay (16.16 s)");
        m.add("ntp_root_dispersion", 32, RegisterMap.Access.RW, 0, "served root dispersion (16.16 s)");
        m.add("clock_step", 64, RegisterMap.Access.RW, 118059162072L, "clock step per cycle, 2^-64 s (default 156.25 MHz)");
        m.add("clock_load_time", 64, RegisterMap.Access.RW, 0, "time for the next load (32.32 NTP)");
        m.add("clock_control", 1, RegisterMap.Access.PULSE, 0, "bit 0: load clock_load_time");
        m.add("leap_mode", 2, RegisterMap.Access.RW, 0, "0 none, 1 insert, 2 delete");
        m.add("leap_event", 32, RegisterMap.Access.RW, 0, "NTP second the new UTC day starts");
        m.add("clock_now", 64, RegisterMap.Access.RO, 0, "the clock (32.32 NTP); low word read latches the high word");
        m.add("rx_frames", 64, RegisterMap.Access.RO, 0, "frames received");
        m.add("answers", 64, RegisterMap.Access.RO, 0, "answers sent");
        return m;
    }
}
