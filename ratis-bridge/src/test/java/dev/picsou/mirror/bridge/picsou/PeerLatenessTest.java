package dev.picsou.mirror.bridge.picsou;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PeerLatenessTest {
    private static final long MS = 1_000_000L;

    @Test
    void aReplicaIsLateByHowMuchLaterThanOurOwnItsCopiesArrive() {
        PeerLateness late = new PeerLateness(0, 3, 0, 10_000 * MS);
        late.onArrival(0, 40 * MS);
        late.onArrival(1, 540 * MS);
        late.onArrival(2, 10 * MS);
        assertThat(late.lateNanos(1)).isEqualTo(500 * MS);
        assertThat(late.lateNanos(2)).as("earlier than us: no extra wait").isZero();
        assertThat(late.lateNanos(0)).as("never late to ourselves").isZero();
    }

    @Test
    void aReplicaNeverHeardFromGetsNoExtraWait() {
        PeerLateness late = new PeerLateness(0, 2, 0, 10_000 * MS);
        assertThat(late.lateNanos(1)).isZero();
        late.onArrival(1, 300 * MS);
        assertThat(late.lateNanos(1)).as("our own delay unknown counts as none").isEqualTo(300 * MS);
    }

    @Test
    void theEstimateRisesAtOnceAndFallsByAnEighthOfTheGapPerSample() {
        PeerLateness late = new PeerLateness(0, 2, 0, 10_000 * MS);
        late.onArrival(1, 100 * MS);
        late.onArrival(1, 900 * MS);
        assertThat(late.lateNanos(1)).isEqualTo(900 * MS);
        late.onArrival(1, 100 * MS);
        assertThat(late.lateNanos(1)).isEqualTo(800 * MS);
        for (int i = 0; i < 100; i++) {
            late.onArrival(1, 100 * MS);
        }
        assertThat(late.lateNanos(1)).isBetween(100 * MS, 101 * MS);
    }

    @Test
    void theExtraWaitIsCappedSoThatAFarBehindReplicasShareIsStillRepaired() {
        PeerLateness late = new PeerLateness(0, 2, 0, 2_400 * MS);
        late.onArrival(1, 60_000 * MS);
        assertThat(late.lateNanos(1)).isEqualTo(2_400 * MS);
        assertThat(late.maxLateNanos()).isEqualTo(2_400 * MS);
    }

    @Test
    void onlyTheLatenessBeyondTheSlackIsWaitedFor() {
        PeerLateness late = new PeerLateness(0, 3, 150 * MS, 10_000 * MS);
        late.onArrival(0, 20 * MS);
        late.onArrival(1, 120 * MS);
        late.onArrival(2, 720 * MS);
        assertThat(late.lateNanos(1)).as("100 ms late: within the slack").isZero();
        assertThat(late.lateNanos(2)).isEqualTo(550 * MS);
    }

    @Test
    void anArrivalBeforeItWasDueCountsAsNoDelay() {
        PeerLateness late = new PeerLateness(1, 2, 0, 10_000 * MS);
        late.onArrival(0, -200 * MS);
        late.onArrival(1, 0);
        assertThat(late.lateNanos(0)).isZero();
    }
}
