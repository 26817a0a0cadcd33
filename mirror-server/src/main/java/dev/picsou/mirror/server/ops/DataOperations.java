package dev.picsou.mirror.server.ops;

import com.fasterxml.jackson.databind.JsonNode;
import dev.picsou.mirror.config.DeploymentConfig;
import dev.picsou.mirror.config.NodeConfig;
import dev.picsou.mirror.config.SiteConfig;
import dev.picsou.mirror.server.node.NodeClient;
import dev.picsou.mirror.storage.StorageException;
import dev.picsou.mirror.storage.snapshot.SnapshotManifest;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;

/**
 * The data side of the runbook: mirror snapshots, restoring a primary site from one, and verifying that primary and
 * mirror hold the same state at a common seq.
 */
public final class DataOperations {
    private static final Duration VERIFY_TIMEOUT = Duration.ofSeconds(60);

    private final DeploymentConfig config;
    private final Consumer<String> progress;
    private final SiteOperations sites;

    public DataOperations(DeploymentConfig config, Consumer<String> progress) {
        this.config = config;
        this.progress = progress;
        this.sites = new SiteOperations(config, progress);
    }

    /** A snapshot (RocksDB checkpoint + manifest) on one node of the mirror site {@code siteId}. */
    public Map<String, Object> createSnapshot(String siteId, String nodeId) throws OperationException {
        SiteConfig site = sites.site(siteId);
        DeploymentView view = DeploymentView.read(config);
        if (!"MIRROR".equals(view.role(site.id()).orElse(""))) {
            throw new OperationException("site " + site.id() + " is " + view.role(site.id()).orElse("unreachable")
                    + ": snapshots are taken on the mirror site", OperationException.FAILED);
        }
        List<NodeConfig> candidates = nodeId == null ? view.reachable(site.id())
                : List.of(config.node(nodeId));
        if (candidates.isEmpty()) {
            view.requireAllReachable(site.id(), "snapshot create");
        }
        NodeConfig n = candidates.get(0);
        progress.accept("snapshot of " + site.id() + " on node " + n.id());
        JsonNode info = sites.post(n, "/admin/snapshot", null);
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("node", n.id());
        info.properties().forEach(e -> r.put(e.getKey(), e.getValue()));
        return r;
    }

    /** Every snapshot on every reachable node of {@code siteId}. */
    public Map<String, Object> listSnapshots(String siteId) throws OperationException {
        SiteConfig site = sites.site(siteId);
        DeploymentView view = DeploymentView.read(config);
        List<Object> all = new ArrayList<>();
        List<String> down = new ArrayList<>();
        for (DeploymentView.NodeView nv : view.site(site.id())) {
            if (!nv.reachable()) {
                down.add(nv.node().id());
                continue;
            }
            for (JsonNode s : sites.call(nv.node(), "/admin/snapshots").path("snapshots")) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("node", nv.node().id());
                s.properties().forEach(e -> m.put(e.getKey(), e.getValue()));
                all.add(m);
            }
        }
        return Map.of("site", site.id(), "snapshots", all, "unreachable_nodes", down);
    }

    /**
     * Bootstraps {@code siteId} as a new primary from the mirror snapshot {@code snapshotDir} (at its seq X, in a new
     * epoch), then makes the other site follow it from X: a mirror ahead of X rewinds the keys its later entries
     * touched to the snapshot's values.
     */
    public Map<String, Object> restore(Path snapshotDir, String siteId) throws OperationException {
        long start = System.nanoTime();
        SiteConfig site = sites.site(siteId);
        SiteConfig other = config.otherSite(site.id());
        SnapshotManifest manifest;
        try {
            manifest = SnapshotManifest.read(snapshotDir.toAbsolutePath());
        } catch (StorageException e) {
            throw new OperationException("not a usable snapshot: " + e.getMessage(), OperationException.FAILED, e);
        }
        DeploymentView view = DeploymentView.read(config);
        view.requireAllReachable(site.id(), "restore");
        long seq = manifest.seq();
        long epoch = Math.max(view.maxEpoch(), manifest.epoch()) + 1;
        boolean follow = !view.reachable(other.id()).isEmpty();
        if (follow && "PRIMARY".equals(view.role(other.id()).orElse(""))) {
            throw new OperationException("site " + other.id() + " is primary: restore bootstraps a primary when there"
                    + " is none (fail over or switch over instead)", OperationException.FAILED);
        }
        Map<String, Object> transition = new LinkedHashMap<>();
        transition.put("kind", "RESTORE");
        transition.put("new_epoch", epoch);
        transition.put("snapshot", snapshotDir.toAbsolutePath().toString());
        progress.accept("restoring " + site.id() + " from " + snapshotDir + " (seq " + seq + ") as primary at epoch "
                + epoch);
        sites.transitionAll(site, transition);
        String leader = sites.awaitLeader(site);
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("operation", "restore");
        r.put("site", site.id());
        r.put("epoch", epoch);
        r.put("seq", seq);
        r.put("leader", leader);
        if (follow) {
            progress.accept(other.id() + " follows from seq " + seq);
            r.put("mirror", sites.rejoin(other.id()));
        } else {
            r.put("mirror", "unreachable: run 'picsou rejoin --site " + other.id() + "' when it is up");
        }
        r.put("elapsed_ms", SiteOperations.elapsedMillis(start));
        return r;
    }

    /**
     * Compares the digest of every reachable node's state, once all of them report the same seq (writes must pause
     * for that to happen).
     */
    public Map<String, Object> verify() throws OperationException {
        long deadline = System.nanoTime() + VERIFY_TIMEOUT.toNanos();
        Set<Long> reported = Set.of();
        while (true) {
            List<Map<String, Object>> digests = new ArrayList<>();
            Set<Long> seqs = new TreeSet<>();
            Set<String> hashes = new TreeSet<>();
            boolean consistent = true;
            for (SiteConfig s : config.sites()) {
                for (NodeConfig n : s.nodes()) {
                    JsonNode d;
                    try {
                        d = NodeClient.get(n, "/digest", SiteOperations.ACTION_TIMEOUT);
                    } catch (IOException e) {
                        continue;
                    }
                    Map<String, Object> m = new LinkedHashMap<>();
                    d.properties().forEach(e -> m.put(e.getKey(), e.getValue()));
                    digests.add(m);
                    seqs.add(d.path("seq").asLong());
                    hashes.add(d.path("sha256").asText());
                    consistent &= d.path("consistent").asBoolean(false);
                }
            }
            boolean bothSites = digests.stream().map(m -> String.valueOf(m.get("site"))).distinct().count() >= 2;
            if (seqs.size() == 1 && consistent && bothSites) {
                Map<String, Object> r = new LinkedHashMap<>();
                r.put("ok", hashes.size() == 1);
                r.put("seq", seqs.iterator().next());
                r.put("nodes", digests);
                return r;
            }
            if (System.nanoTime() - deadline > 0) {
                throw new OperationException("no common seq within " + VERIFY_TIMEOUT + " (nodes report " + seqs
                        + (bothSites ? "" : ", and one site does not answer")
                        + "): pause writes and let the mirror catch up, then verify again", OperationException.FAILED);
            }
            if (!seqs.equals(reported)) {
                progress.accept("waiting for a common seq: nodes at " + seqs);
                reported = seqs;
            }
            SiteOperations.pause(250);
        }
    }
}
