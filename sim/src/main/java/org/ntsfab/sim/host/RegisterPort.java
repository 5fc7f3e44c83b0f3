package org.ntsfab.sim.host;

/**
 * A host's access to a register file: 32-bit words at byte addresses, each access finished, and its response checked,
 * before the call returns. {@link AxiLiteHost} reaches the file over AXI4-Lite; a board without a CPU reaches it over its
 * UART register bridge. The loaders ({@link HostRegisters}) are written against this, once for both.
 */
public interface RegisterPort {
    /** One register write, the low 32 bits of {@code value}; throws if the file does not answer OKAY. */
    void write(int address, long value);

    /** One register read; throws if the file does not answer OKAY. */
    long read(int address);

    /** A 64-bit register: low word, then high word. */
    default void write64(int address, long value) {
        write(address, value & 0xffffffffL);
        write(address + 4, value >>> 32);
    }

    /** A 64-bit value: low word (which latches the high word of a read-only value), then high word. */
    default long read64(int address) {
        long lo = read(address);
        long hi = read(address + 4);
        return (hi << 32) | lo;
    }

    /** A register write: a 32-bit word to a byte address. */
    record Write(int address, long value) {}
}
