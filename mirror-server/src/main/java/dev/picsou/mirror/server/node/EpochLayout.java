package dev.picsou.mirror.server.node;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.UUID;

import org.apache.ratis.protocol.RaftGroupId;

/**
 * Where a node keeps each epoch, under its data directory:
 * <pre>
 * node.json            the NodeState (epoch, role, base)
 * e&lt;epoch&gt;/ratis      the Raft storage of the site's group for that epoch
 * e&lt;epoch&gt;/kv         primary: the application's store (KvStateMachine)
 * e&lt;epoch&gt;/hook       primary: the hook store (seq, outbox)
 * e&lt;epoch&gt;/mirror     mirror: the mirror store (state, entry log)
 * e&lt;epoch&gt;/base       restored primary: the snapshot it started from, kept unchanged
 * lost-writes/         entries a fenced primary took after the fork point
 * snapshots/           mirror snapshots made by 'picsou snapshot create'
 * </pre>
 * Every epoch of a site is its own Raft group (a name-based UUID of site and epoch): a role change seeds the next
 * epoch's stores from the sealed state of the previous one and starts a fresh Raft log, so no log ever mixes the
 * entries of two roles. The previous epoch's directory stays as the base a fenced site can rewind from.
 */
public final class EpochLayout {
    private final Path dataDir;

    public EpochLayout(Path dataDir) {
        this.dataDir = dataDir.toAbsolutePath().normalize();
    }

    public Path dataDir() {
        return dataDir;
    }

    public Path epochDir(long epoch) {
        return dataDir.resolve("e" + epoch);
    }

    public Path ratis(long epoch) {
        return epochDir(epoch).resolve("ratis");
    }

    public Path kv(long epoch) {
        return epochDir(epoch).resolve("kv");
    }

    public Path hook(long epoch) {
        return epochDir(epoch).resolve("hook");
    }

    public Path mirror(long epoch) {
        return epochDir(epoch).resolve("mirror");
    }

    public Path base(long epoch) {
        return epochDir(epoch).resolve("base");
    }

    public Path lostWrites() {
        return dataDir.resolve("lost-writes");
    }

    public Path snapshots() {
        return dataDir.resolve("snapshots");
    }

    /** A path under the data directory as stored in {@link NodeState#baseDir()}. */
    public String relative(Path p) {
        return dataDir.relativize(p.toAbsolutePath().normalize()).toString();
    }

    public Path resolve(String relative) {
        return dataDir.resolve(relative);
    }

    /** The Raft group of {@code siteId} in {@code epoch}. */
    public static RaftGroupId groupId(String siteId, long epoch) {
        return RaftGroupId.valueOf(UUID.nameUUIDFromBytes(("picsou-site:" + siteId + ":epoch:" + epoch)
                .getBytes(StandardCharsets.UTF_8)));
    }
}
