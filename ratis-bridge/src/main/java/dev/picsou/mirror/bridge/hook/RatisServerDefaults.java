package dev.picsou.mirror.bridge.hook;

import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.server.RaftServerConfigKeys;

/**
 * Ratis server settings that every server of a Picsou site needs, whatever else its owner configures.
 *
 * <h2>Follower appends stay composed (Ratis 3.3.0 or later)</h2>
 * A follower chains its log appends ({@code raft.server.log.append-entries.compose.enabled}) and accepts a request
 * whose previous entry an earlier request is still appending. The earlier request registers its indices before it
 * joins the chain, outside the server's lock, so a later request can join the chain first. In Ratis 3.2.2 its
 * entries then reached the log worker ahead of the earlier ones, the worker failed ("gap between entries 841 and
 * 636") and the server shut itself down for good: a mirror follower restarted under load in MirroredStreamTest
 * stayed at index 635 while its leader went on to 21,233. Ratis 3.3.0 checks the index before the write
 * (RATIS-2507), so the race fails that one request, which the leader sends again. Turning composing off was worse
 * on 3.2.2 (appends of pipelined requests overlapped, failed, and a leader's log appender died on the resulting
 * race, RATIS-2499, leaving a follower behind for good); it is kept on, explicitly.
 */
public final class RatisServerDefaults {
    private RatisServerDefaults() {
    }

    /** Applies the settings to {@code properties} and returns it. */
    public static RaftProperties applyTo(RaftProperties properties) {
        RaftServerConfigKeys.Log.setAppendEntriesComposeEnabled(properties, true);
        return properties;
    }
}
