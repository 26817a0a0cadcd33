package dev.picsou.mirror.bridge.transport;

import java.util.HashMap;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Serializes writability reports and suppresses repeats. {@link #refresh} re-reads the current value under a lock
 * and reports it only if it differs from the last report, so concurrent refreshes can neither reorder reports nor
 * leave a stale one last. The listener is called with the lock held: it must only enqueue (as it must anyway).
 *
 * <p>Transports call {@link #observedNotWritable} whenever their public {@code isWritable} answers false, so that
 * a caller who saw false is guaranteed a later report of true, even when the false state was too short-lived for
 * a change-triggered refresh to catch it.
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

    /**
     * A caller of {@code isWritable} just saw {@code peer} not writable: makes sure a false report exists (so the
     * caller may wait for a true report), then reports the current value if it is already true again.
     */
    synchronized void observedNotWritable(PeerId peer) {
        if (lastReported.getOrDefault(peer, Boolean.FALSE)) {
            lastReported.put(peer, false);
            listener.onWritabilityChanged(peer, false);
        }
        refresh(peer);
    }
}
