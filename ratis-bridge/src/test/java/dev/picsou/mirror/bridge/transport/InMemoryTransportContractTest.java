package dev.picsou.mirror.bridge.transport;

import org.junit.jupiter.api.AfterEach;

class InMemoryTransportContractTest extends TransportContractTest {
    private final InMemoryHub hub = new InMemoryHub();

    @Override
    protected Transport start(PeerId self, TransportListener listener) {
        InMemoryTransport t = hub.endpoint(self, listener);
        t.start();
        return t;
    }

    @AfterEach
    void closeHub() {
        hub.close();
    }
}
