package dev.picsou.mirror.bridge.transport;

import java.time.Duration;
import java.util.Objects;

/**
 * WAN emulation for {@link RateLimitedTransport}: a token bucket of {@code bytesPerSecond} holding at most
 * {@code burstBytes}, then a fixed one-way delay. Frames waiting for tokens make the queue; over
 * {@code maxQueuedBytes} the peers it serves turn not writable, and at half of it writable again.
 *
 * @param bytesPerSecond sustained rate, in wire bytes ({@code FrameCodec.encodedSize}) per second
 * @param burstBytes     bucket capacity: bytes that may leave back to back after an idle period
 * @param oneWayDelay    added to every frame once it leaves the bucket (propagation delay); zero for none
 * @param maxQueuedBytes queued bytes over which the peers of the bucket report not writable
 * @param scope          one bucket per destination peer, or one for the whole uplink of this replica
 */
public record RateLimit(long bytesPerSecond, long burstBytes, Duration oneWayDelay, long maxQueuedBytes,
                        Scope scope) {

    /** What one token bucket limits. */
    public enum Scope {
        /** One bucket per destination peer: each (sender, receiver) pair is its own WAN path. */
        PER_PEER,
        /** One bucket for everything this replica sends: its uplink is the bottleneck. */
        UPLINK
    }

    public RateLimit {
        Objects.requireNonNull(oneWayDelay, "oneWayDelay");
        Objects.requireNonNull(scope, "scope");
        if (bytesPerSecond <= 0) {
            throw new IllegalArgumentException("bytesPerSecond must be > 0, was " + bytesPerSecond);
        }
        if (burstBytes <= 0) {
            throw new IllegalArgumentException("burstBytes must be > 0, was " + burstBytes);
        }
        if (oneWayDelay.isNegative()) {
            throw new IllegalArgumentException("oneWayDelay must be >= 0, was " + oneWayDelay);
        }
        if (maxQueuedBytes <= 0) {
            throw new IllegalArgumentException("maxQueuedBytes must be > 0, was " + maxQueuedBytes);
        }
    }
}
