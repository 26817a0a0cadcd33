package dev.picsou.mirror.bridge.transport;

import dev.picsou.mirror.bridge.model.Frame;

/**
 * Receives what a {@link Transport} observes. Threading: every method is called on a transport-owned thread
 * (a Netty event loop, the in-memory hub thread, a decorator's scheduler) or on the thread that called
 * {@link Transport#send}, {@link Transport#start} or {@link Transport#close}. Implementations must only enqueue
 * (into the driver's inbox) and return: never block, never call into a protocol engine, never call
 * {@link Transport#send} re-entrantly from {@link #onFrame}.
 *
 * <p>Ordering: frames from one peer are reported in the order that peer sent them (unless a fault decorator
 * reorders). Writability reports for one peer are serialized and change-only: two consecutive reports for a peer
 * never carry the same value, and the last report matches {@link Transport#isWritable} once the transport is
 * quiet.
 */
public interface TransportListener {

    /** A well-formed frame arrived from {@code from}; it was checked for framing, CRC and addressing only. */
    void onFrame(PeerId from, Frame frame);

    /** {@link Transport#isWritable(PeerId)} for {@code peer} changed to {@code writable}. */
    void onWritabilityChanged(PeerId peer, boolean writable);

    /** The channel used to send to {@code peer} was lost; frames sent to it are dropped until it comes back. */
    default void onPeerDown(PeerId peer) {
    }

    /** The channel used to send to {@code peer} is (again) established. */
    default void onPeerUp(PeerId peer) {
    }
}
