package dev.picsou.mirror.storage;

import java.util.NoSuchElementException;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.Slice;

/**
 * A {@link StoreCursor} over a RocksDB iterator. Owns the iterator, its read options and its bound slices, and
 * releases them in that order (the iterator reads the options, the options point at the slices).
 */
final class RocksCursor<T> implements StoreCursor<T> {

    /** Turns a raw pair into an element; throws {@link StorageException} for a corrupt value. */
    @FunctionalInterface
    interface Decoder<T> {
        T decode(byte[] key, byte[] value);
    }

    private final MirrorStore store;
    private final ColumnFamily cf;
    private final Slice lower;
    private final Slice upper;
    private final ReadOptions readOptions;
    private final RocksIterator iterator;
    private final Decoder<T> decoder;
    private boolean released;

    RocksCursor(MirrorStore store, ColumnFamily cf, RocksDB db, ColumnFamilyHandle handle, byte[] lowerInclusive,
                byte[] upperExclusive, Decoder<T> decoder) {
        this.store = store;
        this.cf = cf;
        this.decoder = decoder;
        this.lower = MirrorStore.slice(lowerInclusive);
        this.upper = MirrorStore.slice(upperExclusive);
        this.readOptions = new ReadOptions();
        if (lower != null) {
            readOptions.setIterateLowerBound(lower);
        }
        if (upper != null) {
            readOptions.setIterateUpperBound(upper);
        }
        this.iterator = db.newIterator(handle, readOptions);
        if (lowerInclusive == null) {
            iterator.seekToFirst();
        } else {
            iterator.seek(lowerInclusive);
        }
    }

    @Override
    public boolean hasNext() {
        store.lockForCall();
        try {
            requireLive();
            if (iterator.isValid()) {
                return true;
            }
            iterator.status();
            return false;
        } catch (RocksDBException e) {
            throw MirrorStore.wrap("iterate", cf, e);
        } finally {
            store.unlockCall();
        }
    }

    @Override
    public T next() {
        store.lockForCall();
        try {
            requireLive();
            if (!iterator.isValid()) {
                iterator.status();
                throw new NoSuchElementException("cursor over " + cf.id() + " is exhausted");
            }
            byte[] key = iterator.key();
            byte[] value = iterator.value();
            iterator.next();
            return decoder.decode(key, value);
        } catch (RocksDBException e) {
            throw MirrorStore.wrap("iterate", cf, e);
        } finally {
            store.unlockCall();
        }
    }

    @Override
    public void close() {
        release();
        store.forgetCursor(this);
    }

    /** Frees the native objects; idempotent; called by {@link #close()} and by {@link MirrorStore#close()}. */
    synchronized void release() {
        if (released) {
            return;
        }
        released = true;
        iterator.close();
        readOptions.close();
        if (lower != null) {
            lower.close();
        }
        if (upper != null) {
            upper.close();
        }
    }

    private synchronized void requireLive() {
        if (released) {
            throw new IllegalStateException("cursor over " + cf.id() + " is closed");
        }
    }
}
