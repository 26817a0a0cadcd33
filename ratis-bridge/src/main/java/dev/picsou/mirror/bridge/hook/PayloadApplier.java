package dev.picsou.mirror.bridge.hook;

import dev.picsou.mirror.storage.StoreBatch;

/**
 * Applies one primary entry's payload (the user's state-machine transaction) to the mirror's materialized state,
 * inside the mirror's atomic apply batch. The reference KV application provides one; any application whose
 * transactions can be replayed into the mirror's key-value column family can.
 *
 * <p>Contract: deterministic (every mirror replica applies the same payloads in the same {@code seq} order and
 * must reach the same state); writes only through {@code batch}; throws {@link IllegalArgumentException} for a
 * payload it cannot parse (the mirror still logs the entry and moves on, so one bad payload cannot stall the
 * stream).
 */
@FunctionalInterface
public interface PayloadApplier {
    void apply(byte[] payload, StoreBatch batch);
}
