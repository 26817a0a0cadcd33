package dev.picsou.mirror.bridge.picsou;

import dev.picsou.mirror.bridge.model.Entry;
import dev.picsou.mirror.bridge.model.Frame;

/**
 * The sending-site endpoint of one link on one replica of the sending site.
 *
 * <p>Contract: single-threaded, deterministic, no I/O and no clock reads; time comes in as {@code nowNanos}, a
 * monotonic value that never decreases across calls. Every event method returns the next time (in the same clock)
 * at which the engine wants {@link #onTick}, or {@link Long#MAX_VALUE} when it needs none.
 */
public interface StreamSender {

    /**
     * The local site committed {@code entry}. Entries arrive in {@code seq} order with no gaps: the first call
     * after construction carries {@code recoveredQuackedSeq + 1}.
     */
    long onEntryCommitted(Entry entry, long nowNanos, ActionSink out);

    /** A frame arrived from replica {@code frame.from()} of the receiving site. */
    long onFrame(Frame frame, long nowNanos, ActionSink out);

    /** The transport to receiving replica {@code receiver} can (or can no longer) take more bytes. */
    long onLinkWritable(int receiver, boolean writable, long nowNanos, ActionSink out);

    /** Leadership on either site changed (used by the leader-based baselines; Picsou ignores it). */
    default long onLeaderChanged(int senderLeader, int receiverLeader, long nowNanos, ActionSink out) {
        return onTick(nowNanos, out);
    }

    /** Time advanced to {@code nowNanos}. */
    long onTick(long nowNanos, ActionSink out);

    /** Highest {@code seq} known durable on the receiving site. */
    long quackedSeq();

    /** Highest {@code seq} committed locally. */
    long committedSeq();
}
