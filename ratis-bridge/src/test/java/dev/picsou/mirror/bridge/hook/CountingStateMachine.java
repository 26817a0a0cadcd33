package dev.picsou.mirror.bridge.hook;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.File;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.CRC32C;

import org.apache.ratis.proto.RaftProtos.LogEntryProto;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.protocol.TermIndex;
import org.apache.ratis.server.storage.FileInfo;
import org.apache.ratis.server.storage.RaftStorage;
import org.apache.ratis.statemachine.StateMachineStorage;
import org.apache.ratis.statemachine.TransactionContext;
import org.apache.ratis.statemachine.impl.BaseStateMachine;
import org.apache.ratis.statemachine.impl.SimpleStateMachineStorage;
import org.apache.ratis.statemachine.impl.SingleFileSnapshotInfo;
import org.apache.ratis.thirdparty.com.google.protobuf.ByteString;
import org.apache.ratis.util.LifeCycle;

/**
 * A tiny user state machine for the hook tests: counts the transactions it applies and keeps an order-sensitive
 * hash of their payloads; snapshots both to one file ({@link SimpleStateMachineStorage}), so chunk-mode installs
 * and restarts work like a real application's. {@link #holdApplyOf} and {@link #holdApplyOfEntry} stop the apply
 * thread at one entry, so that later entries reach the log but not the state machine until {@link #releaseHold()}.
 */
final class CountingStateMachine extends BaseStateMachine {
    private final SimpleStateMachineStorage storage = new SimpleStateMachineStorage();
    private final AtomicInteger reinitializations = new AtomicInteger();
    private final CountDownLatch released = new CountDownLatch(1);
    private volatile ByteString heldPayload;
    private volatile long heldEntry;
    private long count;
    private long hash;

    @Override
    public void initialize(RaftServer server, RaftGroupId groupId, RaftStorage raftStorage) throws IOException {
        super.initialize(server, groupId, raftStorage);
        storage.init(raftStorage);
        getLifeCycle().transition(LifeCycle.State.STARTING);
        load(storage.getLatestSnapshot());
        getLifeCycle().transition(LifeCycle.State.RUNNING);
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
        reinitializations.incrementAndGet();
        load(storage.loadLatestSnapshot());
        getLifeCycle().transition(LifeCycle.State.RUNNING);
    }

    private synchronized void load(SingleFileSnapshotInfo snapshot) throws IOException {
        if (snapshot == null) {
            return;
        }
        try (DataInputStream in = new DataInputStream(Files.newInputStream(snapshot.getFile().getPath()))) {
            count = in.readLong();
            hash = in.readLong();
        }
        TermIndex applied = getLastAppliedTermIndex();
        if (applied == null || snapshot.getTermIndex().compareTo(applied) > 0) {
            updateLastAppliedTermIndex(snapshot.getTermIndex());
        }
    }

    @Override
    public CompletableFuture<Message> applyTransaction(TransactionContext trx) {
        LogEntryProto entry = trx.getLogEntry();
        ByteString data = entry.getStateMachineLogEntry().getLogData();
        if (data.equals(heldPayload) || count() + 1 == heldEntry) {
            awaitRelease();
        }
        byte[] payload = data.toByteArray();
        CRC32C crc = new CRC32C();
        crc.update(payload);
        long c;
        synchronized (this) {
            count++;
            hash = hash * 31 + crc.getValue();
            c = count;
            updateLastAppliedTermIndex(entry.getTerm(), entry.getIndex());
        }
        return CompletableFuture.completedFuture(Message.valueOf(ByteString.copyFromUtf8(Long.toString(c))));
    }

    /**
     * The apply of the entry whose payload is {@code payload} waits for {@link #releaseHold()}, at most a minute (then
     * it goes on, and the test that forgot to release fails on what it sees).
     */
    void holdApplyOf(ByteString payload) {
        heldPayload = payload;
    }

    /**
     * As {@link #holdApplyOf}, for the transaction that would bring {@link #count()} to {@code n}. A position rather
     * than a payload, for tests that hold a replay: a client's async writes reach the log in the order they were sent
     * only if no leader change made it retry them (Ratis retries them concurrently, so out of order).
     */
    void holdApplyOfEntry(long n) {
        heldEntry = n;
    }

    void releaseHold() {
        released.countDown();
    }

    private void awaitRelease() {
        try {
            released.await(1, TimeUnit.MINUTES);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public long takeSnapshot() throws IOException {
        long c;
        long h;
        TermIndex last;
        synchronized (this) {
            c = count;
            h = hash;
            last = getLastAppliedTermIndex();
        }
        if (last == null || last.getIndex() < 0) {
            return -1;
        }
        File file = storage.getSnapshotFile(last.getTerm(), last.getIndex());
        try (DataOutputStream out = new DataOutputStream(Files.newOutputStream(file.toPath()))) {
            out.writeLong(c);
            out.writeLong(h);
        }
        storage.updateLatestSnapshot(new SingleFileSnapshotInfo(new FileInfo(file.toPath(), null), last));
        return last.getIndex();
    }

    @Override
    public StateMachineStorage getStateMachineStorage() {
        return storage;
    }

    @Override
    public CompletableFuture<Message> query(Message request) {
        synchronized (this) {
            return CompletableFuture.completedFuture(Message.valueOf(ByteString.copyFrom(
                    ByteBuffer.allocate(16).putLong(count).putLong(hash).flip())));
        }
    }

    synchronized long count() {
        return count;
    }

    synchronized long hash() {
        return hash;
    }

    int reinitializations() {
        return reinitializations.get();
    }
}
