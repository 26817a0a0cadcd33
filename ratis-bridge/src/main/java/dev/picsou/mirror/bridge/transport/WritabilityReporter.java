package dev.picsou.mirror.bridge.transport;

import java.util.HashMap;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Serializes writability reports and suppresses repeats. {@link #refresh} re-reads the current value under a lock
 * and reports it only if it differs from the last report, so concurrent refreshes can neither reorder reports nor
 * leave a stale one last. The listener is called with the lock held: it must only enqueue (as it must anyway).
 */
final class WritabilityReporter {
    private final TransportListener listener;
    private final Predicate<PeerId> current;
    private final Map<PeerId, Boolean> lastReported = new HashMap<>();

    /**
     * @param current reads the writability to report now; called with the lock held, so it must not block
     */
    WritabilityReporter(TransportListener listener, Predicate<PeerId> current) {
        this.listener = listener;
        this.current = current;
    }

    /** Reports {@code peer}'s current writability if it changed since the last report (peers start false). */
    synchronized void refresh(PeerId peer) {
        boolean now = current.test(peer);
        boolean before = lastReported.getOrDefault(peer, Boolean.FALSE);
        if (now != before) {
            lastReported.put(peer, now);
            listener.onWritabilityChanged(peer, now);
        }
    }

    /** {@link #refresh} for every peer reported so far. */
    synchronized void refreshAll() {
        for (PeerId peer : Map.copyOf(lastReported).keySet()) {
            refresh(peer);
        }
    }
}
