package dev.picsou.mirror.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {
    private static final Path EXAMPLE = Path.of("..", "docs", "examples", "local-3x3.yaml");

    @Test
    void exampleFileLoadsIntoExactlyTheExpectedRecords() throws Exception {
        DeploymentConfig config = ConfigLoader.load(EXAMPLE);

        Path dir = EXAMPLE.toAbsolutePath().normalize().getParent();
        DeploymentConfig expected = new DeploymentConfig(EXAMPLE, "local-3x3", List.of(
                new SiteConfig("dc-east", SiteRole.PRIMARY, 1, 0, DurabilityConfig.DEFAULT,
                        List.of(node("east-1", 17001, dir), node("east-2", 17002, dir), node("east-3", 17003, dir))),
                new SiteConfig("dc-west", SiteRole.MIRROR, 1, 0, DurabilityConfig.DEFAULT,
                        List.of(node("west-1", 18001, dir), node("west-2", 18002, dir), node("west-3", 18003, dir)))),
                ChannelConfig.DEFAULT, RaftConfig.DEFAULT, TlsConfig.DISABLED, OutboxConfig.DEFAULT);
        assertThat(config).isEqualTo(expected);
    }

    private static NodeConfig node(String id, int raftPort, Path dir) {
        return new NodeConfig(id, new HostPort("127.0.0.1", raftPort), new HostPort("127.0.0.1", raftPort + 100),
                new HostPort("127.0.0.1", raftPort + 200), dir.resolve("data").resolve(id));
    }

    @Test
    void everyKeySetInTheFileReachesItsRecord() throws Exception {
        String yaml = TestFiles.replace(TestFiles.VALID, "    r: 0\n", """
                    r: 0
                    durability:
                      mode: sync
                      sync_timeout: 5s
                      on_timeout: keep-blocking
                """) + """
                channel:
                  protocol: ata
                  window_entries: 100
                  window_bytes: 1MiB
                  batch_bytes: 64KB
                  flush_interval: 3ms
                  phi_bits: 128
                  ack_interval: 7ms
                  reorder_grace: 50ms
                  retransmit_timeout_initial: 1s
                  retransmit_timeout_min: 300ms
                  retransmit_timeout_max: 1m
                  max_frame_bytes: 2097152
                raft:
                  election_timeout_min: 150ms
                  election_timeout_max: 300ms
                  segment_size: 4MiB
                  snapshot_threshold: 5000
                outbox:
                  disk_cap: 2GB
                  alarm_fraction: 0.5
                """;
        DeploymentConfig config = ConfigLoader.parse(yaml, TestFiles.SOURCE);

        assertThat(config.site("dc-east").durability()).isEqualTo(new DurabilityConfig(DurabilityMode.SYNC,
                Duration.ofSeconds(5), SyncTimeoutAction.KEEP_BLOCKING));
        assertThat(config.channel()).isEqualTo(new ChannelConfig("ata", 100, 1 << 20, 64_000, Duration.ofMillis(3),
                128, Duration.ofMillis(7), Duration.ofMillis(50), Duration.ofSeconds(1), Duration.ofMillis(300),
                Duration.ofMinutes(1), 2_097_152));
        assertThat(config.raft()).isEqualTo(new RaftConfig(Duration.ofMillis(150), Duration.ofMillis(300), 4 << 20,
                5000));
        assertThat(config.outbox()).isEqualTo(new OutboxConfig(2_000_000_000L, 0.5));
    }

    @Test
    void leftOutKeysTakeTheirDefaultsAndTheNameComesFromTheFileName() throws Exception {
        String yaml = TestFiles.VALID.replace("name: test\n", "").replace("    u: 1\n    r: 0\n", "");
        DeploymentConfig config = ConfigLoader.parse(yaml, Path.of("/srv/prod-eu.yaml"));

        assertThat(config.name()).isEqualTo("prod-eu");
        assertThat(config.sites()).allSatisfy(s -> {
            assertThat(s.u()).isEqualTo(1);
            assertThat(s.r()).isZero();
            assertThat(s.durability()).isEqualTo(DurabilityConfig.DEFAULT);
        });
        assertThat(config.channel()).isEqualTo(ChannelConfig.DEFAULT);
        assertThat(config.raft()).isEqualTo(RaftConfig.DEFAULT);
        assertThat(config.tls()).isEqualTo(TlsConfig.DISABLED);
        assertThat(config.outbox()).isEqualTo(OutboxConfig.DEFAULT);
        assertThat(config.source()).isEqualTo(Path.of("/srv/prod-eu.yaml"));
    }

    @Test
    void emptySectionsTakeTheirDefaults() throws Exception {
        DeploymentConfig config = ConfigLoader.parse(TestFiles.VALID + "channel:\nraft: ~\noutbox: {}\n",
                TestFiles.SOURCE);
        assertThat(config.channel()).isEqualTo(ChannelConfig.DEFAULT);
        assertThat(config.raft()).isEqualTo(RaftConfig.DEFAULT);
        assertThat(config.outbox()).isEqualTo(OutboxConfig.DEFAULT);
    }

    @Test
    void relativeDataDirectoriesResolveAgainstTheFilesDirectoryAndAbsoluteOnesStay() throws Exception {
        String yaml = TestFiles.replace(TestFiles.VALID, "data: data/west-3", "data: /var/lib/picsou/west-3");
        DeploymentConfig config = ConfigLoader.parse(yaml, TestFiles.SOURCE);
        assertThat(config.node("east-1").dataDir()).isEqualTo(Path.of("/etc/picsou/data/east-1"));
        assertThat(config.node("west-3").dataDir()).isEqualTo(Path.of("/var/lib/picsou/west-3"));
    }

    @Test
    void lookupsFindSitesAndNodesAndNameTheKnownIdsWhenAbsent() throws Exception {
        DeploymentConfig config = ConfigLoader.parse(TestFiles.VALID, TestFiles.SOURCE);

        assertThat(config.initialPrimary().id()).isEqualTo("dc-east");
        assertThat(config.otherSite("dc-east").id()).isEqualTo("dc-west");
        assertThat(config.otherSite("dc-west").id()).isEqualTo("dc-east");
        assertThat(config.siteOfNode("west-2").id()).isEqualTo("dc-west");
        assertThat(config.node("west-2").raft()).isEqualTo(new HostPort("127.0.0.1", 18002));
        assertThat(config.site("dc-west").indexOf("west-3")).isEqualTo(2);
        assertThat(config.site("dc-west").indexOf("east-1")).isEqualTo(-1);
        assertThat(config.findSite("dc-north")).isEmpty();
        assertThat(config.allNodes()).extracting(NodeConfig::id)
                .containsExactly("east-1", "east-2", "east-3", "west-1", "west-2", "west-3");
        assertThatThrownBy(() -> config.site("dc-north")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("dc-north").hasMessageContaining("known sites: dc-east, dc-west");
        assertThatThrownBy(() -> config.node("north-1")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("north-1").hasMessageContaining("east-1, east-2, east-3, west-1");
        assertThatThrownBy(() -> config.otherSite("dc-north")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void enabledTlsKeepsResolvedStorePathsAndHidesPasswords(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("deploy.yaml");
        KeyStores.writeEmpty(dir.resolve("certs/node.p12"), "s3cret");
        KeyStores.writeEmpty(dir.resolve("certs/trust.p12"), "trustme");
        Files.writeString(file, TestFiles.VALID + """
                tls:
                  enabled: true
                  key_store: certs/node.p12
                  key_store_password: s3cret
                  trust_store: certs/trust.p12
                  trust_store_password: trustme
                """);

        TlsConfig tls = ConfigLoader.load(file).tls();

        assertThat(tls).isEqualTo(new TlsConfig(true, dir.resolve("certs/node.p12"), "s3cret",
                dir.resolve("certs/trust.p12"), "trustme"));
        assertThat(tls.toString()).doesNotContain("s3cret").doesNotContain("trustme").contains("node.p12");
    }

    @Test
    void disabledTlsHasNoPathsEvenWhenTheFileNamesThem() throws Exception {
        DeploymentConfig config = ConfigLoader.parse(TestFiles.VALID + """
                tls:
                  enabled: false
                  key_store: certs/missing.p12
                """, TestFiles.SOURCE);
        assertThat(config.tls()).isEqualTo(TlsConfig.DISABLED);
    }
}
