package dev.picsou.mirror.bridge.sim;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * A sending site whose Raft followers apply, and so send their shares, steadily behind the leader: the bench's
 * saturated primary, where followers run hundreds of milliseconds late. Picsou must learn each replica's lateness
 * instead of resending its share after every reorder grace.
 */
class SkewedSendersTest {

    /** 5+5 replicas, 10 KB entries at 220/s on an uncapped link, tuned as the bench tunes it (300 ms grace). */
    private static SimConfig benchLike(double skewMs) {
        SimConfig.Builder b = SimConfig.builder()
                .senders(5)
                .receivers(5)
                .entries(6000)
                .entryBytes(10_240)
                .oneWayDelayMs(0.1)
                .rateEntriesPerS(220)
                .siteCommitDelayMs(300)
                .senderSkewMs(skewMs)
                .seed(1);
        var derived = b.build().derivedParams();
        return b.params(derived.toBuilder()
                .reorderGraceNanos(300_000_000L)
                .ackIntervalNanos(10_000_000L)
                .minRetransmitTimeoutNanos(Math.max(300_000_000L, derived.minRetransmitTimeoutNanos()))
                .initialRetransmitTimeoutNanos(Math.max(600_000_000L, derived.initialRetransmitTimeoutNanos()))
                .build()).build();
    }

    @Test
    void followersHalfASecondBehindTheLeaderHaveTheirSharesSentOnce() {
        // Before senders learnt each other's lateness this sent 1.40 copies per entry.
        SimResult result = SimAssertions.runClean(benchLike(500));
        assertThat(result.wanCopiesPerEntry()).as(result::summary).isLessThanOrEqualTo(1.02);
    }

    @Test
    void followersOneToOneAndAHalfSecondsBehindAreWaitedForToo() {
        for (double skew : new double[] {1000, 1500}) {
            SimResult result = SimAssertions.runClean(benchLike(skew));
            assertThat(result.wanCopiesPerEntry()).as(result::summary).isLessThanOrEqualTo(1.02);
        }
    }

    @Test
    void aCrashedReplicaIsNotWaitedForLikeALateOne() {
        SimResult result = SimAssertions.runClean(benchLike(500).toBuilder().crashSenders(1).build());
        assertThat(result.wanCopiesPerEntry()).as(result::summary).isLessThanOrEqualTo(1.05);
        assertThat(result.throughputEntriesPerS()).as(result::summary).isGreaterThan(200);
    }
}
