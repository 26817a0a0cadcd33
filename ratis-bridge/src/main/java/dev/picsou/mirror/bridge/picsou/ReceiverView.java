package dev.picsou.mirror.bridge.picsou;

import dev.picsou.mirror.bridge.model.AckFrame;

/**
 * What one sending replica knows of one receiving replica: its latest ack (the one with the highest
 * {@code received}; older ones arriving late are ignored) and a short history of how far ahead it held entries,
 * from which holes that persisted for the reorder grace are confirmed as losses. Not thread-safe.
 *
 * <p>{@code received} is not durable: a receiver that restarts has lost the entries it held but had not yet got
 * committed on its site, and acknowledges less than before. An ack with a lower {@code received} is therefore
 * believed, and replaces the view, once the latest higher one is older than a regression window: a late copy of an
 * old ack comes right behind newer ones, while a restarted receiver's acks are all lower. Without this, a view
 * that still says "held" for an entry that no receiver holds any more would hide its loss for ever.
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
    private long regressions;

    /**
     * Takes an ack received at {@code nowNanos}; returns whether it replaced the latest one. An ack with a lower
     * {@code received} replaces it only when the latest one arrived {@code regressionNanos} or more ago (the
     * receiver restarted); the history of what it held then starts anew.
     */
    boolean onAck(AckFrame ack, long nowNanos, long regressionNanos) {
        lastAckAtNanos = nowNanos;
        if (latest != null && ack.received() < latest.received()) {
            if (nowNanos - latestAtNanos < regressionNanos) {
                return false;
            }
            regressions++;
            size = 0;
            head = 0;
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

    /** How many times this receiver's acks were believed to have gone back (it restarted). */
    long regressions() {
        return regressions;
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

    /**
     * Whether no ack came from {@code receiver} for longer than {@code windowNanos} (or never, that long after the
     * first ack from anyone, {@code firstAckAtNanos}), though another receiver acked in that time.
     */
    static boolean silent(ReceiverView[] views, int receiver, long firstAckAtNanos, long windowNanos, long nowNanos) {
        long last = views[receiver].lastAckAtNanos();
        if (last == Long.MIN_VALUE) {
            last = firstAckAtNanos;
        }
        if (last == Long.MIN_VALUE || nowNanos - last <= windowNanos) {
            return false;
        }
        for (int j = 0; j < views.length; j++) {
            long other = views[j].lastAckAtNanos();
            if (j != receiver && other != Long.MIN_VALUE && nowNanos - other <= windowNanos) {
                return true;
            }
        }
        return false;
    }

    /**
     * The highest {@code p} such that the views not marked {@code silent}, of at least {@code need} stake together,
     * report holding every entry up to {@code p} in their {@code received} prefix (0 when none do).
     */
    static long heldThrough(ReceiverView[] views, boolean[] silent, int[] stakes, long need) {
        long through = 0;
        for (int j = 0; j < views.length; j++) {
            AckFrame a = views[j].latest();
            if (a == null || silent[j] || a.received() <= through) {
                continue;
            }
            long stake = 0;
            for (int k = 0; k < views.length; k++) {
                AckFrame b = views[k].latest();
                if (b != null && !silent[k] && b.received() >= a.received()) {
                    stake += stakes[k];
                }
            }
            if (stake >= need) {
                through = a.received();
            }
        }
        return through;
    }
}
