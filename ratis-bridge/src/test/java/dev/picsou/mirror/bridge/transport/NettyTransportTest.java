package dev.picsou.mirror.bridge.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.picsou.mirror.bridge.model.DataFrame;
import dev.picsou.mirror.bridge.model.Frame;
import dev.picsou.mirror.bridge.wire.FrameCodec;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What only the TCP transport does: refusing bad bytes from the network, connection by connection. */
class NettyTransportTest {
    static {
        TestLogging.quiet();
    }

    private static final PeerId EAST0 = new PeerId("east", 0);
    private static final PeerId WEST1 = new PeerId("west", 1);
    private static final PeerId ROGUE = new PeerId("east", 5);
    private static final Duration PATIENCE = Duration.ofSeconds(20);
    private static final int MAX_FRAME_BYTES = 1 << 20;

    private final PeerDirectory directory = new PeerDirectory();
    private final List<NettyTransport> opened = new ArrayList<>();
    private final RecordingListener la = new RecordingListener();
    private final RecordingListener lb = new RecordingListener();
    private NettyTransport a;
    private NettyTransport b;

    @BeforeEach
    void startTwoReplicas() {
        a = open(EAST0, la);
        b = open(WEST1, lb);
        await().atMost(PATIENCE).until(() -> a.isWritable(WEST1));
    }

    @AfterEach
    void closeAll() {
        opened.forEach(NettyTransport::close);
    }

    private NettyTransport open(PeerId self, TransportListener listener) {
        NettyTransportConfig config = NettyTransportConfig.builder(self, new InetSocketAddress("127.0.0.1", 0),
                        directory)
                .maxFrameBytes(MAX_FRAME_BYTES)
                .ioThreads(1)
                .build();
        NettyTransport t = new NettyTransport(config, listener);
        t.start();
        directory.register(self, t.boundAddress());
        opened.add(t);
        return t;
    }

    @Test
    void withOneIoThreadTheSharedEventLoopIsTheThreadThatDeliversFrames() throws Exception {
        PeerId self = new PeerId("west", 2);
        AtomicReference<Thread> deliveredOn = new AtomicReference<>();
        NettyTransport c = open(self, new TransportListener() {
            @Override
            public void onFrame(PeerId from, Frame frame) {
                deliveredOn.compareAndSet(null, Thread.currentThread());
            }

            @Override
            public void onWritabilityChanged(PeerId peer, boolean writable) {
            }
        });
        Optional<ScheduledExecutorService> loop = c.sharedEventLoop();
        assertThat(loop).isPresent();
        CompletableFuture<Thread> taskRanOn = new CompletableFuture<>();
        loop.get().execute(() -> taskRanOn.complete(Thread.currentThread()));

        await().atMost(PATIENCE).until(() -> a.isWritable(self));
        a.send(self, SampleFrames.data(EAST0, self, 1, 32));
        await().atMost(PATIENCE).until(() -> deliveredOn.get() != null);
        assertThat(taskRanOn.get(20, TimeUnit.SECONDS)).isSameAs(deliveredOn.get());
    }

    @Test
    void noSharedEventLoopBeforeStartNorWithSeveralIoThreads() {
        NettyTransport two = unstarted(new PeerId("west", 3), 2);
        assertThat(two.sharedEventLoop()).isEmpty();
        two.start();
        assertThat(two.sharedEventLoop()).isEmpty();

        NettyTransport one = unstarted(new PeerId("west", 4), 1);
        assertThat(one.sharedEventLoop()).isEmpty();
        one.start();
        assertThat(one.sharedEventLoop()).isPresent();
        one.close();
        assertThat(one.sharedEventLoop()).isEmpty();
    }

    private NettyTransport unstarted(PeerId self, int ioThreads) {
        NettyTransport t = new NettyTransport(NettyTransportConfig.builder(self,
                new InetSocketAddress("127.0.0.1", 0), directory).ioThreads(ioThreads).build(), lb);
        opened.add(t);
        return t;
    }

    @Test
    void aFrameWithABadCrcClosesItsConnectionAndOthersKeepWorking() throws IOException {
        byte[] frame = encode(SampleFrames.data(ROGUE, WEST1, 1, 32));
        frame[frame.length - 1] ^= 0x01;

        try (Socket raw = rawClientOf(b)) {
            write(raw, Hello.toBytes(ROGUE), frame);
            assertClosedByPeer(raw);
        }

        assertThat(b.metrics().decodeErrors()).isEqualTo(1);
        assertThat(b.metrics().framesReceived()).isZero();
        a.send(WEST1, SampleFrames.data(EAST0, WEST1, 7, 32));
        await().atMost(PATIENCE).until(() -> lb.count() == 1);
        assertThat(lb.received).extracting(RecordingListener.Received::from).containsExactly(EAST0);
    }

    @Test
    void framesDecodedBeforeAMalformedOneArriveAndNothingAfterIt() throws IOException {
        byte[] good = encode(SampleFrames.data(ROGUE, WEST1, 1, 32));
        byte[] bad = encode(SampleFrames.data(ROGUE, WEST1, 2, 32));
        bad[10] = (byte) 0x80; // unknown flag bit: the CRC covers it, so this also fails the CRC
        byte[] after = encode(SampleFrames.data(ROGUE, WEST1, 3, 32));

        try (Socket raw = rawClientOf(b)) {
            write(raw, Hello.toBytes(ROGUE), good, bad, after);
            assertClosedByPeer(raw);
        }

        assertThat(lb.framesFrom(ROGUE)).extracting(f -> ((DataFrame) f).entries().get(0).entry().seq())
                .containsExactly(1L);
        assertThat(b.metrics().decodeErrors()).isEqualTo(1);
    }

    @Test
    void garbageInsteadOfAPreambleClosesTheConnection() throws IOException {
        try (Socket raw = rawClientOf(b)) {
            write(raw, "GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            assertClosedByPeer(raw);
        }
        assertThat(b.metrics().decodeErrors()).isEqualTo(1);
        assertThat(lb.received).isEmpty();
    }

    @Test
    void anOversizedLengthPrefixIsRefusedFromThePrefixAlone() throws IOException {
        // Only the prefix and four body bytes are ever written: the server must refuse without waiting for (or
        // buffering) the 2 GiB it announces.
        byte[] prefix = ByteBuffer.allocate(8).putInt(Integer.MAX_VALUE - 8).putInt(FrameCodec.MAGIC).array();
        try (Socket raw = rawClientOf(b)) {
            write(raw, Hello.toBytes(ROGUE), prefix);
            assertClosedByPeer(raw);
        }
        assertThat(b.metrics().decodeErrors()).isEqualTo(1);
        assertThat(lb.received).isEmpty();
    }

    @Test
    void aLengthPrefixOneByteOverTheMaximumIsRefused() throws IOException {
        byte[] prefix = ByteBuffer.allocate(4).putInt(MAX_FRAME_BYTES - 4 + 1).array();
        try (Socket raw = rawClientOf(b)) {
            write(raw, Hello.toBytes(ROGUE), prefix);
            assertClosedByPeer(raw);
        }
        assertThat(b.metrics().decodeErrors()).isEqualTo(1);
    }

    @Test
    void aNegativeLengthPrefixIsRefused() throws IOException {
        byte[] prefix = ByteBuffer.allocate(4).putInt(-1).array();
        try (Socket raw = rawClientOf(b)) {
            write(raw, Hello.toBytes(ROGUE), prefix);
            assertClosedByPeer(raw);
        }
        assertThat(b.metrics().decodeErrors()).isEqualTo(1);
    }

    @Test
    void aFrameFromAnotherReplicaThanThePreambleNamedClosesTheConnection() throws IOException {
        PeerId impostor = new PeerId("east", 6);
        try (Socket raw = rawClientOf(b)) {
            write(raw, Hello.toBytes(ROGUE), encode(SampleFrames.data(impostor, WEST1, 1, 8)));
            assertClosedByPeer(raw);
        }
        assertThat(b.metrics().decodeErrors()).isEqualTo(1);
        assertThat(lb.received).isEmpty();
    }

    @Test
    void aWellFormedRawClientIsAttributedToThePeerItsPreambleNames() throws IOException {
        try (Socket raw = rawClientOf(b)) {
            write(raw, Hello.toBytes(ROGUE), encode(SampleFrames.data(ROGUE, WEST1, 42, 8)));
            await().atMost(PATIENCE).until(() -> lb.count() == 1);
        }
        assertThat(lb.framesFrom(ROGUE)).hasSize(1);
        assertThat(b.metrics().decodeErrors()).isZero();
    }

    @Test
    void metricsCountFramesBytesAndReconnects() {
        DataFrame frame = SampleFrames.data(EAST0, WEST1, 1, 100);
        a.send(WEST1, frame);
        await().atMost(PATIENCE).until(() -> lb.count() == 1);

        int size = FrameCodec.encodedSize(frame);
        assertThat(a.metrics().framesSent()).isEqualTo(1);
        assertThat(a.metrics().bytesSent()).isEqualTo(size);
        assertThat(b.metrics().framesReceived()).isEqualTo(1);
        assertThat(b.metrics().bytesReceived()).isEqualTo(size);
        assertThat(a.metrics().connects()).isEqualTo(1);

        b.close();
        await().atMost(PATIENCE).until(() -> !a.isWritable(WEST1));
        a.send(WEST1, frame);
        assertThat(a.metrics().framesDropped()).isEqualTo(1);
        await().atMost(PATIENCE).until(() -> a.metrics().reconnectAttempts() >= 2);
    }

    @Test
    void closeIsBoundedAndIdempotent() {
        long start = System.nanoTime();
        a.close();
        a.close();
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
        assertThat(a.isWritable(WEST1)).isFalse();
        a.send(WEST1, SampleFrames.data(EAST0, WEST1, 1, 1)); // dropped, no exception
    }

    private static byte[] encode(DataFrame frame) {
        ByteBuffer buf = new FrameCodec().encode(frame);
        byte[] bytes = new byte[buf.remaining()];
        buf.get(bytes);
        return bytes;
    }

    private static Socket rawClientOf(NettyTransport server) throws IOException {
        Socket socket = new Socket();
        socket.connect(server.boundAddress(), 5_000);
        socket.setSoTimeout((int) PATIENCE.toMillis());
        return socket;
    }

    private static void write(Socket socket, byte[]... chunks) throws IOException {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        for (byte[] chunk : chunks) {
            all.write(chunk);
        }
        OutputStream out = socket.getOutputStream();
        out.write(all.toByteArray());
        out.flush();
    }

    /** Blocks (up to the socket timeout) until the server closes the connection. */
    private static void assertClosedByPeer(Socket socket) throws IOException {
        InputStream in = socket.getInputStream();
        try {
            assertThat(in.read()).as("the server closes the connection").isEqualTo(-1);
        } catch (SocketException reset) {
            // A reset is a close too (the server closed with unread bytes in its receive buffer).
        }
    }
}
