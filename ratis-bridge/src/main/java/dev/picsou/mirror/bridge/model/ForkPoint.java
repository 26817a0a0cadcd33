package dev.picsou.mirror.bridge.model;

/**
 * Where a failover cut the stream: the new primary took over at {@code epoch} holding every entry up to and
 * including {@code seq} of the old primary. Entries of the old primary after {@code seq} are not on the new one.
 *
 * @param epoch the epoch the new primary runs
 * @param seq   the last stream sequence number of the old primary that the new one holds
 */
public record ForkPoint(long epoch, long seq) {
    public ForkPoint {
        if (epoch < 0 || seq < 0) {
            throw new IllegalArgumentException("fork point must be non-negative, was (" + epoch + ", " + seq + ")");
        }
    }
}
