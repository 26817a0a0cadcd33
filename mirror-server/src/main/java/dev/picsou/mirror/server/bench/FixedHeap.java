package dev.picsou.mirror.server.bench;

import java.util.List;

/**
 * The bench's JVMs run with their heap fixed at its maximum ({@code -Xms} = {@code -Xmx}). A heap that starts small
 * grows through full collections while the first scenarios run, and a pause of a few hundred milliseconds on either
 * site stalls the stream past the reorder grace: the first WAN scenario of an invocation resent 222-372 times against
 * 13-49 for the next, and 77 against 30 with the heap fixed (docs/performance.md, Findings).
 */
public final class FixedHeap {
    private FixedHeap() {
    }

    /**
     * The options that fix a heap of {@code maxBytes}, or none when {@code jvmArguments} already choose an initial
     * heap (an explicit choice wins).
     */
    public static List<String> options(List<String> jvmArguments, long maxBytes) {
        if (jvmArguments.stream().anyMatch(a -> a.startsWith("-Xms") || a.startsWith("-XX:InitialHeapSize="))) {
            return List.of();
        }
        long mib = Math.max(1, maxBytes >> 20);
        return List.of("-Xms" + mib + "m", "-Xmx" + mib + "m");
    }
}
