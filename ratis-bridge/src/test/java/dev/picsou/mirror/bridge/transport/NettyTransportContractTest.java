package dev.picsou.mirror.bridge.transport;

import java.net.InetSocketAddress;
import java.time.Duration;

class NettyTransportContractTest extends TransportContractTest {
    private final PeerDirectory directory = new PeerDirectory();

    @Override
    protected Transport start(PeerId self, TransportListener listener) {
        NettyTransportConfig config = NettyTransportConfig.builder(self, new InetSocketAddress("127.0.0.1", 0),
                        directory)
                .ioThreads(2)
                .shutdownTimeout(Duration.ofSeconds(2))
                .build();
        NettyTransport t = new NettyTransport(config, listener);
        t.start();
        directory.register(self, t.boundAddress());
        return t;
    }
}
