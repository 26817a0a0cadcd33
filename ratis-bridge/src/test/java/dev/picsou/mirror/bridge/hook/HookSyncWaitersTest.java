package dev.picsou.mirror.bridge.hook;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class HookSyncWaitersTest {
    private static final long MS = 1_000_000;

    private static SyncWaiters waiters(DurabilityPolicy.OnTimeout onTimeout) {
        return new SyncWaiters(DurabilityPolicy.sync(Duration.ofMillis(100), onTimeout), "test", Runnable::run);
    }

    @Test
    void aWriteCompletesWhenTheQuackCoversItsSeq() {
        SyncWaiters w = waiters(DurabilityPolicy.OnTimeout.KEEP_BLOCKING);
        CompletableFuture<Void> five = w.await(5, 0);
        CompletableFuture<Void> seven = w.await(7, 0);
        w.onQuacked(6, 7);
        assertThat(five).isCompleted();
        assertThat(seven).isNotDone();
        assertThat(w.waiting()).isEqualTo(1);
        assertThat(w.await(3, 0)).as("already QUACKed").isCompleted();
        w.onQuacked(7, 7);
        assertThat(seven).isCompleted();
    }

    @Test
    void aStrictSiteKeepsWaitingPastMaxWait() {
        SyncWaiters w = waiters(DurabilityPolicy.OnTimeout.KEEP_BLOCKING);
        CompletableFuture<Void> f = w.await(1, 0);
        w.check(10_000 * MS, 1);
        assertThat(f).isNotDone();
        assertThat(w.degraded()).isFalse();
    }

    @Test
    void aDegradingSiteReleasesEveryWaiterAndRunsAsyncUntilTheMirrorCaughtUp() {
        SyncWaiters w = waiters(DurabilityPolicy.OnTimeout.DEGRADE_TO_ASYNC);
        CompletableFuture<Void> one = w.await(1, 0);
        CompletableFuture<Void> two = w.await(2, 50 * MS);
        w.check(99 * MS, 2);
        assertThat(one).isNotDone();
        w.check(100 * MS, 2);
        assertThat(one).isCompleted();
        assertThat(two).isCompleted();
        assertThat(w.degraded()).isTrue();
        assertThat(w.await(3, 101 * MS)).as("degraded: no waiting").isCompleted();
        w.onQuacked(2, 3);
        assertThat(w.degraded()).as("not caught up with seq 3 yet").isTrue();
        w.onQuacked(3, 3);
        assertThat(w.degraded()).isFalse();
        assertThat(w.await(4, 200 * MS)).isNotDone();
        assertThat(w.degradations()).isEqualTo(1);
    }

    @Test
    void stepDownReleasesAndFencingFails() {
        SyncWaiters w = waiters(DurabilityPolicy.OnTimeout.KEEP_BLOCKING);
        CompletableFuture<Void> a = w.await(1, 0);
        w.releaseAll("stepped down");
        assertThat(a).isCompleted();
        CompletableFuture<Void> b = w.await(2, 0);
        w.failAll(new IllegalStateException("fenced"));
        assertThat(b).isCompletedExceptionally();
        assertThat(w.waiting()).isZero();
    }

    @Test
    void aFailoverEpochRunsAsyncUntilAMirrorQuacksPastTheForkPointAndCatchesUp() {
        SyncWaiters w = waiters(DurabilityPolicy.OnTimeout.DEGRADE_TO_ASYNC);
        w.startDegraded(100);

        assertThat(w.await(101, 0)).isDone();
        w.onQuacked(100, 101);
        assertThat(w.degraded()).as("the base seq QUACKed again is no sign of a live mirror").isTrue();

        w.onQuacked(101, 101);
        assertThat(w.degraded()).isFalse();
        assertThat(w.await(102, 0)).isNotDone();
        w.onQuacked(102, 102);
        assertThat(w.await(102, 0)).isDone();
    }
}
