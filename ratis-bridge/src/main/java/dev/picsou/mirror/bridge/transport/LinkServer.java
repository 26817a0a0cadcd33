package dev.picsou.mirror.bridge.transport;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.ImmediateEventExecutor;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

/**
 * The listening side of one transport: accepts connections from peers and builds, per connection, the inbound
 * pipeline
 * <pre>
 *   [tls: SslHandler] -> preamble: PreambleDecoder -> framing: LengthFieldBasedFrameDecoder
 *     -> frames: InboundFrameHandler -> listener.onFrame
 * </pre>
 * The length-field decoder refuses a prefix over {@code maxFrameBytes} (or negative) as soon as it reads it,
 * without buffering the body (fail-fast), and the connection is closed.
 */
final class LinkServer {
    private final LinkContext ctx;
    private final ChannelGroup inbound = new DefaultChannelGroup("picsou-inbound", ImmediateEventExecutor.INSTANCE);
    private Channel serverChannel;

    LinkServer(LinkContext ctx) {
        this.ctx = ctx;
    }

    /**
     * Binds the listening socket and waits for it.
     *
     * @throws TransportException if the address cannot be bound
     */
    InetSocketAddress bind(EventLoopGroup group) {
        NettyTransportConfig config = ctx.config();
        ServerBootstrap b = new ServerBootstrap()
                .group(group, group)
                .channel(NettyIo.current().serverChannel())
                .option(ChannelOption.SO_BACKLOG, 128)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.SO_KEEPALIVE, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        initInbound(ch);
                    }
                });
        if (config.socketBufferBytes() > 0) {
            b.option(ChannelOption.SO_RCVBUF, config.socketBufferBytes())
                    .childOption(ChannelOption.SO_SNDBUF, config.socketBufferBytes());
        }
        var bound = b.bind(config.bindAddress()).awaitUninterruptibly();
        if (!bound.isSuccess()) {
            throw new TransportException(config.self() + ": cannot listen on " + config.bindAddress() + ": "
                    + bound.cause().getMessage(), bound.cause());
        }
        serverChannel = bound.channel();
        return (InetSocketAddress) serverChannel.localAddress();
    }

    private void initInbound(SocketChannel ch) {
        NettyTransportConfig config = ctx.config();
        SslContext ssl = ctx.serverSsl();
        if (ssl != null) {
            SslHandler tls = ssl.newHandler(ch.alloc());
            tls.setHandshakeTimeout(config.handshakeTimeout().toMillis(), TimeUnit.MILLISECONDS);
            ch.pipeline().addLast("tls", tls);
        }
        ch.pipeline()
                .addLast("preamble", new PreambleDecoder(ctx.metrics(), config.handshakeTimeout()))
                .addLast("framing", new LengthFieldBasedFrameDecoder(config.maxFrameBytes(), 0,
                        Integer.BYTES, 0, 0, true))
                .addLast("frames", new InboundFrameHandler(ctx.codec(), ctx.listener(), ctx.metrics()));
        inbound.add(ch);
    }

    /** Stops accepting and closes every inbound connection; the future completes when all are closed. */
    Future<?> close() {
        if (serverChannel != null) {
            serverChannel.close();
        }
        return inbound.close();
    }
}
