package dev.picsou.mirror.server.site;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import org.apache.ratis.util.SizeInBytes;

/**
 * How to run a {@link LocalSite}. Immutable; start from {@link #defaults(String, Path)} and change fields with the
 * {@code with*} methods. Validated on construction.
 *
 * @param siteId             the site's name, e.g. {@code dc-east}: it names the Raft group (a name-based UUID) and
 *                           the peers ({@code <siteId>-n1} ...)
 * @param nodeCount          voters in the group (default 3)
 * @param baseDirectory      each node keeps everything under {@code <baseDirectory>/<peerId>/}
 * @param electionTimeoutMin Raft election timeout, lower bound (default 1 s; Ratis's 150 ms is shorter than GC
 *                           pauses under load in one JVM)
 * @param electionTimeoutMax Raft election timeout, upper bound (default 2 s)
 * @param serverRequestTimeout leader-to-follower request timeout (default 3 s, Ratis's)
 * @param startTimeout       how long {@link LocalSite#start()} waits for a ready leader (default 30 s)
 * @param closeTimeout       how long {@link LocalSite#close()} waits for the servers to stop (default 15 s)
 * @param segmentSizeMax     Raft log segment size; purging drops whole closed segments (default 8 MB)
 * @param snapshot           snapshot triggering, purge and retention (default {@link SnapshotPolicy#ratisDefaults()})
 */
public record LocalSiteConfig(String siteId, int nodeCount, Path baseDirectory, Duration electionTimeoutMin,
                              Duration electionTimeoutMax, Duration serverRequestTimeout, Duration startTimeout,
                              Duration closeTimeout, SizeInBytes segmentSizeMax, SnapshotPolicy snapshot) {

    public LocalSiteConfig {
        Objects.requireNonNull(siteId, "siteId");
        if (!siteId.matches("[A-Za-z0-9][A-Za-z0-9_-]*")) {
            throw new IllegalArgumentException("siteId must be letters, digits, '-' or '_', was \"" + siteId + "\"");
        }
        if (nodeCount < 1) {
            throw new IllegalArgumentException("nodeCount must be >= 1, was " + nodeCount);
        }
        Objects.requireNonNull(baseDirectory, "baseDirectory");
        requirePositive("electionTimeoutMin", electionTimeoutMin);
        requirePositive("electionTimeoutMax", electionTimeoutMax);
        if (electionTimeoutMax.compareTo(electionTimeoutMin) <= 0) {
            throw new IllegalArgumentException("electionTimeoutMax (" + electionTimeoutMax
                    + ") must exceed electionTimeoutMin (" + electionTimeoutMin + ")");
        }
        requirePositive("serverRequestTimeout", serverRequestTimeout);
        requirePositive("startTimeout", startTimeout);
        requirePositive("closeTimeout", closeTimeout);
        Objects.requireNonNull(segmentSizeMax, "segmentSizeMax");
        if (segmentSizeMax.getSize() < 16 * 1024) {
            throw new IllegalArgumentException("segmentSizeMax must be >= 16KB, was " + segmentSizeMax);
        }
        Objects.requireNonNull(snapshot, "snapshot");
    }

    /** Three nodes, 1–2 s election timeouts, 8 MB segments, Ratis's snapshot behaviour. */
    public static LocalSiteConfig defaults(String siteId, Path baseDirectory) {
        return new LocalSiteConfig(siteId, 3, baseDirectory, Duration.ofSeconds(1), Duration.ofSeconds(2),
                Duration.ofSeconds(3), Duration.ofSeconds(30), Duration.ofSeconds(15), SizeInBytes.valueOf("8MB"),
                SnapshotPolicy.ratisDefaults());
    }

    public LocalSiteConfig withNodeCount(int nodes) {
        return new LocalSiteConfig(siteId, nodes, baseDirectory, electionTimeoutMin, electionTimeoutMax,
                serverRequestTimeout, startTimeout, closeTimeout, segmentSizeMax, snapshot);
    }

    public LocalSiteConfig withElectionTimeouts(Duration min, Duration max) {
        return new LocalSiteConfig(siteId, nodeCount, baseDirectory, min, max, serverRequestTimeout, startTimeout,
                closeTimeout, segmentSizeMax, snapshot);
    }

    public LocalSiteConfig withStartTimeout(Duration timeout) {
        return new LocalSiteConfig(siteId, nodeCount, baseDirectory, electionTimeoutMin, electionTimeoutMax,
                serverRequestTimeout, timeout, closeTimeout, segmentSizeMax, snapshot);
    }

    public LocalSiteConfig withCloseTimeout(Duration timeout) {
        return new LocalSiteConfig(siteId, nodeCount, baseDirectory, electionTimeoutMin, electionTimeoutMax,
                serverRequestTimeout, startTimeout, timeout, segmentSizeMax, snapshot);
    }

    public LocalSiteConfig withSegmentSizeMax(SizeInBytes size) {
        return new LocalSiteConfig(siteId, nodeCount, baseDirectory, electionTimeoutMin, electionTimeoutMax,
                serverRequestTimeout, startTimeout, closeTimeout, size, snapshot);
    }

    public LocalSiteConfig withSnapshot(SnapshotPolicy policy) {
        return new LocalSiteConfig(siteId, nodeCount, baseDirectory, electionTimeoutMin, electionTimeoutMax,
                serverRequestTimeout, startTimeout, closeTimeout, segmentSizeMax, policy);
    }

    /**
     * What install tests want: {@link SnapshotPolicy#purgeEagerly()} and 64 KB segments, so one explicit snapshot
     * purges nearly the whole log.
     */
    public LocalSiteConfig forSnapshotInstallTests() {
        return withSegmentSizeMax(SizeInBytes.valueOf("64KB")).withSnapshot(SnapshotPolicy.purgeEagerly());
    }

    private static void requirePositive(String name, Duration d) {
        Objects.requireNonNull(d, name);
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, was " + d);
        }
    }
}
