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

import java.util.Comparator;
import java.util.PriorityQueue;
import java.util.TreeMap;

/**
 * The Picsou receiving endpoint of one replica (PICSOU.md). It checks frames (link, epoch, authenticator, entry
 * checksums), hands each entry it does not hold yet to its site, and acknowledges cumulatively with the
 * {@code received} and {@code durable} prefixes and the φ-list, rotating over the sending replicas. It refuses
 * frames of an older epoch with FENCED and the fork point, and skips past entries that {@code r_s + 1} sender stake
 * claims QUACKed (the garbage-collection stall fix).
 *
 * <p>Acks go out every {@code ackIntervalNanos} to the next {@code ackFanout} senders that have not yet heard the
 * current state, immediately when the durable prefix moved by {@code ackEveryEntries}, and keep repeating while a
 * hole is open (duplicate acks, so senders can confirm the loss); with nothing new, a keepalive round at a
 * doubling interval repairs lost acks. A data frame whose QUACK claim lags our durable prefix makes its sender
 * stale again. Single-threaded and deterministic.
 */
public final class PicsouReceiver implements StreamReceiver {
    private static final long MAX_KEEPALIVE_ROUNDS = 64;
    /** Re-proposals of one entry wait at most 2^6 = 64 times the base wait. */
    private static final int MAX_REPROPOSE_DOUBLINGS = 6;

    private final PicsouParams params;
    private final int self;
    private final Quorums quorums;
    private final FrameAuthenticator authenticator;
    private final HeldSet held = new HeldSet();
    private final QuackTracker claims;
    private final long[] ackedReceived;
    private final long[] ackedDurable;
    /** Entries delivered to the site and not committed there yet, by seq. */
    private final TreeMap<Long, Proposal> proposed = new TreeMap<>();
    /** The same proposals by when they are due again; a retired one is skipped when it surfaces. */
    private final PriorityQueue<Proposal> proposals = new PriorityQueue<>(Comparator.comparingLong(p -> p.dueAt));
    /**
     * The site's commit latency (first proposal to commit, re-proposed or not: a site slower than the wait would
     * otherwise never be sampled) and the wait it implies, between the initial and the longest timeout.
     */
    private final RetransmitTimer commitTimer;
    private long durable;
    private long durableAtLastAck;
    private long lastAckRoundAt = Long.MIN_VALUE / 2;
    private long keepaliveNanos;
    private int rotation;

    public PicsouReceiver(int index, PicsouParams params) {
        if (index < 0 || index >= params.receivers()) {
            throw new IllegalArgumentException("receiver index " + index + " out of range [0, "
                    + params.receivers() + ")");
        }
        this.params = params;
        this.self = index;
        this.quorums = Quorums.of(params);
        this.authenticator = params.authenticated()
                ? FrameAuthenticator.fromSecret(params.linkSecret()) : FrameAuthenticator.none();
        int[] stakes = new int[params.senders()];
        for (int i = 0; i < stakes.length; i++) {
            stakes[i] = params.senderStake(i);
        }
        this.claims = new QuackTracker(stakes, quorums.claimStake(), 0);
        this.ackedReceived = new long[params.senders()];
        this.ackedDurable = new long[params.senders()];
        this.rotation = index % params.senders();
        this.keepaliveNanos = params.ackIntervalNanos();
        this.commitTimer = new RetransmitTimer(params.initialRetransmitTimeoutNanos(),
                params.initialRetransmitTimeoutNanos(), params.maxRetransmitTimeoutNanos());
    }

    @Override
    public long onFrame(Frame frame, long nowNanos, ActionSink out) {
        String problem = check(frame);
        if (problem != null) {
            out.refused(frame.from(), problem);
        } else if (frame.epoch() < params.epoch()) {
            FencedFrame refusal = new FencedFrame(params.linkId(), params.epoch(), self, frame.from(),
                    new ForkPoint(params.epoch(), params.forkSeq()), Mac.NONE);
            out.send(frame.from(), authenticator.sign(refusal));
        } else {
            accept((DataFrame) frame, nowNanos, out);
        }
        return next(nowNanos, out);
    }

    @Override
    public long onSiteCommitted(long seq, long nowNanos, ActionSink out) {
        held.add(seq);
        Proposal p = proposed.remove(seq);
        if (p != null) {
            commitTimer.onSample(nowNanos - p.firstAt);
            p.retire();
        }
        return next(nowNanos, out);
    }

    @Override
    public long onDurable(long durableSeq, long nowNanos, ActionSink out) {
        if (durableSeq > durable) {
            durable = durableSeq;
            held.addThrough(durableSeq);
            var done = proposed.headMap(durableSeq, true);
            done.values().forEach(Proposal::retire);
            done.clear();
        }
        return next(nowNanos, out);
    }

    @Override
    public long onTick(long nowNanos, ActionSink out) {
        maybeRepropose(nowNanos, out);
        return next(nowNanos, out);
    }

    private long next(long nowNanos, ActionSink out) {
        return Math.min(nextReproposeAt(), maybeAck(nowNanos, out));
    }

    @Override
    public long receivedSeq() {
        return held.received();
    }

    @Override
    public long durableSeq() {
        return durable;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("PicsouReceiver[").append(self).append(" received=")
                .append(held.received()).append(" highest=").append(held.highest()).append(" durable=").append(durable)
                .append(" proposed=").append(proposed.size()).append(" proposals=").append(proposals.size());
        if (!proposed.isEmpty()) {
            sb.append(" firstProposed=").append(proposed.firstKey())
                    .append(" commitLatencyMs=").append(commitTimer.smoothedNanos() / 1_000_000);
        }
        sb.append(" acked=");
        for (int i = 0; i < ackedReceived.length; i++) {
            sb.append(i == 0 ? "" : ",").append(ackedReceived[i]).append('/').append(ackedDurable[i]);
        }
        return sb.append(" claims=").append(claims.quacked()).append(']').toString();
    }

    private String check(Frame frame) {
        if (frame.linkId() != params.linkId()) {
            return "frame for link " + frame.linkId() + ", this is link " + params.linkId();
        }
        if (!frame.fromSendingSite()) {
            return frame.getClass().getSimpleName() + " sent to a receiving replica";
        }
        if (frame.from() < 0 || frame.from() >= params.senders() || frame.to() != self) {
            return "frame from sender " + frame.from() + " to receiver " + frame.to() + " does not fit this link ("
                    + params.senders() + " senders, this is receiver " + self + ")";
        }
        if (!authenticator.verify(frame)) {
            return "authenticator does not verify for pair (" + frame.from() + ", " + self + ")";
        }
        if (frame.epoch() > params.epoch()) {
            return "frame of epoch " + frame.epoch() + " is newer than this replica's epoch " + params.epoch();
        }
        return null;
    }

    private void accept(DataFrame frame, long nowNanos, ActionSink out) {
        if (frame.quackedSeq() < durable) {
            // The sender has not heard how far we are (an ack was lost, or it restarted): tell it again.
            ackedDurable[frame.from()] = -1;
        }
        long claimed = claims.onAck(frame.from(), frame.quackedSeq());
        if (claimed > held.received()) {
            held.addThrough(claimed);
        }
        for (SentEntry sent : frame.entries()) {
            Entry entry = sent.entry();
            if (!entry.checksumValid()) {
                out.refused(frame.from(), "entry seq " + entry.seq() + ": payload does not match its CRC32C");
            } else if (entry.epoch() > frame.epoch()) {
                out.refused(frame.from(), "entry seq " + entry.seq() + " of epoch " + entry.epoch()
                        + " in a frame of epoch " + frame.epoch());
            } else if (held.add(entry.seq())) {
                Proposal p = new Proposal(entry, nowNanos);
                p.dueAt = nowNanos + reproposeWait(0);
                proposed.put(entry.seq(), p);
                proposals.add(p);
                out.deliver(entry);
            }
        }
    }

    /**
     * Proposes again every entry this replica delivered that its site has not committed in time (a proposal can be
     * lost, e.g. when the site's leader changes). The site dedups by {@code seq}. "In time" is the timeout that
     * {@link RetransmitTimer} derives from the site's commit latency (at least twice the smoothed latency), at least
     * the initial and at most the longest retransmission timeout, doubling with every attempt up to
     * {@link #MAX_REPROPOSE_DOUBLINGS} times: a site slower than the timeout (large entries, a saturated mirror) is
     * not sent every entry again each timeout, which would fill its Raft log with duplicates and slow it further
     * (a 7+7 bench at 1 MiB entries logged ten proposals per entry with a fixed timeout).
     */
    private void maybeRepropose(long nowNanos, ActionSink out) {
        while (!proposals.isEmpty()) {
            Proposal p = proposals.peek();
            if (p.retired()) {
                proposals.poll();
                continue;
            }
            if (nowNanos < p.dueAt) {
                break;
            }
            proposals.poll();
            p.attempts++;
            p.dueAt = nowNanos + reproposeWait(p.attempts);
            proposals.add(p);
            out.deliver(p.entry);
        }
    }

    /**
     * The base wait is capped at the longest timeout (a latency learnt in a slow spell must not hold back the first
     * re-proposal of an entry that a leader change lost for longer than that); later attempts double past the cap.
     */
    private long reproposeWait(int attempts) {
        return commitTimer.timeoutNanos(0) << Math.min(attempts, MAX_REPROPOSE_DOUBLINGS);
    }

    /** The next proposal due (skipping committed ones). */
    private long nextReproposeAt() {
        while (!proposals.isEmpty() && proposals.peek().retired()) {
            proposals.poll();
        }
        return proposals.isEmpty() ? Long.MAX_VALUE : proposals.peek().dueAt;
    }

    /**
     * An entry handed to the site and not committed there yet. Once committed it is retired: it drops its entry
     * (so the payload is not kept until the proposal surfaces in {@link #proposals}) and is skipped there.
     */
    private static final class Proposal {
        final long firstAt;
        Entry entry;
        int attempts;
        long dueAt;

        Proposal(Entry entry, long firstAt) {
            this.entry = entry;
            this.firstAt = firstAt;
        }

        void retire() {
            entry = null;
        }

        boolean retired() {
            return entry == null;
        }
    }

    /** Sends the acks that are due; returns when the next round (or keepalive) is due. */
    private long maybeAck(long nowNanos, ActionSink out) {
        boolean hole = held.highest() > held.received();
        boolean urgent = durable - durableAtLastAck >= params.ackEveryEntries();
        if (!hole && !anyStale()) {
            return keepalive(nowNanos, out);
        }
        keepaliveNanos = params.ackIntervalNanos();
        long due = lastAckRoundAt + params.ackIntervalNanos();
        if (!urgent && nowNanos < due) {
            return due;
        }
        ackRound(hole, nowNanos, out);
        return nowNanos + (hole || anyStale() ? params.ackIntervalNanos() : keepaliveNanos);
    }

    /**
     * With nothing new to say, an ack round still goes out now and then, at an interval that doubles from the ack
     * interval up to {@link #MAX_KEEPALIVE_ROUNDS} of them: an ack lost on the way is repaired, and a sender that
     * restarted or was cut off learns the prefixes. Returns when the next one is due.
     */
    private long keepalive(long nowNanos, ActionSink out) {
        if (durable == 0 && held.received() == 0) {
            return Long.MAX_VALUE;
        }
        long due = lastAckRoundAt + keepaliveNanos;
        if (nowNanos < due) {
            return due;
        }
        ackRound(true, nowNanos, out);
        keepaliveNanos = Math.min(keepaliveNanos * 2, MAX_KEEPALIVE_ROUNDS * params.ackIntervalNanos());
        return nowNanos + keepaliveNanos;
    }

    private void ackRound(boolean hole, long nowNanos, ActionSink out) {
        lastAckRoundAt = nowNanos;
        durableAtLastAck = durable;
        AckFrame ack = null;
        int sent = 0;
        int n = params.senders();
        int start = rotation;
        for (int k = 0; k < n && sent < params.ackFanout(); k++) {
            int sender = (start + k) % n;
            boolean stale = ackedReceived[sender] != held.received() || ackedDurable[sender] != durable;
            if (!stale && !hole) {
                continue;
            }
            if (ack == null) {
                ack = new AckFrame(params.linkId(), params.epoch(), self, sender, held.received(), durable,
                        held.phi(params.phiBits()), Mac.NONE);
            }
            AckFrame addressed = new AckFrame(ack.linkId(), ack.epoch(), self, sender, ack.received(),
                    ack.durable(), ack.phi(), Mac.NONE);
            out.send(sender, authenticator.sign(addressed));
            ackedReceived[sender] = held.received();
            ackedDurable[sender] = durable;
            sent++;
            rotation = (sender + 1) % n;
        }
    }

    private boolean anyStale() {
        for (int i = 0; i < ackedReceived.length; i++) {
            if (ackedReceived[i] != held.received() || ackedDurable[i] != durable) {
                return true;
            }
        }
        return false;
    }
}
