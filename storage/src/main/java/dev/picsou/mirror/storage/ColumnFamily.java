package dev.picsou.mirror.storage;

import java.nio.charset.StandardCharsets;

/**
 * The column families of a store, format version 1. Renaming one, or changing what its keys or values mean, is a
 * new {@linkplain MirrorStore#FORMAT_VERSION format version}.
 */
enum ColumnFamily {
    /** Format version and hook metadata; ASCII string keys, see {@link Keys}. */
    META("meta"),
    /** Primary replica: entries not yet QUACKed by the mirror, keyed by seq. */
    OUTBOX("outbox"),
    /** Mirror: the applied entry log, keyed by seq. */
    ENTRIES("entries"),
    /** Mirror: committed on the mirror's Raft log but held because an earlier seq is missing, keyed by seq. */
    PENDING("pending"),
    /** Materialized state of the reference KV application: key bytes to value bytes. */
    KV("kv");

    /** The name RocksDB always has and that this store leaves empty. */
    static final String DEFAULT_NAME = "default";

    private final String id;

    ColumnFamily(String id) {
        this.id = id;
    }

    /** The on-disk name. */
    String id() {
        return id;
    }

    byte[] idBytes() {
        return id.getBytes(StandardCharsets.UTF_8);
    }

    /** The column family with this on-disk name, or {@code null}. */
    static ColumnFamily byId(String id) {
        for (ColumnFamily cf : values()) {
            if (cf.id.equals(id)) {
                return cf;
            }
        }
        return null;
    }
}
