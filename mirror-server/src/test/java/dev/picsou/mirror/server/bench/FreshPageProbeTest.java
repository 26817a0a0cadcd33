package dev.picsou.mirror.server.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FreshPageProbeTest {

    @TempDir
    Path dir;

    @Test
    void releasedPagesCostAFaultEachWhilePagesStillMappedCostAlmostNothing() throws IOException {
        try (FreshPageProbe probe = FreshPageProbe.open(dir, 1000)) {
            List<Long> fresh = new ArrayList<>();
            List<Long> warm = new ArrayList<>();
            for (int i = 0; i < 7; i++) {
                fresh.add(probe.touchNanosPerPage(true));
                warm.add(probe.touchNanosPerPage(false));
            }
            fresh.sort(null);
            warm.sort(null);
            long freshMedian = fresh.get(3);
            long warmMedian = warm.get(3);
            assertThat(freshMedian).as("a page fault, zeroing and mapping a page, per fresh page").isPositive();
            assertThat(freshMedian).as("fresh %s ns against warm %s ns a page", fresh, warm)
                    .isGreaterThan(4 * warmMedian);
        }
    }

    @Test
    void medianTakesOnlyTheSamplesInsideTheWindow() throws IOException {
        try (FreshPageProbe probe = FreshPageProbe.open(dir, 1000)) {
            probe.record(10, 1_000);
            probe.record(20, 3_000);
            probe.record(30, 2_000);
            probe.record(40, 9_000);

            assertThat(probe.medianMicros(10, 30)).isEqualTo(2.0);
            assertThat(probe.medianMicros(15, 25)).isEqualTo(3.0);
            assertThat(probe.medianMicros(10, 20)).as("even count: the mean of the middle two").isEqualTo(2.0);
            assertThat(probe.medianMicros(41, 50)).as("no sample in the window").isEqualTo(-1.0);
        }
    }

    @Test
    void aStartedProbeSamplesOnItsOwnAndLeavesNoFileBehind() throws Exception {
        FreshPageProbe probe = FreshPageProbe.open(dir, 10);
        long from = System.nanoTime();
        try (probe) {
            probe.begin();
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(30))
                    .until(() -> probe.medianMicros(from, System.nanoTime()) > 0);
        }
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files).as("the probe's file is deleted on close").isEmpty();
        }
    }

    @Test
    void aPeriodThatIsNotPositiveIsRefused() {
        assertThatThrownBy(() -> FreshPageProbe.open(dir, 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("periodMillis");
    }
}
