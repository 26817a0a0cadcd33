package dev.picsou.mirror.server.bench;

import static org.assertj.core.api.Assertions.assertThat;

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
}
