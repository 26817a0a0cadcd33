package dev.picsou.mirror.bridge.picsou;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

/** The bookkeeping of {@link SenderSuspicion}: 5 + 5 replicas ({@code u_s = u_r = 2}), seen from replica 0. */
class SenderSuspicionTest {
    private final PicsouParams params = PicsouParams.builder(5, 5).windowEntries(64).build();
    private final SendSchedule schedule = new SendSchedule(params);
    private final SenderSuspicion suspicion = new SenderSuspicion(params, schedule, 0);

    /** The next {@code count} entries of {@code sender}'s share after {@code afterSeq} that are not probes. */
    private List<Long> shareOf(int sender, long afterSeq, int count) {
        List<Long> out = new ArrayList<>();
        for (long seq = afterSeq + 1; out.size() < count; seq++) {
            if (schedule.sender(seq, 0) == sender && !suspicion.probe(seq)) {
                out.add(seq);
            }
        }
        return out;
    }

    private long lose(int sender, long afterSeq, int count) {
        long last = afterSeq;
        for (long seq : shareOf(sender, afterSeq, count)) {
            suspicion.onShareLost(seq);
            last = seq;
        }
        return last;
    }

    @Test
    void suspectsAReplicaAfterAThresholdOfLossesInARowAndTakesOverItsAttemptZeroButNotItsProbes() {
        assertThat(suspicion.threshold()).isEqualTo(6);
        long last = lose(4, 1000, 5);
        assertThat(suspicion.suspectedSenders()).isEmpty();

        last = lose(4, last, 1);
        assertThat(suspicion.suspectedSenders()).containsExactly(4);
        assertThat(suspicion.suspicions()).isEqualTo(1);
        for (long seq = last + 1; seq < last + 200; seq++) {
            int expected = schedule.sender(seq, 0) == 4 && !suspicion.probe(seq) ? 1 : 0;
            assertThat(suspicion.firstAttempt(seq)).as("seq %d", seq).isEqualTo(expected);
        }
    }

    @Test
    void skipsEverySuspectedReplicaInTurnButNeverItself() {
        lose(4, 1000, 6);
        lose(3, 1000, 6);
        assertThat(suspicion.suspectedSenders()).containsExactly(3, 4);
        int skippedTwo = 0;
        for (long seq = 2000; seq < 4000; seq++) {
            if (suspicion.probe(seq)) {
                continue;
            }
            int first = suspicion.firstAttempt(seq);
            assertThat(schedule.sender(seq, first)).as("seq %d", seq).isNotIn(3, 4);
            for (int a = 0; a < first; a++) {
                assertThat(schedule.sender(seq, a)).as("skipped attempt %d of seq %d", a, seq).isIn(3, 4);
            }
            skippedTwo += first == 2 ? 1 : 0;
        }
        assertThat(skippedTwo).as("entries of 4 whose attempt 1 is 3's, and the other way round").isPositive();

        SenderSuspicion ofThree = new SenderSuspicion(params, schedule, 3);
        for (long seq : shareOf(3, 1000, 50)) {
            ofThree.onShareLost(seq);
        }
        assertThat(ofThree.suspectedSenders()).as("its own share is never suspect to a replica").isEmpty();
    }

    @Test
    void anArrivalNewerThanTheLossesClearsTheSuspicionAndTheNextOneNeedsTwiceTheEvidence() {
        long last = lose(4, 1000, 6);
        List<Long> older = shareOf(4, 1000, 3);
        suspicion.onShareArrived(older.get(2));
        assertThat(suspicion.suspectedSenders()).as("older news than the losses").containsExactly(4);

        long back = shareOf(4, last, 1).get(0);
        suspicion.onShareArrived(back);
        assertThat(suspicion.suspectedSenders()).isEmpty();
        assertThat(suspicion.clearances()).isEqualTo(1);

        last = lose(4, back, 11);
        assertThat(suspicion.suspectedSenders()).as("11 losses, 12 needed after a clearance").isEmpty();
        lose(4, last, 1);
        assertThat(suspicion.suspectedSenders()).containsExactly(4);
    }

    @Test
    void lossesOlderThanTheLatestArrivalDoNotCount() {
        List<Long> share = shareOf(4, 1000, 20);
        suspicion.onShareArrived(share.get(19));
        for (int i = 0; i < 19; i++) {
            suspicion.onShareLost(share.get(i));
        }
        assertThat(suspicion.suspectedSenders()).isEmpty();
    }

    @Test
    void suspectsNoMoreReplicasThanTheSiteCanHaveFailed() {
        long last = lose(2, 1000, 1);
        lose(3, 1000, 1);
        lose(4, 1000, 10);
        assertThat(suspicion.suspectedSenders())
                .as("2, 3 and 4 all look down, more than u_s = 2: the network is late, not the replicas").isEmpty();

        suspicion.onShareArrived(shareOf(2, last, 1).get(0));
        lose(4, 3000, 1);
        assertThat(suspicion.suspectedSenders()).containsExactly(4);

        lose(3, 3000, 5);
        assertThat(suspicion.suspectedSenders()).containsExactly(3, 4);
        lose(2, 3000, 20);
        assertThat(suspicion.suspectedSenders()).as("at most u_s = 2 suspected").containsExactly(3, 4);
    }

    @Test
    void aSiteThatToleratesNoFailedSenderSuspectsNone() {
        PicsouParams two = PicsouParams.builder(2, 3).build();
        SendSchedule s = new SendSchedule(two);
        SenderSuspicion none = new SenderSuspicion(two, s, 0);
        for (long seq = 1; seq < 400; seq += 2) {
            none.onShareLost(seq);
        }
        assertThat(none.suspectedSenders()).isEmpty();
    }

    @Test
    void probesComeAboutOnceAWindowPerReplicaInRoundsPrimeToTheScheduleQuantum() {
        assertThat(SenderSuspicion.probeRounds(params)).isEqualTo(33);
        PicsouParams wide = PicsouParams.builder(4, 4).windowEntries(1024).build();
        assertThat(SenderSuspicion.probeRounds(wide)).isEqualTo(257);
        PicsouParams staked = PicsouParams.builder(3, 3).senderStakes(List.of(1, 2, 1)).windowEntries(3 * 64 * 9)
                .build();
        long rounds = SenderSuspicion.probeRounds(staked);
        assertThat(rounds % 2).isOne();
        assertThat(java.math.BigInteger.valueOf(rounds).gcd(java.math.BigInteger.valueOf(staked.scheduleQuantum())))
                .isEqualTo(java.math.BigInteger.ONE);

        int[] probesOf = new int[5];
        for (long seq = 1; seq <= 33 * 5 * 10; seq++) {
            if (suspicion.probe(seq)) {
                probesOf[schedule.sender(seq, 0)]++;
            }
        }
        assertThat(probesOf).containsOnly(10);
    }
}
