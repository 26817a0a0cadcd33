package dev.picsou.mirror.bridge.transport;

import dev.picsou.mirror.bridge.model.Frame;
import dev.picsou.mirror.bridge.wire.FrameCodec;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A decorator emulating a WAN link: frames leave at most at {@link RateLimit#bytesPerSecond()} (token bucket over
 * {@link FrameCodec#encodedSize}), then travel a fixed {@link RateLimit#oneWayDelay()} before reaching the inner
 * transport. Order per peer is preserved.
 *
 * <p>Backpressure: a peer is writable when the inner transport says so and its bucket's queue (frames waiting for
 * tokens) is at most {@link RateLimit#maxQueuedBytes()}; once over, it turns writable again at half the bound.
 * Frames sent regardless are queued, never dropped: the queue is bounded only by a sender that respects
 * writability.
 *
 * <p>Threading: {@link #send} never blocks (it appends under a short per-bucket lock); one pacing thread per
 * decorator releases frames and hands them to the inner transport, so the inner {@code send} runs on that thread.
 */
public final class RateLimitedTransport implements Transport {
    private static final Logger log = LoggerFactory.getLogger(RateLimitedTransport.class);

    private final Transport delegate;
    private final RateLimit limit;
    private final ScheduledThreadPoolExecutor pacer;
    private final ConcurrentHashMap<PeerId, Bucket> buckets = new ConcurrentHashMap<>();
    private final Bucket uplink;
    private final WritabilityReporter reporter;
    private final LongAdder framesReleased = new LongAdder();
    private final LongAdder bytesReleased = new LongAdder();

    /**
     * @param inner    builds the transport the shaped frames go through
     * @param listener receives the inner transport's events, with writability merged with the queue bound
     */
    public RateLimitedTransport(TransportFactory inner, TransportListener listener, RateLimit limit) {
        Objects.requireNonNull(listener, "listener");
        this.limit = Objects.requireNonNull(limit, "limit");
        this.reporter = new WritabilityReporter(listener, this::writableNow);
        this.uplink = limit.scope() == RateLimit.Scope.UPLINK ? new Bucket() : null;
        this.delegate = inner.create(new Interposer(listener));
        this.pacer = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "picsou-ratelimit-" + delegate.self());
            t.setDaemon(true);
            return t;
        });
        pacer.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
    }

    /** The decorated transport (for its metrics). */
    public Transport delegate() {
        return delegate;
    }

    /** Bytes waiting for tokens towards {@code peer} (for {@link RateLimit.Scope#UPLINK}: towards anyone). */
    public long queuedBytes(PeerId peer) {
        Bucket bucket = bucketFor(peer);
        synchronized (bucket) {
            return bucket.queuedBytes;
        }
    }

    /** Frames that left a bucket (and went on to the delay line). */
    public long framesReleased() {
        return framesReleased.sum();
    }

    /** Wire bytes of {@link #framesReleased()}. */
    public long bytesReleased() {
        return bytesReleased.sum();
    }

    @Override
    public PeerId self() {
        return delegate.self();
    }

    @Override
    public void start() {
        delegate.start();
    }

    @Override
    public void send(PeerId peer, Frame frame) {
        int size = Transports.checkSend(self(), peer, frame, FrameCodec.DEFAULT_MAX_FRAME_BYTES);
        Bucket bucket = bucketFor(peer);
        boolean schedule;
        boolean crossed;
        synchronized (bucket) {
            bucket.queue.add(new Queued(peer, frame, size));
            bucket.queuedBytes += size;
            crossed = !bucket.overBound && bucket.queuedBytes > limit.maxQueuedBytes();
            if (crossed) {
                bucket.overBound = true;
            }
            schedule = !bucket.pumpScheduled;
            bucket.pumpScheduled = true;
        }
        if (crossed) {
            refreshPeersOf(bucket, peer);
        }
        if (schedule) {
            pace(bucket, 0);
        }
    }

    @Override
    public Optional<ScheduledExecutorService> sharedEventLoop() {
        return delegate.sharedEventLoop();
    }

    @Override
    public boolean isWritable(PeerId peer) {
        if (writableNow(peer)) {
            return true;
        }
        reporter.observedNotWritable(peer);
        return false;
    }

    /** Writability without side effects on this decorator's reporter. */
    private boolean writableNow(PeerId peer) {
        if (!delegate.isWritable(peer)) {
            return false;
        }
        Bucket bucket = bucketFor(peer);
        synchronized (bucket) {
            return !bucket.overBound;
        }
    }

    @Override
    public void close() {
        pacer.shutdownNow();
        delegate.close();
    }

    private Bucket bucketFor(PeerId peer) {
        Bucket bucket = buckets.get(peer);
        if (bucket == null) {
            bucket = buckets.computeIfAbsent(peer, p -> uplink != null ? uplink : new Bucket());
        }
        return bucket;
    }

    private void pace(Bucket bucket, long delayNanos) {
        try {
            pacer.schedule(() -> {
                try {
                    pump(bucket);
                } catch (RuntimeException | Error e) {
                    log.error("{}: rate limiter pump failed; frames in this bucket are stuck", self(), e);
                    throw e;
                }
            }, delayNanos, TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            log.debug("{}: closed; frames left in the rate limiter are dropped", self());
        }
    }

    /** On the pacing thread: releases what the tokens allow, reschedules itself while frames remain. */
    private void pump(Bucket bucket) {
        List<Queued> released = new ArrayList<>();
        boolean fellBelow;
        long waitNanos = -1;
        synchronized (bucket) {
            long now = System.nanoTime();
            double rate = limit.bytesPerSecond();
            bucket.tokens = Math.min(limit.burstBytes(), bucket.tokens + (now - bucket.refilledAtNanos) * rate / 1e9);
            bucket.refilledAtNanos = now;
            // A frame may leave while any token is left, taking the bucket into deficit: the long-run rate holds
            // and a frame larger than the burst still leaves.
            while (!bucket.queue.isEmpty() && bucket.tokens > 0) {
                Queued q = bucket.queue.poll();
                bucket.tokens -= q.size();
                bucket.queuedBytes -= q.size();
                released.add(q);
            }
            if (bucket.queue.isEmpty()) {
                bucket.pumpScheduled = false;
            } else {
                waitNanos = (long) Math.ceil((1 - bucket.tokens) / rate * 1e9);
            }
            fellBelow = bucket.overBound && bucket.queuedBytes <= limit.maxQueuedBytes() / 2;
            if (fellBelow) {
                bucket.overBound = false;
            }
        }
        long delay = limit.oneWayDelay().toNanos();
        for (Queued q : released) {
            framesReleased.increment();
            bytesReleased.add(q.size());
            if (delay == 0) {
                deliver(q);
            } else {
                try {
                    pacer.schedule(() -> deliver(q), delay, TimeUnit.NANOSECONDS);
                } catch (RejectedExecutionException e) {
                    return;
                }
            }
        }
        if (waitNanos >= 0) {
            pace(bucket, waitNanos);
        }
        if (fellBelow) {
            refreshPeersOf(bucket, null);
        }
    }

    private void deliver(Queued q) {
        try {
            delegate.send(q.peer(), q.frame());
        } catch (RuntimeException e) {
            log.warn("{}: shaped send to {} failed", self(), q.peer(), e);
        }
    }

    private void refreshPeersOf(Bucket bucket, PeerId known) {
        if (known != null) {
            reporter.refresh(known);
        }
        buckets.forEach((peer, b) -> {
            if (b == bucket) {
                reporter.refresh(peer);
            }
        });
    }

    @Override
    public String toString() {
        return "RateLimitedTransport[" + limit + " over " + delegate + "]";
    }

    private record Queued(PeerId peer, Frame frame, int size) {
    }

    /** Token bucket and its queue; guarded by its own monitor. */
    private final class Bucket {
        final ArrayDeque<Queued> queue = new ArrayDeque<>();
        long queuedBytes;
        double tokens = limit.burstBytes();
        long refilledAtNanos = System.nanoTime();
        boolean pumpScheduled;
        boolean overBound;
    }

    /** Merges the inner transport's writability with the queue bound. */
    private final class Interposer implements TransportListener {
        private final TransportListener target;

        Interposer(TransportListener target) {
            this.target = target;
        }

        @Override
        public void onFrame(PeerId from, Frame frame) {
            target.onFrame(from, frame);
        }

        @Override
        public void onWritabilityChanged(PeerId peer, boolean writable) {
            reporter.refresh(peer);
        }

        @Override
        public void onPeerDown(PeerId peer) {
            target.onPeerDown(peer);
        }

        @Override
        public void onPeerUp(PeerId peer) {
            target.onPeerUp(peer);
        }
    }
}
