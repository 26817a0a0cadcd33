package dev.picsou.mirror.bridge.baseline;

import static dev.picsou.mirror.bridge.baseline.TestLinks.MS;
import static dev.picsou.mirror.bridge.baseline.TestLinks.assertEveryEntryDeliveredOnce;
import static dev.picsou.mirror.bridge.baseline.TestLinks.link;
import static org.assertj.core.api.Assertions.assertThat;

import dev.picsou.mirror.bridge.model.AckFrame;
import dev.picsou.mirror.bridge.model.DataFrame;
import dev.picsou.mirror.bridge.model.SentEntry;
import org.junit.jupiter.api.Test;

class OneShotTest {

    private static LinkHarness harness() {
        LinkHarness h = new LinkHarness(OneShot.INSTANCE, link(3, 4).build());
        h.networkDelayNanos = MS;
        return h;
    }

    @Test
    void sendsEachEntryOnceFromTheScheduledSenderToTheScheduledReceiver() {
        LinkHarness h = harness().commit(60, 100).runFor(20 * MS);

        for (long seq = 1; seq <= 60; seq++) {
            assertThat(h.copiesOf(seq)).as("copies of %d", seq).isEqualTo(1);
        }
        for (DataFrame d : h.dataFrames()) {
            for (SentEntry e : d.entries()) {
                long seq = e.entry().seq();
                assertThat(d.from()).isEqualTo((int) (seq % 3));
                assertThat(d.to()).isEqualTo((int) ((seq % 3 + seq / 3) % 4));
                assertThat(e.attempt()).isZero();
            }
        }
        assertEveryEntryDeliveredOnce(h);
    }

    @Test
    void sendsNoAcksAndNeverQuacks() {
        LinkHarness h = harness().commit(30, 100).runFor(2_000 * MS);

        assertThat(h.sent).noneMatch(s -> s.frame() instanceof AckFrame);
        assertThat(h.quacksBy).allSatisfy(q -> assertThat(q).isEmpty());
        assertThat(h.senders[0].quackedSeq()).isZero();
        assertThat(h.senders[0].committedSeq()).isEqualTo(30);
    }

    @Test
    void neverResendsALostEntry() {
        LinkHarness h = harness();
        h.drop = s -> s.frame() instanceof DataFrame d && d.entries().stream().anyMatch(e -> e.entry().seq() == 7);
        h.commit(30, 100).runFor(5_000 * MS);

        assertThat(h.copiesOf(7)).isEqualTo(1);
        assertThat(h.siteLog).doesNotContain(7L).hasSizeGreaterThanOrEqualTo(20);
        assertThat(h.siteDurable).isEqualTo(6);
    }
}
