package dev.picsou.mirror.bridge.picsou;

import static dev.picsou.mirror.bridge.picsou.CoreFixtures.MS;
import static dev.picsou.mirror.bridge.picsou.CoreFixtures.ack;
import static dev.picsou.mirror.bridge.picsou.CoreFixtures.bft4x4;
import static dev.picsou.mirror.bridge.picsou.CoreFixtures.entry;
import static dev.picsou.mirror.bridge.picsou.CoreFixtures.settle;
import static org.assertj.core.api.Assertions.assertThat;

import dev.picsou.mirror.bridge.model.DataFrame;
import dev.picsou.mirror.bridge.model.Mac;
import dev.picsou.mirror.bridge.model.SentEntry;
import dev.picsou.mirror.bridge.wire.FrameAuthenticator;

import java.util.List;

import org.junit.jupiter.api.Test;

/** The worked examples of the Picsou paper, on 4 + 4 replicas with {@code u = r = 1} on both sites. */
class PaperWorkedExamplesTest {
    private final PicsouParams params = bft4x4();

    private PicsouParams p() {
        return params;
    }

    @Test
    void firstQuackArrivesWithTheSecondDistinctAckForM1() {
        PicsouSender sender = new PicsouSender(0, params, 0);
        RecordingSink out = new RecordingSink();
        for (long seq = 1; seq <= 4; seq++) {
            settle(sender, sender.onEntryCommitted(entry(seq), 0, out), 0, out);
        }

        settle(sender, sender.onFrame(ack(params, 0, 0, 1, 1), MS, out), MS, out);
        settle(sender, sender.onFrame(ack(params, 0, 0, 1, 1), 2 * MS, out), 2 * MS, out);
        assertThat(out.quacked).as("one receiver, however often it acks, may be the Byzantine one").isEmpty();

        settle(sender, sender.onFrame(ack(params, 2, 0, 1, 1), 3 * MS, out), 3 * MS, out);
        assertThat(out.quacked).containsExactly(1L);
        assertThat(sender.quackedSeq()).isEqualTo(1);
    }

    @Test
    void crashedSendersShareIsDetectedMissingAndResentByTheReplicaAfterIt() {
        // Sender 1 crashed: seq 1 and 5 (1 mod 4) never left. Receivers hold every other entry up to 8.
        PicsouSender next = new PicsouSender(2, params, 0);
        PicsouSender other = new PicsouSender(3, params, 0);
        RecordingSink nextOut = new RecordingSink();
        RecordingSink otherOut = new RecordingSink();
        for (long seq = 1; seq <= 8; seq++) {
            settle(next, next.onEntryCommitted(entry(seq), 0, nextOut), 0, nextOut);
            settle(other, other.onEntryCommitted(entry(seq), 0, otherOut), 0, otherOut);
        }
        nextOut.clear();
        otherOut.clear();

        for (int receiver : new int[] {0, 1}) {
            settle(next, next.onFrame(ack(params, receiver, 2, 0, 0, 2, 3, 4, 6, 7, 8), MS, nextOut), MS, nextOut);
            settle(other, other.onFrame(ack(params, receiver, 3, 0, 0, 2, 3, 4, 6, 7, 8), MS, otherOut), MS, otherOut);
        }
        assertThat(nextOut.transmissions()).as("a hole is not a loss before the reorder grace").isEmpty();

        long grace = next.reorderGraceNanos();
        next.onTick(MS + grace, nextOut);
        assertThat(nextOut.transmissions()).as("time alone is no duplicate QUACK").isEmpty();

        // The duplicate QUACK: newer acks, a reorder grace later, still report the same hole.
        for (int receiver : new int[] {0, 1}) {
            settle(next, next.onFrame(ack(params, receiver, 2, 0, 0, 2, 3, 4, 6, 7, 8), MS + grace, nextOut), MS + grace, nextOut);
            settle(other, other.onFrame(ack(params, receiver, 3, 0, 0, 2, 3, 4, 6, 7, 8), MS + grace, otherOut), MS + grace, otherOut);
        }

        SendSchedule schedule = new SendSchedule(params);
        assertThat(schedule.sender(1, 1)).as("the replica after the crashed one").isEqualTo(2);
        assertThat(schedule.receiver(1, 1)).isEqualTo((schedule.receiver(1, 0) + 1) % 4);
        List<List<Long>> resent = new java.util.ArrayList<>();
        nextOut.transmissions().forEach(t -> resent.add(List.of(2L, t[0], t[1], t[2])));
        otherOut.transmissions().forEach(t -> resent.add(List.of(3L, t[0], t[1], t[2])));
        assertThat(resent).as("each lost entry resent once, by its attempt-1 sender to its attempt-1 receiver")
                .containsExactlyInAnyOrder(
                        List.of((long) schedule.sender(1, 1), 1L, 1L, (long) schedule.receiver(1, 1)),
                        List.of((long) schedule.sender(5, 1), 1L, 5L, (long) schedule.receiver(5, 1)));
        assertThat(next.resends() + other.resends()).isEqualTo(2);
    }

    @Test
    void aResendFoundSpuriousMakesTheNextLossWaitLongerAndANeededOneShortensTheWaitAgain() {
        // Sender 1 is slow, not crashed: its share (1 mod 4) shows up as holes that fill in later.
        PicsouSender next = new PicsouSender(2, params, 0);
        RecordingSink out = new RecordingSink();
        for (long seq = 1; seq <= 8; seq++) {
            settle(next, next.onEntryCommitted(entry(seq), 0, out), 0, out);
        }
        for (int receiver : new int[] {0, 1}) {
            settle(next, next.onFrame(ack(params, receiver, 2, 0, 0, 2, 3, 4, 6, 7, 8), MS, out), MS, out);
        }
        long grace = next.reorderGraceNanos();
        for (int receiver : new int[] {0, 1}) {
            settle(next, next.onFrame(ack(params, receiver, 2, 0, 0, 2, 3, 4, 6, 7, 8), MS + grace, out), MS + grace, out);
        }
        assertThat(next.resends()).as("the duplicate QUACK declared seq 1 lost").isEqualTo(1);
        assertThat(next.lateAllowanceNanos()).isZero();

        // The originals (seq 1 and 5, both declared lost, one of them ours to resend) arrive at once, sooner than
        // any resend could have: they were only late.
        settle(next, next.onFrame(ack(params, 0, 2, 8, 0), MS + grace, out), MS + grace, out);
        assertThat(next.spuriousResends()).isEqualTo(2);
        long allowance = 2 * (grace / 8);
        assertThat(next.lateAllowanceNanos()).isEqualTo(allowance);

        // The next hole of the slow sender is declared lost a grace plus the allowance after it was due.
        long committedAt = 2 * MS + grace;
        for (long seq = 9; seq <= 16; seq++) {
            settle(next, next.onEntryCommitted(entry(seq), committedAt, out), committedAt, out);
        }
        long now = committedAt;
        while (next.resends() == 1 && now < committedAt + 10 * grace) {
            now += MS / 10;
            for (int receiver : new int[] {0, 1}) {
                settle(next, next.onFrame(ack(params, receiver, 2, 8, 0, 10, 11, 12, 14, 15, 16), now, out), now, out);
            }
        }
        assertThat(next.resends()).as("seq 9 declared lost").isEqualTo(2);
        assertThat(now - committedAt).isGreaterThanOrEqualTo(grace + allowance);

        // This time the resends were needed: they are held only a round trip later.
        settle(next, next.onFrame(ack(params, 0, 2, 16, 0), now + 2 * MS, out), now + 2 * MS, out);
        assertThat(next.spuriousResends()).isEqualTo(2);
        assertThat(next.lateAllowanceNanos()).isZero();
    }

    @Test
    void aSingleReceiverReportingAHoleCannotForceAResend() {
        PicsouSender next = new PicsouSender(2, params, 0);
        RecordingSink out = new RecordingSink();
        for (long seq = 1; seq <= 8; seq++) {
            settle(next, next.onEntryCommitted(entry(seq), 0, out), 0, out);
        }
        out.clear();
        settle(next, next.onFrame(ack(params, 0, 2, 0, 0, 2, 3, 4, 6, 7, 8), MS, out), MS, out);
        settle(next, next.onFrame(ack(params, 0, 2, 0, 0, 2, 3, 4, 6, 7, 8), MS + 2 * next.reorderGraceNanos(), out), MS + 2 * next.reorderGraceNanos(), out);
        next.onTick(MS + 2 * next.reorderGraceNanos(), out);
        assertThat(2 * next.reorderGraceNanos()).isLessThan(p().initialRetransmitTimeoutNanos());

        assertThat(out.transmissions()).as("r_r + 1 = 2 receivers must report the hole").isEmpty();
    }

    @Test
    void garbageCollectionStallIsResolvedByQuackClaimsOfRsPlusOneSenders() {
        PicsouReceiver receiver = new PicsouReceiver(0, params);
        RecordingSink out = new RecordingSink();
        FrameAuthenticator auth = FrameAuthenticator.fromSecret(params.linkSecret());

        receiver.onFrame(auth.sign(new DataFrame(params.linkId(), params.epoch(), 0, 0, 10,
                List.of(new SentEntry(entry(11), 0)), Mac.NONE)), MS, out);
        assertThat(receiver.receivedSeq()).as("one sender's claim may be a Byzantine lie").isZero();

        receiver.onFrame(auth.sign(new DataFrame(params.linkId(), params.epoch(), 1, 0, 10, List.of(), Mac.NONE)),
                2 * MS, out);
        assertThat(receiver.receivedSeq()).as("claims of r_s + 1 senders move the prefix past the stall")
                .isEqualTo(11);
        assertThat(out.delivered).extracting(e -> e.seq()).containsExactly(11L);
    }

    @Test
    void senderSendsItsQuackClaimToAReceiverStuckBelowIt() {
        PicsouSender sender = new PicsouSender(0, params, 0);
        RecordingSink out = new RecordingSink();
        for (long seq = 1; seq <= 12; seq++) {
            settle(sender, sender.onEntryCommitted(entry(seq), 0, out), 0, out);
        }
        settle(sender, sender.onFrame(ack(params, 0, 0, 12, 10), MS, out), MS, out);
        settle(sender, sender.onFrame(ack(params, 1, 0, 12, 10), MS, out), MS, out);
        settle(sender, sender.onFrame(ack(params, 3, 0, 2, 2), MS, out), MS, out);
        out.clear();

        sender.onTick(MS + params.initialRetransmitTimeoutNanos(), out);

        assertThat(out.sent).filteredOn(s -> s.peer() == 3 && s.frame() instanceof DataFrame d
                && d.entries().isEmpty()).singleElement()
                .satisfies(s -> assertThat(((DataFrame) s.frame()).quackedSeq()).isEqualTo(10));
    }
}
