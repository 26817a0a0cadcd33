package dev.picsou.mirror.storage;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Read view of one seq-keyed column family: {@link MirrorStore#outbox()}, {@link MirrorStore#entries()} or
 * {@link MirrorStore#pending()}. Iteration is in ascending seq order. Every entry read is verified (record and
 * payload checksums, key = seq); a mismatch throws {@link StorageException} naming the column family and seq.
 * Thread-safe, like the store.
 */
public final class EntryLog {

    private final MirrorStore store;
    private final ColumnFamily cf;

    EntryLog(MirrorStore store, ColumnFamily cf) {
        this.store = store;
        this.cf = cf;
    }

    /** The column family name: {@code outbox}, {@code entries} or {@code pending}. */
    public String name() {
        return cf.id();
    }

    /** The entry at {@code seq}, if present. */
    public Optional<StoredEntry> get(long seq) {
        byte[] key = Keys.seq(seq);
        byte[] value = store.get(cf, key, "get");
        return value == null ? Optional.empty() : Optional.of(store.decodeEntry(cf, key, value, "get"));
    }

    /** True when an entry is stored at {@code seq}. */
    public boolean contains(long seq) {
        return store.get(cf, Keys.seq(seq), "contains") != null;
    }

    /** The lowest seq present, if any. O(1) amortized (a seek, which skips range-deleted keys). */
    public OptionalLong firstSeq() {
        byte[] key = store.edgeKey(cf, true, "first seq");
        return key == null ? OptionalLong.empty() : OptionalLong.of(Keys.seqOf(key));
    }

    /** The highest seq present, if any. */
    public OptionalLong lastSeq() {
        byte[] key = store.edgeKey(cf, false, "last seq");
        return key == null ? OptionalLong.empty() : OptionalLong.of(Keys.seqOf(key));
    }

    public boolean isEmpty() {
        return firstSeq().isEmpty();
    }

    /**
     * {@code lastSeq - firstSeq + 1}, or 0 when empty: the number of entries when the seqs present are dense, as
     * the outbox ({@code (quackedSeq, lastSeq]}) and the mirror's entry log ({@code 1..durableSeq}) are by
     * construction. Two seeks, whatever the size: use it for metrics. The pending set is not dense: use
     * {@link #count()}.
     */
    public long seqSpan() {
        OptionalLong first = firstSeq();
        if (first.isEmpty()) {
            return 0;
        }
        OptionalLong last = lastSeq();
        return last.isEmpty() ? 0 : last.getAsLong() - first.getAsLong() + 1;
    }

    /** The exact number of entries, by iterating over every key: O(n). */
    public long count() {
        return store.countKeys(cf, "count");
    }

    /**
     * Up to {@code maxEntries} entries with seq in {@code [fromSeq, toSeqInclusive]}, in seq order.
     *
     * @throws IllegalArgumentException if {@code fromSeq < 0} or {@code maxEntries < 0}
     */
    public List<StoredEntry> range(long fromSeq, long toSeqInclusive, int maxEntries) {
        if (maxEntries < 0) {
            throw new IllegalArgumentException("maxEntries must be >= 0, was " + maxEntries);
        }
        List<StoredEntry> out = new ArrayList<>();
        if (toSeqInclusive < fromSeq || maxEntries == 0) {
            Keys.seq(fromSeq); // still validate
            return out;
        }
        byte[] upper = toSeqInclusive == Long.MAX_VALUE ? null : Keys.seq(toSeqInclusive + 1);
        try (StoreCursor<StoredEntry> cursor = open(Keys.seq(fromSeq), upper)) {
            while (out.size() < maxEntries && cursor.hasNext()) {
                out.add(cursor.next());
            }
        }
        return out;
    }

    /** A cursor over every entry with seq {@code >= fromSeq}, in seq order; close it (try-with-resources). */
    public StoreCursor<StoredEntry> cursor(long fromSeq) {
        return open(Keys.seq(fromSeq), null);
    }

    private StoreCursor<StoredEntry> open(byte[] lower, byte[] upper) {
        return store.openCursor(cf, lower, upper, (key, value) -> store.decodeEntry(cf, key, value, "iterate"));
    }

    @Override
    public String toString() {
        return "EntryLog[" + cf.id() + "]";
    }
}
