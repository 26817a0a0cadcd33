package dev.picsou.mirror.server.bench;

import java.util.Locale;
import java.util.Map;

/**
 * The bench's JVMs run with glibc's {@code malloc} told to keep the native memory it frees: one arena, blocks up to
 * 32 MiB taken from it rather than mapped on their own, and no trimming. RocksDB allocates its memtables with
 * {@code malloc}, in blocks of 1 MiB; with glibc's defaults those went back to the kernel when a memtable was flushed
 * (mapped on their own until the first free raises the threshold, then from thread arenas whose wholly free heaps
 * are unmapped and whose free tops are trimmed), so every memtable, and every scenario's new stores, wrote into pages
 * the kernel had to find afresh. On a VM that hands freed memory back to its host those are the pages that get dear
 * (docs/performance.md, Findings). Kept in the process, a flushed memtable's memory is reused by the next one: the
 * process's resident size stops at its high-water mark and the page faults stop with it.
 *
 * <p>The setting travels in the {@code GLIBC_TUNABLES} environment variable of the JVMs the bench starts (the
 * mirror's child and the bench's own relaunch for {@code --jit}); other C libraries ignore it. A value that already
 * sets any {@code glibc.malloc} tunable is the user's choice and is passed on as it is: {@code
 * GLIBC_TUNABLES=glibc.malloc.perturb=0} runs the bench on glibc's defaults.
 */
public final class NativeHeap {
    /** The environment variable glibc reads its tunables from, at process start. */
    static final String VARIABLE = "GLIBC_TUNABLES";
    /**
     * One arena, the largest mmap threshold glibc accepts on 64-bit (32 MiB), and a trim threshold no process
     * reaches (1 TiB).
     */
    static final String KEEP_FREED_MEMORY = "glibc.malloc.arena_max=1:glibc.malloc.mmap_threshold=33554432"
            + ":glibc.malloc.trim_threshold=1099511627776";
    private static final String MALLOC_PREFIX = "glibc.malloc.";

    private NativeHeap() {
    }

    /**
     * The {@code GLIBC_TUNABLES} value for a JVM the bench starts, given this process's value {@code current}
     * (null when unset): {@link #KEEP_FREED_MEMORY} appended to any other tunables, or {@code current} unchanged
     * when it already chooses a malloc tunable.
     */
    static String tunablesFor(String current) {
        if (current == null || current.isBlank()) {
            return KEEP_FREED_MEMORY;
        }
        if (choosesMalloc(current)) {
            return current;
        }
        return current + ":" + KEEP_FREED_MEMORY;
    }

    /** Whether a process whose {@code GLIBC_TUNABLES} is {@code current} runs with this setting or a user's choice. */
    static boolean isSet(String current) {
        return current != null && choosesMalloc(current);
    }

    /** Sets {@code GLIBC_TUNABLES} in {@code environment} (a {@link ProcessBuilder}'s) from this process's value. */
    public static void applyTo(Map<String, String> environment) {
        environment.put(VARIABLE, tunablesFor(System.getenv(VARIABLE)));
    }

    /** Whether this process runs on Linux without this setting nor a choice of the user's (the bench then says so). */
    public static boolean missingHere() {
        return System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("linux")
                && !isSet(System.getenv(VARIABLE));
    }

    private static boolean choosesMalloc(String tunables) {
        for (String tunable : tunables.split(":")) {
            if (tunable.strip().startsWith(MALLOC_PREFIX)) {
                return true;
            }
        }
        return false;
    }
}
