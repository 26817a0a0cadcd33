package dev.picsou.mirror.server.bench;

import java.util.concurrent.ForkJoinPool;

/**
 * Makes the JVM's common fork-join pool usable on a small machine. {@code CompletableFuture}'s default async
 * executor is the common pool only when its parallelism is at least 2; the parallelism defaults to the CPU count
 * minus one, so on a 2-CPU machine (and in a process pinned to one CPU) every {@code *Async} stage without an
 * executor runs on a new thread. Ratis 3.2.2 uses {@code thenComposeAsync} on every follower append: measured with
 * JFR, 8,351 threads started in a 27 s run of one 5-replica site, with most of the process's time in the kernel.
 * Must run before {@code CompletableFuture} and {@code ForkJoinPool} are first used.
 */
public final class CommonPool {
    /** The parallelism set when none was configured. */
    public static final int PARALLELISM = 4;

    private CommonPool() {
    }

    /**
     * Sets {@code java.util.concurrent.ForkJoinPool.common.parallelism} unless configured; returns whether the
     * common pool now serves async stages (false if it was initialized too early to change).
     */
    public static boolean ensure() {
        String key = "java.util.concurrent.ForkJoinPool.common.parallelism";
        if (System.getProperty(key) == null) {
            System.setProperty(key, Integer.toString(PARALLELISM));
        }
        return ForkJoinPool.getCommonPoolParallelism() > 1;
    }
}
