package dev.picsou.mirror.server.admin;

import com.codahale.metrics.Counter;
import com.codahale.metrics.Gauge;
import com.codahale.metrics.Histogram;
import com.codahale.metrics.Meter;
import com.codahale.metrics.Metric;
import com.codahale.metrics.MetricRegistry;
import com.codahale.metrics.Snapshot;
import com.codahale.metrics.Timer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Renders a Dropwizard {@link MetricRegistry} in the Prometheus text exposition format 0.0.4.
 *
 * <p><b>Names.</b> Every character outside {@code [a-zA-Z0-9_:]} becomes {@code _}, and {@code picsou_} is put in
 * front unless the result already starts with it ({@code picsou.mirror.link.a.acks_sent} becomes
 * {@code picsou_mirror_link_a_acks_sent}, {@code jvm.heap-used} becomes {@code picsou_jvm_heap_used}).
 *
 * <p><b>Types.</b>
 * <table>
 *   <caption>Dropwizard metric to Prometheus families</caption>
 *   <tr><th>Dropwizard</th><th>families</th></tr>
 *   <tr><td>Gauge of a Number</td><td>{@code gauge <name>}; a Boolean is 1 or 0; a gauge of anything else, of
 *       {@code null}, or whose {@code getValue()} throws is left out</td></tr>
 *   <tr><td>Counter</td><td>{@code counter <name>_total} ({@code _total} is added unless the name already ends
 *       with it, as for every counter here)</td></tr>
 *   <tr><td>Meter</td><td>{@code counter <name>_total} (events since start) and
 *       {@code gauge <name>_m1_rate} (one-minute exponentially weighted rate, events per second)</td></tr>
 *   <tr><td>Histogram</td><td>{@code summary <name>}: quantiles 0.5, 0.75, 0.95, 0.99, 0.999 of the reservoir,
 *       and {@code <name>_count}</td></tr>
 *   <tr><td>Timer</td><td>{@code summary <name>_seconds}: the same quantiles converted from nanoseconds to
 *       seconds, and {@code <name>_seconds_count}</td></tr>
 * </table>
 * Summaries have no {@code _sum}: Dropwizard keeps no exact sum, and the reservoir's mean times the count is
 * not monotonic, so {@code rate(_sum) / rate(_count)} over it would be wrong rather than approximate.
 *
 * <p><b>Collisions.</b> Names that differ only in sanitization, or whose derived names meet (a gauge
 * {@code x.count} next to a histogram {@code x}), never share a family: metrics are taken in order of their
 * Dropwizard names, the first keeps its name and each later one gets the first free suffix {@code _2},
 * {@code _3}, ... before its type suffix ({@code picsou_a_b_2_total}). A summary also reserves
 * {@code <name>_count} and {@code <name>_sum}.
 *
 * <p><b>Layout.</b> One {@code # HELP} (naming the Dropwizard metric) and one {@code # TYPE} line per family,
 * families sorted by name, no timestamps; numbers as Java prints them, with {@code NaN}, {@code +Inf} and
 * {@code -Inf} spelled as the format wants.
 *
 * <p>Stateless and thread-safe; the output depends only on the registry's contents at the time of the call.
 */
final class PrometheusText {

    /** {@code Content-Type} of the rendering. */
    static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";
    /** Put in front of every name that does not start with it already. */
    static final String PREFIX = "picsou_";
    /** Quantiles of every summary. */
    static final double[] QUANTILES = {0.5, 0.75, 0.95, 0.99, 0.999};

    private static final Logger LOG = LoggerFactory.getLogger(PrometheusText.class);
    private static final double NANOSECONDS_PER_SECOND = 1e9;

    private PrometheusText() {
    }

    /** The whole registry, in the format described above. */
    static String render(MetricRegistry registry) {
        Map<String, Family> families = new TreeMap<>();
        Set<String> taken = new HashSet<>();
        for (Map.Entry<String, Metric> metric : new TreeMap<>(registry.getMetrics()).entrySet()) {
            Export export = export(metric.getKey(), metric.getValue());
            if (export != null) {
                for (Family family : allocate(stem(metric.getKey(), export.typeSuffix()), export, taken)) {
                    families.put(family.name(), family);
                }
            }
        }
        StringBuilder out = new StringBuilder(256 * families.size());
        for (Family family : families.values()) {
            family.appendTo(out);
        }
        return out.toString();
    }

    /** {@code name} with every character outside {@code [a-zA-Z0-9_:]} replaced by {@code _}, then prefixed. */
    static String sanitize(String name) {
        StringBuilder out = new StringBuilder(PREFIX.length() + name.length());
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            boolean valid = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '_' || c == ':';
            out.append(valid ? c : '_');
        }
        return out.indexOf(PREFIX) == 0 ? out.toString() : PREFIX + out;
    }

    /** A sample value: integers exactly, other numbers as doubles, {@code NaN}, {@code +Inf}, {@code -Inf}. */
    static String formatNumber(Number value) {
        if (value instanceof Long || value instanceof Integer || value instanceof Short || value instanceof Byte
                || value instanceof AtomicLong || value instanceof AtomicInteger || value instanceof LongAdder) {
            return Long.toString(value.longValue());
        }
        return formatDouble(value.doubleValue());
    }

    static String formatDouble(double value) {
        if (Double.isNaN(value)) {
            return "NaN";
        }
        if (Double.isInfinite(value)) {
            return value > 0 ? "+Inf" : "-Inf";
        }
        return Double.toString(value);
    }

    /** The families of one metric built from a stem, and the type suffix its stem is stripped of. */
    private record Export(String typeSuffix, Function<String, List<Family>> families) {
    }

    /**
     * How {@code metric} is exported, its values read once now; {@code null} for a metric that is left out.
     */
    private static Export export(String name, Metric metric) {
        if (metric instanceof Gauge<?> gauge) {
            String value = gaugeValue(name, gauge);
            return value == null ? null : new Export("", stem -> List.of(
                    Family.single(stem, "gauge", name + " (Dropwizard gauge)", value)));
        }
        if (metric instanceof Counter counter) {
            String value = Long.toString(counter.getCount());
            return new Export("_total", stem -> List.of(
                    Family.single(stem + "_total", "counter", name + " (Dropwizard counter)", value)));
        }
        if (metric instanceof Meter meter) {
            String count = Long.toString(meter.getCount());
            String rate = formatDouble(meter.getOneMinuteRate());
            return new Export("_total", stem -> List.of(
                    Family.single(stem + "_total", "counter", name + " (Dropwizard meter, events)", count),
                    Family.single(stem + "_m1_rate", "gauge",
                            name + " (Dropwizard meter, one-minute rate, events per second)", rate)));
        }
        if (metric instanceof Timer timer) {
            List<String> quantiles = quantiles(timer.getSnapshot(), NANOSECONDS_PER_SECOND);
            String count = Long.toString(timer.getCount());
            return new Export("_seconds", stem -> List.of(Family.summary(stem + "_seconds",
                    name + " (Dropwizard timer, seconds)", quantiles, count)));
        }
        if (metric instanceof Histogram histogram) {
            List<String> quantiles = quantiles(histogram.getSnapshot(), 1.0);
            String count = Long.toString(histogram.getCount());
            return new Export("", stem -> List.of(Family.summary(stem,
                    name + " (Dropwizard histogram)", quantiles, count)));
        }
        return null;
    }

    private static String gaugeValue(String name, Gauge<?> gauge) {
        Object value;
        try {
            value = gauge.getValue();
        } catch (RuntimeException e) {
            LOG.debug("gauge {} left out of /metrics: {}", name, e.toString());
            return null;
        }
        if (value instanceof Number number) {
            return formatNumber(number);
        }
        if (value instanceof Boolean flag) {
            return flag ? "1" : "0";
        }
        return null;
    }

    /** The {@link #QUANTILES} of {@code snapshot}, each divided by {@code divisor} (exact for whole seconds). */
    private static List<String> quantiles(Snapshot snapshot, double divisor) {
        List<String> values = new ArrayList<>(QUANTILES.length);
        for (double quantile : QUANTILES) {
            values.add(formatDouble(snapshot.getValue(quantile) / divisor));
        }
        return values;
    }

    /** The sanitized, prefixed name, without {@code typeSuffix} if it ends with it (the export adds it back). */
    private static String stem(String name, String typeSuffix) {
        String sanitized = sanitize(name);
        return !typeSuffix.isEmpty() && sanitized.endsWith(typeSuffix)
                ? sanitized.substring(0, sanitized.length() - typeSuffix.length())
                : sanitized;
    }

    /** The families of {@code export} from {@code stem}, or from the first suffixed stem whose names are all free. */
    private static List<Family> allocate(String stem, Export export, Set<String> taken) {
        for (int attempt = 1; ; attempt++) {
            List<Family> families = export.families().apply(attempt == 1 ? stem : stem + "_" + attempt);
            List<String> names = new ArrayList<>();
            families.forEach(family -> names.addAll(family.reservedNames()));
            if (names.stream().noneMatch(taken::contains)) {
                taken.addAll(names);
                return families;
            }
        }
    }

    /** One metric family: its name, type, help text and sample lines. */
    private record Family(String name, String type, String help, List<String> samples) {

        static Family single(String name, String type, String help, String value) {
            return new Family(name, type, help, List.of(name + ' ' + value));
        }

        static Family summary(String name, String help, List<String> quantileValues, String count) {
            List<String> samples = new ArrayList<>(QUANTILES.length + 1);
            for (int i = 0; i < QUANTILES.length; i++) {
                samples.add(name + "{quantile=\"" + QUANTILES[i] + "\"} " + quantileValues.get(i));
            }
            samples.add(name + "_count " + count);
            return new Family(name, "summary", help, samples);
        }

        /** Every sample name this family uses or that the format ties to it. */
        List<String> reservedNames() {
            return type.equals("summary") ? List.of(name, name + "_count", name + "_sum") : List.of(name);
        }

        void appendTo(StringBuilder out) {
            out.append("# HELP ").append(name).append(' ').append(escapeHelp(help)).append('\n');
            out.append("# TYPE ").append(name).append(' ').append(type).append('\n');
            for (String sample : samples) {
                out.append(sample).append('\n');
            }
        }

        private static String escapeHelp(String help) {
            return help.replace("\\", "\\\\").replace("\n", "\\n");
        }
    }
}
