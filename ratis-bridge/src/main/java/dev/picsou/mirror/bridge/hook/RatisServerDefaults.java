package dev.picsou.mirror.bridge.hook;

import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.server.RaftServerConfigKeys;

/**
 * Ratis server settings that every server of a Picsou site needs, whatever else its owner configures.
 *
 * <h2>Follower appends are not composed</h2>
 * Ratis 3.2.2 chains a follower's log appends by default ({@code raft.server.log.append-entries.compose.enabled}),
 * and accepts a request whose previous entry is still being appended by an earlier request. The earlier request
 * registers its indices before it joins the chain, outside the server's lock, so a later request that sees those
 * indices can join the chain first: its entries then reach the log worker ahead of the earlier ones, the worker
 * fails ("lastWrittenIndex == 636, entry == ... index: 841"; "gap between entries 841 and 636") and the server
 * shuts itself down for good. Seen on a mirror follower restarted under load in MirroredStreamTest (a follower left
 * at index 635 while its leader went on to 21,233; the site's stream stalled below the QUACK). Without composing, a
 * follower accepts a request only once its previous entry is in the log, and two appends that still overlap are
 * refused by the log's single-writer check, which fails that one request (the leader sends it again) instead of
 * the server.
 */
public final class RatisServerDefaults {
    private RatisServerDefaults() {
    }

    /** Applies the settings to {@code properties} and returns it. */
    public static RaftProperties applyTo(RaftProperties properties) {
        RaftServerConfigKeys.Log.setAppendEntriesComposeEnabled(properties, false);
        return properties;
    }
}
