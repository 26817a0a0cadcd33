package dev.picsou.mirror.bridge.picsou;

import dev.picsou.mirror.bridge.model.SentEntry;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntPredicate;
import java.util.function.ToIntFunction;

/**
 * Per-receiver batching: entries queued for one receiver leave as one frame once they hold
 * {@code batchMaxBytes} of payload (at any flush), or at a tick once the oldest waited {@code batchDelayNanos}, and
 * only while the link to that receiver is writable (backpressure). Partial batches wait for a tick even with no
 * delay: a driver ticks the engine after it handled the events waiting for it, so the entries of one burst (a
 * commit batch of the site) leave in one frame per receiver, with no timer in between. A frame carries at most
 * {@code batchMaxBytes} of payload, or one entry if a single entry is larger. Not thread-safe.
 */
public final class SendQueues {
    /** Receives one batch for one receiver. The list is only valid during the call. */
    @FunctionalInterface
    public interface BatchConsumer {
        /** Returns whether the link to {@code receiver} can take more after this batch. */
        boolean accept(int receiver, List<SentEntry> batch);
    }

    private final List<ArrayDeque<SentEntry>> queues;
    private final long[] queuedBytes;
    private final long[] oldestAt;
    private final boolean[] writable;
    private final int batchMaxBytes;
    private final long batchDelayNanos;
    private final long stallWaitNanos;
    private final List<SentEntry> scratch = new ArrayList<>();

    /**
     * @param stallWaitNanos how long the other links wait after one reported full (see {@link #flush}); positive
     */
    public SendQueues(int receivers, int batchMaxBytes, long batchDelayNanos, long stallWaitNanos) {
        if (stallWaitNanos <= 0) {
            throw new IllegalArgumentException("stallWaitNanos must be > 0, was " + stallWaitNanos);
        }
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
        this.stallWaitNanos = stallWaitNanos;
    }

    /** The queues of a sender of {@code p}'s link. */
    static SendQueues of(PicsouParams p) {
        return new SendQueues(p.receivers(), p.batchMaxBytes(), p.batchDelayNanos(), p.stallWaitNanos());
    }

    /** Queues a first send behind everything already waiting for {@code receiver}. */
    public void add(int receiver, SentEntry entry, long nowNanos) {
        if (queues.get(receiver).isEmpty()) {
            oldestAt[receiver] = nowNanos;
        }
        queues.get(receiver).addLast(entry);
        queuedBytes[receiver] += entry.entry().payloadLength();
    }

    /**
     * Queues a resend ahead of everything waiting for {@code receiver}: a resend is overdue by definition, and
     * behind a deep queue it would time out again before it left. It also makes its batch ready at once.
     */
    public void addUrgent(int receiver, SentEntry entry, long nowNanos) {
        ArrayDeque<SentEntry> q = queues.get(receiver);
        q.addFirst(entry);
        queuedBytes[receiver] += entry.entry().payloadLength();
        oldestAt[receiver] = Math.min(q.size() == 1 ? nowNanos : oldestAt[receiver], nowNanos - batchDelayNanos);
    }

    public void setWritable(int receiver, boolean isWritable) {
        writable[receiver] = isWritable;
    }

    public boolean hasQueued(int receiver) {
        return !queues.get(receiver).isEmpty();
    }

    /**
     * Moves everything queued for a receiver that {@code gone} names to the receiver {@code retarget} picks for
     * each entry (in queue order, behind what that receiver already has), or drops the entry when it picks -1.
     * A crashed receiver's link may never take its queue: left there, those copies would never leave, and the
     * queue would never look empty (which tells the sender that its stream passed every position, see
     * {@code PicsouSender#flush}).
     */
    public void moveFrom(IntPredicate gone, ToIntFunction<SentEntry> retarget, long nowNanos) {
        for (int j = 0; j < queues.size(); j++) {
            ArrayDeque<SentEntry> q = queues.get(j);
            if (q.isEmpty() || !gone.test(j)) {
                continue;
            }
            List<SentEntry> moving = new ArrayList<>(q);
            q.clear();
            queuedBytes[j] = 0;
            for (SentEntry e : moving) {
                int to = retarget.applyAsInt(e);
                if (to >= 0) {
                    add(to, e, nowNanos);
                }
            }
        }
    }

    /** Total entries waiting in all queues. */
    public int queuedEntries() {
        int n = 0;
        for (ArrayDeque<SentEntry> q : queues) {
            n += q.size();
        }
        return n;
    }

    /**
     * Hands every batch that is ready to {@code sink}, lowest head {@code seq} first, so that frames leave in
     * stream order across receivers (and senders, all doing the same, spread their first frames over different
     * receivers), until a link reports full. The links of a replica usually share one uplink: sending on over the
     * links not yet reported full would put later entries on the wire ahead of the earlier ones queued for the full
     * link (one frame per receiver), a reordering that other replicas read as loss. The other links then wait
     * {@code stallWaitNanos}, for the transport to report them full too or not. Partial batches leave only when
     * {@code tick} is set (see the class comment). Returns when the next batch will be ready: a partial batch
     * already due asks for a tick now.
     */
    public long flush(long nowNanos, boolean tick, BatchConsumer sink) {
        boolean stopped = false;
        while (true) {
            int best = -1;
            long bestSeq = Long.MAX_VALUE;
            for (int j = 0; j < queues.size(); j++) {
                ArrayDeque<SentEntry> q = queues.get(j);
                if (!q.isEmpty() && writable[j] && ready(j, nowNanos, tick) && q.peekFirst().entry().seq() < bestSeq) {
                    best = j;
                    bestSeq = q.peekFirst().entry().seq();
                }
            }
            if (best < 0) {
                break;
            }
            if (!emit(best, sink)) {
                stopped = true;
                break;
            }
        }
        long next = Long.MAX_VALUE;
        for (int j = 0; j < queues.size(); j++) {
            if (!queues.get(j).isEmpty() && writable[j]) {
                next = Math.min(next, oldestAt[j] + batchDelayNanos);
            }
        }
        return stopped && next != Long.MAX_VALUE ? Math.max(next, nowNanos + stallWaitNanos) : next;
    }

    private boolean ready(int receiver, long nowNanos, boolean tick) {
        return queuedBytes[receiver] >= batchMaxBytes || (tick && nowNanos >= oldestAt[receiver] + batchDelayNanos);
    }

    /** Hands one frame's worth of the queue of {@code receiver} to the sink; returns whether its link took it all. */
    private boolean emit(int receiver, BatchConsumer sink) {
        ArrayDeque<SentEntry> q = queues.get(receiver);
        scratch.clear();
        long bytes = 0;
        while (!q.isEmpty()
                && (scratch.isEmpty() || bytes + q.peekFirst().entry().payloadLength() <= batchMaxBytes)) {
            SentEntry e = q.pollFirst();
            bytes += e.entry().payloadLength();
            scratch.add(e);
        }
        queuedBytes[receiver] -= bytes;
        writable[receiver] = sink.accept(receiver, scratch);
        return writable[receiver];
    }
}
