package dev.picsou.mirror.server.site;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.picsou.mirror.bridge.transport.LoopbackPorts;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.statemachine.impl.BaseStateMachine;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(60)
class LocalSiteTest {

    @TempDir
    Path dir;

    @Test
    void picksDistinctLoopbackPortsAndNamesPeersAfterTheSite() {
        List<Integer> ports = LoopbackPorts.free(5);
        assertThat(new HashSet<>(ports)).hasSize(5);
        LocalSite site = new LocalSite(LocalSiteConfig.defaults("dc-east", dir), node -> new BaseStateMachine());
        assertThat(site.peers()).extracting(p -> p.getId().toString())
                .containsExactly("dc-east-n1", "dc-east-n2", "dc-east-n3");
        assertThat(site.peers()).extracting(RaftPeer::getAddress).allMatch(a -> a.startsWith("127.0.0.1:"))
                .doesNotHaveDuplicates();
        assertThat(site.group().getPeers()).hasSize(3);
        assertThat(new LocalSite(LocalSiteConfig.defaults("dc-east", dir.resolve("other")),
                node -> new BaseStateMachine()).group().getGroupId())
                .as("the group id is a function of the site id").isEqualTo(site.group().getGroupId());
        assertThat(site.nodeDirectory(1)).isEqualTo(dir.resolve("dc-east-n2"));
        assertThatThrownBy(() -> site.isRunning(3)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> site.stateMachine(0)).hasMessageContaining("is stopped");
        site.close();
    }

    @Test
    void startsCommitsRestartsNodesWithNewStateMachinesAndClosesInBoundedTime() throws Exception {
        List<NodeContext> contexts = new CopyOnWriteArrayList<>();
        LocalSite site = new LocalSite(LocalSiteConfig.defaults("site-life", dir), node -> {
            contexts.add(node);
            return new BaseStateMachine();
        });
        try {
            int leader = site.start();
            assertThat(leader).isBetween(0, 2);
            assertThat(site.leaderIndex()).isEqualTo(leader);
            assertThat(contexts).extracting(NodeContext::nodeIndex).containsExactlyInAnyOrder(0, 1, 2);
            for (NodeContext c : contexts) {
                assertThat(c.dataDirectory()).isDirectory().isEqualTo(site.dataDirectory(c.nodeIndex()));
                assertThat(c.siteId()).isEqualTo("site-life");
                assertThat(c.group()).isEqualTo(site.group());
            }
            RaftClientReply reply = site.client().io().send(Message.valueOf("hello"));
            assertThat(reply.isSuccess()).isTrue();

            Path marker = Files.writeString(site.dataDirectory(leader).resolve("marker"), "kept");
            BaseStateMachine before = site.stateMachine(leader, BaseStateMachine.class);
            site.stop(leader);
            assertThat(site.isRunning(leader)).isFalse();
            int next = site.awaitLeader(Duration.ofSeconds(20));
            assertThat(next).isNotEqualTo(leader);
            assertThat(site.client().io().send(Message.valueOf("after failover")).isSuccess()).isTrue();

            site.restart(leader);
            assertThat(site.stateMachine(leader)).isNotSameAs(before);
            assertThat(contexts).hasSize(4);
            assertThat(contexts.get(3).dataDirectory()).isEqualTo(site.dataDirectory(leader));
            assertThat(marker).hasContent("kept");
            try (Stream<Path> files = Files.list(site.ratisDirectory(leader))) {
                assertThat(files.count()).as("the Raft storage survived the restart").isPositive();
            }
        } finally {
            long t0 = System.nanoTime();
            site.close();
            Duration took = Duration.ofNanos(System.nanoTime() - t0);
            assertThat(took).isLessThan(site.config().closeTimeout().plusSeconds(2));
        }
        site.close();
        assertThatThrownBy(site::start).hasMessageContaining("is closed");
    }

    @Test
    void validatesItsConfiguration() {
        LocalSiteConfig ok = LocalSiteConfig.defaults("a", dir);
        assertThatThrownBy(() -> LocalSiteConfig.defaults("bad id", dir)).hasMessageContaining("siteId");
        assertThatThrownBy(() -> ok.withNodeCount(0)).hasMessageContaining("nodeCount");
        assertThatThrownBy(() -> ok.withElectionTimeouts(Duration.ofSeconds(2), Duration.ofSeconds(1)))
                .hasMessageContaining("must exceed");
        assertThatThrownBy(() -> ok.withStartTimeout(Duration.ZERO)).hasMessageContaining("startTimeout");
        assertThatThrownBy(() -> SnapshotPolicy.ratisDefaults().withPurgeGap(0)).hasMessageContaining("purgeGap");
        assertThatThrownBy(() -> SnapshotPolicy.ratisDefaults().withRetainedSnapshotFiles(0))
                .hasMessageContaining("retainedSnapshotFiles");
        assertThat(ok.forSnapshotInstallTests().snapshot().purgeUpToSnapshotIndex()).isTrue();
    }
}
