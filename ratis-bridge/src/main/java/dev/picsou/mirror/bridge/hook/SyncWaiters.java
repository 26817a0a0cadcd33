package dev.picsou.mirror.bridge.hook;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sync-mode writes waiting for the mirror's QUACK (DESIGN.md §4): one future per {@code seq}, completed when the
 * QUACK reaches it. Implements the {@link DurabilityPolicy} timeout: strict sites keep waiting (and say so in the
 * log once per {@code maxWait}); degrading sites release every waiter and stop making new writes wait until the
 * QUACK has caught up with the last {@code seq} committed when they degraded.
 *
 * <p>Thread-safe (one monitor): the Ratis apply thread registers, the link's driver thread reports QUACKs, a
 * housekeeping thread calls {@link #check}, and Ratis' leader-state thread releases everything at step-down.
 */
final class SyncWaiters {
    private static final Logger LOG = LoggerFactory.getLogger(SyncWaiters.class);

    private final DurabilityPolicy policy;
    private final String name;
    private final TreeMap<Long, Waiter> bySeq = new TreeMap<>();
    private long quacked;
    private boolean degraded;
    private long degradedUntilSeq;
    private long lastStrictWarningNanos = Long.MIN_VALUE / 2;
    private long degradations;

    private record Waiter(CompletableFuture<Void> future, long sinceNanos) {
    }

    private final Executor completer;

    /**
     * @param completer runs the completions of released futures (Ratis replies to clients from them), so that the
     *                  link's driver thread never does that work
     */
    SyncWaiters(DurabilityPolicy policy, String name, Executor completer) {
        this.policy = policy;
        this.name = name;
        this.completer = completer;
    }

    private void complete(List<CompletableFuture<Void>> futures) {
        if (!futures.isEmpty()) {
            completer.execute(() -> futures.forEach(f -> f.complete(null)));
        }
    }

    /**
     * A future that completes when {@code seq} is QUACKed — at once if it already is, or if the site runs
     * degraded (async) right now.
     */
    synchronized CompletableFuture<Void> await(long seq, long nowNanos) {
        if (seq <= quacked || degraded) {
            return CompletableFuture.completedFuture(null);
        }
        Waiter w = bySeq.computeIfAbsent(seq, s -> new Waiter(new CompletableFuture<>(), nowNanos));
        return w.future();
    }

    /** The QUACK moved to {@code seq}; {@code lastSeq} is the highest seq committed locally. */
    void onQuacked(long seq, long lastSeq) {
        List<CompletableFuture<Void>> done = new ArrayList<>();
        synchronized (this) {
            if (seq <= quacked) {
                return;
            }
            quacked = seq;
            Map<Long, Waiter> head = bySeq.headMap(seq, true);
            head.values().forEach(w -> done.add(w.future()));
            head.clear();
            if (degraded && seq >= Math.max(degradedUntilSeq, lastSeq)) {
                degraded = false;
                LOG.warn("{}: mirror caught up (QUACK {}), sync durability is back in force", name, seq);
            }
        }
        complete(done);
    }

    /**
     * Starts degraded (async, with an alarm): for a primary promoted by a failover, whose mirror is the fenced old
     * primary. Sync durability comes back once a QUACK above {@code baseSeq} covers the last local seq, that is once
     * a mirror rejoined and caught up.
     */
    synchronized void startDegraded(long baseSeq) {
        degraded = true;
        degradations++;
        degradedUntilSeq = baseSeq + 1;
        LOG.error("{}: ALARM this epoch began with a failover at seq {}: its mirror is fenced, so writes run with"
                + " async durability until a mirror rejoins and catches up", name, baseSeq);
    }

    /** Applies the timeout policy; call periodically. */
    void check(long nowNanos, long lastSeq) {
        List<CompletableFuture<Void>> released = new ArrayList<>();
        synchronized (this) {
            if (bySeq.isEmpty()) {
                return;
            }
            long waitedNanos = nowNanos - bySeq.firstEntry().getValue().sinceNanos();
            if (waitedNanos < policy.maxWait().toNanos()) {
                return;
            }
            if (policy.onTimeout() == DurabilityPolicy.OnTimeout.KEEP_BLOCKING) {
                if (nowNanos - lastStrictWarningNanos >= policy.maxWait().toNanos()) {
                    lastStrictWarningNanos = nowNanos;
                    LOG.warn("{}: {} sync writes blocked for {} ms waiting for the mirror's QUACK (strict mode;"
                            + " QUACKed {}, oldest waiting seq {})", name, bySeq.size(), waitedNanos / 1_000_000,
                            quacked, bySeq.firstKey());
                }
                return;
            }
            degraded = true;
            degradations++;
            degradedUntilSeq = Math.max(lastSeq, bySeq.lastKey());
            bySeq.values().forEach(w -> released.add(w.future()));
            bySeq.clear();
            LOG.error("{}: ALARM mirror did not QUACK within {}; degrading to async durability until it catches up"
                    + " with seq {} ({} waiting writes released)", name, policy.maxWait(), degradedUntilSeq,
                    released.size());
        }
        complete(released);
    }

    /**
     * Completes every waiter normally: this replica stepped down or shuts down (Ratis already answered those
     * clients with NotLeader, and its apply pipeline must not wait for the mirror to stop).
     */
    void releaseAll(String reason) {
        List<CompletableFuture<Void>> released;
        synchronized (this) {
            released = new ArrayList<>();
            bySeq.values().forEach(w -> released.add(w.future()));
            bySeq.clear();
        }
        if (!released.isEmpty()) {
            LOG.info("{}: released {} sync waiters: {}", name, released.size(), reason);
        }
        released.forEach(f -> f.complete(null)); // synchronously: the completer may be gone at shutdown
    }

    /** Fails every waiter (the link was fenced: those entries will never be QUACKed). */
    void failAll(Throwable cause) {
        List<CompletableFuture<Void>> failed;
        synchronized (this) {
            failed = new ArrayList<>();
            bySeq.values().forEach(w -> failed.add(w.future()));
            bySeq.clear();
        }
        failed.forEach(f -> f.completeExceptionally(cause));
    }

    synchronized boolean degraded() {
        return degraded;
    }

    synchronized int waiting() {
        return bySeq.size();
    }

    synchronized long degradations() {
        return degradations;
    }
}
