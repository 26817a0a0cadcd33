package dev.picsou.mirror.bridge.hook;

import dev.picsou.mirror.bridge.model.Entry;
import dev.picsou.mirror.storage.HookMetadata;
import dev.picsou.mirror.storage.StorageException;

import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

import org.apache.ratis.proto.RaftProtos.InstallSnapshotResult;
import org.apache.ratis.proto.RaftProtos.LogEntryProto;
import org.apache.ratis.proto.RaftProtos.RaftConfigurationProto;
import org.apache.ratis.proto.RaftProtos.RaftPeerRole;
import org.apache.ratis.proto.RaftProtos.RoleInfoProto;
import org.apache.ratis.proto.RaftProtos.StateMachineLogEntryProto;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftClientRequest;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftGroupMemberId;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.protocol.TermIndex;
import org.apache.ratis.server.storage.FileInfo;
import org.apache.ratis.server.storage.RaftStorage;
import org.apache.ratis.statemachine.SnapshotInfo;
import org.apache.ratis.statemachine.StateMachine;
import org.apache.ratis.statemachine.StateMachineStorage;
import org.apache.ratis.statemachine.TransactionContext;
import org.apache.ratis.statemachine.impl.FileListSnapshotInfo;
import org.apache.ratis.thirdparty.com.google.protobuf.ByteString;
import org.apache.ratis.protocol.exceptions.StateMachineException;
import org.apache.ratis.thirdparty.com.google.protobuf.InvalidProtocolBufferException;
import org.apache.ratis.util.LifeCycle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The primary-side hook: a decorator around any user {@link StateMachine} that numbers every committed
 * state-machine entry with the stream sequence {@code seq}, keeps it in the outbox until the mirror QUACKs it, and
 * hands it to the {@link PrimaryLink} (DESIGN.md §3).
 *
 * <h2>Forwarding</h2>
 * Every {@link StateMachine} method and every {@link EventApi} and {@link LeaderEventApi} notification goes to the
 * inner state machine; {@link #data()} and {@link #followerEvent()} return the inner's. {@link #event()} and
 * {@link #leaderEvent()} return this object, which forwards everything and also watches leadership: at step-down
 * ({@code notifyNotLeader}, which Ratis also calls at shutdown) sync-mode waiters are released, otherwise Ratis'
 * apply thread would wait for the mirror before it can stop. Transaction contexts are the inner's, untouched.
 *
 * <h2>applyTransaction</h2>
 * Runs on Ratis' one apply thread per replica, in log order, on leader and followers alike, only for state-machine
 * entries (RATIS.md). An entry whose index is at or below the hook store's {@code lastAppliedIndex} is a replay
 * after restart and only goes to the inner state machine. Any other entry gets {@code seq = lastSeq + 1} and is
 * written to the outbox together with the metadata ({@code lastSeq}, last applied term/index) in one unsynced batch,
 * then queued for the link, then applied by the inner state machine. Every replica applies the same log, so every
 * replica assigns the same seq to the same entry. Nothing is thrown: a failure completes the future exceptionally;
 * a failed hook-store write stops numbering on this replica (it is "broken", loudly) and snapshots are refused so
 * that Ratis keeps the log a restart needs to recover.
 *
 * <h2>Durability modes</h2>
 * {@code async}: the inner future is returned as is. {@code sync}: on the replica that holds the client request
 * (the leader), the returned future completes when the inner one has and the QUACK covers the entry's seq. Ratis
 * replies to the client at that moment, keeps applying later entries meanwhile, and counts the applied index of
 * that entry late (linearizable reads and snapshot-taking on the leader wait with it). Followers never wait. See
 * {@link DurabilityPolicy} for the timeout policy.
 *
 * <h2>Snapshots</h2>
 * {@code seq} and the un-QUACKed outbox tail travel with every Ratis snapshot: {@link #takeSnapshot()} checkpoints
 * the hook store (RocksDB checkpoint plus manifest, see {@link StoreCheckpoints}) into
 * {@code <snapshotDir>/picsou-hook.pending}, lets the inner state machine take its snapshot, and renames the
 * checkpoint to {@code picsou-hook.<term>_<index>} of that snapshot. Taking the checkpoint first is sound because
 * this runs on the apply thread after every applied entry, so the hook state equals the state at any index up to
 * the snapshot's, and QUACKs that land meanwhile are facts about the mirror, true at any index. If the checkpoint
 * fails, no inner snapshot is taken. {@link #getLatestSnapshot()} returns the inner snapshot with the checkpoint's
 * files added, so a chunk-mode install ships them into the follower's {@code sm} directory (which Ratis replaces
 * wholesale — the live hook store lives outside it). {@link #reinitialize()} (after an install) and
 * {@link #initialize} (restart) restore the live hook store from the checkpoint of the latest snapshot when that
 * checkpoint's store applied a later index than the live one.
 */
public final class MirroringStateMachine
        implements StateMachine, StateMachine.EventApi, StateMachine.LeaderEventApi {
    private static final Logger LOG = LoggerFactory.getLogger(MirroringStateMachine.class);
    private static final String PENDING_CHECKPOINT = PrimaryHookStore.CHECKPOINT_PREFIX + ".pending";
    private static final int CHECKPOINTS_KEPT = 3;

    private final StateMachine inner;
    private final String siteId;
    private final Path hookStoreDir;
    private final long epoch;
    private final PrimaryFeed feed;
    private final SyncWaiters waiters;
    private final DurabilityPolicy durability;
    private final Consumer<Entry> observer;
    private final LongSupplier clock;
    private final OutboxLimit outboxLimit;
    private final LongSupplier outboxBytes;

    private volatile PrimaryHookStore hookStore;
    private volatile Path snapshotDir;
    private volatile String name = "MirroringStateMachine";
    private volatile String brokenReason;
    private volatile boolean notLeader;
    private volatile CachedSnapshot cachedSnapshot;
    private volatile TermIndex warnedMissingCheckpoint;
    private volatile long replayedEntries;

    private record CachedSnapshot(SnapshotInfo inner, SnapshotInfo combined) {
    }

    MirroringStateMachine(StateMachine inner, String siteId, Path hookStoreDir, long epoch, PrimaryFeed feed,
                          SyncWaiters waiters, DurabilityPolicy durability, Consumer<Entry> observer,
                          LongSupplier clock, OutboxLimit outboxLimit, LongSupplier outboxBytes) {
        this.inner = Objects.requireNonNull(inner, "inner");
        this.siteId = Objects.requireNonNull(siteId, "siteId");
        this.hookStoreDir = hookStoreDir.toAbsolutePath().normalize();
        this.epoch = epoch;
        this.feed = feed;
        this.waiters = waiters;
        this.durability = durability;
        this.observer = observer;
        this.clock = clock;
        this.outboxLimit = outboxLimit;
        this.outboxBytes = outboxBytes;
    }

    /** The wrapped user state machine. */
    public StateMachine inner() {
        return inner;
    }

    /** The hook metadata (lastSeq, quackedSeq, last applied term/index, epoch); empty before initialize. */
    public Optional<HookMetadata> hookMetadata() {
        PrimaryHookStore s = hookStore;
        return s == null ? Optional.empty() : Optional.of(s.metadata());
    }

    /**
     * Whether the inner state machine has applied every entry up to the hook store's {@code lastAppliedIndex} (the
     * last entry numbered, or the seal). False after a restart until Ratis' replay passes that index: the hook store
     * and an inner store without a WAL each come back at their own last flush. A reader of the inner's state that
     * trusts the hook's seq (a digest, a rewind from the seal) must wait for it. False before initialize.
     */
    public boolean innerHasApplied() {
        PrimaryHookStore s = hookStore;
        if (s == null) {
            return false;
        }
        long numbered = s.metadata().lastAppliedIndex();
        TermIndex applied = inner.getLastAppliedTermIndex();
        return applied != null ? applied.getIndex() >= numbered : numbered < 0;
    }

    /**
     * Flushes the hook store, which writes no WAL, so that a reader opening its directory from the side (a
     * lost-writes export of a sealed site) sees everything numbered so far. No-op before initialize.
     */
    public void flushHookStore() {
        PrimaryHookStore s = hookStore;
        if (s != null) {
            s.sync();
        }
    }

    /** Why this replica stopped numbering entries, if it did (a failed hook-store write). */
    public Optional<String> brokenReason() {
        return Optional.ofNullable(brokenReason);
    }

    // ------------------------------------------------------------------------------------------ lifecycle

    @Override
    public void initialize(RaftServer raftServer, RaftGroupId raftGroupId, RaftStorage storage) throws IOException {
        inner.initialize(raftServer, raftGroupId, storage);
        name = "MirroringStateMachine[" + raftServer.getId() + "@" + raftGroupId + "]";
        StateMachineStorage innerStorage = inner.getStateMachineStorage();
        File dir = innerStorage == null ? null : innerStorage.getSnapshotDir();
        snapshotDir = (dir != null ? dir : storage.getStorageDir().getStateMachineDir()).toPath();
        try {
            hookStore = PrimaryHookStore.open(hookStoreDir, epoch);
        } catch (StorageException e) {
            throw new IOException(name + ": cannot open the hook store " + hookStoreDir + ": " + e.getMessage(), e);
        }
        syncWithLatestSnapshot(false);
        LOG.info("{}: hook store {} at {}", name, hookStoreDir, hookStore.metadata());
        feed.attach(hookStore);
    }

    @Override
    public LifeCycle.State getLifeCycleState() {
        return inner.getLifeCycleState();
    }

    @Override
    public void pause() {
        inner.pause();
    }

    @Override
    public void reinitialize() throws IOException {
        inner.reinitialize();
        cachedSnapshot = null;
        syncWithLatestSnapshot(true);
        LOG.info("{}: reinitialized; hook store at {}", name, hookStore.metadata());
        feed.attach(hookStore);
    }

    /**
     * Brings the hook store up to the inner state machine's latest snapshot: restores it from that snapshot's
     * checkpoint when the checkpoint is newer. Without a checkpoint after an install, the numbering up to the
     * snapshot is unknown: the hook stops (broken) rather than assign wrong seqs.
     */
    private void syncWithLatestSnapshot(boolean afterInstall) throws IOException {
        SnapshotInfo latest = inner.getLatestSnapshot();
        if (latest == null || latest.getTermIndex() == null || latest.getIndex() < 0) {
            return;
        }
        Optional<StoreCheckpoints.Checkpoint> cp = StoreCheckpoints.find(snapshotDir,
                PrimaryHookStore.CHECKPOINT_PREFIX, latest.getTermIndex());
        if (cp.isPresent()) {
            try {
                hookStore.restoreIfNewer(cp.get());
            } catch (IOException | StorageException e) {
                markBroken("cannot restore the hook store from " + cp.get().dir() + ": " + e.getMessage());
                throw e instanceof IOException io ? io : new IOException(e);
            }
            return;
        }
        long storeIndex = hookStore.metadata().lastAppliedIndex();
        if (afterInstall && storeIndex < latest.getIndex()) {
            markBroken("installed snapshot " + latest.getTermIndex() + " carries no hook checkpoint and the hook store"
                    + " only reaches index " + storeIndex + ": the seqs of the entries in between are unknown");
        } else if (storeIndex < latest.getIndex()) {
            LOG.warn("{}: snapshot {} has no hook checkpoint; trusting the hook store at index {}", name,
                    latest.getTermIndex(), storeIndex);
        }
    }

    @Override
    public void close() throws IOException {
        waiters.releaseAll("state machine closed");
        try {
            inner.close();
        } finally {
            PrimaryHookStore s = hookStore;
            if (s != null) {
                try {
                    s.close();
                } catch (RuntimeException e) {
                    LOG.warn("{}: closing the hook store failed", name, e);
                }
            }
        }
    }

    // ------------------------------------------------------------------------------------------ apply

    @Override
    public TransactionContext applyTransactionSerial(TransactionContext trx) throws InvalidProtocolBufferException {
        return inner.applyTransactionSerial(trx);
    }

    @Override
    public CompletableFuture<Message> applyTransaction(TransactionContext trx) {
        LogEntryProto log = trx.getLogEntry();
        ByteString data = log.getStateMachineLogEntry().getLogData();
        if (ControlCommand.isControl(data)) {
            return applyControl(log, data);
        }
        PrimaryHookStore store = hookStore;
        if (brokenReason == null && store.metadata().isSealed() && !store.isReplay(log.getIndex())) {
            inner.event().notifyTermIndexUpdated(log.getTerm(), log.getIndex());
            return CompletableFuture.failedFuture(fencedException(store.metadata()));
        }
        Entry entry;
        try {
            entry = maybeNumber(trx);
        } catch (RuntimeException e) {
            markBroken("numbering the entry failed: " + e);
            LOG.error("{}: hook failed on the entry at {}", name, describe(trx), e);
            entry = null;
        }
        CompletableFuture<Message> applied;
        try {
            applied = inner.applyTransaction(trx);
        } catch (RuntimeException e) {
            applied = CompletableFuture.failedFuture(e);
        }
        if (entry == null || applied == null || !durability.isSync() || trx.getClientRequest() == null) {
            return applied;
        }
        CompletableFuture<Void> quacked = waiters.await(entry.seq(), clock.getAsLong());
        if (notLeader) {
            waiters.releaseAll("not the leader any more");
        }
        return applied.thenCombine(quacked, (message, ignored) -> message);
    }

    /**
     * A seal: every replica records {@code sealedSeq = lastSeq} at this log position and numbers no client entry
     * after it. The inner state machine only hears the index (as for Ratis' own metadata entries).
     */
    private CompletableFuture<Message> applyControl(LogEntryProto log, ByteString data) {
        try {
            ControlCommand command = ControlCommand.decode(data);
            PrimaryHookStore store = hookStore;
            long sealed;
            if (brokenReason != null) {
                throw new IllegalStateException(name + " is broken: " + brokenReason);
            } else if (store.isReplay(log.getIndex())) {
                sealed = store.metadata().sealedSeq();
            } else {
                if (command.epoch() != store.metadata().epoch()) {
                    LOG.warn("{}: seal names epoch {}, this site is at epoch {}; sealing anyway", name,
                            command.epoch(), store.metadata().epoch());
                }
                sealed = store.seal(log.getTerm(), log.getIndex());
                LOG.info("{}: stream of epoch {} sealed at seq {}: client writes are refused from here",
                        name, store.metadata().epoch(), sealed);
            }
            inner.event().notifyTermIndexUpdated(log.getTerm(), log.getIndex());
            return CompletableFuture.completedFuture(ControlCommand.sealedReply(sealed));
        } catch (RuntimeException e) {
            inner.event().notifyTermIndexUpdated(log.getTerm(), log.getIndex());
            return CompletableFuture.failedFuture(e);
        }
    }

    private StateMachineException fencedException(HookMetadata meta) {
        return new StateMachineException("site " + siteId + " is sealed at epoch " + meta.epoch() + ", seq "
                + meta.sealedSeq() + " (fenced for a switchover or failover): it takes no more writes");
    }

    /** Numbers and stores the entry; null for replays and when the hook is broken. */
    private Entry maybeNumber(TransactionContext trx) {
        if (brokenReason != null) {
            return null;
        }
        LogEntryProto log = trx.getLogEntry();
        if (hookStore.isReplay(log.getIndex())) {
            replayedEntries++;
            return null;
        }
        StateMachineLogEntryProto smEntry = log.getStateMachineLogEntry();
        Entry entry = hookStore.append(log.getTerm(), log.getIndex(), smEntry.getLogData().toByteArray());
        feed.onCommitted(entry);
        if (observer != null) {
            try {
                observer.accept(entry);
            } catch (RuntimeException e) {
                LOG.warn("{}: entry observer failed on seq {}", name, entry.seq(), e);
            }
        }
        return entry;
    }

    private void markBroken(String reason) {
        if (brokenReason == null) {
            brokenReason = reason;
            LOG.error("{}: ALARM the mirroring hook stopped numbering entries on this replica: {}. Restart the"
                    + " replica once the cause is fixed; it recovers from the Raft log.", name, reason);
        }
    }

    private static String describe(TransactionContext trx) {
        LogEntryProto log = trx.getLogEntry();
        return log == null ? "?" : "(t:" + log.getTerm() + ", i:" + log.getIndex() + ")";
    }

    /** Entries skipped as replays since startup (apply thread only; for tests). */
    long replayedEntries() {
        return replayedEntries;
    }

    // ------------------------------------------------------------------------------------------ snapshots

    @Override
    public long takeSnapshot() throws IOException {
        if (brokenReason != null) {
            throw new IOException(name + ": no snapshot while the hook is broken (" + brokenReason
                    + "): Ratis must keep the log the restart needs");
        }
        Path dir = snapshotDir;
        Path staged = dir.resolve(PENDING_CHECKPOINT);
        hookStore.checkpointInto(staged, siteId);
        long index;
        try {
            index = inner.takeSnapshot();
        } catch (IOException | RuntimeException e) {
            StoreCheckpoints.deleteRecursively(staged);
            throw e;
        }
        if (index < 0) {
            StoreCheckpoints.deleteRecursively(staged);
            return index;
        }
        TermIndex ti = termIndexOf(index);
        if (ti == null) {
            StoreCheckpoints.deleteRecursively(staged);
            throw new IOException(name + ": the inner state machine reported snapshot index " + index
                    + " but neither its latest snapshot nor its last applied entry has that index");
        }
        StoreCheckpoints.promote(staged, dir, PrimaryHookStore.CHECKPOINT_PREFIX, ti);
        StoreCheckpoints.retain(dir, PrimaryHookStore.CHECKPOINT_PREFIX, CHECKPOINTS_KEPT);
        cachedSnapshot = null;
        LOG.info("{}: snapshot {} with hook checkpoint (lastSeq {}, quackedSeq {})", name, ti,
                hookStore.metadata().lastSeq(), hookStore.metadata().quackedSeq());
        return index;
    }

    private TermIndex termIndexOf(long index) {
        SnapshotInfo latest = inner.getLatestSnapshot();
        if (latest != null && latest.getIndex() == index) {
            return latest.getTermIndex();
        }
        TermIndex applied = inner.getLastAppliedTermIndex();
        return applied != null && applied.getIndex() == index ? applied : null;
    }

    @Override
    public SnapshotInfo getLatestSnapshot() {
        SnapshotInfo latest = inner.getLatestSnapshot();
        Path dir = snapshotDir;
        if (latest == null || dir == null || latest.getTermIndex() == null) {
            return latest;
        }
        CachedSnapshot cached = cachedSnapshot;
        if (cached != null && cached.inner() == latest) {
            return cached.combined();
        }
        Optional<StoreCheckpoints.Checkpoint> cp = StoreCheckpoints.find(dir, PrimaryHookStore.CHECKPOINT_PREFIX,
                latest.getTermIndex());
        if (cp.isEmpty()) {
            if (!latest.getTermIndex().equals(warnedMissingCheckpoint)) {
                warnedMissingCheckpoint = latest.getTermIndex();
                LOG.warn("{}: snapshot {} has no hook checkpoint (yet)", name, latest.getTermIndex());
            }
            return latest;
        }
        List<FileInfo> files = new ArrayList<>(latest.getFiles() == null ? List.of() : latest.getFiles());
        files.addAll(StoreCheckpoints.files(cp.get()));
        SnapshotInfo combined = new FileListSnapshotInfo(files, latest.getTermIndex());
        cachedSnapshot = new CachedSnapshot(latest, combined);
        return combined;
    }

    @Override
    public StateMachineStorage getStateMachineStorage() {
        return inner.getStateMachineStorage();
    }

    // ------------------------------------------------------------------------------------------ forwarded

    @Override
    public DataApi data() {
        return inner.data();
    }

    @Override
    public EventApi event() {
        return this;
    }

    @Override
    public LeaderEventApi leaderEvent() {
        return this;
    }

    @Override
    public FollowerEventApi followerEvent() {
        return inner.followerEvent();
    }

    @Override
    public CompletableFuture<Message> query(Message request) {
        return inner.query(request);
    }

    @Override
    public CompletableFuture<Message> queryStale(Message request, long minIndex) {
        return inner.queryStale(request, minIndex);
    }

    /**
     * Control entries get a context of this decorator (they never reach the inner state machine); client writes to a
     * sealed site are refused here already (the apply-time check is the one that decides), with a context carrying
     * the exception: Ratis then answers the request and its retry-cache entry with it. Throwing instead would leave
     * that entry pending, and an async client's retry of the request would wait on it forever.
     */
    @Override
    public TransactionContext startTransaction(RaftClientRequest request) throws IOException {
        ByteString content = request.getMessage().getContent();
        if (ControlCommand.isControl(content)) {
            return TransactionContext.newBuilder().setStateMachine(this).setClientRequest(request)
                    .setLogData(content).build();
        }
        PrimaryHookStore store = hookStore;
        if (store != null && store.metadata().isSealed()) {
            return TransactionContext.newBuilder().setStateMachine(this).setClientRequest(request).build()
                    .setException(fencedException(store.metadata()));
        }
        long outboxBytes = this.outboxBytes.getAsLong();
        if (outboxLimit.full(outboxBytes)) {
            return TransactionContext.newBuilder().setStateMachine(this).setClientRequest(request).build()
                    .setException(new StateMachineException("site " + siteId + ": the outbox holds " + outboxBytes
                            + " bytes the mirror has not acknowledged, at its cap of " + outboxLimit.capBytes()
                            + " bytes; writes are refused until the mirror catches up"));
        }
        return inner.startTransaction(request);
    }

    @Override
    public TransactionContext startTransaction(LogEntryProto entry, RaftPeerRole role) {
        return inner.startTransaction(entry, role);
    }

    @Override
    public TransactionContext preAppendTransaction(TransactionContext trx) throws IOException {
        return inner.preAppendTransaction(trx);
    }

    @Override
    public TransactionContext cancelTransaction(TransactionContext trx) throws IOException {
        return inner.cancelTransaction(trx);
    }

    @Override
    public TermIndex getLastAppliedTermIndex() {
        return inner.getLastAppliedTermIndex();
    }

    @Override
    public String toStateMachineLogEntryString(StateMachineLogEntryProto proto) {
        return inner.toStateMachineLogEntryString(proto);
    }

    // EventApi

    @Override
    public void notifyLeaderChanged(RaftGroupMemberId groupMemberId, RaftPeerId newLeaderId) {
        boolean self = groupMemberId.getPeerId().equals(newLeaderId);
        notLeader = !self;
        if (!self) {
            waiters.releaseAll("leader is now " + newLeaderId);
        }
        inner.event().notifyLeaderChanged(groupMemberId, newLeaderId);
    }

    @Override
    public void notifyTermIndexUpdated(long term, long index) {
        inner.event().notifyTermIndexUpdated(term, index);
    }

    @Override
    public void notifyConfigurationChanged(long term, long index, RaftConfigurationProto newRaftConfiguration) {
        inner.event().notifyConfigurationChanged(term, index, newRaftConfiguration);
    }

    @Override
    public void notifyGroupRemove() {
        inner.event().notifyGroupRemove();
    }

    @Override
    public void notifyLogFailed(Throwable cause, LogEntryProto failedEntry) {
        inner.event().notifyLogFailed(cause, failedEntry);
    }

    @Override
    public void notifySnapshotInstalled(InstallSnapshotResult result, long snapshotIndex, RaftPeer peer) {
        inner.event().notifySnapshotInstalled(result, snapshotIndex, peer);
    }

    @Override
    @Deprecated
    public void notifyServerShutdown(RoleInfoProto roleInfo) {
        waiters.releaseAll("server shutdown");
        inner.event().notifyServerShutdown(roleInfo);
    }

    @Override
    public void notifyServerShutdown(RoleInfoProto roleInfo, boolean allServer) {
        waiters.releaseAll("server shutdown");
        inner.event().notifyServerShutdown(roleInfo, allServer);
    }

    // LeaderEventApi

    @Override
    public void notifyFollowerSlowness(RoleInfoProto leaderInfo, RaftPeer slowFollower) {
        inner.leaderEvent().notifyFollowerSlowness(leaderInfo, slowFollower);
    }

    @Override
    @Deprecated
    public void notifyFollowerSlowness(RoleInfoProto leaderInfo) {
        inner.leaderEvent().notifyFollowerSlowness(leaderInfo);
    }

    @Override
    public void notifyNotLeader(Collection<TransactionContext> pendingEntries) throws IOException {
        notLeader = true;
        waiters.releaseAll("stepped down");
        inner.leaderEvent().notifyNotLeader(pendingEntries);
    }

    @Override
    public void notifyLeaderReady() {
        notLeader = false;
        inner.leaderEvent().notifyLeaderReady();
    }

    @Override
    public String toString() {
        return name + "(" + inner + ")";
    }
}
