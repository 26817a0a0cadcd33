package dev.picsou.mirror.bridge.transport;

import java.util.concurrent.atomic.LongAdder;

/**
 * Counters of one transport endpoint, all monotonic since construction. Plain fields so the transport depends on
 * no metrics library; the node exports them (to Dropwizard) by polling the getters. Thread-safe.
 */
public final class TransportMetrics {
    private final LongAdder framesSent = new LongAdder();
    private final LongAdder bytesSent = new LongAdder();
    private final LongAdder framesReceived = new LongAdder();
    private final LongAdder bytesReceived = new LongAdder();
    private final LongAdder framesDropped = new LongAdder();
    private final LongAdder connects = new LongAdder();
    private final LongAdder reconnectAttempts = new LongAdder();
    private final LongAdder decodeErrors = new LongAdder();
    private final LongAdder handshakeFailures = new LongAdder();
    private final LongAdder encodeErrors = new LongAdder();

    /** Frames handed to the wire (encoded into the outbound buffer); excludes drops. */
    public long framesSent() {
        return framesSent.sum();
    }

    /** Wire bytes of {@link #framesSent()}, length prefixes included; excludes the connection preamble. */
    public long bytesSent() {
        return bytesSent.sum();
    }

    /** Frames decoded and handed to the listener. */
    public long framesReceived() {
        return framesReceived.sum();
    }

    /** Wire bytes of {@link #framesReceived()}, length prefixes included. */
    public long bytesReceived() {
        return bytesReceived.sum();
    }

    /** Frames dropped on the sending side: peer unreachable, transport closed, or over the hard pending bound. */
    public long framesDropped() {
        return framesDropped.sum();
    }

    /** Outbound connections established (the first one to each peer included). */
    public long connects() {
        return connects.sum();
    }

    /** Outbound connection attempts made after a failed attempt or a lost connection. */
    public long reconnectAttempts() {
        return reconnectAttempts.sum();
    }

    /**
     * Inbound connections closed because their bytes were not well-formed: bad preamble, length out of range,
     * {@code FrameFormatException}, or a frame whose {@code from} is not the connection's peer.
     */
    public long decodeErrors() {
        return decodeErrors.sum();
    }

    /** TLS handshakes that failed, inbound or outbound (untrusted certificate, protocol mismatch). */
    public long handshakeFailures() {
        return handshakeFailures.sum();
    }

    /** Frames the encoder refused; a bug upstream, since {@code send} validates sizes and addressing. */
    public long encodeErrors() {
        return encodeErrors.sum();
    }

    void onFrameSent(int bytes) {
        framesSent.increment();
        bytesSent.add(bytes);
    }

    void onFrameReceived(int bytes) {
        framesReceived.increment();
        bytesReceived.add(bytes);
    }

    void onFrameDropped() {
        framesDropped.increment();
    }

    void onConnect() {
        connects.increment();
    }

    void onReconnectAttempt() {
        reconnectAttempts.increment();
    }

    void onDecodeError() {
        decodeErrors.increment();
    }

    void onHandshakeFailure() {
        handshakeFailures.increment();
    }

    void onEncodeError() {
        encodeErrors.increment();
    }

    @Override
    public String toString() {
        return "TransportMetrics[sent=" + framesSent() + "/" + bytesSent() + "B, received=" + framesReceived()
                + "/" + bytesReceived() + "B, dropped=" + framesDropped() + ", connects=" + connects()
                + ", reconnectAttempts=" + reconnectAttempts() + ", decodeErrors=" + decodeErrors()
                + ", handshakeFailures=" + handshakeFailures() + ", encodeErrors=" + encodeErrors() + "]";
    }
}
