package dev.picsou.mirror.storage;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.rocksdb.Checkpoint;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.ColumnFamilyOptions;
import org.rocksdb.DBOptions;
import org.rocksdb.FlushOptions;
import org.rocksdb.Options;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.Slice;
import org.rocksdb.Snapshot;
import org.rocksdb.WALRecoveryMode;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;

/**
 * The node's single RocksDB: outbox, entry log, pending set, materialized KV state and hook metadata, in the
 * column families {@code meta}, {@code outbox}, {@code entries}, {@code pending} and {@code kv} (format version
 * {@value #FORMAT_VERSION}; seq keys are 8 bytes big-endian). Reads go through the views {@link #outbox()},
 * {@link #entries()}, {@link #pending()}, {@link #kv()} and {@link #metadata()}; every write goes through a
 * {@link StoreBatch}.
 *
 * <h2>Crash story (kill -9 and power loss)</h2>
 * A {@link StoreBatch#commit()} is one RocksDB {@code WriteBatch}: one WAL record, applied to the memtables of every
 * column family it touches only after it is in the WAL. Before {@code commit()} returns, the record has been
 * handed to the operating system ({@code write(2)}), so it survives the death of the process (kill -9, OOM kill,
 * JVM crash) whether or not it was fsynced. On the next open RocksDB replays the WAL and stops at the first
 * incomplete or corrupt record (point-in-time recovery), so the store comes back as exactly the batches committed
 * before the crash, each all-or-nothing: the hook metadata written in a batch and the data written beside it
 * can never disagree. A memtable flush never breaks this: with several column families RocksDB syncs the older
 * WAL files before a flush is recorded, so a recovered prefix never has one column family ahead of another.
 *
 * <p>Without {@link StoreBatch#sync(boolean) sync}, a machine crash or power loss can lose the last batches (the
 * WAL tail still in the page cache); what remains is still a consistent prefix. The Raft log is the durable
 * record: the hook stores {@code lastAppliedIndex} in the same batch, and after restart skips replayed entries at
 * or below it and re-applies the rest, re-deriving the same seqs. The one rule this needs: before telling Ratis
 * that the state up to some index is durable (a snapshot index, which lets Ratis purge its log), call
 * {@link #sync()} or commit with {@code sync(true)}.
 *
 * <h2>Ownership of native handles</h2>
 * The store owns every native object it creates: {@link DBOptions}, one {@link ColumnFamilyOptions} shared by all
 * column families, the {@link ColumnFamilyHandle}s, two {@link WriteOptions} and the {@link RocksDB}. {@link #close()}
 * first closes the cursors still open, syncs the WAL, then releases handles, the database and finally the options,
 * in that order (options must outlive the database). Per-call objects ({@code WriteBatch}, iterators,
 * {@code ReadOptions}, slices) are closed by the call that made them, except cursors, which the caller closes.
 *
 * <h2>Threading</h2>
 * Thread-safe: RocksDB is, and a read-write lock keeps {@link #close()} from freeing native memory under a call in
 * flight (calls take the read side, so they run concurrently; after close they throw
 * {@link IllegalStateException}). Batches commit atomically but are not serialized against each other: when two
 * threads write the same keys, the later commit wins. {@link StoreBatch} and {@link StoreCursor} objects are
 * single-threaded. Do not call {@code close()} from inside a cursor loop on the same thread.
 */
public final class MirrorStore implements AutoCloseable {
    /** Opens of a live store's directory read-only until one sees a consistent set of files. */
    private static final int READ_ONLY_OPEN_ATTEMPTS = 5;


    /** The on-disk format version this build writes; it refuses to open stores with a higher one. */
    public static final int FORMAT_VERSION = 1;

    static {
        RocksDB.loadLibrary();
    }

    private final Path directory;
    private final boolean readOnly;
    private final StoreOptions options;
    private final DBOptions dbOptions;
    private final ColumnFamilyOptions cfOptions;
    private final WriteOptions asyncWrite;
    private final WriteOptions syncWrite;
    private final RocksDB db;
    private final List<ColumnFamilyHandle> allHandles;
    private final Map<ColumnFamily, ColumnFamilyHandle> handles;
    private final ReentrantReadWriteLock lifecycle = new ReentrantReadWriteLock();
    private final Set<RocksCursor<?>> openCursors = ConcurrentHashMap.newKeySet();
    private final EntryLog outbox;
    private final EntryLog entries;
    private final EntryLog pending;
    private final StateStore kv;
    private volatile boolean closed;
    private int formatVersion;

    private MirrorStore(Path directory, boolean readOnly, StoreOptions options, DBOptions dbOptions,
                        ColumnFamilyOptions cfOptions, RocksDB db, List<ColumnFamilyHandle> allHandles) {
        this.directory = directory;
        this.readOnly = readOnly;
        this.options = options;
        this.dbOptions = dbOptions;
        this.cfOptions = cfOptions;
        this.db = db;
        this.allHandles = List.copyOf(allHandles);
        this.handles = new EnumMap<>(ColumnFamily.class);
        for (ColumnFamily cf : ColumnFamily.values()) {
            handles.put(cf, allHandles.get(cf.ordinal() + 1)); // index 0 is "default"
        }
        this.asyncWrite = new WriteOptions().setDisableWAL(options.rederivable());
        this.syncWrite = new WriteOptions().setSync(true);
        this.outbox = new EntryLog(this, ColumnFamily.OUTBOX);
        this.entries = new EntryLog(this, ColumnFamily.ENTRIES);
        this.pending = new EntryLog(this, ColumnFamily.PENDING);
        this.kv = new StateStore(this);
    }

    /** Opens the store at {@code directory} with {@link StoreOptions#defaults()}, creating it if missing. */
    public static MirrorStore open(Path directory) {
        return open(directory, StoreOptions.defaults());
    }

    /**
     * Opens the store at {@code directory}, creating it (and the directory) if missing and allowed.
     *
     * @throws StorageException if the directory holds a store of a newer or unknown format version, a RocksDB
     *                          database that is not a Picsou store, or cannot be opened (e.g. locked by another
     *                          process)
     */
    public static MirrorStore open(Path directory, StoreOptions options) {
        return openInternal(directory, Objects.requireNonNull(options, "options"), false);
    }

    /**
     * Opens an existing store read-only (for inspection and checkpoint validation): any number of read-only opens
     * may run beside one read-write open. Write calls throw {@link IllegalStateException}.
     */
    public static MirrorStore openReadOnly(Path directory) {
        for (int attempt = 1; ; attempt++) {
            try {
                return openInternal(directory, StoreOptions.defaults().withCreateIfMissing(false), true);
            } catch (StorageException e) {
                if (attempt >= READ_ONLY_OPEN_ATTEMPTS || !removedUnderneath(e)) {
                    throw e;
                }
                // A live writer's flush or compaction deleted a file between our reads of the MANIFEST and of the
                // file: the next attempt reads the newer MANIFEST. Once open, every table file is held open.
            }
        }
    }

    /** Whether a failed open named a table file that no longer exists (see {@link #openReadOnly}). */
    private static boolean removedUnderneath(StorageException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof RocksDBException && String.valueOf(t.getMessage()).contains("No such file or directory")) {
                return true;
            }
        }
        return false;
    }

    private static MirrorStore openInternal(Path dir, StoreOptions options, boolean readOnly) {
        Path path = dir.toAbsolutePath().normalize();
        String operation = readOnly ? "open read-only" : "open";
        if (Files.isRegularFile(path.resolve("CURRENT"))) {
            checkColumnFamilies(path, operation, readOnly);
        } else if (readOnly || !options.createIfMissing()) {
            throw new StorageException(operation, "no store at " + path);
        } else {
            try {
                Files.createDirectories(path);
            } catch (IOException e) {
                throw new StorageException(operation, "cannot create directory " + path + ": " + e, e);
            }
        }
        DBOptions dbOptions = new DBOptions()
                .setCreateIfMissing(!readOnly)
                .setCreateMissingColumnFamilies(!readOnly)
                .setWalRecoveryMode(WALRecoveryMode.PointInTimeRecovery)
                .setKeepLogFileNum(5)
                .setAtomicFlush(options.rederivable() && !readOnly);
        ColumnFamilyOptions cfOptions = new ColumnFamilyOptions();
        if (options.writeBufferBytes() > 0) {
            cfOptions.setWriteBufferSize(options.writeBufferBytes());
        }
        List<ColumnFamilyDescriptor> descriptors = new ArrayList<>();
        descriptors.add(new ColumnFamilyDescriptor(RocksDB.DEFAULT_COLUMN_FAMILY, cfOptions));
        for (ColumnFamily cf : ColumnFamily.values()) {
            descriptors.add(new ColumnFamilyDescriptor(cf.idBytes(), cfOptions));
        }
        List<ColumnFamilyHandle> handles = new ArrayList<>();
        RocksDB db = null;
        try {
            db = readOnly
                    ? RocksDB.openReadOnly(dbOptions, path.toString(), descriptors, handles)
                    : RocksDB.open(dbOptions, path.toString(), descriptors, handles);
        } catch (RocksDBException e) {
            handles.forEach(ColumnFamilyHandle::close);
            cfOptions.close();
            dbOptions.close();
            throw wrap(operation + " " + path, null, e);
        }
        MirrorStore store = new MirrorStore(path, readOnly, options, dbOptions, cfOptions, db, handles);
        try {
            store.checkFormatVersion();
            return store;
        } catch (RuntimeException e) {
            try {
                store.close();
            } catch (RuntimeException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }

    /**
     * Refuses column families this build does not know. Ours may be missing only from a store whose creation was
     * cut short (no format version yet): the open then creates them. A read-only open needs all of them.
     */
    private static void checkColumnFamilies(Path path, String operation, boolean readOnly) {
        List<byte[]> names;
        try (Options listOptions = new Options()) {
            names = RocksDB.listColumnFamilies(listOptions, path.toString());
        } catch (RocksDBException e) {
            throw wrap(operation + ": list column families of " + path, null, e);
        }
        Set<String> unknown = new TreeSet<>();
        Set<String> missing = new TreeSet<>();
        for (ColumnFamily cf : ColumnFamily.values()) {
            missing.add(cf.id());
        }
        for (byte[] raw : names) {
            String name = new String(raw, StandardCharsets.UTF_8);
            if (ColumnFamily.byId(name) != null) {
                missing.remove(name);
            } else if (!ColumnFamily.DEFAULT_NAME.equals(name)) {
                unknown.add(name);
            }
        }
        if (!unknown.isEmpty()) {
            throw new StorageException(operation, "store at " + path + " has column families " + unknown
                    + " that this build (format version " + FORMAT_VERSION + ") does not know: it was written by a"
                    + " newer Picsou Mirror, or it is not a Picsou store");
        }
        if (missing.isEmpty()) {
            return;
        }
        if (readOnly) {
            throw new StorageException(operation, "store at " + path + " lacks column families " + missing
                    + ": not a Picsou store, or a damaged one");
        }
        if (hasFormatVersion(path, names, operation)) {
            throw new StorageException(operation, "store at " + path + " lacks column families " + missing
                    + " although it was initialized: it is damaged");
        }
    }

    /** Whether the store at {@code path}, whose column families are {@code names}, holds a format version. */
    private static boolean hasFormatVersion(Path path, List<byte[]> names, String operation) {
        int meta = -1;
        for (int i = 0; i < names.size(); i++) {
            if (ColumnFamily.META.id().equals(new String(names.get(i), StandardCharsets.UTF_8))) {
                meta = i;
            }
        }
        if (meta < 0) {
            return false;
        }
        List<ColumnFamilyHandle> handles = new ArrayList<>();
        try (ColumnFamilyOptions cfOptions = new ColumnFamilyOptions(); DBOptions dbOptions = new DBOptions()) {
            List<ColumnFamilyDescriptor> descriptors = new ArrayList<>();
            names.forEach(name -> descriptors.add(new ColumnFamilyDescriptor(name, cfOptions)));
            try (RocksDB probe = RocksDB.openReadOnly(dbOptions, path.toString(), descriptors, handles)) {
                return probe.get(handles.get(meta), Keys.FORMAT_VERSION) != null;
            } finally {
                handles.forEach(ColumnFamilyHandle::close);
            }
        } catch (RocksDBException e) {
            throw wrap(operation + ": probe format version of " + path, ColumnFamily.META, e);
        }
    }

    /** Checks the format version, or writes it into a store that is still empty. */
    private void checkFormatVersion() {
        byte[] raw = get(ColumnFamily.META, Keys.FORMAT_VERSION, "read format version");
        if (raw == null) {
            if (!everyColumnFamilyEmpty()) {
                throw new StorageException("open", ColumnFamily.META.id(), "store at " + directory
                        + " holds data but no format version: not a Picsou store", null);
            }
            if (readOnly) {
                throw new StorageException("open read-only", ColumnFamily.META.id(), "store at " + directory
                        + " was never initialized (no format version)", null);
            }
            byte[] version = ByteBuffer.allocate(Integer.BYTES).putInt(FORMAT_VERSION).array();
            try {
                db.put(handles.get(ColumnFamily.META), writeOptions(true), Keys.FORMAT_VERSION, version);
                if (options.rederivable()) {
                    flushMemtables();
                }
            } catch (RocksDBException e) {
                throw wrap("write format version", ColumnFamily.META, e);
            }
            formatVersion = FORMAT_VERSION;
            return;
        }
        if (raw.length != Integer.BYTES) {
            throw new StorageException("open", ColumnFamily.META.id(), "format version at "
                    + Keys.describe(ColumnFamily.META, Keys.FORMAT_VERSION) + " is " + raw.length
                    + " bytes, expected 4", null);
        }
        int version = ByteBuffer.wrap(raw).getInt();
        if (version > FORMAT_VERSION) {
            throw new StorageException("open", ColumnFamily.META.id(), "store at " + directory
                    + " has format version " + version + ", newer than the newest this build reads ("
                    + FORMAT_VERSION + "): open it with the Picsou Mirror release that wrote it or a later one",
                    null);
        }
        if (version < 1) {
            throw new StorageException("open", ColumnFamily.META.id(), "store at " + directory
                    + " has unknown format version " + version, null);
        }
        formatVersion = version;
    }

    private boolean everyColumnFamilyEmpty() {
        for (ColumnFamilyHandle h : allHandles) {
            try (RocksIterator it = db.newIterator(h)) {
                it.seekToFirst();
                if (it.isValid()) {
                    return false;
                }
            }
        }
        return true;
    }

    /** The absolute directory of the store. */
    public Path directory() {
        return directory;
    }

    /** True when opened with {@link #openReadOnly(Path)}. */
    public boolean isReadOnly() {
        return readOnly;
    }

    /** The format version of the store on disk (at most {@link #FORMAT_VERSION}). */
    public int formatVersion() {
        return formatVersion;
    }

    /** The options this store was opened with. */
    public StoreOptions options() {
        return options;
    }

    /** The hook metadata last committed, or {@link HookMetadata#initial()} if none was ever written. */
    public HookMetadata metadata() {
        byte[] raw = get(ColumnFamily.META, Keys.HOOK_METADATA, "read hook metadata");
        return raw == null ? HookMetadata.initial() : decodeMetadata(raw, "read hook metadata");
    }

    /** Primary: entries not yet QUACKed, by seq. */
    public EntryLog outbox() {
        return outbox;
    }

    /** Mirror: the applied entry log, by seq. */
    public EntryLog entries() {
        return entries;
    }

    /** Mirror: committed entries held until the seqs before them arrive, by seq. */
    public EntryLog pending() {
        return pending;
    }

    /** The materialized KV state. */
    public StateStore kv() {
        return kv;
    }

    /** A new empty batch; nothing is written until {@link StoreBatch#commit()}. */
    public StoreBatch newBatch() {
        requireWritable("new batch");
        return new StoreBatch(this, options.syncWrites());
    }

    /**
     * Makes every batch committed before this call survive a machine crash once it returns: fsyncs the WAL, or, for
     * a {@link StoreOptions#rederivable() rederivable} store, flushes the memtables of every column family as one
     * atomic flush. A no-op on a read-only store.
     */
    public void sync() {
        if (readOnly) {
            return;
        }
        lockForCall();
        try {
            if (options.rederivable()) {
                flushMemtables();
            } else {
                db.syncWal();
            }
        } catch (RocksDBException e) {
            throw wrap(options.rederivable() ? "flush memtables" : "sync WAL", null, e);
        } finally {
            unlockCall();
        }
    }

    /**
     * Writes a RocksDB checkpoint (hard links to the SST files, copies of the rest, a consistent point across all
     * column families) into {@code target}, which must not exist. This is raw: use
     * {@code dev.picsou.mirror.storage.snapshot.CheckpointWriter} for a snapshot with a validated manifest.
     */
    public void createCheckpoint(Path target) {
        Path path = target.toAbsolutePath().normalize();
        if (Files.exists(path)) {
            throw new StorageException("create checkpoint", "target " + path + " already exists");
        }
        lockForCall();
        try (Checkpoint checkpoint = Checkpoint.create(db)) {
            checkpoint.createCheckpoint(path.toString());
        } catch (RocksDBException e) {
            throw wrap("create checkpoint at " + path, null, e);
        } finally {
            unlockCall();
        }
    }

    /**
     * Closes open cursors, syncs the WAL (read-write stores; a rederivable store flushes its memtables instead) and
     * releases every native handle. Idempotent. Memtables of a store with a WAL are not flushed: the WAL holds their
     * content and the next open replays it.
     *
     * @throws StorageException if the final WAL sync or the close failed; the handles are released regardless
     */
    @Override
    public void close() {
        lifecycle.writeLock().lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            for (RocksCursor<?> cursor : openCursors) {
                cursor.release();
            }
            openCursors.clear();
            StorageException failure = null;
            if (!readOnly) {
                try {
                    if (options.rederivable()) {
                        flushMemtables();
                    } else {
                        db.syncWal();
                    }
                } catch (RocksDBException e) {
                    failure = wrap(options.rederivable() ? "flush memtables on close" : "sync WAL on close", null, e);
                }
            }
            allHandles.forEach(ColumnFamilyHandle::close);
            try {
                db.closeE();
            } catch (RocksDBException e) {
                if (failure == null) {
                    failure = wrap("close " + directory, null, e);
                }
            }
            asyncWrite.close();
            syncWrite.close();
            cfOptions.close();
            dbOptions.close();
            if (failure != null) {
                throw failure;
            }
        } finally {
            lifecycle.writeLock().unlock();
        }
    }

    @Override
    public String toString() {
        return "MirrorStore[" + directory + (readOnly ? ", read-only" : "") + (closed ? ", closed" : "") + "]";
    }

    // ---- package-private plumbing for the views, batches and cursors ----

    /** Takes the read side of the lifecycle lock and checks the store is open; pair with {@link #unlockCall()}. */
    void lockForCall() {
        lifecycle.readLock().lock();
        if (closed) {
            lifecycle.readLock().unlock();
            throw new IllegalStateException(this + " is closed");
        }
    }

    void unlockCall() {
        lifecycle.readLock().unlock();
    }

    void requireWritable(String operation) {
        if (readOnly) {
            throw new IllegalStateException(operation + ": " + this + " is read-only");
        }
    }

    ColumnFamilyHandle handle(ColumnFamily cf) {
        return handles.get(cf);
    }

    byte[] get(ColumnFamily cf, byte[] key, String operation) {
        lockForCall();
        try {
            return db.get(handles.get(cf), key);
        } catch (RocksDBException e) {
            throw wrap(operation, cf, e);
        } finally {
            unlockCall();
        }
    }

    /** The first or last key of {@code cf}, or {@code null} when it is empty. */
    byte[] edgeKey(ColumnFamily cf, boolean first, String operation) {
        lockForCall();
        try (RocksIterator it = db.newIterator(handles.get(cf))) {
            if (first) {
                it.seekToFirst();
            } else {
                it.seekToLast();
            }
            if (it.isValid()) {
                return it.key();
            }
            it.status();
            return null;
        } catch (RocksDBException e) {
            throw wrap(operation, cf, e);
        } finally {
            unlockCall();
        }
    }

    /** The number of keys of {@code cf}, by iteration: O(n). */
    long countKeys(ColumnFamily cf, String operation) {
        lockForCall();
        try (RocksIterator it = db.newIterator(handles.get(cf))) {
            long n = 0;
            for (it.seekToFirst(); it.isValid(); it.next()) {
                n++;
            }
            it.status();
            return n;
        } catch (RocksDBException e) {
            throw wrap(operation, cf, e);
        } finally {
            unlockCall();
        }
    }

    /** Opens a cursor over {@code [lowerInclusive, upperExclusive)}; a {@code null} upper bound means no bound. */
    <T> StoreCursor<T> openCursor(ColumnFamily cf, byte[] lowerInclusive, byte[] upperExclusive,
                                  RocksCursor.Decoder<T> decoder) {
        lockForCall();
        try {
            RocksCursor<T> cursor = new RocksCursor<>(this, cf, db, handles.get(cf), lowerInclusive, upperExclusive,
                    decoder);
            openCursors.add(cursor);
            return cursor;
        } finally {
            unlockCall();
        }
    }

    void forgetCursor(RocksCursor<?> cursor) {
        openCursors.remove(cursor);
    }

    /** A commit's write options: a rederivable store writes no WAL, so its sync is a flush after the write. */
    private WriteOptions writeOptions(boolean sync) {
        return sync && !options.rederivable() ? syncWrite : asyncWrite;
    }

    /** One atomic flush of every column family's memtable, waiting for it (a rederivable store's only sync). */
    private void flushMemtables() throws RocksDBException {
        try (FlushOptions flush = new FlushOptions().setWaitForFlush(true)) {
            db.flush(flush, allHandles);
        }
    }

    /** Applies {@code ops} as one WriteBatch. */
    void write(List<StoreBatch.Op> ops, boolean sync, String columnFamilies) {
        requireWritable("commit batch");
        lockForCall();
        try (WriteBatch batch = new WriteBatch()) {
            for (StoreBatch.Op op : ops) {
                op.applyTo(batch, this);
            }
            db.write(writeOptions(sync), batch);
            if (sync && options.rederivable()) {
                flushMemtables();
            }
        } catch (RocksDBException e) {
            throw new StorageException("commit batch of " + ops.size() + " operations", columnFamilies,
                    rocksDetail(e), e);
        } finally {
            unlockCall();
        }
    }

    /** Digest of {@code kv} and the metadata, both read from one RocksDB snapshot. */
    StateDigest digest() {
        lockForCall();
        Snapshot snapshot = db.getSnapshot();
        try (ReadOptions read = new ReadOptions().setSnapshot(snapshot);
             RocksIterator it = db.newIterator(handles.get(ColumnFamily.KV), read)) {
            byte[] rawMetadata = db.get(handles.get(ColumnFamily.META), read, Keys.HOOK_METADATA);
            HookMetadata metadata = rawMetadata == null
                    ? HookMetadata.initial() : decodeMetadata(rawMetadata, "digest");
            StateDigest.Accumulator acc = new StateDigest.Accumulator();
            for (it.seekToFirst(); it.isValid(); it.next()) {
                acc.update(it.key(), it.value());
            }
            it.status();
            long pairs = acc.pairCount();
            return new StateDigest(metadata, pairs, acc.finish());
        } catch (RocksDBException e) {
            throw wrap("digest", ColumnFamily.KV, e);
        } finally {
            db.releaseSnapshot(snapshot);
            unlockCall();
        }
    }

    StoredEntry decodeEntry(ColumnFamily cf, byte[] key, byte[] value, String operation) {
        StoredEntry entry;
        try {
            entry = StoredEntry.decode(value);
        } catch (StorageException e) {
            throw new StorageException(operation, cf.id(), "corrupt value at " + Keys.describe(cf, key) + ": "
                    + e.detail(), e);
        }
        if (key.length != Keys.SEQ_KEY_BYTES || Keys.seqOf(key) != entry.seq()) {
            throw new StorageException(operation, cf.id(), "value at " + Keys.describe(cf, key)
                    + " holds seq " + entry.seq(), null);
        }
        return entry;
    }

    private HookMetadata decodeMetadata(byte[] raw, String operation) {
        try {
            return HookMetadata.decode(raw);
        } catch (StorageException e) {
            throw new StorageException(operation, ColumnFamily.META.id(), "corrupt value at "
                    + Keys.describe(ColumnFamily.META, Keys.HOOK_METADATA) + ": " + e.detail(), e);
        }
    }

    static StorageException wrap(String operation, ColumnFamily cf, RocksDBException e) {
        return new StorageException(operation, cf == null ? null : cf.id(), rocksDetail(e), e);
    }

    private static String rocksDetail(RocksDBException e) {
        String message = e.getMessage();
        if (e.getStatus() != null) {
            return message + " (RocksDB status " + e.getStatus().getCodeString() + ")";
        }
        return message;
    }

    /** Slices for iterator bounds; owned by the caller. */
    static Slice slice(byte[] key) {
        return key == null ? null : new Slice(key);
    }
}
