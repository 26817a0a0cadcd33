package dev.picsou.mirror.bridge.transport;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Serializes writability reports and suppresses repeats. {@link #refresh} re-reads the current value under a lock
 * and queues a report only if it differs from the last one, so concurrent refreshes can neither reorder reports nor
 * leave a stale one last.
 *
 * <p>The listener is called <em>without</em> the lock, by one thread at a time, in the order the reports were
 * decided: whichever caller finds nobody delivering delivers every queued report, its own and those queued
 * meanwhile (a report may therefore reach the listener on another caller's thread, just after that caller's own).
 * Holding the lock while calling out deadlocked two stacked transports: a {@link RateLimitedTransport}'s reporter
 * reads its inner transport's writability under its own lock, while the inner transport's reporter called the
 * outer listener, which refreshes the outer reporter, under the inner lock.
 *
 * <p>Transports call {@link #observedNotWritable} whenever their public {@code isWritable} answers false, so that
 * a caller who saw false is guaranteed a later report of true, even when the false state was too short-lived for
 * a change-triggered refresh to catch it.
 */
final class WritabilityReporter {
    private record Report(PeerId peer, boolean writable) {
    }

    private final TransportListener listener;
    private final Predicate<PeerId> current;
    private final Map<PeerId, Boolean> lastReported = new HashMap<>();
    private final ArrayDeque<Report> queued = new ArrayDeque<>();
    private boolean delivering;

    /**
     * @param current reads the writability to report now; called with the lock held, so it must not block
     */
    WritabilityReporter(TransportListener listener, Predicate<PeerId> current) {
        this.listener = listener;
        this.current = current;
    }

    /** Reports {@code peer}'s current writability if it changed since the last report (peers start false). */
    void refresh(PeerId peer) {
        synchronized (this) {
            decide(peer);
        }
        deliver();
    }

    /**
     * A caller of {@code isWritable} just saw {@code peer} not writable: makes sure a false report exists (so the
     * caller may wait for a true report), then reports the current value if it is already true again.
     */
    void observedNotWritable(PeerId peer) {
        synchronized (this) {
            if (lastReported.getOrDefault(peer, Boolean.FALSE)) {
                lastReported.put(peer, false);
                queued.addLast(new Report(peer, false));
            }
            decide(peer);
        }
        deliver();
    }

    /** Queues a report of the current value if it differs from the last one. Caller holds the lock. */
    private void decide(PeerId peer) {
        boolean now = current.test(peer);
        boolean before = lastReported.getOrDefault(peer, Boolean.FALSE);
        if (now != before) {
            lastReported.put(peer, now);
            queued.addLast(new Report(peer, now));
        }
    }

    /** Delivers the queued reports in order unless another thread already is (it then delivers ours too). */
    private void deliver() {
        synchronized (this) {
            if (delivering || queued.isEmpty()) {
                return;
            }
            delivering = true;
        }
        boolean done = false;
        try {
            while (true) {
                Report next;
                synchronized (this) {
                    next = queued.pollFirst();
                    if (next == null) {
                        delivering = false;
                        done = true;
                        return;
                    }
                }
                listener.onWritabilityChanged(next.peer(), next.writable());
            }
        } finally {
            if (!done) {
                synchronized (this) {
                    delivering = false; // the listener threw: the next caller delivers what is left
                }
            }
        }
    }
}
