package dev.picsou.mirror.bridge.picsou;

import dev.picsou.mirror.bridge.model.AckFrame;
import dev.picsou.mirror.bridge.model.DataFrame;
import dev.picsou.mirror.bridge.model.Entry;
import dev.picsou.mirror.bridge.model.FencedFrame;
import dev.picsou.mirror.bridge.model.ForkPoint;
import dev.picsou.mirror.bridge.model.Frame;
import dev.picsou.mirror.bridge.model.Mac;
import dev.picsou.mirror.bridge.model.SentEntry;
import dev.picsou.mirror.bridge.wire.FrameAuthenticator;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * The Picsou sending endpoint of one replica (PICSOU.md). It sends its own share of the stream by the rotating
 * {@link SendSchedule}, within a window past the QUACKed prefix, batched per receiver; tracks QUACKs; detects losses
 * from acks (a hole behind later entries that outlives the reorder grace, reported by {@code r_r + 1} receiver stake)
 * and, as a backstop, from the adaptive retransmission timeout; and resends an entry when the schedule makes this
 * replica the sender of its next attempt. A sending replica that its view shows down ({@link SenderSuspicion}) has
 * its share of new entries taken over: the sender of the first attempt not owed by a suspected replica sends it at
 * the pace of its own stream, and every replica times that attempt as the first.
 *
 * <p>Single-threaded and deterministic; see {@link StreamSender}.
 */
public final class PicsouSender implements StreamSender {
    private final PicsouParams params;
    private final int self;
    private final SendSchedule schedule;
    private final Quorums quorums;
    private final FrameAuthenticator authenticator;
    private final SenderFrameCheck frameCheck;
    private final QuackTracker quacks;
    private final RetransmitTimer timer;
    private final OutboxWindow window;
    private final ReceiverView[] views;
    private final SendQueues queues;
    private final long[] lastClaimAt;
    private final int[] receiverStakes;
    /** Per-receiver scratch of {@link #scanForLosses}, which runs on every ack: reused, not allocated. */
    private final long[] scanHorizon;
    private final boolean[] scanSilent;
    private final SenderSuspicion suspicion;
    private final PeerLateness lateness;

    private LinkState state = LinkState.RECOVERING;
    private long recoveringUntilNanos = Long.MIN_VALUE;
    private long committed;
    private long cursor;
    /** Highest seq whose position this replica's own stream has passed (flushed, or skipped while recovering). */
    private long passed;
    /** Entries up to this one were in the window when this replica came back from a restart (not sent). */
    private long rejoinThrough;
    /** Entries below this have their attempt-0 due time set. */
    private long dueCursor;
    private long resends;
    /** Copies this replica did not send because receivers already held the entry. */
    private long alreadyHeld;
    private long takeovers;
    private long lossesByAcks;
    private long lossesByTimeout;
    /** How many quarters of the smallest latency the reorder grace spans; grows when a resend proves spurious. */
    private int reorderQuarters = 1;
    /**
     * Extra wait before a loss is declared, on top of the reorder grace and the timeout: each resend found spurious
     * adds an eighth of the grace, each one that was needed takes a quarter off, never more than one grace. The
     * adaptive grace above cannot help where the configured floor dominates it, and a floor-dominated sender whose
     * peers run late (a loaded Raft follower applies, and sends its share, late) would otherwise resend their shares
     * at every such stall.
     */
    private long lateAllowanceNanos;
    private long spuriousResends;
    private long firstAckAtNanos = Long.MIN_VALUE;
    private long scanDeadline = Long.MAX_VALUE;
    /** Resent entries not yet judged needed or spurious ({@link #judgeResend}); few, so a sorted set. */
    private final TreeSet<Long> unjudgedResends = new TreeSet<>();
    /** Entries up to here were looked at for a first arrival once held in a receiver's prefix. */
    private long arrivalsNotedThrough;

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
        this.frameCheck = new SenderFrameCheck(params, index, authenticator);
        int[] stakes = new int[params.receivers()];
        for (int j = 0; j < stakes.length; j++) {
            stakes[j] = params.receiverStake(j);
        }
        this.quacks = new QuackTracker(stakes, quorums.quackStake(), recoveredQuackedSeq);
        this.receiverStakes = stakes.clone();
        this.scanHorizon = new long[params.receivers()];
        this.scanSilent = new boolean[params.receivers()];
        this.timer = new RetransmitTimer(params.initialRetransmitTimeoutNanos(),
                params.minRetransmitTimeoutNanos(), params.maxRetransmitTimeoutNanos());
        this.window = new OutboxWindow(recoveredQuackedSeq);
        this.views = new ReceiverView[params.receivers()];
        for (int j = 0; j < views.length; j++) {
            views[j] = new ReceiverView();
        }
        this.queues = SendQueues.of(params);
        this.suspicion = new SenderSuspicion(params, schedule, index);
        this.lateness = PeerLateness.of(index, params);
        this.lastClaimAt = new long[params.receivers()];
        java.util.Arrays.fill(lastClaimAt, Long.MIN_VALUE / 2);
        this.committed = recoveredQuackedSeq;
        this.cursor = recoveredQuackedSeq + 1;
        this.passed = recoveredQuackedSeq;
        this.dueCursor = recoveredQuackedSeq + 1;
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
        return step(nowNanos, false, out);
    }

    @Override
    public long onFrame(Frame frame, long nowNanos, ActionSink out) {
        if (state == LinkState.FENCED) {
            return Long.MAX_VALUE;
        }
        if (frame instanceof DataFrame && frame.epoch() < params.epoch()
                && frame.from() >= 0 && frame.from() < params.receivers()) {
            // The other site streams in an older epoch: it was the primary before this site took over (a failover).
            // Tell it, with the fork point, as a mirror would.
            out.send(frame.from(), authenticator.sign(new FencedFrame(params.linkId(), params.epoch(), self,
                    frame.from(), new ForkPoint(params.epoch(), params.forkSeq()), Mac.NONE)));
            return step(nowNanos, false, out);
        }
        String problem = frameCheck.problem(frame);
        if (problem != null) {
            out.refused(frame.from(), problem);
            return step(nowNanos, false, out);
        }
        if (frame instanceof FencedFrame fenced) {
            state = LinkState.FENCED;
            out.fenced(fenced);
            return Long.MAX_VALUE;
        }
        AckFrame ack = (AckFrame) frame;
        int j = ack.from();
        if (firstAckAtNanos == Long.MIN_VALUE) {
            firstAckAtNanos = nowNanos;
        }
        AckFrame previous = views[j].latest();
        if (views[j].onAck(ack, nowNanos, regressionNanos())) {
            sampleHeldLatency(ack, previous, nowNanos);
        }
        long before = quacks.quacked();
        long after = quacks.onAck(j, ack.durable());
        if (state == LinkState.RECOVERING) {
            startStreaming(Math.max(after, ack.durable()));
        }
        if (after > before) {
            onQuacked(before, after, nowNanos, out);
        }
        scanDeadline = nowNanos;
        return step(nowNanos, false, out);
    }

    @Override
    public long onLinkWritable(int receiver, boolean writable, long nowNanos, ActionSink out) {
        // Flush on the next tick, not now: several links usually change together (one uplink), and flushing
        // into the first one that drains would send its whole queue ahead of older entries for the others.
        queues.setWritable(receiver, writable);
        return nowNanos;
    }

    @Override
    public long onTick(long nowNanos, ActionSink out) {
        return step(nowNanos, true, out);
    }

    @Override
    public long quackedSeq() {
        return quacks.quacked();
    }

    @Override
    public long committedSeq() {
        return committed;
    }

    /** Transmissions of this replica after a declared loss (attempt above the entry's first; takeovers aside). */
    public long resends() {
        return resends;
    }

    /** Entries of a suspected replica's share that this replica sent in its stream instead (see the class doc). */
    public long takeovers() {
        return takeovers;
    }

    /** The sending replicas this replica's view shows down now, in index order. */
    public List<Integer> suspectedSenders() {
        return suspicion.suspectedSenders();
    }

    /** Losses this replica declared from acks (duplicate QUACK), whoever resends them. */
    public long lossesDetectedByAcks() {
        return lossesByAcks;
    }

    /** Losses this replica declared because the retransmission timeout expired. */
    public long lossesDetectedByTimeout() {
        return lossesByTimeout;
    }

    public LinkState state() {
        return state;
    }

    /** Smoothed latency from our send to the receiver's report of holding it, or -1 before the first sample. */
    public long smoothedQuackLatencyNanos() {
        return timer.smoothedNanos();
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("PicsouSender[").append(self).append(' ').append(state)
                .append(" committed=").append(committed).append(" quacked=").append(quacks.quacked())
                .append(" cursor=").append(cursor).append(" passed=").append(passed).append(" due<").append(dueCursor)
                .append(" queued=").append(queues.queuedEntries()).append(" srtt=").append(timer.smoothedNanos())
                .append(" rto0=").append(timer.timeoutNanos(0)).append(" scanAt=").append(scanDeadline)
                .append(" lossesByAcks=").append(lossesByAcks).append(" lossesByTimeout=").append(lossesByTimeout)
                .append(" spurious=").append(spuriousResends).append(" grace=").append(reorderGraceNanos())
                .append(" late+=").append(lateAllowanceNanos).append(" peerLate=").append(lateness.maxLateNanos())
                .append(" takeovers=").append(takeovers).append(" alreadyHeld=").append(alreadyHeld)
                .append(" suspected=").append(suspicion.suspectedSenders());
        long first = window.floor() + 1;
        if (window.contains(first)) {
            sb.append(" first{seq=").append(first).append(" attempt=").append(window.attempt(first))
                    .append(" due=").append(window.dueAt(first)).append('}');
        }
        for (int j = 0; j < views.length; j++) {
            AckFrame a = views[j].latest();
            sb.append(" r").append(j).append('=').append(a == null ? "-" : a.received() + "/" + a.durable()
                    + "/" + a.highestHeld());
            if (views[j].regressions() > 0) {
                sb.append("(went back ").append(views[j].regressions()).append("x)");
            }
        }
        return sb.append(']').toString();
    }

    /**
     * Takes one latency sample from an ack: our newest first send (among the 64 entries below the top of what the
     * receiver holds) that this ack reports held while the receiver's previous ack spoke for it and reported it
     * missing — so it arrived between the two acks, and the time from our flush to now is its latency give or take
     * an ack interval. Entries a receiver could not yet report (beyond its φ-list, or before its first ack) would
     * measure how long the report waited, not the network — except for the very first sample, which may come from a
     * receiver's first ack: an upper bound, better than the initial timeout, and the same for every sender, which
     * keeps their attempt clocks together from the start. Karn: resent entries give no sample. Each entry gives
     * one at most. A sample under half the smallest one so far is dropped: another replica's copy answered it (a
     * resend of an entry this replica's view has not declared lost yet, or a takeover by replicas that suspect this
     * one down), and taking it would shrink the reorder grace for good.
     */
    private void sampleHeldLatency(AckFrame ack, AckFrame previous, long nowNanos) {
        if (previous == null && timer.smoothedNanos() >= 0) {
            return;
        }
        long top = Math.min(ack.highestHeld(), Math.min(dueCursor - 1, window.top()));
        long bottom = Math.max(window.floor() + 1, top - 64);
        for (long seq = top; seq >= bottom; seq--) {
            long sentAt = window.firstSentAt(seq);
            if (sentAt != OutboxWindow.NEVER && window.attempt(seq) == 0 && ack.holds(seq) && (previous == null
                    || previous.received() + 1 + params.phiBits() >= seq && !previous.holds(seq))) {
                long sample = nowNanos - sentAt;
                long min = timer.minSampleNanos();
                if (min < 0 || sample >= min / 2) {
                    timer.onSample(sample);
                }
                window.markFirstSent(seq, OutboxWindow.NEVER);
                return;
            }
        }
    }

    private void onQuacked(long before, long after, long nowNanos, ActionSink out) {
        window.dropThrough(after);
        unjudgedResends.headSet(after, true).clear();
        cursor = Math.max(cursor, after + 1);
        out.quacked(after);
    }

    /** After an event or a tick (only ticks send partial batches): fill the window, detect losses, flush, claim. */
    private long step(long nowNanos, boolean tick, ActionSink out) {
        if (state == LinkState.FENCED) {
            return Long.MAX_VALUE;
        }
        if (state == LinkState.RECOVERING && recoveringUntilNanos == Long.MIN_VALUE) {
            recoveringUntilNanos = nowNanos + params.initialRetransmitTimeoutNanos();
            // Announce ourselves with our QUACK floor: receivers that are further answer with acks at once.
            for (int j = 0; j < views.length; j++) {
                sendBatch(j, List.of(), nowNanos, out);
            }
        }
        if (state == LinkState.RECOVERING && nowNanos >= recoveringUntilNanos) {
            startStreaming(quacks.quacked());
        }
        fillWindow(nowNanos);
        flush(nowNanos, tick, out);
        markDue(nowNanos);
        if (nowNanos >= scanDeadline) {
            scanDeadline = scanForLosses(nowNanos);
        }
        maybeClaim(nowNanos, out);
        long flushDeadline = flush(nowNanos, tick, out);
        long deadline = Math.min(scanDeadline, flushDeadline);
        if (state == LinkState.RECOVERING) {
            deadline = Math.min(deadline, recoveringUntilNanos);
        }
        return deadline;
    }

    /**
     * Leaves {@link LinkState#RECOVERING}, the receiving site being durable through {@code durable} as far as this
     * replica knows. The other replicas' windows reach a window past that: they have passed those entries, and took
     * this replica's share of them over or will find it missing. Sending that share now would put this replica's
     * stream up to a window behind theirs, where all its later entries look late, so it is passed over like the
     * recovered entries. (A receiver lying about {@code durable} can only make more of it go by loss detection.)
     */
    private void startStreaming(long durable) {
        state = LinkState.STREAMING;
        rejoinThrough = Math.min(committed, durable + params.windowEntries());
    }

    /**
     * Marks newly sendable entries as due and queues this replica's share of them: attempt 0, or the first attempt
     * not owed by a suspected replica when that is this replica's (a takeover). A takeover goes where attempt 0
     * would have gone (only who sends an attempt needs agreement), which keeps each receiver's share of a round as
     * in the fault-free schedule; that attempt's own receiver would get two entries in some rounds and none in
     * others.
     */
    private void fillWindow(long nowNanos) {
        long quacked = quacks.quacked();
        long limit = Math.min(committed, quacked + params.windowEntries());
        boolean sending = state == LinkState.STREAMING;
        while (cursor <= limit && window.contains(cursor) && window.bytesThrough(cursor) <= params.windowBytes()) {
            long seq = cursor++;
            int first = suspicion.firstAttempt(seq);
            if (first > 0) {
                window.skipTo(seq, first);
            }
            if (!sending || seq <= rejoinThrough) {
                passed = Math.max(passed, seq);
            } else if (schedule.sender(seq, first) == self) {
                if (first > 0) {
                    takeovers++;
                }
                queues.add(target(seq, 0, nowNanos), new SentEntry(window.entry(seq), first), nowNanos);
            }
        }
    }

    /** Hands ready batches to the transport; returns when the next batch is ready by time. */
    private long flush(long nowNanos, boolean tick, ActionSink out) {
        queues.moveFrom(j -> silent(j, nowNanos), e -> retarget(e, nowNanos), nowNanos);
        long next = queues.flush(nowNanos, tick, (receiver, batch) -> sendBatch(receiver, batch, nowNanos, out));
        if (state == LinkState.STREAMING && queues.queuedEntries() == 0) {
            // Nothing of ours is waiting: our stream has passed every position in the window.
            passed = Math.max(passed, cursor - 1);
        }
        return next;
    }

    /**
     * Starts the clock of attempt 0 of every entry whose position this replica's own stream has passed. Replicas
     * send their shares at about the same pace, so this is about when the entry's own sender sent it too (a
     * replica that runs steadily behind gets its learnt lateness on top, see {@link PeerLateness}); timing from the
     * moment an entry entered the window instead would count its wait in the senders' queues as loss.
     */
    private void markDue(long nowNanos) {
        long through = Math.min(passed, cursor - 1);
        if (dueCursor <= window.floor()) {
            dueCursor = window.floor() + 1;
        }
        if (dueCursor <= through) {
            for (long seq = dueCursor; seq <= through; seq++) {
                window.markDue(seq, nowNanos);
            }
            dueCursor = through + 1;
            scanDeadline = Math.min(scanDeadline, nowNanos + reorderGraceNanos());
        }
    }

    /**
     * How long a receiver's acks must have said less than before until this replica believes it lost what it held
     * (see {@link ReceiverView}): a reorder grace, and at least four ack intervals.
     */
    private long regressionNanos() {
        return Math.max(reorderGraceNanos(), 4 * params.ackIntervalNanos());
    }

    /**
     * The reorder grace: the configured one, or a quarter of the smallest QUACK latency seen if that is longer
     * (as RACK does with {@code min_rtt / 4}), since shares of different senders overtake each other by up to
     * their queueing differences. Before the first sample, an eighth of the initial retransmission timeout.
     */
    public long reorderGraceNanos() {
        long min = timer.minSampleNanos();
        long adaptive = min < 0 ? params.initialRetransmitTimeoutNanos() / 8 : min * reorderQuarters / 4;
        return Math.max(params.reorderGraceNanos(), adaptive);
    }

    /**
     * Declares the next attempt of every entry that is lost — a confirmed hole (duplicate QUACK) or an expired
     * retransmission timeout on an entry no correct receiver reports holding — and queues the attempts this replica
     * is scheduled to make. Returns when it next needs to look.
     */
    private long scanForLosses(long nowNanos) {
        long grace = reorderGraceNanos();
        long[] horizon = scanHorizon;
        boolean[] silent = scanSilent;
        long next = Long.MAX_VALUE;
        for (int j = 0; j < views.length; j++) {
            horizon[j] = views[j].confirmedHorizon(nowNanos, grace);
            silent[j] = silent(j, nowNanos);
        }
        long last = Math.min(dueCursor - 1, window.top());
        // Every entry up to heldThrough is held by a correct receiver: nothing to declare there, only resends to
        // judge and first arrivals to note (each once). The walk below starts after it.
        long heldThrough = Math.min(last, ReceiverView.heldThrough(views, silent, receiverStakes, quorums.heldStake()));
        for (var it = unjudgedResends.headSet(heldThrough, true).iterator(); it.hasNext(); ) {
            long seq = it.next();
            it.remove();
            if (window.contains(seq) && window.attempt(seq) > 0 && !window.judged(seq)) {
                window.markJudged(seq);
                judgeResend(seq, window.attempt(seq), nowNanos);
            }
        }
        for (long seq = Math.max(window.floor(), arrivalsNotedThrough) + 1; seq <= heldThrough; seq++) {
            if (window.attempt(seq) == 0) {
                noteArrival(seq, nowNanos);
            }
        }
        arrivalsNotedThrough = Math.max(arrivalsNotedThrough, heldThrough);
        for (long seq = Math.max(window.floor(), heldThrough) + 1; seq <= last; seq++) {
            long due = window.dueAt(seq);
            int attempt = window.attempt(seq);
            int first = window.firstAttempt(seq);
            long timeout = timeoutNanos(attempt - first);
            long held = 0;
            long missing = 0;
            long behind = 0;
            boolean heard = false;
            boolean covered = false;
            for (int j = 0; j < views.length; j++) {
                if (views[j].latest() == null || silent[j]) {
                    // A receiver gone silent may have crashed with what it held but had not got committed: its
                    // last word neither proves an entry safe nor reveals a hole.
                    continue;
                }
                heard = true;
                if (views[j].holds(seq)) {
                    held += receiverStakes[j];
                } else if (views[j].covers(seq, params.phiBits())) {
                    covered = true;
                    if (views[j].latest().highestHeld() > seq) {
                        behind += receiverStakes[j];
                    }
                    if (seq < horizon[j]) {
                        missing += receiverStakes[j];
                    }
                }
            }
            if (held > 0 && attempt > 0 && !window.judged(seq)) {
                window.markJudged(seq);
                unjudgedResends.remove(seq);
                judgeResend(seq, attempt, nowNanos);
            }
            if (attempt == 0 && held >= quorums.heldStake()) {
                noteArrival(seq, nowNanos);
            }
            if (held >= quorums.heldStake() || (heard && !covered)) {
                // Held by a correct replica, or beyond what any ack speaks for: not known to be lost. (With no ack
                // at all, the timeout is all there is to go on.)
                continue;
            }
            // The current attempt's sender may run steadily behind this one: wait for its lag, unless it looks down.
            int by = schedule.sender(seq, attempt);
            long late = lateAllowanceNanos + (suspicion.suspected(by) ? 0 : lateness.lateNanos(by));
            long holdoff = (attempt == 0 ? grace : timeout) + late;
            timeout += late;
            boolean duplicateQuack = missing >= quorums.lossStake() && nowNanos >= due + holdoff;
            boolean timedOut = nowNanos >= due + timeout;
            if (duplicateQuack || timedOut) {
                if (duplicateQuack) {
                    lossesByAcks++;
                } else {
                    lossesByTimeout++;
                }
                if (attempt == 0 && behind >= quorums.lossStake()) {
                    window.markShareLost(seq);
                }
                resend(seq, nowNanos);
                next = Math.min(next, nowNanos + timeoutNanos(window.attempt(seq) - first));
            } else {
                next = Math.min(next, missing >= quorums.lossStake() ? due + holdoff : due + timeout);
            }
        }
        return next;
    }

    /**
     * A resend (now attempt {@code attempt}) declared {@code sinceDeclared} ago is already reported held: sooner
     * than any resend could have arrived and been reported (half the smallest latency), so the original was only
     * late. As RACK does on DSACK, widen the reorder grace by a quarter of the smallest latency, up to a whole one,
     * and grow the late allowance; a resend that was needed shrinks the allowance. An attempt 0 declared lost behind
     * later entries is a loss of its sender's share only once its resend proved needed; if the resend was spurious,
     * the late attempt 0 is an arrival of its sender.
     */
    private void judgeResend(long seq, int attempt, long nowNanos) {
        long min = timer.minSampleNanos();
        if (min < 0) {
            return;
        }
        long grace = reorderGraceNanos();
        boolean spurious = nowNanos - window.dueAt(seq) < min / 2;
        if (attempt == 1 && window.firstAttempt(seq) == 0 && window.noteArrival(seq)) {
            // Spurious: the original arrived just now. Needed: it had not arrived when we declared it lost, so its
            // sender runs at least that late (or lost it: the estimate falls again as its copies arrive on time).
            long declared = window.dueAt(seq) - window.firstDueAt(seq);
            lateness.onArrival(schedule.sender(seq, 0), spurious ? nowNanos - window.firstDueAt(seq) : declared);
        }
        if (attempt == 1 && window.shareLost(seq) && suspicion.speaksForItsSender(seq)) {
            if (spurious) {
                suspicion.onShareArrived(seq);
            } else {
                suspicion.onShareLost(seq);
            }
        }
        if (spurious) {
            spuriousResends++;
            reorderQuarters = Math.min(4, reorderQuarters + 1);
            lateAllowanceNanos = Math.min(grace, lateAllowanceNanos + grace / 8);
        } else {
            lateAllowanceNanos = Math.max(0, lateAllowanceNanos - grace / 4);
        }
    }

    /**
     * Attempt 0 of {@code seq} is first reported held by a correct receiver (now): a sample of how late its sender
     * runs ({@link PeerLateness}), and an arrival of its sender if no other copy can be behind it. Takeovers are
     * excluded by {@link SenderSuspicion#speaksForItsSender}; resends by the timing: a resend is declared no sooner
     * than a reorder grace after later entries were reported held (a smallest latency after the entry was due), or a
     * retransmission timeout (taking ours for every replica's), and is reported held a smallest latency later.
     */
    private void noteArrival(long seq, long nowNanos) {
        if (!window.noteArrival(seq)) {
            return;
        }
        long sinceDue = nowNanos - window.dueAt(seq);
        lateness.onArrival(schedule.sender(seq, 0), sinceDue); // attempt 0 is current: no takeover, no resend
        long min = timer.minSampleNanos();
        long earliestResend = min < 0 ? Long.MAX_VALUE
                : Math.min(params.reorderGraceNanos() + min, timer.timeoutNanos(0)) + min;
        if (sinceDue < earliestResend && suspicion.speaksForItsSender(seq)) {
            suspicion.onShareArrived(seq);
        }
    }

    /** The extra wait before a loss is declared that spurious resends have taught this replica (0 to one grace). */
    public long lateAllowanceNanos() {
        return lateAllowanceNanos;
    }

    /** Resends this replica's view found spurious (the entry was held before a resend could arrive). */
    public long spuriousResends() {
        return spuriousResends;
    }

    /**
     * The receiver for attempt {@code attempt} of {@code seq}: the scheduled one, unless it has gone silent while
     * others ack, in which case the next scheduled receiver that is not silent. Which receiver gets an attempt needs
     * no agreement between senders (only who sends it does), so each sender may steer around a receiver it believes
     * crashed; a receiver that acks again is used again.
     */
    private int target(long seq, int attempt, long nowNanos) {
        for (int k = 0; k < params.receivers(); k++) {
            int next = schedule.receiver(seq, attempt + k);
            if (!silent(next, nowNanos)) {
                return next;
            }
        }
        return schedule.receiver(seq, attempt);
    }

    /** Where a copy queued for a receiver gone silent goes instead, as {@link #target} picks; -1 once QUACKed. */
    private int retarget(SentEntry e, long nowNanos) {
        long seq = e.entry().seq();
        return seq <= quacks.quacked() ? -1 : target(seq,
                window.contains(seq) && e.attempt() == window.firstAttempt(seq) ? 0 : e.attempt(), nowNanos);
    }

    private boolean silent(int receiver, long nowNanos) {
        return ReceiverView.silent(views, receiver, firstAckAtNanos, silenceNanos(), nowNanos);
    }

    /** How long a receiver may stay quiet before it counts as silent: a few ack rounds, at least two timeouts. */
    private long silenceNanos() {
        long rounds = (params.senders() + params.ackFanout() - 1) / params.ackFanout();
        return Math.max(4 * rounds * params.ackIntervalNanos(), 2 * timer.timeoutNanos(0));
    }

    /**
     * How long an attempt gets before the next one, {@code made} attempts after the entry's first. The first
     * {@code u_s + u_r + 1} attempts go to disjoint pairs, one of which is correct, so they follow each other at the
     * plain timeout; only past them (the network itself is slow or down) does the timeout double per attempt.
     */
    private long timeoutNanos(int made) {
        return timer.timeoutNanos(Math.max(0, made - params.senderU() - params.receiverU()));
    }

    private void resend(long seq, long nowNanos) {
        int attempt = window.nextAttempt(seq, nowNanos);
        if (!window.judged(seq)) {
            unjudgedResends.add(seq);
        }
        if (schedule.sender(seq, attempt) == self && state == LinkState.STREAMING) {
            resends++;
            queues.addUrgent(target(seq, attempt, nowNanos), new SentEntry(window.entry(seq), attempt), nowNanos);
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
            sendBatch(j, List.of(), nowNanos, out);
        }
    }

    /**
     * Sends {@code batch} to {@code receiver}, less the entries that receivers of the held stake (a correct one
     * among them) already report holding: another replica's copy got there first — this replica runs behind its
     * peers, who resent or took over its share — and its own copy would only cross the WAN twice. An empty batch
     * (a QUACK claim or an announcement) is sent as it is.
     */
    private boolean sendBatch(int receiver, List<SentEntry> batch, long nowNanos, ActionSink out) {
        List<SentEntry> sending = new ArrayList<>(batch.size());
        for (SentEntry sent : batch) {
            long seq = sent.entry().seq();
            boolean held = seq <= quacks.quacked() || heldByCorrectReceiver(seq, nowNanos);
            if (window.contains(seq) && sent.attempt() == window.firstAttempt(seq)) {
                if (sent.attempt() == 0 && !held) {
                    window.markFirstSent(seq, nowNanos);
                }
                passed = Math.max(passed, seq);
            }
            if (held) {
                alreadyHeld++;
            } else {
                sending.add(sent);
            }
        }
        if (sending.isEmpty() && !batch.isEmpty()) {
            return true;
        }
        DataFrame frame = new DataFrame(params.linkId(), params.epoch(), self, receiver, quacks.quacked(),
                sending, Mac.NONE);
        return out.send(receiver, authenticator.sign(frame));
    }

    private boolean heldByCorrectReceiver(long seq, long nowNanos) {
        long stake = 0;
        for (int j = 0; j < views.length; j++) {
            if (views[j].holds(seq) && !silent(j, nowNanos)) {
                stake += receiverStakes[j];
            }
        }
        return stake >= quorums.heldStake();
    }
}
