package dev.picsou.mirror.bridge.hook;

import com.codahale.metrics.Counter;
import com.codahale.metrics.Gauge;
import com.codahale.metrics.Meter;
import com.codahale.metrics.MetricRegistry;
import com.codahale.metrics.SlidingTimeWindowArrayReservoir;
import com.codahale.metrics.Timer;

import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Dropwizard metrics of one {@link PrimaryLink}, all named {@code picsou.primary.<mirrorSite>.<metric>}:
 *
 * <table>
 *   <caption>metrics</caption>
 *   <tr><th>name</th><th>type</th><th>meaning</th></tr>
 *   <tr><td>committed_seq</td><td>gauge</td><td>highest seq this replica committed and handed to the link</td></tr>
 *   <tr><td>quacked_seq</td><td>gauge</td><td>highest seq the mirror QUACKed (durable on the mirror site)</td></tr>
 *   <tr><td>lag_entries</td><td>gauge</td><td>committed_seq - quacked_seq: the RPO in entries</td></tr>
 *   <tr><td>lag_bytes</td><td>gauge</td><td>payload bytes of the un-QUACKed entries: the RPO in bytes</td></tr>
 *   <tr><td>lag_ms</td><td>gauge</td><td>age of the oldest un-QUACKed entry: the RPO in time</td></tr>
 *   <tr><td>outbox_entries</td><td>gauge</td><td>entries in the on-disk outbox (lastSeq - quackedSeq)</td></tr>
 *   <tr><td>state</td><td>gauge</td><td>{@link LinkEndpointState} ordinal</td></tr>
 *   <tr><td>sync_waiting</td><td>gauge</td><td>sync-mode client writes waiting for their QUACK</td></tr>
 *   <tr><td>sync_degraded</td><td>gauge</td><td>1 while a sync site runs degraded to async (alarm)</td></tr>
 *   <tr><td>outbox_alarm</td><td>gauge</td><td>1 while the outbox is past its alarm fraction of the cap
 *       ({@link OutboxLimit}; at the cap client writes are refused)</td></tr>
 *   <tr><td>entries_sent / bytes_sent</td><td>meter</td><td>entries (every attempt) and their payload bytes sent
 *       by this replica</td></tr>
 *   <tr><td>resends</td><td>meter</td><td>entries sent with attempt &gt; 0</td></tr>
 *   <tr><td>refused_frames</td><td>meter</td><td>frames from the mirror the engine dropped as invalid</td></tr>
 *   <tr><td>send_errors</td><td>counter</td><td>frames the transport rejected (too large, not started)</td></tr>
 *   <tr><td>store_errors</td><td>counter</td><td>failed hook-store writes on the link's thread</td></tr>
 *   <tr><td>quack_latency</td><td>timer</td><td>time from local commit to QUACK, per entry (the last minute's entries)</td></tr>
 * </table>
 * Thread-safe. {@link #close()} removes every metric it registered.
 */
public final class PrimaryLinkMetrics implements AutoCloseable {
    private static final long QUACK_LATENCY_WINDOW_SECONDS = 60;

    private final MetricRegistry registry;
    private final String prefix;
    final Meter entriesSent;
    final Meter bytesSent;
    final Meter resends;
    final Meter refusedFrames;
    final Counter sendErrors;
    final Counter storeErrors;
    /** Commit-to-QUACK latency of every entry QUACKed in the last minute. */
    final Timer quackLatency;

    PrimaryLinkMetrics(MetricRegistry registry, String mirrorSite) {
        this.registry = registry;
        this.prefix = MetricRegistry.name("picsou", "primary", mirrorSite);
        this.entriesSent = registry.meter(name("entries_sent"));
        this.bytesSent = registry.meter(name("bytes_sent"));
        this.resends = registry.meter(name("resends"));
        this.refusedFrames = registry.meter(name("refused_frames"));
        this.sendErrors = registry.counter(name("send_errors"));
        this.storeErrors = registry.counter(name("store_errors"));
        // One update per QUACKed entry, on the driver thread: the default reservoir's skip-list insert was 1% of the
        // primary's CPU in the bench. An array of the last minute's samples costs an append.
        this.quackLatency = registry.timer(name("quack_latency"),
                () -> new Timer(new SlidingTimeWindowArrayReservoir(QUACK_LATENCY_WINDOW_SECONDS, TimeUnit.SECONDS)));
    }

    void bind(PrimaryLink link) {
        gauge("committed_seq", link::committedSeq);
        gauge("quacked_seq", link::quackedSeq);
        gauge("lag_entries", link::lagEntries);
        gauge("lag_bytes", link::lagBytes);
        gauge("lag_ms", link::lagMillis);
        gauge("outbox_entries", link::outboxEntries);
        gauge("state", () -> link.state().ordinal());
        gauge("sync_waiting", link::syncWaiting);
        gauge("sync_degraded", () -> link.syncDegraded() ? 1 : 0);
        gauge("outbox_alarm", () -> link.outboxAlarm() ? 1 : 0);
    }

    private void gauge(String metric, LongSupplier value) {
        registry.register(name(metric), (Gauge<Long>) value::getAsLong);
    }

    private String name(String metric) {
        return MetricRegistry.name(prefix, metric);
    }

    /** The common prefix of every metric of this link. */
    public String prefix() {
        return prefix;
    }

    @Override
    public void close() {
        registry.removeMatching((n, m) -> n.startsWith(prefix + "."));
    }
}
