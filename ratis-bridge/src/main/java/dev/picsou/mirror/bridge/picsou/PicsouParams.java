package dev.picsou.mirror.bridge.picsou;

import java.util.ArrayList;
import java.util.List;

/**
 * Everything an endpoint of one link needs to know about the link, both sites and the tuning. Immutable and
 * validated at construction; build one with {@link #builder(int, int)}.
 *
 * <p>Fault bounds are in stake units: with equal stakes (the default, every replica has stake 1) they count
 * replicas. Each site must satisfy {@code totalStake >= 2u + r + 1}.
 *
 * @param linkId                   identifies the link in every frame
 * @param epoch                    the link's epoch; frames of older epochs are refused with FENCED
 * @param forkSeq                  the last {@code seq} of the previous epoch's primary that this epoch's stream
 *                                 continues from (0 at the first epoch); named in FENCED refusals
 * @param senders                  replicas of the sending site ({@code n_s})
 * @param receivers                replicas of the receiving site ({@code n_r})
 * @param senderU                  failures of any kind the sending site tolerates ({@code u_s})
 * @param senderR                  Byzantine failures among them ({@code r_s})
 * @param receiverU                failures of any kind the receiving site tolerates ({@code u_r})
 * @param receiverR                Byzantine failures among them ({@code r_r})
 * @param senderStakes             stake per sending replica, or empty for equal stakes
 * @param receiverStakes           stake per receiving replica, or empty for equal stakes
 * @param scheduleQuantum          entries per quantum of the Dynamic Sharewise Scheduler (unequal stakes only)
 * @param windowEntries            at most this many entries past the QUACKed prefix are in flight
 * @param windowBytes              at most this many payload bytes past the QUACKed prefix are in flight
 * @param batchMaxBytes            a per-receiver batch is sent once it holds this many payload bytes
 * @param batchDelayNanos          ... or once its oldest entry waited this long; 0 for no linger: a partial batch
 *                                 leaves at the engine's next tick, which a driver runs once it has handled the
 *                                 events waiting (so entries committed together still leave together)
 * @param phiBits                  length of the φ-list in acks, at least {@link #MIN_PHI_BITS}: holes beyond it are
 *                                 not reported, so they are repaired only as the prefix reaches them
 * @param ackIntervalNanos         a receiver sends an ack at least this often while it has anything to say
 * @param ackEveryEntries          ... and as soon as its durable prefix moved by this many entries
 * @param ackFanout                how many sending replicas each ack round goes to (rotating over all of them)
 * @param reorderGraceNanos        a hole must persist this long behind later entries before it counts as loss
 * @param initialRetransmitTimeoutNanos retransmission timeout before any QUACK latency was measured
 * @param minRetransmitTimeoutNanos lower bound of the adaptive retransmission timeout
 * @param maxRetransmitTimeoutNanos upper bound of the adaptive retransmission timeout, backoff included
 * @param senderLeader             initial leader of the sending site (leader-based baselines only)
 * @param receiverLeader           initial leader of the receiving site (leader-based baselines only)
 * @param linkSecret               shared secret from which per-pair HMAC keys derive; required when either site
 *                                 has Byzantine replicas ({@code r > 0}), empty otherwise
 */
public record PicsouParams(
        int linkId,
        long epoch,
        long forkSeq,
        int senders,
        int receivers,
        int senderU,
        int senderR,
        int receiverU,
        int receiverR,
        List<Integer> senderStakes,
        List<Integer> receiverStakes,
        int scheduleQuantum,
        int windowEntries,
        long windowBytes,
        int batchMaxBytes,
        long batchDelayNanos,
        int phiBits,
        long ackIntervalNanos,
        int ackEveryEntries,
        int ackFanout,
        long reorderGraceNanos,
        long initialRetransmitTimeoutNanos,
        long minRetransmitTimeoutNanos,
        long maxRetransmitTimeoutNanos,
        int senderLeader,
        int receiverLeader,
        byte[] linkSecret) {

    /**
     * The shortest φ-list allowed. Without one, acks are purely cumulative and holes are repaired one per
     * retransmission timeout.
     */
    public static final int MIN_PHI_BITS = 64;

    /** The shortest wait of {@link #stallWaitNanos()}. */
    public static final long MIN_STALL_WAIT_NANOS = 1_000_000L;

    public PicsouParams {
        senderStakes = List.copyOf(senderStakes);
        receiverStakes = List.copyOf(receiverStakes);
        linkSecret = linkSecret.clone();
        require(senders >= 1, "senders must be >= 1, was " + senders);
        require(receivers >= 1, "receivers must be >= 1, was " + receivers);
        require(senders <= Short.MAX_VALUE && receivers <= Short.MAX_VALUE, "at most 32767 replicas per site");
        require(epoch >= 0, "epoch must be >= 0, was " + epoch);
        require(forkSeq >= 0, "forkSeq must be >= 0, was " + forkSeq);
        checkStakes("senderStakes", senderStakes, senders);
        checkStakes("receiverStakes", receiverStakes, receivers);
        checkFaults("sending", senderU, senderR, totalStake(senderStakes, senders));
        checkFaults("receiving", receiverU, receiverR, totalStake(receiverStakes, receivers));
        require(scheduleQuantum >= Math.max(senders, receivers),
                "scheduleQuantum must be >= the larger site size, was " + scheduleQuantum);
        require(windowEntries >= 1, "windowEntries must be >= 1, was " + windowEntries);
        require(windowBytes >= 1, "windowBytes must be >= 1, was " + windowBytes);
        require(batchMaxBytes >= 1, "batchMaxBytes must be >= 1, was " + batchMaxBytes);
        require(batchDelayNanos >= 0, "batchDelayNanos must be >= 0, was " + batchDelayNanos);
        require(phiBits >= MIN_PHI_BITS && phiBits <= 65536,
                "phiBits must be in [" + MIN_PHI_BITS + ", 65536], was " + phiBits);
        require(ackIntervalNanos > 0, "ackIntervalNanos must be > 0, was " + ackIntervalNanos);
        require(ackEveryEntries >= 1, "ackEveryEntries must be >= 1, was " + ackEveryEntries);
        require(ackFanout >= 1 && ackFanout <= senders, "ackFanout must be in [1, senders], was " + ackFanout);
        require(reorderGraceNanos >= 0, "reorderGraceNanos must be >= 0, was " + reorderGraceNanos);
        require(minRetransmitTimeoutNanos > 0, "minRetransmitTimeoutNanos must be > 0");
        require(maxRetransmitTimeoutNanos >= minRetransmitTimeoutNanos,
                "maxRetransmitTimeoutNanos must be >= minRetransmitTimeoutNanos");
        require(initialRetransmitTimeoutNanos >= minRetransmitTimeoutNanos
                        && initialRetransmitTimeoutNanos <= maxRetransmitTimeoutNanos,
                "initialRetransmitTimeoutNanos must lie between the min and max timeouts");
        require(senderLeader >= 0 && senderLeader < senders, "senderLeader out of range: " + senderLeader);
        require(receiverLeader >= 0 && receiverLeader < receivers, "receiverLeader out of range: " + receiverLeader);
        require(!byzantine(senderR, receiverR) || linkSecret.length >= 16,
                "a link with Byzantine replicas (r > 0) needs a linkSecret of at least 16 bytes");
    }

    @Override
    public byte[] linkSecret() {
        return linkSecret.clone();
    }

    /**
     * How long a sender holds its other links after one reported full, for the transport to report them full too
     * (they usually share one uplink): the batch delay, and at least {@link #MIN_STALL_WAIT_NANOS} so that a link
     * without linger does not turn the wait into a busy loop.
     */
    public long stallWaitNanos() {
        return Math.max(batchDelayNanos, MIN_STALL_WAIT_NANOS);
    }

    /** Whether frames on this link carry authenticators (either site tolerates Byzantine replicas). */
    public boolean authenticated() {
        return byzantine(senderR, receiverR);
    }

    /** Stake of sending replica {@code i}. */
    public int senderStake(int i) {
        return senderStakes.isEmpty() ? 1 : senderStakes.get(i);
    }

    /** Stake of receiving replica {@code j}. */
    public int receiverStake(int j) {
        return receiverStakes.isEmpty() ? 1 : receiverStakes.get(j);
    }

    /** Whether all stakes are equal (plain round-robin schedule). */
    public boolean equalStakes() {
        return senderStakes.isEmpty() && receiverStakes.isEmpty();
    }

    public long totalSenderStake() {
        return totalStake(senderStakes, senders);
    }

    public long totalReceiverStake() {
        return totalStake(receiverStakes, receivers);
    }

    /** A builder with the defaults documented on each setter, for a link of the given site sizes. */
    public static Builder builder(int senders, int receivers) {
        return new Builder(senders, receivers);
    }

    /** A builder that starts from this record's values. */
    public Builder toBuilder() {
        Builder b = new Builder(senders, receivers);
        b.linkId = linkId;
        b.epoch = epoch;
        b.forkSeq = forkSeq;
        b.senderU = senderU;
        b.senderR = senderR;
        b.receiverU = receiverU;
        b.receiverR = receiverR;
        b.senderStakes = senderStakes;
        b.receiverStakes = receiverStakes;
        b.scheduleQuantum = scheduleQuantum;
        b.windowEntries = windowEntries;
        b.windowBytes = windowBytes;
        b.batchMaxBytes = batchMaxBytes;
        b.batchDelayNanos = batchDelayNanos;
        b.phiBits = phiBits;
        b.ackIntervalNanos = ackIntervalNanos;
        b.ackEveryEntries = ackEveryEntries;
        b.ackFanout = ackFanout;
        b.reorderGraceNanos = reorderGraceNanos;
        b.initialRetransmitTimeoutNanos = initialRetransmitTimeoutNanos;
        b.minRetransmitTimeoutNanos = minRetransmitTimeoutNanos;
        b.maxRetransmitTimeoutNanos = maxRetransmitTimeoutNanos;
        b.senderLeader = senderLeader;
        b.receiverLeader = receiverLeader;
        b.linkSecret = linkSecret.clone();
        return b;
    }

    private static boolean byzantine(int senderR, int receiverR) {
        return senderR > 0 || receiverR > 0;
    }

    private static long totalStake(List<Integer> stakes, int n) {
        if (stakes.isEmpty()) {
            return n;
        }
        long sum = 0;
        for (int s : stakes) {
            sum += s;
        }
        return sum;
    }

    private static void checkStakes(String name, List<Integer> stakes, int n) {
        if (stakes.isEmpty()) {
            return;
        }
        require(stakes.size() == n, name + " must have one stake per replica (" + n + "), had " + stakes.size());
        for (int s : stakes) {
            require(s >= 1, name + " must all be >= 1, found " + s);
        }
    }

    private static void checkFaults(String site, int u, int r, long totalStake) {
        require(u >= 0 && r >= 0, "the " + site + " site's u and r must be >= 0, were u=" + u + " r=" + r);
        require(r <= u, "the " + site + " site's r (" + r + ") must not exceed its u (" + u + ")");
        require(totalStake >= 2L * u + r + 1, "the " + site + " site is too small for u=" + u + " r=" + r
                + ": needs a total stake of at least 2u+r+1 = " + (2L * u + r + 1) + ", has " + totalStake);
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }

    /** Mutable builder; {@link #build()} validates. Defaults suit a LAN-to-WAN link of a few ms to 100 ms. */
    public static final class Builder {
        private final int senders;
        private final int receivers;
        private int linkId = 1;
        private long epoch = 1;
        private long forkSeq;
        private int senderU;
        private int senderR;
        private int receiverU;
        private int receiverR;
        private List<Integer> senderStakes = List.of();
        private List<Integer> receiverStakes = List.of();
        private int scheduleQuantum;
        private int windowEntries = 8192;
        private long windowBytes = 64L << 20;
        private int batchMaxBytes = 256 << 10;
        private long batchDelayNanos = 1_000_000L;
        private int phiBits = 16384;
        private long ackIntervalNanos = 2_000_000L;
        private int ackEveryEntries = 64;
        private int ackFanout = 1;
        private long reorderGraceNanos = 10_000_000L;
        private long initialRetransmitTimeoutNanos = 500_000_000L;
        private long minRetransmitTimeoutNanos = 200_000_000L;
        private long maxRetransmitTimeoutNanos = 10_000_000_000L;
        private int senderLeader;
        private int receiverLeader;
        private byte[] linkSecret = new byte[0];

        private Builder(int senders, int receivers) {
            this.senders = senders;
            this.receivers = receivers;
            // Crash-fault-tolerant (Raft) sites by default: u = (n - 1) / 2, r = 0.
            this.senderU = Math.max(0, (senders - 1) / 2);
            this.receiverU = Math.max(0, (receivers - 1) / 2);
        }

        public Builder linkId(int v) { linkId = v; return this; }
        public Builder epoch(long v) { epoch = v; return this; }
        /** Default 0: the first epoch has no fork point. */
        public Builder forkSeq(long v) { forkSeq = v; return this; }
        /** Fault bounds of the sending site; default CFT {@code u = (n-1)/2, r = 0}. */
        public Builder senderFaults(int u, int r) { senderU = u; senderR = r; return this; }
        /** Fault bounds of the receiving site; default CFT {@code u = (n-1)/2, r = 0}. */
        public Builder receiverFaults(int u, int r) { receiverU = u; receiverR = r; return this; }
        public Builder senderStakes(List<Integer> v) { senderStakes = new ArrayList<>(v); return this; }
        public Builder receiverStakes(List<Integer> v) { receiverStakes = new ArrayList<>(v); return this; }
        /** Default: 64 times the larger site size. */
        public Builder scheduleQuantum(int v) { scheduleQuantum = v; return this; }
        /** Default 8192 entries. */
        public Builder windowEntries(int v) { windowEntries = v; return this; }
        /** Default 64 MiB. */
        public Builder windowBytes(long v) { windowBytes = v; return this; }
        /** Default 256 KiB. */
        public Builder batchMaxBytes(int v) { batchMaxBytes = v; return this; }
        /** Default 1 ms. */
        public Builder batchDelayNanos(long v) { batchDelayNanos = v; return this; }
        /** Default 16384 (an ack carries at most 2 KiB of φ-list, and only as far as the highest entry held). */
        public Builder phiBits(int v) { phiBits = v; return this; }
        /** Default 2 ms. */
        public Builder ackIntervalNanos(long v) { ackIntervalNanos = v; return this; }
        /** Default 64 entries. */
        public Builder ackEveryEntries(int v) { ackEveryEntries = v; return this; }
        /** Default 1: each ack round goes to the next sending replica in turn. */
        public Builder ackFanout(int v) { ackFanout = v; return this; }
        /**
         * Default 10 ms: a floor under the adaptive grace; Raft followers apply (and so send their shares) a little
         * after the leader, and that skew must not read as loss.
         */
        public Builder reorderGraceNanos(long v) { reorderGraceNanos = v; return this; }
        /** Default 500 ms. */
        public Builder initialRetransmitTimeoutNanos(long v) { initialRetransmitTimeoutNanos = v; return this; }
        /** Default 200 ms (as TCP's): the timeout is the backstop for tail losses, not the fast path. */
        public Builder minRetransmitTimeoutNanos(long v) { minRetransmitTimeoutNanos = v; return this; }
        /** Default 10 s. */
        public Builder maxRetransmitTimeoutNanos(long v) { maxRetransmitTimeoutNanos = v; return this; }
        public Builder senderLeader(int v) { senderLeader = v; return this; }
        public Builder receiverLeader(int v) { receiverLeader = v; return this; }
        public Builder linkSecret(byte[] v) { linkSecret = v.clone(); return this; }

        public PicsouParams build() {
            int quantum = scheduleQuantum > 0 ? scheduleQuantum : 64 * Math.max(senders, receivers);
            return new PicsouParams(linkId, epoch, forkSeq, senders, receivers, senderU, senderR, receiverU, receiverR,
                    senderStakes, receiverStakes, quantum, windowEntries, windowBytes, batchMaxBytes,
                    batchDelayNanos, phiBits, ackIntervalNanos, ackEveryEntries, ackFanout, reorderGraceNanos,
                    initialRetransmitTimeoutNanos, minRetransmitTimeoutNanos, maxRetransmitTimeoutNanos,
                    senderLeader, receiverLeader, linkSecret);
        }
    }
}
