package dev.picsou.mirror.storage;

/**
 * A fork point as stored in {@link HookMetadata}: a failover made a new primary at {@code epoch} holding every
 * entry up to and including {@code seq} of the old primary.
 *
 * @param epoch the epoch the new primary runs
 * @param seq   the last seq of the old primary that the new one holds
 */
public record ForkPointRecord(long epoch, long seq) {
    public ForkPointRecord {
        if (epoch < 0 || seq < 0) {
            throw new IllegalArgumentException("fork point must be non-negative, was (" + epoch + ", " + seq + ")");
        }
    }
}
