package dev.picsou.mirror.server.bench;

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
 */
public final class FixedHeap {
    static final String PRE_TOUCH = "-XX:+AlwaysPreTouch";

    private FixedHeap() {
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
