package dev.picsou.mirror.config;

import java.time.Duration;
import java.util.Objects;

/**
 * Settings passed to every site's Ratis servers ({@code raft:} in the file).
 *
 * @param electionTimeoutMin       a follower waits at least this long without a leader before an election
 * @param electionTimeoutMax       ... and at most this long; above {@code electionTimeoutMin}
 * @param segmentSizeBytes         size of one Raft log segment file
 * @param snapshotThresholdEntries applied entries between two automatic snapshots
 */
public record RaftConfig(Duration electionTimeoutMin, Duration electionTimeoutMax, long segmentSizeBytes,
                         long snapshotThresholdEntries) {
    /** Every key at its default (docs/config.md). */
    public static final RaftConfig DEFAULT =
            new RaftConfig(Duration.ofSeconds(1), Duration.ofSeconds(2), 8L << 20, 100_000);

    public RaftConfig {
        Objects.requireNonNull(electionTimeoutMin, "electionTimeoutMin");
        Objects.requireNonNull(electionTimeoutMax, "electionTimeoutMax");
    }
}
