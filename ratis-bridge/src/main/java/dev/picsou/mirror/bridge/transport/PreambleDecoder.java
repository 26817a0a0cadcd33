package dev.picsou.mirror.bridge.transport;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * First inbound handler after TLS: reads the {@link Hello} preamble, announces the peer with a
 * {@link PeerIdentified} user event, and removes itself (the bytes after the preamble flow on to the frame
 * decoder). A bad preamble, or none within the handshake timeout, closes the connection.
 */
final class PreambleDecoder extends ByteToMessageDecoder {
    private static final Logger log = LoggerFactory.getLogger(PreambleDecoder.class);

    /** Fired once per inbound connection when its preamble has been read. */
    record PeerIdentified(PeerId peer) {
    }

    private final TransportMetrics metrics;
    private final Duration timeout;
    private ScheduledFuture<?> timeoutTask;
    private boolean failed;

    PreambleDecoder(TransportMetrics metrics, Duration timeout) {
        this.metrics = metrics;
        this.timeout = timeout;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        timeoutTask = ctx.executor().schedule(() -> {
            log.warn("closing inbound connection from {}: no preamble within {}", ctx.channel().remoteAddress(),
                    timeout);
            ctx.close();
        }, timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    @Override
    protected void handlerRemoved0(ChannelHandlerContext ctx) {
        if (timeoutTask != null) {
            timeoutTask.cancel(false);
        }
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (failed) {
            in.skipBytes(in.readableBytes());
            return;
        }
        PeerId peer;
        try {
            peer = Hello.tryDecode(in);
        } catch (IllegalArgumentException e) {
            failed = true;
            in.skipBytes(in.readableBytes());
            metrics.onDecodeError();
            log.warn("closing inbound connection from {}: {}", ctx.channel().remoteAddress(), e.getMessage());
            ctx.close();
            return;
        }
        if (peer != null) {
            ctx.fireUserEventTriggered(new PeerIdentified(peer));
            ctx.pipeline().remove(this);
        }
    }
}
