package dev.picsou.mirror.bridge.hook;

import com.codahale.metrics.Counter;
import com.codahale.metrics.Gauge;
import com.codahale.metrics.Histogram;
import com.codahale.metrics.Meter;
import com.codahale.metrics.MetricRegistry;

import java.util.function.LongSupplier;

/**
 * Dropwizard metrics of one {@link MirrorStateMachine}, all named {@code picsou.mirror.apply.<metric>}:
 *
 * <table>
 *   <caption>metrics</caption>
 *   <tr><th>name</th><th>type</th><th>meaning</th></tr>
 *   <tr><td>durable_seq</td><td>gauge</td><td>every primary seq up to this one is applied on this replica</td></tr>
 *   <tr><td>pending_entries</td><td>gauge</td><td>entries held ahead of a gap</td></tr>
 *   <tr><td>applied_entries / applied_bytes</td><td>meter</td><td>the mirror apply rate, in entries and payload
 *       bytes</td></tr>
 *   <tr><td>duplicates</td><td>meter</td><td>entries dropped because their seq was applied or pending already</td></tr>
 *   <tr><td>batch_entries</td><td>histogram</td><td>entries per ingest batch</td></tr>
 *   <tr><td>invalid_batches</td><td>counter</td><td>ingest batches that did not decode (skipped)</td></tr>
 *   <tr><td>bad_payloads</td><td>counter</td><td>entries the payload applier refused (logged and skipped)</td></tr>
 *   <tr><td>batches_after_seal</td><td>counter</td><td>ingest batches ignored because a seal closed the epoch's
 *       stream (late proposals before a promotion)</td></tr>
 * </table>
 * Thread-safe. {@link #close()} removes every metric it registered.
 */
public final class MirrorStateMachineMetrics implements AutoCloseable {
    private final MetricRegistry registry;
    private final String prefix = MetricRegistry.name("picsou", "mirror", "apply");
    final Meter appliedEntries;
    final Meter appliedBytes;
    final Meter duplicates;
    final Histogram batchEntries;
    final Counter invalidBatches;
    final Counter badPayloads;
    final Counter batchesAfterSeal;

    MirrorStateMachineMetrics(MetricRegistry registry) {
        this.registry = registry;
        this.appliedEntries = registry.meter(name("applied_entries"));
        this.appliedBytes = registry.meter(name("applied_bytes"));
        this.duplicates = registry.meter(name("duplicates"));
        this.batchEntries = registry.histogram(name("batch_entries"));
        this.invalidBatches = registry.counter(name("invalid_batches"));
        this.badPayloads = registry.counter(name("bad_payloads"));
        this.batchesAfterSeal = registry.counter(name("batches_after_seal"));
    }

    void bind(LongSupplier durableSeq, LongSupplier pendingEntries) {
        registry.register(name("durable_seq"), (Gauge<Long>) durableSeq::getAsLong);
        registry.register(name("pending_entries"), (Gauge<Long>) pendingEntries::getAsLong);
    }

    private String name(String metric) {
        return MetricRegistry.name(prefix, metric);
    }

    @Override
    public void close() {
        registry.removeMatching((n, m) -> n.startsWith(prefix + "."));
    }
}
