package dev.picsou.mirror.bridge.picsou;

import java.util.ArrayList;
import java.util.List;

/**
 * Which sending replicas one sender believes down, inferred from its own view of the acks with no coordination,
 * and so which attempt of a new entry it expects first (the crash takeover, docs/protocol.md).
 *
 * <p><b>Evidence</b>, taken only from the entries of replica {@code k}'s share that nobody but {@code k} sends
 * first: the probes (nobody takes a probe over) and those whose attempt 1 is this replica's (no other replica sends
 * attempt 0 or 1 of them); any other entry of {@code k}'s may have been taken over by replicas that already
 * suspect {@code k}, so it says nothing about {@code k}. A <em>loss</em> of {@code k}: attempt 0 was declared lost
 * while receivers of the loss stake ({@code r_r + 1}) held later entries, and the resend proved needed (the entry
 * was reported held no sooner than half the smallest latency after it). An <em>arrival</em> of {@code k}: attempt
 * 0 was reported held by the held stake before any resend could have been, or the resend proved spurious. The
 * caller judges the timing.
 *
 * <p><b>Rule.</b> Replica {@code k} (never this replica) becomes suspected after {@link #threshold()} losses of its
 * share newer than its latest arrival, doubled for each time it was cleared before (up to 8 times; a probe lost while
 * it is suspected resets that), provided the replicas that look down — the suspected ones, {@code k}, and any other
 * with a loss not followed by an arrival yet — fit in {@code u_s}. An arrival of {@code k} newer than its latest loss clears
 * the count and the suspicion. One round in {@link #probeRounds()} ({@code floor(seq / n_s)} a multiple of it) is
 * never taken over, so a suspected replica that came back is cleared within that many rounds plus a round trip.
 *
 * <p><b>Takeover.</b> The first attempt expected of an entry is 0, or, when the sender of attempt 0 is suspected
 * and the entry is not a probe, the first attempt whose sender is not suspected (at most {@code n_s - 1}, since
 * this replica is never suspected). Skipping attempts only changes who sends first; every replica still times and
 * sends every later attempt as before, so replicas that disagree cost an extra copy or the usual loss detection,
 * never an entry.
 *
 * <p>Pure and deterministic. Not thread-safe.
 */
final class SenderSuspicion {
    /** Losses in a row that make a replica suspected, at the least. */
    static final int MIN_THRESHOLD = 6;
    /** A replica cleared of suspicion needs up to {@code 2^MAX_BACKOFF} times the evidence to be suspected again. */
    static final int MAX_BACKOFF = 3;
    /** Probe rounds are at least this many rounds apart. */
    static final int MIN_PROBE_ROUNDS = 32;

    private final SendSchedule schedule;
    private final PicsouParams params;
    private final int self;
    private final int threshold;
    private final long probeRounds;
    private final long[] lastArrived;
    private final long[] lastLost;
    private final int[] lostSince;
    private final int[] backoff;
    private final boolean[] suspected;
    private long suspectedStake;
    private long suspicions;
    private long clearances;

    SenderSuspicion(PicsouParams params, SendSchedule schedule, int self) {
        this.params = params;
        this.schedule = schedule;
        this.self = self;
        int n = params.senders();
        // With sites of equal size, consecutive entries of the evidence on k go to receivers one apart, so faulty
        // receivers (at most u_r) explain at most u_r losses in a row; three more for frame loss and lateness.
        this.threshold = Math.max(MIN_THRESHOLD, params.receiverU() + 3);
        this.probeRounds = probeRounds(params);
        this.lastArrived = new long[n];
        this.lastLost = new long[n];
        this.lostSince = new int[n];
        this.backoff = new int[n];
        this.suspected = new boolean[n];
    }

    /**
     * Rounds between probes: about one window of the stream ({@code windowEntries / n_s}, at least
     * {@link #MIN_PROBE_ROUNDS}), so that the latency of probing a replica that is really down (one entry waits for
     * the loss detection) is paid at most once per window; odd and prime to the schedule quantum, so that with
     * unequal stakes the probe rounds visit every slot of the quantum.
     */
    static long probeRounds(PicsouParams params) {
        long rounds = Math.max(MIN_PROBE_ROUNDS, params.windowEntries() / params.senders());
        rounds |= 1;
        while (gcd(rounds, params.scheduleQuantum()) > 1) {
            rounds += 2;
        }
        return rounds;
    }

    private static long gcd(long a, long b) {
        return b == 0 ? a : gcd(b, a % b);
    }

    /** The first attempt of {@code seq} this replica expects to be sent (see the class comment). */
    int firstAttempt(long seq) {
        if (suspectedStake == 0 || probe(seq)) {
            return 0;
        }
        int attempt = 0;
        while (suspected[schedule.sender(seq, attempt)]) {
            attempt++;
        }
        return attempt;
    }

    /** Whether nobody takes attempt 0 of {@code seq} over, whoever is suspected. */
    boolean probe(long seq) {
        return (seq / params.senders()) % probeRounds == 0;
    }

    /** Whether an arrival of attempt 0 of {@code seq} can only be its own sender's copy (see the class comment). */
    boolean speaksForItsSender(long seq) {
        return probe(seq) || schedule.sender(seq, 1) == self;
    }

    /**
     * Attempt 0 of {@code seq} did not arrive: declared lost, and its resend was needed. Counts when
     * {@link #speaksForItsSender} holds.
     */
    void onShareLost(long seq) {
        int k = schedule.sender(seq, 0);
        if (k == self || seq <= lastArrived[k]) {
            return;
        }
        lostSince[k]++;
        lastLost[k] = Math.max(lastLost[k], seq);
        if (suspected[k]) {
            if (probe(seq)) {
                backoff[k] = 0; // the probe confirms it down: a later suspicion needs no more evidence than this one
            }
        } else if (lostSince[k] >= threshold << backoff[k] && withinFaultBound(k)) {
            suspected[k] = true;
            suspectedStake += params.senderStake(k);
            suspicions++;
        }
    }

    /**
     * Whether the replicas that look down — the suspected ones, {@code k}, and any other with a loss not followed by
     * an arrival yet — fit in {@code u_s}. More apparent failures than the site can have means the network, not the
     * replicas, lost or delayed the entries (a partition that healed, congestion at the receivers), and taking over
     * would only add copies.
     */
    private boolean withinFaultBound(int k) {
        long stake = suspectedStake + params.senderStake(k);
        for (int j = 0; j < suspected.length; j++) {
            if (j != k && j != self && !suspected[j] && lostSince[j] > 0) {
                stake += params.senderStake(j);
            }
        }
        return stake <= params.senderU();
    }

    /**
     * Attempt 0 of {@code seq} arrived before any other copy can have: its sender is sending. Counts when
     * {@link #speaksForItsSender} holds; the caller checks the timing.
     */
    void onShareArrived(long seq) {
        int k = schedule.sender(seq, 0);
        if (seq <= lastArrived[k]) {
            return;
        }
        lastArrived[k] = seq;
        if (seq > lastLost[k]) {
            lostSince[k] = 0;
            if (suspected[k]) {
                suspected[k] = false;
                suspectedStake -= params.senderStake(k);
                clearances++;
                // Suspected wrongly, or back: the next suspicion of it needs twice the evidence (up to 8 times).
                backoff[k] = Math.min(MAX_BACKOFF, backoff[k] + 1);
            }
        }
    }

    boolean suspected(int sender) {
        return suspected[sender];
    }

    /** The replicas suspected now, in index order. */
    List<Integer> suspectedSenders() {
        List<Integer> out = new ArrayList<>();
        for (int k = 0; k < suspected.length; k++) {
            if (suspected[k]) {
                out.add(k);
            }
        }
        return out;
    }

    /** Losses in a row (newer than the latest arrival) that make a replica suspected. */
    int threshold() {
        return threshold;
    }

    long probeRounds() {
        return probeRounds;
    }

    /** How many times a replica became suspected. */
    long suspicions() {
        return suspicions;
    }

    /** How many times a suspected replica was cleared again. */
    long clearances() {
        return clearances;
    }
}
