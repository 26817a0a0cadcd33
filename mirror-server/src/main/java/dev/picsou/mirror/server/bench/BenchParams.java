package dev.picsou.mirror.server.bench;

import dev.picsou.mirror.bridge.picsou.PicsouParams;
import dev.picsou.mirror.bridge.sim.SimConfig;
import dev.picsou.mirror.bridge.transport.RateLimit;

import java.time.Duration;

/**
 * The channel tuning of a scenario, the same on both sites (each side derives it from the scenario alone).
 *
 * <p>Starts from the simulator's derivation ({@link SimConfig#derivedParams()}: a window of three round trips of
 * the whole sending site's uplinks, frames of about 2 ms of one uplink, timeouts from the round trip), with the
 * real mirror site's commit time in the round trip, then applies the floors a real one-machine deployment needs:
 * the reorder grace and minimum retransmission timeout of the embedded deployment (Raft followers apply tens of
 * milliseconds after the leader here; a shorter grace reads that skew as loss). An uncapped uplink is derived as
 * 1 Gbit/s with the window capped at 64 MiB.
 */
public final class BenchParams {
    /**
     * What the mirror site's Raft commit adds to the round trip on this kind of machine: ingest batching, a Raft
     * round among five replicas sharing one core, the apply. Measured commit-to-QUACK latencies of 300-400 ms
     * (20 ms one-way delay) with a window derived from 50 ms left the stream window-bound.
     */
    static final double MIRROR_COMMIT_MS = 300;
    /** Default of {@code -Dpicsou.bench.ackMs}. */
    static final long DEFAULT_ACK_MS = 20;
    /** Floor of the reorder grace (see {@code EmbeddedDeployment.REORDER_GRACE}). */
    static final long REORDER_GRACE_NANOS = Long.getLong("picsou.bench.graceMs", 300) * 1_000_000L;
    /**
     * Ack cadence of the receivers (default 20 ms): each ack round goes to one sender, so a sender hears from each
     * of five receivers every 100 ms, a third of the reorder grace. At a fixed 150 entries/s the primary's Picsou
     * threads spent 0.28 ms of the core per entry with 20 ms, 0.37 with 10 ms (docs/performance.md).
     */
    static final long ACK_INTERVAL_NANOS = Long.getLong("picsou.bench.ackMs", DEFAULT_ACK_MS) * 1_000_000L;
    /**
     * How long a partial batch waits for more entries ({@code -Dpicsou.bench.batchUs}, default 0 as
     * {@code channel.flush_interval}): none, the entries committed together still leave together. At a fixed 150
     * entries/s, 1 ms (the default before) cost the primary 8-12% more CPU in all (docs/performance.md).
     */
    static final long BATCH_DELAY_NANOS = Long.getLong("picsou.bench.batchUs", 0) * 1_000L;
    /** Floor of the retransmission timeout. */
    static final long MIN_RTO_NANOS = 300_000_000L;
    private static final long MAX_WINDOW_BYTES = 64L << 20;
    /** Headers of a data frame and its entries, generously. */
    private static final long FRAME_OVERHEAD_BYTES = 512;

    private BenchParams() {
    }

    /** The engine parameters of {@code s} (both sites must use the same). */
    public static PicsouParams of(BenchScenario s) {
        double mbps = s.uplinkMbps() > 0 ? s.uplinkMbps() : 1000;
        PicsouParams derived = SimConfig.builder()
                .senders(s.senders())
                .receivers(s.receivers())
                .entryBytes(s.entryBytes())
                .uplinkMbps(mbps)
                .oneWayDelayMs(s.oneWayDelayMs())
                .siteCommitDelayMs(MIRROR_COMMIT_MS)
                .build()
                .derivedParams();
        long windowBytes = Math.min(MAX_WINDOW_BYTES, derived.windowBytes());
        int windowEntries = (int) Math.max(64, Math.min(derived.windowEntries(), windowBytes / s.entryBytes() + 1));
        windowBytes = Math.max(windowBytes, (long) windowEntries * s.entryBytes());
        return derived.toBuilder()
                .windowBytes(windowBytes)
                .windowEntries(windowEntries)
                .reorderGraceNanos(Math.max(REORDER_GRACE_NANOS, derived.reorderGraceNanos()))
                .ackIntervalNanos(ACK_INTERVAL_NANOS)
                .batchDelayNanos(BATCH_DELAY_NANOS)
                .minRetransmitTimeoutNanos(Math.max(MIN_RTO_NANOS, derived.minRetransmitTimeoutNanos()))
                .initialRetransmitTimeoutNanos(Math.max(2 * MIN_RTO_NANOS, derived.initialRetransmitTimeoutNanos()))
                .build();
    }

    /**
     * The most un-QUACKed entries the saturating load lets pile up: one and a half windows, so the channel always
     * has a full window to send, while a drain after the run stays short.
     */
    public static long maxBacklogEntries(BenchScenario s, PicsouParams p) {
        long byBytes = p.windowBytes() / s.entryBytes() + 1;
        return 3 * Math.max(64, Math.min(p.windowEntries(), byBytes)) / 2;
    }

    /**
     * The WAN emulator of one replica's uplink, or null when the scenario has none: a token bucket of the uplink
     * rate (one bucket for everything the replica sends), then the one-way delay. The queue bound (over which the
     * replica's links report not writable) is two frames or 5 ms of the uplink, whichever is more, as in the
     * simulator.
     */
    public static RateLimit wan(BenchScenario s, PicsouParams p) {
        if (!s.wanEmulated()) {
            return null;
        }
        long rate = s.uplinkMbps() > 0 ? s.uplinkBytesPerSecond() : 100_000_000_000L / 8;
        long frame = (long) p.batchMaxBytes() + FRAME_OVERHEAD_BYTES;
        long queue = Math.max(2 * frame, rate / 200);
        long burst = Math.max(frame, rate / 100);
        return new RateLimit(rate, burst, Duration.ofNanos((long) (s.oneWayDelayMs() * 1e6)), queue,
                RateLimit.Scope.UPLINK);
    }
}
