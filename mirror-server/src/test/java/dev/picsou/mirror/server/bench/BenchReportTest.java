package dev.picsou.mirror.server.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;

import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;

class BenchReportTest {
    private static BenchResult result(String protocol, double perS, boolean ok) {
        return result(protocol, 4, 0, perS, ok);
    }

    private static BenchResult result(String protocol, double mbps, int crashed, double perS, boolean ok) {
        BenchScenario s = new BenchScenario(protocol, 5, 5, 10240, Duration.ZERO, Duration.ofSeconds(1), mbps,
                mbps > 0 ? 20 : 0, crashed, crashed, 0, 100);
        return new BenchResult(s, perS, perS, 1, 2, 3, 4, 1, 1.05, 0, 50, 90, 80, 0, 0, 100, 2000, 100, 100, ok,
                ok, ok ? List.of() : List.of("lost an entry"), java.util.Map.of(), java.time.Instant.EPOCH);
    }

    @Test
    void summaryRatiosCompareLikeScenariosByTheirMediansAndSkipFailedOrCrashedOnes() {
        var ratios = BenchSummary.ratios(List.of(
                result("picsou", 4, 0, 200, true), result("ata", 4, 0, 10, true), result("ll", 4, 0, 50, true),
                result("otu", 4, 0, 1, false), result("picsou", 4, 1, 20, true),
                result("none", 0, 0, 100, true), result("picsou", 0, 0, 90, true),
                result("none", 0, 0, 300, true), result("picsou", 0, 0, 99, true),
                result("none", 0, 0, 110, true), result("picsou", 0, 0, 10, true)));

        assertThat(ratios).containsExactly(java.util.Map.entry("picsou_over_ata", 20.0),
                java.util.Map.entry("picsou_over_ll", 4.0), java.util.Map.entry("picsou_primary_vs_none", 0.818),
                java.util.Map.entry("picsou_primary_vs_none_pair_min", 0.091), // 10 / 110
                java.util.Map.entry("picsou_primary_vs_none_pair_max", 0.9));  // 90 / 100
    }

    @Test
    void pairSpreadTakesEachPicsouScenarioOverTheNoneThatRanJustBeforeIt() {
        var ratios = BenchSummary.ratios(List.of(
                result("none", 0, 0, 200, true), result("picsou", 0, 0, 190, true),   // 0.95
                result("picsou", 0, 0, 500, true),                                      // no none before it
                result("none", 0, 0, 300, false), result("none", 0, 0, 250, true),     // the failed one is skipped
                result("picsou", 0, 0, 200, true)));                                    // 0.8

        assertThat(ratios.get("picsou_primary_vs_none_pair_min")).isEqualTo(0.8);
        assertThat(ratios.get("picsou_primary_vs_none_pair_max")).isEqualTo(0.95);
        assertThat(BenchSummary.ratios(List.of(result("none", 0, 0, 200, true), result("picsou", 0, 0, 190, true))))
                .doesNotContainKey("picsou_primary_vs_none_pair_min");
    }

    private static BenchResult atRate(String protocol, double rate, double perS, double primaryCpuPercent) {
        BenchScenario s = new BenchScenario(protocol, 5, 5, 10240, Duration.ZERO, Duration.ofSeconds(1), 0, 0, 0, 0,
                rate, 100);
        return new BenchResult(s, perS, perS, 1, 2, 3, 4, 1, 1.05, 0, 50, primaryCpuPercent, 80, 0, 0, 100, 2000, 100,
                100, true, true, List.of(), java.util.Map.of(), java.time.Instant.EPOCH);
    }

    @Test
    void cpuRatioComparesMillisecondsPerEntryAtTheSameRateAndSkipsAPrimaryThatFellBehind() {
        var ratios = BenchSummary.ratios(List.of(
                atRate("none", 120, 120, 60), atRate("picsou", 120, 120, 66),   // 5.0 and 5.5 ms per entry
                atRate("none", 120, 119.9, 63), atRate("picsou", 120, 119.8, 69),
                atRate("picsou", 120, 100, 50),                                   // fell behind: not counted
                atRate("none", 150, 150, 30)));                                   // another rate: not counted

        assertThat(ratios).containsOnlyKeys("picsou_primary_cpu_vs_none");
        double mine = (66 * 10 / 120.0 + 69 * 10 / 119.8) / 2;
        double alone = (60 * 10 / 120.0 + 63 * 10 / 119.9) / 2;
        assertThat(ratios.get("picsou_primary_cpu_vs_none")).isCloseTo(mine / alone, Offset.offset(0.001));
        assertThat(atRate("none", 120, 120, 60).toJson()).containsEntry("primary_cpu_ms_per_entry", 5.0);
    }

    @Test
    void chartHasOneBarPerScenarioScaledToTheFastestAndMarksFailures() {
        String svg = BenchReport.svg(List.of(result("picsou", 200, true), result("ata", 10, false)));
        assertThat(svg).startsWith("<svg").contains("picsou 5+5 10240 B 4 Mbit/s 20 ms").contains("200.0")
                .contains("10.0 FAILED");
        assertThat(svg.split("<rect ").length - 1).isEqualTo(3); // background + two bars
    }

    @Test
    void jsonHasTheScenariosArrayWithSnakeCaseFields() {
        var doc = BenchReport.json(List.of(result("picsou", 200, true)));
        assertThat(doc).containsOnlyKeys("scenarios", "jit", "summary");
        @SuppressWarnings("unchecked")
        var first = ((List<java.util.Map<String, Object>>) doc.get("scenarios")).get(0);
        assertThat(first).containsEntry("protocol", "picsou").containsEntry("entries_per_s", 200.0)
                .containsEntry("mb_per_s", 2.048).containsKeys("wan_copies_per_entry", "cpu_percent", "lag_p99_ms")
                .containsEntry("primary_page_faults_per_s", 100.0).containsEntry("mirror_page_faults_per_s", 2000.0)
                .containsEntry("window_start", "1970-01-01T00:00:00Z");
    }

    @Test
    void aScenarioThatDidNotRunHasNoWindowAndUnknownFaults() {
        var json = BenchResult.notRun(result("picsou", 200, true).scenario(), "the child died").toJson();
        assertThat(json).containsEntry("primary_page_faults_per_s", -1.0).containsEntry("window_start", null)
                .containsEntry("problems", List.of("the child died"));
    }
}
