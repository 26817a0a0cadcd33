package dev.picsou.mirror.bridge.hook;

import dev.picsou.mirror.bridge.model.Entry;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

import org.apache.ratis.client.RaftClient;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.thirdparty.com.google.protobuf.UnsafeByteOperations;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Proposes the entries a mirror replica's receiving engine delivers to the mirror site's own Raft group, batched
 * ({@link IngestBatchCodec}) by count, bytes or a short linger, through an async {@link RaftClient} (which finds the
 * leader; any replica may propose). Proposals can fail, on a leader change for instance: that is logged and
 * counted, nothing more — the engine proposes again every entry its site has not committed in time
 * ({@code PicsouReceiver}), and the mirror state machine drops duplicates by seq.
 *
 * <h2>Threading</h2>
 * {@link #offer} is called on the link's driver thread and never blocks: a full queue drops the entry (counted).
 * One proposer thread batches and sends; it alone waits, for a free slot among {@code maxInFlight} outstanding
 * proposals. The client comes from the supplier at {@link #start()}; {@link #close()} closes it only when the
 * ingestor was told it owns it (a shared site client must outlive one replica's link). Give it a bounded retry
 * policy (RATIS.md: the default retries forever).
 */
public final class EntryIngestor implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EntryIngestor.class);
    private static final int LOUD_FAILURES = 5;

    /**
     * Batching and flow control.
     *
     * @param maxBatchEntries  a batch is proposed once it holds this many entries
     * @param maxBatchBytes    ... or this many payload bytes
     * @param linger           ... or once its first entry waited this long
     * @param maxInFlight      at most this many proposals outstanding
     * @param maxQueuedEntries entries offered beyond this many waiting are dropped
     */
    public record Settings(int maxBatchEntries, int maxBatchBytes, Duration linger, int maxInFlight,
                           int maxQueuedEntries) {
        public Settings {
            Objects.requireNonNull(linger, "linger");
            if (maxBatchEntries < 1 || maxBatchBytes < 1 || maxInFlight < 1 || maxQueuedEntries < 1
                    || linger.isNegative()) {
                throw new IllegalArgumentException("ingest settings must be positive: " + maxBatchEntries + ", "
                        + maxBatchBytes + ", " + linger + ", " + maxInFlight + ", " + maxQueuedEntries);
            }
        }

        /** 512 entries or 512 KiB or 1 ms per batch, 32 proposals in flight, 200,000 entries queued. */
        public static Settings defaults() {
            return new Settings(512, 512 << 10, Duration.ofMillis(1), 32, 200_000);
        }
    }

    private final String name;
    private final Supplier<RaftClient> clients;
    private final Settings settings;
    private final MirrorLinkMetrics metrics;
    private final BlockingQueue<Entry> queue;
    private final Semaphore inFlight;
    private final Thread thread;
    private final AtomicLong failures = new AtomicLong();
    private final boolean ownsClient;
    private volatile boolean running = true;
    private volatile RaftClient client;

    EntryIngestor(String name, Supplier<RaftClient> clients, boolean ownsClient, Settings settings,
                  MirrorLinkMetrics metrics) {
        this.name = name;
        this.clients = Objects.requireNonNull(clients, "clients");
        this.ownsClient = ownsClient;
        this.settings = settings;
        this.metrics = metrics;
        this.queue = new LinkedBlockingQueue<>(settings.maxQueuedEntries());
        this.inFlight = new Semaphore(settings.maxInFlight());
        this.thread = new Thread(this::run, "picsou-ingest-" + name);
        this.thread.setDaemon(true);
    }

    void start() {
        client = Objects.requireNonNull(clients.get(), "the RaftClient supplier returned null");
        thread.start();
    }

    /** Queues {@code entry} for proposal; false (and counted) when the queue is full. Never blocks. */
    boolean offer(Entry entry) {
        if (queue.offer(entry)) {
            return true;
        }
        metrics.ingestDropped.inc();
        return false;
    }

    int queued() {
        return queue.size();
    }

    private void run() {
        long lingerNanos = settings.linger().toNanos();
        while (running) {
            try {
                Entry first = queue.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                List<Entry> batch = new ArrayList<>();
                batch.add(first);
                long bytes = first.payloadLength();
                long deadline = System.nanoTime() + lingerNanos;
                while (batch.size() < settings.maxBatchEntries() && bytes < settings.maxBatchBytes()) {
                    Entry next = queue.poll();
                    if (next == null) {
                        long wait = deadline - System.nanoTime();
                        next = wait > 0 ? queue.poll(wait, TimeUnit.NANOSECONDS) : null;
                        if (next == null) {
                            break;
                        }
                    }
                    batch.add(next);
                    bytes += next.payloadLength();
                }
                inFlight.acquire();
                propose(batch);
            } catch (InterruptedException e) {
                if (running) {
                    LOG.warn("{}: proposer interrupted while running", name);
                }
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                LOG.error("{}: proposer failed; going on", name, e);
            }
        }
    }

    private void propose(List<Entry> batch) {
        long start = System.nanoTime();
        metrics.proposalEntries.update(batch.size());
        Message message = Message.valueOf(UnsafeByteOperations.unsafeWrap(IngestBatchCodec.encode(batch)));
        try {
            client.async().send(message).whenComplete((reply, error) -> {
                inFlight.release();
                onReply(batch, reply, error, start);
            });
        } catch (RuntimeException e) {
            inFlight.release();
            onReply(batch, null, e, start);
        }
    }

    private void onReply(List<Entry> batch, RaftClientReply reply, Throwable error, long startNanos) {
        if (error == null && reply != null && reply.isSuccess()) {
            metrics.proposalsOk.inc();
            metrics.proposalLatency.update(System.nanoTime() - startNanos, TimeUnit.NANOSECONDS);
            return;
        }
        metrics.proposalsFailed.inc();
        Object cause = error != null ? error : reply == null ? "no reply" : reply.getException();
        String what = "proposal of " + batch.size() + " entries (seq " + batch.get(0).seq() + "..) failed: " + cause
                + "; the engine proposes them again after its timeout";
        if (failures.incrementAndGet() <= LOUD_FAILURES) {
            LOG.warn("{}: {}", name, what);
        } else {
            LOG.debug("{}: {}", name, what);
        }
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
        try {
            thread.join(TimeUnit.SECONDS.toMillis(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        RaftClient c = client;
        if (c != null && ownsClient) {
            try {
                c.close();
            } catch (IOException e) {
                LOG.warn("{}: closing the ingest client failed", name, e);
            }
        }
    }
}
