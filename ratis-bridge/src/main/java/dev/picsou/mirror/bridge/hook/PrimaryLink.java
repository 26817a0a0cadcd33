package dev.picsou.mirror.bridge.hook;

import dev.picsou.mirror.bridge.model.DataFrame;
import dev.picsou.mirror.bridge.model.Entry;
import dev.picsou.mirror.bridge.model.FencedFrame;
import dev.picsou.mirror.bridge.model.ForkPoint;
import dev.picsou.mirror.bridge.model.Frame;
import dev.picsou.mirror.bridge.model.SentEntry;
import dev.picsou.mirror.bridge.picsou.ActionSink;
import dev.picsou.mirror.bridge.picsou.PicsouParams;
import dev.picsou.mirror.bridge.picsou.StreamProtocol;
import dev.picsou.mirror.bridge.picsou.StreamSender;
import dev.picsou.mirror.bridge.transport.PeerId;
import dev.picsou.mirror.bridge.transport.Transport;
import dev.picsou.mirror.bridge.transport.TransportFactory;
import dev.picsou.mirror.bridge.transport.TransportListener;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongPredicate;
import java.util.function.LongSupplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sending end of the Picsou link on one primary replica: a {@link StreamSender} engine owned by a
 * {@link PicsouDriver}, the {@link Transport} to the mirror site's replicas, and the {@link ActionSink} that carries
 * the engine's actions out.
 *
 * <h2>Threading</h2>
 * Everything that touches the engine runs on the driver thread: entries committed by the Ratis apply thread
 * ({@link #onCommitted}), frames and writability changes from transport threads, and (re)attachment to the hook store
 * are queued as events. A committed entry wakes the driver only when the protocol has this replica send it
 * ({@link StreamProtocol#sendsPromptly}); the others wait for its next wake-up. QUACKs are written to the hook store
 * on the driver thread ({@link PrimaryHookStore} makes that safe against the apply thread's writes) and complete
 * sync-mode waiters. A housekeeping thread exists only in
 * sync mode (the waiters' timeout policy).
 *
 * <h2>Start and restart</h2>
 * The engine is built when the state machine opens its store: {@code newSender(index, params, quackedSeq)} from the
 * store, then every outbox entry above that floor in seq order, then live entries. The hand-off needs no lock: the
 * apply thread commits an entry to the store before it queues it, and the outbox is read on the driver thread, so a
 * live entry is either in the outbox read (and skipped when its event arrives: {@code seq <= committedSeq}) or
 * queued after the read. After a snapshot install the state machine attaches the replaced store and the engine is
 * rebuilt the same way.
 */
public final class PrimaryLink implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PrimaryLink.class);
    private static final int LOUD_REFUSALS = 10;

    private final String localSite;
    private final String mirrorSite;
    private final int index;
    private final PicsouParams params;
    private final StreamProtocol protocol;
    private final SyncWaiters waiters;
    private final DurabilityPolicy durability;
    private final LongSupplier clock;
    private final PrimaryLinkMetrics metrics;
    private final Transport transport;
    private final PicsouDriver driver;
    private final AtomicLong refusals = new AtomicLong();
    /** Committed entries that wake the driver (the others wait for its next wake-up). */
    private final LongPredicate sendsPromptly;
    private ScheduledExecutorService housekeeping;

    // Driver-thread state.
    private StreamSender sender;
    private PrimaryHookStore store;
    private final ArrayDeque<long[]> unquacked = new ArrayDeque<>();
    /** Receivers whose link the engine was last told is not writable (by a send's answer or the transport). */
    private final boolean[] toldUnwritable;
    private long unquackedBytes;

    // Published for other threads.
    private volatile LinkEndpointState state = LinkEndpointState.NEW;
    private volatile long committedSeq;
    private volatile long quackedSeq;
    private volatile long lagBytes;
    private volatile OutboxLimit outboxLimit = OutboxLimit.NONE;
    private volatile boolean outboxAlarm;
    private volatile long oldestUnquackedNanos = -1;
    private volatile ForkPoint forkPoint;
    private volatile PrimaryHookStore publishedStore;

    PrimaryLink(String localSite, String mirrorSite, int index, PicsouParams params, StreamProtocol protocol,
                TransportFactory transports, SyncWaiters waiters, DurabilityPolicy durability,
                PrimaryLinkMetrics metrics, LongSupplier clock) {
        if (index < 0 || index >= params.senders()) {
            throw new IllegalArgumentException("replica index " + index + " outside the primary site's "
                    + params.senders() + " replicas");
        }
        this.localSite = localSite;
        this.mirrorSite = mirrorSite;
        this.index = index;
        this.params = params;
        this.protocol = protocol;
        this.waiters = waiters;
        this.durability = durability;
        this.clock = clock;
        this.metrics = metrics;
        this.toldUnwritable = new boolean[params.receivers()];
        this.sendsPromptly = protocol.sendsPromptly(index, params);
        this.transport = transports.create(new Listener());
        PeerId expected = new PeerId(localSite, index);
        if (!transport.self().equals(expected)) {
            throw new IllegalArgumentException("transport sends as " + transport.self() + ", this link is " + expected);
        }
        this.driver = new PicsouDriver("picsou-primary-" + localSite + "-" + index, this::tick, new Sink(), clock);
        metrics.bind(this);
    }

    /** Starts the transport and the driver; the engine starts when the state machine opens its store. */
    public synchronized PrimaryLink start() {
        if (state != LinkEndpointState.NEW) {
            throw new IllegalStateException("link already started (" + state + ")");
        }
        transport.start();
        transitionTo(LinkEndpointState.WAITING_FOR_STORE, "started");
        driver.start(transport.sharedEventLoop().orElse(null));
        if (durability.isSync()) {
            housekeeping = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "picsou-sync-" + localSite + "-" + index);
                t.setDaemon(true);
                return t;
            });
            housekeeping.scheduleWithFixedDelay(() -> waiters.check(clock.getAsLong(), lastSeq()), 50, 50,
                    TimeUnit.MILLISECONDS);
        }
        return this;
    }

    /** What the state machine feeds: store (re)attachment and committed entries, queued for the driver. */
    PrimaryFeed feed() {
        return new PrimaryFeed() {
            @Override
            public void attach(PrimaryHookStore hookStore) {
                publishedStore = hookStore;
                driver.submit((now, out) -> attachNow(hookStore, now, out));
            }

            @Override
            public void onCommitted(Entry entry) {
                EngineEvent event = (now, out) -> feed(entry, now, out);
                if (sendsPromptly.test(entry.seq())) {
                    driver.submit(event);
                } else {
                    driver.submitQuietly(event);
                }
            }
        };
    }

    /** Leadership changed on either site (leader-based baselines use it; Picsou ignores it). */
    public void onLeaderChanged(int senderLeader, int receiverLeader) {
        driver.submit((now, out) -> sender == null ? Long.MAX_VALUE
                : sender.onLeaderChanged(senderLeader, receiverLeader, now, out));
    }

    // ------------------------------------------------------------------------------------- driver thread

    private long attachNow(PrimaryHookStore hookStore, long now, ActionSink out) {
        store = hookStore;
        if (state == LinkEndpointState.FENCED || state == LinkEndpointState.CLOSED) {
            return Long.MAX_VALUE;
        }
        long floor = hookStore.metadata().quackedSeq();
        sender = protocol.newSender(index, params, floor);
        unquacked.clear();
        unquackedBytes = 0;
        int replayed = 0;
        for (Entry e : hookStore.outboxAbove(floor)) {
            feedEngine(e, now, out);
            replayed++;
        }
        LOG.info("{}/{} -> {}: engine attached at QUACK floor {}, {} outbox entries replayed, committed {}",
                localSite, index, mirrorSite, floor, replayed, sender.committedSeq());
        if (state != LinkEndpointState.NEW) {
            transitionTo(LinkEndpointState.RUNNING, "engine attached");
        }
        long deadline = sender.onTick(now, out);
        publish();
        return deadline;
    }

    private long feed(Entry entry, long now, ActionSink out) {
        if (sender == null) {
            return Long.MAX_VALUE; // not attached yet: the attach reads this entry from the outbox
        }
        long committed = sender.committedSeq();
        if (entry.seq() <= committed) {
            return sender.onTick(now, out); // already read from the outbox at attach
        }
        if (entry.seq() > committed + 1) {
            LOG.warn("{}/{}: entry seq {} arrived after {}: rebuilding the engine from the outbox", localSite, index,
                    entry.seq(), committed);
            return attachNow(store, now, out);
        }
        long deadline = feedEngine(entry, now, out);
        publish();
        return deadline;
    }

    private long feedEngine(Entry entry, long now, ActionSink out) {
        if (entry.seq() > sender.quackedSeq()) {
            unquacked.addLast(new long[] {entry.seq(), entry.payloadLength(), now});
            unquackedBytes += entry.payloadLength();
        }
        return sender.onEntryCommitted(entry, now, out);
    }

    private long tick(long now, ActionSink out) {
        if (sender == null) {
            return Long.MAX_VALUE;
        }
        // A send told the engine a link was full; if the transport never reported it writable again (its reporter
        // only reports changes it saw), the engine would hold that receiver's queue forever: poll and tell it.
        for (int j = 0; j < toldUnwritable.length; j++) {
            if (toldUnwritable[j] && transport.isWritable(new PeerId(mirrorSite, j))) {
                toldUnwritable[j] = false;
                sender.onLinkWritable(j, true, now, out);
            }
        }
        long deadline = sender.onTick(now, out);
        publish();
        return deadline;
    }

    private long onFrame(Frame frame, long now, ActionSink out) {
        if (sender == null) {
            return Long.MAX_VALUE;
        }
        long deadline = sender.onFrame(frame, now, out);
        publish();
        return deadline;
    }

    private void publish() {
        committedSeq = sender.committedSeq();
        quackedSeq = sender.quackedSeq();
        lagBytes = unquackedBytes;
        boolean alarm = outboxLimit.alarm(unquackedBytes);
        if (alarm != outboxAlarm) {
            outboxAlarm = alarm;
            if (alarm) {
                LOG.error("{}/{}: ALARM the outbox holds {} bytes not QUACKed by {}, past {} of its cap of {} bytes;"
                        + " at the cap client writes are refused", localSite, index, unquackedBytes, mirrorSite,
                        outboxLimit.alarmFraction(), outboxLimit.capBytes());
            } else {
                LOG.warn("{}/{}: outbox back under its alarm threshold ({} bytes)", localSite, index, unquackedBytes);
            }
        }
        long[] head = unquacked.peekFirst();
        oldestUnquackedNanos = head == null ? -1 : head[2];
    }

    private void onQuacked(long seq) {
        long now = clock.getAsLong();
        while (!unquacked.isEmpty() && unquacked.peekFirst()[0] <= seq) {
            long[] e = unquacked.pollFirst();
            unquackedBytes -= e[1];
            metrics.quackLatency.update(now - e[2], TimeUnit.NANOSECONDS);
        }
        try {
            store.quacked(seq);
        } catch (RuntimeException e) {
            metrics.storeErrors.inc();
            LOG.error("{}/{}: cannot record QUACK {} in the hook store", localSite, index, seq, e);
        }
        waiters.onQuacked(seq, lastSeq());
    }

    private void transitionTo(LinkEndpointState next, String reason) {
        LinkEndpointState previous = state;
        if (previous == next || previous == LinkEndpointState.CLOSED) {
            return;
        }
        state = next;
        LOG.info("{}/{} -> {}: link {} -> {} ({})", localSite, index, mirrorSite, previous, next, reason);
    }

    /** Carries the engine's actions out; runs on the driver thread, inside engine calls. */
    private final class Sink implements ActionSink {
        @Override
        public boolean send(int peer, Frame frame) {
            PeerId to = new PeerId(mirrorSite, peer);
            try {
                transport.send(to, frame);
            } catch (RuntimeException e) {
                metrics.sendErrors.inc();
                LOG.warn("{}/{}: transport refused a frame to {}: {}", localSite, index, to, e.toString());
            }
            if (frame instanceof DataFrame data) {
                for (SentEntry sent : data.entries()) {
                    metrics.entriesSent.mark();
                    metrics.bytesSent.mark(sent.entry().payloadLength());
                    if (sent.attempt() > 0) {
                        metrics.resends.mark();
                    }
                }
            }
            boolean writable = transport.isWritable(to);
            if (!writable) {
                toldUnwritable[peer] = true;
            }
            return writable;
        }

        @Override
        public void deliver(Entry entry) {
            LOG.warn("{}/{}: a sending engine delivered entry {}; ignored", localSite, index, entry.seq());
        }

        @Override
        public void quacked(long seq) {
            onQuacked(seq);
        }

        @Override
        public void fenced(FencedFrame refusal) {
            forkPoint = refusal.forkPoint();
            transitionTo(LinkEndpointState.FENCED, "mirror replica " + refusal.from() + " runs epoch "
                    + refusal.epoch());
            LOG.error("{}/{}: FENCED by {} at epoch {}: the new primary holds our stream up to seq {} (fork point {});"
                    + " entries after it are not on the new primary", localSite, index, mirrorSite, refusal.epoch(),
                    refusal.forkPoint().seq(), refusal.forkPoint());
            waiters.failAll(new IllegalStateException("link to " + mirrorSite + " fenced at " + refusal.forkPoint()
                    + ": the write is not durable on the mirror"));
        }

        @Override
        public void refused(int peer, String reason) {
            metrics.refusedFrames.mark();
            if (refusals.incrementAndGet() <= LOUD_REFUSALS) {
                LOG.warn("{}/{}: refused a frame from {}/{}: {}", localSite, index, mirrorSite, peer, reason);
            } else {
                LOG.debug("{}/{}: refused a frame from {}/{}: {}", localSite, index, mirrorSite, peer, reason);
            }
        }
    }

    /** Transport callbacks: only enqueue. */
    private final class Listener implements TransportListener {
        @Override
        public void onFrame(PeerId from, Frame frame) {
            if (from.siteId().equals(mirrorSite)) {
                driver.submit((now, out) -> PrimaryLink.this.onFrame(frame, now, out));
            }
        }

        @Override
        public void onWritabilityChanged(PeerId peer, boolean writable) {
            if (peer.siteId().equals(mirrorSite)) {
                driver.submit((now, out) -> {
                    if (sender == null) {
                        return Long.MAX_VALUE;
                    }
                    toldUnwritable[peer.replica()] = !writable;
                    return sender.onLinkWritable(peer.replica(), writable, now, out);
                });
            }
        }
    }

    // ------------------------------------------------------------------------------------- views

    /** The engine's own description of its state (see {@link PicsouDriver#describe}). */
    public String describeEngine(Duration timeout) {
        return driver.describe(() -> String.valueOf(sender), timeout);
    }

    public LinkEndpointState state() {
        return state;
    }

    /** Highest seq committed locally and handed to the engine. */
    public long committedSeq() {
        return committedSeq;
    }

    /** Highest seq QUACKed by the mirror site. */
    public long quackedSeq() {
        return quackedSeq;
    }

    public long lagEntries() {
        return Math.max(0, committedSeq - quackedSeq);
    }

    public long lagBytes() {
        return lagBytes;
    }

    void outboxLimit(OutboxLimit limit) {
        this.outboxLimit = limit;
    }

    /** Whether the outbox is past its alarm threshold ({@link OutboxLimit}). */
    public boolean outboxAlarm() {
        return outboxAlarm;
    }

    public OutboxLimit outboxLimit() {
        return outboxLimit;
    }

    public long lagMillis() {
        long oldest = oldestUnquackedNanos;
        return oldest < 0 ? 0 : Math.max(0, (clock.getAsLong() - oldest) / 1_000_000);
    }

    /** Entries in the on-disk outbox (0 before the store is open). */
    public long outboxEntries() {
        PrimaryHookStore s = publishedStore;
        try {
            return s == null ? 0 : s.outboxSize();
        } catch (RuntimeException e) {
            return 0;
        }
    }

    public int syncWaiting() {
        return waiters.waiting();
    }

    public boolean syncDegraded() {
        return waiters.degraded();
    }

    /** The fork point the mirror named when it fenced this link, if it did. */
    public Optional<ForkPoint> forkPoint() {
        return Optional.ofNullable(forkPoint);
    }

    public PrimaryLinkStatus status() {
        return new PrimaryLinkStatus(mirrorSite, index, state, committedSeq, quackedSeq, lagEntries(), lagBytes,
                lagMillis(), outboxEntries(), syncWaiting(), syncDegraded());
    }

    public PrimaryLinkMetrics metrics() {
        return metrics;
    }

    /** The transport this link sends on (for tests and fault injection through a decorator). */
    public Transport transport() {
        return transport;
    }

    private long lastSeq() {
        PrimaryHookStore s = publishedStore;
        try {
            return s == null ? 0 : s.metadata().lastSeq();
        } catch (RuntimeException e) {
            return 0;
        }
    }

    /** Stops the driver and the transport; idempotent. Sync waiters are released (the stream stops here). */
    @Override
    public synchronized void close() {
        if (state == LinkEndpointState.CLOSED) {
            return;
        }
        transitionTo(LinkEndpointState.CLOSED, "closed");
        if (housekeeping != null) {
            housekeeping.shutdownNow();
        }
        driver.close();
        transport.close();
        waiters.releaseAll("link closed");
        metrics.close();
    }
}
