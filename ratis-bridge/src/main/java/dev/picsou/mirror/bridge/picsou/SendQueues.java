package dev.picsou.mirror.bridge.picsou;

import dev.picsou.mirror.bridge.model.SentEntry;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * Per-receiver batching: entries queued for one receiver leave as one frame once they hold
 * {@code batchMaxBytes} of payload or the oldest waited {@code batchDelayNanos}, and only while the link to that
 * receiver is writable (backpressure). A frame carries at most {@code batchMaxBytes} of payload, or one entry if a
 * single entry is larger. Not thread-safe.
 */
public final class SendQueues {
    /** Receives one batch for one receiver. The list is only valid during the call. */
    @FunctionalInterface
    public interface BatchConsumer {
        void accept(int receiver, List<SentEntry> batch);
    }

    private final List<ArrayDeque<SentEntry>> queues;
    private final long[] queuedBytes;
    private final long[] oldestAt;
    private final boolean[] writable;
    private final int batchMaxBytes;
    private final long batchDelayNanos;
    private final List<SentEntry> scratch = new ArrayList<>();

    public SendQueues(int receivers, int batchMaxBytes, long batchDelayNanos) {
        this.queues = new ArrayList<>(receivers);
        for (int j = 0; j < receivers; j++) {
            queues.add(new ArrayDeque<>());
        }
        this.queuedBytes = new long[receivers];
        this.oldestAt = new long[receivers];
        this.writable = new boolean[receivers];
        java.util.Arrays.fill(writable, true);
        this.batchMaxBytes = batchMaxBytes;
        this.batchDelayNanos = batchDelayNanos;
    }

    public void add(int receiver, SentEntry entry, long nowNanos) {
        if (queues.get(receiver).isEmpty()) {
            oldestAt[receiver] = nowNanos;
        }
        queues.get(receiver).addLast(entry);
        queuedBytes[receiver] += entry.entry().payloadLength();
    }

    public void setWritable(int receiver, boolean isWritable) {
        writable[receiver] = isWritable;
    }

    public boolean hasQueued(int receiver) {
        return !queues.get(receiver).isEmpty();
    }

    /** Total entries waiting in all queues. */
    public int queuedEntries() {
        int n = 0;
        for (ArrayDeque<SentEntry> q : queues) {
            n += q.size();
        }
        return n;
    }

    /** Hands every batch that is ready to {@code sink}; returns when the next batch will be ready by time. */
    public long flush(long nowNanos, BatchConsumer sink) {
        long next = Long.MAX_VALUE;
        for (int j = 0; j < queues.size(); j++) {
            ArrayDeque<SentEntry> q = queues.get(j);
            while (!q.isEmpty() && writable[j]
                    && (queuedBytes[j] >= batchMaxBytes || nowNanos >= oldestAt[j] + batchDelayNanos)) {
                scratch.clear();
                long bytes = 0;
                while (!q.isEmpty() && (scratch.isEmpty() || bytes + q.peekFirst().entry().payloadLength()
                        <= batchMaxBytes)) {
                    SentEntry e = q.pollFirst();
                    bytes += e.entry().payloadLength();
                    scratch.add(e);
                }
                queuedBytes[j] -= bytes;
                sink.accept(j, scratch);
            }
            if (!q.isEmpty() && writable[j]) {
                next = Math.min(next, oldestAt[j] + batchDelayNanos);
            }
        }
        return next;
    }
}
