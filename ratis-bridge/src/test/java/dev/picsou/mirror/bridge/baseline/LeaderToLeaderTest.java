package dev.picsou.mirror.bridge.baseline;

import static dev.picsou.mirror.bridge.baseline.TestLinks.MS;
import static dev.picsou.mirror.bridge.baseline.TestLinks.assertEveryEntryDeliveredOnce;
import static dev.picsou.mirror.bridge.baseline.TestLinks.assertQuackedEverything;
import static dev.picsou.mirror.bridge.baseline.TestLinks.link;
import static org.assertj.core.api.Assertions.assertThat;

import dev.picsou.mirror.bridge.model.AckFrame;
import dev.picsou.mirror.bridge.model.DataFrame;
import java.util.List;
import org.junit.jupiter.api.Test;

class LeaderToLeaderTest {

    private static LinkHarness harness() {
        LinkHarness h = new LinkHarness(LeaderToLeader.INSTANCE,
                link(3, 3).senderLeader(1).receiverLeader(2).build());
        h.networkDelayNanos = MS;
        return h;
    }

    @Test
    void onlyTheSendingLeaderSendsOneCopyOfEachEntryToTheReceivingLeader() {
        LinkHarness h = harness().commit(40, 100).runFor(50 * MS);

        for (long seq = 1; seq <= 40; seq++) {
            assertThat(h.copiesOf(seq)).as("copies of %d", seq).isEqualTo(1);
        }
        assertThat(h.dataFrames()).allSatisfy(d -> {
            assertThat(d.from()).isEqualTo(1);
            assertThat(d.to()).isEqualTo(2);
        });
        assertEveryEntryDeliveredOnce(h);
        assertThat(h.deliveredBy.get(2)).hasSize(40);
        assertQuackedEverything(h, List.of(1));
    }

    @Test
    void everyReceiverAcksTheSendingLeaderOnly() {
        LinkHarness h = harness().commit(10, 100).runFor(50 * MS);

        List<AckFrame> acks = h.sent.stream()
                .filter(s -> s.frame() instanceof AckFrame).map(s -> (AckFrame) s.frame()).toList();
        assertThat(acks).allSatisfy(a -> assertThat(a.to()).isEqualTo(1));
        assertThat(acks).extracting(AckFrame::from).contains(0, 1, 2);
        assertThat(h.senders[0].quackedSeq()).isZero();
    }

    @Test
    void resendsToTheNewReceivingLeaderAfterATimeout() {
        LinkHarness h = harness();
        h.receiverDown[2] = true;
        h.commit(10, 100).runFor(10 * MS).changeLeaders(1, 0).runFor(100 * MS);

        assertEveryEntryDeliveredOnce(h);
        assertThat(h.deliveredBy.get(0)).hasSize(10);
        assertThat(h.dataFrames()).filteredOn(d -> d.to() == 0)
                .allSatisfy(d -> assertThat(d.entries()).allSatisfy(e -> assertThat(e.attempt()).isOne()));
        assertQuackedEverything(h, List.of(1));
    }

    @Test
    void newSendingLeaderResendsEverythingAboveItsQuackedPrefix() {
        LinkHarness h = harness().commit(10, 100).runFor(50 * MS);
        h.senderDown[1] = true;
        h.changeLeaders(0, 2).runFor(10 * MS);

        List<DataFrame> fromNewLeader = h.dataFrames().stream().filter(d -> d.from() == 0).toList();
        assertThat(fromNewLeader.stream().mapToLong(d -> d.entries().size()).sum()).isEqualTo(10);

        h.commit(10, 100).runFor(50 * MS);
        assertEveryEntryDeliveredOnce(h);
        assertQuackedEverything(h, List.of(0));
    }

    @Test
    void aLeaderThatRegainsLeadershipResendsEverythingUnquacked() {
        LinkHarness h = harness();
        h.drop = s -> s.toReceivingSite();
        h.commit(10, 100).runFor(10 * MS).changeLeaders(0, 2).runFor(5 * MS);
        assertThat(h.siteLog).isEmpty();

        h.drop = s -> false;
        h.changeLeaders(1, 2).runFor(20 * MS);

        assertEveryEntryDeliveredOnce(h);
        assertQuackedEverything(h, List.of(1));
    }

    @Test
    void nonLeadersKeepQuietAndHoldTheirEntries() {
        LinkHarness h = harness().commit(10, 100).runFor(50 * MS);

        assertThat(h.sent).noneMatch(s -> s.toReceivingSite() && s.from() != 1);
        assertThat(h.senders[0].committedSeq()).isEqualTo(10);
        assertThat(h.senders[2].quackedSeq()).isZero();
    }
}
