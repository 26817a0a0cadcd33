package dev.picsou.mirror.server.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.picsou.mirror.server.site.LocalSite;
import dev.picsou.mirror.server.site.LocalSiteConfig;
import dev.picsou.mirror.storage.StateDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.SortedMap;
import java.util.TreeMap;

/** Test helpers: a KV site, the state a series of load runs must leave, and convergence checks. */
final class KvSites {

    private KvSites() {
    }

    /** A site whose every node runs a {@link KvStateMachine} with its store in the node's data directory. */
    static LocalSite kvSite(LocalSiteConfig config) {
        return new LocalSite(config, node -> new KvStateMachine(node.dataDirectory().resolve("kv")));
    }

    static KvStateMachine kv(LocalSite site, int index) {
        return site.stateMachine(index, KvStateMachine.class);
    }

    /** Any running node that is not the leader. */
    static int aFollower(LocalSite site) {
        int leader = site.awaitLeader(Duration.ofSeconds(20));
        for (int i = 0; i < site.size(); i++) {
            if (i != leader && site.isRunning(i)) {
                return i;
            }
        }
        throw new IllegalStateException("no running follower in " + site);
    }

    /** Runs {@code settings} to completion and checks that every write was acknowledged. */
    static LoadGenerator.Result runLoad(LocalSite site, LoadGenerator.Settings settings, List<LoadGenerator> runs)
            throws Exception {
        LoadGenerator generator = new LoadGenerator(site.client(), settings);
        LoadGenerator.Result result = generator.run();
        runs.add(generator);
        assertThat(result.failed()).as("failed writes: %s", result.summary()).isZero();
        assertThat(result.acked()).isEqualTo(result.sent());
        return result;
    }

    /** The state left by {@code runs}, in order, each applied in full. */
    static NavigableMap<byte[], byte[]> expectedState(List<LoadGenerator> runs) {
        TreeMap<byte[], byte[]> state = new TreeMap<>(Arrays::compareUnsigned);
        for (LoadGenerator run : runs) {
            for (long i = 0; i < run.sent(); i++) {
                KvCommand command = run.commandAt(i);
                if (command instanceof KvCommand.Put put) {
                    state.put(put.key(), put.value());
                } else {
                    state.remove(command.key());
                }
            }
        }
        return state;
    }

    static byte[] sha256Of(SortedMap<byte[], byte[]> state) {
        StateDigest.Accumulator acc = new StateDigest.Accumulator();
        for (Map.Entry<byte[], byte[]> e : state.entrySet()) {
            acc.update(e.getKey(), e.getValue());
        }
        return acc.finish();
    }

    /**
     * Waits until every node runs and holds exactly {@code expected}: equal digests on all replicas, equal to the
     * digest of the expected state.
     */
    static List<StateDigest> awaitConvergence(LocalSite site, SortedMap<byte[], byte[]> expected, Duration timeout) {
        byte[] expectedSha = sha256Of(expected);
        List<StateDigest> last = new ArrayList<>();
        await().atMost(timeout).pollInterval(Duration.ofMillis(200)).ignoreExceptions().untilAsserted(() -> {
            List<StateDigest> digests = new ArrayList<>();
            for (int i = 0; i < site.size(); i++) {
                digests.add(kv(site, i).digest());
            }
            last.clear();
            last.addAll(digests);
            for (StateDigest d : digests) {
                assertThat(d.pairCount()).as("pairs on a replica, all: %s", digests).isEqualTo(expected.size());
                assertThat(d.sha256()).as("digest of a replica, all: %s", digests).isEqualTo(expectedSha);
            }
        });
        return last;
    }
}
