package dev.picsou.mirror.bridge.baseline;

import dev.picsou.mirror.bridge.model.AckFrame;
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
 * The all-to-all sender, as the Picsou paper's baseline defines it: this replica sends every committed entry to every
 * receiving replica, batched per receiver, whether or not other senders' copies already arrived — so every entry
 * costs {@code receivers} sends from every sender. A receiver's batch waits while its link is not writable (a send
 * said so, or the transport reported it); entries are never skipped for being QUACKed, except from the batch of a
 * receiver that fell more than {@link #BACKLOG_WINDOWS} windows behind (a dead or partitioned one), which bounds
 * memory. An entry that receiver {@code j} has not acknowledged holding within the retransmission timeout is resent
 * to {@code j} by this replica (exponential backoff per entry and receiver) unless it is QUACKed by then or
 * receivers of {@code receiverU + 1} stake report holding it. The window
 * only tracks QUACKs here: admission is not held back by it.
 */
final class AllToAllSender implements StreamSender {
    /**
     * Windows of payload a receiver's batch may hold before its QUACKed entries are dropped from it: what a dead
     * receiver can cost in memory (the entries are shared with the other batches). At 4 the bench's lagging senders
     * shed a third of their copies (9.7 per entry instead of 25).
     */
    static final int BACKLOG_WINDOWS = 64;

    private final int index;
    private final PicsouParams params;
    private final LinkGuard guard;
    private final OutboxWindow window;
    private final Batch[] batches;
    private final ResendTimers[] timers;
    private final boolean[] writable;
    private int firstReceiver;
    /** When the QUACK last advanced ({@link Long#MIN_VALUE} before that). */
    private long quackAdvancedAtNanos = Long.MIN_VALUE;
    /** Each receiver's latest ack (the one with the highest {@code received}). */
    private final AckFrame[] latestAcks;

    AllToAllSender(int index, PicsouParams params, long recoveredQuackedSeq) {
        this.guard = LinkGuard.atSender(params, index);
        this.index = index;
        this.params = params;
        this.window = new OutboxWindow(params, recoveredQuackedSeq);
        this.batches = new Batch[params.receivers()];
        this.timers = new ResendTimers[params.receivers()];
        this.writable = new boolean[params.receivers()];
        this.latestAcks = new AckFrame[params.receivers()];
        for (int j = 0; j < params.receivers(); j++) {
            batches[j] = new Batch(params.batchMaxBytes(), params.batchDelayNanos());
            timers[j] = new ResendTimers(params);
        }
        Arrays.fill(writable, true);
    }

    @Override
    public long onEntryCommitted(Entry entry, long nowNanos, ActionSink out) {
        window.add(entry, out);
        if (!guard.fenced()) {
            SentEntry firstSend = new SentEntry(entry, 0);
            for (Batch batch : batches) {
                batch.add(firstSend, nowNanos);
                if (batch.bytes() > BACKLOG_WINDOWS * params.windowBytes()) {
                    batch.dropUpTo(window.quackedSeq());
                }
            }
        }
        return pump(nowNanos, out);
    }

    @Override
    public long onFrame(Frame frame, long nowNanos, ActionSink out) {
        AckFrame ack = guard.acceptAck(frame, out);
        if (ack != null) {
            timers[ack.from()].cancelHeldBy(ack);
            if (latestAcks[ack.from()] == null || ack.received() >= latestAcks[ack.from()].received()) {
                latestAcks[ack.from()] = ack;
            }
            if (window.recordAck(ack.from(), ack.durable(), out)) {
                onQuackAdvanced(nowNanos);
            }
        }
        return pump(nowNanos, out);
    }

    @Override
    public long onLinkWritable(int receiver, boolean isWritable, long nowNanos, ActionSink out) {
        // Send a batch delay later, not now: the links of one uplink turn writable together but are reported one
        // by one (and may reach this engine spread over a moment), and pumping on the first report would fill the
        // uplink with that receiver's batch before the others are known to be writable again — the receiver
        // reported first would take nearly all of it.
        writable[Objects.checkIndex(receiver, params.receivers())] = isWritable;
        return nowNanos + params.stallWaitNanos();
    }

    @Override
    public long onTick(long nowNanos, ActionSink out) {
        return pump(nowNanos, out);
    }

    @Override
    public long quackedSeq() {
        return window.quackedSeq();
    }

    @Override
    public long committedSeq() {
        return window.committedSeq();
    }

    private void onQuackAdvanced(long nowNanos) {
        quackAdvancedAtNanos = nowNanos;
        long quacked = window.quackedSeq();
        for (int j = 0; j < params.receivers(); j++) {
            timers[j].cancelUpTo(quacked);
        }
    }

    /**
     * Queues the copies whose timer expired, except of entries that receivers with {@code receiverU + 1} stake
     * already report holding (the receiving site has those and commits them itself, so another copy to this
     * receiver adds nothing), and except while the QUACK advanced within the timeout: the stream is moving, and
     * with every entry going out {@code receivers} times from every sender a copy can wait long behind the others
     * in a saturated uplink — resending it would only add to that queue. Such a timer is armed again.
     */
    private void queueResends(int receiver, long nowNanos) {
        for (ResendTimers.Timer timer : timers[receiver].expire(nowNanos)) {
            Entry entry = window.entry(timer.seq());
            if (entry == null || heldByCorrectReceiver(timer.seq())) {
                continue;
            }
            if (quackAdvancedAtNanos != Long.MIN_VALUE
                    && nowNanos - quackAdvancedAtNanos < timers[receiver].timeoutNanos(timer.attempt())) {
                timers[receiver].arm(timer.seq(), timer.attempt(), nowNanos);
                continue;
            }
            batches[receiver].add(new SentEntry(entry, timer.attempt() + 1), nowNanos);
        }
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder("AllToAllSender[").append(index).append(" committed=")
                .append(window.committedSeq()).append(" quacked=").append(window.quackedSeq()).append(" batches=");
        for (int j = 0; j < batches.length; j++) {
            b.append(j == 0 ? "" : ",").append(batches[j].bytes() / 1024).append("KB").append(writable[j] ? "" : "!");
        }
        return b.append(']').toString();
    }

    private boolean heldByCorrectReceiver(long seq) {
        long stake = 0;
        for (int j = 0; j < latestAcks.length; j++) {
            if (latestAcks[j] != null && latestAcks[j].holds(seq)) {
                stake += params.receiverStake(j);
            }
        }
        return stake >= params.receiverU() + 1L;
    }

    /**
     * Queues expired resends and sends the due batches one frame per receiver in turn, starting after the receiver
     * that went first last time, until each is sent or its link is full: receivers behind one uplink share it
     * fairly, as separate TCP connections would, instead of the first receiver taking it all while the last one's
     * batch only grows. Returns the next deadline.
     */
    private long pump(long nowNanos, ActionSink out) {
        if (guard.fenced()) {
            return Long.MAX_VALUE;
        }
        int n = params.receivers();
        for (int j = 0; j < n; j++) {
            queueResends(j, nowNanos);
        }
        boolean sent = true;
        while (sent) {
            sent = false;
            for (int k = 0; k < n; k++) {
                int j = (firstReceiver + k) % n;
                if (writable[j] && batches[j].dueNanos() <= nowNanos) {
                    sent |= sendOneFrame(j, nowNanos, out);
                }
            }
        }
        firstReceiver = (firstReceiver + 1) % n;
        long next = Long.MAX_VALUE;
        for (int j = 0; j < n; j++) {
            if (writable[j]) {
                next = Math.min(next, batches[j].dueNanos());
            }
            next = Math.min(next, timers[j].nextDeadlineNanos());
        }
        return next;
    }

    /** Sends one frame's worth of {@code receiver}'s batch; returns whether something was sent. */
    private boolean sendOneFrame(int receiver, long nowNanos, ActionSink out) {
        List<SentEntry> entries = batches[receiver].take(0);
        if (entries.isEmpty()) {
            return false;
        }
        boolean more = out.send(receiver, guard.sign(new DataFrame(params.linkId(), params.epoch(), index,
                receiver, window.quackedSeq(), entries, Mac.NONE)));
        long quacked = window.quackedSeq();
        for (SentEntry sent : entries) {
            if (sent.entry().seq() > quacked) {
                // A QUACKed entry is delivered: its copy goes out (this is all-to-all) but is never resent.
                timers[receiver].arm(sent.entry().seq(), sent.attempt(), nowNanos);
            }
        }
        if (!more) {
            // The link is full: hold the rest until it says it is writable again. Pushing the whole window
            // into a full link only queues it there, and the timers, armed now, expire while it waits.
            writable[receiver] = false;
        }
        return true;
    }
}
