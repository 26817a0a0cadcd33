package dev.picsou.mirror.bridge.baseline;

import dev.picsou.mirror.bridge.model.DataFrame;
import dev.picsou.mirror.bridge.model.Entry;
import dev.picsou.mirror.bridge.model.Frame;
import dev.picsou.mirror.bridge.model.Mac;
import dev.picsou.mirror.bridge.model.SentEntry;
import dev.picsou.mirror.bridge.picsou.ActionSink;
import dev.picsou.mirror.bridge.picsou.PicsouParams;
import dev.picsou.mirror.bridge.picsou.StreamSender;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * The one-shot sender: entry {@code seq} is sent once, by replica {@code s = seq mod n_s} to receiver
 * {@code (s + seq / n_s) mod n_r}, batched per receiver. It keeps nothing once sent, has no window, expects no acks and
 * never resends or QUACKs; its only flow control is {@link #onLinkWritable} (a batch waits while its link is not
 * writable).
 */
final class OneShotSender implements StreamSender {
    private final int index;
    private final PicsouParams params;
    private final LinkGuard guard;
    private final Batch[] batches;
    private final boolean[] writable;
    private final long quacked;
    private long committed;

    OneShotSender(int index, PicsouParams params, long recoveredQuackedSeq) {
        this.guard = LinkGuard.atSender(params, index);
        this.index = index;
        this.params = params;
        this.quacked = recoveredQuackedSeq;
        this.committed = recoveredQuackedSeq;
        this.batches = new Batch[params.receivers()];
        for (int j = 0; j < params.receivers(); j++) {
            batches[j] = new Batch(params.batchMaxBytes(), params.batchDelayNanos());
        }
        this.writable = new boolean[params.receivers()];
        Arrays.fill(writable, true);
    }

    /** The sending replica that sends {@code seq}. */
    static int senderOf(long seq, int senders) {
        return (int) (seq % senders);
    }

    /** The receiving replica that gets {@code seq}. */
    static int receiverOf(long seq, int senders, int receivers) {
        return (int) ((senderOf(seq, senders) + seq / senders) % receivers);
    }

    @Override
    public long onEntryCommitted(Entry entry, long nowNanos, ActionSink out) {
        if (entry.seq() != committed + 1) {
            throw new IllegalArgumentException("entries must arrive in seq order without gaps: expected "
                    + (committed + 1) + ", got " + entry.seq());
        }
        committed = entry.seq();
        if (senderOf(entry.seq(), params.senders()) == index && !guard.fenced()) {
            int receiver = receiverOf(entry.seq(), params.senders(), params.receivers());
            batches[receiver].add(new SentEntry(entry, 0), nowNanos);
        }
        return flushDue(nowNanos, out);
    }

    /** Refuses malformed frames and reports FENCED; acks are not expected and carry no information here. */
    @Override
    public long onFrame(Frame frame, long nowNanos, ActionSink out) {
        guard.acceptAck(frame, out);
        return flushDue(nowNanos, out);
    }

    @Override
    public long onLinkWritable(int receiver, boolean isWritable, long nowNanos, ActionSink out) {
        writable[Objects.checkIndex(receiver, params.receivers())] = isWritable;
        return flushDue(nowNanos, out);
    }

    @Override
    public long onTick(long nowNanos, ActionSink out) {
        return flushDue(nowNanos, out);
    }

    /** Never advances: without acks nothing is known durable. */
    @Override
    public long quackedSeq() {
        return quacked;
    }

    @Override
    public long committedSeq() {
        return committed;
    }

    private long flushDue(long nowNanos, ActionSink out) {
        if (guard.fenced()) {
            return Long.MAX_VALUE;
        }
        long next = Long.MAX_VALUE;
        for (int j = 0; j < params.receivers(); j++) {
            if (!writable[j]) {
                continue;
            }
            while (batches[j].dueNanos() <= nowNanos) {
                List<SentEntry> entries = batches[j].take(0);
                out.send(j, guard.sign(new DataFrame(params.linkId(), params.epoch(), index, j, quacked, entries,
                        Mac.NONE)));
            }
            next = Math.min(next, batches[j].dueNanos());
        }
        return next;
    }
}
