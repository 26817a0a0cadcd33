package dev.picsou.mirror.bridge.transport;

import dev.picsou.mirror.bridge.model.Frame;
import dev.picsou.mirror.bridge.wire.FrameCodec;
import dev.picsou.mirror.bridge.wire.FrameFormatException;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.util.ReferenceCountUtil;
import java.io.IOException;
import java.nio.channels.ClosedChannelException;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Last inbound handler of a server-side connection: decodes each length-delimited frame with {@link FrameCodec},
 * checks it comes from the replica the preamble named, and hands it to the listener. Any malformed input closes
 * the connection and nothing after it on that connection reaches the listener. Confined to one event loop.
 */
final class InboundFrameHandler extends ChannelInboundHandlerAdapter {
    private static final Logger log = LoggerFactory.getLogger(InboundFrameHandler.class);

    private final FrameCodec codec;
    private final TransportListener listener;
    private final TransportMetrics metrics;
    private PeerId peer;
    private boolean failed;

    InboundFrameHandler(FrameCodec codec, TransportListener listener, TransportMetrics metrics) {
        this.codec = codec;
        this.listener = listener;
        this.metrics = metrics;
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof PreambleDecoder.PeerIdentified identified) {
            peer = identified.peer();
            log.debug("inbound connection from {} is {}", ctx.channel().remoteAddress(), peer);
        } else if (evt instanceof SslHandshakeCompletionEvent handshake && !handshake.isSuccess()
                && !(handshake.cause() instanceof ClosedChannelException)) {
            metrics.onHandshakeFailure();
            log.warn("TLS handshake with inbound {} failed: {}", ctx.channel().remoteAddress(),
                    handshake.cause().toString());
        }
        ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ByteBuf buf = (ByteBuf) msg;
        try {
            if (failed) {
                return;
            }
            if (peer == null) {
                fail(ctx, "frame before the preamble");
                return;
            }
            int bytes = buf.readableBytes();
            Frame frame = codec.decode(buf.nioBuffer());
            if (frame.from() != peer.replica()) {
                fail(ctx, "frame from replica " + frame.from() + " on the connection of " + peer
                        + ": expected from=" + peer.replica());
                return;
            }
            metrics.onFrameReceived(bytes);
            listener.onFrame(peer, frame);
        } catch (FrameFormatException e) {
            fail(ctx, e.getMessage());
        } finally {
            ReferenceCountUtil.release(buf);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof DecoderException && !(cause.getCause() instanceof SSLException)) {
            // From the length-field decoder: a length prefix out of range (too long or negative). The decoder
            // refuses it from the prefix alone, before buffering the body.
            fail(ctx, cause.getMessage());
        } else if (cause instanceof IOException || cause.getCause() instanceof SSLException) {
            log.debug("inbound connection from {} ({}) failed: {}", ctx.channel().remoteAddress(), peer,
                    cause.toString());
            ctx.close();
        } else {
            log.warn("inbound connection from {} ({}) failed", ctx.channel().remoteAddress(), peer, cause);
            ctx.close();
        }
    }

    private void fail(ChannelHandlerContext ctx, String reason) {
        if (failed) {
            return;
        }
        failed = true;
        metrics.onDecodeError();
        log.warn("closing inbound connection from {} ({}): {}", ctx.channel().remoteAddress(),
                peer == null ? "unidentified" : peer, reason);
        ctx.close();
    }
}
