package dev.picsou.mirror.bridge.picsou;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class QuorumArithmeticTest {

    @Test
    void quackNeedsDistinctReceiversOfTheThresholdStakeAndNeverDecreases() {
        QuackTracker t = new QuackTracker(new int[] {1, 1, 1, 1}, 2, 0);
        assertThat(t.onAck(0, 9)).isZero();
        assertThat(t.onAck(0, 12)).isZero();
        assertThat(t.onAck(1, 5)).isEqualTo(5);
        assertThat(t.onAck(2, 10)).isEqualTo(10);
        assertThat(t.onAck(2, 3)).as("acks are never lowered").isEqualTo(10);
    }

    @Test
    void stakeWeightsTheQuack() {
        QuackTracker t = new QuackTracker(new int[] {3, 1, 1, 1}, 3, 0);
        assertThat(t.onAck(1, 7)).isZero();
        assertThat(t.onAck(2, 7)).isZero();
        assertThat(t.onAck(0, 4)).as("receiver 0 alone holds the threshold stake").isEqualTo(4);
        assertThat(t.onAck(3, 7)).as("three stake-1 receivers together").isEqualTo(7);
    }

    @Property(tries = 300)
    void hamiltonApportionmentGivesEveryPartyItsQuotaRoundedUpOrDown(
            @ForAll @Size(min = 1, max = 12) List<@IntRange(min = 1, max = 50) Integer> stakes,
            @ForAll @IntRange(min = 12, max = 600) int quantum) {
        int[] s = stakes.stream().mapToInt(Integer::intValue).toArray();
        int[] seats = Apportionment.hamilton(s, quantum);
        long total = Arrays.stream(s).sum();
        assertThat(Arrays.stream(seats).sum()).isEqualTo(quantum);
        for (int i = 0; i < s.length; i++) {
            double quota = (double) quantum * s[i] / total;
            assertThat((double) seats[i]).isBetween(Math.floor(quota), Math.ceil(quota));
        }
        int[] slots = Apportionment.interleavedSlots(s, quantum);
        int[] count = new int[s.length];
        for (int slot : slots) {
            count[slot]++;
        }
        assertThat(count).containsExactly(seats);
    }

    @Property(tries = 200)
    void consecutiveAttemptsUseDistinctSendersAndReceivers(
            @ForAll @IntRange(min = 1, max = 19) int n, @ForAll @IntRange(min = 1, max = 19) int m,
            @ForAll @IntRange(min = 1, max = 1_000_000) int seq) {
        SendSchedule schedule = new SendSchedule(PicsouParams.builder(n, m).build());
        Set<Integer> senders = new HashSet<>();
        Set<Integer> receivers = new HashSet<>();
        for (int a = 0; a < Math.min(n, m); a++) {
            senders.add(schedule.sender(seq, a));
            receivers.add(schedule.receiver(seq, a));
        }
        assertThat(senders).hasSize(Math.min(n, m));
        assertThat(receivers).hasSize(Math.min(n, m));
        assertThat(schedule.sender(seq, 0)).isEqualTo(seq % n);
        assertThat(schedule.receiver(seq, 0)).isEqualTo((seq % n + seq / n) % m);
    }

    @Test
    void stakedScheduleGivesEachSenderItsShareOfEveryQuantum() {
        PicsouParams p = PicsouParams.builder(3, 2).senderStakes(List.of(1, 1, 2)).scheduleQuantum(64).build();
        SendSchedule schedule = new SendSchedule(p);
        int[] share = new int[3];
        for (long seq = 64; seq < 128; seq++) {
            share[schedule.sender(seq, 0)]++;
        }
        assertThat(share).containsExactly(16, 16, 32);
    }

    @Test
    void retransmitTimeoutFollowsMeasuredLatencyAndBacksOffPerAttempt() {
        RetransmitTimer timer = new RetransmitTimer(500, 10, 10_000);
        assertThat(timer.timeoutNanos(0)).isEqualTo(500);
        for (int i = 0; i < 50; i++) {
            timer.onSample(100);
        }
        assertThat(timer.timeoutNanos(0)).as("twice the latency when it is steady").isBetween(200L, 210L);
        assertThat(timer.timeoutNanos(2)).isEqualTo(4 * timer.timeoutNanos(0));
        assertThat(timer.timeoutNanos(30)).isEqualTo(10_000);
    }

    @Test
    void siteTooSmallForItsFaultBoundIsRejectedWithTheRule() {
        assertThatThrownBy(() -> PicsouParams.builder(3, 3).receiverFaults(1, 1).linkSecret(CoreFixtures.SECRET)
                .build()).hasMessageContaining("2u+r+1");
        assertThatThrownBy(() -> PicsouParams.builder(4, 4).receiverFaults(1, 1).build())
                .hasMessageContaining("linkSecret");
    }
}
