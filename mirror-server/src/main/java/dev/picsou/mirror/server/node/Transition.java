package dev.picsou.mirror.server.node;

import dev.picsou.mirror.storage.KeyValue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A role change of one node, as the operator commands drive it (DESIGN.md §5). Every kind but {@link Kind#RESTORE}
 * needs the node's current epoch sealed (a seal control entry applied locally), so that all nodes of the site seed the
 * next epoch from the same seq.
 *
 * @param kind       what to become
 * @param newEpoch   the epoch to move to; must exceed the node's epoch (the same epoch again is a no-op if the node
 *                   already made this transition)
 * @param failover   {@link Kind#PROMOTE}: an unplanned failover (a fork point is recorded) rather than a switchover
 * @param forkSeq    {@link Kind#REJOIN}: the seq the new primary took over at (the fork point's seq)
 * @param forkValues {@link Kind#REJOIN}: for each key this node's entries after the fork point touched, the value the
 *                   new primary had at the fork point (empty = absent)
 * @param fullCopy   {@link Kind#REJOIN} when a rewind is impossible: every pair of the new primary at the fork point
 * @param snapshot   {@link Kind#RESTORE}: the snapshot directory to start from
 */
public record Transition(Kind kind, long newEpoch, boolean failover, long forkSeq, Map<StoreSeeder.KeyBytes, Optional<byte[]>> forkValues,
                         List<KeyValue> fullCopy, Path snapshot) {

    /** The role changes. */
    public enum Kind {
        /** A sealed mirror becomes the primary at its watermark (switchover or failover). */
        PROMOTE,
        /** A sealed, drained primary becomes the mirror (switchover). */
        DEMOTE,
        /** A fenced (sealed) site rewinds to the fork point and follows the new primary as its mirror. */
        REJOIN,
        /** The node starts a new primary epoch from a mirror snapshot. */
        RESTORE
    }

    public Transition {
        Objects.requireNonNull(kind, "kind");
        forkValues = forkValues == null ? Map.of() : Map.copyOf(forkValues);
        fullCopy = fullCopy == null ? null : List.copyOf(fullCopy);
        if (newEpoch < 2) {
            throw new IllegalArgumentException("newEpoch must be >= 2, was " + newEpoch);
        }
        if (kind == Kind.RESTORE && snapshot == null) {
            throw new IllegalArgumentException("RESTORE needs a snapshot directory");
        }
    }
}
