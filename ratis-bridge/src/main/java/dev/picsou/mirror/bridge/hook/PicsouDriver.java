package dev.picsou.mirror.bridge.hook;

import dev.picsou.mirror.bridge.picsou.ActionSink;

import java.time.Duration;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
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
 * <p>Two ways to run: on a thread of its own ({@link #start()}), or on a single-threaded executor it shares
 * ({@link #startOn}), in practice the transport's one event loop: frames then go out and come in on the thread
 * that steps the engine, with no hand-over between threads. Either way one thread at a time runs the engine, and
 * events run in submission order.
 *
 * <p>The engine is reachable only through events, so it is never touched by two threads. The sink runs on the
 * driver's thread and must not block for long (sending is non-blocking; storage writes are small).
 */
public final class PicsouDriver implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PicsouDriver.class);
    private static final long MAX_PARK_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
    private static final long RETRY_AFTER_FAILURE_NANOS = TimeUnit.MILLISECONDS.toNanos(10);

    private final String name;
    private final EngineEvent tick;
    private final ActionSink sink;
    private final LongSupplier clock;
    private final Queue<EngineEvent> inbox = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean parked = new AtomicBoolean();
    private final AtomicBoolean runScheduled = new AtomicBoolean();
    private volatile boolean running = true;
    private volatile long eventsProcessed;
    /** Set by start or startOn, before any event can run. */
    private volatile Thread thread;
    private volatile ScheduledExecutorService loop;

    // Confined to the thread that runs the engine.
    private long deadline = Long.MAX_VALUE;
    private long lastTickNanos;
    private long processed;
    private ScheduledFuture<?> timer;
    private long timerAt = Long.MAX_VALUE;

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
    }

    /** Runs the engine on a new daemon thread. */
    public synchronized PicsouDriver start() {
        requireNotStarted();
        lastTickNanos = clock.getAsLong();
        Thread t = new Thread(this::run, name);
        t.setDaemon(true);
        thread = t;
        t.start();
        return this;
    }

    /**
     * Runs the engine on {@code executor}, which must run its tasks on one thread, in order (a Netty event loop).
     * Its tasks must not block, and the engine's must not either: they share the thread.
     */
    public synchronized PicsouDriver startOn(ScheduledExecutorService executor) {
        requireNotStarted();
        lastTickNanos = clock.getAsLong();
        loop = executor;
        runScheduled.set(true);
        executor.execute(() -> {
            thread = Thread.currentThread();
            runOnLoop();
        });
        return this;
    }

    private void requireNotStarted() {
        if (thread != null || loop != null) {
            throw new IllegalStateException(name + " already started");
        }
    }

    /** Queues an event for the engine; callable from any thread, never blocks. Dropped after {@link #close()}. */
    public void submit(EngineEvent event) {
        if (!running) {
            return;
        }
        inbox.add(event);
        ScheduledExecutorService executor = loop;
        if (executor != null) {
            if (runScheduled.compareAndSet(false, true)) {
                execute(executor, this::runOnLoop);
            }
        } else if (parked.get()) {
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
        if (Thread.currentThread() == thread) {
            return state.get();
        }
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

    /**
     * Runs every queued event, and the tick when the engine's deadline has come or {@link #MAX_PARK_NANOS} passed
     * without one (the owner may poll state the engine cannot see: a link's writability whose change was never
     * reported). Returns when it must run again if no event comes.
     */
    private long runDue() {
        try {
            while (true) {
                EngineEvent event;
                while ((event = inbox.poll()) != null) {
                    deadline = event.apply(clock.getAsLong(), sink);
                    processed++;
                }
                eventsProcessed = processed;
                long now = clock.getAsLong();
                if (now >= deadline || now - lastTickNanos >= MAX_PARK_NANOS) {
                    lastTickNanos = now;
                    deadline = tick.apply(now, sink);
                    continue;
                }
                return Math.min(deadline, lastTickNanos + MAX_PARK_NANOS);
            }
        } catch (RuntimeException e) {
            // An engine bug must not silently stop the stream: log it and keep the link alive.
            LOG.error("{}: engine event failed", name, e);
            deadline = clock.getAsLong() + RETRY_AFTER_FAILURE_NANOS;
            return deadline;
        }
    }

    private void run() {
        while (running) {
            long wakeAt = runDue();
            parked.set(true);
            if (inbox.isEmpty() && running) {
                LockSupport.parkNanos(this, wakeAt - clock.getAsLong());
            }
            parked.set(false);
        }
    }

    /** One turn on the shared executor; keeps one timer armed for the earliest moment it must run again. */
    private void runOnLoop() {
        runScheduled.set(false);
        if (!running) {
            return;
        }
        long wakeAt = runDue();
        if (timer == null || wakeAt < timerAt) {
            if (timer != null) {
                timer.cancel(false);
            }
            timerAt = wakeAt;
            try {
                timer = loop.schedule(this::onTimer, Math.max(0, wakeAt - clock.getAsLong()), TimeUnit.NANOSECONDS);
            } catch (RejectedExecutionException e) {
                timer = null; // the executor is shutting down: nothing runs here any more
            }
        }
    }

    private void onTimer() {
        timer = null;
        timerAt = Long.MAX_VALUE;
        runOnLoop();
    }

    private void execute(ScheduledExecutorService executor, Runnable task) {
        try {
            executor.execute(task);
        } catch (RejectedExecutionException e) {
            LOG.debug("{}: executor is shutting down; event not run", name);
        }
    }

    /**
     * Stops running events; waits (up to 5 s) for the one under way, unless called from the driver's own thread.
     * Events submitted afterwards are dropped.
     */
    @Override
    public void close() {
        running = false;
        Thread t = thread;
        if (t == null || t == Thread.currentThread()) {
            return;
        }
        try {
            ScheduledExecutorService executor = loop;
            if (executor == null) {
                LockSupport.unpark(t);
                t.join(TimeUnit.SECONDS.toMillis(5));
            } else {
                executor.submit(() -> { }).get(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException | RejectedExecutionException e) {
            LOG.debug("{}: executor did not confirm the stop: {}", name, e.toString());
        }
    }
}
