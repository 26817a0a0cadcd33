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
 * steps the engine, lets the engine's actions go to the {@link ActionSink}, and waits for the engine's next
 * deadline or the next event. Netty event loops and the Ratis apply thread only {@link #submit} — never block here.
 *
 * <p>Two ways to host it, chosen at {@link #start(ScheduledExecutorService)}:
 * <ul>
 *   <li><b>On the transport's event loop</b> (a single-threaded loop that runs tasks in order, e.g. Netty's with
 *       one I/O thread): a drain is a task on that loop and the deadline a scheduled task. A frame read on the
 *       loop then reaches the engine in the same loop iteration, and the engine's sends are written in it too:
 *       no thread hand-off, no wake-up of a second thread, per frame either way.</li>
 *   <li><b>On its own thread</b> ({@code null} loop): the thread parks until an event or the deadline.</li>
 * </ul>
 * Either way events run one at a time, in submission order, on one thread at a time, and the engine is ticked at
 * its deadline and at least every {@link #MAX_PARK_NANOS}. On a loop, a long event holds up that transport's I/O
 * while it runs: the attach that replays a large outbox after a restart is the one such event (bounded by the
 * outbox cap when one is set); frames wait in the socket buffers meanwhile.
 *
 * <p>The engine is reachable only through events, so it is never touched by two threads. The sink runs on the
 * driver's thread and must not block for long (sending is non-blocking; storage writes are small).
 */
public final class PicsouDriver implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PicsouDriver.class);
    private static final long MAX_PARK_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
    /** Rounds of (inbox, tick) per loop task before the loop's I/O gets its turn again. */
    private static final int MAX_ROUNDS_PER_DRAIN = 64;
    private static final long CLOSE_WAIT_SECONDS = 5;
    private static final long RETRY_AFTER_FAILURE_NANOS = TimeUnit.MILLISECONDS.toNanos(10);

    private final String name;
    private final EngineEvent tick;
    private final ActionSink sink;
    private final LongSupplier clock;
    private final Queue<EngineEvent> inbox = new ConcurrentLinkedQueue<>();
    /** Own-thread mode: the thread is parked (or about to park) and needs an unpark. */
    private final AtomicBoolean parked = new AtomicBoolean();
    /** Loop mode: a drain task is queued on the loop and will see everything added before it runs. */
    private final AtomicBoolean drainQueued = new AtomicBoolean();
    private final Runnable drainTask = this::drainOnLoop;
    private volatile boolean running = true;
    private boolean started; // under start()'s lock
    private volatile long eventsProcessed;
    /** The driver's own thread, or (loop mode) the loop's thread once a drain ran on it. */
    private volatile Thread thread;
    private volatile ScheduledExecutorService loop;

    // Owned by whichever thread runs the engine (the driver's thread, or the loop).
    private long deadline = Long.MAX_VALUE;
    private long lastTickNanos;
    private long processed;
    private ScheduledFuture<?> timer;
    private long timerAt = Long.MAX_VALUE;

    /**
     * @param name  thread name (own-thread mode) and log prefix
     * @param tick  the engine's onTick, as an event
     * @param sink  where the engine's actions go (runs on the driver's thread)
     * @param clock monotonic nanoseconds (System::nanoTime in production)
     */
    public PicsouDriver(String name, EngineEvent tick, ActionSink sink, LongSupplier clock) {
        this.name = name;
        this.tick = tick;
        this.sink = sink;
        this.clock = clock;
    }

    /** Starts on a thread of its own. */
    public PicsouDriver start() {
        return start(null);
    }

    /**
     * Starts on {@code eventLoop} when it is given: it must run its tasks one at a time, in submission order (one
     * thread), and tolerate tasks of a few milliseconds. {@code null}: on a thread of its own. Events submitted
     * before start run right after it.
     *
     * @throws IllegalStateException if already started
     */
    public synchronized PicsouDriver start(ScheduledExecutorService eventLoop) {
        if (started) {
            throw new IllegalStateException(name + " already started");
        }
        lastTickNanos = clock.getAsLong();
        if (eventLoop == null) {
            Thread t = new Thread(this::run, name);
            t.setDaemon(true);
            thread = t;
            started = true;
            t.start();
        } else {
            loop = eventLoop;
            started = true;
            queueDrain();
        }
        return this;
    }

    /** Whether the driver runs on a transport's event loop rather than a thread of its own. */
    public boolean onEventLoop() {
        return loop != null;
    }

    /** Queues an event for the engine; callable from any thread, never blocks. Dropped after {@link #close()}. */
    public void submit(EngineEvent event) {
        if (!running) {
            return;
        }
        inbox.add(event);
        wake();
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
     * Evaluates {@code state} on the driver's thread (where the engine may be read) and returns it; "unavailable"
     * when the driver does not answer within {@code timeout}. For diagnostics: a stalled stream's test failure or
     * an operator's question. Not from the driver's own thread.
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

    private void wake() {
        if (loop != null) {
            queueDrain();
        } else if (parked.get()) {
            LockSupport.unpark(thread);
        }
    }

    /**
     * Runs the inbox, then the tick when due, until neither has work or {@code maxRounds} rounds ran.
     *
     * @return whether work is left (the tick is due again, or events wait behind a failed one)
     */
    private boolean step(int maxRounds) {
        for (int round = 0; round < maxRounds; round++) {
            try {
                EngineEvent event;
                while ((event = inbox.poll()) != null) {
                    deadline = event.apply(clock.getAsLong(), sink);
                    processed++;
                }
                eventsProcessed = processed;
                long now = clock.getAsLong();
                if (now < deadline && now - lastTickNanos < MAX_PARK_NANOS) {
                    return false;
                }
                // A tick at least every MAX_PARK_NANOS even without a deadline: the owner may poll state the
                // engine cannot see (a link's writability whose change was never reported).
                lastTickNanos = now;
                deadline = tick.apply(now, sink);
            } catch (RuntimeException e) {
                // An engine bug must not silently stop the stream: log it and keep the link alive.
                LOG.error("{}: engine event failed", name, e);
                deadline = clock.getAsLong() + RETRY_AFTER_FAILURE_NANOS;
                return !inbox.isEmpty();
            }
        }
        return true;
    }

    /** Nanoseconds from now to the next tick: the engine's deadline or the longest park, whichever is first. */
    private long untilNextTick(long now) {
        return Math.min(MAX_PARK_NANOS - (now - lastTickNanos), deadline - now);
    }

    // ------------------------------------------------------------------------------- own-thread mode

    private void run() {
        while (running) {
            if (step(Integer.MAX_VALUE)) {
                continue;
            }
            parked.set(true);
            if (inbox.isEmpty() && running) {
                LockSupport.parkNanos(this, untilNextTick(clock.getAsLong()));
            }
            parked.set(false);
        }
    }

    // ------------------------------------------------------------------------------------ loop mode

    private void queueDrain() {
        if (drainQueued.compareAndSet(false, true)) {
            try {
                loop.execute(drainTask);
            } catch (RejectedExecutionException e) {
                drainQueued.set(false); // the loop is shutting down: the transport is closing
            }
        }
    }

    private void drainOnLoop() {
        if (thread == null) {
            thread = Thread.currentThread(); // a single-threaded loop: the same thread every time
        }
        // Cleared first: an event added after this point queues another drain, so none is left behind.
        drainQueued.set(false);
        if (!running) {
            return;
        }
        if (step(MAX_ROUNDS_PER_DRAIN)) {
            queueDrain();
            return;
        }
        armTimer();
    }

    /** Makes sure a drain runs at the next tick; a timer that fires at or before it already does. */
    private void armTimer() {
        long now = clock.getAsLong();
        long at = now + Math.max(0, untilNextTick(now));
        if (timer != null && timerAt <= at) {
            return;
        }
        if (timer != null) {
            timer.cancel(false);
        }
        timerAt = at;
        try {
            timer = loop.schedule(this::onTimer, at - now, TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            timer = null; // the loop is shutting down
        }
    }

    private void onTimer() {
        timer = null;
        timerAt = Long.MAX_VALUE;
        drainOnLoop();
    }

    /**
     * Stops the driver: when this returns (called from another thread), no event runs any more and none will.
     * Events still queued are dropped. Bounded wait of five seconds.
     */
    @Override
    public void close() {
        running = false;
        Thread t = thread;
        if (t == Thread.currentThread()) {
            return;
        }
        ScheduledExecutorService host = loop;
        if (host == null) {
            if (t != null) {
                LockSupport.unpark(t);
                join(t);
            }
            return;
        }
        // A drain may be running on the loop right now: wait for a task queued behind it.
        CompletableFuture<Void> barrier = new CompletableFuture<>();
        try {
            host.execute(() -> barrier.complete(null));
            barrier.get(CLOSE_WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (RejectedExecutionException e) {
            // the loop has stopped: nothing runs on it any more
        } catch (ExecutionException | TimeoutException e) {
            LOG.warn("{}: the event loop did not get to the driver's close within {} s", name, CLOSE_WAIT_SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void join(Thread t) {
        try {
            t.join(TimeUnit.SECONDS.toMillis(CLOSE_WAIT_SECONDS));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
