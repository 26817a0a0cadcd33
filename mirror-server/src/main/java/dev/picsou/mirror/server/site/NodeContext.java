package dev.picsou.mirror.server.site;

import java.nio.file.Path;
import java.util.Objects;
import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.protocol.RaftPeerId;

/**
 * What a state-machine factory of {@link LocalSite} learns about the node it builds for. The factory is called on
 * every (re)start of the node and must return a NEW state machine each time; the stores it opens belong under
 * {@link #dataDirectory()}, which survives restarts and is never touched by Ratis (unlike the Ratis storage
 * directory, whose {@code sm} subdirectory a snapshot install replaces).
 *
 * @param siteId        the site's name
 * @param nodeIndex     0-based position of the node in {@link LocalSite#peers()}; the peer is named
 *                      {@code <siteId>-n<nodeIndex + 1>}
 * @param peerId        the node's Raft peer id
 * @param group         the site's Raft group (every peer with its loopback address)
 * @param dataDirectory the node's application data directory, created before the factory is called
 */
public record NodeContext(String siteId, int nodeIndex, RaftPeerId peerId, RaftGroup group, Path dataDirectory) {

    public NodeContext {
        Objects.requireNonNull(siteId, "siteId");
        Objects.requireNonNull(peerId, "peerId");
        Objects.requireNonNull(group, "group");
        Objects.requireNonNull(dataDirectory, "dataDirectory");
        if (nodeIndex < 0) {
            throw new IllegalArgumentException("nodeIndex must be >= 0, was " + nodeIndex);
        }
    }
}
