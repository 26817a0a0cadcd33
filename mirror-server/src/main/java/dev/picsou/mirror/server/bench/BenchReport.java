package dev.picsou.mirror.server.bench;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Renders bench results: a text table, the JSON document, an SVG bar chart of throughput per scenario. */
public final class BenchReport {
    private BenchReport() {
    }

    /** {@code {"scenarios": [...], "jit": "c1", "summary": {...}}} ({@link BenchSummary#ratios}). */
    public static Map<String, Object> json(List<BenchResult> results) {
        List<Map<String, Object>> list = new ArrayList<>();
        results.forEach(r -> list.add(r.toJson()));
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("scenarios", list);
        doc.put("jit", JitMode.current().toString());
        doc.put("summary", BenchSummary.ratios(results));
        return doc;
    }

    /** One row per scenario. */
    public static void table(PrintWriter out, List<BenchResult> results) {
        String header = "%-40s %10s %9s %10s %9s %9s %7s %8s %7s %6s %6s  %s%n";
        out.printf(Locale.ROOT, header, "scenario", "entries/s", "MB/s", "primary/s", "lag p50", "lag p99",
                "copies", "B/B", "resends", "cpu%", "other", "check");
        for (BenchResult r : results) {
            out.printf(Locale.ROOT, "%-40s %10.1f %9.3f %10.1f %9.1f %9.1f %7.3f %8.3f %7d %6.1f %6.1f  %s%n",
                    r.scenario().label(), r.entriesPerS(), r.mbPerS(), r.primaryEntriesPerS(), r.lagP50Ms(),
                    r.lagP99Ms(), r.wanCopiesPerEntry(), r.wanBytesPerPayloadByte(), r.resends(), r.cpuPercent(),
                    r.otherCpuPercent(), r.ok() ? "ok" : "FAILED");
        }
        BenchSummary.lines(results).forEach(out::println);
        for (BenchResult r : results) {
            for (String problem : r.problems()) {
                out.println(r.scenario().label() + ": " + problem);
            }
        }
        out.flush();
    }

    /** The results as a Markdown table (what docs/performance.md shows), then the problems, if any. */
    public static void markdown(PrintWriter out, List<BenchResult> results) {
        out.println("| scenario | entries/s | MB/s | primary writes/s | QUACK lag p50 / p99 ms | WAN copies/entry "
                + "| WAN B / payload B | resends | CPU % (primary, mirror; other) | delivered, digests |");
        out.println("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |");
        for (BenchResult r : results) {
            out.printf(Locale.ROOT, "| %s | %.1f | %.3f | %.1f | %.0f / %.0f | %.3f | %.3f | %d | %.0f, %.0f; %.0f "
                            + "| %s |%n",
                    r.scenario().label(), r.entriesPerS(), r.mbPerS(), r.primaryEntriesPerS(), r.lagP50Ms(),
                    r.lagP99Ms(), r.wanCopiesPerEntry(), r.wanBytesPerPayloadByte(), r.resends(),
                    r.primaryCpuPercent(), r.mirrorCpuPercent(), r.otherCpuPercent(),
                    r.ok() ? r.delivered() + "/" + r.committed() + ", equal" : "FAILED");
        }
        List<String> ratios = BenchSummary.lines(results);
        if (!ratios.isEmpty()) {
            out.println();
            ratios.forEach(line -> out.println("- " + line));
        }
        for (BenchResult r : results) {
            for (String problem : r.problems()) {
                out.println();
                out.println("- " + r.scenario().label() + ": " + problem);
            }
        }
        out.flush();
    }

    /** Writes a horizontal bar chart of entries/s per scenario to {@code file} (SVG). */
    public static void plot(Path file, List<BenchResult> results) throws IOException {
        Files.writeString(file, svg(results), StandardCharsets.UTF_8);
    }

    static String svg(List<BenchResult> results) {
        int barHeight = 22;
        int gap = 8;
        int left = 330;
        int width = 900;
        int plotWidth = width - left - 110;
        int top = 50;
        int height = top + results.size() * (barHeight + gap) + 40;
        double max = 1;
        for (BenchResult r : results) {
            max = Math.max(max, r.entriesPerS());
        }
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\""
                + " font-family=\"sans-serif\" font-size=\"13\">%n", width, height));
        b.append(String.format(Locale.ROOT, "<rect width=\"%d\" height=\"%d\" fill=\"white\"/>%n", width, height));
        b.append("<text x=\"10\" y=\"24\" font-size=\"16\" font-weight=\"bold\">picsou bench: entries/s made durable"
                + " on the mirror (none: primary writes/s)</text>\n");
        for (int i = 0; i < results.size(); i++) {
            BenchResult r = results.get(i);
            int y = top + i * (barHeight + gap);
            int w = (int) Math.round(plotWidth * r.entriesPerS() / max);
            b.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">%s</text>%n",
                    left - 8, y + barHeight - 6, escape(r.scenario().label())));
            b.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"%s\"/>%n",
                    left, y, Math.max(1, w), barHeight, color(r)));
            b.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\">%.1f%s</text>%n", left + w + 6,
                    y + barHeight - 6, r.entriesPerS(), r.ok() ? "" : " FAILED"));
        }
        b.append("</svg>\n");
        return b.toString();
    }

    private static String color(BenchResult r) {
        if (!r.ok()) {
            return "#c0392b";
        }
        return switch (r.scenario().protocol()) {
            case "picsou" -> "#1f77b4";
            case "none" -> "#7f7f7f";
            case "ata" -> "#ff7f0e";
            case "ll" -> "#2ca02c";
            case "otu" -> "#9467bd";
            default -> "#8c564b";
        };
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
