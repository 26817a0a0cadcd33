package dev.picsou.mirror.it;

import static dev.picsou.mirror.it.TestDeployment.A;
import static dev.picsou.mirror.it.TestDeployment.B;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.picsou.mirror.config.DurabilityMode;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Predicate;

import org.awaitility.Awaitility;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * The operator commands against one 3+3 deployment of real node processes ({@value TestDeployment#A} primary in sync
 * mode, {@value TestDeployment#B} mirror): status, kv, switchover there and back, and what the commands do when a node
 * they need is down or there is nothing to do. Every test leaves the deployment as it found it: all six nodes up,
 * {@value TestDeployment#A} primary.
 */
@Timeout(300)
class OperatorCommandsTest {
    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    static Path dir;
    static TestDeployment deployment;
    static Path config;

    @BeforeAll
    static void startDeployment() throws Exception {
        deployment = TestDeployment.create(dir,
                TestDeployment.Options.defaults().withDurability(DurabilityMode.SYNC, DurabilityMode.ASYNC)).startAll();
        config = deployment.configFile();
        awaitCli().untilAsserted(() -> assertThat(Cli.json(config, "status").exitCode()).isZero());
    }

    @AfterAll
    static void stopDeployment() {
        if (deployment != null) {
            deployment.close();
        }
    }

    static ConditionFactory awaitCli() {
        return Awaitility.await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500));
    }

    @Test
    void statusShowsBothSitesTheirRolesEpochsAndEveryNode() {
        Cli.Result r = awaitStatus(status -> status.exitCode() == 0);

        JsonNode sites = r.json().path("sites");
        assertThat(sites.size()).as(r.toString()).isEqualTo(2);
        JsonNode a = sites.get(0);
        JsonNode b = sites.get(1);
        assertThat(a.path("id").asText()).isEqualTo(A);
        assertThat(a.path("role").asText()).as(r.toString()).isEqualTo("PRIMARY");
        assertThat(b.path("id").asText()).isEqualTo(B);
        assertThat(b.path("role").asText()).as(r.toString()).isEqualTo("MIRROR");
        assertThat(a.path("epoch").asLong()).as(r.toString()).isPositive().isEqualTo(b.path("epoch").asLong());
        for (JsonNode site : sites) {
            assertThat(site.path("nodes").size()).isEqualTo(3);
            for (JsonNode n : site.path("nodes")) {
                assertThat(n.path("running").asBoolean()).as(n.toString()).isTrue();
                assertThat(n.path("role").asText()).isEqualTo(site.path("role").asText());
                assertThat(n.path("epoch").asLong()).isEqualTo(site.path("epoch").asLong());
                assertThat(n.path("link").path("state").asText()).as(n.toString()).isNotEmpty();
            }
        }
        assertThat(a.path("nodes").get(0).path("durability").asText()).isEqualTo("sync");
        assertThat(b.path("nodes").get(0).path("durability").asText()).isEqualTo("async");
        Cli.Result human = Cli.run("status", "-c", config.toString());
        assertThat(human.exitCode()).as(human.toString()).isZero();
        assertThat(human.out()).contains("a1", "a2", "a3", "b1", "b2", "b3", "PRIMARY", "MIRROR");
    }

    @Test
    void putGetAndDeleteReachTheMirror() {
        Cli.Result put = Cli.json(config, "kv", "put", "colour", "teal");
        assertThat(put.exitCode()).as(put.toString()).isZero();

        awaitCli().untilAsserted(() -> {
            Cli.Result get = Cli.json(config, "kv", "get", "colour");
            assertThat(get.exitCode()).as(get.toString()).isZero();
            assertThat(get.json().path("value").asText()).isEqualTo("teal");
            assertThat(get.json().path("node").asText()).startsWith("a");
        });
        awaitCli().untilAsserted(() -> {
            Cli.Result onMirror = Cli.json(config, "kv", "get", "colour", "--site", B);
            assertThat(onMirror.exitCode()).as(onMirror.toString()).isZero();
            assertThat(onMirror.json().path("value").asText()).isEqualTo("teal");
            assertThat(onMirror.json().path("node").asText()).startsWith("b");
        });

        Cli.Result delete = Cli.json(config, "kv", "delete", "colour");
        assertThat(delete.exitCode()).as(delete.toString()).isZero();

        awaitCli().untilAsserted(() -> {
            Cli.Result gone = Cli.json(config, "kv", "get", "colour");
            assertThat(gone.exitCode()).as("a key that is not found exits 1: " + gone).isEqualTo(1);
            assertThat(gone.json().path("found").asBoolean(true)).isFalse();
        });
        awaitCli().untilAsserted(() -> {
            Cli.Result onMirror = Cli.json(config, "kv", "get", "colour", "--site", B);
            assertThat(onMirror.json().path("found").asBoolean(true)).as(onMirror.toString()).isFalse();
        });
    }

    @Test
    void loadIsAcknowledgedInFullAndAdvancesThePrimarysSeq() throws Exception {
        long before = deployment.node("a1").status().path("state_seq").asLong();

        Cli.Result load = Cli.json(config, "kv", "load", "--count", "300", "--in-flight", "50", "--value-bytes", "32");

        assertThat(load.exitCode()).as(load.toString()).isZero();
        assertThat(load.json().path("acked").asLong()).as(load.toString()).isEqualTo(300);
        assertThat(load.json().path("failed").asLong()).as(load.toString()).isZero();
        awaitCli().untilAsserted(() -> assertThat(deployment.node("b3").status().path("state_seq").asLong())
                .as("the mirror applied the load").isGreaterThanOrEqualTo(before + 300));
    }

    @Test
    void switchoverThereAndBackLosesNoEntryAndMovesTheEpochForward() throws Exception {
        Map<String, String> keys = new LinkedHashMap<>();
        for (int i = 0; i < 5; i++) {
            String key = "before-switchover-" + i;
            Cli.Result put = Cli.json(config, "kv", "put", key, "v" + i);
            assertThat(put.exitCode()).as(put.toString()).isZero();
            keys.put(key, "v" + i);
        }
        Cli.Result load = Cli.json(config, "kv", "load", "--count", "200", "--in-flight", "50");
        assertThat(load.exitCode()).as(load.toString()).isZero();
        long epoch0 = deployment.node("a1").status().path("epoch").asLong();
        long seq0 = deployment.node("a1").status().path("state_seq").asLong();

        Cli.Result there = Cli.jsonOnceReachable(config, "switchover", "--to", B);

        assertThat(there.exitCode()).as(there.toString()).isZero();
        assertThat(there.json().path("epoch").asLong()).isEqualTo(epoch0 + 1);
        assertThat(there.json().path("seq").asLong()).as("sealed after every acknowledged write")
                .isGreaterThanOrEqualTo(seq0);
        assertRoles(B, A, epoch0 + 1);
        assertEveryKeyOnThePrimary(keys, B);
        assertVerifyOk();
        keys.put(putAndAwaitOnMirror("after-first-switchover", A), "value-of-after-first-switchover");

        Cli.Result back = Cli.jsonOnceReachable(config, "switchover", "--to", A);

        assertThat(back.exitCode()).as(back.toString()).isZero();
        assertThat(back.json().path("epoch").asLong()).isEqualTo(epoch0 + 2);
        assertRoles(A, B, epoch0 + 2);
        assertEveryKeyOnThePrimary(keys, A);
        assertVerifyOk();
        putAndAwaitOnMirror("after-switchover-back", B);
    }

    @Test
    void commandsThatNeedAKilledNodeExitThreeNamingIt() throws Exception {
        NodeProcess b2 = deployment.node("b2");
        b2.kill9();
        try {
            Cli.Result status = awaitStatus(r -> r.exitCode() == 3 && reachableNodes(r) == 5);
            JsonNode mirrorNodes = status.json().path("sites").get(1).path("nodes");
            assertThat(mirrorNodes.get(1).path("node").asText()).isEqualTo("b2");
            assertThat(mirrorNodes.get(1).path("reachable").asBoolean(true)).isFalse();
            assertThat(mirrorNodes.get(1).path("error").asText()).contains("b2");
            assertThat(mirrorNodes.get(0).path("running").asBoolean()).isTrue();

            Cli.Result get = Cli.json(config, "kv", "get", "anything", "--node", "b2");
            assertThat(get.exitCode()).as(get.toString()).isEqualTo(3);
            assertThat(get.err()).contains("b2");

            long epoch = deployment.node("a1").status().path("epoch").asLong();
            Cli.Result switchover = Cli.json(config, "switchover", "--to", B);
            assertThat(switchover.exitCode()).as(switchover.toString()).isEqualTo(3);
            assertThat(switchover.err()).contains("b2");
            assertRoles(A, B, epoch, false);
            Cli.Result put = Cli.json(config, "kv", "put", "after-refused-switchover", "still-primary");
            assertThat(put.exitCode()).as("the refused switchover sealed nothing: " + put).isZero();
        } finally {
            b2.start().awaitUp();
        }
    }

    @Test
    void commandsWithNothingToDoExitOneSayingWhy() throws Exception {
        long epoch = deployment.node("a1").status().path("epoch").asLong();

        Cli.Result rejoinMirror = Cli.json(config, "rejoin", "--site", B);
        Cli.Result rejoinPrimary = Cli.json(config, "rejoin", "--site", A);
        Cli.Result failoverToPrimary = Cli.json(config, "failover", "--to", A);
        Cli.Result snapshotOfPrimary = Cli.json(config, "snapshot", "create", "--site", A);

        assertThat(rejoinMirror.exitCode()).as(rejoinMirror.toString()).isEqualTo(1);
        assertThat(rejoinMirror.err()).as(rejoinMirror.toString()).contains("nothing to rejoin");
        assertThat(rejoinPrimary.exitCode()).as(rejoinPrimary.toString()).isEqualTo(1);
        assertThat(rejoinPrimary.err()).as(rejoinPrimary.toString()).contains("nothing to rejoin");
        assertThat(failoverToPrimary.exitCode()).as(failoverToPrimary.toString()).isEqualTo(1);
        assertThat(failoverToPrimary.err()).contains(A).contains("PRIMARY");
        assertThat(snapshotOfPrimary.exitCode()).as(snapshotOfPrimary.toString()).isEqualTo(1);
        assertThat(snapshotOfPrimary.err()).contains("mirror");
        assertRoles(A, B, epoch);
        putAndAwaitOnMirror("after-refusals", B);
    }

    // ------------------------------------------------------------------------------------------ helpers

    /**
     * The first {@code status --json} that satisfies {@code expected}. A node that answers slower than the status
     * timeout (2 s) is reported unreachable, and this shared 2-core host stalls every JVM for seconds at times (the
     * nodes' JvmPauseMonitor logs pauses of up to 4 s), so a read is retried until it shows what the test set up.
     */
    private static Cli.Result awaitStatus(Predicate<Cli.Result> expected) {
        return awaitCli().until(() -> Cli.json(config, "status"), expected);
    }

    private static int reachableNodes(Cli.Result status) {
        int reachable = 0;
        for (JsonNode site : status.json().path("sites")) {
            for (JsonNode node : site.path("nodes")) {
                reachable += node.path("reachable").asBoolean(true) ? 1 : 0;
            }
        }
        return reachable;
    }

    private static void assertRoles(String primary, String mirror, long epoch) {
        assertRoles(primary, mirror, epoch, true);
    }

    /** Every node runs {@code epoch} in its site's role; with {@code allUp} false, nodes that are down are skipped. */
    private static void assertRoles(String primary, String mirror, long epoch, boolean allUp) {
        awaitCli().untilAsserted(() -> {
            Cli.Result status = Cli.json(config, "status");
            assertThat(status.exitCode()).as(status.toString()).isEqualTo(allUp ? 0 : 3);
            for (JsonNode site : status.json().path("sites")) {
                String expected = site.path("id").asText().equals(primary) ? "PRIMARY" : "MIRROR";
                assertThat(site.path("role").asText()).as(status.toString()).isEqualTo(expected);
                for (JsonNode n : site.path("nodes")) {
                    if (!allUp && !n.path("reachable").asBoolean(true)) {
                        continue;
                    }
                    assertThat(n.path("epoch").asLong()).as(n.toString()).isEqualTo(epoch);
                    assertThat(n.path("role").asText()).as(n.toString()).isEqualTo(expected);
                    assertThat(n.path("running").asBoolean()).as(n.toString()).isTrue();
                }
            }
            assertThat(mirror).isNotEqualTo(primary);
        });
    }

    private static void assertEveryKeyOnThePrimary(Map<String, String> keys, String primary) {
        for (Map.Entry<String, String> e : keys.entrySet()) {
            Cli.Result get = Cli.json(config, "kv", "get", e.getKey());
            assertThat(get.exitCode()).as(get.toString()).isZero();
            assertThat(get.json().path("value").asText()).as(get.toString()).isEqualTo(e.getValue());
            assertThat(get.json().path("node").asText()).startsWith(primary.substring(primary.length() - 1));
        }
    }

    /** A put to the current primary succeeds and reaches {@code mirror}; returns the key. */
    private static String putAndAwaitOnMirror(String key, String mirror) {
        Cli.Result put = Cli.json(config, "kv", "put", key, "value-of-" + key);
        assertThat(put.exitCode()).as(put.toString()).isZero();
        awaitCli().untilAsserted(() -> {
            Cli.Result get = Cli.json(config, "kv", "get", key, "--site", mirror);
            assertThat(get.exitCode()).as(get.toString()).isZero();
            assertThat(get.json().path("value").asText()).isEqualTo("value-of-" + key);
        });
        return key;
    }

    private static void assertVerifyOk() {
        Cli.Result verify = Cli.json(config, "verify");
        assertThat(verify.exitCode()).as(verify.toString()).isZero();
        assertThat(verify.json().path("ok").asBoolean()).isTrue();
        assertThat(verify.json().path("nodes").size()).as(verify.toString()).isEqualTo(6);
    }
}
