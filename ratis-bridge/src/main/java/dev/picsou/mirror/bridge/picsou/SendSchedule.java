package dev.picsou.mirror.bridge.picsou;

import java.util.function.LongPredicate;

/**
 * Who sends which entry to whom, computed by every replica on its own (no coordination).
 *
 * <p>Equal stakes: attempt 0 of {@code seq} goes from sender {@code s = seq mod n_s} to receiver
 * {@code r = (s + floor(seq / n_s)) mod n_r}, so every (sender, receiver) pair is used in turn. Unequal stakes: the
 * Dynamic Sharewise Scheduler — each quantum of {@code q} consecutive entries is apportioned to senders and to
 * receivers in proportion to stake (Hamilton's largest-remainder method), slots interleaved smoothly, and the
 * receiver slots rotate by one per quantum. Resends rotate too: attempt {@code i} of an entry goes from the
 * {@code i}-th of the other senders to the {@code i}-th of the other receivers, each list starting at an offset
 * that varies from entry to entry ({@code floor(seq / n_s)}); for the first entry of each offset that is
 * {@code (s + i, r + i)} as in the paper. Each attempt has exactly one sender, any {@code n} consecutive attempts use
 * distinct replicas on each site, and a crashed replica's share is resent by all the others evenly.
 *
 * <p>Immutable and thread-safe.
 */
public final class SendSchedule {
    private final int senders;
    private final int receivers;
    private final int quantum;
    private final int[] senderSlots;
    private final int[] receiverSlots;

    public SendSchedule(PicsouParams params) {
        this.senders = params.senders();
        this.receivers = params.receivers();
        if (params.equalStakes()) {
            this.quantum = 0;
            this.senderSlots = null;
            this.receiverSlots = null;
        } else {
            this.quantum = params.scheduleQuantum();
            this.senderSlots = Apportionment.interleavedSlots(stakes(params, true), quantum);
            this.receiverSlots = Apportionment.interleavedSlots(stakes(params, false), quantum);
        }
    }

    /** The replica of the sending site that sends attempt {@code attempt} of {@code seq}. */
    public int sender(long seq, int attempt) {
        return rotate(originalSender(seq), attempt, senders, seq / senders);
    }

    /** The entries whose attempt 0 sender {@code index} sends (its share of the fault-free stream). */
    public LongPredicate firstSentBy(int index) {
        return seq -> sender(seq, 0) == index;
    }

    /** The replica of the receiving site that attempt {@code attempt} of {@code seq} is sent to. */
    public int receiver(long seq, int attempt) {
        return rotate(originalReceiver(seq), attempt, receivers, seq / senders);
    }

    /**
     * Attempt {@code attempt} in a cycle of {@code n}: position 0 is the original replica, positions 1..n-1 visit
     * every other replica once, starting at an offset that varies with {@code spread}. Within a cycle no replica
     * repeats, and the entries of one faulty replica are resent by all the others in turn rather than all by the
     * next one, which would carry twice its share.
     */
    private static int rotate(int original, int attempt, int n, long spread) {
        int position = attempt % n;
        if (position == 0) {
            return original;
        }
        long offset = (spread + position - 1) % (n - 1);
        return (int) ((original + 1 + offset) % n);
    }

    private int originalSender(long seq) {
        if (senderSlots == null) {
            return (int) (seq % senders);
        }
        return senderSlots[(int) (seq % quantum)];
    }

    private int originalReceiver(long seq) {
        if (receiverSlots == null) {
            long s = seq % senders;
            return (int) ((s + seq / senders) % receivers);
        }
        long rotation = (seq / quantum) % quantum;
        return receiverSlots[(int) ((seq % quantum + rotation) % quantum)];
    }

    private static int[] stakes(PicsouParams params, boolean senderSide) {
        int n = senderSide ? params.senders() : params.receivers();
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            out[i] = senderSide ? params.senderStake(i) : params.receiverStake(i);
        }
        return out;
    }
}
