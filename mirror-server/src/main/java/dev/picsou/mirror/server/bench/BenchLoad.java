package dev.picsou.mirror.server.bench;

import dev.picsou.mirror.server.app.KvCommand;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;

import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.thirdparty.com.google.protobuf.UnsafeByteOperations;

/**
 * The bench's client load on the primary site: KV puts whose encoding is exactly {@code entryBytes}, sent with the
 * async Raft client, at most {@code inFlight} outstanding, at a fixed rate or as fast as the site takes them.
 *
 * <p>Saturating load is held back by the stream: while more than {@code maxBacklog} committed entries are not yet
 * durable on the mirror, no new write is sent. So the channel always has a full window to send, the backlog (and
 * the drain after the run) stays bounded, and the stream's throughput is what is measured. With an uncapped WAN
 * the channel keeps up and the gate never closes.
 *
 * <p>Threading: one sender thread; replies complete on the client's threads. Counters may be read from any thread.
 */
final class BenchLoad {
    private static final int KEY_SPACE = 4096;
    private static final int VALUE_POOL = 64;
    private static final long MAX_LATENCY_MICROS = TimeUnit.MINUTES.toMicros(10);

    private final RaftClient client;
    private final int valueBytes;
    private final double rate;
    private final LongSupplier backlog;
    private final long maxBacklog;
    private final Semaphore permits;
    private final int inFlight;
    private final byte[][] values = new byte[VALUE_POOL][];
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong acked = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicLong gatedNanos = new AtomicLong();
    private final ConcurrentHistogram latency = new ConcurrentHistogram(MAX_LATENCY_MICROS, 2);
    private final Thread thread;
    private volatile boolean stop;

    /**
     * @param backlog    committed entries not yet durable on the mirror (ignored when {@code maxBacklog} is
     *                   {@link Long#MAX_VALUE})
     * @param maxBacklog gate of the saturating load
     */
    BenchLoad(RaftClient client, int entryBytes, int inFlight, double rate, LongSupplier backlog, long maxBacklog) {
        this.client = client;
        this.valueBytes = Math.max(0, entryBytes - putOverheadBytes());
        this.rate = rate;
        this.backlog = backlog;
        this.maxBacklog = maxBacklog;
        this.inFlight = inFlight;
        this.permits = new Semaphore(inFlight);
        SplittableRandom random = new SplittableRandom(42);
        for (int i = 0; i < VALUE_POOL; i++) {
            values[i] = new byte[valueBytes];
            random.nextBytes(values[i]);
        }
        this.thread = new Thread(this::run, "bench-load");
        this.thread.setDaemon(true);
    }

    /** Bytes a put adds around its value (op, lengths, the 9-byte key). */
    static int putOverheadBytes() {
        return new KvCommand.Put(key(0), new byte[0]).encode().length;
    }

    BenchLoad start() {
        thread.start();
        return this;
    }

    long sent() {
        return sent.get();
    }

    long acked() {
        return acked.get();
    }

    long failed() {
        return failed.get();
    }

    /** Time the backlog gate held the load so far, nanoseconds. */
    long gatedNanos() {
        return gatedNanos.get();
    }

    /** Client latency, send to reply, microseconds (a copy). */
    Histogram latencyMicros() {
        return latency.copy();
    }

    /** Stops sending and waits (at most {@code timeoutSeconds}) for the writes in flight; false if some remain. */
    boolean stop(long timeoutSeconds) throws InterruptedException {
        stop = true;
        thread.join(TimeUnit.SECONDS.toMillis(timeoutSeconds));
        if (permits.tryAcquire(inFlight, timeoutSeconds, TimeUnit.SECONDS)) {
            permits.release(inFlight);
            return true;
        }
        return false;
    }

    private void run() {
        long start = System.nanoTime();
        long i = 0;
        try {
            while (!stop) {
                if (rate > 0) {
                    long due = start + (long) (i * 1e9 / rate);
                    long wait = due - System.nanoTime();
                    if (wait > 0) {
                        LockSupport.parkNanos(wait);
                        continue;
                    }
                }
                if (maxBacklog != Long.MAX_VALUE && backlog.getAsLong() > maxBacklog) {
                    long t0 = System.nanoTime();
                    LockSupport.parkNanos(200_000);
                    gatedNanos.addAndGet(System.nanoTime() - t0);
                    continue;
                }
                if (!permits.tryAcquire(20, TimeUnit.MILLISECONDS)) {
                    continue;
                }
                send(i++);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void send(long i) {
        byte[] value = values[(int) (i % VALUE_POOL)].clone();
        for (int b = 0; b < Math.min(8, value.length); b++) {
            value[b] = (byte) (i >>> (8 * b));
        }
        byte[] payload = new KvCommand.Put(key(i % KEY_SPACE), value).encode();
        long t0 = System.nanoTime();
        sent.incrementAndGet();
        try {
            client.async().send(Message.valueOf(UnsafeByteOperations.unsafeWrap(payload)))
                    .whenComplete((reply, error) -> onReply(t0, reply, error));
        } catch (RuntimeException e) {
            onReply(t0, null, e);
        }
    }

    private void onReply(long t0, RaftClientReply reply, Throwable error) {
        if (error == null && reply != null && reply.isSuccess()) {
            acked.incrementAndGet();
            latency.recordValue(Math.min(MAX_LATENCY_MICROS, Math.max(0, (System.nanoTime() - t0) / 1000)));
        } else {
            failed.incrementAndGet();
        }
        permits.release();
    }

    private static byte[] key(long k) {
        return String.format(Locale.ROOT, "k%08d", k).getBytes(StandardCharsets.UTF_8);
    }
}
