package dev.picsou.mirror.storage;

import java.util.Objects;
import java.util.Optional;

/**
 * Read view of the {@code kv} column family: the materialized state of the reference KV application. Keys are
 * ordered bytewise unsigned ({@link java.util.Arrays#compareUnsigned(byte[], byte[])}). Thread-safe, like the
 * store. Write through {@link StoreBatch#putKv} and {@link StoreBatch#deleteKv}.
 */
public final class StateStore {

    private final MirrorStore store;

    StateStore(MirrorStore store) {
        this.store = store;
    }

    /** The value of {@code key}, if present. */
    public Optional<byte[]> get(byte[] key) {
        Objects.requireNonNull(key, "key");
        return Optional.ofNullable(store.get(ColumnFamily.KV, key, "get"));
    }

    /** A cursor over every pair in key order; close it (try-with-resources). */
    public StoreCursor<KeyValue> cursor() {
        return store.openCursor(ColumnFamily.KV, null, null, KeyValue::new);
    }

    /** A cursor over the pairs with key {@code >= fromKeyInclusive}, in key order; close it. */
    public StoreCursor<KeyValue> cursor(byte[] fromKeyInclusive) {
        Objects.requireNonNull(fromKeyInclusive, "fromKeyInclusive");
        return store.openCursor(ColumnFamily.KV, fromKeyInclusive.clone(), null, KeyValue::new);
    }

    /**
     * The {@link StateDigest} of the whole state, with the hook metadata read at the same point in time (one
     * RocksDB snapshot), so the digest belongs to {@code digest.metadata().stateSeq()}. O(n).
     */
    public StateDigest digest() {
        return store.digest();
    }

    @Override
    public String toString() {
        return "StateStore[kv]";
    }
}
