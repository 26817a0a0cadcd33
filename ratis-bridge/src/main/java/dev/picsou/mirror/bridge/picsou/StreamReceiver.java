package dev.picsou.mirror.bridge.picsou;

import dev.picsou.mirror.bridge.model.Frame;

/**
 * The receiving-site endpoint of one link on one replica of the receiving site.
 *
 * <p>Same threading and time contract as {@link StreamSender}. Entries it {@linkplain ActionSink#deliver delivers}
 * go to the local site's own log; the site reports back with {@link #onSiteCommitted} (the entry is ordered on the
 * site, so this replica holds it) and {@link #onDurable} (a prefix is applied and persisted).
 */
public interface StreamReceiver {

    /** A frame arrived from replica {@code frame.from()} of the sending site. */
    long onFrame(Frame frame, long nowNanos, ActionSink out);

    /** The local site committed entry {@code seq} to its log (it may still wait for earlier ones to apply). */
    long onSiteCommitted(long seq, long nowNanos, ActionSink out);

    /** Every entry {@code <= durableSeq} is applied and persisted on the local site. Never decreases. */
    long onDurable(long durableSeq, long nowNanos, ActionSink out);

    /** Leadership on either site changed (used by the leader-based baselines; Picsou ignores it). */
    default long onLeaderChanged(int senderLeader, int receiverLeader, long nowNanos, ActionSink out) {
        return onTick(nowNanos, out);
    }

    /** Time advanced to {@code nowNanos}. */
    long onTick(long nowNanos, ActionSink out);

    /** The {@code received} prefix this replica would acknowledge now. */
    long receivedSeq();

    /** The {@code durable} prefix this replica would acknowledge now. */
    long durableSeq();
}
