package dev.picsou.mirror.bridge.transport;

import dev.picsou.mirror.bridge.model.Frame;

import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;

/**
 * The cross-site channel of one replica: best-effort, per-peer FIFO delivery of {@link Frame}s, with writability
 * as the backpressure signal. Every implementation and decorator shares this contract:
 *
 * <ul>
 *   <li><b>Non-blocking.</b> {@link #send} and {@link #isWritable} may be called from any thread and never block
 *       on I/O or on the peer.</li>
 *   <li><b>Best effort.</b> A frame sent while the peer is unreachable is dropped and counted, never queued for
 *       later: the protocol above resends. Delivery is at most once, except under a duplicating fault
 *       decorator.</li>
 *   <li><b>Order.</b> Frames sent to one peer by one thread are delivered in that order, except under a
 *       reordering fault decorator.</li>
 *   <li><b>Backpressure.</b> {@link #isWritable} turns false when the buffers towards a peer are full; callers
 *       should then stop sending to that peer until {@link TransportListener#onWritabilityChanged} reports true.
 *       Sending anyway is allowed but may be dropped above an implementation-defined hard bound.</li>
 *   <li><b>Addressing.</b> {@code frame.from()} must be {@link #self()}{@code .replica()} and {@code frame.to()}
 *       must be {@code peer.replica()}; a receiver drops a frame whose {@code from} is not its sender's.</li>
 *   <li><b>No engine calls.</b> A transport only hands frames to its {@link TransportListener}; it never calls a
 *       protocol engine.</li>
 * </ul>
 *
 * <p>Lifecycle: constructed with its listener, then {@link #start()} once, then {@link #close()}. {@link #close()}
 * is idempotent; after it, {@link #send} drops silently and {@link #isWritable} returns false.
 */
public interface Transport extends AutoCloseable {

    /** The replica this transport sends as. */
    PeerId self();

    /**
     * Starts listening and connecting. Blocks until the listening socket is bound (so its address is known).
     *
     * @throws IllegalStateException if already started or closed
     * @throws TransportException    if the transport cannot start (bind failure, unreadable key store)
     */
    void start();

    /**
     * Sends {@code frame} to {@code peer}, or drops it (counted) when the peer is unreachable. Never blocks.
     *
     * @throws IllegalArgumentException if the frame's {@code from}/{@code to} do not match {@link #self()} and
     *                                  {@code peer}, or it is larger than the transport's maximum frame size
     * @throws IllegalStateException    if the transport was never started
     */
    void send(PeerId peer, Frame frame);

    /**
     * Whether a frame sent to {@code peer} now would be buffered without exceeding the high-water mark. False
     * while the peer is unreachable. Asking about a peer makes it a peer this transport keeps a channel to.
     *
     * <p>Whenever this returns false, a report of false has been made (possibly by this very call, on the
     * calling thread) unless the last report already was false, so a caller that sees false may wait for
     * {@link TransportListener#onWritabilityChanged} to report true.
     */
    boolean isWritable(PeerId peer);

    /**
     * The one thread that runs every I/O callback of this transport, offered to the protocol driver of the same
     * replica so that it runs there too and a frame needs no hand-off to another thread in either direction.
     * Present only after {@link #start()}, and only when a single thread does all of this transport's I/O and runs
     * submitted tasks one at a time, in order. Its tasks must not block for long: they hold up the I/O. Empty by
     * default; decorators offer their inner transport's.
     */
    default Optional<ScheduledExecutorService> sharedEventLoop() {
        return Optional.empty();
    }

    /** Stops everything within a bounded time; idempotent; never throws. */
    @Override
    void close();
}
