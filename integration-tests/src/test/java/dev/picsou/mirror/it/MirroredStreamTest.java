package dev.picsou.mirror.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.picsou.mirror.bridge.hook.PrimaryHook;
import dev.picsou.mirror.bridge.transport.FaultSettings;
import dev.picsou.mirror.server.app.LoadGenerator;
import dev.picsou.mirror.server.embedded.EmbeddedDeployment;
import dev.picsou.mirror.storage.StateDigest;
import dev.picsou.mirror.storage.StoredEntry;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A primary and a mirror site of three replicas each, real Ratis, real RocksDB, the Picsou channel over loopback
 * TCP: the stream arrives complete, in seq order, exactly once, and the mirror's state equals the primary's — with
 * no faults, and while replicas of both sites are killed and restarted and the link loses frames and partitions.
 */
class MirroredStreamTest {
    private static final Duration DRAIN = Duration.ofSeconds(120);

    @TempDir
    Path dir;

    @Test
    @Timeout(300)
    void fiftyThousandEntriesArriveCompleteInOrderAndExactlyOnce() throws Exception {
        try (EmbeddedDeployment d = EmbeddedDeployment.start(
                EmbeddedDeployment.Options.defaults(dir).withRecordedEntries(true))) {
            LoadGenerator.Result result = new LoadGenerator(d.primary().client(),
                    LoadGenerator.Settings.forCount(50_000).withMaxInFlight(200).withValueBytes(64)).run();

            assertThat(result.failed()).isZero();
            assertThat(d.awaitDrained(DRAIN)).as("drained: primary %d, mirror %d, quacked %d", d.primarySeq(),
                    d.mirrorSeqMin(), d.quackedSeq()).isTrue();
            assertThat(d.primarySeq()).isEqualTo(50_000);
            assertMirrorsThePrimary(d, true);
        }
    }

    @Test
    @Timeout(600)
    void streamSurvivesRestartsOfEveryRoleLossAndAPartition() throws Exception {
        SplittableRandom random = new SplittableRandom(7);
        try (EmbeddedDeployment d = EmbeddedDeployment.start(EmbeddedDeployment.Options.defaults(dir)
                .withRecordedEntries(true).withFaultyLinks(true).withSeed(7))) {
            LoadGenerator load = new LoadGenerator(d.primary().client(),
                    LoadGenerator.Settings.forDuration(LoadGenerator.Settings.UNLIMITED).withMaxInFlight(100)
                            .withValueBytes(64)).start();
            d.faults(FaultSettings.NONE.withDrop(0.05));

            restart(d, true, follower(d.primary().leaderIndex(), random), random);
            restart(d, true, d.primary().leaderIndex(), random);
            restart(d, false, follower(d.mirror().leaderIndex(), random), random);
            restart(d, false, d.mirror().leaderIndex(), random);

            d.partitionSites();
            Thread.sleep(3_000);
            d.heal();
            Thread.sleep(2_000);
            d.faults(FaultSettings.NONE);
            load.stop();

            boolean drained = d.awaitDrained(DRAIN);
            assertThat(drained).as(() -> String.format("drained: primary %d, quacked %d, mirror %s", d.primarySeq(),
                    d.quackedSeq(), describeMirror(d))).isTrue();
            assertThat(d.primarySeq()).as("the load made progress through the faults").isGreaterThan(1_000);
            assertMirrorsThePrimary(d, false);
        }
    }

    /** Stops replica {@code index} of one site at a random moment, keeps it down a while, restarts it. */
    private static void restart(EmbeddedDeployment d, boolean primarySite, int index, SplittableRandom random)
            throws Exception {
        Thread.sleep(500 + random.nextInt(1_500));
        if (primarySite) {
            d.stopPrimary(index);
        } else {
            d.stopMirror(index);
        }
        Thread.sleep(1_000 + random.nextInt(1_500));
        if (primarySite) {
            d.restartPrimary(index);
            d.primary().awaitLeader(Duration.ofSeconds(30));
        } else {
            d.restartMirror(index);
            d.mirror().awaitLeader(Duration.ofSeconds(30));
        }
    }

    private static String describeMirror(EmbeddedDeployment d) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 3; i++) {
            var hook = d.mirrorHook(i);
            sb.append("\n  replica ").append(i);
            if (hook == null) {
                sb.append(" stopped");
                continue;
            }
            sb.append(" durable=").append(hook.stateMachine().durableSeq())
                    .append(" link=").append(hook.link().status())
                    .append(" broken=").append(hook.stateMachine().brokenReason().orElse("-"))
                    .append("\n    engine ").append(hook.link().describeEngine(Duration.ofSeconds(2)));
            try {
                var div = d.mirror().division(i);
                sb.append(" applied=").append(div.getInfo().getLastAppliedIndex())
                        .append(" committed=").append(div.getRaftLog().getLastCommittedIndex())
                        .append(" role=").append(div.getInfo().getCurrentRole());
            } catch (Exception e) {
                sb.append(" division: ").append(e);
            }
        }
        for (int i = 0; i < 3; i++) {
            PrimaryHook hook = d.primaryHook(i);
            sb.append("\n  primary replica ").append(i).append(' ')
                    .append(hook == null ? "stopped" : hook.link().status() + "\n    engine "
                            + hook.link().describeEngine(Duration.ofSeconds(2)));
        }
        return sb.toString();
    }

    private static int follower(int leader, SplittableRandom random) {
        return (Math.max(leader, 0) + 1 + random.nextInt(2)) % 3;
    }

    /**
     * Every mirror replica's entry log holds exactly seq 1..N with the entries the primary committed, the primary
     * replicas agreed on every seq, all KV states are equal, and every primary outbox is empty.
     */
    private static void assertMirrorsThePrimary(EmbeddedDeployment d, boolean noRestarts) {
        long n = d.primarySeq();
        Map<Long, Long> committed = d.committedEntries();
        assertThat(d.seqDisagreements()).isEmpty();
        assertThat(committed).hasSize((int) n);
        StateDigest reference = d.primaryDigest(0);
        for (int i = 0; i < 3; i++) {
            assertThat(d.primaryDigest(i).sameStateAs(reference)).as("primary replica %d state", i).isTrue();
            PrimaryHook hook = d.primaryHook(i);
            assertThat(hook.link().quackedSeq()).isEqualTo(n);
            assertThat(hook.link().outboxEntries()).as("primary replica %d outbox", i).isZero();
        }
        for (int i = 0; i < 3; i++) {
            assertThat(d.mirrorDigest(i).sameStateAs(reference)).as("mirror replica %d state", i).isTrue();
            var log = d.mirrorHook(i).stateMachine().store().entries();
            assertThat(log.firstSeq().getAsLong()).isEqualTo(1);
            assertThat(log.lastSeq().getAsLong()).isEqualTo(n);
            assertThat(log.count()).as("mirror replica %d entry log, no gaps, no duplicates", i).isEqualTo(n);
            for (long from = 1; from <= n; from += 10_000) {
                List<StoredEntry> chunk = log.range(from, Math.min(n, from + 9_999), 10_000);
                for (StoredEntry e : chunk) {
                    assertThat(EmbeddedDeployment.recordKey(e.raftIndex(), e.crc32c()))
                            .as("mirror replica %d, seq %d", i, e.seq()).isEqualTo(committed.get(e.seq()));
                }
            }
            if (noRestarts) {
                assertThat(d.mirrorApplied(i)).as("mirror replica %d applied each entry once", i).isEqualTo(n);
            }
        }
    }
}
