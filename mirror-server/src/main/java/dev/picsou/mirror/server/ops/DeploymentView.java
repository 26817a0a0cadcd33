package dev.picsou.mirror.server.ops;

import com.fasterxml.jackson.databind.JsonNode;
import dev.picsou.mirror.config.DeploymentConfig;
import dev.picsou.mirror.config.NodeConfig;
import dev.picsou.mirror.config.SiteConfig;
import dev.picsou.mirror.server.node.NodeClient;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * What the operator commands see of a running deployment: every node's {@code /status}, asked in parallel, and the
 * site roles read from them. Immutable snapshot; take a new one to see changes.
 */
public record DeploymentView(DeploymentConfig config, List<NodeView> nodes) {
    static final Duration STATUS_TIMEOUT = Duration.ofSeconds(5);

    /** One node's answer, or why there is none. */
    public record NodeView(SiteConfig site, NodeConfig node, JsonNode status, String error) {
        public boolean reachable() {
            return status != null;
        }

        public long epoch() {
            return status.path("epoch").asLong();
        }

        public String role() {
            return status.path("role").asText();
        }

        public boolean running() {
            return status.path("running").asBoolean(false);
        }
    }

    /** Asks every node of the deployment for its status, in parallel. */
    public static DeploymentView read(DeploymentConfig config) {
        List<CompletableFuture<NodeView>> futures = new ArrayList<>();
        for (SiteConfig s : config.sites()) {
            for (NodeConfig n : s.nodes()) {
                futures.add(CompletableFuture.supplyAsync(() -> {
                    try {
                        return new NodeView(s, n, NodeClient.get(n, "/status", STATUS_TIMEOUT), null);
                    } catch (IOException e) {
                        return new NodeView(s, n, null, e.getMessage());
                    }
                }));
            }
        }
        return new DeploymentView(config, futures.stream().map(CompletableFuture::join).toList());
    }

    public List<NodeView> site(String siteId) {
        return nodes.stream().filter(n -> n.site().id().equals(siteId)).toList();
    }

    /** The highest epoch any reachable node of {@code siteId} runs, or 0. */
    public long epoch(String siteId) {
        return site(siteId).stream().filter(NodeView::reachable).mapToLong(NodeView::epoch).max().orElse(0);
    }

    /** The highest epoch any reachable node runs. */
    public long maxEpoch() {
        return nodes.stream().filter(NodeView::reachable).mapToLong(NodeView::epoch).max().orElse(0);
    }

    /** The role the reachable nodes of {@code siteId} at its highest epoch report. */
    public Optional<String> role(String siteId) {
        long e = epoch(siteId);
        return site(siteId).stream().filter(n -> n.reachable() && n.epoch() == e).map(NodeView::role).findFirst();
    }

    /** The site that is primary at the highest epoch, if any node says so. */
    public Optional<SiteConfig> primary() {
        return nodes.stream().filter(n -> n.reachable() && "PRIMARY".equals(n.role()))
                .max(java.util.Comparator.comparingLong(NodeView::epoch)).map(NodeView::site);
    }

    /**
     * Every node of {@code siteId} answers.
     *
     * @throws OperationException (exit 3) naming the nodes that do not
     */
    public void requireAllReachable(String siteId, String operation) throws OperationException {
        List<String> down = site(siteId).stream().filter(n -> !n.reachable())
                .map(n -> n.node().id() + " (" + n.error() + ")").toList();
        if (!down.isEmpty()) {
            throw new OperationException(operation + " needs every node of site " + siteId + "; not reachable: "
                    + String.join("; ", down) + ". Start them with 'picsou node start' first.",
                    OperationException.UNREACHABLE);
        }
    }

    /** The reachable nodes of {@code siteId}. */
    public List<NodeConfig> reachable(String siteId) {
        return site(siteId).stream().filter(NodeView::reachable).map(NodeView::node).toList();
    }
}
