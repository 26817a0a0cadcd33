package dev.picsou.mirror.server.admin;

import static org.assertj.core.api.Assertions.assertThat;

import com.codahale.metrics.Gauge;
import com.codahale.metrics.Histogram;
import com.codahale.metrics.MetricRegistry;
import com.codahale.metrics.Timer;
import com.codahale.metrics.UniformReservoir;
import java.math.BigInteger;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class PrometheusTextTest {

    private final MetricRegistry registry = new MetricRegistry();

    private Map<String, Exposition.Family> families() {
        return Exposition.parse(PrometheusText.render(registry));
    }

    @Test
    void emptyRegistryRendersNothing() {
        assertThat(PrometheusText.render(registry)).isEmpty();
    }

    @Test
    void rendersNumericGaugesAsGaugesAndBooleansAsOneOrZero() {
        registry.register("seq.committed", (Gauge<Long>) () -> 42L);
        registry.register("lag.ms", (Gauge<Double>) () -> 12.5);
        registry.register("big", (Gauge<BigInteger>) () -> BigInteger.TEN);
        registry.register("atomic", (Gauge<AtomicLong>) () -> new AtomicLong(7));
        registry.register("leader", (Gauge<Boolean>) () -> true);
        registry.register("alarm", (Gauge<Boolean>) () -> false);

        Map<String, Exposition.Family> families = families();

        assertThat(families.values()).allSatisfy(f -> assertThat(f.type()).isEqualTo("gauge"));
        assertThat(families.get("picsou_seq_committed").value()).isEqualTo(42);
        assertThat(families.get("picsou_lag_ms").value()).isEqualTo(12.5);
        assertThat(families.get("picsou_big").value()).isEqualTo(10);
        assertThat(families.get("picsou_atomic").value()).isEqualTo(7);
        assertThat(families.get("picsou_leader").value()).isEqualTo(1);
        assertThat(families.get("picsou_alarm").value()).isEqualTo(0);
        assertThat(PrometheusText.render(registry)).contains("picsou_seq_committed 42\n");
    }

    @Test
    void leavesOutNonNumericNullAndThrowingGauges() {
        registry.register("state.name", (Gauge<String>) () -> "LEADING");
        registry.register("nothing", (Gauge<Long>) () -> null);
        registry.register("broken", (Gauge<Long>) () -> {
            throw new IllegalStateException("closed");
        });
        registry.register("ok", (Gauge<Integer>) () -> 1);

        assertThat(families()).containsOnlyKeys("picsou_ok");
    }

    @Test
    void spellsNaNAndInfinitiesAsTheFormatDoes() {
        registry.register("nan", (Gauge<Double>) () -> Double.NaN);
        registry.register("up", (Gauge<Double>) () -> Double.POSITIVE_INFINITY);
        registry.register("down", (Gauge<Float>) () -> Float.NEGATIVE_INFINITY);

        assertThat(PrometheusText.render(registry))
                .contains("picsou_nan NaN\n", "picsou_up +Inf\n", "picsou_down -Inf\n");
        assertThat(families().get("picsou_up").value()).isEqualTo(Double.POSITIVE_INFINITY);
    }

    @Test
    void rendersCountersWithOneTotalSuffix() {
        registry.counter("resends").inc(3);
        registry.counter("frames_total").inc(5);

        Map<String, Exposition.Family> families = families();

        assertThat(families).containsOnlyKeys("picsou_frames_total", "picsou_resends_total");
        assertThat(families.get("picsou_resends_total").type()).isEqualTo("counter");
        assertThat(families.get("picsou_resends_total").value()).isEqualTo(3);
        assertThat(families.get("picsou_frames_total").value()).isEqualTo(5);
    }

    @Test
    void rendersMeterAsEventCounterAndOneMinuteRateGauge() {
        registry.meter("acks.sent").mark(4);

        Map<String, Exposition.Family> families = families();

        assertThat(families).containsOnlyKeys("picsou_acks_sent_m1_rate", "picsou_acks_sent_total");
        assertThat(families.get("picsou_acks_sent_total").type()).isEqualTo("counter");
        assertThat(families.get("picsou_acks_sent_total").value()).isEqualTo(4);
        assertThat(families.get("picsou_acks_sent_m1_rate").type()).isEqualTo("gauge");
        assertThat(families.get("picsou_acks_sent_m1_rate").value()).isGreaterThanOrEqualTo(0);
    }

    @Test
    void rendersHistogramAsSummaryWithFiveQuantilesAndCountButNoSum() {
        Histogram histogram = registry.register("batch.entries", new Histogram(new UniformReservoir()));
        for (int i = 1; i <= 1000; i++) {
            histogram.update(i);
        }

        Exposition.Family summary = families().get("picsou_batch_entries");

        assertThat(summary.type()).isEqualTo("summary");
        assertThat(summary.samples()).extracting(Exposition.Sample::name)
                .containsExactly("picsou_batch_entries", "picsou_batch_entries", "picsou_batch_entries",
                        "picsou_batch_entries", "picsou_batch_entries", "picsou_batch_entries_count");
        assertThat(summary.samples()).extracting(s -> s.labels().get("quantile"))
                .containsExactly("0.5", "0.75", "0.95", "0.99", "0.999", null);
        assertThat(summary.value("picsou_batch_entries", Map.of("quantile", "0.5"))).isBetween(499.0, 502.0);
        assertThat(summary.value("picsou_batch_entries", Map.of("quantile", "0.999"))).isBetween(998.0, 1000.0);
        assertThat(summary.value("picsou_batch_entries_count", Map.of())).isEqualTo(1000);
    }

    @Test
    void rendersTimerAsSummaryInSeconds() {
        Timer timer = registry.timer("quack.latency");
        timer.update(Duration.ofMillis(1500));
        timer.update(Duration.ofMillis(1500));

        Exposition.Family summary = families().get("picsou_quack_latency_seconds");

        assertThat(summary.type()).isEqualTo("summary");
        for (String quantile : new String[] {"0.5", "0.75", "0.95", "0.99", "0.999"}) {
            assertThat(summary.value("picsou_quack_latency_seconds", Map.of("quantile", quantile))).isEqualTo(1.5);
        }
        assertThat(summary.value("picsou_quack_latency_seconds_count", Map.of())).isEqualTo(2);
    }

    @Test
    void sanitizesNamesAndPrefixesThemOnce() {
        assertThat(PrometheusText.sanitize("jvm.heap-used")).isEqualTo("picsou_jvm_heap_used");
        assertThat(PrometheusText.sanitize("picsou.mirror.link.site-b.durable_seq"))
                .isEqualTo("picsou_mirror_link_site_b_durable_seq");
        assertThat(PrometheusText.sanitize("9 lives/été:x")).isEqualTo("picsou_9_lives__t_:x");
        assertThat(PrometheusText.sanitize("picsou")).isEqualTo("picsou_picsou");
    }

    @Test
    void namesDifferingOnlyBySanitizationGetSuffixedFamiliesInOrderOfTheirDropwizardNames() {
        registry.register("a-b", (Gauge<Integer>) () -> 1);
        registry.register("a.b", (Gauge<Integer>) () -> 2);
        registry.counter("c.d").inc(3);
        registry.counter("c_d_total").inc(4);

        Map<String, Exposition.Family> families = families();

        assertThat(families).containsOnlyKeys("picsou_a_b", "picsou_a_b_2", "picsou_c_d_total", "picsou_c_d_2_total");
        assertThat(families.get("picsou_a_b").value()).isEqualTo(1);
        assertThat(families.get("picsou_a_b_2").value()).isEqualTo(2);
        assertThat(families.get("picsou_c_d_total").value()).isEqualTo(3);
        assertThat(families.get("picsou_c_d_2_total").value()).isEqualTo(4);
        assertThat(families.get("picsou_a_b_2").help()).contains("a.b");
    }

    @Test
    void derivedSampleNamesDoNotCollideWithOtherMetrics() {
        registry.histogram("h").update(1);
        registry.register("h.count", (Gauge<Integer>) () -> 9);
        registry.meter("m").mark();
        registry.register("m.m1_rate", (Gauge<Integer>) () -> 8);

        Map<String, Exposition.Family> families = families();

        assertThat(families).containsOnlyKeys("picsou_h", "picsou_h_count_2", "picsou_m_total", "picsou_m_m1_rate",
                "picsou_m_m1_rate_2");
        assertThat(families.get("picsou_h_count_2").value()).isEqualTo(9);
        assertThat(families.get("picsou_m_m1_rate_2").value()).isEqualTo(8);
    }

    @Test
    void writesOneHelpAndOneTypeLinePerFamilySortedByNameForEveryMetricType() {
        registry.register("z.gauge", (Gauge<Integer>) () -> 1);
        registry.counter("y.counter").inc();
        registry.meter("x.meter").mark();
        registry.histogram("w.histogram").update(5);
        registry.timer("v.timer").update(Duration.ofMillis(3));

        String text = PrometheusText.render(registry);
        Map<String, Exposition.Family> families = Exposition.parse(text);

        assertThat(families.keySet()).containsExactly("picsou_v_timer_seconds", "picsou_w_histogram",
                "picsou_x_meter_m1_rate", "picsou_x_meter_total", "picsou_y_counter_total", "picsou_z_gauge");
        assertThat(text.lines().filter(l -> l.startsWith("# TYPE "))).hasSize(families.size());
        assertThat(text.lines().filter(l -> l.startsWith("# HELP "))).hasSize(families.size());
    }

    @Test
    void escapesBackslashAndNewlineInHelp() {
        registry.register("odd\\name\nhere", (Gauge<Integer>) () -> 1);

        String text = PrometheusText.render(registry);

        assertThat(text).contains("# HELP picsou_odd_name_here odd\\\\name\\nhere (Dropwizard gauge)\n");
        assertThat(Exposition.parse(text)).containsOnlyKeys("picsou_odd_name_here");
    }
}
