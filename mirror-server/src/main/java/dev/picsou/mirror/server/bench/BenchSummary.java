package dev.picsou.mirror.server.bench;

import java.util.ArrayList;
import java.util.DoubleSummaryStatistics;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalDouble;

/**
 * The ratios a run's scenarios support, each between scenarios of the same shape (site sizes, entry size, WAN) in
 * the same run; a scenario that ran several times counts with its median. Only fault-free scenarios that delivered
 * everything take part.
 * <ul>
 *   <li>{@code picsou_over_<protocol>}: Picsou's entries/s over a baseline's, over an emulated WAN;</li>
 *   <li>{@code picsou_primary_vs_none}: Picsou's primary writes/s over the primary alone ({@code none}), without a
 *       WAN cap: how much the stream slows the primary down;</li>
 *   <li>{@code picsou_primary_vs_none_pair_min} and {@code _pair_max}: the lowest and highest of the same ratio
 *       taken pair by pair, each such Picsou scenario over the {@code none} scenario that ran last before it, when
 *       there are two pairs or more: how far the machine moved the ratio within the run.</li>
 *   <li>{@code picsou_primary_cpu_vs_none}: at the same fixed {@code --rate}, without a WAN cap, the primary's CPU
 *       per entry with Picsou over the primary alone: what the stream costs the primary, free of the saturated
 *       site's batching, which moves its throughput by more than that cost on a small machine.</li>
 * </ul>
 * The saturated ratios take saturating scenarios only ({@code --rate 0}); the CPU ratio only scenarios whose
 * primary kept up with the rate (within 2%).
 */
public final class BenchSummary {
    private BenchSummary() {
    }

    /** Ratio name to value, in a stable order; empty when the run has no comparable pair. */
    public static Map<String, Double> ratios(List<BenchResult> results) {
        Map<String, Double> out = new LinkedHashMap<>();
        for (BenchResult picsou : results) {
            BenchScenario p = picsou.scenario();
            if (p.protocol().equals("picsou") && p.rate() > 0 && !p.wanEmulated() && keptRate(picsou)) {
                cpuRatio(results, p).ifPresent(v -> out.putIfAbsent("picsou_primary_cpu_vs_none", v));
            }
            if (!p.protocol().equals("picsou") || !comparable(picsou)) {
                continue;
            }
            double mine = median(results, p, BenchResult::entriesPerS);
            if (p.wanEmulated()) {
                for (BenchResult other : results) {
                    BenchScenario o = other.scenario();
                    if (o.mirrored() && !o.protocol().equals("picsou") && comparable(other) && sameShape(p, o)) {
                        double theirs = median(results, o, BenchResult::entriesPerS);
                        out.putIfAbsent("picsou_over_" + o.protocol(), round(mine / theirs));
                    }
                }
            } else {
                for (BenchResult other : results) {
                    BenchScenario o = other.scenario();
                    if (!o.mirrored() && comparable(other) && samePrimarySite(o, p)) {
                        double primary = median(results, p, BenchResult::primaryEntriesPerS);
                        double alone = median(results, o, BenchResult::primaryEntriesPerS);
                        out.putIfAbsent("picsou_primary_vs_none", round(primary / alone));
                    }
                }
            }
        }
        pairSpread(results, out);
        return out;
    }

    /** The lowest and highest primary ratio of a Picsou scenario to the {@code none} scenario that ran before it. */
    private static void pairSpread(List<BenchResult> results, Map<String, Double> out) {
        List<Double> pairs = new ArrayList<>();
        BenchResult lastAlone = null;
        for (BenchResult r : results) {
            BenchScenario s = r.scenario();
            if (!comparable(r) || s.wanEmulated()) {
                continue;
            }
            if (!s.mirrored()) {
                lastAlone = r;
            } else if (s.protocol().equals("picsou") && lastAlone != null
                    && samePrimarySite(lastAlone.scenario(), s)) {
                pairs.add(r.primaryEntriesPerS() / lastAlone.primaryEntriesPerS());
                lastAlone = null;
            }
        }
        if (pairs.size() >= 2) {
            DoubleSummaryStatistics spread = pairs.stream().mapToDouble(Double::doubleValue).summaryStatistics();
            out.put("picsou_primary_vs_none_pair_min", round(spread.getMin()));
            out.put("picsou_primary_vs_none_pair_max", round(spread.getMax()));
        }
    }

    /** Picsou's primary CPU per entry over {@code none}'s at the rate of {@code p}, medians; empty without a pair. */
    private static OptionalDouble cpuRatio(List<BenchResult> results, BenchScenario p) {
        List<Double> mine = new ArrayList<>();
        List<Double> alone = new ArrayList<>();
        for (BenchResult r : results) {
            BenchScenario o = r.scenario();
            if (!keptRate(r) || o.wanEmulated() || o.rate() != p.rate() || !samePrimarySite(o, p)) {
                continue;
            }
            if (o.protocol().equals("picsou") && o.receivers() == p.receivers()) {
                mine.add(r.primaryCpuMsPerEntry());
            } else if (!o.mirrored()) {
                alone.add(r.primaryCpuMsPerEntry());
            }
        }
        if (mine.isEmpty() || alone.isEmpty()) {
            return OptionalDouble.empty();
        }
        return OptionalDouble.of(round(median(mine) / median(alone)));
    }

    /** A fault-free fixed-rate scenario that delivered everything and whose primary kept up with the rate. */
    private static boolean keptRate(BenchResult r) {
        BenchScenario s = r.scenario();
        return faultFreeAndDelivered(r) && s.rate() > 0 && r.primaryEntriesPerS() >= 0.98 * s.rate()
                && r.primaryCpuMsPerEntry() > 0;
    }

    /** One line per ratio, for the table and the Markdown. */
    public static List<String> lines(List<BenchResult> results) {
        List<String> lines = new ArrayList<>();
        ratios(results).forEach((k, v) -> lines.add(String.format(Locale.ROOT, "%s = %.2f", k, v)));
        return lines;
    }

    /** A saturating fault-free scenario that delivered everything. */
    private static boolean comparable(BenchResult r) {
        return faultFreeAndDelivered(r) && r.scenario().rate() == 0 && r.entriesPerS() > 0;
    }

    private static boolean faultFreeAndDelivered(BenchResult r) {
        return r.ok() && r.scenario().crashSenders() == 0 && r.scenario().crashReceivers() == 0;
    }

    /** The same primary site and load: replica count and entry size (the mirror and the WAN aside). */
    private static boolean samePrimarySite(BenchScenario a, BenchScenario b) {
        return a.senders() == b.senders() && a.entryBytes() == b.entryBytes();
    }

    private static boolean sameShape(BenchScenario a, BenchScenario b) {
        return a.senders() == b.senders() && a.receivers() == b.receivers() && a.entryBytes() == b.entryBytes()
                && a.uplinkMbps() == b.uplinkMbps() && a.oneWayDelayMs() == b.oneWayDelayMs()
                && a.wanEmulated() == b.wanEmulated();
    }

    /** Median of {@code metric} over the comparable results whose scenario equals {@code s} but for timing. */
    private static double median(List<BenchResult> results, BenchScenario s, Metric metric) {
        List<Double> values = new ArrayList<>();
        for (BenchResult r : results) {
            BenchScenario o = r.scenario();
            if (comparable(r) && Objects.equals(o.protocol(), s.protocol()) && sameShape(o, s)) {
                values.add(metric.of(r));
            }
        }
        return median(values);
    }

    private static double median(List<Double> values) {
        values.sort(Double::compare);
        int n = values.size();
        return n % 2 == 1 ? values.get(n / 2) : (values.get(n / 2 - 1) + values.get(n / 2)) / 2;
    }

    private static double round(double v) {
        return Math.round(v * 1000) / 1000.0;
    }

    private interface Metric {
        double of(BenchResult r);
    }
}
