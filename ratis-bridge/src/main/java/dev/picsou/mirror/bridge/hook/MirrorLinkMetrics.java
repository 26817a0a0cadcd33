package dev.picsou.mirror.bridge.hook;

import com.codahale.metrics.Counter;
import com.codahale.metrics.Gauge;
import com.codahale.metrics.Histogram;
import com.codahale.metrics.Meter;
import com.codahale.metrics.MetricRegistry;
import com.codahale.metrics.Timer;

import java.util.function.LongSupplier;

/**
 * Dropwizard metrics of one {@link MirrorLink} and its {@link EntryIngestor}, all named
 * {@code picsou.mirror.link.<primarySite>.<metric>}:
 *
 * <table>
 *   <caption>metrics</caption>
 *   <tr><th>name</th><th>type</th><th>meaning</th></tr>
 *   <tr><td>received_seq</td><td>gauge</td><td>the {@code received} prefix this replica acknowledges</td></tr>
 *   <tr><td>durable_seq</td><td>gauge</td><td>the {@code durable} prefix this replica acknowledges</td></tr>
 *   <tr><td>state</td><td>gauge</td><td>{@link LinkEndpointState} ordinal</td></tr>
 *   <tr><td>ingest_queue</td><td>gauge</td><td>entries waiting to be proposed</td></tr>
 *   <tr><td>entries_delivered</td><td>meter</td><td>entries the engine handed to the site (re-proposals
 *       included)</td></tr>
 *   <tr><td>ingest_dropped</td><td>counter</td><td>entries dropped because the ingest queue was full (the engine
 *       proposes them again after its timeout)</td></tr>
 *   <tr><td>proposals_ok / proposals_failed</td><td>counter</td><td>ingest batches committed / refused or lost
 *       (leader change, timeout)</td></tr>
 *   <tr><td>proposal_entries</td><td>histogram</td><td>entries per proposed batch</td></tr>
 *   <tr><td>proposal_latency</td><td>timer</td><td>proposal to commit reply</td></tr>
 *   <tr><td>acks_sent</td><td>meter</td><td>acknowledgement frames sent to the primary</td></tr>
 *   <tr><td>refused_frames</td><td>meter</td><td>frames from the primary the engine dropped as invalid</td></tr>
 *   <tr><td>send_errors</td><td>counter</td><td>frames the transport rejected</td></tr>
 * </table>
 * Thread-safe. {@link #close()} removes every metric it registered.
 */
public final class MirrorLinkMetrics implements AutoCloseable {
    private final MetricRegistry registry;
    private final String prefix;
    final Meter entriesDelivered;
    final Counter ingestDropped;
    final Counter proposalsOk;
    final Counter proposalsFailed;
    final Histogram proposalEntries;
    final Timer proposalLatency;
    final Meter acksSent;
    final Meter refusedFrames;
    final Counter sendErrors;

    MirrorLinkMetrics(MetricRegistry registry, String primarySite) {
        this.registry = registry;
        this.prefix = MetricRegistry.name("picsou", "mirror", "link", primarySite);
        this.entriesDelivered = registry.meter(name("entries_delivered"));
        this.ingestDropped = registry.counter(name("ingest_dropped"));
        this.proposalsOk = registry.counter(name("proposals_ok"));
        this.proposalsFailed = registry.counter(name("proposals_failed"));
        this.proposalEntries = registry.histogram(name("proposal_entries"));
        this.proposalLatency = registry.timer(name("proposal_latency"));
        this.acksSent = registry.meter(name("acks_sent"));
        this.refusedFrames = registry.meter(name("refused_frames"));
        this.sendErrors = registry.counter(name("send_errors"));
    }

    void bind(MirrorLink link, LongSupplier ingestQueue) {
        gauge("received_seq", link::receivedSeq);
        gauge("durable_seq", link::durableSeq);
        gauge("state", () -> link.state().ordinal());
        gauge("ingest_queue", ingestQueue);
    }

    private void gauge(String metric, LongSupplier value) {
        registry.register(name(metric), (Gauge<Long>) value::getAsLong);
    }

    private String name(String metric) {
        return MetricRegistry.name(prefix, metric);
    }

    public String prefix() {
        return prefix;
    }

    @Override
    public void close() {
        registry.removeMatching((n, m) -> n.startsWith(prefix + "."));
    }
}
