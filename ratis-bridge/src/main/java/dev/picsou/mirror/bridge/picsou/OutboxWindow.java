package dev.picsou.mirror.bridge.picsou;

import dev.picsou.mirror.bridge.model.Entry;

/**
 * The sender's in-memory view of its un-QUACKed entries, {@code (floor, top]}, with per-entry retransmission state.
 * Every sending replica keeps every un-QUACKed entry, not only its own share, since any replica may be chosen to
 * resend. A ring of parallel arrays indexed by {@code seq & mask}; grows by doubling. Not thread-safe.
 */
final class OutboxWindow {
    /** No time recorded. */
    static final long NEVER = Long.MIN_VALUE;

    private Entry[] entries;
    private long[] dueAt;
    private long[] firstDueAt;
    private long[] firstSentAt;
    private long[] cumulativeBytes;
    private int[] attempt;
    private int[] firstAttempt;
    private boolean[] judged;
    private boolean[] shareLost;
    private boolean[] arrivalNoted;
    private int mask;
    private long floor;
    private long top;
    private long floorCumulativeBytes;

    OutboxWindow(long floor) {
        this.floor = floor;
        this.top = floor;
        allocate(1024);
    }

    /** Appends the next entry ({@code seq == top + 1}); entries at or below the floor are ignored. */
    void append(Entry entry) {
        long seq = entry.seq();
        if (seq <= floor) {
            top = Math.max(top, seq);
            return;
        }
        if (seq != top + 1) {
            throw new IllegalStateException("entries must arrive in seq order without gaps: expected "
                    + (top + 1) + ", got " + seq);
        }
        if (seq - floor > entries.length) {
            grow();
        }
        int i = index(seq);
        long previous = seq - 1 > floor ? cumulativeBytes[index(seq - 1)] : floorCumulativeBytes;
        entries[i] = entry;
        dueAt[i] = NEVER;
        firstDueAt[i] = NEVER;
        firstSentAt[i] = NEVER;
        attempt[i] = 0;
        firstAttempt[i] = 0;
        judged[i] = false;
        shareLost[i] = false;
        arrivalNoted[i] = false;
        cumulativeBytes[i] = previous + entry.payloadLength();
        top = seq;
    }

    /** Forgets every entry {@code <= seq}. */
    void dropThrough(long seq) {
        if (seq <= floor) {
            return;
        }
        long newFloor = Math.min(seq, top);
        if (newFloor > floor) {
            floorCumulativeBytes = cumulativeBytes[index(newFloor)];
            for (long s = floor + 1; s <= newFloor; s++) {
                entries[index(s)] = null;
            }
        }
        floor = seq;
        if (top < floor) {
            top = floor;
        }
    }

    boolean contains(long seq) {
        return seq > floor && seq <= top;
    }

    long floor() {
        return floor;
    }

    long top() {
        return top;
    }

    Entry entry(long seq) {
        return entries[index(seq)];
    }

    /** Payload bytes of the entries in {@code (floor, seq]}. */
    long bytesThrough(long seq) {
        return cumulativeBytes[index(seq)] - floorCumulativeBytes;
    }

    int attempt(long seq) {
        return attempt[index(seq)];
    }

    /** When the current attempt of {@code seq} was made (or due), or {@link #NEVER} before it entered the window. */
    long dueAt(long seq) {
        return dueAt[index(seq)];
    }

    /** Starts the clock of the first attempt of {@code seq}. */
    void markDue(long seq, long nowNanos) {
        dueAt[index(seq)] = nowNanos;
        firstDueAt[index(seq)] = nowNanos;
    }

    /** When the first attempt of {@code seq} was due (later attempts do not move it), or {@link #NEVER}. */
    long firstDueAt(long seq) {
        return firstDueAt[index(seq)];
    }

    /** Records that an arrival of {@code seq}'s first copy was noted; returns false if one already was. */
    boolean noteArrival(long seq) {
        int i = index(seq);
        if (arrivalNoted[i]) {
            return false;
        }
        arrivalNoted[i] = true;
        return true;
    }

    /**
     * The attempt of {@code seq} this replica expected to be sent first: 0, or more when the senders of the earlier
     * ones were suspected down as it entered the window (see {@link SenderSuspicion}).
     */
    int firstAttempt(long seq) {
        return firstAttempt[index(seq)];
    }

    /**
     * Starts {@code seq} at attempt {@code first} instead of 0, before its clock started: the earlier attempts are
     * not expected. A first attempt is no resend, so it is not judged spurious or needed.
     */
    void skipTo(long seq, int first) {
        int i = index(seq);
        attempt[i] = first;
        firstAttempt[i] = first;
        judged[i] = true;
    }

    /**
     * Whether attempt 0 of {@code seq} was declared lost while receivers of the loss stake held later entries (the
     * network delivered what was sent after it: evidence against its sender, once a resend proves needed).
     */
    boolean shareLost(long seq) {
        return shareLost[index(seq)];
    }

    void markShareLost(long seq) {
        shareLost[index(seq)] = true;
    }

    /** Moves {@code seq} to its next attempt, made at {@code nowNanos}; returns the new attempt number. */
    int nextAttempt(long seq, long nowNanos) {
        int i = index(seq);
        dueAt[i] = nowNanos;
        judged[i] = false;
        return ++attempt[i];
    }

    /** Whether the latest resend of {@code seq} was already judged spurious or not. */
    boolean judged(long seq) {
        return judged[index(seq)];
    }

    void markJudged(long seq) {
        judged[index(seq)] = true;
    }

    /** When this replica sent attempt 0 of {@code seq} itself, or {@link #NEVER}. */
    long firstSentAt(long seq) {
        return firstSentAt[index(seq)];
    }

    void markFirstSent(long seq, long nowNanos) {
        firstSentAt[index(seq)] = nowNanos;
    }

    private int index(long seq) {
        return (int) (seq & mask);
    }

    private void allocate(int capacity) {
        entries = new Entry[capacity];
        dueAt = new long[capacity];
        firstDueAt = new long[capacity];
        firstSentAt = new long[capacity];
        cumulativeBytes = new long[capacity];
        attempt = new int[capacity];
        firstAttempt = new int[capacity];
        judged = new boolean[capacity];
        shareLost = new boolean[capacity];
        arrivalNoted = new boolean[capacity];
        mask = capacity - 1;
    }

    private void grow() {
        Entry[] oldEntries = entries;
        long[] oldDue = dueAt;
        long[] oldFirstDue = firstDueAt;
        long[] oldFirst = firstSentAt;
        long[] oldCum = cumulativeBytes;
        int[] oldAttempt = attempt;
        int[] oldFirstAttempt = firstAttempt;
        boolean[] oldJudged = judged;
        boolean[] oldShareLost = shareLost;
        boolean[] oldArrivalNoted = arrivalNoted;
        int oldMask = mask;
        allocate(entries.length * 2);
        for (long s = floor + 1; s <= top; s++) {
            int from = (int) (s & oldMask);
            int to = index(s);
            entries[to] = oldEntries[from];
            dueAt[to] = oldDue[from];
            firstDueAt[to] = oldFirstDue[from];
            firstSentAt[to] = oldFirst[from];
            cumulativeBytes[to] = oldCum[from];
            attempt[to] = oldAttempt[from];
            firstAttempt[to] = oldFirstAttempt[from];
            judged[to] = oldJudged[from];
            shareLost[to] = oldShareLost[from];
            arrivalNoted[to] = oldArrivalNoted[from];
        }
    }
}
