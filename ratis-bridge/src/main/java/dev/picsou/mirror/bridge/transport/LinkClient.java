package dev.picsou.mirror.bridge.transport;

import dev.picsou.mirror.bridge.model.Frame;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.ImmediateEventExecutor;
import io.netty.util.concurrent.Promise;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.ClosedChannelException;
import java.util.Optional;
import java.util.Queue;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLHandshakeException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The outbound connection of one transport to one peer: connects, announces itself with the {@link Hello}
 * preamble, writes frames, and reconnects with jittered exponential backoff when the connection is lost or cannot
 * be made.
 *
 * <p>Threading: {@link #send}, {@link #isWritable} and {@link #close} may be called from any thread; everything
 * else runs on the link's one event loop, which owns the state. {@link #send} appends to a lock-free queue and
 * schedules at most one drain task at a time; the drain writes every queued frame and flushes once, so a burst
 * of sends costs one task and one flush (one syscall, or one TLS record batch).
 */
final class LinkClient {
    private static final Logger log = LoggerFactory.getLogger(LinkClient.class);

    /** Life of the connection to one peer. */
    enum ConnectionState {
        /** Created; the first connection attempt is about to be made. */
        IDLE,
        /** A TCP connect, and with TLS the handshake, is under way. */
        CONNECTING,
        /** Established: frames are written to the channel and the peer may be writable. */
        CONNECTED,
        /** The last attempt failed or the connection was lost; a reconnect is scheduled. */
        BACKOFF,
        /** The transport is closed; nothing happens any more. */
        CLOSED
    }

    private record Pending(Frame frame, int size) {
    }

    private final PeerId peer;
    private final EventLoop loop;
    private final LinkContext ctx;
    private final Queue<Pending> outbox = new ConcurrentLinkedQueue<>();
    private final AtomicLong outboxBytes = new AtomicLong();
    private final AtomicBoolean drainScheduled = new AtomicBoolean();
    /** Non-null exactly while CONNECTED. */
    private volatile Channel established;

    // Confined to the event loop.
    private final SplittableRandom jitter;
    private ConnectionState state = ConnectionState.IDLE;
    private Channel attempt;
    private long backoffNanos;
    private long establishedAtNanos;
    private Future<?> reconnectTask;

    LinkClient(PeerId peer, EventLoop loop, LinkContext ctx) {
        this.peer = peer;
        this.loop = loop;
        this.ctx = ctx;
        PeerId self = ctx.config().self();
        this.jitter = new SplittableRandom(ctx.config().jitterSeed() ^ (31L * self.siteId().hashCode()
                + self.replica()) * 0x9E3779B97F4A7C15L ^ (31L * peer.siteId().hashCode() + peer.replica()));
    }

    /** Makes the first connection attempt (asynchronously). */
    void start() {
        execute(this::connect);
    }

    /** Queues {@code frame} for the event loop, or drops it when the peer is not connected. Any thread. */
    void send(Frame frame, int size) {
        if (established == null || outboxBytes.get() > ctx.config().maxPendingBytes()) {
            ctx.metrics().onFrameDropped();
            return;
        }
        outbox.offer(new Pending(frame, size));
        long queued = outboxBytes.addAndGet(size);
        if (queued > ctx.config().highWaterMarkBytes() && queued - size <= ctx.config().highWaterMarkBytes()) {
            ctx.reporter().observedNotWritable(peer); // the event loop lags behind this sender
        }
        if (drainScheduled.compareAndSet(false, true)) {
            execute(this::drain);
        }
    }

    /**
     * Writable while connected, the channel is under its high-water mark, and the frames not yet handed to the
     * channel are under it too. Any thread.
     */
    boolean isWritable() {
        Channel ch = established;
        return ch != null && ch.isWritable() && outboxBytes.get() <= ctx.config().highWaterMarkBytes();
    }

    /**
     * Stops reconnecting, flushes what is queued, and closes the connection (TLS close_notify included).
     * Any thread; the future completes when the channel is closed.
     */
    Future<?> close() {
        Promise<Void> done = ImmediateEventExecutor.INSTANCE.newPromise();
        try {
            loop.execute(() -> closeOnLoop(done));
        } catch (RejectedExecutionException e) {
            done.trySuccess(null);
        }
        return done;
    }

    // ----------------------------------------------------------------------------------------- event loop

    private void connect() {
        if (state == ConnectionState.CLOSED) {
            return;
        }
        Optional<InetSocketAddress> address = ctx.config().directory().address(peer);
        if (address.isEmpty()) {
            scheduleReconnect("address unknown");
            return;
        }
        InetSocketAddress target = address.get();
        if (target.isUnresolved()) {
            // A host name: resolve it now (blocking, on the event loop; directories normally hold IP addresses).
            target = new InetSocketAddress(target.getHostString(), target.getPort());
            if (target.isUnresolved()) {
                scheduleReconnect("cannot resolve " + target.getHostString());
                return;
            }
        }
        InetSocketAddress remote = target;
        transitionTo(ConnectionState.CONNECTING, "dialling " + remote);
        // Register first and connect second, so attempt is set before any handler event of the channel fires.
        ChannelFuture registered = bootstrap(remote).register();
        Channel ch = registered.channel();
        attempt = ch;
        ch.closeFuture().addListener(f -> onClosed(ch));
        registered.addListener(r -> {
            if (!r.isSuccess()) {
                log.warn("{}: cannot register a channel to {}: {}", ctx.config().self(), peer, r.cause().toString());
                ch.close();
                return;
            }
            ch.connect(remote).addListener((ChannelFuture f) -> {
                if (!f.isSuccess()) {
                    log.debug("{}: connect to {} at {} failed: {}", ctx.config().self(), peer, remote,
                            f.cause().toString());
                    ch.close();
                }
            });
        });
    }

    private Bootstrap bootstrap(InetSocketAddress address) {
        NettyTransportConfig config = ctx.config();
        Bootstrap b = new Bootstrap()
                .group(loop)
                .channel(NettyIo.current().socketChannel())
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE,
                        config.connectTimeout().toMillis()))
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.SO_KEEPALIVE, true)
                .option(ChannelOption.WRITE_BUFFER_WATER_MARK,
                        new WriteBufferWaterMark(config.lowWaterMarkBytes(), config.highWaterMarkBytes()))
                .handler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        SslContext ssl = ctx.clientSsl();
                        if (ssl != null) {
                            SslHandler tls = ssl.newHandler(ch.alloc(), address.getHostString(),
                                    address.getPort());
                            tls.setHandshakeTimeout(config.handshakeTimeout().toMillis(), TimeUnit.MILLISECONDS);
                            ch.pipeline().addLast("tls", tls);
                        }
                        ch.pipeline().addLast("encoder", ctx.encoder());
                        ch.pipeline().addLast("client", new ClientHandler());
                    }
                });
        if (config.socketBufferBytes() > 0) {
            b.option(ChannelOption.SO_SNDBUF, config.socketBufferBytes())
                    .option(ChannelOption.SO_RCVBUF, config.socketBufferBytes());
        }
        return b;
    }

    private void onEstablished(Channel ch) {
        if (state == ConnectionState.CLOSED || ch != attempt) {
            ch.close();
            return;
        }
        establishedAtNanos = System.nanoTime();
        established = ch;
        transitionTo(ConnectionState.CONNECTED, "connected to " + ch.remoteAddress());
        ctx.metrics().onConnect();
        ctx.listener().onPeerUp(peer);
        ctx.reporter().refresh(peer);
    }

    private void onClosed(Channel ch) {
        if (ch != attempt) {
            return;
        }
        attempt = null;
        boolean wasUp = established == ch;
        established = null;
        dropQueued();
        if (wasUp) {
            // Only a connection that lasted resets the backoff: one refused right after its handshake (a TLS 1.3
            // client learns that its certificate was refused only then) keeps backing off.
            if (System.nanoTime() - establishedAtNanos >= ctx.config().reconnectMaxBackoff().toNanos()) {
                backoffNanos = 0;
            }
            log.info("{}: connection to {} lost", ctx.config().self(), peer);
            ctx.listener().onPeerDown(peer);
            ctx.reporter().refresh(peer);
        }
        if (state != ConnectionState.CLOSED) {
            scheduleReconnect(wasUp ? "connection lost" : "connect failed");
        }
    }

    private void scheduleReconnect(String reason) {
        NettyTransportConfig config = ctx.config();
        long min = config.reconnectMinBackoff().toNanos();
        backoffNanos = backoffNanos == 0 ? min : Math.min(backoffNanos * 2, config.reconnectMaxBackoff().toNanos());
        double spread = config.reconnectJitter();
        long delay = (long) (backoffNanos * (1 - spread + 2 * spread * jitter.nextDouble()));
        transitionTo(ConnectionState.BACKOFF, reason + "; retrying in " + TimeUnit.NANOSECONDS.toMillis(delay)
                + " ms");
        reconnectTask = loop.schedule(() -> {
            ctx.metrics().onReconnectAttempt();
            connect();
        }, delay, TimeUnit.NANOSECONDS);
    }

    private void drain() {
        drainScheduled.set(false);
        Channel ch = established;
        long hardBound = ctx.config().maxPendingBytes();
        int low = ctx.config().lowWaterMarkBytes();
        int written = 0;
        Pending p;
        while ((p = outbox.poll()) != null) {
            outboxBytes.addAndGet(-p.size());
            // Once a channel is over its high mark, bytesBeforeWritable() + low is its pending outbound bytes.
            if (ch == null || !ch.isActive() || !ch.isWritable() && ch.bytesBeforeWritable() + low > hardBound) {
                ctx.metrics().onFrameDropped();
                continue;
            }
            ch.write(p.frame(), ch.voidPromise());
            written++;
        }
        if (written > 0) {
            ch.flush();
        }
        // The outbox part of isWritable() may have changed; the channel reports its own part itself.
        ctx.reporter().refresh(peer);
    }

    private void dropQueued() {
        Pending p;
        while ((p = outbox.poll()) != null) {
            outboxBytes.addAndGet(-p.size());
            ctx.metrics().onFrameDropped();
        }
    }

    private void closeOnLoop(Promise<Void> done) {
        transitionTo(ConnectionState.CLOSED, "transport closing");
        if (reconnectTask != null) {
            reconnectTask.cancel(false);
        }
        Channel ch = attempt;
        if (ch == null) {
            dropQueued();
            done.trySuccess(null);
            return;
        }
        drain();
        ch.closeFuture().addListener(f -> done.trySuccess(null));
        ch.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(f -> ch.close());
    }

    private void transitionTo(ConnectionState next, String reason) {
        if (next == state) {
            log.trace("{} -> {}: still {} ({})", ctx.config().self(), peer, state, reason);
            return;
        }
        if (next == ConnectionState.CONNECTED || state == ConnectionState.CONNECTED) {
            log.info("{} -> {}: {} -> {} ({})", ctx.config().self(), peer, state, next, reason);
        } else {
            log.debug("{} -> {}: {} -> {} ({})", ctx.config().self(), peer, state, next, reason);
        }
        state = next;
    }

    private void execute(Runnable task) {
        try {
            loop.execute(task);
        } catch (RejectedExecutionException e) {
            log.debug("{} -> {}: event loop is shutting down; task not run", ctx.config().self(), peer);
        }
    }

    /** Inbound side of the outbound connection: establishment, writability, failures. */
    private final class ClientHandler extends ChannelInboundHandlerAdapter {
        private boolean handshakeFailed;

        @Override
        public void channelActive(ChannelHandlerContext chc) {
            chc.writeAndFlush(Hello.encode(ctx.config().self(), chc.alloc()));
            if (ctx.clientSsl() == null) {
                onEstablished(chc.channel());
            }
            chc.fireChannelActive();
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext chc, Object evt) {
            if (evt instanceof SslHandshakeCompletionEvent handshake) {
                if (handshake.isSuccess()) {
                    onEstablished(chc.channel());
                } else {
                    onHandshakeFailure(chc, handshake.cause());
                }
            }
            chc.fireUserEventTriggered(evt);
        }

        @Override
        public void channelRead(ChannelHandlerContext chc, Object msg) {
            // Frames flow one way on this connection; the peer answers on its own connection.
            ReferenceCountUtil.release(msg);
        }

        @Override
        public void channelWritabilityChanged(ChannelHandlerContext chc) {
            ctx.reporter().refresh(peer);
            chc.fireChannelWritabilityChanged();
        }

        /** Counts and logs one failed handshake per connection (TLS 1.3 may report it after "success"). */
        private void onHandshakeFailure(ChannelHandlerContext chc, Throwable cause) {
            if (handshakeFailed || cause instanceof ClosedChannelException) {
                return;
            }
            handshakeFailed = true;
            ctx.metrics().onHandshakeFailure();
            log.warn("{}: TLS handshake with {} at {} failed: {}", ctx.config().self(), peer,
                    chc.channel().remoteAddress(), cause.toString());
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext chc, Throwable cause) {
            if (cause.getCause() instanceof SSLHandshakeException refused) {
                onHandshakeFailure(chc, refused);
            } else if (cause instanceof IOException || cause.getCause() instanceof IOException) {
                log.debug("{}: connection to {} failed: {}", ctx.config().self(), peer, cause.toString());
            } else {
                log.warn("{}: connection to {} failed", ctx.config().self(), peer, cause);
            }
            chc.close();
        }
    }
}
