package dev.picsou.mirror.bridge.transport;

import dev.picsou.mirror.bridge.model.Frame;
import dev.picsou.mirror.bridge.wire.FrameCodec;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BiPredicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A decorator injecting network faults for tests and benchmarks: seeded random drop, delay (fixed plus jitter),
 * duplication and reordering of the frames it sends ({@link FaultSettings}), and partitions, all changeable at
 * runtime.
 *
 * <p>Partitions are a predicate on (from, to), checked when a frame is sent, again when a delayed frame is due,
 * and on frames received from the inner transport, so cutting a link needs only one side to be wrapped.
 *
 * <p>Determinism: the random decisions come from one {@link SplittableRandom} seeded at construction, with a
 * fixed number of draws per {@link #send} whatever the settings, so the same seed and the same sequence of sends
 * (from one thread) give the same decisions. Timing (and therefore the interleaving with other senders) is not
 * deterministic.
 *
 * <p>Threading: {@link #send} never blocks (a decision takes a short lock); delayed copies are sent by one
 * scheduler thread of this decorator. Listener callbacks come from the inner transport's threads.
 */
public final class FaultyTransport implements Transport {
    private static final Logger log = LoggerFactory.getLogger(FaultyTransport.class);
    private static final BiPredicate<PeerId, PeerId> CONNECTED = (from, to) -> false;

    private final Transport delegate;
    private final SplittableRandom random;
    private final ScheduledThreadPoolExecutor scheduler;
    private volatile FaultSettings settings;
    private volatile BiPredicate<PeerId, PeerId> blocked = CONNECTED;
    private final LongAdder droppedByFault = new LongAdder();
    private final LongAdder droppedByPartition = new LongAdder();
    private final LongAdder duplicated = new LongAdder();
    private final LongAdder delayed = new LongAdder();

    /**
     * @param inner    builds the transport the frames really go through
     * @param listener receives what the inner transport receives, minus frames over a cut link
     * @param settings the initial faults
     * @param seed     seed of every random decision
     */
    public FaultyTransport(TransportFactory inner, TransportListener listener, FaultSettings settings, long seed) {
        Objects.requireNonNull(listener, "listener");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.random = new SplittableRandom(seed);
        this.delegate = inner.create(new PartitionFilter(listener));
        this.scheduler = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "picsou-faults-" + delegate.self());
            t.setDaemon(true);
            return t;
        });
        scheduler.setRemoveOnCancelPolicy(true);
        scheduler.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
    }

    /** Replaces the fault settings; applies to frames sent from now on. */
    public void setSettings(FaultSettings next) {
        this.settings = Objects.requireNonNull(next, "settings");
    }

    public FaultSettings settings() {
        return settings;
    }

    /**
     * Cuts every link between a member of {@code side} and a non-member, both ways (replaces any previous
     * partition).
     */
    public void partition(Set<PeerId> side) {
        Set<PeerId> members = Set.copyOf(side);
        blocked = (from, to) -> members.contains(from) != members.contains(to);
    }

    /** Cuts exactly the directed links for which {@code cut} holds (replaces any previous partition). */
    public void blockWhen(BiPredicate<PeerId, PeerId> cut) {
        blocked = Objects.requireNonNull(cut, "cut");
    }

    /** Removes any partition. */
    public void heal() {
        blocked = CONNECTED;
    }

    /** The decorated transport (for its metrics). */
    public Transport delegate() {
        return delegate;
    }

    /** Frames dropped by the random drop fault. */
    public long droppedByFault() {
        return droppedByFault.sum();
    }

    /** Frames dropped because their link was cut, outbound or inbound. */
    public long droppedByPartition() {
        return droppedByPartition.sum();
    }

    /** Extra copies sent. */
    public long duplicated() {
        return duplicated.sum();
    }

    /** Copies sent after a delay rather than at once. */
    public long delayed() {
        return delayed.sum();
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
        Transports.checkSend(self(), peer, frame, FrameCodec.DEFAULT_MAX_FRAME_BYTES);
        FaultSettings s = settings;
        double drop;
        double duplicate;
        double[] jitters = new double[4];
        synchronized (random) {
            drop = random.nextDouble();
            duplicate = random.nextDouble();
            for (int i = 0; i < jitters.length; i++) {
                jitters[i] = random.nextDouble();
            }
        }
        if (blocked.test(self(), peer)) {
            droppedByPartition.increment();
            return;
        }
        if (drop < s.dropProbability()) {
            droppedByFault.increment();
            return;
        }
        dispatch(peer, frame, delayNanos(s, jitters[0], jitters[1]));
        if (duplicate < s.duplicateProbability()) {
            duplicated.increment();
            dispatch(peer, frame, delayNanos(s, jitters[2], jitters[3]));
        }
    }

    private static long delayNanos(FaultSettings s, double jitter, double reorder) {
        long nanos = s.delay().toNanos() + (long) (jitter * s.delayJitter().toNanos());
        // One draw decides whether to reorder (below the probability) and, rescaled, by how much.
        if (s.reorderProbability() > 0 && reorder < s.reorderProbability()) {
            nanos += (long) (reorder / s.reorderProbability() * s.reorderDelay().toNanos());
        }
        return nanos;
    }

    private void dispatch(PeerId peer, Frame frame, long delayNanos) {
        if (delayNanos <= 0) {
            delegate.send(peer, frame);
            return;
        }
        delayed.increment();
        try {
            scheduler.schedule(() -> sendLater(peer, frame), delayNanos, TimeUnit.NANOSECONDS);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            log.debug("{}: closed; dropping a delayed frame to {}", self(), peer);
        }
    }

    private void sendLater(PeerId peer, Frame frame) {
        if (blocked.test(self(), peer)) {
            droppedByPartition.increment();
            return;
        }
        try {
            delegate.send(peer, frame);
        } catch (RuntimeException e) {
            log.warn("{}: delayed send to {} failed", self(), peer, e);
        }
    }

    @Override
    public Optional<ScheduledExecutorService> sharedEventLoop() {
        return delegate.sharedEventLoop();
    }

    @Override
    public boolean isWritable(PeerId peer) {
        return delegate.isWritable(peer);
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
        delegate.close();
    }

    @Override
    public String toString() {
        return "FaultyTransport[" + settings + " over " + delegate + "]";
    }

    /** Drops inbound frames over a cut link; forwards everything else. */
    private final class PartitionFilter implements TransportListener {
        private final TransportListener target;

        PartitionFilter(TransportListener target) {
            this.target = target;
        }

        @Override
        public void onFrame(PeerId from, Frame frame) {
            if (blocked.test(from, delegate.self())) {
                droppedByPartition.increment();
                return;
            }
            target.onFrame(from, frame);
        }

        @Override
        public void onWritabilityChanged(PeerId peer, boolean writable) {
            target.onWritabilityChanged(peer, writable);
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
