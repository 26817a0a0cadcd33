package dev.picsou.mirror.server.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * CPU time of this process's threads, grouped by role, so a bench window can say where the primary's CPU went
 * (Raft's apply and log threads, gRPC, the Picsou drivers and their Netty loops, RocksDB, GC...). Threads are
 * grouped by name with every run of digits replaced by {@code #} and the Raft group id dropped; a thread that ended
 * between two snapshots loses its time. JVM threads that the MXBean does not list (GC, compilers) are not counted.
 */
final class ThreadCpu {
    private static final Pattern GROUP_ID = Pattern.compile("@group-[0-9A-F]+");
    private static final Pattern DIGITS = Pattern.compile("\\d+");

    private ThreadCpu() {
    }

    /** Nanoseconds of CPU per thread id, with each id's group name. */
    record Snapshot(Map<Long, Long> nanos, Map<Long, String> groups) {
    }

    static Snapshot take() {
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        Map<Long, Long> nanos = new HashMap<>();
        Map<Long, String> groups = new HashMap<>();
        if (!mx.isThreadCpuTimeSupported()) {
            return new Snapshot(nanos, groups);
        }
        for (ThreadInfo info : mx.getThreadInfo(mx.getAllThreadIds())) {
            if (info == null) {
                continue;
            }
            long cpu = mx.getThreadCpuTime(info.getThreadId());
            if (cpu >= 0) {
                nanos.put(info.getThreadId(), cpu);
                groups.put(info.getThreadId(), group(info.getThreadName()));
            }
        }
        return new Snapshot(nanos, groups);
    }

    /** Percent of one core per group between {@code before} and {@code after}, largest first, groups over 0.5%. */
    static Map<String, Double> percentByGroup(Snapshot before, Snapshot after, long elapsedNanos) {
        Map<String, Long> byGroup = new HashMap<>();
        after.nanos().forEach((id, cpu) -> byGroup.merge(after.groups().get(id),
                cpu - before.nanos().getOrDefault(id, 0L), Long::sum));
        Map<String, Double> out = new LinkedHashMap<>();
        byGroup.entrySet().stream()
                .map(e -> Map.entry(e.getKey(), 100.0 * e.getValue() / Math.max(1, elapsedNanos)))
                .filter(e -> e.getValue() >= 0.5)
                .sorted(Map.Entry.<String, Double>comparingByValue().reversed())
                .forEach(e -> out.put(e.getKey(), Math.round(e.getValue() * 10) / 10.0));
        return out;
    }

    static String group(String threadName) {
        return DIGITS.matcher(GROUP_ID.matcher(threadName).replaceAll("")).replaceAll("#");
    }
}
