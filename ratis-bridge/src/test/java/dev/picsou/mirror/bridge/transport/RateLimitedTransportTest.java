package dev.picsou.mirror.bridge.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.picsou.mirror.bridge.model.DataFrame;
import dev.picsou.mirror.bridge.wire.FrameCodec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The WAN emulator over the in-memory hub. Timing assertions are generous bounds computed from bytes. */
class RateLimitedTransportTest {
    static {
        TestLogging.quiet();
    }

    private static final PeerId EAST0 = new PeerId("east", 0);
    private static final PeerId WEST1 = new PeerId("west", 1);
    private static final PeerId WEST2 = new PeerId("west", 2);
    private static final Duration PATIENCE = Duration.ofSeconds(20);

    private final InMemoryHub hub = new InMemoryHub(64 << 20, 128 << 20);
    private final List<Transport> opened = new ArrayList<>();

    @AfterEach
    void closeAll() {
        opened.forEach(Transport::close);
        hub.close();
    }

    private RateLimitedTransport limited(PeerId self, TransportListener listener, RateLimit limit) {
        RateLimitedTransport t = new RateLimitedTransport(hub.factory(self), listener, limit);
        t.start();
        opened.add(t);
        return t;
    }

    private void plain(PeerId self, TransportListener listener) {
        InMemoryTransport t = hub.endpoint(self, listener);
        t.start();
        opened.add(t);
    }

    @Test
    void aBurstLeavesAtTheConfiguredRate() {
        long rate = 2 << 20; // 2 MiB/s
        long burst = 32 << 10;
        RecordingListener lb = new RecordingListener();
        RateLimitedTransport a = limited(EAST0, new RecordingListener(),
                new RateLimit(rate, burst, Duration.ZERO, Long.MAX_VALUE, RateLimit.Scope.PER_PEER));
        plain(WEST1, lb);
        await().atMost(PATIENCE).until(() -> a.isWritable(WEST1));

        byte[] payload = new byte[32 << 10];
        int frames = 64;
        long bytes = 0;
        long start = System.nanoTime();
        for (int i = 1; i <= frames; i++) {
            DataFrame frame = SampleFrames.data(EAST0, WEST1, i, payload);
            bytes += FrameCodec.encodedSize(frame);
            a.send(WEST1, frame);
        }
        await().atMost(PATIENCE).until(() -> lb.count() == frames);

        // Everything but the initial burst must wait for tokens: the expected time is (bytes - burst) / rate.
        double seconds = (lb.received.get(frames - 1).atNanos() - start) / 1e9;
        double expectedSeconds = (double) (bytes - burst) / rate;
        assertThat(seconds).as("elapsed for %d bytes at %d B/s", bytes, rate)
                .isBetween(expectedSeconds / 1.5, expectedSeconds / 0.5);
        assertThat(a.bytesReleased()).isEqualTo(bytes);
    }

    @Test
    void theOneWayDelayIsAddedToEveryFrame() {
        RecordingListener lb = new RecordingListener();
        RateLimitedTransport a = limited(EAST0, new RecordingListener(),
                new RateLimit(1 << 30, 1 << 20, Duration.ofMillis(150), Long.MAX_VALUE, RateLimit.Scope.PER_PEER));
        plain(WEST1, lb);

        long sentAt = System.nanoTime();
        a.send(WEST1, SampleFrames.data(EAST0, WEST1, 1, 10));
        await().atMost(PATIENCE).until(() -> lb.count() == 1);
        assertThat(Duration.ofNanos(lb.received.get(0).atNanos() - sentAt))
                .isGreaterThanOrEqualTo(Duration.ofMillis(150));
    }

    @Test
    void writabilityTurnsFalseWhenTheQueueIsOverItsBoundAndTrueOnceItDrains() {
        RecordingListener la = new RecordingListener();
        RecordingListener lb = new RecordingListener();
        long bound = 64 << 10;
        RateLimitedTransport a = limited(EAST0, la,
                new RateLimit(256 << 10, 8 << 10, Duration.ZERO, bound, RateLimit.Scope.PER_PEER));
        plain(WEST1, lb);
        await().atMost(PATIENCE).until(() -> a.isWritable(WEST1) && la.lastWritable(WEST1));

        byte[] payload = new byte[16 << 10];
        int sent = 0;
        while (a.isWritable(WEST1) && sent < 1000) {
            sent++;
            a.send(WEST1, SampleFrames.data(EAST0, WEST1, sent, payload));
        }
        assertThat(sent).as("frames sent before the queue was full").isBetween(4, 10);
        assertThat(la.writability).contains(new RecordingListener.WritabilityEvent(WEST1, false));

        await().atMost(PATIENCE).until(() -> la.lastWritable(WEST1) && a.isWritable(WEST1));
        assertThat(a.queuedBytes(WEST1)).isLessThanOrEqualTo(bound / 2);
        int expected = sent;
        await().atMost(PATIENCE).until(() -> lb.count() == expected);
    }

    @Test
    void anUplinkBucketIsSharedByAllPeers() {
        RecordingListener la = new RecordingListener();
        RateLimitedTransport a = limited(EAST0, la,
                new RateLimit(256 << 10, 8 << 10, Duration.ZERO, 32 << 10, RateLimit.Scope.UPLINK));
        plain(WEST1, new RecordingListener());
        plain(WEST2, new RecordingListener());
        await().atMost(PATIENCE).until(() -> a.isWritable(WEST1) && a.isWritable(WEST2));

        byte[] payload = new byte[16 << 10];
        int sent = 0;
        while (a.isWritable(WEST1) && sent < 1000) {
            sent++;
            a.send(WEST1, SampleFrames.data(EAST0, WEST1, sent, payload));
        }
        assertThat(a.isWritable(WEST2)).as("the other peer shares the full uplink").isFalse();
        await().atMost(PATIENCE).until(() -> a.isWritable(WEST2) && la.lastWritable(WEST2));
    }
}
