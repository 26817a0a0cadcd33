package dev.picsou.mirror.server.bench;

import dev.picsou.mirror.server.site.LocalSite;

import java.io.IOException;
import java.time.Duration;

import org.apache.ratis.protocol.RaftClientReply;

/**
 * Puts the Raft leader of a bench site on replica 0. The leader-based baselines (LL, OTU) start with replica 0 as
 * the sending and the receiving leader, and crashes take the highest replicas, so every protocol sees the same
 * roles. Leadership changes during a run are not wired to the baselines; the runner checks the leader afterwards.
 */
final class Leadership {
    private static final int ATTEMPTS = 5;

    private Leadership() {
    }

    /** Transfers leadership to replica 0 unless it already leads; fails if it cannot. */
    static void moveToFirstReplica(LocalSite site) throws IOException {
        for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
            int leader = site.awaitLeader(Duration.ofSeconds(30));
            if (leader == 0) {
                return;
            }
            RaftClientReply reply = site.client().admin()
                    .transferLeadership(site.peers().get(0).getId(), 10_000);
            if (!reply.isSuccess()) {
                sleep();
            }
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (site.leaderIndex() != 0 && System.nanoTime() < deadline) {
                sleep();
            }
            if (site.leaderIndex() == 0) {
                return;
            }
        }
        throw new IOException("could not move the leader of " + site + " to replica 0");
    }

    private static void sleep() throws IOException {
        try {
            Thread.sleep(50);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while moving the leader", e);
        }
    }
}
