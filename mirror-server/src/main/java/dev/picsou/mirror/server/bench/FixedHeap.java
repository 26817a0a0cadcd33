package dev.picsou.mirror.server.bench;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;

/**
 * The bench's JVMs run with their heap fixed at its maximum ({@code -Xms} = {@code -Xmx}) and touched at start
 * ({@code -XX:+AlwaysPreTouch}), so that no collection during a scenario is the first to use a page.
 *
 * <p>A heap that starts small grows through full collections while the first scenarios run. A fixed heap that is
 * not touched still makes the first young collections that fill the survivor and old spaces fault in their pages:
 * on this project's VM those took 250-1,175 ms (against 11-168 ms once touched), longer than the 300 ms reorder
 * grace, and the first WAN scenario of an invocation resent 166-515 times against 1 with the heap touched
 * (docs/performance.md, Findings). Touching 5 GB takes about 2 s at start.
 *
 * <p>The heap is kept small ({@link #autoBytes}): on a VM a page first used costs far more beyond
 * the memory the guest has recently used (measured on this project's VM: 1.5 us a page within the first ~10 GB,
 * ~28 us beyond, and memory freed goes back to the host within seconds). Two 6 GB heaps touched at start left the
 * sites' own new pages (page cache, memtables, the mirror's tmpfs) to that slow memory, and the primary's state
 * machine paid up to three times its CPU per entry in the scenarios where the mirror ran (docs/performance.md,
 * Findings).
 */
public final class FixedHeap {
    static final String PRE_TOUCH = "-XX:+AlwaysPreTouch";
    /** Entries up to this size keep the bench's JVMs on {@link #SMALL_RUN_HEAP_BYTES}. */
    static final int SMALL_ENTRY_BYTES = 64 * 1024;
    /**
     * The heap of a run whose entries are all small: 5+5 replicas of 10 KB entries keep 0.35-0.47 GB live in the
     * primary (GC logs), bounded by Ratis' segment caches rather than by the entry size.
     */
    static final long SMALL_RUN_HEAP_BYTES = 2L << 30;
    /** Smallest heap a user may ask for: the Raft segment caches of one 5-replica site alone take about 0.3 GB. */
    public static final long MIN_BYTES = 512L << 20;

    private FixedHeap() {
    }

    /**
     * The heap each bench JVM (the primary's and the mirror's) gets for {@code scenarios} unless told otherwise:
     * {@link #SMALL_RUN_HEAP_BYTES} (at most a quarter of {@code physicalBytes}) when no scenario's entries exceed
     * {@link #SMALL_ENTRY_BYTES}, else a quarter of {@code physicalBytes} and at least that (the mirror of 7 replicas
     * at 1 MiB entries needed more than 2 GB).
     */
    public static long autoBytes(List<BenchScenario> scenarios, long physicalBytes) {
        long quarter = physicalBytes / 4;
        boolean small = scenarios.stream().allMatch(s -> s.entryBytes() <= SMALL_ENTRY_BYTES);
        return small ? Math.min(SMALL_RUN_HEAP_BYTES, quarter) : Math.max(SMALL_RUN_HEAP_BYTES, quarter);
    }

    /** This machine's physical memory (as the JVM sees it, container limits included). */
    public static long physicalBytes() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getTotalMemorySize();
    }

    /**
     * The options that fix and touch a heap of {@code maxBytes}; an initial heap or a pre-touch choice already in
     * {@code jvmArguments} wins over ours.
     */
    public static List<String> options(List<String> jvmArguments, long maxBytes) {
        List<String> options = new ArrayList<>(3);
        if (jvmArguments.stream().noneMatch(a -> a.startsWith("-Xms") || a.startsWith("-XX:InitialHeapSize="))) {
            long mib = Math.max(1, maxBytes >> 20);
            options.add("-Xms" + mib + "m");
            options.add("-Xmx" + mib + "m");
        }
        if (jvmArguments.stream().noneMatch(a -> a.startsWith("-XX:") && a.endsWith("AlwaysPreTouch"))) {
            options.add(PRE_TOUCH);
        }
        return List.copyOf(options);
    }
}
