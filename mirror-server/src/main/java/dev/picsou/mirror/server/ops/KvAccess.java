package dev.picsou.mirror.server.ops;

import dev.picsou.mirror.config.DeploymentConfig;
import dev.picsou.mirror.config.SiteConfig;
import dev.picsou.mirror.server.node.EpochRuntime;
import dev.picsou.mirror.server.site.SiteClients;

import org.apache.ratis.client.RaftClient;
import org.apache.ratis.protocol.RaftGroup;

/** Finds the primary site of a running deployment and gives a Ratis client of its current group. */
public final class KvAccess {
    private KvAccess() {
    }

    /** The current primary's group, read from the nodes' status. */
    public static RaftGroup primaryGroup(DeploymentConfig config) throws OperationException {
        DeploymentView view = DeploymentView.read(config);
        SiteConfig primary = view.primary().orElseThrow(() -> new OperationException(
                "no node reports a primary site: is the deployment running? (picsou status)",
                OperationException.UNREACHABLE));
        return EpochRuntime.group(primary, view.epoch(primary.id()));
    }

    /** A new client of the current primary's group (bounded retries); the caller closes it. */
    public static RaftClient primaryClient(DeploymentConfig config) throws OperationException {
        return SiteClients.newClient(primaryGroup(config));
    }
}
