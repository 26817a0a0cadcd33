package dev.picsou.mirror.bridge.picsou;

import static dev.picsou.mirror.bridge.picsou.CoreFixtures.MS;
import static dev.picsou.mirror.bridge.picsou.CoreFixtures.ack;
import static dev.picsou.mirror.bridge.picsou.CoreFixtures.bft4x4;
import static dev.picsou.mirror.bridge.picsou.CoreFixtures.entry;
import static dev.picsou.mirror.bridge.picsou.CoreFixtures.settle;
import static org.assertj.core.api.Assertions.assertThat;

import dev.picsou.mirror.bridge.model.AckFrame;
import dev.picsou.mirror.bridge.model.DataFrame;
import dev.picsou.mirror.bridge.model.FencedFrame;
import dev.picsou.mirror.bridge.model.ForkPoint;
import dev.picsou.mirror.bridge.model.Mac;
import dev.picsou.mirror.bridge.wire.FrameAuthenticator;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class PicsouSenderTest {

    private static PicsouParams cft(int n, int m) {
        return PicsouParams.builder(n, m).batchDelayNanos(0).build();
    }

    private static RecordingSink commitAll(PicsouSender sender, long upTo, long now) {
        RecordingSink out = new RecordingSink();
        for (long seq = sender.committedSeq() + 1; seq <= upTo; seq++) {
            settle(sender, sender.onEntryCommitted(entry(seq), now, out), now, out);
        }
        return out;
    }

    /** The seqs among {@code 1..upTo} whose attempt 1 the schedule gives to {@code sender}. */
    private static List<Long> firstResendsBy(PicsouParams p, int sender, long upTo) {
        SendSchedule schedule = new SendSchedule(p);
        List<Long> seqs = new java.util.ArrayList<>();
        for (long seq = 1; seq <= upTo; seq++) {
            if (schedule.sender(seq, 1) == sender) {
                seqs.add(seq);
            }
        }
        assertThat(seqs).as("sender %d makes some attempts 1 among %d entries", sender, upTo).isNotEmpty();
        return seqs;
    }

    @Test
    void withoutLingerEntriesCommittedTogetherLeaveAtTheNextTickInOneFramePerReceiver() {
        PicsouParams p = PicsouParams.builder(2, 2).batchDelayNanos(0).build();
        PicsouSender sender = new PicsouSender(0, p, 0);
        RecordingSink out = new RecordingSink();
        long deadline = Long.MAX_VALUE;
        for (long seq = 1; seq <= 16; seq++) {
            deadline = sender.onEntryCommitted(entry(seq), 5 * MS, out);
        }
        assertThat(out.sent).as("events leave partial batches for the tick").isEmpty();
        assertThat(deadline).as("... which is due at once").isEqualTo(5 * MS);

        sender.onTick(5 * MS, out);
        assertThat(out.sent).as("one frame per receiver").hasSize(2)
                .extracting(RecordingSink.Sent::peer).containsExactlyInAnyOrder(0, 1);
        assertThat(out.transmissions()).as("this sender's share, 8 of the 16").hasSize(8);
    }

    @Test
    void failureFreeScheduleSendsEveryEntryExactlyOnceAndSpreadsItOverAllPairs() {
        PicsouParams p = cft(4, 4);
        Map<Long, Integer> copies = new HashMap<>();
        Map<List<Long>, Integer> pairs = new HashMap<>();
        for (int s = 0; s < 4; s++) {
            PicsouSender sender = new PicsouSender(s, p, 0);
            RecordingSink out = commitAll(sender, 640, 0);
            for (long[] t : out.transmissions()) {
                assertThat(t[0]).as("attempt").isZero();
                copies.merge(t[1], 1, Integer::sum);
                pairs.merge(List.of((long) s, t[2]), 1, Integer::sum);
            }
            assertThat(out.transmissions()).as("sender %d's share", s).hasSize(160);
        }
        assertThat(copies).hasSize(640).allSatisfy((seq, n) -> assertThat(n).isEqualTo(1));
        assertThat(pairs).hasSize(16).allSatisfy((pair, n) -> assertThat(n).isEqualTo(40));
    }

    @Test
    void windowHoldsBackEntriesPastTheQuackedPrefixUntilTheyAreQuacked() {
        PicsouParams p = PicsouParams.builder(2, 3).batchDelayNanos(0).windowEntries(8).build();
        PicsouSender sender = new PicsouSender(0, p, 0);
        RecordingSink out = commitAll(sender, 40, 0);
        assertThat(out.transmissions()).extracting(t -> t[1]).containsExactly(2L, 4L, 6L, 8L);

        out.clear();
        settle(sender, sender.onFrame(ack(p, 0, 0, 8, 8), MS, out), MS, out);
        settle(sender, sender.onFrame(ack(p, 1, 0, 8, 8), MS, out), MS, out);
        assertThat(out.quacked).containsExactly(8L);
        assertThat(out.transmissions()).extracting(t -> t[1]).containsExactlyInAnyOrder(10L, 12L, 14L, 16L);
    }

    @Test
    void entriesForOneReceiverAreBatchedUntilTheBatchFillsOrItsDelayPasses() {
        PicsouParams p = PicsouParams.builder(1, 1).batchDelayNanos(MS).batchMaxBytes(1_000_000).build();
        PicsouSender sender = new PicsouSender(0, p, 0);
        RecordingSink out = commitAll(sender, 5, 0);
        assertThat(out.sent).isEmpty();

        long deadline = sender.onTick(MS / 2, out);
        assertThat(out.sent).isEmpty();
        assertThat(deadline).isEqualTo(MS);

        sender.onTick(MS, out);
        assertThat(out.sent).singleElement().satisfies(s ->
                assertThat(((DataFrame) s.frame()).entries()).hasSize(5));
    }

    @Test
    void unwritableLinkHoldsFramesUntilItDrains() {
        PicsouParams p = cft(1, 2);
        PicsouSender sender = new PicsouSender(0, p, 0);
        RecordingSink out = new RecordingSink();
        sender.onLinkWritable(0, false, 0, out);
        sender.onLinkWritable(1, false, 0, out);
        for (long seq = 1; seq <= 4; seq++) {
            settle(sender, sender.onEntryCommitted(entry(seq), 0, out), 0, out);
        }
        assertThat(out.sent).isEmpty();

        long deadline = sender.onLinkWritable(1, true, MS, out);
        assertThat(deadline).as("flushes on the next tick").isEqualTo(MS);
        sender.onTick(MS, out);
        assertThat(out.sent).allSatisfy(s -> assertThat(s.peer()).isEqualTo(1)).isNotEmpty();
        sender.onLinkWritable(0, true, MS, out);
        sender.onTick(MS, out);
        assertThat(out.transmissions()).hasSize(4);
    }

    @Test
    void tailLossWithNothingLaterIsResentByTheScheduledReplicaAfterTheRetransmitTimeout() {
        PicsouParams p = cft(3, 3);
        PicsouSender second = new PicsouSender(1, p, 0);
        commitAll(second, 6, 0);
        RecordingSink out = new RecordingSink();

        second.onTick(p.initialRetransmitTimeoutNanos() - 1, out);
        assertThat(out.transmissions()).isEmpty();

        second.onTick(p.initialRetransmitTimeoutNanos(), out);
        SendSchedule schedule = new SendSchedule(p);
        List<List<Long>> expected = new java.util.ArrayList<>();
        for (long seq = 1; seq <= 6; seq++) {
            if (schedule.sender(seq, 1) == 1) {
                expected.add(List.of(1L, seq, (long) schedule.receiver(seq, 1)));
            }
        }
        assertThat(expected).as("sender 1 makes some attempts 1 among six entries").isNotEmpty();
        assertThat(out.transmissions()).extracting(t -> List.of(t[0], t[1], t[2]))
                .containsExactlyInAnyOrderElementsOf(expected);
    }

    @Test
    void aReceiverThatRestartedAndLostWhatItHeldIsBelievedAndTheEntriesAreResent() {
        PicsouParams p = cft(3, 3);
        PicsouSender second = new PicsouSender(1, p, 0);
        commitAll(second, 6, 0);
        RecordingSink out = new RecordingSink();
        settle(second, second.onFrame(ack(p, 0, 1, 6, 0), MS, out), MS, out);
        second.onTick(10 * p.initialRetransmitTimeoutNanos(), out);
        assertThat(out.transmissions()).as("held by receiver 0, only not yet durable").isEmpty();

        // Receiver 0 restarted before its site committed 1..6: it holds nothing now, and says so.
        long later = 10 * p.initialRetransmitTimeoutNanos() + MS;
        settle(second, second.onFrame(ack(p, 0, 1, 0, 0), later, out), later, out);

        assertThat(out.transmissions()).allSatisfy(t -> assertThat(t[0]).as("attempt").isEqualTo(1L))
                .extracting(t -> t[1]).containsExactlyInAnyOrderElementsOf(firstResendsBy(p, 1, 6));
        assertThat(second.toString()).contains("r0=0/0/0(went back 1x)");
    }

    @Test
    void anEntryHeldOnlyByAReceiverThatWentSilentIsResent() {
        PicsouParams p = cft(3, 3);
        PicsouSender second = new PicsouSender(1, p, 0);
        commitAll(second, 6, 0);
        RecordingSink out = new RecordingSink();
        settle(second, second.onFrame(ack(p, 0, 1, 6, 0), MS, out), MS, out);

        // Receiver 0 crashed right after that ack, before its site committed anything; the others ack on.
        long later = 10 * p.initialRetransmitTimeoutNanos();
        settle(second, second.onFrame(ack(p, 1, 1, 0, 0), later, out), later, out);
        settle(second, second.onFrame(ack(p, 2, 1, 0, 0), later, out), later, out);

        assertThat(out.transmissions()).extracting(t -> t[1])
                .containsExactlyInAnyOrderElementsOf(firstResendsBy(p, 1, 6));
        assertThat(out.transmissions()).extracting(t -> t[2]).as("never to the silent receiver").doesNotContain(0L);
    }

    @Test
    void aCopyQueuedForAReceiverWhoseLinkNeverOpenedLeavesForAnotherOnceThatReceiverIsSilent() {
        PicsouParams p = cft(3, 3);
        SendSchedule schedule = new SendSchedule(p);
        assertThat(schedule.receiver(6, 0)).as("the fixture: sender 0 sends seq 6 to receiver 2").isEqualTo(2);
        PicsouSender first = new PicsouSender(0, p, 0);
        RecordingSink out = new RecordingSink();
        first.onLinkWritable(2, false, 0, out); // receiver 2 crashed before its link ever opened
        commitAll(first, 6, 0).transmissions().forEach(t -> assertThat(t[2]).isNotEqualTo(2L));

        // Receivers 0 and 1 ack everything but 6, then again once receiver 2's silence is long enough to count.
        settle(first, first.onFrame(ack(p, 0, 0, 5, 5), MS, out), MS, out);
        settle(first, first.onFrame(ack(p, 1, 0, 5, 5), MS, out), MS, out);
        long later = 10 * p.initialRetransmitTimeoutNanos();
        settle(first, first.onFrame(ack(p, 0, 0, 5, 5), later, out), later, out);
        settle(first, first.onFrame(ack(p, 1, 0, 5, 5), later, out), later, out);
        first.onTick(later, out);

        assertThat(out.transmissions()).as("seq 6 left, to a receiver that acks")
                .anySatisfy(t -> assertThat(t).containsExactly(0L, 6L, (long) schedule.receiver(6, 1)));
        assertThat(first.toString()).contains("queued=0");
    }

    @Test
    void aLateCopyOfAnOldAckRightBehindANewerOneDoesNotLowerTheView() {
        PicsouParams p = cft(3, 3);
        PicsouSender second = new PicsouSender(1, p, 0);
        commitAll(second, 3, 0);
        RecordingSink out = new RecordingSink();
        settle(second, second.onFrame(ack(p, 0, 1, 3, 0), MS, out), MS, out);
        settle(second, second.onFrame(ack(p, 0, 1, 0, 0), 2 * MS, out), 2 * MS, out);

        second.onTick(10 * p.initialRetransmitTimeoutNanos(), out);
        assertThat(out.transmissions()).as("receiver 0 still counts as holding 1..3").isEmpty();
        assertThat(second.toString()).contains("r0=3/0/3").doesNotContain("went back");
    }

    @Test
    void entryAReceiverAlreadyHoldsIsNotResentOnTimeout() {
        PicsouParams p = cft(3, 3);
        PicsouSender second = new PicsouSender(1, p, 0);
        commitAll(second, 3, 0);
        RecordingSink out = new RecordingSink();
        settle(second, second.onFrame(ack(p, 0, 1, 3, 0), MS, out), MS, out);

        second.onTick(10 * p.initialRetransmitTimeoutNanos(), out);
        assertThat(out.transmissions()).as("held on the site, only not yet durable").isEmpty();
    }

    @Test
    void fencedRefusalStopsTheSenderAndReportsTheForkPoint() {
        PicsouParams p = cft(2, 2);
        PicsouSender sender = new PicsouSender(0, p, 0);
        RecordingSink out = commitAll(sender, 4, 0);
        out.clear();
        FencedFrame refusal = new FencedFrame(p.linkId(), p.epoch() + 1, 1, 0, new ForkPoint(p.epoch() + 1, 3),
                Mac.NONE);

        long deadline = settle(sender, sender.onFrame(refusal, MS, out), MS, out);
        settle(sender, sender.onEntryCommitted(entry(5), 2 * MS, out), 2 * MS, out);
        sender.onTick(10 * p.maxRetransmitTimeoutNanos(), out);

        assertThat(out.fenced).containsExactly(refusal);
        assertThat(sender.state()).isEqualTo(LinkState.FENCED);
        assertThat(deadline).isEqualTo(Long.MAX_VALUE);
        assertThat(out.sent).isEmpty();
    }

    @Test
    void unsignedOrTamperedAcksAreRefusedOnAByzantineTolerantLink() {
        PicsouParams p = bft4x4();
        PicsouSender sender = new PicsouSender(0, p, 0);
        RecordingSink out = commitAll(sender, 4, 0);
        AckFrame unsigned = new AckFrame(p.linkId(), p.epoch(), 1, 0, 4, 4,
                dev.picsou.mirror.bridge.model.PhiList.EMPTY, Mac.NONE);
        AckFrame signed = FrameAuthenticator.fromSecret(p.linkSecret()).sign(unsigned);
        AckFrame tampered = new AckFrame(p.linkId(), p.epoch(), 2, 0, 4, 4, signed.phi(), signed.mac());

        settle(sender, sender.onFrame(unsigned, MS, out), MS, out);
        settle(sender, sender.onFrame(tampered, MS, out), MS, out);

        assertThat(out.refused).hasSize(2).allSatisfy(r -> assertThat(r).contains("authenticator"));
        assertThat(out.quacked).isEmpty();
    }

    @Test
    void aByzantineReceiverAckingTooHighCannotRaiseTheQuackPastAnHonestOne() {
        PicsouParams p = bft4x4();
        PicsouSender sender = new PicsouSender(0, p, 0);
        RecordingSink out = commitAll(sender, 10, 0);
        settle(sender, sender.onFrame(ack(p, 3, 0, 1_000_000, 1_000_000), MS, out), MS, out);
        assertThat(out.quacked).isEmpty();

        settle(sender, sender.onFrame(ack(p, 1, 0, 5, 5), 2 * MS, out), 2 * MS, out);
        assertThat(out.quacked).containsExactly(5L);
    }

    @Test
    void restartedSenderWaitsForTheFirstAckBeforeResendingItsShare() {
        PicsouParams p = cft(2, 2);
        PicsouSender restarted = new PicsouSender(0, p, 4);
        RecordingSink out = commitAll(restarted, 10, 0);
        assertThat(out.transmissions()).as("its share above the floor may already be on the mirror").isEmpty();

        settle(restarted, restarted.onFrame(ack(p, 0, 0, 8, 8), MS, out), MS, out);
        settle(restarted, restarted.onEntryCommitted(entry(11), MS, out), MS, out);
        settle(restarted, restarted.onEntryCommitted(entry(12), MS, out), MS, out);
        assertThat(out.transmissions()).extracting(t -> t[1]).containsExactly(12L);
    }

    @Test
    void restartedSenderPassesOverItsShareOfTheWindowItComesBackTo() {
        PicsouParams p = PicsouParams.builder(2, 2).batchDelayNanos(0).windowEntries(8).build();
        PicsouSender restarted = new PicsouSender(0, p, 4);
        RecordingSink out = commitAll(restarted, 20, 0);

        // The first ack says the mirror is durable through 10: the others' windows reach 18, their share of it is
        // on its way and ours was taken over or will be found missing.
        settle(restarted, restarted.onFrame(ack(p, 0, 0, 10, 10), MS, out), MS, out);
        assertThat(out.transmissions()).isEmpty();

        settle(restarted, restarted.onFrame(ack(p, 0, 0, 14, 14), 2 * MS, out), 2 * MS, out);
        settle(restarted, restarted.onEntryCommitted(entry(21), 2 * MS, out), 2 * MS, out);
        settle(restarted, restarted.onEntryCommitted(entry(22), 2 * MS, out), 2 * MS, out);
        assertThat(out.transmissions()).extracting(t -> t[1]).containsExactly(20L, 22L);
    }

    @Test
    void latencySampleAnsweredByAnotherReplicasCopyIsNotTaken() {
        PicsouParams p = PicsouParams.builder(2, 2).batchDelayNanos(0).reorderGraceNanos(MS).build();
        PicsouSender sender = new PicsouSender(0, p, 0);
        RecordingSink out = commitAll(sender, 4, 0);
        settle(sender, sender.onFrame(ack(p, 0, 0, 4, 4), 40 * MS, out), 40 * MS, out);
        assertThat(sender.smoothedQuackLatencyNanos()).isEqualTo(40 * MS);
        assertThat(sender.reorderGraceNanos()).isEqualTo(10 * MS);

        // Seq 6 and 8 leave at 100 ms and are reported held 3 ms later: a copy from another replica got there
        // first. Taking that for our latency would shrink the reorder grace to its floor.
        commitAll(sender, 8, 100 * MS);
        settle(sender, sender.onFrame(ack(p, 0, 0, 8, 8), 103 * MS, out), 103 * MS, out);
        assertThat(sender.smoothedQuackLatencyNanos()).isEqualTo(40 * MS);
        assertThat(sender.reorderGraceNanos()).isEqualTo(10 * MS);

        commitAll(sender, 12, 200 * MS);
        settle(sender, sender.onFrame(ack(p, 0, 0, 12, 12), 248 * MS, out), 248 * MS, out);
        assertThat(sender.smoothedQuackLatencyNanos()).as("a plausible sample is taken").isEqualTo(41 * MS);
    }

    @Test
    void senderThatLagsBehindTheQuackSendsNothingBelowIt() {
        PicsouParams p = cft(2, 2);
        PicsouSender lagging = new PicsouSender(0, p, 0);
        RecordingSink out = commitAll(lagging, 2, 0);
        settle(lagging, lagging.onFrame(ack(p, 0, 0, 20, 20), MS, out), MS, out);
        settle(lagging, lagging.onFrame(ack(p, 1, 0, 20, 20), MS, out), MS, out);
        out.clear();

        commitAll(lagging, 22, 2 * MS).transmissions().forEach(t -> assertThat(t[1]).isGreaterThan(20));
        assertThat(lagging.quackedSeq()).isEqualTo(20);
    }

    @Test
    void dataFromTheOldPrimaryOfAnOlderEpochIsAnsweredWithFencedAndTheForkPoint() {
        PicsouParams p = PicsouParams.builder(3, 3).epoch(4).forkSeq(95).build();
        PicsouSender sender = new PicsouSender(1, p, 0);
        RecordingSink out = new RecordingSink();
        java.util.List<dev.picsou.mirror.bridge.model.SentEntry> entries =
                java.util.List.of(new dev.picsou.mirror.bridge.model.SentEntry(CoreFixtures.entry(96), 0));

        settle(sender, sender.onFrame(new dev.picsou.mirror.bridge.model.DataFrame(p.linkId(), 3, 2, 1, 0, entries,
                dev.picsou.mirror.bridge.model.Mac.NONE), 0, out), 0, out);

        assertThat(out.refused).isEmpty();
        assertThat(out.sent).singleElement().satisfies(s -> {
            assertThat(s.peer()).isEqualTo(2);
            dev.picsou.mirror.bridge.model.FencedFrame f = (dev.picsou.mirror.bridge.model.FencedFrame) s.frame();
            assertThat(f.epoch()).isEqualTo(4);
            assertThat(f.from()).isEqualTo(1);
            assertThat(f.to()).isEqualTo(2);
            assertThat(f.forkPoint()).isEqualTo(new dev.picsou.mirror.bridge.model.ForkPoint(4, 95));
        });
    }
}
