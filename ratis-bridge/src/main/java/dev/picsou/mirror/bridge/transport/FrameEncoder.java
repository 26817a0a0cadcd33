package dev.picsou.mirror.bridge.transport;

import dev.picsou.mirror.bridge.model.Frame;
import dev.picsou.mirror.bridge.wire.FrameCodec;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Encodes each {@link Frame} straight into one buffer of the channel's (pooled) allocator, sized exactly with
 * {@link FrameCodec#encodedSize}: the codec writes through an NIO view of the buffer's memory, so there is no
 * intermediate array and no copy. Other messages (the preamble) pass through. Stateless and sharable.
 */
@ChannelHandler.Sharable
final class FrameEncoder extends ChannelOutboundHandlerAdapter {
    private static final Logger log = LoggerFactory.getLogger(FrameEncoder.class);

    private final FrameCodec codec;
    private final TransportMetrics metrics;

    FrameEncoder(FrameCodec codec, TransportMetrics metrics) {
        this.codec = codec;
        this.metrics = metrics;
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (!(msg instanceof Frame frame)) {
            ctx.write(msg, promise);
            return;
        }
        ByteBuf buf = null;
        try {
            int size = FrameCodec.encodedSize(frame);
            buf = ctx.alloc().ioBuffer(size, size);
            codec.encode(frame, buf.nioBuffer(buf.writerIndex(), size));
            buf.writerIndex(buf.writerIndex() + size);
            metrics.onFrameSent(size);
            ByteBuf encoded = buf;
            buf = null;
            ctx.write(encoded, promise);
        } catch (RuntimeException e) {
            if (buf != null) {
                buf.release();
            }
            metrics.onEncodeError();
            log.error("dropping a {} to {}: cannot encode it", frame.getClass().getSimpleName(),
                    ctx.channel().remoteAddress(), e);
            if (!promise.isVoid()) {
                promise.tryFailure(e);
            }
        }
    }
}
