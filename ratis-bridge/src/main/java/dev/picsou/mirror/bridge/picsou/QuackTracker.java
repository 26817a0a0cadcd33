package dev.picsou.mirror.bridge.picsou;

import java.util.Arrays;

/**
 * The highest {@code durable} prefix each receiving replica acknowledged (never lowered), and the QUACK they make:
 * the largest {@code p} such that receivers of at least {@code quackStake} stake acked {@code durable >= p}.
 * Not thread-safe.
 */
public final class QuackTracker {
    private final long[] durable;
    private final int[] stake;
    private final long quackStake;
    private final Integer[] order;
    private long quacked;

    public QuackTracker(int[] receiverStakes, long quackStake, long initialQuacked) {
        this.durable = new long[receiverStakes.length];
        this.stake = receiverStakes.clone();
        this.quackStake = quackStake;
        this.order = new Integer[receiverStakes.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        this.quacked = initialQuacked;
    }

    /**
     * Records that {@code receiver} acknowledged {@code durableSeq} and returns the QUACKed prefix after it, which
     * never decreases.
     */
    public long onAck(int receiver, long durableSeq) {
        if (durableSeq <= durable[receiver]) {
            return quacked;
        }
        durable[receiver] = durableSeq;
        Arrays.sort(order, (a, b) -> Long.compare(durable[b], durable[a]));
        long sum = 0;
        for (Integer j : order) {
            sum += stake[j];
            if (sum >= quackStake) {
                quacked = Math.max(quacked, durable[j]);
                break;
            }
        }
        return quacked;
    }

    public long quacked() {
        return quacked;
    }

    /** The highest durable prefix {@code receiver} acknowledged. */
    public long durableOf(int receiver) {
        return durable[receiver];
    }
}
