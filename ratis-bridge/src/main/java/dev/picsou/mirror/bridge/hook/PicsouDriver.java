package dev.picsou.mirror.bridge.hook;

import dev.picsou.mirror.bridge.picsou.ActionSink;

import java.time.Duration;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one thread that owns a protocol engine (STYLE.md rule 2): it drains an MPSC inbox of {@link EngineEvent}s,
 * steps the engine, lets the engine's actions go to the {@link ActionSink}, and sleeps until the engine's next
 * deadline or the next event. Netty event loops and the Ratis apply thread only {@link #submit} — never block here.
 *
 * <p>The engine is reachable only through events, so it is never touched by two threads. The sink runs on this
 * thread and must not block for long (sending is non-blocking; storage writes are small).
 */
public final class PicsouDriver implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PicsouDriver.class);
    private static final long MAX_PARK_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    private final String name;
    private final EngineEvent tick;
    private final ActionSink sink;
    private final LongSupplier clock;
    private final Queue<EngineEvent> inbox = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean parked = new AtomicBoolean();
    private final Thread thread;
    private volatile boolean running = true;
    private volatile long eventsProcessed;

    /**
     * @param name  thread name
     * @param tick  the engine's onTick, as an event
     * @param sink  where the engine's actions go (runs on the driver thread)
     * @param clock monotonic nanoseconds (System::nanoTime in production)
     */
    public PicsouDriver(String name, EngineEvent tick, ActionSink sink, LongSupplier clock) {
        this.name = name;
        this.tick = tick;
        this.sink = sink;
        this.clock = clock;
        this.thread = new Thread(this::run, name);
        this.thread.setDaemon(true);
    }

    public PicsouDriver start() {
        thread.start();
        return this;
    }

    /** Queues an event for the engine; callable from any thread, never blocks. Dropped after {@link #close()}. */
    public void submit(EngineEvent event) {
        if (!running) {
            return;
        }
        inbox.add(event);
        if (parked.get()) {
            LockSupport.unpark(thread);
        }
    }

    /**
     * Queues an event without waking the driver: it runs, in order with the others, when the driver next wakes (an
     * event {@link #submit}ted, the engine's deadline, or at most {@link #MAX_PARK_NANOS} from now). For events
     * that can wait that long; saves the wake-up (a context switch) per event.
     */
    public void submitQuietly(EngineEvent event) {
        if (running) {
            inbox.add(event);
        }
    }

    /**
     * Evaluates {@code state} on the driver thread (where the engine may be read) and returns it; "unavailable"
     * when the driver does not answer within {@code timeout}. For diagnostics: a stalled stream's test failure or
     * an operator's question.
     */
    public String describe(Supplier<String> state, Duration timeout) {
        CompletableFuture<String> answer = new CompletableFuture<>();
        submit((now, out) -> {
            answer.complete(state.get());
            return now; // ticks the engine next, which gives its own deadline again
        });
        try {
            return answer.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            return "unavailable (" + e + ")";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "unavailable (interrupted)";
        }
    }

    /** Events handled so far (for metrics and tests). */
    public long eventsProcessed() {
        return eventsProcessed;
    }

    /** Events waiting in the inbox. */
    public int backlog() {
        return inbox.size();
    }

    private void run() {
        long deadline = Long.MAX_VALUE;
        long processed = 0;
        long lastTickNanos = clock.getAsLong();
        while (running) {
            try {
                EngineEvent event;
                while ((event = inbox.poll()) != null) {
                    deadline = event.apply(clock.getAsLong(), sink);
                    processed++;
                }
                eventsProcessed = processed;
                long now = clock.getAsLong();
                if (now >= deadline || now - lastTickNanos >= MAX_PARK_NANOS) {
                    // A tick at least every MAX_PARK_NANOS even without a deadline: the owner may poll state the
                    // engine cannot see (a link's writability whose change was never reported).
                    lastTickNanos = now;
                    deadline = tick.apply(now, sink);
                    continue;
                }
                parked.set(true);
                if (inbox.isEmpty() && running) {
                    LockSupport.parkNanos(this, Math.min(MAX_PARK_NANOS - (now - lastTickNanos), deadline - now));
                }
                parked.set(false);
            } catch (RuntimeException e) {
                // An engine bug must not silently stop the stream: log it and keep the link alive.
                LOG.error("{}: engine event failed", name, e);
                deadline = clock.getAsLong() + TimeUnit.MILLISECONDS.toNanos(10);
            }
        }
    }

    @Override
    public void close() {
        running = false;
        LockSupport.unpark(thread);
        try {
            thread.join(TimeUnit.SECONDS.toMillis(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
