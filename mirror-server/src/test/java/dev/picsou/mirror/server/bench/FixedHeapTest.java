package dev.picsou.mirror.server.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

class FixedHeapTest {

    @Test
    void theInitialHeapIsSetToTheMaximum() {
        assertThat(FixedHeap.options(List.of("-XX:+UseParallelGC", "-Xmx4g"), 4096L << 20))
                .containsExactly("-Xms4096m", "-Xmx4096m");
    }

    @Test
    void anInitialHeapChosenByTheUserIsKept() {
        assertThat(FixedHeap.options(List.of("-Xms1g"), 4096L << 20)).isEmpty();
        assertThat(FixedHeap.options(List.of("-XX:InitialHeapSize=1073741824"), 4096L << 20)).isEmpty();
    }
}
