package dev.picsou.mirror.bridge.picsou;

import java.util.Arrays;

/**
 * How much later than this replica each sending replica's own copies reach the receivers, learnt from arrivals.
 *
 * <p>A sender starts the clock of an entry when its own stream passes the entry's position, assuming every replica
 * sends its share at the same pace. Raft followers do not apply at the leader's pace: on a loaded site one can
 * apply, and so send its share, hundreds of milliseconds or seconds late, steadily, for as long as the load lasts.
 * Counting that skew as loss makes every other replica resend that replica's whole share (a resend storm). So each
 * sender keeps, per sending replica, an estimate of the delay from "due here" to "held by a receiver" of that
 * replica's attempt-0 copies, and waits the difference between that replica's estimate and its own, on top of the
 * reorder grace, before it declares one of them lost.
 *
 * <p>The estimate follows a rise at once (a sample above it replaces it) and a fall slowly (an eighth of the gap per
 * sample), as a retransmission timer's variance does: a replica that has just fallen behind must not cause a storm
 * before the estimate learns, and one that catches up costs only a slower loss detection for a little while. The
 * extra wait is capped, so that a replica stuck far behind, or a real loss of its copy, is still repaired in
 * bounded time; past the cap its share is resent as before, and a replica that stopped sending is the business of
 * {@link SenderSuspicion}.
 *
 * <p>Samples: the first report that attempt 0 of one of the replica's entries is held, and the report that proves a
 * resend of one spurious (the copy that arrived is taken for the original). Another replica's early resend can make
 * a sample too small; the estimate then falls a little, and the cost is one more resend, never a wrong delivery.
 * Not thread-safe; part of the deterministic core.
 */
final class PeerLateness {
    /** The most extra wait, in reorder graces, any replica gets. */
    static final int MAX_LATE_GRACES = 8;
    private static final long UNKNOWN = -1;
    private static final int FALL_SHIFT = 3;

    private final int self;
    private final long slackNanos;
    private final long capNanos;
    private final long[] estimateNanos;

    /**
     * @param self     this replica's index among the senders
     * @param senders  how many sending replicas there are
     * @param slackNanos lateness that the reorder grace absorbs: only the lateness beyond it is waited for
     * @param capNanos the most extra wait any replica gets
     */
    PeerLateness(int self, int senders, long slackNanos, long capNanos) {
        if (capNanos < 0) {
            throw new IllegalArgumentException("capNanos must be >= 0, was " + capNanos);
        }
        this.self = self;
        this.slackNanos = slackNanos;
        this.capNanos = capNanos;
        this.estimateNanos = new long[senders];
        Arrays.fill(estimateNanos, UNKNOWN);
    }

    /** The lateness of {@code params}' senders as seen by sender {@code self}, capped at {@link #MAX_LATE_GRACES}. */
    static PeerLateness of(int self, PicsouParams params) {
        long grace = params.reorderGraceNanos();
        return new PeerLateness(self, params.senders(), grace / 2, MAX_LATE_GRACES * grace);
    }

    /** Attempt 0 of one of {@code sender}'s entries was first reported held {@code sinceDueNanos} after it was due. */
    void onArrival(int sender, long sinceDueNanos) {
        long sample = Math.max(0, sinceDueNanos);
        long current = estimateNanos[sender];
        if (current == UNKNOWN || sample >= current) {
            estimateNanos[sender] = sample;
        } else {
            estimateNanos[sender] = current - ((current - sample) >> FALL_SHIFT);
        }
    }

    /** How much longer than for this replica's own copies to wait for {@code sender}'s: 0 to the cap. */
    long lateNanos(int sender) {
        long theirs = estimateNanos[sender];
        if (theirs == UNKNOWN || sender == self) {
            return 0;
        }
        long ours = Math.max(0, estimateNanos[self]);
        return Math.min(capNanos, Math.max(0, theirs - ours - slackNanos));
    }

    /** The largest extra wait over all replicas (for diagnostics). */
    long maxLateNanos() {
        long max = 0;
        for (int k = 0; k < estimateNanos.length; k++) {
            max = Math.max(max, lateNanos(k));
        }
        return max;
    }
}
