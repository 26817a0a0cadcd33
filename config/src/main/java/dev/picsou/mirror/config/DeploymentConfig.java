package dev.picsou.mirror.config;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * A whole deployment, as one YAML file describes it, read and validated by {@link ConfigLoader}. A value loaded
 * from a file satisfies every check in docs/config.md: exactly two sites, one of them primary, unique ids, unique
 * addresses and data directories, each site large enough for its u and r. Immutable and thread-safe.
 *
 * @param source  the file it was read from, as given to the loader
 * @param name    the deployment's name (default: the file name without its extension)
 * @param sites   in file order
 * @param channel tuning of the channel between the sites
 * @param raft    settings of every site's Ratis servers
 * @param tls     mutual TLS on the channel
 * @param outbox  the primary's outbox of entries not yet QUACKed
 */
public record DeploymentConfig(Path source, String name, List<SiteConfig> sites, ChannelConfig channel,
                               RaftConfig raft, TlsConfig tls, OutboxConfig outbox) {
    public DeploymentConfig {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(name, "name");
        sites = List.copyOf(sites);
        Objects.requireNonNull(channel, "channel");
        Objects.requireNonNull(raft, "raft");
        Objects.requireNonNull(tls, "tls");
        Objects.requireNonNull(outbox, "outbox");
    }

    /** @throws IllegalArgumentException naming the known site ids if there is no site {@code siteId} */
    public SiteConfig site(String siteId) {
        return findSite(siteId).orElseThrow(() -> new IllegalArgumentException(
                "no site " + siteId + " in " + source + "; known sites: " + siteIds()));
    }

    /** The site {@code siteId}, or empty. */
    public Optional<SiteConfig> findSite(String siteId) {
        return sites.stream().filter(s -> s.id().equals(siteId)).findFirst();
    }

    /** @throws IllegalArgumentException naming the known node ids if there is no node {@code nodeId} */
    public NodeConfig node(String nodeId) {
        return siteOfNode(nodeId).nodes().stream().filter(n -> n.id().equals(nodeId)).findFirst().orElseThrow();
    }

    /** @throws IllegalArgumentException naming the known node ids if there is no node {@code nodeId} */
    public SiteConfig siteOfNode(String nodeId) {
        return sites.stream().filter(s -> s.indexOf(nodeId) >= 0).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no node " + nodeId + " in " + source
                        + "; known nodes: " + allNodes().stream().map(NodeConfig::id)
                        .collect(Collectors.joining(", "))));
    }

    /**
     * The site whose initial role is primary.
     *
     * @throws IllegalStateException if not exactly one site is (never for a loaded configuration)
     */
    public SiteConfig initialPrimary() {
        List<SiteConfig> primaries = sites.stream().filter(s -> s.initialRole() == SiteRole.PRIMARY).toList();
        if (primaries.size() != 1) {
            throw new IllegalStateException(primaries.size() + " sites are primary in " + source
                    + "; expected exactly one");
        }
        return primaries.get(0);
    }

    /**
     * With exactly two sites, the one that is not {@code siteId}.
     *
     * @throws IllegalArgumentException if there is no site {@code siteId}
     * @throws IllegalStateException    if there are not exactly two sites (never for a loaded configuration)
     */
    public SiteConfig otherSite(String siteId) {
        SiteConfig site = site(siteId);
        if (sites.size() != 2) {
            throw new IllegalStateException(sites.size() + " sites in " + source + "; expected exactly two");
        }
        return sites.get(0) == site ? sites.get(1) : sites.get(0);
    }

    /** Every node of every site, site by site in file order. */
    public List<NodeConfig> allNodes() {
        List<NodeConfig> all = new ArrayList<>();
        sites.forEach(s -> all.addAll(s.nodes()));
        return List.copyOf(all);
    }

    private String siteIds() {
        return sites.stream().map(SiteConfig::id).collect(Collectors.joining(", "));
    }
}
