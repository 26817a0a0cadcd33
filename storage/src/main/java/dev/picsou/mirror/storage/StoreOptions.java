package dev.picsou.mirror.storage;

/**
 * How {@link MirrorStore#open(java.nio.file.Path, StoreOptions)} opens a store.
 *
 * @param syncWrites      default of {@link StoreBatch#sync(boolean)}: {@code false} (default) writes every batch to
 *                        the WAL without fsync, which survives a process crash (kill -9) but not a machine crash;
 *                        {@code true} fsyncs the WAL on every commit
 * @param createIfMissing create an empty store when the directory holds none (default {@code true}); when
 *                        {@code false}, opening a missing store fails
 */
public record StoreOptions(boolean syncWrites, boolean createIfMissing) {

    /** No fsync per batch; create if missing. */
    public static StoreOptions defaults() {
        return new StoreOptions(false, true);
    }

    public StoreOptions withSyncWrites(boolean sync) {
        return new StoreOptions(sync, createIfMissing);
    }

    public StoreOptions withCreateIfMissing(boolean create) {
        return new StoreOptions(syncWrites, create);
    }
}
