package dev.picsou.mirror.server.app;

import dev.picsou.mirror.storage.HookMetadata;
import dev.picsou.mirror.storage.KeyValue;
import dev.picsou.mirror.storage.MirrorStore;
import dev.picsou.mirror.storage.StateDigest;
import dev.picsou.mirror.storage.StoreBatch;
import dev.picsou.mirror.storage.StoreCursor;
import dev.picsou.mirror.storage.StoreOptions;
import java.io.File;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;
import org.apache.ratis.io.MD5Hash;
import org.apache.ratis.proto.RaftProtos.LogEntryProto;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftClientRequest;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.exceptions.StateMachineException;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.protocol.TermIndex;
import org.apache.ratis.server.raftlog.RaftLog;
import org.apache.ratis.server.storage.FileInfo;
import org.apache.ratis.server.storage.RaftStorage;
import org.apache.ratis.statemachine.StateMachineStorage;
import org.apache.ratis.statemachine.TransactionContext;
import org.apache.ratis.statemachine.impl.BaseStateMachine;
import org.apache.ratis.statemachine.impl.SimpleStateMachineStorage;
import org.apache.ratis.statemachine.impl.SingleFileSnapshotInfo;
import org.apache.ratis.thirdparty.com.google.protobuf.ByteString;
import org.apache.ratis.thirdparty.com.google.protobuf.UnsafeByteOperations;
import org.apache.ratis.util.LifeCycle;
import org.apache.ratis.util.MD5FileUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The reference application: a replicated key-value store whose state is the {@code kv} column family of its own
 * {@link MirrorStore}, in a directory given to the constructor that must lie OUTSIDE the Ratis storage directory
 * (a chunk-mode snapshot install replaces the whole Ratis {@code sm} directory).
 *
 * <h2>Messages</h2>
 * Writes are {@link KvCommand.Put} and {@link KvCommand.Delete} payloads sent with {@code send}; the leader refuses
 * anything else in {@link #startTransaction} (it never reaches the log). {@link KvCommand.Get} is sent read-only
 * and answered by {@link #query} from this replica's store with {@link KvCommand#encodeGetReply}; a query that is
 * not a GET fails with a {@link StateMachineException} (a final answer, which the client does not retry). A
 * write's reply is the 8-byte big-endian Raft index it was applied at.
 *
 * <h2>Apply</h2>
 * Each committed entry becomes ONE {@link StoreBatch}: {@link KvCommand#applyTo} plus the hook metadata with
 * {@code lastApplied = (term, index)}. A payload that does not decode still commits the metadata (every replica
 * refuses it the same way) and fails its future. A storage failure fails the future and every later apply (this
 * replica stops applying rather than leave a hole); restart the node to recover. Never throws.
 *
 * <h2>Crash story (kill -9, power loss)</h2>
 * The store writes no WAL ({@link #STORE_OPTIONS}): the Raft log is the durable record and the store is its apply.
 * The data of an entry and its {@code lastAppliedIndex} are in one batch and the column families flush atomically,
 * so after any crash, kill -9 included, the store is its last flush: exactly the state after some index {@code L}.
 * On restart Ratis re-applies every entry after its latest snapshot index {@code S}: entries with index
 * {@code <= L} are skipped (their effect is in the store; {@code lastApplied} still advances), later ones are
 * applied. {@link #takeSnapshot} flushes the store before it reports {@code S}, the one point where Ratis is
 * allowed to forget entries, so {@code L >= S} unless the snapshot was installed from the leader; then
 * ({@code S > L}) the store is rebuilt from the snapshot file first. Until the replay has passed {@code L} the store
 * is ahead of {@link #getLastAppliedTermIndex()} ({@link #isReplaying()}); a reader that opens the directory from the
 * side must wait for the replay and close (or snapshot) the state machine first.
 *
 * <h2>Snapshots</h2>
 * One file {@code snapshot.<term>_<index>} (and its {@code .md5}) in this state machine's
 * {@link SimpleStateMachineStorage}, in the format of {@link KvSnapshotFile}, at the Raft applied index (which may
 * be a configuration or metadata entry after the last KV entry). A follower that receives it from the leader
 * (chunk mode) is rebuilt from it in {@link #reinitialize()}: the {@code kv} column family is replaced and the
 * metadata set to the snapshot's term and index, in one batch.
 *
 * <h2>Threading</h2>
 * {@link #applyTransaction}, {@link #notifyTermIndexUpdated}, {@link #takeSnapshot} and {@link #reinitialize} run
 * on the Ratis state-machine updater thread, one at a time (a decorator must keep it so). {@link #query},
 * {@link #digest()} and {@link #store()} may be called from any thread.
 */
public class KvStateMachine extends BaseStateMachine {

    private static final Logger LOG = LoggerFactory.getLogger(KvStateMachine.class);
    /**
     * Rederivable (no WAL, atomic flushes): every write is the apply of a committed Raft entry, so the apply path
     * writes each entry once, to a memtable, not a second time to a WAL. What the WAL cost: its copies into fresh
     * page-cache pages were the largest part of a saturated bench primary's apply where fresh pages were dear, and
     * without it a bench primary alone took a quarter less CPU per entry at 200 entries/s (docs/performance.md).
     * 32 MiB memtables (RocksDB's default is 64): a memtable's memory is touched for the first time unless an
     * earlier memtable's freed memory is reused, and at 32 MiB that happens within a bench scenario. The price: a
     * flush drops fewer overwritten values (for the bench's load, about a third of a memtable's entries instead of
     * half). A kill -9 leaves at most 32 MiB per column family to replay.
     */
    public static final StoreOptions STORE_OPTIONS = StoreOptions.defaults().withRederivable(true)
            .withWriteBufferBytes(32L << 20);
    private static final Pattern TMP_SNAPSHOT = Pattern.compile("snapshot\\.\\d+_\\d+"
            + Pattern.quote(KvSnapshotFile.TMP_SUFFIX));

    private final Path storeDirectory;
    private final StoreOptions storeOptions;
    private final KvSnapshotStorage snapshots = new KvSnapshotStorage();
    private final AtomicLong appliedEntries = new AtomicLong();
    private final AtomicLong skippedEntries = new AtomicLong();
    private final AtomicLong snapshotsTaken = new AtomicLong();
    private final AtomicLong snapshotsLoaded = new AtomicLong();
    private volatile MirrorStore store;
    private volatile File stateMachineDir;
    /** The metadata last committed; written only on the updater thread. */
    private volatile HookMetadata metadata = HookMetadata.initial();
    /** Set by the first storage failure: every later apply fails with it. */
    private volatile RuntimeException failure;

    /** A state machine whose store lives in {@code storeDirectory}, opened with {@link #STORE_OPTIONS}. */
    public KvStateMachine(Path storeDirectory) {
        this(storeDirectory, STORE_OPTIONS);
    }

    public KvStateMachine(Path storeDirectory, StoreOptions storeOptions) {
        this.storeDirectory = Objects.requireNonNull(storeDirectory, "storeDirectory");
        this.storeOptions = Objects.requireNonNull(storeOptions, "storeOptions");
    }

    @Override
    public void initialize(RaftServer raftServer, RaftGroupId raftGroupId, RaftStorage raftStorage)
            throws IOException {
        super.initialize(raftServer, raftGroupId, raftStorage);
        snapshots.init(raftStorage);
        stateMachineDir = raftStorage.getStorageDir().getStateMachineDir();
        getLifeCycle().transition(LifeCycle.State.STARTING);
        try {
            store = MirrorStore.open(storeDirectory, storeOptions);
            recover("initialize");
            getLifeCycle().transition(LifeCycle.State.RUNNING);
        } catch (IOException | RuntimeException e) {
            getLifeCycle().transition(LifeCycle.State.EXCEPTION);
            closeStoreQuietly();
            throw e;
        }
    }

    /** Ratis pauses the state machine before it installs a snapshot from the leader. */
    @Override
    public void pause() {
        if (getLifeCycle().compareAndTransition(LifeCycle.State.RUNNING, LifeCycle.State.PAUSING)) {
            getLifeCycle().transition(LifeCycle.State.PAUSED);
        }
    }

    /**
     * Called by Ratis after an installed snapshot replaced the {@code sm} directory: rebuilds the store from the
     * latest snapshot when it is ahead of the store, and moves {@code lastApplied} to the snapshot.
     */
    @Override
    public void reinitialize() throws IOException {
        if (getLifeCycle().getCurrentState() == LifeCycle.State.PAUSED) {
            getLifeCycle().transition(LifeCycle.State.STARTING);
        }
        recover("reinitialize");
        getLifeCycle().transitionIfValid(LifeCycle.State.RUNNING);
    }

    @Override
    public StateMachineStorage getStateMachineStorage() {
        return snapshots;
    }

    @Override
    public TransactionContext startTransaction(RaftClientRequest request) throws IOException {
        TransactionContext trx = super.startTransaction(request);
        try {
            KvCommand command = KvCommand.decode(request.getMessage().getContent().toByteArray());
            if (command instanceof KvCommand.Get) {
                trx.setException(new IllegalArgumentException(command + " is a query: send it read-only"));
            }
        } catch (IllegalArgumentException e) {
            trx.setException(e);
        }
        return trx;
    }

    @Override
    public CompletableFuture<Message> applyTransaction(TransactionContext trx) {
        try {
            LogEntryProto entry = trx.getLogEntry();
            long term = entry.getTerm();
            long index = entry.getIndex();
            RuntimeException broken = failure;
            if (broken != null) {
                return CompletableFuture.failedFuture(new IllegalStateException(
                        "not applying index " + index + ": an earlier apply failed on this replica", broken));
            }
            if (index <= metadata.lastAppliedIndex()) {
                skippedEntries.incrementAndGet();
                updateLastAppliedTermIndex(term, index);
                return CompletableFuture.completedFuture(indexReply(index));
            }
            byte[] payload = entry.getStateMachineLogEntry().getLogData().toByteArray();
            MirrorStore s = requireStore();
            StoreBatch batch = s.newBatch();
            IllegalArgumentException refused = null;
            try {
                KvCommand.applyTo(payload, batch);
            } catch (IllegalArgumentException e) {
                refused = e;
                batch = s.newBatch();
            }
            HookMetadata next = metadata.withLastApplied(term, index);
            batch.putMetadata(next).commit();
            metadata = next;
            updateLastAppliedTermIndex(term, index);
            appliedEntries.incrementAndGet();
            return refused == null ? CompletableFuture.completedFuture(indexReply(index))
                    : CompletableFuture.failedFuture(refused);
        } catch (RuntimeException e) {
            failure = e;
            LOG.error("{}: apply failed, this replica stops applying until restarted", this, e);
            return CompletableFuture.failedFuture(e);
        }
    }

    @Override
    public CompletableFuture<Message> query(Message request) {
        try {
            KvCommand command = KvCommand.decode(request.getContent().toByteArray());
            if (!(command instanceof KvCommand.Get get)) {
                throw new IllegalArgumentException(command + " is a transaction: send it as a write, not read-only");
            }
            byte[] reply = KvCommand.encodeGetReply(requireStore().kv().get(get.key()));
            return CompletableFuture.completedFuture(Message.valueOf(UnsafeByteOperations.unsafeWrap(reply)));
        } catch (IllegalArgumentException e) {
            // A StateMachineException reaches the client as a failed reply; anything else it would retry.
            return CompletableFuture.failedFuture(new StateMachineException(e.getMessage(), e));
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /**
     * Writes a snapshot at the Raft applied index (see the class javadoc) and returns that index, or the index of
     * the latest snapshot if nothing was applied since, or {@link RaftLog#INVALID_LOG_INDEX} if nothing ever was.
     */
    @Override
    public long takeSnapshot() throws IOException {
        TermIndex last = getLastAppliedTermIndex();
        if (last == null || last.getIndex() < 0) {
            return RaftLog.INVALID_LOG_INDEX;
        }
        SingleFileSnapshotInfo latest = snapshots.getLatestSnapshot();
        if (latest != null && latest.getIndex() >= last.getIndex()) {
            return latest.getIndex();
        }
        RuntimeException broken = failure;
        if (broken != null) {
            throw new IOException("refusing to snapshot: an earlier apply failed on this replica", broken);
        }
        try {
            MirrorStore s = requireStore();
            if (metadata.lastAppliedIndex() < last.getIndex()) {
                // Entries after the last KV entry were configuration/metadata: record them as applied too,
                // so a restart finds the store at the snapshot and does not rebuild from it.
                HookMetadata next = metadata.withLastApplied(last.getTerm(), last.getIndex());
                s.newBatch().putMetadata(next).commit();
                metadata = next;
            }
            s.sync();
            Path file = snapshots.getSnapshotFile(last.getTerm(), last.getIndex()).toPath();
            long pairs = KvSnapshotFile.write(file, last.getTerm(), last.getIndex(), s.kv());
            MD5Hash md5 = MD5FileUtil.computeAndSaveMd5ForFile(file.toFile());
            snapshots.updateLatestSnapshot(new SingleFileSnapshotInfo(new FileInfo(file, md5), last));
            snapshotsTaken.incrementAndGet();
            LOG.debug("{}: snapshot {} with {} pairs", this, file.getFileName(), pairs);
            return last.getIndex();
        } catch (RuntimeException e) {
            throw new IOException("snapshot at " + last + " failed: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() throws IOException {
        getLifeCycle().transitionIfValid(LifeCycle.State.CLOSING);
        try {
            MirrorStore s = store;
            if (s != null) {
                s.close();
            }
        } finally {
            getLifeCycle().transitionIfValid(LifeCycle.State.CLOSED);
        }
    }

    /** The open store (for verification and tests; write only through Ratis). */
    public MirrorStore store() {
        return requireStore();
    }

    /** The digest of this replica's {@code kv} state with the metadata of the same instant. */
    public StateDigest digest() {
        return requireStore().kv().digest();
    }

    /**
     * Whether the store holds entries after {@link #getLastAppliedTermIndex()}: true after a restart while Ratis
     * replays entries the store already held, false once the replay passed them (and in steady state, where the
     * store is exactly the state at the applied index). May read true for an instant during an apply.
     */
    public boolean isReplaying() {
        TermIndex applied = getLastAppliedTermIndex();
        return metadata.lastAppliedIndex() > (applied == null ? RaftLog.INVALID_LOG_INDEX : applied.getIndex());
    }

    /** Where the store lives. */
    public Path storeDirectory() {
        return storeDirectory;
    }

    /** Entries applied into the store since this object was created. */
    public long appliedEntries() {
        return appliedEntries.get();
    }

    /** Replayed entries skipped because the store already held them, since this object was created. */
    public long skippedEntries() {
        return skippedEntries.get();
    }

    /** Snapshots written by {@link #takeSnapshot()} since this object was created. */
    public long snapshotsTaken() {
        return snapshotsTaken.get();
    }

    /** Times the store was rebuilt from a snapshot file (installed from the leader, or ahead after a crash). */
    public long snapshotsLoaded() {
        return snapshotsLoaded.get();
    }

    /**
     * Brings the store up to the latest snapshot if the snapshot is ahead, then points {@code lastApplied} at the
     * snapshot (Ratis replays from the entry after it).
     */
    private void recover(String phase) throws IOException {
        deleteTemporarySnapshots();
        snapshots.invalidate();
        SingleFileSnapshotInfo latest = snapshots.loadLatestSnapshot();
        MirrorStore s = requireStore();
        HookMetadata current = s.metadata();
        if (latest != null && latest.getIndex() > current.lastAppliedIndex()) {
            rebuildFrom(latest, current, s);
            current = s.metadata();
            failure = null;
        }
        metadata = current;
        if (latest != null) {
            setLastAppliedTermIndex(latest.getTermIndex());
        }
        LOG.debug("{}: {} done, store at index {}, latest snapshot {}", this, phase, current.lastAppliedIndex(),
                latest);
    }

    private void rebuildFrom(SingleFileSnapshotInfo snapshot, HookMetadata current, MirrorStore s)
            throws IOException {
        Path file = snapshot.getFile().getPath();
        StoreBatch batch = s.newBatch();
        try (StoreCursor<KeyValue> cursor = s.kv().cursor()) {
            while (cursor.hasNext()) {
                batch.deleteKv(cursor.next().key());
            }
        }
        KvSnapshotFile.Header header = KvSnapshotFile.load(file, batch);
        if (header.term() != snapshot.getTerm() || header.index() != snapshot.getIndex()) {
            throw new IOException("snapshot file " + file + " says term " + header.term() + ", index "
                    + header.index() + " but is named for " + snapshot.getTermIndex());
        }
        batch.putMetadata(current.withLastApplied(header.term(), header.index())).sync(true).commit();
        snapshotsLoaded.incrementAndGet();
        LOG.info("{}: rebuilt the store from {} ({} pairs), it was at index {}", this, file.getFileName(),
                header.pairCount(), current.lastAppliedIndex());
    }

    private void deleteTemporarySnapshots() throws IOException {
        File dir = stateMachineDir;
        if (dir == null || !dir.isDirectory()) {
            return;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir.toPath())) {
            for (Path f : files) {
                if (TMP_SNAPSHOT.matcher(f.getFileName().toString()).matches()) {
                    Files.deleteIfExists(f);
                }
            }
        }
    }

    private MirrorStore requireStore() {
        MirrorStore s = store;
        if (s == null) {
            throw new IllegalStateException(this + " is not initialized: its store is not open");
        }
        return s;
    }

    private void closeStoreQuietly() {
        MirrorStore s = store;
        if (s != null) {
            try {
                s.close();
            } catch (RuntimeException e) {
                LOG.warn("{}: closing the store after a failed start", this, e);
            }
        }
    }

    private static Message indexReply(long index) {
        return Message.valueOf(ByteString.copyFrom(ByteBuffer.allocate(Long.BYTES).putLong(0, index)));
    }
}
