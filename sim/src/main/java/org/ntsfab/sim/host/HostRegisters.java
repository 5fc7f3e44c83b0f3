package org.ntsfab.sim.host;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.ntsfab.ip.axil.RegisterMap;
import org.ntsfab.model.ResponderConfig;
import org.ntsfab.model.clock.NtpClock;
import org.ntsfab.responder.nts.NtsKeyLoader;
import org.ntsfab.responder.regs.ResponderRegisters;

/**
 * The responder's register file ({@link ResponderRegisters#map()}) as a host CPU drives it, over any
 * {@link RegisterPort}: the clock loader (the time now or at the next PPS edge, leap second, step), the NTS master-key
 * slots and nonce seed, the counters. Every access goes through the port one register word at a time; the writes of
 * a clock load or a step are also available as lists, for a host that issues them together.
 */
public final class HostRegisters {
    private static final RegisterMap MAP = ResponderRegisters.map();
    private static final Map<String, Integer> ADDRESS = new LinkedHashMap<>();

    static {
        for (RegisterMap.Register r : MAP.registers()) ADDRESS.put(r.name(), r.offset());
    }

    private final RegisterPort port;

    public HostRegisters(RegisterPort port) {
        this.port = port;
    }

    public RegisterPort port() {
        return port;
    }

    /** A register's byte address. */
    public static int address(String name) {
        Integer a = ADDRESS.get(name);
        if (a == null) throw new IllegalArgumentException("no register " + name);
        return a;
    }

    /** The register's low (or only) 32-bit word. */
    public long read(String name) {
        return port.read(address(name));
    }

    /** A 64-bit value: low word (latching the high word), then high word. */
    public long read64(String name) {
        return port.read64(address(name));
    }

    public void write(String name, long value) {
        port.write(address(name), value);
    }

    private void writeAll(List<RegisterPort.Write> writes) {
        for (RegisterPort.Write w : writes) port.write(w.address(), w.value());
    }

    private static List<RegisterPort.Write> word64(String name, long value) {
        return List.of(new RegisterPort.Write(address(name), value & 0xffffffffL), new RegisterPort.Write(address(name) + 4, value >>> 32));
    }

    // ---- the clock -------------------------------------------------------------------------------

    /** The writes of a load now: the time (32.32 NTP), then the load pulse; the clock reads it two cycles after the pulse's write is accepted. */
    public static List<RegisterPort.Write> clockLoadWrites(long time) {
        List<RegisterPort.Write> w = new ArrayList<>(word64("clock_load_time", time));
        w.add(new RegisterPort.Write(address("clock_control"), ResponderRegisters.CLOCK_LOAD));
        return w;
    }

    /** The writes of the clock step (2^-64 s per cycle). */
    public static List<RegisterPort.Write> clockStepWrites(long step) {
        return word64("clock_step", step);
    }

    /** Loads the clock now with {@code time}. */
    public void loadClock(long time) {
        writeAll(clockLoadWrites(time));
    }

    /** Loads the clock now with {@code time}, a leap second pending ({@code eventSecond}: the NTP second the new UTC day starts) or none. */
    public void loadClock(long time, NtpClock.Leap leap, long eventSecond) {
        List<RegisterPort.Write> w = new ArrayList<>(word64("clock_load_time", time));
        w.add(new RegisterPort.Write(address("leap_mode"), leap.ordinal()));
        w.add(new RegisterPort.Write(address("leap_event"), eventSecond));
        w.add(new RegisterPort.Write(address("clock_control"), ResponderRegisters.CLOCK_LOAD));
        writeAll(w);
    }

    /** Arms a load of {@code time} at the next PPS rising edge. */
    public void armClockAtPps(long time) {
        List<RegisterPort.Write> w = new ArrayList<>(word64("clock_load_time", time));
        w.add(new RegisterPort.Write(address("clock_control"), ResponderRegisters.CLOCK_LOAD_AT_PPS));
        writeAll(w);
    }

    /** Bits 30..0: PPS edges seen; bit 31: a load at PPS is armed. */
    public long ppsStatus() {
        return read("pps_status");
    }

    // ---- NTS -------------------------------------------------------------------------------------

    /** Loads the NTS master keys (slots in id order, the configured current one selected) and the nonce seed. */
    public void loadNts(ResponderConfig.Nts nts) {
        int s = 0;
        for (Map.Entry<Long, byte[]> k : new TreeMap<>(nts.keys().all()).entrySet()) {
            if (s == NtsKeyLoader.SLOTS) throw new IllegalArgumentException("more master keys than key slots");
            writeKeySlot(s, k.getKey(), k.getValue());
            if (k.getKey() == nts.keys().currentId()) selectKey(s);
            s++;
        }
        writeNonceSeed(nts.nonceSeed());
    }

    /**
     * Reads of {@code nts_key_loaded} a load may take before the host gives up: a slot validated again loads only once
     * the context hold (at most 2^30 cycles in the generator, ~13 000 in the shipped configurations) has passed since the
     * last invalidation, and each read takes several cycles.
     */
    public static final int KEY_LOAD_POLLS = 1_000_000;

    /**
     * One master-key slot: invalid while the id and key change, then valid; returns once {@code nts_key_loaded} shows it
     * in effect in every NTS core (cookies under it are opened only from then on).
     */
    public void writeKeySlot(int slot, long id, byte[] key) {
        invalidateKeySlot(slot);
        write("nts_key" + slot + "_id", id);
        for (int w = 0; w < 4; w++)
            port.write64(address("nts_key" + slot + "_" + w), new BigInteger(1, Arrays.copyOfRange(key, 8 * w, 8 * w + 8)).longValue());
        write("nts_key" + slot + "_valid", 1);
        awaitKeys(1L << slot, 1L << slot, "key slot " + slot);
    }

    /** Polls {@code nts_key_loaded} until its bits under {@code mask} read {@code want}. */
    private void awaitKeys(long mask, long want, String what) {
        for (int k = 0; k < KEY_LOAD_POLLS; k++)
            if ((read("nts_key_loaded") & mask) == want) return;
        throw new IllegalStateException(what + " was not loaded into the NTS cores after " + KEY_LOAD_POLLS + " reads of nts_key_loaded");
    }

    /** The {@code nts_key_loaded} register: bits 3..0 slot loaded and in effect, bit 4 a nonce seed load pending. */
    public long ntsKeyStatus() {
        return read("nts_key_loaded");
    }

    public void invalidateKeySlot(int slot) {
        write("nts_key" + slot + "_valid", 0);
    }

    /** The slot fresh cookies are sealed under (one write switches every NTS core). */
    public void selectKey(int slot) {
        write("nts_key_current", slot);
    }

    /**
     * The 16-byte nonce seed, then the load pulse (which also restarts the request numbers); returns once it is in effect
     * in every NTS core. Load it at bring-up, before traffic: requests in flight when it changes pair the new seed with
     * their old request numbers.
     */
    public void writeNonceSeed(byte[] seed) {
        port.write64(address("nts_nonce_seed_high"), new BigInteger(1, Arrays.copyOfRange(seed, 0, 8)).longValue());
        port.write64(address("nts_nonce_seed_low"), new BigInteger(1, Arrays.copyOfRange(seed, 8, 16)).longValue());
        write("nts_control", ResponderRegisters.NTS_LOAD_SEED);
        awaitKeys(1L << NtsKeyLoader.SLOTS, 0, "the nonce seed");
    }

    // ---- counters --------------------------------------------------------------------------------

    /** The count_* registers, in register-map order. */
    public static List<RegisterMap.Register> counterRegisters() {
        return MAP.registers().stream().filter(r -> r.name().startsWith("count_")).toList();
    }

    /** Every counter, read one after the other (64 bits each), by register name in register-map order. */
    public Map<String, Long> counters() {
        Map<String, Long> m = new LinkedHashMap<>();
        for (RegisterMap.Register r : counterRegisters()) m.put(r.name(), port.read64(r.offset()));
        return m;
    }
}
