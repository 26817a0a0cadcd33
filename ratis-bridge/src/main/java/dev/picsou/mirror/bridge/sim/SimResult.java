package dev.picsou.mirror.bridge.sim;

import java.util.List;

/**
 * What a simulated run measured. Deterministic: the same {@link SimConfig} always gives an equal result (wall time
 * is deliberately not part of it).
 *
 * @param protocol               protocol name
 * @param senders                replicas of the sending site
 * @param receivers              replicas of the receiving site
 * @param seed                   the configuration's seed
 * @param entries                entries the sending site committed
 * @param delivered              entries applied on the receiving site
 * @param violationCount         invariant violations found (the list below keeps at most the first 100)
 * @param violations             descriptions of the first violations, empty when the run was correct
 * @param duplicatesApplied      entries applied more than once on the receiving site (always a violation too)
 * @param wanCopiesPerEntry      entry transmissions by the senders (originals and resends) per committed entry
 * @param wanBytesPerPayloadByte bytes of every frame put on the WAN, both directions, per payload byte committed
 * @param resends                entry transmissions with {@code attempt > 0}
 * @param maxAttempts            over all entries, highest attempt number + 1
 * @param framesSent             frames put on the WAN, both directions
 * @param framesDropped          frames lost to loss, partitions or crashed endpoints
 * @param refusedFrames          frames the engines refused as invalid ({@code ActionSink.refused})
 * @param throughputEntriesPerS  applied entries / (time the last one became durable - time of the first commit)
 * @param throughputMBps         the same in payload megabytes (10^6 bytes) per second
 * @param latencyP50Ms           median commit-to-durable latency of applied entries (nearest rank)
 * @param latencyP99Ms           99th percentile of the same
 * @param latencyMaxMs           largest commit-to-durable latency
 * @param simulatedSeconds       simulated time at the end of the run
 * @param events                 simulation events processed
 */
public record SimResult(
        String protocol,
        int senders,
        int receivers,
        long seed,
        long entries,
        long delivered,
        long violationCount,
        List<String> violations,
        long duplicatesApplied,
        double wanCopiesPerEntry,
        double wanBytesPerPayloadByte,
        long resends,
        int maxAttempts,
        long framesSent,
        long framesDropped,
        long refusedFrames,
        double throughputEntriesPerS,
        double throughputMBps,
        double latencyP50Ms,
        double latencyP99Ms,
        double latencyMaxMs,
        double simulatedSeconds,
        long events) {

    public SimResult {
        violations = List.copyOf(violations);
    }

    /** True when there was no violation and every committed entry was applied on the receiving site. */
    public boolean ok() {
        return violationCount == 0 && delivered == entries;
    }

    /** A multi-line human summary. */
    public String summary() {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(java.util.Locale.ROOT,
                "%s %d+%d seed=%d: delivered %d/%d, violations %d, duplicates applied %d%n"
                        + "  copies/entry %.3f, WAN bytes/payload byte %.3f, resends %d, max attempts %d%n"
                        + "  throughput %.1f entries/s (%.2f MB/s), latency p50 %.2f ms p99 %.2f ms max %.2f ms%n"
                        + "  frames sent %d dropped %d refused %d, simulated %.3f s, %d events",
                protocol, senders, receivers, seed, delivered, entries, violationCount, duplicatesApplied,
                wanCopiesPerEntry, wanBytesPerPayloadByte, resends, maxAttempts, throughputEntriesPerS,
                throughputMBps, latencyP50Ms, latencyP99Ms, latencyMaxMs, framesSent, framesDropped,
                refusedFrames, simulatedSeconds, events));
        for (String v : violations) {
            sb.append(System.lineSeparator()).append("  VIOLATION: ").append(v);
        }
        return sb.toString();
    }
}
