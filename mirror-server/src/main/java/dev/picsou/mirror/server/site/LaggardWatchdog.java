package dev.picsou.mirror.server.site;

import java.time.Duration;
import java.util.Arrays;
import java.util.Objects;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Heals a {@link LocalSite} whose Raft group stopped bringing a running follower up to date, a liveness failure of
 * Ratis under restarts and load (a leader's log appender for one follower that died, or a follower's server that
 * shut itself down: see {@code RatisServerDefaults}). Each {@link #check} looks at the site once:
 * <ul>
 *   <li>a node that should run but whose server is no longer alive for {@code stuckAfter} is restarted;</li>
 *   <li>a running follower whose applied index has not moved for {@code stuckAfter} while it is more than
 *       {@code lagEntries} behind the leader's commit index makes the leader hand over to another running follower
 *       (a new leader starts new log appenders for everyone).</li>
 * </ul>
 * A follower that is catching up, however slowly, is left alone; so is a stopped node. After an action every
 * follower gets {@code stuckAfter} again. Called from one thread; the clock is a parameter so tests can drive it.
 */
final class LaggardWatchdog {
    private static final Logger LOG = LoggerFactory.getLogger(LaggardWatchdog.class);

    /** What the watchdog reads of a site and what it may do to it. */
    interface Site {
        int size();

        /** Whether node {@code i} should be running (it was started and not stopped). */
        boolean isRunning(int i);

        /** Whether node {@code i}'s server is alive; false when it shut itself down. */
        boolean isAlive(int i);

        /** The ready leader's index, or -1. */
        int leaderIndex();

        /** Node {@code i}'s last applied Raft index, or -1 when unknown. */
        long appliedIndex(int i);

        /** Node {@code i}'s commit index, or -1 when unknown. */
        long commitIndex(int i);

        void restart(int i) throws Exception;

        /** Asks the current leader to hand over to node {@code to}. */
        void transferLeadership(int to) throws Exception;

        String name();
    }

    private final Site site;
    private final long stuckAfterNanos;
    private final long lagEntries;
    private final long[] lastApplied;
    private final long[] movedAt;
    private final long[] deadSince;
    private long actions;

    LaggardWatchdog(Site site, Duration stuckAfter, long lagEntries) {
        this.site = Objects.requireNonNull(site, "site");
        this.stuckAfterNanos = stuckAfter.toNanos();
        this.lagEntries = lagEntries;
        this.lastApplied = new long[site.size()];
        this.movedAt = new long[site.size()];
        this.deadSince = new long[site.size()];
        Arrays.fill(lastApplied, Long.MIN_VALUE);
        Arrays.fill(deadSince, Long.MIN_VALUE);
    }

    /** How many restarts and handovers it made. */
    long actions() {
        return actions;
    }

    /** Looks at the site once at {@code nowNanos}; acts at most once. */
    void check(long nowNanos) {
        for (int i = 0; i < site.size(); i++) {
            if (!site.isRunning(i) || site.isAlive(i)) {
                deadSince[i] = Long.MIN_VALUE;
                continue;
            }
            if (deadSince[i] == Long.MIN_VALUE) {
                deadSince[i] = nowNanos;
            } else if (nowNanos - deadSince[i] >= stuckAfterNanos) {
                LOG.error("{}: node {}'s Raft server shut itself down; restarting it", site.name(), i);
                int node = i;
                act(nowNanos, () -> site.restart(node));
                return;
            }
        }
        int leader = site.leaderIndex();
        if (leader < 0) {
            Arrays.fill(movedAt, nowNanos);
            return;
        }
        long commit = site.commitIndex(leader);
        for (int i = 0; i < site.size(); i++) {
            long applied = site.isRunning(i) ? site.appliedIndex(i) : -1;
            if (i == leader || !site.isRunning(i) || applied != lastApplied[i]) {
                lastApplied[i] = applied;
                movedAt[i] = nowNanos;
                continue;
            }
            if (commit - applied > lagEntries && nowNanos - movedAt[i] >= stuckAfterNanos) {
                int to = otherFollower(leader, i);
                if (to < 0) {
                    continue;
                }
                LOG.warn("{}: follower {} has stayed at applied index {} for {} s while the leader (node {}) committed"
                        + " {}; handing leadership to node {} so that new log appenders start", site.name(), i,
                        applied, (nowNanos - movedAt[i]) / 1_000_000_000L, leader, commit, to);
                act(nowNanos, () -> site.transferLeadership(to));
                return;
            }
        }
    }

    private int otherFollower(int leader, int laggard) {
        for (int j = 0; j < site.size(); j++) {
            if (j != leader && j != laggard && site.isRunning(j) && site.isAlive(j)) {
                return j;
            }
        }
        return -1;
    }

    private interface Action {
        void run() throws Exception;
    }

    private void act(long nowNanos, Action action) {
        actions++;
        try {
            action.run();
        } catch (Exception e) {
            LOG.warn("{}: the watchdog's action failed: {}", site.name(), e.toString());
        }
        Arrays.fill(movedAt, nowNanos);
        Arrays.fill(deadSince, Long.MIN_VALUE);
    }
}
