package dev.picsou.mirror.it;

import static dev.picsou.mirror.it.TestDeployment.A;
import static dev.picsou.mirror.it.TestDeployment.B;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.awaitility.Awaitility;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * The primary site loses every disk: its nodes come back empty, see that the mirror holds data and wait idle instead
 * of starting a fresh epoch 1 whose seqs the mirror already has; {@code picsou restore} makes them the primary again
 * from a mirror snapshot, and the mirror, which was ahead of the snapshot, rewinds to it and follows.
 */
class SnapshotAndRestoreTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path dir;

    static ConditionFactory await() {
        return Awaitility.await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500));
    }

    /** Waits until all six nodes report the same state_seq (writes have stopped and the mirror caught up). */
    static long awaitCommonSeq(TestDeployment d) {
        return await().until(() -> {
            Set<Long> seqs = new HashSet<>();
            for (NodeProcess n : d.nodes()) {
                seqs.add(n.status().path("state_seq").asLong(-1));
            }
            return seqs.size() == 1 ? seqs.iterator().next() : -1L;
        }, seq -> seq > 0);
    }

    @Test
    @Timeout(400)
    void wipedPrimarySiteWaitsForRestoreAndRestoreMakesItPrimaryAtTheSnapshotSeq() throws Exception {
        try (TestDeployment d = TestDeployment.create(dir).startAll()) {
            Path config = d.configFile();
            Map<String, String> kept = new LinkedHashMap<>();
            for (int i = 0; i < 5; i++) {
                assertThat(Cli.json(config, "kv", "put", "kept-" + i, "v" + i).exitCode()).isZero();
                kept.put("kept-" + i, "v" + i);
            }
            Cli.Result load = Cli.json(config, "kv", "load", "--count", "100", "--in-flight", "20");
            assertThat(load.exitCode()).as(load.toString()).isZero();
            long primarySeq = awaitCommonSeq(d);

            Cli.Result snapshot = Cli.json(config, "snapshot", "create", "--site", B, "--node", "b2");
            assertThat(snapshot.exitCode()).as(snapshot.toString()).isZero();
            Path snapshotDir = Path.of(snapshot.json().path("dir").asText());
            long snapshotSeq = snapshot.json().path("seq").asLong();
            assertThat(snapshotSeq).as(snapshot.toString()).isEqualTo(primarySeq);
            assertThat(snapshotDir).isDirectory();
            Cli.Result list = Cli.json(config, "snapshot", "list", "--site", B);
            assertThat(list.exitCode()).as(list.toString()).isZero();
            assertThat(list.json().path("snapshots").size()).as(list.toString()).isEqualTo(1);
            JsonNode listed = list.json().path("snapshots").get(0);
            assertThat(listed.path("node").asText()).isEqualTo("b2");
            assertThat(listed.path("dir").asText()).isEqualTo(snapshotDir.toString());
            assertThat(listed.path("seq").asLong()).isEqualTo(snapshotSeq);

            List<String> afterSnapshot = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                assertThat(Cli.json(config, "kv", "put", "after-snapshot-" + i, "x").exitCode()).isZero();
                afterSnapshot.add("after-snapshot-" + i);
            }
            assertThat(awaitCommonSeq(d)).isEqualTo(snapshotSeq + afterSnapshot.size());

            d.kill9(A);
            for (NodeProcess a : d.site(A)) {
                d.wipeData(a.id());
            }
            for (NodeProcess a : d.site(A)) {
                a.start();
            }
            for (NodeProcess a : d.site(A)) {
                a.awaitAnswering();
                JsonNode s = a.status();
                assertThat(s.path("running").asBoolean(true)).as("a wiped primary starts no epoch: " + s).isFalse();
                assertThat(s.path("awaiting").asText()).as(s.toString()).isEqualTo("restore");
                assertThat(s.path("awaiting_reason").asText()).as(s.toString()).contains(B);
                assertThat(a.logTail(20)).contains("IDLE");
            }
            Cli.Result idle = await().until(() -> Cli.run("status", "-c", config.toString()),
                    status -> status.exitCode() == 0);
            assertThat(idle.out()).as(idle.toString()).contains("AWAITING restore");
            Cli.Result putToIdle = Cli.json(config, "kv", "put", "to-the-idle-site", "x");
            assertThat(putToIdle.exitCode()).as(putToIdle.toString()).isEqualTo(1);
            assertThat(putToIdle.err()).as(putToIdle.toString()).contains("picsou restore --site " + A);

            Cli.Result restore = Cli.jsonOnceReachable(config, "restore", "--snapshot", snapshotDir.toString(),
                    "--site", A);

            assertThat(restore.exitCode()).as(restore.toString() + d.logTails(30)).isZero();
            JsonNode r = restore.json();
            long epoch = r.path("epoch").asLong();
            assertThat(epoch).as(restore.toString()).isEqualTo(2);
            assertThat(r.path("seq").asLong()).isEqualTo(snapshotSeq);
            JsonNode mirror = r.path("mirror");
            assertThat(mirror.path("fork_seq").asLong()).as(restore.toString()).isEqualTo(snapshotSeq);
            assertThat(mirror.path("lost_writes").asLong()).as(restore.toString()).isEqualTo(afterSnapshot.size());
            List<String> lostKeys = new ArrayList<>();
            for (String line : Files.readAllLines(Path.of(mirror.path("lost_writes_files").get(0).asText()),
                    StandardCharsets.UTF_8)) {
                lostKeys.add(JSON.readTree(line).path("key").asText());
            }
            assertThat(lostKeys).as("the mirror's entries after the snapshot are exported")
                    .containsExactlyElementsOf(afterSnapshot);

            await().untilAsserted(() -> {
                Cli.Result status = Cli.json(config, "status");
                assertThat(status.exitCode()).as(status.toString()).isZero();
                JsonNode sites = status.json().path("sites");
                assertThat(sites.get(0).path("role").asText()).isEqualTo("PRIMARY");
                assertThat(sites.get(1).path("role").asText()).isEqualTo("MIRROR");
                for (JsonNode site : sites) {
                    for (JsonNode n : site.path("nodes")) {
                        assertThat(n.path("epoch").asLong()).as(n.toString()).isEqualTo(epoch);
                        assertThat(n.path("running").asBoolean()).as(n.toString()).isTrue();
                        assertThat(n.has("awaiting")).as(n.toString()).isFalse();
                    }
                }
            });
            for (Map.Entry<String, String> e : kept.entrySet()) {
                for (String site : List.of(A, B)) {
                    Cli.Result get = Cli.json(config, "kv", "get", e.getKey(), "--site", site);
                    assertThat(get.exitCode()).as(get.toString()).isZero();
                    assertThat(get.json().path("value").asText()).isEqualTo(e.getValue());
                }
            }
            for (String key : afterSnapshot) {
                for (String site : List.of(A, B)) {
                    Cli.Result get = Cli.json(config, "kv", "get", key, "--site", site);
                    assertThat(get.json().path("found").asBoolean(true)).as("rewound to the snapshot: " + get)
                            .isFalse();
                }
            }
            Cli.Result put = Cli.json(config, "kv", "put", "after-restore", "fresh");
            assertThat(put.exitCode()).as(put.toString()).isZero();
            await().untilAsserted(() -> {
                Cli.Result get = Cli.json(config, "kv", "get", "after-restore", "--site", B);
                assertThat(get.json().path("value").asText()).as(get.toString()).isEqualTo("fresh");
            });
            Cli.Result verify = Cli.json(config, "verify");
            assertThat(verify.exitCode()).as(verify.toString()).isZero();
            assertThat(verify.json().path("seq").asLong()).isEqualTo(snapshotSeq + 1);
        }
    }
}
