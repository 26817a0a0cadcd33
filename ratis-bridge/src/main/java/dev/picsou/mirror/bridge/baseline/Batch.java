package dev.picsou.mirror.bridge.baseline;

import dev.picsou.mirror.bridge.model.SentEntry;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * Entries waiting to go out to one destination. A batch is due once it holds {@code maxBytes} of payload, or once its
 * oldest entry waited {@code delayNanos}; {@link #take} then cuts one frame's worth off its front.
 */
final class Batch {
    private final int maxBytes;
    private final long delayNanos;
    private final Deque<SentEntry> entries = new ArrayDeque<>();
    private long bytes;
    private long oldestNanos;

    Batch(int maxBytes, long delayNanos) {
        this.maxBytes = maxBytes;
        this.delayNanos = delayNanos;
    }

    void add(SentEntry entry, long nowNanos) {
        if (entries.isEmpty()) {
            oldestNanos = nowNanos;
        }
        entries.addLast(entry);
        bytes += entry.entry().payloadLength();
    }

    /** Payload bytes waiting. */
    long bytes() {
        return bytes;
    }

    boolean isEmpty() {
        return entries.isEmpty();
    }

    /** When this batch must be sent; {@link Long#MAX_VALUE} when empty. */
    long dueNanos() {
        if (entries.isEmpty()) {
            return Long.MAX_VALUE;
        }
        return bytes >= maxBytes ? oldestNanos : oldestNanos + delayNanos;
    }

    /**
     * Removes and returns at most {@code maxBytes} of payload (always at least one entry) from the front, leaving out
     * entries with {@code seq <= skipUpTo} (already QUACKed). May be empty if everything taken was skipped.
     */
    List<SentEntry> take(long skipUpTo) {
        List<SentEntry> frame = new ArrayList<>();
        long frameBytes = 0;
        while (!entries.isEmpty()) {
            SentEntry next = entries.peekFirst();
            int size = next.entry().payloadLength();
            if (!frame.isEmpty() && frameBytes + size > maxBytes) {
                break;
            }
            entries.pollFirst();
            bytes -= size;
            if (next.entry().seq() > skipUpTo) {
                frame.add(next);
                frameBytes += size;
            }
        }
        return frame;
    }

    /** Drops entries with {@code seq <= seq} (QUACKed while the batch waited). */
    void dropUpTo(long seq) {
        entries.removeIf(e -> {
            boolean drop = e.entry().seq() <= seq;
            if (drop) {
                bytes -= e.entry().payloadLength();
            }
            return drop;
        });
    }

    void clear() {
        entries.clear();
        bytes = 0;
    }
}
