package dev.picsou.mirror.bridge.picsou;

import dev.picsou.mirror.bridge.model.AckFrame;

/**
 * What one sending replica knows of one receiving replica: its latest ack (the one with the highest
 * {@code received}; older ones arriving late are ignored) and a short history of how far ahead it held entries,
 * from which holes that persisted for the reorder grace are confirmed as losses. Not thread-safe.
 */
final class ReceiverView {
    private static final int HISTORY = 64;

    private final long[] historyAt = new long[HISTORY];
    private final long[] historyHeld = new long[HISTORY];
    private int head;
    private int size;
    private AckFrame latest;
    private long receivedSinceNanos;
    private long lastAckAtNanos = Long.MIN_VALUE;
    private long latestAtNanos = Long.MIN_VALUE;

    /** Takes an ack received at {@code nowNanos}; returns whether it replaced the latest one. */
    boolean onAck(AckFrame ack, long nowNanos) {
        lastAckAtNanos = nowNanos;
        if (latest != null && ack.received() < latest.received()) {
            return false;
        }
        if (latest == null || ack.received() != latest.received()) {
            receivedSinceNanos = nowNanos;
        }
        latest = ack;
        latestAtNanos = nowNanos;
        long held = ack.highestHeld();
        if (size == 0 || held > historyHeld[(head + size - 1) % HISTORY]) {
            if (size == HISTORY) {
                head = (head + 1) % HISTORY;
                size--;
            }
            int slot = (head + size) % HISTORY;
            historyAt[slot] = nowNanos;
            historyHeld[slot] = held;
            size++;
        }
        return true;
    }

    /** When the last ack of any kind arrived, or {@link Long#MIN_VALUE} if none did. */
    long lastAckAtNanos() {
        return lastAckAtNanos;
    }

    AckFrame latest() {
        return latest;
    }

    /**
     * Whether the latest ack says whether this receiver holds {@code seq}: within its prefix, the hole after it, or
     * the {@code phiBits} after that (a φ-list ends at the highest entry held, so entries past its end but within
     * {@code phiBits} are reported missing by its silence). False before the first ack.
     */
    boolean covers(long seq, int phiBits) {
        return latest != null && seq <= latest.received() + 1 + phiBits;
    }

    /** Whether the latest ack says this receiver holds {@code seq}. */
    boolean holds(long seq) {
        return latest != null && latest.holds(seq);
    }

    /**
     * The highest entry this receiver already held {@code graceNanos} or more before its latest ack arrived. A hole
     * below it that the latest ack still reports has outlived the reorder grace — a duplicate QUACK: a newer ack,
     * not merely the passing of time, shows the hole still open.
     */
    long confirmedHorizon(long nowNanos, long graceNanos) {
        if (latestAtNanos == Long.MIN_VALUE) {
            return 0;
        }
        long cutoff = Math.min(nowNanos, latestAtNanos) - graceNanos;
        while (size >= 2 && historyAt[(head + 1) % HISTORY] <= cutoff) {
            head = (head + 1) % HISTORY;
            size--;
        }
        if (size == 0 || historyAt[head] > cutoff) {
            return 0;
        }
        return historyHeld[head];
    }


    /** Since when the latest ack's {@code received} prefix has not moved. */
    long receivedSinceNanos() {
        return receivedSinceNanos;
    }
}
