package dev.picsou.mirror.server.bench;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What one scenario measured. Throughput is over the measured window only (after the warmup); the copy and byte
 * ratios and resends cover the whole run including the drain; the delivery check comes after the drain.
 *
 * @param scenario               what ran
 * @param entriesPerS            entries made durable on the mirror per second (for {@code none}: client writes
 *                               acknowledged by the primary per second)
 * @param primaryEntriesPerS     client writes acknowledged by the primary site per second
 * @param lagP50Ms               commit-to-QUACK latency on the primary leader, median (0 without QUACKs)
 * @param lagP99Ms               ... 99th percentile
 * @param writeP50Ms             client write latency on the primary, median
 * @param writeP99Ms             ... 99th percentile
 * @param wanCopiesPerEntry      entry transmissions between the sites per committed entry
 * @param wanBytesPerPayloadByte bytes both sites' transports sent to each other per committed payload byte
 * @param resends                entry retransmissions
 * @param cpuPercent             CPU of the bench's processes over the window, in percent of the machine's cores
 * @param primaryCpuPercent      CPU of the primary's process over the window, in percent of one core
 * @param mirrorCpuPercent       CPU of the mirror's child process over the window, in percent of one core (0 when
 *                               it shares the primary's process)
 * @param otherCpuPercent        CPU that other processes of the machine used over the window, in percent of one
 *                               core (-1 when unknown): above a few percent the machine was shared and the
 *                               figures are noisy
 * @param gatedPercent           share of the window in which the saturating load waited for the stream
 * @param primaryFaultsPerS      minor page faults of the primary's process per second of the window
 *                               ({@link PageFaults}; -1 when unknown)
 * @param mirrorFaultsPerS       ... of the mirror's child process (-1 when unknown or no child)
 * @param committed              entries the primary committed in the run
 * @param delivered              lowest durable seq among the running mirror replicas after the drain
 * @param deliveryOk             every committed entry is durable on every running mirror replica, its entry log
 *                               digest equals every running primary replica's stream digest, and the QUACK covers
 *                               the stream (for {@code none}: the primary replicas agree)
 * @param digestsMatch           every running replica of both sites has the same KV state digest
 * @param problems               what failed, in words (empty when all is well)
 * @param primaryCpuByThread     the primary process's CPU over the window by thread group ({@link ThreadCpu}), in
 *                               percent of one core, largest first
 * @param windowStart            when the measured window began (null when the scenario did not run), so that what
 *                               else the machine did can be matched to it
 */
public record BenchResult(BenchScenario scenario, double entriesPerS, double primaryEntriesPerS, double lagP50Ms,
                          double lagP99Ms, double writeP50Ms, double writeP99Ms, double wanCopiesPerEntry,
                          double wanBytesPerPayloadByte, long resends, double cpuPercent, double primaryCpuPercent,
                          double mirrorCpuPercent, double otherCpuPercent, double gatedPercent, double primaryFaultsPerS,
                          double mirrorFaultsPerS, long committed, long delivered,
                          boolean deliveryOk, boolean digestsMatch, List<String> problems,
                          Map<String, Double> primaryCpuByThread, Instant windowStart) {

    public BenchResult {
        problems = List.copyOf(problems);
        primaryCpuByThread = Collections.unmodifiableMap(new LinkedHashMap<>(primaryCpuByThread));
    }

    /** A scenario that did not run (or not to its window): no figures, failed with {@code problem}. */
    static BenchResult notRun(BenchScenario scenario, String problem) {
        return new BenchResult(scenario, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, -1, -1, 0, 0, false, false,
                List.of(problem), Map.of(), null);
    }

    /** Payload megabytes (10^6) made durable on the mirror per second. */
    public double mbPerS() {
        return entriesPerS * scenario.entryBytes() / 1e6;
    }

    /**
     * Milliseconds of one core the primary's process spent per client write it acknowledged, over the window (0
     * without writes). At a fixed {@code --rate} below saturation it is the primary's cost per entry; at saturation
     * it also moves with how well Raft batches at that throughput.
     */
    public double primaryCpuMsPerEntry() {
        return primaryEntriesPerS > 0 ? primaryCpuPercent * 10 / primaryEntriesPerS : 0;
    }

    /** Delivered and equal. */
    public boolean ok() {
        return deliveryOk && digestsMatch && problems.isEmpty();
    }

    /** The JSON object of this scenario (snake_case keys). */
    public Map<String, Object> toJson() {
        BenchScenario s = scenario;
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("protocol", s.protocol());
        m.put("senders", s.senders());
        m.put("receivers", s.mirrored() ? s.receivers() : 0);
        m.put("entry_bytes", s.entryBytes());
        m.put("uplink_mbps", s.uplinkMbps());
        m.put("one_way_delay_ms", s.oneWayDelayMs());
        m.put("crash_senders", s.crashSenders());
        m.put("crash_receivers", s.crashReceivers());
        m.put("rate", s.rate());
        m.put("duration_s", s.duration().toMillis() / 1e3);
        m.put("entries_per_s", round(entriesPerS, 1));
        m.put("mb_per_s", round(mbPerS(), 3));
        m.put("primary_entries_per_s", round(primaryEntriesPerS, 1));
        m.put("lag_p50_ms", round(lagP50Ms, 1));
        m.put("lag_p99_ms", round(lagP99Ms, 1));
        m.put("write_p50_ms", round(writeP50Ms, 1));
        m.put("write_p99_ms", round(writeP99Ms, 1));
        m.put("wan_copies_per_entry", round(wanCopiesPerEntry, 3));
        m.put("wan_bytes_per_payload_byte", round(wanBytesPerPayloadByte, 3));
        m.put("resends", resends);
        m.put("cpu_percent", round(cpuPercent, 1));
        m.put("primary_cpu_percent", round(primaryCpuPercent, 1));
        m.put("primary_cpu_ms_per_entry", round(primaryCpuMsPerEntry(), 3));
        m.put("mirror_cpu_percent", round(mirrorCpuPercent, 1));
        m.put("other_cpu_percent", round(otherCpuPercent, 1));
        m.put("gated_percent", round(gatedPercent, 1));
        m.put("primary_page_faults_per_s", round(primaryFaultsPerS, 0));
        m.put("mirror_page_faults_per_s", round(mirrorFaultsPerS, 0));
        m.put("window_start", windowStart == null ? null : windowStart.toString());
        m.put("committed", committed);
        m.put("delivered", delivered);
        m.put("delivery_ok", deliveryOk);
        m.put("digests_match", digestsMatch);
        m.put("problems", problems);
        m.put("primary_cpu_by_thread", primaryCpuByThread);
        return m;
    }

    private static double round(double v, int places) {
        if (!Double.isFinite(v)) {
            return 0;
        }
        double f = Math.pow(10, places);
        return Math.round(v * f) / f;
    }
}
