package dev.picsou.mirror.bridge.hook;

import java.time.Duration;
import java.util.Objects;

/**
 * When a client write on the primary completes (DESIGN.md §4).
 *
 * <ul>
 *   <li>{@link Mode#ASYNC}: when the primary site commits and applies it. RPO = entries not yet QUACKed.</li>
 *   <li>{@link Mode#SYNC}: on the primary <em>leader</em>, the apply future of an entry that carries a client request
 *       completes only when the mirror's QUACK covers its {@code seq}; Ratis replies to the client when that future
 *       completes. Followers never wait, and the leader keeps applying later entries meanwhile.</li>
 * </ul>
 * If the oldest waiting write has waited {@code maxWait}, {@link OnTimeout} decides: keep blocking (strict), or
 * release every waiting write and run as {@code async} (with an alarm) until the QUACK catches up with the last
 * {@code seq}, then return to {@code sync}.
 *
 * @param mode      async or sync
 * @param maxWait   how long a sync write may wait before {@code onTimeout} applies
 * @param onTimeout what happens then
 */
public record DurabilityPolicy(Mode mode, Duration maxWait, OnTimeout onTimeout) {

    /** How a primary write completes. */
    public enum Mode {
        /** When the primary site has applied it. */
        ASYNC,
        /** When the mirror's QUACK covers it (leader only). */
        SYNC
    }

    /** What a sync site does when the mirror does not QUACK within {@code maxWait}. */
    public enum OnTimeout {
        /** Keep waiting: writes block until the mirror is back (RPO stays 0). */
        KEEP_BLOCKING,
        /** Release the waiting writes and run async, with an alarm, until the mirror has caught up. */
        DEGRADE_TO_ASYNC
    }

    public DurabilityPolicy {
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(maxWait, "maxWait");
        Objects.requireNonNull(onTimeout, "onTimeout");
        if (maxWait.isNegative() || maxWait.isZero()) {
            throw new IllegalArgumentException("maxWait must be positive, was " + maxWait);
        }
    }

    /** The default: writes complete when the primary commits them. */
    public static DurabilityPolicy async() {
        return new DurabilityPolicy(Mode.ASYNC, Duration.ofSeconds(30), OnTimeout.DEGRADE_TO_ASYNC);
    }

    /** Sync writes that wait at most {@code maxWait}, then {@code onTimeout}. */
    public static DurabilityPolicy sync(Duration maxWait, OnTimeout onTimeout) {
        return new DurabilityPolicy(Mode.SYNC, maxWait, onTimeout);
    }

    public boolean isSync() {
        return mode == Mode.SYNC;
    }
}
