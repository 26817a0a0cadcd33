package dev.picsou.mirror.bridge.hook;

import com.codahale.metrics.MetricRegistry;
import dev.picsou.mirror.bridge.model.Entry;
import dev.picsou.mirror.bridge.model.ForkPoint;
import dev.picsou.mirror.bridge.picsou.Picsou;
import dev.picsou.mirror.bridge.picsou.PicsouParams;
import dev.picsou.mirror.bridge.transport.InMemoryHub;
import dev.picsou.mirror.bridge.transport.PeerId;
import dev.picsou.mirror.storage.MirrorStore;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import org.apache.ratis.client.RaftClient;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftPeer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Links without Ratis servers: a primary replica's {@link PrimaryLink} on its hook store, against three mirror
 * replicas' {@link MirrorLink}s that run a newer epoch (a failover happened): the primary is fenced with the fork
 * point and its sync waiters fail.
 */
class PrimaryLinkFencingTest {
    @TempDir
    Path dir;

    private final InMemoryHub hub = new InMemoryHub();
    private final List<AutoCloseable> open = new ArrayList<>();

    @BeforeAll
    static void quiet() {
        HookTestLogging.quiet();
    }

    @AfterEach
    void tearDown() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
        hub.close();
    }

    private static RaftClient unusedClient() {
        RaftGroup nowhere = RaftGroup.valueOf(RaftGroupId.valueOf(UUID.randomUUID()),
                RaftPeer.newBuilder().setId("nobody").setAddress("127.0.0.1:1").build());
        return RaftClient.newBuilder().setRaftGroup(nowhere).setProperties(new RaftProperties()).build();
    }

    @Test
    void aPrimaryOfAnOlderEpochIsFencedWithTheForkPointAndItsSyncWritesFail() throws Exception {
        PicsouParams oldEpoch = PicsouParams.builder(3, 3).linkId(7).epoch(1).build();
        PicsouParams newEpoch = oldEpoch.toBuilder().epoch(2).forkSeq(3).build();
        for (int j = 0; j < 3; j++) {
            MirrorLinkMetrics m = new MirrorLinkMetrics(new MetricRegistry(), "east");
            EntryIngestor ingestor = new EntryIngestor("w" + j, PrimaryLinkFencingTest::unusedClient, true,
                    EntryIngestor.Settings.defaults(), m);
            MirrorLink link = new MirrorLink("west", "east", j, newEpoch, Picsou.INSTANCE,
                    hub.factory(new PeerId("west", j)), ingestor, m, System::nanoTime);
            MirrorStore store = MirrorStore.open(dir.resolve("mirror" + j));
            open.add(store);
            open.add(link);
            link.start();
            link.onStoreReady(store);
        }

        DurabilityPolicy sync = DurabilityPolicy.sync(Duration.ofSeconds(30), DurabilityPolicy.OnTimeout.KEEP_BLOCKING);
        SyncWaiters waiters = new SyncWaiters(sync, "east/0", Runnable::run);
        PrimaryLink link = new PrimaryLink("east", "west", 0, oldEpoch, Picsou.INSTANCE,
                hub.factory(new PeerId("east", 0)), waiters, sync,
                new PrimaryLinkMetrics(new MetricRegistry(), "west"), System::nanoTime);
        PrimaryHookStore store = PrimaryHookStore.open(dir.resolve("hook"), 1);
        open.add(store);
        open.add(link);
        link.start();
        link.feed().attach(store);
        CompletableFuture<Void> syncWrite = null;
        for (int k = 1; k <= 6; k++) {
            Entry e = store.append(1, 10 + k, KvTestApplier.payload("k" + k, "v"));
            link.feed().onCommitted(e);
            if (k == 1) {
                syncWrite = waiters.await(e.seq(), System.nanoTime());
            }
        }

        await().atMost(Duration.ofSeconds(20)).until(() -> link.state() == LinkEndpointState.FENCED);
        assertThat(link.forkPoint()).contains(new ForkPoint(2, 3));
        CompletableFuture<Void> fenced = syncWrite;
        await().atMost(Duration.ofSeconds(5)).until(fenced::isDone);
        assertThat(fenced).isCompletedExceptionally();
        assertThat(link.quackedSeq()).isZero();
        assertThat(link.outboxEntries()).as("nothing is dropped: the operator exports it").isEqualTo(6);
    }
}
