package dev.picsou.mirror.bridge.hook;

import dev.picsou.mirror.bridge.model.Entry;
import dev.picsou.mirror.storage.StoredEntry;

/** Conversions between the bridge's {@link Entry} and the store's {@link StoredEntry} (same fields, same CRC). */
final class Entries {
    private Entries() {
    }

    static StoredEntry toStored(Entry e) {
        return new StoredEntry(e.epoch(), e.seq(), e.raftTerm(), e.raftIndex(), e.payload(), e.crc32c());
    }

    static Entry fromStored(StoredEntry e) {
        return new Entry(e.epoch(), e.seq(), e.raftTerm(), e.raftIndex(), e.payload(), e.crc32c());
    }
}
