package dev.picsou.mirror.server.drill;

import com.fasterxml.jackson.databind.JsonNode;
import dev.picsou.mirror.config.DeploymentConfig;
import dev.picsou.mirror.config.NodeConfig;
import dev.picsou.mirror.config.SiteConfig;
import dev.picsou.mirror.server.app.KvClient;
import dev.picsou.mirror.server.node.NodeClient;
import dev.picsou.mirror.server.ops.DataOperations;
import dev.picsou.mirror.server.ops.KvAccess;
import dev.picsou.mirror.server.ops.OperationException;
import dev.picsou.mirror.server.ops.SiteOperations;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.ratis.client.RaftClient;

/**
 * {@code picsou drill}: a disaster-recovery rehearsal with separate node processes on loopback. Site {@code dc-a}
 * is sync (degrading only after a failover), {@code dc-b} async:
 * <ol>
 *   <li>deploy 3+3, load dc-a, switch over to dc-b and back (planned: nothing may be lost);</li>
 *   <li>sync round: load dc-a, kill -9 all of dc-a under load, fail over to dc-b; RPO = writes dc-a acknowledged
 *       that dc-b lacks (must be 0), RTO = failover command to first successful write on dc-b; restart dc-a,
 *       rejoin it (lost-writes file, rewind), fail back to dc-a;</li>
 *   <li>async round: switch over to dc-b, load it, kill -9 all of dc-b, fail over to dc-a (RPO, RTO), restart dc-b,
 *       rejoin it, fail back to dc-b;</li>
 *   <li>verify: every node's digest equal at a common seq; a mirror snapshot gives the size of a full copy.</li>
 * </ol>
 */
public final class DrillRunner {
    static final String A = "dc-a";
    static final String B = "dc-b";
    /** A round's load goes on until at least this many writes were acknowledged ... */
    static final int MIN_ACKED = 50;
    /** ... or this long. */
    static final Duration MAX_LOAD = Duration.ofSeconds(60);

    /** How the drill runs. */
    public record Settings(Path dir, int nodesPerSite, Duration loadDuration, int inFlight, int valueBytes) {
    }

    private final Settings settings;
    private final PrintStream progress;
    private LocalDeployment deployment;
    private DeploymentConfig config;
    private SiteOperations sites;
    private long started;

    public DrillRunner(Settings settings, PrintStream progress) {
        this.settings = settings;
        this.progress = progress;
    }

    /** Runs the whole drill; the nodes are stopped when it returns. */
    public Map<String, Object> run() throws Exception {
        started = System.nanoTime();
        String extra = "raft:\n  election_timeout_min: 600ms\n  election_timeout_max: 1200ms\n";
        deployment = LocalDeployment.create(settings.dir(), List.of(
                new LocalDeployment.SiteSpec(A, "primary", settings.nodesPerSite(), "sync", "degrade"),
                new LocalDeployment.SiteSpec(B, "mirror", settings.nodesPerSite(), "async", "degrade")), extra);
        config = deployment.config();
        sites = new SiteOperations(config, line -> say("  " + line));
        try {
            Map<String, Object> report = new LinkedHashMap<>();
            report.put("config", deployment.configFile().toString());
            say("deploying " + settings.nodesPerSite() + "+" + settings.nodesPerSite() + " node processes ("
                    + A + " sync primary, " + B + " async mirror) in " + settings.dir());
            deployment.startSite(B);
            deployment.startSite(A);
            sites.awaitLeaderOf(A);
            report.put("switchover_lost_entries", plannedSwitchovers());
            Round sync = disasterRound(A, B, "sync");
            Round async;
            say("switching over to " + B + " for the async round");
            sites.switchover(B);
            async = disasterRound(B, A, "async");
            say("verifying every node's state");
            Map<String, Object> verify = new DataOperations(config, line -> say("  " + line)).verify();
            boolean verifyOk = Boolean.TRUE.equals(verify.get("ok"));
            Map<String, Object> snapshot = new DataOperations(config, line -> say("  " + line))
                    .createSnapshot(A, null);
            long fullBytes = ((JsonNode) snapshot.get("bytes")).asLong();
            report.put("rpo_entries_sync", sync.rpo);
            report.put("rpo_entries_async", async.rpo);
            report.put("rto_ms", Math.max(sync.rtoMillis, async.rtoMillis));
            report.put("rto_ms_sync_round", sync.rtoMillis);
            report.put("rto_ms_async_round", async.rtoMillis);
            report.put("failback_bytes_copied", sync.rejoinBytes);
            report.put("failback_bytes_copied_async_round", async.rejoinBytes);
            report.put("full_snapshot_bytes", fullBytes);
            report.put("verify_ok", verifyOk);
            report.put("verify_seq", verify.get("seq"));
            report.put("sync_round", sync.toJson());
            report.put("async_round", async.toJson());
            report.put("elapsed_s", (System.nanoTime() - started) / 1_000_000_000L);
            boolean ok = sync.acked > 0 && sync.rpo == 0 && verifyOk && (long) report.get("switchover_lost_entries") == 0
                    && Math.max(sync.rtoMillis, async.rtoMillis) < 5_000 && sync.rejoinBytes < fullBytes;
            report.put("ok", ok);
            return report;
        } finally {
            deployment.close();
        }
    }

    /** Load, switch over to the mirror and back; returns how many acknowledged writes the end state lacks. */
    private long plannedSwitchovers() throws Exception {
        say("loading " + A + " for " + settings.loadDuration().toSeconds() + " s");
        DrillLoad load;
        try (RaftClient client = KvAccess.primaryClient(config)) {
            load = new DrillLoad("warmup", client, settings.inFlight(), settings.valueBytes()).start();
            runFor(load, settings.loadDuration());
            load.stop();
            awaitQuiet(load);
        }
        say("planned switchover to " + B);
        sites.switchover(B);
        say("planned switchover back to " + A);
        sites.switchover(A);
        long missing = missingOn(A, load);
        say(load.ackedCount() + " acknowledged writes, " + missing + " missing after two switchovers");
        return missing;
    }

    private static final class Round {
        String mode;
        long acked;
        long rpo;
        long rtoMillis;
        long lostWrites;
        long rejoinBytes;
        boolean fullCopy;
        long forkSeq;

        Map<String, Object> toJson() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("durability", mode);
            m.put("acked_writes", acked);
            m.put("rpo_entries", rpo);
            m.put("rto_ms", rtoMillis);
            m.put("fork_seq", forkSeq);
            m.put("lost_writes_exported", lostWrites);
            m.put("rejoin_bytes_copied", rejoinBytes);
            m.put("rejoin_full_copy", fullCopy);
            return m;
        }
    }

    /**
     * Kill -9 the whole {@code primary} site under load, fail over to {@code mirror}, measure RPO and RTO, bring the
     * old primary back, rejoin it, and fail back to it.
     */
    private Round disasterRound(String primary, String mirror, String mode) throws Exception {
        Round r = new Round();
        r.mode = mode;
        say(mode + " round: loading " + primary + " (" + mode + ") for " + settings.loadDuration().toSeconds() + " s");
        RaftClient client = KvAccess.primaryClient(config);
        DrillLoad load = new DrillLoad(mode + "-round", client, settings.inFlight(), settings.valueBytes()).start();
        runFor(load, settings.loadDuration());
        say("kill -9 of every node of " + primary + " under load");
        deployment.killSite(primary);
        load.stop();
        client.close();
        r.acked = load.ackedCount();
        long t0 = System.nanoTime();
        Map<String, Object> failover = sites.failover(mirror);
        r.forkSeq = ((Number) failover.get("fork_seq")).longValue();
        firstWrite(mirror);
        r.rtoMillis = (System.nanoTime() - t0) / 1_000_000;
        r.rpo = missingOn(mirror, load);
        say(mode + " round: " + r.acked + " acknowledged writes, " + r.rpo + " missing on " + mirror + " (RPO); RTO "
                + r.rtoMillis + " ms");
        say("restarting " + primary + " (it finds itself fenced)");
        deployment.startSite(primary);
        Map<String, Object> rejoin = sites.rejoin(primary);
        r.lostWrites = ((Number) rejoin.get("lost_writes")).longValue();
        r.rejoinBytes = ((Number) rejoin.get("bytes_copied")).longValue();
        r.fullCopy = Boolean.TRUE.equals(rejoin.get("full_copy"));
        say(primary + " rejoined: " + r.lostWrites + " lost writes exported, " + r.rejoinBytes + " bytes copied"
                + (r.fullCopy ? " (full copy)" : " (rewind)"));
        say("failing back to " + primary);
        sites.switchover(primary);
        return r;
    }

    /** Retries a write on the current primary until one succeeds. */
    private void firstWrite(String siteId) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (true) {
            try (RaftClient client = KvAccess.primaryClient(config)) {
                KvClient.wrap(client).put("drill-rto-probe".getBytes(StandardCharsets.UTF_8),
                        siteId.getBytes(StandardCharsets.UTF_8));
                return;
            } catch (IOException | OperationException e) {
                if (System.nanoTime() - deadline > 0) {
                    throw new IllegalStateException("no write succeeded on " + siteId + " within 60 s", e);
                }
                Thread.sleep(20);
            }
        }
    }

    /** Acknowledged writes of {@code load} whose value {@code siteId}'s state lacks (or holds with other bytes). */
    private long missingOn(String siteId, DrillLoad load) throws IOException {
        SiteConfig site = config.site(siteId);
        NodeConfig node = site.nodes().get(0);
        List<Long> acked = load.ackedIndices();
        long missing = 0;
        for (int from = 0; from < acked.size(); from += 2000) {
            List<Long> part = acked.subList(from, Math.min(acked.size(), from + 2000));
            List<String> keys = new ArrayList<>(part.size());
            for (long i : part) {
                keys.add(new String(DrillLoad.key(load.prefix(), i), StandardCharsets.UTF_8));
            }
            JsonNode values = values(node, keys);
            for (int j = 0; j < part.size(); j++) {
                JsonNode v = values.get(j);
                if (v == null || v.isNull() || !load.isValueOf(part.get(j), Base64.getDecoder().decode(v.asText()))) {
                    missing++;
                }
            }
        }
        return missing;
    }

    /**
     * {@code node}'s values of {@code keys}. Any node of the new primary will do: every one of them was seeded from
     * the same sealed state, which holds every write that survived, and writes since are the drill's own probes.
     */
    private static JsonNode values(NodeConfig node, List<String> keys) throws IOException {
        return NodeClient.post(node, "/kv/get-many", Map.of("keys", keys), Duration.ofSeconds(60))
                .path("values_base64");
    }

    /**
     * Runs the load for {@code d}, and on until at least {@link #MIN_ACKED} writes were acknowledged (a sync site
     * acknowledges nothing until its new link delivers the first QUACK), at most {@link #MAX_LOAD}.
     */
    private void runFor(DrillLoad load, Duration d) throws InterruptedException {
        long start = System.nanoTime();
        long end = start + d.toNanos();
        long limit = start + MAX_LOAD.toNanos();
        while (System.nanoTime() < end || (load.ackedCount() < MIN_ACKED && System.nanoTime() < limit)) {
            Thread.sleep(1000);
            say("  " + load.ackedCount() + " writes acknowledged");
        }
    }

    private void awaitQuiet(DrillLoad load) throws InterruptedException {
        long last = -1;
        for (int i = 0; i < 100 && load.ackedCount() != last; i++) {
            last = load.ackedCount();
            Thread.sleep(200);
        }
    }

    private void say(String line) {
        if (progress != null) {
            progress.printf("[%5.1fs] %s%n", (System.nanoTime() - started) / 1e9, line);
            progress.flush();
        }
    }
}
