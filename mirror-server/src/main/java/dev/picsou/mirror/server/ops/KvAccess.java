package dev.picsou.mirror.server.ops;

import dev.picsou.mirror.config.DeploymentConfig;
import dev.picsou.mirror.config.SiteConfig;
import dev.picsou.mirror.server.node.EpochRuntime;
import dev.picsou.mirror.server.site.SiteClients;

import java.util.List;

import org.apache.ratis.client.RaftClient;
import org.apache.ratis.protocol.RaftGroup;

/** Finds the primary site of a running deployment and gives a Ratis client of its current group. */
public final class KvAccess {
    private KvAccess() {
    }

    /**
     * The current primary's group, read from the nodes' status.
     *
     * @throws OperationException exit 3 if no node reports a primary; exit 1 if the primary's nodes that answer run
     *                            no epoch (idle, awaiting a restore, or between epochs), naming why
     */
    public static RaftGroup primaryGroup(DeploymentConfig config) throws OperationException {
        DeploymentView view = DeploymentView.read(config);
        SiteConfig primary = view.primary().orElseThrow(() -> new OperationException(
                "no node reports a primary site: is the deployment running? (picsou status)",
                OperationException.UNREACHABLE));
        long epoch = view.epoch(primary.id());
        List<DeploymentView.NodeView> current = view.site(primary.id()).stream()
                .filter(n -> n.reachable() && n.epoch() == epoch).toList();
        if (current.stream().noneMatch(DeploymentView.NodeView::running)) {
            String why = current.stream().map(n -> n.status().path("awaiting_reason").asText(""))
                    .filter(r -> !r.isEmpty()).findFirst().orElse("its nodes are between epochs");
            throw new OperationException("site " + primary.id() + " is primary at epoch " + epoch + " but none of its"
                    + " nodes runs that epoch: " + why, OperationException.FAILED);
        }
        return EpochRuntime.group(primary, epoch);
    }

    /** A new client of the current primary's group (bounded retries); the caller closes it. */
    public static RaftClient primaryClient(DeploymentConfig config) throws OperationException {
        return SiteClients.newClient(primaryGroup(config));
    }
}
