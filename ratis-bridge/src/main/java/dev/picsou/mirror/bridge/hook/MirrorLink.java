package dev.picsou.mirror.bridge.hook;

import dev.picsou.mirror.bridge.model.AckFrame;
import dev.picsou.mirror.bridge.model.Entry;
import dev.picsou.mirror.bridge.model.FencedFrame;
import dev.picsou.mirror.bridge.model.Frame;
import dev.picsou.mirror.bridge.picsou.ActionSink;
import dev.picsou.mirror.bridge.picsou.PicsouParams;
import dev.picsou.mirror.bridge.picsou.StreamProtocol;
import dev.picsou.mirror.bridge.picsou.StreamReceiver;
import dev.picsou.mirror.bridge.transport.PeerId;
import dev.picsou.mirror.bridge.transport.Transport;
import dev.picsou.mirror.bridge.transport.TransportFactory;
import dev.picsou.mirror.bridge.transport.TransportListener;
import dev.picsou.mirror.storage.MirrorStore;
import dev.picsou.mirror.storage.StoreCursor;
import dev.picsou.mirror.storage.StoredEntry;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The receiving end of the Picsou link on one mirror replica: a {@link StreamReceiver} engine owned by a
 * {@link PicsouDriver}, the {@link Transport} to the primary's replicas, and an {@link EntryIngestor} that proposes
 * delivered entries to the mirror site's Raft group.
 *
 * <h2>Threading</h2>
 * Frames (transport threads), applied batches ({@link #onApplied}, Ratis' apply thread) and store (re)attachment
 * are queued as events for the driver thread, which alone touches the engine. Delivered entries go to the ingestor's
 * queue, never blocking the driver.
 *
 * <h2>Start and restart</h2>
 * The engine is built when the mirror state machine opens its store and learns from it what the site already holds:
 * {@code onDurable(durableSeq)} and {@code onSiteCommitted} for every pending entry. Entries re-applied by a restart
 * replay are skipped by the state machine and covered by that first read.
 */
public final class MirrorLink implements MirrorApplyListener, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(MirrorLink.class);
    private static final int LOUD_REFUSALS = 10;

    private final String localSite;
    private final String primarySite;
    private final int index;
    private final PicsouParams params;
    private final StreamProtocol protocol;
    private final EntryIngestor ingestor;
    private final MirrorLinkMetrics metrics;
    private final Transport transport;
    private final PicsouDriver driver;
    private final AtomicLong refusals = new AtomicLong();

    // Driver-thread state.
    private StreamReceiver receiver;

    // Published.
    private volatile LinkEndpointState state = LinkEndpointState.NEW;
    private volatile long receivedSeq;
    private volatile long durableSeq;

    MirrorLink(String localSite, String primarySite, int index, PicsouParams params, StreamProtocol protocol,
               TransportFactory transports, EntryIngestor ingestor, MirrorLinkMetrics metrics, LongSupplier clock) {
        if (index < 0 || index >= params.receivers()) {
            throw new IllegalArgumentException("replica index " + index + " outside the mirror site's "
                    + params.receivers() + " replicas");
        }
        this.localSite = localSite;
        this.primarySite = primarySite;
        this.index = index;
        this.params = params;
        this.protocol = protocol;
        this.ingestor = ingestor;
        this.metrics = metrics;
        this.transport = transports.create(new Listener());
        PeerId expected = new PeerId(localSite, index);
        if (!transport.self().equals(expected)) {
            throw new IllegalArgumentException("transport sends as " + transport.self() + ", this link is " + expected);
        }
        this.driver = new PicsouDriver("picsou-mirror-" + localSite + "-" + index, this::tick, new Sink(), clock);
        metrics.bind(this, ingestor::queued);
    }

    /** Starts the transport, the ingestor and the driver; the engine starts when the store is open. */
    public synchronized MirrorLink start() {
        if (state != LinkEndpointState.NEW) {
            throw new IllegalStateException("link already started (" + state + ")");
        }
        transport.start();
        ingestor.start();
        transitionTo(LinkEndpointState.WAITING_FOR_STORE, "started");
        driver.start(transport.sharedEventLoop().orElse(null));
        return this;
    }

    @Override
    public void onStoreReady(MirrorStore store) {
        driver.submit((now, out) -> attachNow(store, now, out));
    }

    @Override
    public void onApplied(long[] committedSeqs, long durable) {
        driver.submit((now, out) -> {
            if (receiver == null) {
                return Long.MAX_VALUE; // the attach reads the store, which already holds this batch
            }
            for (long seq : committedSeqs) {
                receiver.onSiteCommitted(seq, now, out);
            }
            long deadline = receiver.onDurable(durable, now, out);
            publish();
            return deadline;
        });
    }

    /** Leadership changed on either site (leader-based baselines use it; Picsou ignores it). */
    public void onLeaderChanged(int senderLeader, int receiverLeader) {
        driver.submit((now, out) -> receiver == null ? Long.MAX_VALUE
                : receiver.onLeaderChanged(senderLeader, receiverLeader, now, out));
    }

    // ------------------------------------------------------------------------------------- driver thread

    private long attachNow(MirrorStore store, long now, ActionSink out) {
        if (state == LinkEndpointState.CLOSED) {
            return Long.MAX_VALUE;
        }
        if (receiver == null) {
            receiver = protocol.newReceiver(index, params);
        }
        long durable;
        int pending = 0;
        try {
            durable = store.metadata().durableSeq();
            try (StoreCursor<StoredEntry> cursor = store.pending().cursor(0)) {
                while (cursor.hasNext()) {
                    receiver.onSiteCommitted(cursor.next().seq(), now, out);
                    pending++;
                }
            }
        } catch (RuntimeException e) {
            // The store was replaced under us (snapshot install); the state machine attaches the new one next.
            LOG.warn("{}/{}: cannot read the mirror store ({}); waiting for the next attach", localSite, index,
                    e.toString());
            return receiver.onTick(now, out);
        }
        long deadline = receiver.onDurable(durable, now, out);
        LOG.info("{}/{} <- {}: engine attached at durable seq {} with {} pending entries", localSite, index,
                primarySite, durable, pending);
        transitionTo(LinkEndpointState.RUNNING, "engine attached");
        publish();
        return deadline;
    }

    private long tick(long now, ActionSink out) {
        if (receiver == null) {
            return Long.MAX_VALUE;
        }
        long deadline = receiver.onTick(now, out);
        publish();
        return deadline;
    }

    private long onFrame(Frame frame, long now, ActionSink out) {
        if (receiver == null) {
            return Long.MAX_VALUE;
        }
        long deadline = receiver.onFrame(frame, now, out);
        publish();
        return deadline;
    }

    private void publish() {
        receivedSeq = receiver.receivedSeq();
        durableSeq = receiver.durableSeq();
    }

    private void transitionTo(LinkEndpointState next, String reason) {
        LinkEndpointState previous = state;
        if (previous == next || previous == LinkEndpointState.CLOSED) {
            return;
        }
        state = next;
        LOG.info("{}/{} <- {}: link {} -> {} ({})", localSite, index, primarySite, previous, next, reason);
    }

    /** Carries the engine's actions out; runs on the driver thread, inside engine calls. */
    private final class Sink implements ActionSink {
        @Override
        public boolean send(int peer, Frame frame) {
            PeerId to = new PeerId(primarySite, peer);
            try {
                transport.send(to, frame);
            } catch (RuntimeException e) {
                metrics.sendErrors.inc();
                LOG.warn("{}/{}: transport refused a frame to {}: {}", localSite, index, to, e.toString());
            }
            if (frame instanceof AckFrame) {
                metrics.acksSent.mark();
            } else if (frame instanceof FencedFrame fenced && refusals.incrementAndGet() <= LOUD_REFUSALS) {
                LOG.warn("{}/{}: refusing {}'s replica {} of an older epoch (fork point {})", localSite, index,
                        primarySite, peer, fenced.forkPoint());
            }
            return transport.isWritable(to);
        }

        @Override
        public void deliver(Entry entry) {
            metrics.entriesDelivered.mark();
            ingestor.offer(entry);
        }

        @Override
        public void quacked(long seq) {
            // receiving side: nothing is QUACKed here
        }

        @Override
        public void fenced(FencedFrame refusal) {
            LOG.warn("{}/{}: a receiving engine reported FENCED; ignored", localSite, index);
        }

        @Override
        public void refused(int peer, String reason) {
            metrics.refusedFrames.mark();
            if (refusals.incrementAndGet() <= LOUD_REFUSALS) {
                LOG.warn("{}/{}: refused a frame from {}/{}: {}", localSite, index, primarySite, peer, reason);
            } else {
                LOG.debug("{}/{}: refused a frame from {}/{}: {}", localSite, index, primarySite, peer, reason);
            }
        }
    }

    /** Transport callbacks: only enqueue. */
    private final class Listener implements TransportListener {
        @Override
        public void onFrame(PeerId from, Frame frame) {
            if (from.siteId().equals(primarySite)) {
                driver.submit((now, out) -> MirrorLink.this.onFrame(frame, now, out));
            }
        }

        @Override
        public void onWritabilityChanged(PeerId peer, boolean writable) {
            // Acks are small and best effort: a receiver does not hold them back.
        }
    }

    // ------------------------------------------------------------------------------------- views

    /** The engine's own description of its state (see {@link PicsouDriver#describe}). */
    public String describeEngine(Duration timeout) {
        return driver.describe(() -> String.valueOf(receiver), timeout);
    }

    public LinkEndpointState state() {
        return state;
    }

    /** The {@code received} prefix this replica acknowledges. */
    public long receivedSeq() {
        return receivedSeq;
    }

    /** The {@code durable} prefix this replica acknowledges. */
    public long durableSeq() {
        return durableSeq;
    }

    public MirrorLinkStatus status() {
        return new MirrorLinkStatus(primarySite, index, state, receivedSeq, durableSeq, ingestor.queued());
    }

    public MirrorLinkMetrics metrics() {
        return metrics;
    }

    public Transport transport() {
        return transport;
    }

    /** Stops the driver, the ingestor and the transport; idempotent. */
    @Override
    public synchronized void close() {
        if (state == LinkEndpointState.CLOSED) {
            return;
        }
        transitionTo(LinkEndpointState.CLOSED, "closed");
        driver.close();
        ingestor.close();
        transport.close();
        metrics.close();
    }
}
