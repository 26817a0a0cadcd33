package dev.picsou.mirror.config;

import java.util.List;
import java.util.Objects;

/**
 * One site: one Ratis group in one datacenter.
 *
 * @param id          unique among the sites
 * @param initialRole the role the site has when the deployment first starts
 * @param u           failures of any kind the site tolerates (Picsou's u)
 * @param r           Byzantine failures among them (Picsou's r, at most u)
 * @param durability  when client writes complete while the site is primary
 * @param nodes       in file order; a node's position is its replica index in the Picsou schedule
 */
public record SiteConfig(String id, SiteRole initialRole, int u, int r, DurabilityConfig durability,
                         List<NodeConfig> nodes) {
    public SiteConfig {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(initialRole, "initialRole");
        Objects.requireNonNull(durability, "durability");
        nodes = List.copyOf(nodes);
    }

    /** The position of {@code nodeId} in {@link #nodes()}, or -1 if it is not in this site. */
    public int indexOf(String nodeId) {
        for (int i = 0; i < nodes.size(); i++) {
            if (nodes.get(i).id().equals(nodeId)) {
                return i;
            }
        }
        return -1;
    }
}
