package dev.picsou.mirror.bridge.transport;

import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * An in-process network for fast tests of the layers above the transport: {@link InMemoryTransport} endpoints
 * registered here exchange frames (by reference, no encoding) through one single-threaded executor, which is
 * therefore the only thread that calls {@link TransportListener#onFrame}. Delivery is FIFO over the whole hub, so
 * per-peer order holds; a listener that blocks stalls the whole hub, which is how tests emulate a slow reader.
 *
 * <p>Backpressure is emulated per (sender, peer) pair: bytes ({@code FrameCodec.encodedSize}) sent but not yet
 * delivered count against a high-water mark and a low-water mark, as a socket's outbound buffer would.
 */
public final class InMemoryHub implements AutoCloseable {
    /** Default pending bytes under which a pair turns writable again. */
    public static final int DEFAULT_LOW_WATER_MARK_BYTES = 256 << 10;
    /** Default pending bytes over which a pair turns not writable. */
    public static final int DEFAULT_HIGH_WATER_MARK_BYTES = 1 << 20;

    private final ExecutorService executor;
    private final ConcurrentHashMap<PeerId, InMemoryTransport> live = new ConcurrentHashMap<>();
    private final int lowWaterMarkBytes;
    private final int highWaterMarkBytes;

    /** A hub with the default water marks. */
    public InMemoryHub() {
        this(DEFAULT_LOW_WATER_MARK_BYTES, DEFAULT_HIGH_WATER_MARK_BYTES);
    }

    public InMemoryHub(int lowWaterMarkBytes, int highWaterMarkBytes) {
        if (lowWaterMarkBytes <= 0 || lowWaterMarkBytes > highWaterMarkBytes) {
            throw new IllegalArgumentException("need 0 < lowWaterMarkBytes <= highWaterMarkBytes, were "
                    + lowWaterMarkBytes + " and " + highWaterMarkBytes);
        }
        this.lowWaterMarkBytes = lowWaterMarkBytes;
        this.highWaterMarkBytes = highWaterMarkBytes;
        this.executor = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "picsou-inmemory-hub");
            t.setDaemon(true);
            return t;
        });
    }

    /** A new, not yet started endpoint for {@code self}. */
    public InMemoryTransport endpoint(PeerId self, TransportListener listener) {
        return new InMemoryTransport(this, self, listener);
    }

    /** A factory for decorators: {@code listener -> endpoint(self, listener)}. */
    public TransportFactory factory(PeerId self) {
        return listener -> endpoint(self, listener);
    }

    int lowWaterMarkBytes() {
        return lowWaterMarkBytes;
    }

    int highWaterMarkBytes() {
        return highWaterMarkBytes;
    }

    void register(InMemoryTransport endpoint) {
        InMemoryTransport previous = live.putIfAbsent(endpoint.self(), endpoint);
        if (previous != null) {
            throw new IllegalStateException(endpoint.self() + " is already running on this hub");
        }
        for (InMemoryTransport other : endpoints()) {
            other.onPeerChanged(endpoint.self());
        }
    }

    void unregister(InMemoryTransport endpoint) {
        if (live.remove(endpoint.self(), endpoint)) {
            for (InMemoryTransport other : endpoints()) {
                other.onPeerChanged(endpoint.self());
            }
        }
    }

    /** The running endpoint of {@code peer}, or null. */
    InMemoryTransport lookup(PeerId peer) {
        return live.get(peer);
    }

    /** Runs {@code task} on the hub thread; false if the hub is closed. */
    boolean execute(Runnable task) {
        try {
            executor.execute(Objects.requireNonNull(task));
            return true;
        } catch (RejectedExecutionException e) {
            return false;
        }
    }

    private Collection<InMemoryTransport> endpoints() {
        return List.copyOf(live.values());
    }

    /** Stops the hub thread; pending deliveries are discarded. Close the endpoints first. */
    @Override
    public void close() {
        executor.shutdownNow();
        try {
            executor.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
