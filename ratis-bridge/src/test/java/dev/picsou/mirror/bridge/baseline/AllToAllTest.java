package dev.picsou.mirror.bridge.baseline;

import static dev.picsou.mirror.bridge.baseline.TestLinks.MS;
import static dev.picsou.mirror.bridge.baseline.TestLinks.assertEveryEntryDeliveredOnce;
import static dev.picsou.mirror.bridge.baseline.TestLinks.assertQuackedEverything;
import static dev.picsou.mirror.bridge.baseline.TestLinks.link;
import static org.assertj.core.api.Assertions.assertThat;

import dev.picsou.mirror.bridge.model.AckFrame;
import dev.picsou.mirror.bridge.model.DataFrame;
import dev.picsou.mirror.bridge.model.SentEntry;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class AllToAllTest {

    private static LinkHarness harness(int senders, int receivers) {
        LinkHarness h = new LinkHarness(AllToAll.INSTANCE, link(senders, receivers).build());
        h.networkDelayNanos = MS;
        return h;
    }

    @Test
    void deliversEveryEntryOnceAndEverySenderQuacksIt() {
        LinkHarness h = harness(3, 4).commit(50, 100).runFor(100 * MS);

        assertEveryEntryDeliveredOnce(h);
        assertQuackedEverything(h, List.of(0, 1, 2));
        assertThat(h.refusals).isEmpty();
    }

    @Test
    void sendsEveryEntryFromEverySenderToEveryReceiver() {
        LinkHarness h = harness(3, 4).commit(30, 100).runFor(40 * MS);

        for (long seq = 1; seq <= 30; seq++) {
            assertThat(h.copiesOf(seq)).as("copies of %d", seq).isEqualTo(3 * 4);
        }
        Set<String> pairs = new HashSet<>();
        for (DataFrame d : h.dataFrames()) {
            for (SentEntry e : d.entries()) {
                assertThat(pairs.add(d.from() + "->" + d.to() + ":" + e.entry().seq())).isTrue();
            }
        }
    }

    @Test
    void batchesPerReceiverUpToBatchMaxBytes() {
        LinkHarness h = new LinkHarness(AllToAll.INSTANCE, link(2, 3).batchMaxBytes(1000).build());
        h.commit(25, 100).runFor(20 * MS);

        assertThat(h.dataFrames()).allSatisfy(d -> assertThat(d.payloadBytes()).isLessThanOrEqualTo(1000));
        assertThat(h.dataFrames()).hasSize(2 * 3 * 3);
        assertEveryEntryDeliveredOnce(h);
    }

    @Test
    void sendsEveryEntryToEveryReceiverEvenWhenOtherCopiesGotItQuackedMeanwhile() {
        LinkHarness h = harness(2, 3);
        h.linkWritable(1, 0, false);
        h.commit(20, 100).runFor(50 * MS);
        assertQuackedEverything(h, List.of(0, 1));
        long toReceiver0BySender1 = h.dataFrames().stream().filter(d -> d.from() == 1 && d.to() == 0).count();
        assertThat(toReceiver0BySender1).isZero();

        h.linkWritable(1, 0, true).runFor(50 * MS);

        for (long seq = 1; seq <= 20; seq++) {
            assertThat(h.copiesOf(seq)).as("copies of %d", seq).isEqualTo(2 * 3);
        }
        assertEveryEntryDeliveredOnce(h);
    }

    @Test
    void aReceiverFarBehindLosesOnlyQuackedEntriesFromItsBatchBeyondTheBacklogBound() {
        LinkHarness h = new LinkHarness(AllToAll.INSTANCE, link(1, 3).windowBytes(100).build());
        h.networkDelayNanos = MS;
        h.linkWritable(0, 2, false);
        for (int round = 0; round < 10; round++) {
            h.commit(10, 100).runFor(5 * MS);
        }
        h.linkWritable(0, 2, true).runFor(100 * MS);

        long sentToReceiver2 = h.dataFrames().stream().filter(d -> d.to() == 2)
                .mapToLong(d -> d.entries().size()).sum();
        assertThat(sentToReceiver2).isPositive()
                .isLessThanOrEqualTo(AllToAllSender.BACKLOG_WINDOWS * 100 / 100 + 10);
        assertEveryEntryDeliveredOnce(h);
        assertQuackedEverything(h, List.of(0));
    }

    @Test
    void deliversAndQuacksEverythingWithOneReceiverCrashed() {
        LinkHarness h = harness(3, 4);
        h.receiverDown[2] = true;
        for (int round = 0; round < 10; round++) {
            h.commit(10, 200).runFor(5 * MS);
        }
        h.runFor(100 * MS);

        assertEveryEntryDeliveredOnce(h);
        assertQuackedEverything(h, List.of(0, 1, 2));
        assertThat(h.deliveredBy.get(2)).isEmpty();
    }

    @Test
    void resendsEntriesNoReceiverAcknowledgedAfterTheTimeout() {
        LinkHarness h = harness(2, 3);
        h.drop = s -> s.frame() instanceof DataFrame d && d.entries().stream().allMatch(e -> e.attempt() == 0);
        h.commit(5, 100).runFor(40 * MS);
        assertThat(h.siteLog).isEmpty();

        h.runFor(60 * MS);

        assertEveryEntryDeliveredOnce(h);
        assertQuackedEverything(h, List.of(0, 1));
        assertThat(h.countEntries(e -> e.attempt() == 1 ? 1 : 0)).isEqualTo(5 * 2 * 3);
    }

    @Test
    void doesNotResendToOneReceiverWhatAnotherReceiverAlreadyHolds() {
        LinkHarness h = harness(1, 3);
        h.siteDelayNanos = 500 * MS;
        h.drop = s -> s.to() == 1 && s.frame() instanceof DataFrame d && d.entries().get(0).attempt() == 0;
        h.commit(4, 100).runFor(60 * MS);

        assertThat(h.countEntries(e -> e.attempt() > 0 ? 1 : 0))
                .as("receivers 0 and 2 hold every entry: the site has them").isZero();
        assertThat(h.deliveredBy.get(0)).containsExactly(1L, 2L, 3L, 4L);
    }

    @Test
    void recoversEverythingAfterAPartitionHeals() {
        LinkHarness h = harness(3, 3);
        h.drop = s -> s.atNanos() < 300 * MS;
        h.commit(40, 100).runFor(100 * MS).commit(40, 100).runFor(200 * MS);
        assertThat(h.siteLog).isEmpty();

        h.runFor(2_000 * MS);

        assertEveryEntryDeliveredOnce(h);
        assertQuackedEverything(h, List.of(0, 1, 2));
    }

    @Test
    void quacksOnlyOnceReceiverUPlusOneReceiversAckDurable() {
        LinkHarness h = harness(2, 3);
        h.drop = s -> s.frame() instanceof AckFrame a && a.from() != 0;
        h.commit(10, 100).runFor(50 * MS);
        assertThat(h.quacksBy.get(0)).isEmpty();
        assertThat(h.senders[1].quackedSeq()).isZero();

        h.drop = s -> s.frame() instanceof AckFrame a && a.from() == 2;
        h.runFor(50 * MS);
        assertQuackedEverything(h, List.of(0, 1));
    }
}
