package org.ntsfab.responder.nts;

import org.ntsfab.hdl.Bits;
import org.ntsfab.hdl.Bool;
import org.ntsfab.hdl.Component;
import org.ntsfab.hdl.Stream;
import org.ntsfab.hdl.UInt;

/**
 * Brings the host's master-key slots and nonce seed into the NTS cores (spec §9.7, docs/nts-core.md): a slot whose
 * {@code slot_valid} bit is set and that is not yet loaded is loaded ({@link NtsCore.KeyLoad}: its MAC half, key bytes
 * 0..15, and its CTR half, bytes 16..31), one load at a time, each until {@code key_loaded} says every core has it in
 * effect; only then does the slot's bit of {@code key_valid} (what the cores look cookies up in) rise. Clearing a
 * slot's valid bit takes it out of {@code key_valid} in the same cycle; a slot validated again is loaded only once
 * {@code hold} cycles have passed since the last invalidation of any slot, so no request still in a context (each is
 * held at most that long) meets the new key in place of the one its cookie was checked under. A slot invalidated while
 * its load is under way is loaded again. A pulse on {@code seed_load} takes {@code seed} and loads it into the cores
 * (which restarts the request numbers), before any waiting slot.
 *
 * <p>{@code status}: bits 3..0 slot s loaded and in effect; bit 4 a nonce seed load not yet in effect (the host waits
 * for these before it lets traffic in).
 */
public final class NtsKeyLoader extends Component {
    public static final int SLOTS = 4;

    public final Bits slot_valid = in(new Bits(SLOTS));
    /** Slot s's 32-byte master key in bits 256 s + 255 .. 256 s, byte 0 in the top bits. */
    public final Bits slot_keys = in(new Bits(256 * SLOTS));
    public final Bits seed = in(new Bits(128));
    public final Bool seed_load = in(new Bool());
    public final Stream<NtsCore.KeyLoad> key_load;
    public final Bool key_loaded = in(new Bool());
    public final Bits key_valid = out(new Bits(SLOTS));
    public final UInt status = out(new UInt(SLOTS + 1));

    public NtsKeyLoader(int hold) {
        if (hold < 1 || hold >= 1 << 30) throw new IllegalArgumentException("NTS context hold: 1 .. 2^30 cycles");
        moduleName("nts_key_loader_h" + hold);
        key_load = master(new Stream<>(new NtsCore.KeyLoad()));
        int tw = 32 - Integer.numberOfLeadingZeros(hold);

        Bits validPrev = regNextInit(slot_valid, 0).named("slot_valid_prev_reg");
        Bits fell = let("slot_invalidated", validPrev.and(slot_valid.not()));
        UInt settle = regInit(new UInt(tw), 0).named("settle_cycles_reg");
        Bool settled = let("settled", settle.eq(0));
        when(fell.orReduce(), () -> settle.set(UInt.lit(hold, tw))).elseWhen(settled.not(), () -> settle.set(settle.minus(1)));

        Bits loaded = regInit(new Bits(SLOTS), 0).named("slot_loaded_reg");
        Bool busy = regInit(new Bool(), 0).named("load_busy_reg");
        Bool sent = regInit(new Bool(), 0).named("load_sent_reg");
        Bool busySeed = regInit(new Bool(), 0).named("load_is_seed_reg");
        UInt busySlot = regInit(new UInt(2), 0).named("load_slot_reg");
        Bool abort = regInit(new Bool(), 0).named("load_abort_reg");
        Bool seedPending = regInit(new Bool(), 0).named("seed_pending_reg");
        Bits seedReg = regInit(new Bits(128), 0).named("seed_reg");

        // the lowest slot valid and not loaded (nor being loaded)
        Bits need = let("slot_needs_load", slot_valid.and(loaded.not()));
        Bool anyNeed = need.orReduce();
        UInt pick = UInt.lit(0, 2);
        for (int s = SLOTS - 1; s >= 0; s--) pick = need.bit(s).mux(UInt.lit(s, 2), pick);
        UInt pickSlot = let("slot_pick", pick);
        Bool start = let("load_start", busy.not().and(seedPending.or(anyNeed.and(settled))));
        Bool finish = let("load_finish", busy.and(sent).and(key_loaded));
        Bool landed = let("load_landed", finish.and(busySeed.not()).and(abort.not()));
        Bits setMask = Bits.repeat(landed, SLOTS).and(Bits.lit(1, SLOTS).shl(busySlot));
        loaded.set(loaded.or(setMask).and(slot_valid));

        when(start, () -> {
            busy.set(true);
            sent.set(false);
            abort.set(false);
            busySeed.set(seedPending);
            busySlot.set(pickSlot);
        }).elseWhen(finish, () -> busy.set(false));
        when(key_load.fire(), () -> sent.set(true));
        when(busy.and(busySeed.not()).and(fell.shr(busySlot).bit(0)), () -> abort.set(true));
        when(start.and(seedPending), () -> seedPending.set(false));
        when(seed_load, () -> {
            seedPending.set(true);
            seedReg.set(seed);
        });

        key_load.valid.set(busy.and(sent.not()));
        Bits k = slot_keys.slice(255, 0);
        for (int s = 1; s < SLOTS; s++) k = busySlot.eq(s).mux(slot_keys.slice(256 * s + 255, 256 * s), k);
        Bits key = let("load_key", k);
        key_load.payload.seed.set(busySeed);
        key_load.payload.slot.set(busySlot);
        key_load.payload.mac.set(busySeed.mux(seedReg, key.slice(255, 128)));
        key_load.payload.ctr.set(busySeed.mux(Bits.lit(0, 128), key.slice(127, 0)));

        key_valid.set(slot_valid.and(loaded));
        status.set(UInt.cat(seedPending.or(busy.and(busySeed)).asUInt(), loaded.asUInt()));
    }
}
