package dev.picsou.mirror.bridge.hook;

import com.codahale.metrics.MetricRegistry;
import dev.picsou.mirror.storage.HookMetadata;
import dev.picsou.mirror.storage.MirrorStore;
import dev.picsou.mirror.storage.StateDigest;
import dev.picsou.mirror.storage.StorageException;
import dev.picsou.mirror.storage.StoreOptions;
import dev.picsou.mirror.storage.StoreBatch;
import dev.picsou.mirror.storage.StoreCursor;
import dev.picsou.mirror.storage.StoredEntry;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;

import org.apache.ratis.proto.RaftProtos.LogEntryProto;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.protocol.TermIndex;
import org.apache.ratis.server.raftlog.RaftLog;
import org.apache.ratis.server.storage.RaftStorage;
import org.apache.ratis.statemachine.SnapshotInfo;
import org.apache.ratis.statemachine.SnapshotRetentionPolicy;
import org.apache.ratis.statemachine.StateMachineStorage;
import org.apache.ratis.statemachine.TransactionContext;
import org.apache.ratis.statemachine.impl.BaseStateMachine;
import org.apache.ratis.statemachine.impl.FileListSnapshotInfo;
import org.apache.ratis.thirdparty.com.google.protobuf.ByteString;
import org.apache.ratis.util.LifeCycle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The mirror-side state machine (DESIGN.md §3, step 4): its Raft log entries are ingest batches of primary entries
 * ({@link IngestBatchCodec}) proposed by whichever mirror replica received them; it applies the primary's entries
 * exactly once and in {@code seq} order to the materialized state, through a {@link PayloadApplier}.
 *
 * <h2>applyTransaction</h2>
 * On Ratis' apply thread, per batch: replays after a restart (index at or below the store's
 * {@code lastAppliedIndex}) are skipped. Otherwise, for each entry: a bad checksum is dropped; {@code seq <= durable}
 * or already pending is a duplicate (two replicas may propose the same entry, and the retry cache cannot see that);
 * {@code seq == durable + 1} is applied (payload applier, then {@code putEntry}) and pending entries that now follow
 * are drained in seq order; a later seq goes to the pending set. All of it, with the metadata ({@code durableSeq},
 * last applied term/index), is ONE batch to a store without a WAL ({@link #STORE_OPTIONS}): the mirror's Raft log is
 * the durable record and a lost tail is re-applied on restart. After the commit the {@link MirrorApplyListener} hears
 * every seq of the batch and the new durable prefix. Nothing is thrown: failures complete the future exceptionally,
 * and a failed store write stops this replica from applying (broken) until a restart re-applies from the store's last
 * index.
 *
 * <h2>Snapshots</h2>
 * A snapshot is a RocksDB checkpoint of the whole mirror store (KV state, entry log, pending set, metadata) in
 * {@code <sm>/picsou-mirror.<term>_<index>}, listed file by file in the {@link SnapshotInfo}, so chunk-mode installs
 * ship it. {@link #reinitialize()} after an install (and {@link #initialize} at startup) restores the live store,
 * which lives outside the {@code sm} directory, when the checkpoint's store applied a later index.
 *
 * <h2>Queries</h2>
 * {@link MirrorQueries}: GET of the materialized KV state, STATUS (durable seq, last applied), DIGEST.
 */
public class MirrorStateMachine extends BaseStateMachine {
    private static final Logger LOG = LoggerFactory.getLogger(MirrorStateMachine.class);
    static final String CHECKPOINT_PREFIX = "picsou-mirror";
    /**
     * Rederivable (no WAL, atomic flushes): every write here is the apply of a committed entry of the mirror's Raft
     * log, which is the durable record, so the apply path writes each entry once, to a memtable, not twice. Crash
     * story (kill -9 included): the store is its last flush, a consistent prefix of the applied batches, never below
     * the latest snapshot (the snapshot's checkpoint flushed it there, and a store found older than the checkpoint is
     * replaced by it at startup); Ratis replays its log from that snapshot and the batches at or below the store's
     * {@code lastAppliedIndex} are skipped, the rest applied again. What the WAL cost: its copies into fresh
     * page-cache pages took 22% of a saturated bench mirror's CPU where fresh pages were dear (docs/performance.md).
     * A reader that opens the directory from the side must {@link #flushStore} first.
     */
    static final StoreOptions STORE_OPTIONS = StoreOptions.defaults().withRederivable(true);
    private static final int CHECKPOINTS_KEPT = 3;

    private final String siteId;
    private final Path storeDir;
    private final long epoch;
    private final PayloadApplier applier;
    private final MirrorApplyListener listener;
    private final MirrorStateMachineMetrics metrics;
    private final CheckpointStorage storage = new CheckpointStorage();

    private volatile MirrorStore store;
    private volatile String brokenReason;
    private volatile long durableSeq;
    private volatile long pendingCount;
    private volatile long sealedSeq = HookMetadata.NOT_SEALED;
    // Apply thread (and initialize/reinitialize, which Ratis runs while nothing is applied).
    private HookMetadata meta;
    private final TreeMap<Long, StoredEntry> pending = new TreeMap<>();

    /**
     * A mirror state machine on its own, without a link (e.g. a site restored from a snapshot that has no stream
     * yet); {@link MirrorHook} builds one wired to its {@link MirrorLink}.
     *
     * @param siteId   this mirror site's id (recorded in snapshot manifests)
     * @param storeDir the mirror store directory, outside the Ratis storage directory
     * @param epoch    epoch of the stream this site receives
     * @param applier  applies one primary payload to the materialized state
     * @param listener hears applied batches, or {@link MirrorApplyListener#NONE}
     * @param metrics  registry for {@link MirrorStateMachineMetrics} (one registry per node)
     */
    public MirrorStateMachine(String siteId, Path storeDir, long epoch, PayloadApplier applier,
                              MirrorApplyListener listener, MetricRegistry metrics) {
        this(siteId, storeDir, epoch, applier, listener, new MirrorStateMachineMetrics(metrics));
    }

    /**
     * @param siteId   this mirror site's id (recorded in snapshot manifests)
     * @param storeDir the mirror store directory, outside the Ratis storage directory
     * @param epoch    epoch of the stream this site receives
     * @param applier  applies one primary payload to the materialized state
     * @param listener hears applied batches (the replica's {@link MirrorLink}), or {@link MirrorApplyListener#NONE}
     * @param metrics  where to count
     */
    MirrorStateMachine(String siteId, Path storeDir, long epoch, PayloadApplier applier, MirrorApplyListener listener,
                       MirrorStateMachineMetrics metrics) {
        this.siteId = Objects.requireNonNull(siteId, "siteId");
        this.storeDir = storeDir.toAbsolutePath().normalize();
        this.epoch = epoch;
        this.applier = Objects.requireNonNull(applier, "applier");
        this.listener = Objects.requireNonNull(listener, "listener");
        this.metrics = metrics;
        metrics.bind(() -> durableSeq, () -> pendingCount);
    }

    /** Every primary seq up to this one is applied on this replica. */
    public long durableSeq() {
        return durableSeq;
    }

    /** The live store (for reads and verification); null before initialize. */
    public MirrorStore store() {
        return store;
    }

    public Optional<String> brokenReason() {
        return Optional.ofNullable(brokenReason);
    }

    // ------------------------------------------------------------------------------------------ lifecycle

    @Override
    public void initialize(RaftServer server, RaftGroupId groupId, RaftStorage raftStorage) throws IOException {
        super.initialize(server, groupId, raftStorage);
        storage.init(raftStorage);
        getLifeCycle().transition(LifeCycle.State.STARTING);
        try {
            store = MirrorStore.open(storeDir, STORE_OPTIONS);
        } catch (StorageException e) {
            throw new IOException(this + ": cannot open the mirror store " + storeDir + ": " + e.getMessage(), e);
        }
        loadFromStore();
        syncWithLatestSnapshot();
        getLifeCycle().transition(LifeCycle.State.RUNNING);
        LOG.info("{}: mirror store {} at {}, {} pending", this, storeDir, meta, pending.size());
        listener.onStoreReady(store);
    }

    @Override
    public void pause() {
        LifeCycle lc = getLifeCycle();
        if (lc.getCurrentState() == LifeCycle.State.RUNNING) {
            lc.transition(LifeCycle.State.PAUSING);
            lc.transition(LifeCycle.State.PAUSED);
        }
    }

    @Override
    public void reinitialize() throws IOException {
        getLifeCycle().transition(LifeCycle.State.STARTING);
        storage.refresh();
        syncWithLatestSnapshot();
        getLifeCycle().transition(LifeCycle.State.RUNNING);
        LOG.info("{}: reinitialized; mirror store at {}, {} pending", this, meta, pending.size());
        listener.onStoreReady(store);
    }

    /** Marks the store MIRROR at the configured epoch if needed, then loads metadata and the pending set. */
    private void loadFromStore() {
        HookMetadata m = store.metadata();
        HookMetadata wanted = m;
        if (m.role() != HookMetadata.Role.MIRROR) {
            wanted = wanted.withRole(HookMetadata.Role.MIRROR);
        }
        if (m.epoch() < epoch) {
            wanted = wanted.withEpoch(epoch);
        }
        if (!wanted.equals(m)) {
            store.newBatch().putMetadata(wanted).commit();
        }
        meta = wanted;
        pending.clear();
        try (StoreCursor<StoredEntry> cursor = store.pending().cursor(0)) {
            while (cursor.hasNext()) {
                StoredEntry e = cursor.next();
                pending.put(e.seq(), e);
            }
        }
        durableSeq = meta.durableSeq();
        sealedSeq = meta.sealedSeq();
        pendingCount = pending.size();
    }

    /** Restores the live store from the latest snapshot's checkpoint when that one is newer. */
    private void syncWithLatestSnapshot() throws IOException {
        Optional<StoreCheckpoints.Checkpoint> latest = StoreCheckpoints.latest(storage.dir(), CHECKPOINT_PREFIX);
        if (latest.isEmpty()) {
            return;
        }
        StoreCheckpoints.Checkpoint cp = latest.get();
        if (StoreCheckpoints.storeAppliedIndex(cp) > meta.lastAppliedIndex()) {
            LOG.info("{}: restoring the mirror store (applied index {}) from {}", this, meta.lastAppliedIndex(),
                    cp.dir());
            try {
                store = StoreCheckpoints.restore(store, storeDir, cp, STORE_OPTIONS);
            } catch (IOException e) {
                store = MirrorStore.open(storeDir, STORE_OPTIONS);
                brokenReason = "cannot restore from " + cp.dir() + ": " + e.getMessage();
                throw e;
            }
            loadFromStore();
        }
        TermIndex applied = getLastAppliedTermIndex();
        if (applied == null || cp.termIndex().compareTo(applied) > 0) {
            updateLastAppliedTermIndex(cp.termIndex());
        }
    }

    @Override
    public void close() throws IOException {
        MirrorStore s = store;
        if (s != null) {
            try {
                s.close();
            } catch (RuntimeException e) {
                LOG.warn("{}: closing the mirror store failed", this, e);
            }
        }
        metrics.close();
    }

    // ------------------------------------------------------------------------------------------ apply

    @Override
    public CompletableFuture<Message> applyTransaction(TransactionContext trx) {
        LogEntryProto log = trx.getLogEntry();
        long term = log.getTerm();
        long index = log.getIndex();
        if (brokenReason != null) {
            return CompletableFuture.failedFuture(new IllegalStateException(this + " is broken: " + brokenReason));
        }
        try {
            if (index <= meta.lastAppliedIndex()) {
                updateLastAppliedTermIndex(term, index);
                return CompletableFuture.completedFuture(durableReply());
            }
            ByteString data = log.getStateMachineLogEntry().getLogData();
            if (ControlCommand.isControl(data)) {
                return applySeal(ControlCommand.decode(data), term, index);
            }
            if (meta.isSealed()) {
                metrics.batchesAfterSeal.inc();
                HookMetadata next = meta.withLastApplied(term, index);
                store.newBatch().putMetadata(next).commit();
                meta = next;
                updateLastAppliedTermIndex(term, index);
                return CompletableFuture.completedFuture(durableReply());
            }
            List<StoredEntry> entries;
            try {
                entries = IngestBatchCodec.decode(log.getStateMachineLogEntry().getLogData().asReadOnlyByteBuffer());
            } catch (IllegalArgumentException e) {
                metrics.invalidBatches.inc();
                LOG.warn("{}: skipping ingest batch at (t:{}, i:{}): {}", this, term, index, e.getMessage());
                entries = List.of();
            }
            applyBatch(entries, term, index);
            updateLastAppliedTermIndex(term, index);
            return CompletableFuture.completedFuture(durableReply());
        } catch (RuntimeException e) {
            brokenReason = "apply of (t:" + term + ", i:" + index + ") failed: " + e;
            LOG.error("{}: ALARM mirror apply failed; this replica stops applying until restarted", this, e);
            return CompletableFuture.failedFuture(e);
        }
    }

    /** Seals at the durable prefix: every replica applies no primary entry after this log position. */
    private CompletableFuture<Message> applySeal(ControlCommand command, long term, long index) {
        if (command.epoch() != meta.epoch()) {
            LOG.warn("{}: seal names epoch {}, this site is at epoch {}; sealing anyway", this, command.epoch(),
                    meta.epoch());
        }
        HookMetadata next = (meta.isSealed() ? meta : meta.withSealedSeq(meta.durableSeq()))
                .withLastApplied(term, index);
        store.newBatch().putMetadata(next).commit();
        meta = next;
        sealedSeq = next.sealedSeq();
        updateLastAppliedTermIndex(term, index);
        LOG.info("{}: stream of epoch {} sealed at watermark {}", this, meta.epoch(), meta.sealedSeq());
        return CompletableFuture.completedFuture(ControlCommand.sealedReply(meta.sealedSeq()));
    }

    /**
     * Flushes the store's memtables (one atomic flush), so that a reader opening its directory from the side sees
     * every batch applied so far: the store writes no WAL ({@link #STORE_OPTIONS}).
     */
    public void flushStore() {
        MirrorStore s = store;
        if (s != null) {
            s.sync();
        }
    }

    /** The seq at which a seal closed this epoch's stream on this replica, or -1. */
    public long sealedSeq() {
        return sealedSeq;
    }

    private void applyBatch(List<StoredEntry> entries, long term, long index) {
        StoreBatch batch = store.newBatch();
        long durable = meta.durableSeq();
        TreeMap<Long, StoredEntry> added = new TreeMap<>();
        List<Long> drained = new ArrayList<>();
        long[] seqs = new long[entries.size()];
        int n = 0;
        long applied = 0;
        long appliedBytes = 0;
        long duplicates = 0;
        for (StoredEntry e : entries) {
            if (!e.checksumValid()) {
                LOG.warn("{}: entry seq {} fails its CRC32C; dropped", this, e.seq());
                continue;
            }
            seqs[n++] = e.seq();
            if (e.seq() <= durable || pending.containsKey(e.seq()) || added.containsKey(e.seq())) {
                duplicates++;
                continue;
            }
            if (e.seq() != durable + 1) {
                batch.putPending(e);
                added.put(e.seq(), e);
                continue;
            }
            applyOne(e, batch);
            durable++;
            applied++;
            appliedBytes += e.payload().length;
            for (StoredEntry next; (next = nextPending(durable + 1, added)) != null; ) {
                batch.deletePending(next.seq());
                if (added.remove(next.seq()) == null) {
                    drained.add(next.seq());
                }
                applyOne(next, batch);
                durable++;
                applied++;
                appliedBytes += next.payload().length;
            }
        }
        HookMetadata next = meta.withDurableSeq(durable).withLastApplied(term, index);
        batch.putMetadata(next).commit();
        meta = next;
        drained.forEach(pending::remove);
        pending.putAll(added);
        durableSeq = durable;
        pendingCount = pending.size();
        metrics.appliedEntries.mark(applied);
        metrics.appliedBytes.mark(appliedBytes);
        metrics.duplicates.mark(duplicates);
        metrics.batchEntries.update(entries.size());
        listener.onApplied(n == seqs.length ? seqs : Arrays.copyOf(seqs, n), durable);
    }

    private StoredEntry nextPending(long seq, TreeMap<Long, StoredEntry> added) {
        StoredEntry e = added.get(seq);
        return e != null ? e : pending.get(seq);
    }

    private void applyOne(StoredEntry e, StoreBatch batch) {
        try {
            applier.apply(e.payload(), batch);
        } catch (RuntimeException ex) {
            metrics.badPayloads.inc();
            LOG.warn("{}: payload of seq {} refused by the applier ({}); logged and skipped", this, e.seq(),
                    ex.toString());
        }
        batch.putEntry(e);
    }

    private Message durableReply() {
        return Message.valueOf(ByteString.copyFrom(ByteBuffer.allocate(Long.BYTES).putLong(durableSeq).flip()));
    }

    // ------------------------------------------------------------------------------------------ queries

    @Override
    public CompletableFuture<Message> query(Message request) {
        try {
            ByteBuffer b = request.getContent().asReadOnlyByteBuffer();
            byte kind = b.get();
            MirrorStore s = store;
            switch (kind) {
                case MirrorQueries.GET: {
                    byte[] key = new byte[b.remaining()];
                    b.get(key);
                    return CompletableFuture.completedFuture(MirrorQueries.getReply(s.kv().get(key)));
                }
                case MirrorQueries.STATUS: {
                    HookMetadata m = s.metadata();
                    return CompletableFuture.completedFuture(MirrorQueries.statusReply(new MirrorQueries.Status(
                            m.epoch(), m.durableSeq(), m.lastAppliedTerm(), m.lastAppliedIndex(), pendingCount)));
                }
                case MirrorQueries.DIGEST: {
                    StateDigest d = s.kv().digest();
                    return CompletableFuture.completedFuture(MirrorQueries.digestReply(new MirrorQueries.Digest(
                            d.metadata().durableSeq(), d.pairCount(), d.sha256())));
                }
                default:
                    throw new IllegalArgumentException("unknown mirror query kind " + kind);
            }
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    // ------------------------------------------------------------------------------------------ snapshots

    @Override
    public long takeSnapshot() throws IOException {
        if (brokenReason != null) {
            throw new IOException(this + ": no snapshot while broken (" + brokenReason + ")");
        }
        TermIndex ti = getLastAppliedTermIndex();
        if (ti == null || ti.getIndex() < 0) {
            return RaftLog.INVALID_LOG_INDEX;
        }
        StoreCheckpoints.take(store, storage.dir(), CHECKPOINT_PREFIX, ti, siteId);
        StoreCheckpoints.retain(storage.dir(), CHECKPOINT_PREFIX, CHECKPOINTS_KEPT);
        storage.refresh();
        LOG.info("{}: snapshot {} (durable seq {})", this, ti, durableSeq);
        return ti.getIndex();
    }

    @Override
    public StateMachineStorage getStateMachineStorage() {
        return storage;
    }

    @Override
    public SnapshotInfo getLatestSnapshot() {
        return storage.getLatestSnapshot();
    }

    /** Snapshots are the checkpoint directories in the {@code sm} directory; the latest is cached. */
    private static final class CheckpointStorage implements StateMachineStorage {
        private volatile Path dir;
        private volatile SnapshotInfo latest;
        private volatile boolean loaded;

        @Override
        public void init(RaftStorage raftStorage) {
            dir = raftStorage.getStorageDir().getStateMachineDir().toPath();
            refresh();
        }

        Path dir() {
            return dir;
        }

        synchronized void refresh() {
            latest = StoreCheckpoints.latest(dir, CHECKPOINT_PREFIX)
                    .map(cp -> (SnapshotInfo) new FileListSnapshotInfo(StoreCheckpoints.files(cp), cp.termIndex()))
                    .orElse(null);
            loaded = true;
        }

        @Override
        public SnapshotInfo getLatestSnapshot() {
            if (!loaded && dir != null) {
                refresh();
            }
            return latest;
        }

        @Override
        public void format() {
        }

        @Override
        public void cleanupOldSnapshots(SnapshotRetentionPolicy policy) {
            int keep = policy == null ? -1 : policy.getNumSnapshotsRetained();
            if (keep > 0 && dir != null) {
                StoreCheckpoints.retain(dir, CHECKPOINT_PREFIX, Math.max(keep, 1));
            }
        }
    }
}
