package dev.picsou.mirror.server.app;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.Objects;
import java.util.NavigableMap;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.protocol.RaftClientReply;

/**
 * Drives KV writes into a site through a {@link RaftClient}'s async API, at most {@link Settings#maxInFlight()}
 * outstanding, until {@link Settings#opCount()} writes were sent or {@link Settings#duration()} passed, whichever
 * comes first.
 *
 * <p>Deterministic: write {@code i} is {@link #commandAt(long) commandAt(i)}, a function of the seed and {@code i}
 * only (a key among {@code keySpace}, a delete with probability {@code deleteFraction}, else a put of
 * {@code valueBytes} random bytes). Ratis applies one client's async writes in the order they were sent, so when
 * every write is acknowledged the site's state is the writes {@code 0 .. sent-1} applied in order (see
 * {@link #expectedState()}).
 *
 * <p>Threading: one daemon thread sends; completions run on the client's threads. The counters may be read from any
 * thread while it runs (for a progress line). Per-write latency, send to reply, is recorded in microseconds.
 */
public final class LoadGenerator {

    private static final long MAX_LATENCY_MICROS = TimeUnit.MINUTES.toMicros(10);
    private static final Duration DRAIN_TIMEOUT = Duration.ofSeconds(60);

    /**
     * What to send.
     *
     * @param maxInFlight    writes outstanding at most (default 100)
     * @param keySpace       number of distinct keys ({@code k00000000} ...; default 10,000)
     * @param valueBytes     size of each put's value (default 100)
     * @param deleteFraction probability that a write is a delete (default 0.1)
     * @param seed           the seed of every key and value
     * @param opCount        writes to send at most ({@link Long#MAX_VALUE}: no limit)
     * @param duration       time to send for at most (a very long duration: no limit)
     */
    public record Settings(int maxInFlight, int keySpace, int valueBytes, double deleteFraction, long seed,
                           long opCount, Duration duration) {

        /** The "no limit" duration. */
        public static final Duration UNLIMITED = Duration.ofDays(36_500);

        public Settings {
            if (maxInFlight < 1) {
                throw new IllegalArgumentException("maxInFlight must be >= 1, was " + maxInFlight);
            }
            if (keySpace < 1) {
                throw new IllegalArgumentException("keySpace must be >= 1, was " + keySpace);
            }
            if (valueBytes < 0 || valueBytes > KvCommand.MAX_VALUE_BYTES) {
                throw new IllegalArgumentException("valueBytes must be 0.." + KvCommand.MAX_VALUE_BYTES + ", was "
                        + valueBytes);
            }
            if (!(deleteFraction >= 0 && deleteFraction <= 1)) {
                throw new IllegalArgumentException("deleteFraction must be in [0, 1], was " + deleteFraction);
            }
            if (opCount < 1) {
                throw new IllegalArgumentException("opCount must be >= 1, was " + opCount);
            }
            Objects.requireNonNull(duration, "duration");
            if (duration.isNegative() || duration.isZero()) {
                throw new IllegalArgumentException("duration must be positive, was " + duration);
            }
        }

        /** {@code count} writes, with the defaults. */
        public static Settings forCount(long count) {
            return new Settings(100, 10_000, 100, 0.1, 1, count, UNLIMITED);
        }

        /** Writes for {@code duration}, with the defaults. */
        public static Settings forDuration(Duration duration) {
            return new Settings(100, 10_000, 100, 0.1, 1, Long.MAX_VALUE, duration);
        }

        public Settings withMaxInFlight(int n) {
            return new Settings(n, keySpace, valueBytes, deleteFraction, seed, opCount, duration);
        }

        public Settings withKeySpace(int keys) {
            return new Settings(maxInFlight, keys, valueBytes, deleteFraction, seed, opCount, duration);
        }

        public Settings withValueBytes(int bytes) {
            return new Settings(maxInFlight, keySpace, bytes, deleteFraction, seed, opCount, duration);
        }

        public Settings withDeleteFraction(double fraction) {
            return new Settings(maxInFlight, keySpace, valueBytes, fraction, seed, opCount, duration);
        }

        public Settings withSeed(long s) {
            return new Settings(maxInFlight, keySpace, valueBytes, deleteFraction, s, opCount, duration);
        }
    }

    /**
     * The outcome of a run.
     *
     * @param sent           writes sent
     * @param acked          writes acknowledged by the site
     * @param failed         writes that failed after the client's retries
     * @param elapsed        from the first send to the last reply
     * @param latencyMicros  per acknowledged write, send to reply
     */
    public record Result(long sent, long acked, long failed, Duration elapsed, Histogram latencyMicros) {

        /** Acknowledged writes per second over {@link #elapsed()}. */
        public double opsPerSecond() {
            long nanos = Math.max(1, elapsed.toNanos());
            return acked * 1e9 / nanos;
        }

        /** Latency at {@code percentile} (0–100), in microseconds. */
        public long latencyMicrosAt(double percentile) {
            return latencyMicros.getValueAtPercentile(percentile);
        }

        /** One line: counts, throughput and latency percentiles. */
        public String summary() {
            return String.format(Locale.ROOT,
                    "sent=%d acked=%d failed=%d in %.1fs: %.0f ops/s, latency p50=%.1fms p99=%.1fms max=%.1fms",
                    sent, acked, failed, elapsed.toMillis() / 1e3, opsPerSecond(), latencyMicrosAt(50) / 1e3,
                    latencyMicrosAt(99) / 1e3, latencyMicros.getMaxValue() / 1e3);
        }
    }

    private final RaftClient client;
    private final Settings settings;
    private final Semaphore permits;
    private final ConcurrentHistogram latency = new ConcurrentHistogram(MAX_LATENCY_MICROS, 3);
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong acked = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicLong lastReplyNanos = new AtomicLong();
    private final CountDownLatch sendingDone = new CountDownLatch(1);
    private volatile boolean stopRequested;
    private volatile long startNanos;
    private Thread sender;

    public LoadGenerator(RaftClient client, Settings settings) {
        this.client = Objects.requireNonNull(client, "client");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.permits = new Semaphore(settings.maxInFlight());
    }

    /**
     * Starts sending on a daemon thread; returns at once.
     *
     * @throws IllegalStateException if already started
     */
    public synchronized LoadGenerator start() {
        if (sender != null) {
            throw new IllegalStateException("already started");
        }
        startNanos = System.nanoTime();
        lastReplyNanos.set(startNanos);
        sender = new Thread(this::sendLoop, "load-generator");
        sender.setDaemon(true);
        sender.start();
        return this;
    }

    /** Starts, then waits for the limit and the drain: the whole run, blocking. */
    public Result run() throws InterruptedException, TimeoutException {
        start();
        return awaitCompletion(settings.duration().plus(DRAIN_TIMEOUT));
    }

    /**
     * Waits until the limit is reached and every write sent has its reply.
     *
     * @throws TimeoutException if that took longer than {@code timeout} (the run goes on)
     */
    public Result awaitCompletion(Duration timeout) throws InterruptedException, TimeoutException {
        long deadline = System.nanoTime() + timeout.toNanos();
        if (!sendingDone.await(timeout.toNanos(), TimeUnit.NANOSECONDS)) {
            throw new TimeoutException("still sending after " + timeout + ": " + progressLine());
        }
        return drain(Math.max(0, deadline - System.nanoTime()));
    }

    /**
     * Stops sending, then waits (at most a minute) for the writes in flight: every write sent is then acked or
     * failed.
     *
     * @throws TimeoutException if writes were still in flight after the wait
     */
    public Result stop() throws InterruptedException, TimeoutException {
        stopRequested = true;
        synchronized (this) {
            if (sender == null) {
                sendingDone.countDown();
            }
        }
        long deadline = System.nanoTime() + DRAIN_TIMEOUT.toNanos();
        sendingDone.await(DRAIN_TIMEOUT.toNanos(), TimeUnit.NANOSECONDS);
        return drain(Math.max(0, deadline - System.nanoTime()));
    }

    /** Writes sent so far. */
    public long sent() {
        return sent.get();
    }

    /** Writes acknowledged so far. */
    public long acked() {
        return acked.get();
    }

    /** Writes failed so far (after the client's retries). */
    public long failed() {
        return failed.get();
    }

    /** Writes sent and not yet answered. */
    public long inFlight() {
        return sent.get() - acked.get() - failed.get();
    }

    public Settings settings() {
        return settings;
    }

    /** A one-line progress report: counts, throughput since start, latency so far. */
    public String progressLine() {
        long start = startNanos;
        double seconds = start == 0 ? 0 : (System.nanoTime() - start) / 1e9;
        Histogram copy = latency.copy();
        return String.format(Locale.ROOT,
                "sent=%d acked=%d failed=%d inflight=%d %.0f ops/s p50=%.1fms p99=%.1fms",
                sent(), acked(), failed(), inFlight(), seconds > 0 ? acked() / seconds : 0.0,
                copy.getValueAtPercentile(50) / 1e3, copy.getValueAtPercentile(99) / 1e3);
    }

    /** Write {@code i} of this generator's sequence. */
    public KvCommand commandAt(long i) {
        return commandAt(settings, i);
    }

    /** Write {@code i} of the sequence that {@code settings} (seed, key space, sizes, delete fraction) defines. */
    public static KvCommand commandAt(Settings settings, long i) {
        SplittableRandom random = new SplittableRandom(mix64(settings.seed() * 0x9E3779B97F4A7C15L + i));
        byte[] key = String.format(Locale.ROOT, "k%08d", random.nextInt(settings.keySpace()))
                .getBytes(StandardCharsets.UTF_8);
        if (random.nextDouble() < settings.deleteFraction()) {
            return new KvCommand.Delete(key);
        }
        byte[] value = new byte[settings.valueBytes()];
        random.nextBytes(value);
        return new KvCommand.Put(key, value);
    }

    /**
     * The state after writes {@code 0 .. sent()-1} applied in order: what the site holds when no write failed.
     * Keys in unsigned byte order, as the store iterates them.
     */
    public NavigableMap<byte[], byte[]> expectedState() {
        TreeMap<byte[], byte[]> state = new TreeMap<>(Arrays::compareUnsigned);
        long n = sent();
        for (long i = 0; i < n; i++) {
            KvCommand command = commandAt(i);
            if (command instanceof KvCommand.Put put) {
                state.put(put.key(), put.value());
            } else {
                state.remove(command.key());
            }
        }
        return state;
    }

    private void sendLoop() {
        long deadline = startNanos + settings.duration().toNanos();
        try {
            for (long i = 0; i < settings.opCount(); i++) {
                if (!acquirePermit(deadline)) {
                    break;
                }
                sendOne(commandAt(i));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            sendingDone.countDown();
        }
    }

    /** Waits for a free slot; false once stopped or past the deadline. */
    private boolean acquirePermit(long deadline) throws InterruptedException {
        while (true) {
            if (stopRequested || System.nanoTime() - deadline >= 0) {
                return false;
            }
            if (permits.tryAcquire(20, TimeUnit.MILLISECONDS)) {
                if (stopRequested || System.nanoTime() - deadline >= 0) {
                    permits.release();
                    return false;
                }
                return true;
            }
        }
    }

    private void sendOne(KvCommand command) {
        long t0 = System.nanoTime();
        sent.incrementAndGet();
        CompletableFuture<RaftClientReply> reply;
        try {
            reply = client.async().send(KvClient.message(command));
        } catch (RuntimeException e) {
            onReply(t0, null, e);
            return;
        }
        reply.whenComplete((r, error) -> onReply(t0, r, error));
    }

    private void onReply(long t0, RaftClientReply reply, Throwable error) {
        long now = System.nanoTime();
        if (error == null && reply != null && reply.isSuccess()) {
            latency.recordValue(Math.min(MAX_LATENCY_MICROS, Math.max(0, (now - t0) / 1_000)));
            acked.incrementAndGet();
        } else {
            failed.incrementAndGet();
        }
        lastReplyNanos.accumulateAndGet(now, Math::max);
        permits.release();
    }

    private Result drain(long timeoutNanos) throws InterruptedException, TimeoutException {
        int all = settings.maxInFlight();
        if (!permits.tryAcquire(all, timeoutNanos, TimeUnit.NANOSECONDS)) {
            throw new TimeoutException("writes still in flight: " + progressLine());
        }
        permits.release(all);
        long start = startNanos;
        Duration elapsed = start == 0 ? Duration.ZERO : Duration.ofNanos(lastReplyNanos.get() - start);
        return new Result(sent(), acked(), failed(), elapsed, latency.copy());
    }

    /** The finalizer of SplitMix64: spreads consecutive inputs over all 64 bits. */
    private static long mix64(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
