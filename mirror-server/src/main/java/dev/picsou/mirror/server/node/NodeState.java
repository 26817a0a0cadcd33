package dev.picsou.mirror.server.node;

import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.Objects;

/**
 * What a node process must find again after a restart to rejoin its site in the right epoch: the epoch its site runs,
 * the site's role in that epoch, the stream's fork point, and where the state the epoch started from lives. Written
 * by {@link NodeStateFile} only at the end of a transition (the commit point of a role change).
 *
 * @param epoch    the epoch this node's site runs; its Raft group is {@link EpochLayout#groupId(String, long)}
 * @param role     the site's role in this epoch
 * @param baseSeq  the seq the epoch's state started from (a promotion's watermark, a demotion's sealed seq, a
 *                 restore's snapshot seq); 0 for the first epoch
 * @param failover whether the epoch began with a failover (the fork point is {@code (epoch, baseSeq)})
 * @param baseDir  the store (relative to the data directory) that holds the state at {@code baseSeq}, kept so that a
 *                 fenced site can rewind from it; empty for the first epoch
 */
public record NodeState(@JsonProperty("epoch") long epoch,
                        @JsonProperty("role") SiteRoleState role,
                        @JsonProperty("base_seq") long baseSeq,
                        @JsonProperty("failover") boolean failover,
                        @JsonProperty("base_dir") String baseDir) {

    /** The role of a site in one epoch. */
    public enum SiteRoleState {
        /** Takes client writes and streams them. */
        PRIMARY,
        /** Receives the stream. */
        MIRROR
    }

    public NodeState {
        Objects.requireNonNull(role, "role");
        if (epoch < 1) {
            throw new IllegalArgumentException("epoch must be >= 1, was " + epoch);
        }
        if (baseSeq < 0) {
            throw new IllegalArgumentException("baseSeq must be >= 0, was " + baseSeq);
        }
        baseDir = baseDir == null ? "" : baseDir;
    }

    /** The state of a node that never ran: epoch 1 in the role the config gives its site. */
    public static NodeState initial(SiteRoleState role) {
        return new NodeState(1, role, 0, false, "");
    }

    public boolean isPrimary() {
        return role == SiteRoleState.PRIMARY;
    }
}
