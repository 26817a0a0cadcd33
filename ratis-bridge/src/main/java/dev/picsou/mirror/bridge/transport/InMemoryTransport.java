package dev.picsou.mirror.bridge.transport;

import dev.picsou.mirror.bridge.model.Frame;
import dev.picsou.mirror.bridge.wire.FrameCodec;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A {@link Transport} endpoint of an {@link InMemoryHub}. Same contract as {@link NettyTransport}: frames to a
 * peer that is not running are dropped and counted; the peer then reports down and not writable; a frame sent to
 * one incarnation of a peer is never delivered to the next one (as a TCP connection would not survive a restart).
 *
 * <p>Threading: {@code onFrame} and writability turning true are called on the hub thread; writability turning
 * false on the thread calling {@link #send}; peer up/down on the thread that starts or closes the peer, or that
 * first sends to (or asks about) it.
 */
public final class InMemoryTransport implements Transport {

    private enum Lifecycle {
        /** Constructed; not yet registered with the hub. */
        NEW,
        /** Registered: sends and receives. */
        STARTED,
        /** Unregistered; sends are dropped. */
        CLOSED
    }

    private final InMemoryHub hub;
    private final PeerId self;
    private final TransportListener listener;
    private final TransportMetrics metrics = new TransportMetrics();
    private final AtomicReference<Lifecycle> lifecycle = new AtomicReference<>(Lifecycle.NEW);
    private final ConcurrentHashMap<PeerId, Link> links = new ConcurrentHashMap<>();
    private final WritabilityReporter reporter;

    InMemoryTransport(InMemoryHub hub, PeerId self, TransportListener listener) {
        this.hub = Objects.requireNonNull(hub, "hub");
        this.self = Objects.requireNonNull(self, "self");
        this.listener = Objects.requireNonNull(listener, "listener");
        this.reporter = new WritabilityReporter(listener, this::writableNow);
    }

    @Override
    public PeerId self() {
        return self;
    }

    /** Counters of this endpoint (bytes are {@link FrameCodec#encodedSize}, as on the wire). */
    public TransportMetrics metrics() {
        return metrics;
    }

    @Override
    public void start() {
        if (!lifecycle.compareAndSet(Lifecycle.NEW, Lifecycle.STARTED)) {
            throw new IllegalStateException(self + " cannot start: it is " + lifecycle.get());
        }
        hub.register(this);
    }

    @Override
    public void send(PeerId peer, Frame frame) {
        int size = Transports.checkSend(self, peer, frame, FrameCodec.DEFAULT_MAX_FRAME_BYTES);
        Lifecycle now = lifecycle.get();
        if (now == Lifecycle.NEW) {
            throw new IllegalStateException(self + " is not started");
        }
        InMemoryTransport target = hub.lookup(peer);
        if (now == Lifecycle.CLOSED || target == null) {
            metrics.onFrameDropped();
            return;
        }
        Link link = link(peer);
        if (link.add(size)) {
            reporter.refresh(peer);
        }
        metrics.onFrameSent(size);
        boolean queued = hub.execute(() -> {
            try {
                if (!target.deliver(self, frame, size)) {
                    metrics.onFrameDropped();
                }
            } finally {
                if (link.remove(size)) {
                    reporter.refresh(peer);
                }
            }
        });
        if (!queued) {
            link.remove(size);
            metrics.onFrameDropped();
        }
    }

    @Override
    public boolean isWritable(PeerId peer) {
        if (lifecycle.get() != Lifecycle.STARTED || peer.equals(self)) {
            return false;
        }
        link(peer);
        if (writableNow(peer)) {
            return true;
        }
        reporter.observedNotWritable(peer);
        return false;
    }

    /** Writability without side effects, for the reporter. */
    private boolean writableNow(PeerId peer) {
        Link link = links.get(peer);
        return lifecycle.get() == Lifecycle.STARTED && link != null && link.up && link.belowMarks
                && hub.lookup(peer) != null;
    }

    @Override
    public void close() {
        if (lifecycle.getAndSet(Lifecycle.CLOSED) == Lifecycle.STARTED) {
            hub.unregister(this);
        }
    }

    /** On the hub thread: hands a frame to the listener if this incarnation still runs. */
    private boolean deliver(PeerId from, Frame frame, int size) {
        if (lifecycle.get() != Lifecycle.STARTED) {
            return false;
        }
        metrics.onFrameReceived(size);
        listener.onFrame(from, frame);
        return true;
    }

    /** {@code peer} started or stopped somewhere on the hub. */
    void onPeerChanged(PeerId peer) {
        Link link = links.get(peer);
        if (link != null && lifecycle.get() == Lifecycle.STARTED) {
            link.refreshUp();
        }
    }

    private Link link(PeerId peer) {
        Link link = links.get(peer);
        if (link == null) {
            link = links.computeIfAbsent(peer, Link::new);
            link.refreshUp();
        }
        return link;
    }

    @Override
    public String toString() {
        return "InMemoryTransport[" + self + ", " + lifecycle.get() + "]";
    }

    /** Pending bytes, water-mark state and liveness of the pair (this endpoint, peer). */
    private final class Link {
        private final PeerId peer;
        private long pendingBytes;
        private volatile boolean belowMarks = true;
        private volatile boolean up;

        Link(PeerId peer) {
            this.peer = peer;
        }

        /** Adds pending bytes; true if the pair just crossed the high-water mark. */
        synchronized boolean add(int size) {
            pendingBytes += size;
            if (belowMarks && pendingBytes > hub.highWaterMarkBytes()) {
                belowMarks = false;
                return true;
            }
            return false;
        }

        /** Removes pending bytes; true if the pair just fell to the low-water mark. */
        synchronized boolean remove(int size) {
            pendingBytes -= size;
            if (!belowMarks && pendingBytes <= hub.lowWaterMarkBytes()) {
                belowMarks = true;
                return true;
            }
            return false;
        }

        /** Re-reads whether the peer runs and reports up/down and writability on a change. */
        synchronized void refreshUp() {
            boolean nowUp = hub.lookup(peer) != null;
            if (nowUp != up) {
                up = nowUp;
                if (nowUp) {
                    listener.onPeerUp(peer);
                } else {
                    listener.onPeerDown(peer);
                }
            }
            reporter.refresh(peer);
        }
    }
}
