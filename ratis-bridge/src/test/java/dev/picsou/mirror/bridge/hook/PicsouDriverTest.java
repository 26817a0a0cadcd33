package dev.picsou.mirror.bridge.hook;

import dev.picsou.mirror.bridge.model.Entry;
import dev.picsou.mirror.bridge.model.FencedFrame;
import dev.picsou.mirror.bridge.model.Frame;
import dev.picsou.mirror.bridge.picsou.ActionSink;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class PicsouDriverTest {
    private final List<String> ran = new CopyOnWriteArrayList<>();
    private final ScheduledExecutorService loop = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "test-event-loop");
        t.setDaemon(true);
        return t;
    });

    @AfterEach
    void stopLoop() throws InterruptedException {
        loop.shutdownNow();
        loop.awaitTermination(5, TimeUnit.SECONDS);
    }

    @Test
    void aQuietEventRunsBeforeTheNextWakingEventInSubmissionOrder() {
        try (PicsouDriver driver = new PicsouDriver("driver-test", (now, out) -> Long.MAX_VALUE, new NoSink(),
                System::nanoTime).start()) {
            for (int i = 0; i < 100; i++) {
                driver.submitQuietly(record("quiet-" + i));
                driver.submit(record("woken-" + i));
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> ran.size() == 200);
            for (int i = 0; i < 100; i++) {
                assertThat(ran.get(2 * i)).isEqualTo("quiet-" + i);
                assertThat(ran.get(2 * i + 1)).isEqualTo("woken-" + i);
            }
        }
    }

    @Test
    void aQuietEventAloneStillRunsAtTheDriversNextTick() {
        try (PicsouDriver driver = new PicsouDriver("driver-test", (now, out) -> Long.MAX_VALUE, new NoSink(),
                System::nanoTime).start()) {
            await().atMost(Duration.ofSeconds(5)).until(() -> driver.eventsProcessed() == 0);
            driver.submitQuietly(record("alone"));
            await().atMost(Duration.ofSeconds(10)).until(() -> ran.contains("alone"));
        }
    }

    @Test
    void onAnEventLoopEventsRunOnThatLoopInSubmissionOrder() {
        AtomicReference<String> threadName = new AtomicReference<>();
        try (PicsouDriver driver = new PicsouDriver("driver-test", (now, out) -> Long.MAX_VALUE, new NoSink(),
                System::nanoTime)) {
            driver.submit(record("before-start"));
            driver.start(loop);
            assertThat(driver.onEventLoop()).isTrue();
            for (int i = 0; i < 100; i++) {
                driver.submitQuietly(record("quiet-" + i));
                driver.submit(record("woken-" + i));
            }
            driver.submit((now, out) -> {
                threadName.set(Thread.currentThread().getName());
                return Long.MAX_VALUE;
            });
            await().atMost(Duration.ofSeconds(10)).until(() -> threadName.get() != null);
            assertThat(threadName.get()).isEqualTo("test-event-loop");
            assertThat(ran).hasSize(201);
            assertThat(ran.get(0)).isEqualTo("before-start");
            for (int i = 0; i < 100; i++) {
                assertThat(ran.get(1 + 2 * i)).isEqualTo("quiet-" + i);
                assertThat(ran.get(2 + 2 * i)).isEqualTo("woken-" + i);
            }
        }
    }

    @Test
    void onAnEventLoopAQuietEventAloneRunsAtTheNextTick() {
        try (PicsouDriver driver = new PicsouDriver("driver-test", (now, out) -> Long.MAX_VALUE, new NoSink(),
                System::nanoTime).start(loop)) {
            driver.submitQuietly(record("alone"));
            await().atMost(Duration.ofSeconds(10)).until(() -> ran.contains("alone"));
        }
    }

    @Test
    void onAnEventLoopTheEngineIsTickedAtItsDeadline() {
        AtomicLong deadline = new AtomicLong(Long.MAX_VALUE);
        AtomicLong tickedAt = new AtomicLong(-1);
        EngineEvent tick = (now, out) -> {
            if (now >= deadline.get()) {
                tickedAt.compareAndSet(-1, now);
            }
            return deadline.get();
        };
        try (PicsouDriver driver = new PicsouDriver("driver-test", tick, new NoSink(), System::nanoTime)
                .start(loop)) {
            driver.submit((now, out) -> {
                deadline.set(now + TimeUnit.MILLISECONDS.toNanos(30));
                return deadline.get();
            });
            await().atMost(Duration.ofSeconds(10)).until(() -> tickedAt.get() >= 0);
            assertThat(tickedAt.get()).isGreaterThanOrEqualTo(deadline.get());
        }
    }

    @Test
    void closeFromAnotherThreadWaitsForTheEventRunningOnTheLoop() throws Exception {
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicBoolean finished = new AtomicBoolean();
        AtomicBoolean finishedWhenCloseReturned = new AtomicBoolean();
        PicsouDriver driver = new PicsouDriver("driver-test", (now, out) -> Long.MAX_VALUE, new NoSink(),
                System::nanoTime).start(loop);
        driver.submit((now, out) -> {
            entered.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            finished.set(true);
            return Long.MAX_VALUE;
        });
        assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();
        Thread closer = new Thread(() -> {
            driver.close();
            finishedWhenCloseReturned.set(finished.get());
        });
        closer.start();
        await().atMost(Duration.ofSeconds(10)).until(() -> closer.getState() == Thread.State.TIMED_WAITING
                || closer.getState() == Thread.State.WAITING || !closer.isAlive());
        release.countDown();
        closer.join(TimeUnit.SECONDS.toMillis(10));
        assertThat(finishedWhenCloseReturned).isTrue();
    }

    private EngineEvent record(String name) {
        return (now, out) -> {
            ran.add(name);
            return Long.MAX_VALUE;
        };
    }

    private static final class NoSink implements ActionSink {
        @Override
        public boolean send(int peer, Frame frame) {
            return true;
        }

        @Override
        public void deliver(Entry entry) {
        }

        @Override
        public void quacked(long seq) {
        }

        @Override
        public void fenced(FencedFrame refusal) {
        }

        @Override
        public void refused(int peer, String reason) {
        }
    }
}
