package dev.picsou.mirror.storage;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;
import org.rocksdb.RocksDBException;
import org.rocksdb.WriteBatch;

/**
 * Writes collected in memory and applied by {@link #commit()} as ONE RocksDB {@code WriteBatch}: after a crash the
 * store holds all of them or none (see the crash story on {@link MirrorStore}). Within a batch, later operations
 * on the same key win. Put the hook metadata in the same batch as the data it describes.
 *
 * <pre>{@code
 * store.newBatch()
 *      .putOutbox(entry)
 *      .putKv(key, value)
 *      .putMetadata(meta.withLastSeq(entry.seq()).withLastApplied(term, index))
 *      .commit();
 * }</pre>
 *
 * <p>Holds no native resources until {@code commit()}, so an abandoned batch needs no cleanup. Byte arrays are
 * captured by reference: do not mutate them before {@code commit()}. Single-threaded; usable once: after
 * {@code commit()} every method throws {@link IllegalStateException}.
 */
public final class StoreBatch {

    /** One write, applied to a RocksDB batch at commit. */
    sealed interface Op {
        void applyTo(WriteBatch batch, MirrorStore store) throws RocksDBException;

        ColumnFamily cf();
    }

    private record Put(ColumnFamily cf, byte[] key, byte[] value) implements Op {
        @Override
        public void applyTo(WriteBatch batch, MirrorStore store) throws RocksDBException {
            batch.put(store.handle(cf), key, value);
        }
    }

    private record Delete(ColumnFamily cf, byte[] key) implements Op {
        @Override
        public void applyTo(WriteBatch batch, MirrorStore store) throws RocksDBException {
            batch.delete(store.handle(cf), key);
        }
    }

    /** Deletes {@code [begin, end)}. */
    private record DeleteRange(ColumnFamily cf, byte[] begin, byte[] end) implements Op {
        @Override
        public void applyTo(WriteBatch batch, MirrorStore store) throws RocksDBException {
            batch.deleteRange(store.handle(cf), begin, end);
        }
    }

    private final MirrorStore store;
    private final List<Op> ops = new ArrayList<>();
    private boolean sync;
    private boolean committed;

    StoreBatch(MirrorStore store, boolean sync) {
        this.store = store;
        this.sync = sync;
    }

    /**
     * Whether {@link #commit()} fsyncs the WAL before returning (default: {@link StoreOptions#syncWrites()}); in a
     * {@link StoreOptions#rederivable() rederivable} store, whether it flushes the memtables. Without it the batch
     * survives a process crash but may be lost, whole, in a machine crash (in a rederivable store, in any crash).
     */
    public StoreBatch sync(boolean fsync) {
        requireOpen();
        this.sync = fsync;
        return this;
    }

    /** Primary: adds {@code entry} to the outbox at its seq. */
    public StoreBatch putOutbox(StoredEntry entry) {
        return putEntry(ColumnFamily.OUTBOX, entry);
    }

    /**
     * Primary: deletes every outbox entry with seq {@code <= seq} (one range tombstone, whatever the count).
     *
     * @throws IllegalArgumentException if {@code seq} is negative or {@link Long#MAX_VALUE}
     */
    public StoreBatch deleteOutboxThrough(long seq) {
        return deleteThrough(ColumnFamily.OUTBOX, seq);
    }

    /** Mirror: adds {@code entry} to the applied entry log at its seq. */
    public StoreBatch putEntry(StoredEntry entry) {
        return putEntry(ColumnFamily.ENTRIES, entry);
    }

    /** Mirror: deletes every applied entry with seq {@code <= seq} (log truncation after a snapshot). */
    public StoreBatch deleteEntriesThrough(long seq) {
        return deleteThrough(ColumnFamily.ENTRIES, seq);
    }

    /** Mirror: holds {@code entry} in the pending set at its seq. */
    public StoreBatch putPending(StoredEntry entry) {
        return putEntry(ColumnFamily.PENDING, entry);
    }

    /** Mirror: removes the pending entry at {@code seq} (if any). */
    public StoreBatch deletePending(long seq) {
        return add(new Delete(ColumnFamily.PENDING, Keys.seq(seq)));
    }

    /** Mirror: removes every pending entry with seq {@code <= seq}, e.g. duplicates below the watermark. */
    public StoreBatch deletePendingThrough(long seq) {
        return deleteThrough(ColumnFamily.PENDING, seq);
    }

    /** Sets {@code key} to {@code value} in the KV state. */
    public StoreBatch putKv(byte[] key, byte[] value) {
        return add(new Put(ColumnFamily.KV, Objects.requireNonNull(key, "key"),
                Objects.requireNonNull(value, "value")));
    }

    /** Removes {@code key} from the KV state (if present). */
    public StoreBatch deleteKv(byte[] key) {
        return add(new Delete(ColumnFamily.KV, Objects.requireNonNull(key, "key")));
    }

    /** Replaces the hook metadata. */
    public StoreBatch putMetadata(HookMetadata metadata) {
        return add(new Put(ColumnFamily.META, Keys.HOOK_METADATA, metadata.encode()));
    }

    /** The number of operations collected so far. */
    public int size() {
        return ops.size();
    }

    /**
     * Applies every operation as one atomic RocksDB write. An empty batch writes nothing.
     *
     * @throws StorageException      if RocksDB refused the write (nothing of the batch is applied)
     * @throws IllegalStateException if already committed, or the store is closed
     */
    public void commit() {
        requireOpen();
        committed = true;
        if (ops.isEmpty()) {
            return;
        }
        Set<ColumnFamily> touched = EnumSet.noneOf(ColumnFamily.class);
        ops.forEach(op -> touched.add(op.cf()));
        String names = touched.stream().map(ColumnFamily::id).collect(Collectors.joining("+"));
        store.write(ops, sync, names);
    }

    private StoreBatch putEntry(ColumnFamily cf, StoredEntry entry) {
        Objects.requireNonNull(entry, "entry");
        if (!entry.checksumValid()) {
            throw new IllegalArgumentException("refusing to store " + entry + " in " + cf.id()
                    + ": its payload does not match its crc32c");
        }
        return add(new Put(cf, Keys.seq(entry.seq()), entry.encode()));
    }

    private StoreBatch deleteThrough(ColumnFamily cf, long seq) {
        if (seq == Long.MAX_VALUE) {
            throw new IllegalArgumentException("seq must be < Long.MAX_VALUE");
        }
        return add(new DeleteRange(cf, Keys.seq(0), Keys.seq(seq + 1)));
    }

    private StoreBatch add(Op op) {
        requireOpen();
        ops.add(op);
        return this;
    }

    private void requireOpen() {
        if (committed) {
            throw new IllegalStateException("batch already committed");
        }
    }
}
