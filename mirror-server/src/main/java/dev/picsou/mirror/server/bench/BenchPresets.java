package dev.picsou.mirror.server.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Named scenario lists. */
public final class BenchPresets {
    /** Entries/s of the paper preset's fixed-rate pair: below what the pinned primary reaches saturated here. */
    static final double FIXED_RATE = 120;

    private BenchPresets() {
    }

    /**
     * The scenarios of preset {@code name}: {@code paper} (docs/performance.md: every protocol at 5+5, 10 KB,
     * 4 Mbit/s per replica and 20 ms; Picsou with one replica crashed per site; {@code none} and Picsou with no
     * WAN cap, three times in turn, then once each at a fixed 120 entries/s) or {@code smoke} (a 3+3 Picsou run of
     * a few seconds).
     *
     * @param duration overrides the preset's measured time when not null
     * @param warmup   overrides the preset's warmup when not null
     * @throws IllegalArgumentException for an unknown name
     */
    public static List<BenchScenario> byName(String name, Duration duration, Duration warmup) {
        List<BenchScenario> list = new ArrayList<>();
        switch (name) {
            case "paper" -> {
                Duration d = duration != null ? duration : Duration.ofSeconds(30);
                Duration w = warmup != null ? warmup : Duration.ofSeconds(15);
                for (String p : List.of("picsou", "ata", "ll", "otu", "ost")) {
                    list.add(new BenchScenario(p, 5, 5, 10240, w, d, 4, 20, 0, 0, 0, 100));
                }
                list.add(new BenchScenario("picsou", 5, 5, 10240, w, d, 4, 20, 1, 1, 0, 100));
                // The primary alone and with Picsou, three times in turn: the ratio is of the medians, so that one
                // disturbed scenario (disk flushes, other processes) does not decide it.
                for (int i = 0; i < 3; i++) {
                    list.add(new BenchScenario("none", 5, 5, 10240, w, d, 0, 0, 0, 0, 0, 100));
                    list.add(new BenchScenario("picsou", 5, 5, 10240, w, d, 0, 0, 0, 0, 0, 100));
                }
                // The same at a fixed rate that both keep up with: the stream's CPU cost per entry on the primary.
                list.add(new BenchScenario("none", 5, 5, 10240, w, d, 0, 0, 0, 0, FIXED_RATE, 100));
                list.add(new BenchScenario("picsou", 5, 5, 10240, w, d, 0, 0, 0, 0, FIXED_RATE, 100));
            }
            case "smoke" -> {
                Duration d = duration != null ? duration : Duration.ofSeconds(2);
                Duration w = warmup != null ? warmup : Duration.ofSeconds(1);
                list.add(new BenchScenario("picsou", 3, 3, 1024, w, d, 8, 5, 0, 0, 0, 50));
            }
            default -> throw new IllegalArgumentException("unknown --preset '" + name + "'; valid: paper, smoke");
        }
        return list;
    }
}
