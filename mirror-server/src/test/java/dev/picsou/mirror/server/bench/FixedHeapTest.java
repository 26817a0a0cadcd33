package dev.picsou.mirror.server.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

class FixedHeapTest {

    @Test
    void theInitialHeapIsSetToTheMaximumAndTouched() {
        assertThat(FixedHeap.options(List.of("-XX:+UseParallelGC", "-Xmx4g"), 4096L << 20))
                .containsExactly("-Xms4096m", "-Xmx4096m", "-XX:+AlwaysPreTouch");
    }

    @Test
    void anInitialHeapChosenByTheUserIsKeptAndStillTouched() {
        assertThat(FixedHeap.options(List.of("-Xms1g"), 4096L << 20)).containsExactly("-XX:+AlwaysPreTouch");
        assertThat(FixedHeap.options(List.of("-XX:InitialHeapSize=1073741824"), 4096L << 20))
                .containsExactly("-XX:+AlwaysPreTouch");
    }

    @Test
    void aPreTouchChoiceByTheUserIsKept() {
        assertThat(FixedHeap.options(List.of("-XX:-AlwaysPreTouch"), 1024L << 20))
                .containsExactly("-Xms1024m", "-Xmx1024m");
        assertThat(FixedHeap.options(List.of("-Xms2g", "-XX:+AlwaysPreTouch"), 1024L << 20)).isEmpty();
    }

    @Test
    void aRunOfSmallEntriesGetsTwoGibibytesWhateverTheMachinesMemory() {
        List<BenchScenario> run = List.of(scenario(10_240), scenario(FixedHeap.SMALL_ENTRY_BYTES));
        assertThat(FixedHeap.autoBytes(run, 24L << 30)).isEqualTo(2L << 30);
        assertThat(FixedHeap.autoBytes(run, 256L << 30)).isEqualTo(2L << 30);
    }

    @Test
    void aSmallMachineGivesAQuarterOfItsMemoryToSmallEntries() {
        assertThat(FixedHeap.autoBytes(List.of(scenario(10_240)), 4L << 30)).isEqualTo(1L << 30);
    }

    @Test
    void oneScenarioOfLargeEntriesGivesTheRunAQuarterOfTheMemoryAndAtLeastTwoGibibytes() {
        List<BenchScenario> run = List.of(scenario(10_240), scenario(FixedHeap.SMALL_ENTRY_BYTES + 1));
        assertThat(FixedHeap.autoBytes(run, 24L << 30)).isEqualTo(6L << 30);
        assertThat(FixedHeap.autoBytes(run, 4L << 30)).isEqualTo(2L << 30);
    }

    private static BenchScenario scenario(int entryBytes) {
        return new BenchScenario("picsou", 5, 5, entryBytes, Duration.ofSeconds(1), Duration.ofSeconds(1), 0, 0, 0,
                0, 0, 100);
    }
}
