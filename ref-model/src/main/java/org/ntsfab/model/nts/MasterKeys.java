package org.ntsfab.model.nts;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The live NTS master keys: each a 32-byte AES-SIV-CMAC-256 key under a 32-bit id. New cookies are
 * sealed under the current key; cookies under any live key still open, so keys rotate without
 * breaking clients that hold older cookies.
 */
public final class MasterKeys {
    private final Map<Long, byte[]> keys = new LinkedHashMap<>();
    private final long current;

    public MasterKeys(Map<Long, byte[]> keys, long current) {
        for (Map.Entry<Long, byte[]> e : keys.entrySet()) {
            if (e.getValue().length != 32) throw new IllegalArgumentException("master key " + e.getKey() + " must be 32 bytes");
            this.keys.put(e.getKey(), e.getValue().clone());
        }
        if (!this.keys.containsKey(current)) throw new IllegalArgumentException("current key id " + current + " is not a live key");
        this.current = current;
    }

    public long currentId() {
        return current;
    }

    public byte[] current() {
        return keys.get(current).clone();
    }

    public Optional<byte[]> get(long id) {
        byte[] k = keys.get(id);
        return k == null ? Optional.empty() : Optional.of(k.clone());
    }

    public Map<Long, byte[]> all() {
        return Collections.unmodifiableMap(keys);
    }
}
