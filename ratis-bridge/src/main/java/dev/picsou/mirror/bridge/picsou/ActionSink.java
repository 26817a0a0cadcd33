package dev.picsou.mirror.bridge.picsou;

import dev.picsou.mirror.bridge.model.Entry;
import dev.picsou.mirror.bridge.model.FencedFrame;
import dev.picsou.mirror.bridge.model.Frame;

/**
 * Where a protocol engine puts the actions an event produced. The engine calls it synchronously from inside the
 * event method; the driver carries the actions out afterwards (or as they come). Implementations must not call back
 * into the engine.
 */
public interface ActionSink {

    /**
     * Send {@code frame} to replica {@code peer} of the other site. Returns whether the link to {@code peer} can
     * take more frames right now; after {@code false} the engine holds further frames for that peer until it is
     * told {@code onLinkWritable(peer, true)}. Engines that do not batch may ignore the answer.
     */
    boolean send(int peer, Frame frame);

    /** Receiver side: hand {@code entry} to the local site (propose it to the site's own log). */
    void deliver(Entry entry);

    /** Sender side: every entry {@code <= seq} is durable on the receiving site; the outbox may drop them. */
    void quacked(long seq);

    /** Sender side: the receiving site runs a newer epoch and refused our frames. */
    void fenced(FencedFrame refusal);

    /** A frame from replica {@code peer} was dropped as invalid; {@code reason} names what was wrong. */
    void refused(int peer, String reason);
}
