package dev.picsou.mirror.storage;

import java.util.Iterator;

/**
 * A forward iteration over one column family, holding native RocksDB resources until {@link #close()}: always use
 * it in try-with-resources. It reads a consistent view: batches committed after the cursor was opened are not
 * seen.
 *
 * <p>Single-threaded: one thread at a time. Closing the store closes every open cursor; using a cursor afterwards
 * throws {@link IllegalStateException}. {@link #next()} may throw {@link StorageException} for a corrupt value
 * (naming the column family and key) or a read error.
 *
 * @param <T> the element type
 */
public interface StoreCursor<T> extends Iterator<T>, AutoCloseable {

    /** Releases the native iterator and its read options; idempotent. */
    @Override
    void close();
}
