package dev.picsou.mirror.it;

import static dev.picsou.mirror.it.TestDeployment.A;
import static dev.picsou.mirror.it.TestDeployment.B;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * No store of either site writes a WAL: the primary's KV store and hook store, and the mirror's store, are each the
 * apply of their site's Raft log, which is the durable record. Every node of a site killed with SIGKILL at once loses
 * whatever its stores had not flushed, and must come back by applying its Raft log again, to the same entries and
 * digests as the other site, and go on mirroring.
 */
class SiteCrashRecoveryTest {

    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path dir;

    @Test
    @Timeout(300)
    void aMirrorSiteKilledWithSigkillAppliesItsRaftLogAgainAndMirrorsEveryEntry() throws Exception {
        killAndRecover(B, "mirror");
    }

    @Test
    @Timeout(300)
    void aPrimarySiteKilledWithSigkillAppliesItsRaftLogAgainAndMirrorsEveryEntry() throws Exception {
        killAndRecover(A, "kv");
    }

    private void killAndRecover(String site, String storeDirName) throws Exception {
        try (TestDeployment d = TestDeployment.create(dir).startAll()) {
            Path config = d.configFile();
            Cli.Result load = Cli.json(config, "kv", "load", "--count", "300", "--in-flight", "20");
            assertThat(load.exitCode()).as(load.toString()).isZero();
            long seq = SnapshotAndRestoreTest.awaitCommonSeq(d);
            assertThat(seq).isGreaterThanOrEqualTo(300);
            for (NodeProcess n : d.site(site)) {
                assertThat(walBytes(d.config().node(n.id()).dataDir(), storeDirName))
                        .as("%s: its %s store writes no WAL records", n.id(), storeDirName).isLessThan(4096);
            }

            d.kill9(site);
            for (NodeProcess n : d.site(site)) {
                n.start();
            }
            for (NodeProcess n : d.site(site)) {
                n.awaitUp();
            }

            assertThat(SnapshotAndRestoreTest.awaitCommonSeq(d)).as(d.logTails(30)).isEqualTo(seq);
            Cli.Result verify = Cli.json(config, "verify");
            assertThat(verify.exitCode()).as(verify.toString()).isZero();
            assertThat(verify.json().path("ok").asBoolean()).as(verify.toString()).isTrue();
            assertThat(verify.json().path("nodes").size()).as(verify.toString()).isEqualTo(6);

            Cli.Result put = Cli.json(config, "kv", "put", "after-the-crash", "still-mirrored");
            assertThat(put.exitCode()).as(put.toString()).isZero();
            SnapshotAndRestoreTest.await().untilAsserted(() -> {
                Cli.Result get = Cli.json(config, "kv", "get", "after-the-crash", "--site", B);
                assertThat(get.exitCode()).as(get.toString()).isZero();
                assertThat(get.json().path("value").asText()).isEqualTo("still-mirrored");
            });
            assertThat(d.node("a1").status().path("state_seq").asLong()).isEqualTo(seq + 1);
        }
    }

    /** Bytes in the RocksDB WAL files ({@code NNNNNN.log}) of every store named {@code storeDirName} in dataDir. */
    private static long walBytes(Path dataDir, String storeDirName) throws IOException {
        try (Stream<Path> walk = Files.walk(dataDir)) {
            return walk.filter(p -> p.getParent() != null
                            && p.getParent().getFileName().toString().equals(storeDirName))
                    .filter(p -> p.getFileName().toString().matches("\\d+\\.log"))
                    .mapToLong(p -> {
                        try {
                            return Files.size(p);
                        } catch (IOException e) {
                            throw new UncheckedIOException(e);
                        }
                    })
                    .sum();
        }
    }
}
