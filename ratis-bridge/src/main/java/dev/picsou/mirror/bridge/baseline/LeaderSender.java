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
 * The sender of the leader-based baselines (leader-to-leader and OTU). Only the current leader of the sending site
 * sends: it admits entries through the window into one batch, and each due batch goes to the receivers its
 * {@link Targets} choose. An entry not QUACKed within the retransmission timeout joins the batch again (next attempt,
 * exponential backoff), so it goes to whatever receivers the next batch goes to.
 *
 * <p>Every replica keeps its un-QUACKed entries so that it can take over. Acks go to the leader only, so a non-leader
 * learns no QUACKs and keeps everything it committed; when it becomes leader it resends everything above its own
 * QUACKed prefix (acks then tell it what is durable already). A replica that stops leading drops its batch and
 * timers.
 */
final class LeaderSender implements StreamSender {

    /** Chooses the receiving replicas of the next batch. */
    interface Targets {
        /**
         * The receivers the next batch goes to, or an empty array to hold the batch until a link becomes writable.
         * Called once per batch sent, so an implementation may rotate.
         */
        int[] next(int receiverLeader, boolean[] writable);
    }

    private final int index;
    private final PicsouParams params;
    private final LinkGuard guard;
    private final Targets targets;
    private final OutboxWindow window;
    private final Batch batch;
    private final ResendTimers timers;
    private final boolean[] writable;
    private int senderLeader;
    private int receiverLeader;
    private boolean held;

    LeaderSender(int index, PicsouParams params, long recoveredQuackedSeq, Targets targets) {
        this.guard = LinkGuard.atSender(params, index);
        this.index = index;
        this.params = params;
        this.targets = targets;
        this.window = new OutboxWindow(params, recoveredQuackedSeq);
        this.batch = new Batch(params.batchMaxBytes(), params.batchDelayNanos());
        this.timers = new ResendTimers(params);
        this.writable = new boolean[params.receivers()];
        Arrays.fill(writable, true);
        this.senderLeader = params.senderLeader();
        this.receiverLeader = params.receiverLeader();
    }

    @Override
    public long onEntryCommitted(Entry entry, long nowNanos, ActionSink out) {
        window.add(entry, out);
        return pump(nowNanos, out);
    }

    @Override
    public long onFrame(Frame frame, long nowNanos, ActionSink out) {
        AckFrame ack = guard.acceptAck(frame, out);
        if (ack != null && window.recordAck(ack.from(), ack.durable(), out)) {
            timers.cancelUpTo(window.quackedSeq());
        }
        return pump(nowNanos, out);
    }

    @Override
    public long onLinkWritable(int receiver, boolean isWritable, long nowNanos, ActionSink out) {
        writable[Objects.checkIndex(receiver, params.receivers())] = isWritable;
        held = false;
        return pump(nowNanos, out);
    }

    @Override
    public long onLeaderChanged(int newSenderLeader, int newReceiverLeader, long nowNanos, ActionSink out) {
        Objects.checkIndex(newSenderLeader, params.senders());
        Objects.checkIndex(newReceiverLeader, params.receivers());
        boolean wasLeading = leading();
        senderLeader = newSenderLeader;
        receiverLeader = newReceiverLeader;
        held = false;
        if (leading() != wasLeading) {
            batch.clear();
            timers.clear();
            window.restartFromQuacked();
        }
        return pump(nowNanos, out);
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

    private boolean leading() {
        return senderLeader == index;
    }

    /** Admits what the window allows, queues expired resends, sends the batch when due; returns the next deadline. */
    private long pump(long nowNanos, ActionSink out) {
        if (!leading() || guard.fenced()) {
            return Long.MAX_VALUE;
        }
        for (Entry entry : window.admit()) {
            batch.add(new SentEntry(entry, 0), nowNanos);
        }
        for (ResendTimers.Timer timer : timers.expire(nowNanos)) {
            Entry entry = window.entry(timer.seq());
            if (entry != null) {
                batch.add(new SentEntry(entry, timer.attempt() + 1), nowNanos);
            }
        }
        while (!held && batch.dueNanos() <= nowNanos) {
            sendBatch(nowNanos, out);
        }
        long batchDue = held ? Long.MAX_VALUE : batch.dueNanos();
        return Math.min(batchDue, timers.nextDeadlineNanos());
    }

    private void sendBatch(long nowNanos, ActionSink out) {
        batch.dropUpTo(window.quackedSeq());
        if (batch.isEmpty()) {
            return;
        }
        int[] to = targets.next(receiverLeader, writable);
        if (to.length == 0) {
            held = true;
            return;
        }
        List<SentEntry> entries = batch.take(window.quackedSeq());
        for (int receiver : to) {
            out.send(receiver, guard.sign(new DataFrame(params.linkId(), params.epoch(), index, receiver,
                    window.quackedSeq(), entries, Mac.NONE)));
        }
        for (SentEntry sent : entries) {
            timers.arm(sent.entry().seq(), sent.attempt(), nowNanos);
        }
    }
}
