package dev.picsou.mirror.server.ops;

import com.fasterxml.jackson.databind.JsonNode;
import dev.picsou.mirror.config.DeploymentConfig;
import dev.picsou.mirror.config.NodeConfig;
import dev.picsou.mirror.config.SiteConfig;
import dev.picsou.mirror.server.node.NodeClient;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Consumer;

/**
 * The disaster-recovery runbook against a running deployment (DESIGN.md §5), driving the nodes' admin endpoints:
 * planned switchover, unplanned failover, rejoin of a fenced site. Each method reports progress lines to
 * {@code progress} and returns a JSON-ready result; it throws {@link OperationException} with the reason when it
 * refuses or fails. The snapshot, restore and verify commands live in {@link DataOperations}.
 */
public final class SiteOperations {
    static final Duration ACTION_TIMEOUT = Duration.ofSeconds(60);
    static final Duration DRAIN_TIMEOUT = Duration.ofSeconds(120);
    static final Duration LEADER_TIMEOUT = Duration.ofSeconds(30);

    private final DeploymentConfig config;
    private final Consumer<String> progress;

    public SiteOperations(DeploymentConfig config, Consumer<String> progress) {
        this.config = config;
        this.progress = progress;
    }

    /**
     * Planned switchover to {@code toSiteId}: seal the primary, drain until the mirror's QUACK covers its last seq,
     * seal the mirror (at the same seq), promote it at epoch+1 and demote the old primary into its mirror. No entry
     * is lost; writes are refused from the seal until the new primary has a leader.
     */
    public Map<String, Object> switchover(String toSiteId) throws OperationException {
        long start = System.nanoTime();
        SiteConfig to = site(toSiteId);
        SiteConfig from = config.otherSite(to.id());
        DeploymentView view = DeploymentView.read(config);
        view.requireAllReachable(from.id(), "switchover");
        view.requireAllReachable(to.id(), "switchover");
        requireRole(view, from, "PRIMARY", "switchover --to " + to.id());
        requireRole(view, to, "MIRROR", "switchover --to " + to.id());
        long epoch = view.maxEpoch() + 1;
        progress.accept("sealing " + from.id() + " (writes are refused from now on)");
        long sealed = seal(from);
        progress.accept(from.id() + " sealed at seq " + sealed + "; draining to " + to.id());
        awaitDrained(from, sealed);
        long mirrorSealed = seal(to);
        if (mirrorSealed != sealed) {
            throw new OperationException("the mirror " + to.id() + " sealed at seq " + mirrorSealed + " but the primary "
                    + from.id() + " at " + sealed + "; nothing was promoted. Check 'picsou status'.",
                    OperationException.FAILED);
        }
        progress.accept("promoting " + to.id() + " to primary at epoch " + epoch);
        transitionAll(to, Map.of("kind", "PROMOTE", "new_epoch", epoch, "failover", false));
        progress.accept("demoting " + from.id() + " to mirror at epoch " + epoch);
        transitionAll(from, Map.of("kind", "DEMOTE", "new_epoch", epoch));
        String leader = awaitLeader(to);
        Map<String, Object> r = result("switchover", from, to, epoch);
        r.put("seq", sealed);
        r.put("leader", leader);
        r.put("elapsed_ms", elapsedMillis(start));
        return r;
    }

    /**
     * Unplanned failover to the mirror {@code toSiteId}: seal it at its watermark M, promote it at epoch+1 with the
     * fork point (epoch+1, M). The old primary, if it still answers, is sealed too (fenced); it rejoins later.
     */
    public Map<String, Object> failover(String toSiteId) throws OperationException {
        long start = System.nanoTime();
        SiteConfig to = site(toSiteId);
        SiteConfig from = config.otherSite(to.id());
        DeploymentView view = DeploymentView.read(config);
        if (view.reachable(to.id()).isEmpty()) {
            view.requireAllReachable(to.id(), "failover");
        }
        requireRole(view, to, "MIRROR", "failover --to " + to.id());
        long epoch = view.maxEpoch() + 1;
        progress.accept("sealing " + to.id() + " at its watermark");
        long fork = seal(to);
        progress.accept("promoting " + to.id() + " to primary at epoch " + epoch + ", fork point seq " + fork);
        List<String> skipped = transitionReachable(view, to, Map.of("kind", "PROMOTE", "new_epoch", epoch,
                "failover", true));
        String leader = awaitLeader(to);
        boolean oldFenced = false;
        if (!view.reachable(from.id()).isEmpty() && "PRIMARY".equals(view.role(from.id()).orElse(""))) {
            progress.accept(from.id() + " still answers: sealing it (fenced)");
            try {
                seal(from);
                oldFenced = true;
            } catch (OperationException e) {
                progress.accept("could not seal " + from.id() + " (" + e.getMessage() + "); its nodes seal themselves"
                        + " when they see " + to.id() + " at epoch " + epoch);
            }
        }
        Map<String, Object> r = result("failover", from, to, epoch);
        r.put("fork_seq", fork);
        r.put("leader", leader);
        r.put("old_primary_sealed", oldFenced);
        r.put("nodes_not_promoted", skipped);
        r.put("elapsed_ms", elapsedMillis(start));
        return r;
    }

    /**
     * The fenced site {@code siteId} returns: seal it, export its entries after the fork point to lost-writes files,
     * rewind it to the fork point with the new primary's values of the keys those entries touched (a full copy only
     * when a rewind is impossible), and start it as the new primary's mirror.
     */
    public Map<String, Object> rejoin(String siteId) throws OperationException {
        long start = System.nanoTime();
        SiteConfig site = site(siteId);
        SiteConfig primary = config.otherSite(site.id());
        DeploymentView view = DeploymentView.read(config);
        view.requireAllReachable(site.id(), "rejoin");
        long epoch = view.epoch(primary.id());
        if (!"PRIMARY".equals(view.role(primary.id()).orElse("")) || epoch <= view.epoch(site.id())) {
            throw new OperationException(primary.id() + " is not primary at an epoch newer than " + site.id()
                    + "'s (" + view.epoch(site.id()) + "): nothing to rejoin", OperationException.FAILED);
        }
        NodeConfig primaryNode = view.reachable(primary.id()).stream().findFirst().orElseThrow(() ->
                new OperationException("no node of the primary " + primary.id() + " answers",
                        OperationException.UNREACHABLE));
        long fork = call(primaryNode, "/status").path("base_seq").asLong();
        progress.accept("sealing " + site.id() + "; the fork point is (epoch " + epoch + ", seq " + fork + ")");
        long sealed = seal(site);
        List<String> files = new ArrayList<>();
        JsonNode lost = null;
        for (NodeConfig n : site.nodes()) {
            lost = post(n, "/admin/lost-writes?fork_seq=" + fork, null);
            files.add(lost.path("file").asText());
        }
        long lostCount = sealed > fork ? lost.path("count").asLong() : 0;
        progress.accept(lostCount + " entries after the fork point written to " + files.get(0));
        Map<String, Object> request = new LinkedHashMap<>();
        request.put("fork_seq", fork);
        request.put("keys_base64", lost.path("keys_base64"));
        JsonNode values = post(primaryNode, "/admin/base-values", request);
        long bytes = values.path("bytes").asLong();
        boolean full = false;
        Map<String, Object> transition = new LinkedHashMap<>();
        transition.put("kind", "REJOIN");
        transition.put("new_epoch", epoch);
        transition.put("fork_seq", fork);
        transition.put("fork_values", values.path("values"));
        try {
            progress.accept("rewinding " + site.id() + " to seq " + fork + " (" + values.path("values").size()
                    + " keys, " + bytes + " bytes from " + primary.id() + ")");
            transitionAll(site, transition);
        } catch (OperationException e) {
            if (!e.getMessage().contains("full copy")) {
                throw e;
            }
            progress.accept("a rewind is impossible (" + e.getMessage() + "): copying the full state");
            JsonNode all = post(primaryNode, "/admin/base-values", Map.of("fork_seq", fork, "all", true));
            bytes = all.path("bytes").asLong();
            full = true;
            transition.remove("fork_values");
            transition.put("full_copy", all.path("values"));
            transitionAll(site, transition);
        }
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("operation", "rejoin");
        r.put("site", site.id());
        r.put("primary", primary.id());
        r.put("epoch", epoch);
        r.put("fork_seq", fork);
        r.put("sealed_seq", sealed);
        r.put("lost_writes", lostCount);
        r.put("lost_writes_files", files);
        r.put("bytes_copied", bytes);
        r.put("full_copy", full);
        r.put("elapsed_ms", elapsedMillis(start));
        return r;
    }

    // ------------------------------------------------------------------------------------------ steps

    private static Map<String, Object> result(String operation, SiteConfig from, SiteConfig to, long epoch) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("operation", operation);
        r.put("from", from.id());
        r.put("to", to.id());
        r.put("epoch", epoch);
        return r;
    }

    long seal(SiteConfig site) throws OperationException {
        OperationException last = null;
        for (NodeConfig n : site.nodes()) {
            try {
                return post(n, "/admin/seal", null).path("sealed_seq").asLong();
            } catch (OperationException e) {
                last = e;
            }
        }
        throw new OperationException("could not seal " + site.id() + ": " + last.getMessage(), last.exitCode(), last);
    }

    private void awaitDrained(SiteConfig from, long sealed) throws OperationException {
        long deadline = System.nanoTime() + DRAIN_TIMEOUT.toNanos();
        long lastReported = -1;
        while (true) {
            long min = Long.MAX_VALUE;
            for (NodeConfig n : from.nodes()) {
                min = Math.min(min, call(n, "/status").path("quacked_seq").asLong());
            }
            if (min >= sealed) {
                return;
            }
            if (min != lastReported) {
                progress.accept("draining: QUACKed " + min + " of " + sealed);
                lastReported = min;
            }
            if (System.nanoTime() - deadline > 0) {
                throw new OperationException("the mirror did not QUACK seq " + sealed + " within " + DRAIN_TIMEOUT
                        + " (QUACKed " + min + "); " + from.id() + " stays sealed. Check the link with 'picsou status'"
                        + " and run the switchover again.", OperationException.FAILED);
            }
            pause(100);
        }
    }

    /** Waits until some node of {@code siteId} is its group's leader; returns its id. */
    public String awaitLeaderOf(String siteId) throws OperationException {
        return awaitLeader(site(siteId));
    }

    String awaitLeader(SiteConfig site) throws OperationException {
        long deadline = System.nanoTime() + LEADER_TIMEOUT.toNanos();
        while (System.nanoTime() - deadline < 0) {
            for (NodeConfig n : site.nodes()) {
                try {
                    JsonNode s = NodeClient.get(n, "/status", DeploymentView.STATUS_TIMEOUT);
                    if (s.path("is_leader").asBoolean(false)) {
                        return n.id();
                    }
                } catch (IOException e) {
                    // Not up yet, or down: ask the next one.
                }
            }
            pause(50);
        }
        throw new OperationException("site " + site.id() + " has no leader after " + LEADER_TIMEOUT,
                OperationException.FAILED);
    }

    void transitionAll(SiteConfig site, Map<String, Object> request) throws OperationException {
        transition(site.nodes(), request);
    }

    private List<String> transitionReachable(DeploymentView view, SiteConfig site, Map<String, Object> request)
            throws OperationException {
        List<NodeConfig> up = view.reachable(site.id());
        transition(up, request);
        return site.nodes().stream().filter(n -> !up.contains(n)).map(NodeConfig::id).toList();
    }

    private void transition(List<NodeConfig> nodes, Map<String, Object> request) throws OperationException {
        List<CompletableFuture<JsonNode>> futures = new ArrayList<>();
        for (NodeConfig n : nodes) {
            futures.add(CompletableFuture.supplyAsync(() -> {
                try {
                    return post(n, "/admin/transition", request);
                } catch (OperationException e) {
                    throw new CompletionException(e);
                }
            }));
        }
        List<String> failures = new ArrayList<>();
        int exit = OperationException.FAILED;
        for (CompletableFuture<JsonNode> f : futures) {
            try {
                f.join();
            } catch (CompletionException e) {
                OperationException oe = (OperationException) e.getCause();
                failures.add(oe.getMessage());
                exit = oe.exitCode();
            }
        }
        if (!failures.isEmpty()) {
            throw new OperationException(String.join("; ", failures), exit);
        }
    }

    JsonNode call(NodeConfig node, String path) throws OperationException {
        try {
            return NodeClient.get(node, path, ACTION_TIMEOUT);
        } catch (IOException e) {
            throw wrap(e);
        }
    }

    JsonNode post(NodeConfig node, String path, Object body) throws OperationException {
        try {
            return NodeClient.post(node, path, body, ACTION_TIMEOUT);
        } catch (IOException e) {
            throw wrap(e);
        }
    }

    static OperationException wrap(IOException e) {
        return new OperationException(e.getMessage(), e instanceof NodeClient.NodeUnreachableException
                ? OperationException.UNREACHABLE : OperationException.FAILED, e);
    }

    private void requireRole(DeploymentView view, SiteConfig site, String role, String operation)
            throws OperationException {
        String actual = view.role(site.id()).orElse("unknown");
        if (!actual.equals(role)) {
            throw new OperationException(operation + ": site " + site.id() + " is " + actual + " at epoch "
                    + view.epoch(site.id()) + ", expected " + role, OperationException.FAILED);
        }
    }

    SiteConfig site(String id) throws OperationException {
        return config.findSite(id).orElseThrow(() -> new OperationException("no site '" + id + "' in "
                + config.source() + "; sites: " + config.sites().stream().map(SiteConfig::id).toList(),
                OperationException.FAILED));
    }

    static long elapsedMillis(long startNanos) {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }

    static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
