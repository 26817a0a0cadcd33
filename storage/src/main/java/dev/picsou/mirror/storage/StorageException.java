package dev.picsou.mirror.storage;

import java.util.Optional;

/**
 * A storage operation failed: the disk, RocksDB, or the bytes on disk are not what the store expects.
 *
 * <p>Unchecked: callers on the Ratis apply path must catch it and fail the apply future (never let it escape
 * {@code applyTransaction}). The message always names the {@linkplain #operation() operation}, the
 * {@linkplain #columnFamily() column family} when one is involved, and for corrupt values the key. Every
 * {@code RocksDBException} raised inside the storage module reaches callers as this type, with the original as the
 * cause.
 */
public final class StorageException extends RuntimeException {

    private final String operation;
    private final String columnFamily;
    private final String detail;

    /**
     * @param operation    what the store was doing, e.g. {@code "commit batch"}, {@code "open"}
     * @param columnFamily the column family involved, or {@code null} when none is
     * @param detail       what went wrong, in words an operator can act on
     * @param cause        the underlying exception, or {@code null}
     */
    public StorageException(String operation, String columnFamily, String detail, Throwable cause) {
        super(format(operation, columnFamily, detail), cause);
        this.operation = operation;
        this.columnFamily = columnFamily;
        this.detail = detail;
    }

    /** A failure that involves no particular column family. */
    public StorageException(String operation, String detail) {
        this(operation, null, detail, null);
    }

    /** A failure that involves no particular column family, with its cause. */
    public StorageException(String operation, String detail, Throwable cause) {
        this(operation, null, detail, cause);
    }

    /** What the store was doing when it failed. */
    public String operation() {
        return operation;
    }

    /** The column family involved, if any. */
    public Optional<String> columnFamily() {
        return Optional.ofNullable(columnFamily);
    }

    /** The message without the operation and column family prefix. */
    public String detail() {
        return detail;
    }

    private static String format(String operation, String columnFamily, String detail) {
        StringBuilder sb = new StringBuilder(operation);
        if (columnFamily != null) {
            sb.append(" on column family '").append(columnFamily).append('\'');
        }
        return sb.append(" failed: ").append(detail).toString();
    }
}
