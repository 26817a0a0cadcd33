package dev.picsou.mirror.bridge.baseline;

import static dev.picsou.mirror.bridge.baseline.TestLinks.MS;
import static dev.picsou.mirror.bridge.baseline.TestLinks.assertEveryEntryDeliveredOnce;
import static dev.picsou.mirror.bridge.baseline.TestLinks.assertQuackedEverything;
import static dev.picsou.mirror.bridge.baseline.TestLinks.link;
import static org.assertj.core.api.Assertions.assertThat;

import dev.picsou.mirror.bridge.model.DataFrame;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class OtuTest {

    private static LinkHarness harness(int senders, int receivers) {
        LinkHarness h = new LinkHarness(Otu.INSTANCE, link(senders, receivers).batchMaxBytes(1000).build());
        h.networkDelayNanos = MS;
        return h;
    }

    @ParameterizedTest(name = "n_r={0}")
    @CsvSource({"3", "4", "7"})
    void sendsEachEntryToReceiverUPlusOneReceivers(int receivers) {
        LinkHarness h = harness(3, receivers).commit(60, 100).runFor(60 * MS);

        int u = (receivers - 1) / 2;
        for (long seq = 1; seq <= 60; seq++) {
            assertThat(h.copiesOf(seq)).as("copies of %d", seq).isEqualTo(u + 1);
        }
        assertThat(h.dataFrames()).allSatisfy(d -> assertThat(d.from()).isZero());
        assertEveryEntryDeliveredOnce(h);
        assertQuackedEverything(h, List.of(0));
    }

    @Test
    void rotatesTheTargetsFromBatchToBatch() {
        LinkHarness h = harness(1, 4).commit(40, 100).runFor(10 * MS);

        List<Integer> targets = h.dataFrames().stream().map(DataFrame::to).toList();
        assertThat(targets).containsExactly(0, 1, 2, 3, 0, 1, 2, 3);
    }

    @Test
    void deliversAndQuacksEverythingWithOneReceiverCrashed() {
        LinkHarness h = harness(3, 4);
        h.receiverDown[1] = true;
        for (int round = 0; round < 10; round++) {
            h.commit(10, 100).runFor(5 * MS);
        }
        h.runFor(200 * MS);

        assertEveryEntryDeliveredOnce(h);
        assertQuackedEverything(h, List.of(0));
    }

    @Test
    void resendsALostBatchToTheNextReceivers() {
        LinkHarness h = harness(1, 4);
        h.receiverDown[0] = true;
        h.drop = s -> s.to() == 1 && s.frame() instanceof DataFrame;
        h.commit(5, 100).runFor(20 * MS);
        assertThat(h.siteLog).isEmpty();

        h.runFor(60 * MS);

        assertEveryEntryDeliveredOnce(h);
        assertThat(h.dataFrames()).filteredOn(d -> d.to() >= 2)
                .allSatisfy(d -> assertThat(d.entries()).allSatisfy(e -> assertThat(e.attempt()).isOne()));
        assertQuackedEverything(h, List.of(0));
    }

    @Test
    void newSendingLeaderResendsEverythingUnquacked() {
        LinkHarness h = harness(3, 4);
        h.drop = s -> s.from() == 0 && s.toReceivingSite();
        h.commit(20, 100).runFor(10 * MS);
        assertThat(h.siteLog).isEmpty();

        h.senderDown[0] = true;
        h.changeLeaders(1, 0).runFor(20 * MS).commit(20, 100).runFor(50 * MS);

        assertEveryEntryDeliveredOnce(h);
        assertQuackedEverything(h, List.of(1));
        assertThat(h.senders[2].quackedSeq()).isZero();
    }

    @Test
    void quacksOnlyOnceReceiverUPlusOneReceiversAckDurable() {
        LinkHarness h = harness(1, 5);
        h.drop = s -> s.frame() instanceof dev.picsou.mirror.bridge.model.AckFrame a && a.from() >= 2;
        h.commit(10, 100).runFor(50 * MS);
        assertThat(h.quacksBy.get(0)).isEmpty();

        h.drop = s -> s.frame() instanceof dev.picsou.mirror.bridge.model.AckFrame a && a.from() >= 3;
        h.runFor(100 * MS);
        assertQuackedEverything(h, List.of(0));
    }
}
