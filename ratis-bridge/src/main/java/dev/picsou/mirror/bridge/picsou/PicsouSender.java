package dev.picsou.mirror.bridge.picsou;

import dev.picsou.mirror.bridge.model.AckFrame;
import dev.picsou.mirror.bridge.model.DataFrame;
import dev.picsou.mirror.bridge.model.Entry;
import dev.picsou.mirror.bridge.model.FencedFrame;
import dev.picsou.mirror.bridge.model.Frame;
import dev.picsou.mirror.bridge.model.Mac;
import dev.picsou.mirror.bridge.model.SentEntry;
import dev.picsou.mirror.bridge.wire.FrameAuthenticator;

import java.util.ArrayList;
import java.util.List;

/**
 * The Picsou sending endpoint of one replica (PICSOU.md). It sends its own share of the stream by the rotating
 * {@link SendSchedule}, within a window past the QUACKed prefix, batched per receiver; tracks QUACKs; detects losses
 * from acks (a hole behind later entries that outlives the reorder grace, reported by {@code r_r + 1} receiver stake)
 * and, as a backstop, from the adaptive retransmission timeout; and resends an entry when the schedule makes this
 * replica the sender of its next attempt.
 *
 * <p>Single-threaded and deterministic; see {@link StreamSender}.
 */
public final class PicsouSender implements StreamSender {
    private final PicsouParams params;
    private final int self;
    private final SendSchedule schedule;
    private final Quorums quorums;
    private final FrameAuthenticator authenticator;
    private final QuackTracker quacks;
    private final RetransmitTimer timer;
    private final OutboxWindow window;
    private final ReceiverView[] views;
    private final SendQueues queues;
    private final long[] lastClaimAt;

    private LinkState state = LinkState.RECOVERING;
    private long recoveringUntilNanos = Long.MIN_VALUE;
    private long committed;
    private long cursor;
    private long resends;
    private long scanDeadline = Long.MAX_VALUE;

    public PicsouSender(int index, PicsouParams params, long recoveredQuackedSeq) {
        if (index < 0 || index >= params.senders()) {
            throw new IllegalArgumentException("sender index " + index + " out of range [0, " + params.senders() + ")");
        }
        this.params = params;
        this.self = index;
        this.schedule = new SendSchedule(params);
        this.quorums = Quorums.of(params);
        this.authenticator = params.authenticated()
                ? FrameAuthenticator.fromSecret(params.linkSecret()) : FrameAuthenticator.none();
        int[] stakes = new int[params.receivers()];
        for (int j = 0; j < stakes.length; j++) {
            stakes[j] = params.receiverStake(j);
        }
        this.quacks = new QuackTracker(stakes, quorums.quackStake(), recoveredQuackedSeq);
        this.timer = new RetransmitTimer(params.initialRetransmitTimeoutNanos(),
                params.minRetransmitTimeoutNanos(), params.maxRetransmitTimeoutNanos());
        this.window = new OutboxWindow(recoveredQuackedSeq);
        this.views = new ReceiverView[params.receivers()];
        for (int j = 0; j < views.length; j++) {
            views[j] = new ReceiverView();
        }
        this.queues = new SendQueues(params.receivers(), params.batchMaxBytes(), params.batchDelayNanos());
        this.lastClaimAt = new long[params.receivers()];
        java.util.Arrays.fill(lastClaimAt, Long.MIN_VALUE / 2);
        this.committed = recoveredQuackedSeq;
        this.cursor = recoveredQuackedSeq + 1;
        if (recoveredQuackedSeq == 0) {
            state = LinkState.STREAMING;
        }
    }

    @Override
    public long onEntryCommitted(Entry entry, long nowNanos, ActionSink out) {
        if (entry.seq() != committed + 1) {
            throw new IllegalArgumentException("entries must be committed in seq order: expected " + (committed + 1)
                    + ", got " + entry.seq());
        }
        committed = entry.seq();
        window.append(entry);
        return step(nowNanos, out);
    }

    @Override
    public long onFrame(Frame frame, long nowNanos, ActionSink out) {
        if (state == LinkState.FENCED) {
            return Long.MAX_VALUE;
        }
        String problem = check(frame);
        if (problem != null) {
            out.refused(frame.from(), problem);
            return step(nowNanos, out);
        }
        if (frame instanceof FencedFrame fenced) {
            state = LinkState.FENCED;
            out.fenced(fenced);
            return Long.MAX_VALUE;
        }
        AckFrame ack = (AckFrame) frame;
        int j = ack.from();
        views[j].onAck(ack, nowNanos);
        long before = quacks.quacked();
        long after = quacks.onAck(j, ack.durable());
        if (state == LinkState.RECOVERING) {
            state = LinkState.STREAMING;
        }
        if (after > before) {
            onQuacked(before, after, nowNanos, out);
        }
        scanDeadline = nowNanos;
        return step(nowNanos, out);
    }

    @Override
    public long onLinkWritable(int receiver, boolean writable, long nowNanos, ActionSink out) {
        queues.setWritable(receiver, writable);
        return step(nowNanos, out);
    }

    @Override
    public long onTick(long nowNanos, ActionSink out) {
        return step(nowNanos, out);
    }

    @Override
    public long quackedSeq() {
        return quacks.quacked();
    }

    @Override
    public long committedSeq() {
        return committed;
    }

    /** Transmissions of this replica with {@code attempt > 0}. */
    public long resends() {
        return resends;
    }

    public LinkState state() {
        return state;
    }

    /** Smoothed QUACK latency in nanoseconds, or -1 before the first sample. */
    public long smoothedQuackLatencyNanos() {
        return timer.smoothedNanos();
    }

    private String check(Frame frame) {
        if (frame.linkId() != params.linkId()) {
            return "frame for link " + frame.linkId() + ", this is link " + params.linkId();
        }
        if (frame.fromSendingSite()) {
            return "data frame sent to a sending replica";
        }
        if (frame.from() < 0 || frame.from() >= params.receivers() || frame.to() != self) {
            return "frame from receiver " + frame.from() + " to sender " + frame.to() + " does not fit this link ("
                    + params.receivers() + " receivers, this is sender " + self + ")";
        }
        if (!authenticator.verify(frame)) {
            return "authenticator does not verify for pair (" + self + ", " + frame.from() + ")";
        }
        if (frame instanceof FencedFrame) {
            return frame.epoch() > params.epoch() ? null
                    : "FENCED at epoch " + frame.epoch() + " is not newer than ours (" + params.epoch() + ")";
        }
        if (frame.epoch() != params.epoch()) {
            return "ack of epoch " + frame.epoch() + ", link runs epoch " + params.epoch();
        }
        return null;
    }

    private void onQuacked(long before, long after, long nowNanos, ActionSink out) {
        long top = Math.min(after, window.top());
        for (long s = Math.max(before, window.floor()) + 1; s <= top; s++) {
            long sentAt = window.firstSentAt(s);
            if (sentAt != OutboxWindow.NEVER && window.attempt(s) == 0) {
                timer.onSample(nowNanos - sentAt);
            }
        }
        window.dropThrough(after);
        cursor = Math.max(cursor, after + 1);
        out.quacked(after);
    }

    /** Everything the engine does after an event: fill the window, detect losses, flush batches, claim QUACKs. */
    private long step(long nowNanos, ActionSink out) {
        if (state == LinkState.FENCED) {
            return Long.MAX_VALUE;
        }
        if (state == LinkState.RECOVERING && recoveringUntilNanos == Long.MIN_VALUE) {
            recoveringUntilNanos = nowNanos + params.initialRetransmitTimeoutNanos();
        }
        if (state == LinkState.RECOVERING && nowNanos >= recoveringUntilNanos) {
            state = LinkState.STREAMING;
        }
        fillWindow(nowNanos);
        if (nowNanos >= scanDeadline) {
            scanDeadline = scanForLosses(nowNanos);
        }
        maybeClaim(nowNanos, out);
        long flushDeadline = queues.flush(nowNanos, (receiver, batch) -> sendBatch(receiver, batch, out));
        long deadline = Math.min(scanDeadline, flushDeadline);
        if (state == LinkState.RECOVERING) {
            deadline = Math.min(deadline, recoveringUntilNanos);
        }
        return deadline;
    }

    /** Marks newly sendable entries as due and queues this replica's share of them (attempt 0). */
    private void fillWindow(long nowNanos) {
        long quacked = quacks.quacked();
        long limit = Math.min(committed, quacked + params.windowEntries());
        boolean sending = state == LinkState.STREAMING;
        while (cursor <= limit && window.contains(cursor) && window.bytesThrough(cursor) <= params.windowBytes()) {
            long seq = cursor++;
            window.markDue(seq, nowNanos);
            if (sending && schedule.sender(seq, 0) == self) {
                window.markFirstSent(seq, nowNanos);
                queues.add(schedule.receiver(seq, 0), new SentEntry(window.entry(seq), 0), nowNanos);
            }
            scanDeadline = Math.min(scanDeadline, nowNanos + timer.timeoutNanos(0));
        }
    }

    /**
     * Declares the next attempt of every entry that is lost — a confirmed hole (duplicate QUACK) or an expired
     * retransmission timeout on an entry no correct receiver reports holding — and queues the attempts this replica
     * is scheduled to make. Returns when it next needs to look.
     */
    private long scanForLosses(long nowNanos) {
        long grace = params.reorderGraceNanos();
        long[] horizon = new long[views.length];
        long next = Long.MAX_VALUE;
        for (int j = 0; j < views.length; j++) {
            horizon[j] = views[j].confirmedHorizon(nowNanos, grace);
            next = Math.min(next, views[j].nextConfirmationAt(nowNanos, grace));
        }
        long last = Math.min(cursor - 1, window.top());
        for (long seq = window.floor() + 1; seq <= last; seq++) {
            long due = window.dueAt(seq);
            int attempt = window.attempt(seq);
            long timeout = timer.timeoutNanos(attempt);
            long held = 0;
            long missing = 0;
            for (int j = 0; j < views.length; j++) {
                if (views[j].holds(seq)) {
                    held += params.receiverStake(j);
                } else if (seq < horizon[j]) {
                    missing += params.receiverStake(j);
                }
            }
            if (held >= quorums.heldStake()) {
                continue;
            }
            long holdoff = attempt == 0 ? grace : timeout;
            boolean duplicateQuack = missing >= quorums.lossStake() && nowNanos >= due + holdoff;
            boolean timedOut = nowNanos >= due + timeout;
            if (duplicateQuack || timedOut) {
                resend(seq, nowNanos);
                next = Math.min(next, nowNanos + timer.timeoutNanos(window.attempt(seq)));
            } else {
                next = Math.min(next, missing >= quorums.lossStake() ? due + holdoff : due + timeout);
            }
        }
        return next;
    }

    private void resend(long seq, long nowNanos) {
        int attempt = window.nextAttempt(seq, nowNanos);
        if (schedule.sender(seq, attempt) == self && state == LinkState.STREAMING) {
            resends++;
            queues.add(schedule.receiver(seq, attempt), new SentEntry(window.entry(seq), attempt), nowNanos);
        }
    }

    /**
     * Garbage-collection stall fix: a receiver whose {@code received} prefix is stuck below our QUACK is sent our
     * QUACK claim (an empty data frame), at most once per retransmission timeout.
     */
    private void maybeClaim(long nowNanos, ActionSink out) {
        long quacked = quacks.quacked();
        long stuckFor = timer.timeoutNanos(0);
        for (int j = 0; j < views.length; j++) {
            AckFrame latest = views[j].latest();
            if (latest == null || latest.received() >= quacked || queues.hasQueued(j)
                    || nowNanos - views[j].receivedSinceNanos() < stuckFor || nowNanos - lastClaimAt[j] < stuckFor) {
                continue;
            }
            lastClaimAt[j] = nowNanos;
            sendBatch(j, List.of(), out);
        }
    }

    private void sendBatch(int receiver, List<SentEntry> batch, ActionSink out) {
        DataFrame frame = new DataFrame(params.linkId(), params.epoch(), self, receiver, quacks.quacked(),
                new ArrayList<>(batch), Mac.NONE);
        out.send(receiver, authenticator.sign(frame));
    }
}
