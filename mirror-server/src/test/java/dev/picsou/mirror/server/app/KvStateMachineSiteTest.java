package dev.picsou.mirror.server.app;

import static dev.picsou.mirror.server.app.KvSites.aFollower;
import static dev.picsou.mirror.server.app.KvSites.awaitConvergence;
import static dev.picsou.mirror.server.app.KvSites.expectedState;
import static dev.picsou.mirror.server.app.KvSites.kv;
import static dev.picsou.mirror.server.app.KvSites.kvSite;
import static dev.picsou.mirror.server.app.KvSites.runLoad;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.picsou.mirror.server.site.LocalSite;
import dev.picsou.mirror.server.site.LocalSiteConfig;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.exceptions.StateMachineException;
import org.apache.ratis.thirdparty.com.google.protobuf.ByteString;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@link KvStateMachine} on a real 3-node in-JVM Ratis site over loopback gRPC, with real RocksDB stores. */
@Timeout(90)
class KvStateMachineSiteTest {

    private static final Duration CONVERGE = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    private final List<LoadGenerator> runs = new ArrayList<>();

    private static LoadGenerator.Settings load(long count, long seed) {
        // A small key space, so puts overwrite and deletes hit present keys.
        return LoadGenerator.Settings.forCount(count).withKeySpace(400).withDeleteFraction(0.2).withSeed(seed);
    }

    @Test
    void allReplicasConvergeOnTheStateTheLoadWrote() throws Exception {
        try (LocalSite site = kvSite(LocalSiteConfig.defaults("kv-converge", dir))) {
            site.start();
            LoadGenerator.Result result = runLoad(site, load(2_000, 1), runs);
            System.out.println("[kv] 3 nodes, 2000 writes, 100 in flight: " + result.summary());
            assertThat(result.opsPerSecond()).isPositive();
            assertThat(result.latencyMicros().getTotalCount()).isEqualTo(2_000);

            LoadGenerator open = new LoadGenerator(site.client(),
                    LoadGenerator.Settings.forDuration(LoadGenerator.Settings.UNLIMITED).withSeed(12)).start();
            await().atMost(CONVERGE).until(() -> open.acked() >= 200);
            LoadGenerator.Result stopped = open.stop();
            runs.add(open);
            assertThat(open.inFlight()).as("stop() drains").isZero();
            assertThat(stopped.acked() + stopped.failed()).isEqualTo(stopped.sent());
            assertThat(stopped.failed()).isZero();

            NavigableMap<byte[], byte[]> expected = expectedState(runs);
            awaitConvergence(site, expected, CONVERGE);

            try (KvClient client = KvClient.wrap(site.client())) {
                Map.Entry<byte[], byte[]> some = expected.firstEntry();
                assertThat(client.get(some.getKey())).hasValueSatisfying(v -> assertThat(v).isEqualTo(some.getValue()));
                byte[] fresh = "not-a-generated-key".getBytes(StandardCharsets.UTF_8);
                assertThat(client.get(fresh)).isEmpty();
                long index = client.put(fresh, new byte[] {42});
                assertThat(client.get(fresh)).hasValueSatisfying(v -> assertThat(v).containsExactly(42));
                assertThat(client.delete(fresh)).isGreaterThan(index);
                assertThat(client.get(fresh)).isEmpty();
            }
        }
    }

    @Test
    void leaderRefusesMalformedWritesAndGetsSentAsWrites() throws Exception {
        try (LocalSite site = kvSite(LocalSiteConfig.defaults("kv-refuse", dir))) {
            site.start();
            assertThatThrownBy(() -> site.client().io().send(Message.valueOf(ByteString.copyFrom(new byte[] {1, 9}))))
                    .isInstanceOf(StateMachineException.class).hasMessageContaining("malformed KvCommand");
            assertThatThrownBy(() -> site.client().io().send(KvClient.message(KvCommand.get("k"))))
                    .isInstanceOf(StateMachineException.class).hasMessageContaining("is a query");
            try (KvClient client = KvClient.wrap(site.client())) {
                assertThatThrownBy(() -> client.raftClient().io().sendReadOnly(
                        KvClient.message(KvCommand.put("k", new byte[1]))))
                        .hasMessageContaining("is a transaction");
                client.put("k".getBytes(StandardCharsets.UTF_8), new byte[] {1});
            }
            for (int i = 0; i < site.size(); i++) {
                int node = i;
                await().atMost(CONVERGE).until(() -> kv(site, node).digest().pairCount() == 1);
            }
        }
    }

    @Test
    void aRestartedFollowerSkipsWhatItAppliedAndCatchesUp() throws Exception {
        try (LocalSite site = kvSite(LocalSiteConfig.defaults("kv-follower", dir))) {
            site.start();
            runLoad(site, load(1_000, 2), runs);
            int follower = aFollower(site);
            site.stop(follower);
            runLoad(site, load(1_000, 3), runs);
            site.restart(follower);

            awaitConvergence(site, expectedState(runs), CONVERGE);
            KvStateMachine restarted = kv(site, follower);
            assertThat(restarted.skippedEntries()).as("entries replayed below the store's index").isPositive();
            assertThat(restarted.isReplaying()).as("the replay passed the store's index").isFalse();
            assertThat(restarted.appliedEntries()).as("entries written while it was down").isPositive();
            assertThat(restarted.snapshotsLoaded()).isZero();
        }
    }

    @Test
    void aLeaderStoppedUnderLoadLosesNoAckedWriteAndCatchesUpAfterRestart() throws Exception {
        try (LocalSite site = kvSite(LocalSiteConfig.defaults("kv-leader", dir))) {
            int oldLeader = site.start();
            LoadGenerator generator = new LoadGenerator(site.client(), load(3_000, 4)).start();
            runs.add(generator);
            await().atMost(CONVERGE).until(() -> generator.acked() >= 1_000);
            site.stop(oldLeader);
            int newLeader = site.awaitLeader(Duration.ofSeconds(20));
            assertThat(newLeader).isNotEqualTo(oldLeader);
            LoadGenerator.Result result = generator.awaitCompletion(Duration.ofSeconds(60));
            assertThat(result.failed()).as("writes lost to the failover: %s", result.summary()).isZero();
            assertThat(result.acked()).isEqualTo(3_000);
            site.restart(oldLeader);

            awaitConvergence(site, expectedState(runs), CONVERGE);
            assertThat(kv(site, oldLeader).skippedEntries()).isPositive();
        }
    }

    @Test
    void aFollowerBehindThePurgedLogGetsTheLeadersSnapshotInstalled() throws Exception {
        LocalSiteConfig config = LocalSiteConfig.defaults("kv-install", dir).forSnapshotInstallTests();
        try (LocalSite site = kvSite(config)) {
            site.start();
            runLoad(site, load(300, 6), runs);
            int follower = aFollower(site);
            long followerIndex = kv(site, follower).digest().metadata().lastAppliedIndex();
            site.stop(follower);
            runLoad(site, load(2_000, 7), runs);

            // Both running replicas snapshot and purge, so whichever leads can only catch the follower up with
            // a snapshot.
            int leader = site.awaitLeader(Duration.ofSeconds(20));
            for (int i = 0; i < site.size(); i++) {
                if (i != follower) {
                    assertThat(site.takeSnapshot(i)).isGreaterThan(followerIndex);
                    int node = i;
                    await().atMost(CONVERGE).until(() ->
                            site.division(node).getRaftLog().getStartIndex() > followerIndex + 1);
                }
            }
            runLoad(site, load(200, 8), runs);

            site.restart(follower);
            try {
                awaitConvergence(site, expectedState(runs), Duration.ofSeconds(20));
            } catch (org.awaitility.core.ConditionTimeoutException e) {
                // Ratis 3.2.2 race (cf. RATIS-1241): the leader's log appender may read a purged entry for the
                // returning follower, die, and not be restarted until the leadership changes. Change it.
                site.stop(leader);
                site.restart(leader);
                awaitConvergence(site, expectedState(runs), CONVERGE);
            }
            KvStateMachine installed = kv(site, follower);
            assertThat(installed.snapshotsLoaded()).as("store rebuilt from the installed snapshot").isEqualTo(1);
            assertThat(installed.getLatestSnapshot().getIndex()).isGreaterThan(followerIndex);
            assertThat(installed.digest().metadata().lastAppliedIndex())
                    .isGreaterThan(installed.getLatestSnapshot().getIndex());
            assertThat(installed.storeDirectory()).startsWith(site.dataDirectory(follower));
        }
    }

    @Test
    void everyNodeRestartedAfterASnapshotKeepsItsStateWithoutRebuilding() throws Exception {
        try (LocalSite site = kvSite(LocalSiteConfig.defaults("kv-all", dir).forSnapshotInstallTests())) {
            site.start();
            runLoad(site, load(1_500, 9), runs);
            awaitConvergence(site, expectedState(runs), CONVERGE);
            for (int i = 0; i < site.size(); i++) {
                assertThat(site.takeSnapshot(i)).isPositive();
            }
            runLoad(site, load(300, 10), runs);
            for (int i = 0; i < site.size(); i++) {
                site.stop(i);
            }
            site.start();
            runLoad(site, load(100, 11), runs);

            awaitConvergence(site, expectedState(runs), CONVERGE);
            for (int i = 0; i < site.size(); i++) {
                KvStateMachine node = kv(site, i);
                assertThat(node.snapshotsLoaded()).as("node %d rebuilt from its snapshot", i).isZero();
                assertThat(node.getLatestSnapshot()).as("node %d found its snapshot", i).isNotNull();
            }
        }
    }
}
