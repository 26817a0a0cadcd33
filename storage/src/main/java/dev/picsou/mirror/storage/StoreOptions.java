package dev.picsou.mirror.storage;

/**
 * How {@link MirrorStore#open(java.nio.file.Path, StoreOptions)} opens a store.
 *
 * @param syncWrites       default of {@link StoreBatch#sync(boolean)}: {@code false} (default) writes every batch to
 *                         the WAL without fsync, which survives a process crash (kill -9) but not a machine crash;
 *                         {@code true} fsyncs the WAL on every commit
 * @param createIfMissing  create an empty store when the directory holds none (default {@code true}); when
 *                         {@code false}, opening a missing store fails
 * @param rederivable      {@code true} for a store whose every write can be derived again after a crash (the primary
 *                         hook store: the Raft log replays whatever it lost): batches skip the WAL and the column
 *                         families flush atomically, so that after any crash the store is exactly its last flush, a
 *                         consistent prefix of the committed batches. {@link MirrorStore#sync()}, a synced commit,
 *                         a checkpoint and {@link MirrorStore#close()} flush. Default {@code false}.
 * @param writeBufferBytes size of one memtable per column family; 0 (default) keeps RocksDB's (64 MiB). A store
 *                         whose data is short-lived (an outbox drained within seconds) keeps its memory small and
 *                         warm with a few MiB.
 */
public record StoreOptions(boolean syncWrites, boolean createIfMissing, boolean rederivable, long writeBufferBytes) {

    /** Smallest memtable size accepted (RocksDB's own floor is 64 KiB). */
    public static final long MIN_WRITE_BUFFER_BYTES = 64 * 1024;

    public StoreOptions {
        if (writeBufferBytes != 0 && writeBufferBytes < MIN_WRITE_BUFFER_BYTES) {
            throw new IllegalArgumentException("writeBufferBytes must be 0 (RocksDB's default) or at least "
                    + MIN_WRITE_BUFFER_BYTES + ", got " + writeBufferBytes);
        }
        if (rederivable && syncWrites) {
            throw new IllegalArgumentException("a rederivable store writes no WAL, so it cannot fsync every commit"
                    + " (syncWrites): use MirrorStore.sync() where a flush is needed");
        }
    }

    /** WAL without fsync per batch; create if missing; RocksDB's memtable size. */
    public static StoreOptions defaults() {
        return new StoreOptions(false, true, false, 0);
    }

    public StoreOptions withSyncWrites(boolean sync) {
        return new StoreOptions(sync, createIfMissing, rederivable, writeBufferBytes);
    }

    public StoreOptions withCreateIfMissing(boolean create) {
        return new StoreOptions(syncWrites, create, rederivable, writeBufferBytes);
    }

    public StoreOptions withRederivable(boolean rederive) {
        return new StoreOptions(syncWrites, createIfMissing, rederive, writeBufferBytes);
    }

    public StoreOptions withWriteBufferBytes(long bytes) {
        return new StoreOptions(syncWrites, createIfMissing, rederivable, bytes);
    }
}
