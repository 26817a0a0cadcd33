package dev.picsou.mirror.bridge.transport;

import dev.picsou.mirror.bridge.model.Frame;
import dev.picsou.mirror.bridge.wire.FrameCodec;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.Future;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link Transport} over TCP with Netty (NIO), optionally with mutual TLS.
 *
 * <h2>Connections</h2>
 * Each transport listens on {@link NettyTransportConfig#bindAddress()} and opens one outbound connection to every
 * peer it sends to (created on the first {@link #send} or {@link #isWritable} for that peer). Frames travel only on
 * the connection their sender opened: a pair of replicas talking both ways uses two connections, one per
 * direction. Each outbound connection starts with a {@link Hello} preamble naming the sender ({@code PCSH},
 * version, replica, site), so the server attributes every frame on it to that peer and drops the connection when
 * a frame's {@code from} disagrees. A lost or refused connection is retried with exponential backoff (by default
 * 50 ms doubling to 2 s, with seeded jitter); meanwhile frames to that peer are dropped and counted, and the peer
 * is not writable.
 *
 * <h2>Wire and buffers</h2>
 * Frames are {@link FrameCodec} frames, encoded straight into pooled buffers. Inbound, a length-field decoder with
 * the configured maximum frame size delimits them (a prefix over the maximum closes the connection without
 * buffering the body), {@link FrameCodec#decode} checks them, and a malformed frame closes the connection and is
 * never delivered. Sends from any thread go through a per-peer lock-free queue that the event loop drains in one
 * task with one flush per burst.
 *
 * <h2>Backpressure</h2>
 * Writability is the outbound channel's writability against the configured write-buffer water marks; changes are
 * reported through {@link TransportListener#onWritabilityChanged}. A sender that ignores it is bounded by
 * {@link NettyTransportConfig#maxPendingBytes()} per peer, above which frames are dropped and counted. Receiving is
 * not throttled: the listener must enqueue without blocking.
 *
 * <h2>Threading</h2>
 * {@link #send}, {@link #isWritable} and {@link #metrics} may be called from any thread. Listener callbacks run on
 * the event loops: {@code onFrame} on the loop of the inbound connection (so frames from one peer arrive in
 * order), peer up/down and writability on the loop of the outbound connection to that peer. Nothing reaches the
 * listener after {@link #close()} has started.
 */
public final class NettyTransport implements Transport {
    private static final Logger log = LoggerFactory.getLogger(NettyTransport.class);

    /** Lifecycle of the transport. */
    private enum Lifecycle {
        /** Constructed; {@link #start()} not yet called. */
        NEW,
        /** Listening and connecting. */
        STARTED,
        /** Closed or closing; sends are dropped. */
        CLOSED
    }

    private final NettyTransportConfig config;
    private final TransportListener listener;
    private final TransportMetrics metrics = new TransportMetrics();
    private final ConcurrentHashMap<PeerId, LinkClient> links = new ConcurrentHashMap<>();
    private final AtomicReference<Lifecycle> lifecycle = new AtomicReference<>(Lifecycle.NEW);
    private final WritabilityReporter reporter;
    private volatile EventLoopGroup group;
    private volatile LinkContext ctx;
    private volatile LinkServer server;
    private volatile InetSocketAddress boundAddress;

    public NettyTransport(NettyTransportConfig config, TransportListener listener) {
        this.config = Objects.requireNonNull(config, "config");
        TransportListener target = Objects.requireNonNull(listener, "listener");
        this.listener = new ClosedGuard(target);
        this.reporter = new WritabilityReporter(this.listener, this::writableNow);
    }

    /** A factory for decorators: {@code listener -> new NettyTransport(config, listener)}. */
    public static TransportFactory factory(NettyTransportConfig config) {
        return l -> new NettyTransport(config, l);
    }

    @Override
    public PeerId self() {
        return config.self();
    }

    /** The configuration this transport runs with. */
    public NettyTransportConfig config() {
        return config;
    }

    /** Counters of this endpoint. */
    public TransportMetrics metrics() {
        return metrics;
    }

    /**
     * Where the server listens, with the real port when port 0 was configured.
     *
     * @throws IllegalStateException before {@link #start()}
     */
    public InetSocketAddress boundAddress() {
        InetSocketAddress address = boundAddress;
        if (address == null) {
            throw new IllegalStateException(config.self() + " is not started");
        }
        return address;
    }

    @Override
    public void start() {
        if (!lifecycle.compareAndSet(Lifecycle.NEW, Lifecycle.STARTED)) {
            throw new IllegalStateException(config.self() + " cannot start: it is " + lifecycle.get());
        }
        TlsContexts tls = config.tlsEnabled() ? TlsContexts.build(config.tls()) : null;
        FrameCodec codec = new FrameCodec(config.maxFrameBytes());
        LinkContext context = new LinkContext(config, codec, new FrameEncoder(codec, metrics), metrics, listener,
                reporter, tls);
        EventLoopGroup loops = new MultiThreadIoEventLoopGroup(config.ioThreads(),
                new DefaultThreadFactory("picsou-net-" + config.self().siteId() + "-" + config.self().replica(),
                        true),
                NettyIo.current().handlerFactory());
        LinkServer listening = new LinkServer(context);
        try {
            boundAddress = listening.bind(loops);
        } catch (RuntimeException e) {
            lifecycle.set(Lifecycle.CLOSED);
            loops.shutdownGracefully(0, config.shutdownTimeout().toMillis(), TimeUnit.MILLISECONDS);
            throw e;
        }
        this.ctx = context;
        this.group = loops;
        this.server = listening;
        log.info("{} listening on {}{}", config.self(), boundAddress, tls == null ? "" : " (TLS)");
    }

    @Override
    public void send(PeerId peer, Frame frame) {
        int size = Transports.checkSend(config.self(), peer, frame, config.maxFrameBytes());
        Lifecycle now = lifecycle.get();
        if (now != Lifecycle.STARTED) {
            if (now == Lifecycle.NEW) {
                throw new IllegalStateException(config.self() + " is not started");
            }
            metrics.onFrameDropped();
            return;
        }
        LinkClient link = link(peer);
        if (link == null) {
            metrics.onFrameDropped();
            return;
        }
        link.send(frame, size);
    }

    /** The event loop, when the transport runs on exactly one ({@code ioThreads} 1, the default). */
    @Override
    public Optional<ScheduledExecutorService> sharedEventLoop() {
        EventLoopGroup loops = group;
        if (loops == null || config.ioThreads() != 1 || lifecycle.get() != Lifecycle.STARTED) {
            return Optional.empty();
        }
        return Optional.of(loops.next());
    }

    @Override
    public boolean isWritable(PeerId peer) {
        if (lifecycle.get() != Lifecycle.STARTED || peer.equals(config.self())) {
            return false;
        }
        LinkClient link = link(peer);
        if (link != null && link.isWritable()) {
            return true;
        }
        reporter.observedNotWritable(peer);
        return false;
    }

    /** Writability without side effects, for the reporter. */
    private boolean writableNow(PeerId peer) {
        LinkClient link = links.get(peer);
        return lifecycle.get() == Lifecycle.STARTED && link != null && link.isWritable();
    }

    /** The link to {@code peer}, created (and started) if needed; null once closed. */
    private LinkClient link(PeerId peer) {
        LinkClient link = links.get(peer);
        if (link != null) {
            return link;
        }
        EventLoopGroup loops = group;
        LinkContext context = ctx;
        if (loops == null || context == null || lifecycle.get() != Lifecycle.STARTED) {
            return null;
        }
        // Started only once the map holds it: a connection that completes at once refreshes the reporter, which
        // reads the link from the map (inside computeIfAbsent it is not there yet, the true report was lost, and a
        // caller that then saw isWritable() true never got one).
        LinkClient[] created = new LinkClient[1];
        link = links.computeIfAbsent(peer, p -> created[0] = new LinkClient(p, loops.next(), context));
        if (created[0] != null) {
            created[0].start();
        }
        return link;
    }

    @Override
    public void close() {
        Lifecycle before = lifecycle.getAndSet(Lifecycle.CLOSED);
        if (before != Lifecycle.STARTED) {
            return;
        }
        long deadline = System.nanoTime() + config.shutdownTimeout().toNanos();
        List<Future<?>> closing = new ArrayList<>();
        for (LinkClient link : links.values()) {
            closing.add(link.close());
        }
        closing.add(server.close());
        for (Future<?> f : closing) {
            f.awaitUninterruptibly(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        }
        long remaining = Math.max(0, deadline - System.nanoTime());
        Future<?> terminated = group.shutdownGracefully(0, TimeUnit.NANOSECONDS.toMillis(remaining),
                TimeUnit.MILLISECONDS);
        if (!terminated.awaitUninterruptibly(remaining + TimeUnit.MILLISECONDS.toNanos(200),
                TimeUnit.NANOSECONDS)) {
            log.warn("{}: event loops did not stop within {}", config.self(), config.shutdownTimeout());
        }
        log.info("{} closed: {}", config.self(), metrics);
    }

    @Override
    public String toString() {
        return "NettyTransport[" + config.self() + " @ " + boundAddress + ", " + lifecycle.get() + "]";
    }

    /** Forwards to the listener until the transport is closed, then swallows everything. */
    private final class ClosedGuard implements TransportListener {
        private final TransportListener target;

        ClosedGuard(TransportListener target) {
            this.target = target;
        }

        private boolean open() {
            return lifecycle.get() == Lifecycle.STARTED;
        }

        @Override
        public void onFrame(PeerId from, Frame frame) {
            if (open()) {
                target.onFrame(from, frame);
            }
        }

        @Override
        public void onWritabilityChanged(PeerId peer, boolean writable) {
            if (open()) {
                target.onWritabilityChanged(peer, writable);
            }
        }

        @Override
        public void onPeerDown(PeerId peer) {
            if (open()) {
                target.onPeerDown(peer);
            }
        }

        @Override
        public void onPeerUp(PeerId peer) {
            if (open()) {
                target.onPeerUp(peer);
            }
        }
    }
}
