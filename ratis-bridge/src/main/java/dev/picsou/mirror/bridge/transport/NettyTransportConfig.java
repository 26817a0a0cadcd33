package dev.picsou.mirror.bridge.transport;

import dev.picsou.mirror.bridge.wire.FrameCodec;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Objects;

/**
 * Everything a {@link NettyTransport} needs, validated once. Build with {@link #builder}; every setter's javadoc
 * gives its default.
 *
 * @param self                     the replica this transport sends as
 * @param bindAddress              where the server listens; port 0 picks a free port
 *                                 ({@link NettyTransport#boundAddress()} tells which)
 * @param directory                where the peers listen
 * @param maxFrameBytes            largest frame sent or accepted, length prefix included
 * @param lowWaterMarkBytes        pending outbound bytes under which a peer turns writable again
 * @param highWaterMarkBytes       pending outbound bytes over which a peer turns not writable
 * @param maxPendingBytes          hard bound on pending outbound bytes per peer; frames over it are dropped
 * @param socketBufferBytes        SO_SNDBUF and SO_RCVBUF, or 0 for the operating system's default
 * @param reconnectMinBackoff      first delay before reconnecting to a lost peer
 * @param reconnectMaxBackoff      cap of the doubling reconnect delay
 * @param reconnectJitter          fraction of each delay that is randomized, in [0, 1)
 * @param jitterSeed               seed of the reconnect jitter (mixed with the peer's identity)
 * @param connectTimeout           TCP connect timeout
 * @param handshakeTimeout         time an inbound connection has to complete TLS and its preamble
 * @param shutdownTimeout          bound on {@link NettyTransport#close()}
 * @param ioThreads                event loop threads (the server and all outbound connections share them)
 * @param tls                      TLS settings, or null for plain TCP
 */
public record NettyTransportConfig(PeerId self, InetSocketAddress bindAddress, PeerDirectory directory,
                                   int maxFrameBytes, int lowWaterMarkBytes, int highWaterMarkBytes,
                                   long maxPendingBytes, int socketBufferBytes, Duration reconnectMinBackoff,
                                   Duration reconnectMaxBackoff, double reconnectJitter, long jitterSeed,
                                   Duration connectTimeout, Duration handshakeTimeout, Duration shutdownTimeout,
                                   int ioThreads, TlsSettings tls) {

    public NettyTransportConfig {
        Objects.requireNonNull(self, "self");
        Objects.requireNonNull(bindAddress, "bindAddress");
        Objects.requireNonNull(directory, "directory");
        new FrameCodec(maxFrameBytes); // validates the lower bound
        require(lowWaterMarkBytes > 0 && lowWaterMarkBytes <= highWaterMarkBytes,
                "need 0 < lowWaterMarkBytes <= highWaterMarkBytes, were " + lowWaterMarkBytes + " and "
                        + highWaterMarkBytes);
        require(maxPendingBytes >= highWaterMarkBytes,
                "maxPendingBytes must be >= highWaterMarkBytes " + highWaterMarkBytes + ", was " + maxPendingBytes);
        require(socketBufferBytes >= 0, "socketBufferBytes must be >= 0, was " + socketBufferBytes);
        requirePositive("reconnectMinBackoff", reconnectMinBackoff);
        requirePositive("reconnectMaxBackoff", reconnectMaxBackoff);
        require(reconnectMaxBackoff.compareTo(reconnectMinBackoff) >= 0,
                "reconnectMaxBackoff " + reconnectMaxBackoff + " must be >= reconnectMinBackoff "
                        + reconnectMinBackoff);
        require(reconnectJitter >= 0 && reconnectJitter < 1, "reconnectJitter must be in [0, 1), was "
                + reconnectJitter);
        requirePositive("connectTimeout", connectTimeout);
        requirePositive("handshakeTimeout", handshakeTimeout);
        requirePositive("shutdownTimeout", shutdownTimeout);
        require(ioThreads > 0, "ioThreads must be > 0, was " + ioThreads);
    }

    /** A builder with every default, for {@code self} listening on {@code bindAddress}. */
    public static Builder builder(PeerId self, InetSocketAddress bindAddress, PeerDirectory directory) {
        return new Builder(self, bindAddress, directory);
    }

    /** Whether connections use TLS. */
    public boolean tlsEnabled() {
        return tls != null;
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException(message);
        }
    }

    private static void requirePositive(String name, Duration d) {
        Objects.requireNonNull(d, name);
        require(!d.isNegative() && !d.isZero(), name + " must be > 0, was " + d);
    }

    /** Mutable builder; {@link #build()} validates. */
    public static final class Builder {
        private final PeerId self;
        private final InetSocketAddress bindAddress;
        private final PeerDirectory directory;
        private int maxFrameBytes = FrameCodec.DEFAULT_MAX_FRAME_BYTES;
        private int lowWaterMarkBytes = 512 << 10;
        private int highWaterMarkBytes = 2 << 20;
        private long maxPendingBytes = 128L << 20;
        private int socketBufferBytes;
        private Duration reconnectMinBackoff = Duration.ofMillis(50);
        private Duration reconnectMaxBackoff = Duration.ofSeconds(2);
        private double reconnectJitter = 0.2;
        private long jitterSeed = 0x5eed;
        private Duration connectTimeout = Duration.ofSeconds(3);
        private Duration handshakeTimeout = Duration.ofSeconds(10);
        private Duration shutdownTimeout = Duration.ofSeconds(3);
        private int ioThreads = 1;
        private TlsSettings tls;

        private Builder(PeerId self, InetSocketAddress bindAddress, PeerDirectory directory) {
            this.self = self;
            this.bindAddress = bindAddress;
            this.directory = directory;
        }

        /** Default {@link FrameCodec#DEFAULT_MAX_FRAME_BYTES} (64 MiB). */
        public Builder maxFrameBytes(int bytes) {
            this.maxFrameBytes = bytes;
            return this;
        }

        /** Defaults 512 KiB and 2 MiB: a few batches of a few hundred KB in flight per peer. */
        public Builder writeBufferWaterMark(int lowBytes, int highBytes) {
            this.lowWaterMarkBytes = lowBytes;
            this.highWaterMarkBytes = highBytes;
            return this;
        }

        /** Default 128 MiB: only a sender ignoring writability reaches it. */
        public Builder maxPendingBytes(long bytes) {
            this.maxPendingBytes = bytes;
            return this;
        }

        /** Default 0: the operating system's default (and autotuning). */
        public Builder socketBufferBytes(int bytes) {
            this.socketBufferBytes = bytes;
            return this;
        }

        /** Defaults 50 ms doubling to 2 s. */
        public Builder reconnectBackoff(Duration min, Duration max) {
            this.reconnectMinBackoff = min;
            this.reconnectMaxBackoff = max;
            return this;
        }

        /** Defaults 0.2 (each delay is drawn from [0.8, 1.2] times its nominal value) and seed 0x5eed. */
        public Builder reconnectJitter(double fraction, long seed) {
            this.reconnectJitter = fraction;
            this.jitterSeed = seed;
            return this;
        }

        /** Default 3 s. */
        public Builder connectTimeout(Duration timeout) {
            this.connectTimeout = timeout;
            return this;
        }

        /** Default 10 s. */
        public Builder handshakeTimeout(Duration timeout) {
            this.handshakeTimeout = timeout;
            return this;
        }

        /** Default 3 s. */
        public Builder shutdownTimeout(Duration timeout) {
            this.shutdownTimeout = timeout;
            return this;
        }

        /** Default 1: one replica's link to a handful of peers keeps one event loop far from busy. */
        public Builder ioThreads(int threads) {
            this.ioThreads = threads;
            return this;
        }

        /** Default null: plain TCP. */
        public Builder tls(TlsSettings settings) {
            this.tls = settings;
            return this;
        }

        public NettyTransportConfig build() {
            return new NettyTransportConfig(self, bindAddress, directory, maxFrameBytes, lowWaterMarkBytes,
                    highWaterMarkBytes, maxPendingBytes, socketBufferBytes, reconnectMinBackoff,
                    reconnectMaxBackoff, reconnectJitter, jitterSeed, connectTimeout, handshakeTimeout,
                    shutdownTimeout, ioThreads, tls);
        }
    }
}
