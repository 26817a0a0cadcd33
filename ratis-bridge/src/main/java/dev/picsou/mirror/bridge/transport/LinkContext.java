package dev.picsou.mirror.bridge.transport;

import dev.picsou.mirror.bridge.wire.FrameCodec;
import io.netty.handler.ssl.SslContext;

/**
 * What the server and the outbound links of one {@link NettyTransport} share. Immutable; every member is
 * thread-safe.
 *
 * @param listener the transport's listener, already guarded so nothing reaches it after close
 * @param tls      the TLS contexts, or null for plain TCP
 */
record LinkContext(NettyTransportConfig config, FrameCodec codec, FrameEncoder encoder, TransportMetrics metrics,
                   TransportListener listener, WritabilityReporter reporter, TlsContexts tls) {

    SslContext clientSsl() {
        return tls == null ? null : tls.client();
    }

    SslContext serverSsl() {
        return tls == null ? null : tls.server();
    }
}
