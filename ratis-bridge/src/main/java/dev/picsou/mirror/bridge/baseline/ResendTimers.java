package dev.picsou.mirror.bridge.baseline;

import dev.picsou.mirror.bridge.model.AckFrame;
import dev.picsou.mirror.bridge.picsou.PicsouParams;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.NavigableMap;
import java.util.NavigableSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Retransmission deadlines of entries in flight, one per {@code seq}, each remembering the attempt number of the copy
 * it guards. The timeout of attempt {@code a} is {@code initialRetransmitTimeoutNanos * 2^a}, capped at
 * {@code maxRetransmitTimeoutNanos}.
 */
final class ResendTimers {

    /** A deadline for entry {@code seq}, whose latest copy was attempt {@code attempt}. */
    record Timer(long seq, int attempt, long deadlineNanos) {
    }

    private static final Comparator<Timer> BY_DEADLINE =
            Comparator.comparingLong(Timer::deadlineNanos).thenComparingLong(Timer::seq);

    private final long initialNanos;
    private final long maxNanos;
    private final NavigableMap<Long, Timer> bySeq = new TreeMap<>();
    private final NavigableSet<Timer> byDeadline = new TreeSet<>(BY_DEADLINE);

    ResendTimers(PicsouParams params) {
        this.initialNanos = params.initialRetransmitTimeoutNanos();
        this.maxNanos = params.maxRetransmitTimeoutNanos();
    }

    /** The timeout after sending attempt {@code attempt}. */
    long timeoutNanos(int attempt) {
        long timeout = initialNanos;
        for (int i = 0; i < attempt && timeout < maxNanos; i++) {
            timeout *= 2;
        }
        return Math.min(timeout, maxNanos);
    }

    /** Starts (or restarts) the timer of {@code seq} for a copy with attempt number {@code attempt} sent now. */
    void arm(long seq, int attempt, long nowNanos) {
        cancel(seq);
        Timer timer = new Timer(seq, attempt, nowNanos + timeoutNanos(attempt));
        bySeq.put(seq, timer);
        byDeadline.add(timer);
    }

    void cancel(long seq) {
        Timer timer = bySeq.remove(seq);
        if (timer != null) {
            byDeadline.remove(timer);
        }
    }

    /** Cancels the timers of every {@code seq <= upTo}. */
    void cancelUpTo(long upTo) {
        while (!bySeq.isEmpty() && bySeq.firstKey() <= upTo) {
            byDeadline.remove(bySeq.pollFirstEntry().getValue());
        }
    }

    /** Cancels the timers of every entry {@code ack} says its replica holds. */
    void cancelHeldBy(AckFrame ack) {
        cancelUpTo(ack.received());
        Iterator<Timer> it = bySeq.subMap(ack.received(), false, ack.highestHeld(), true).values().iterator();
        while (it.hasNext()) {
            Timer timer = it.next();
            if (ack.holds(timer.seq())) {
                it.remove();
                byDeadline.remove(timer);
            }
        }
    }

    /** Removes and returns the timers whose deadline is {@code <= nowNanos}, earliest first. */
    List<Timer> expire(long nowNanos) {
        List<Timer> due = new ArrayList<>();
        while (!byDeadline.isEmpty() && byDeadline.first().deadlineNanos() <= nowNanos) {
            Timer timer = byDeadline.pollFirst();
            bySeq.remove(timer.seq());
            due.add(timer);
        }
        return due;
    }

    /** The earliest deadline, or {@link Long#MAX_VALUE}. */
    long nextDeadlineNanos() {
        return byDeadline.isEmpty() ? Long.MAX_VALUE : byDeadline.first().deadlineNanos();
    }

    int size() {
        return bySeq.size();
    }

    void clear() {
        bySeq.clear();
        byDeadline.clear();
    }
}
