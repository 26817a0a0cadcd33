package dev.picsou.mirror.server.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class NativeHeapTest {

    @Test
    void withoutTunablesTheStartedJvmsKeepWhatMallocFrees() {
        assertThat(NativeHeap.tunablesFor(null)).isEqualTo(NativeHeap.KEEP_FREED_MEMORY);
        assertThat(NativeHeap.tunablesFor("  ")).isEqualTo(NativeHeap.KEEP_FREED_MEMORY);
        assertThat(NativeHeap.KEEP_FREED_MEMORY).contains("glibc.malloc.arena_max=1",
                "glibc.malloc.mmap_threshold=33554432", "glibc.malloc.trim_threshold=");
    }

    @Test
    void otherTunablesOfTheUserArePassedOnWithOurs() {
        assertThat(NativeHeap.tunablesFor("glibc.pthread.rseq=0"))
                .isEqualTo("glibc.pthread.rseq=0:" + NativeHeap.KEEP_FREED_MEMORY);
    }

    @Test
    void aMallocTunableOfTheUserIsTheirChoiceAndPassedOnAlone() {
        assertThat(NativeHeap.tunablesFor("glibc.malloc.perturb=0")).isEqualTo("glibc.malloc.perturb=0");
        assertThat(NativeHeap.tunablesFor("glibc.pthread.rseq=0:glibc.malloc.arena_max=4"))
                .isEqualTo("glibc.pthread.rseq=0:glibc.malloc.arena_max=4");
        assertThat(NativeHeap.isSet("glibc.malloc.perturb=0")).isTrue();
        assertThat(NativeHeap.isSet("glibc.pthread.rseq=0")).isFalse();
        assertThat(NativeHeap.isSet(null)).isFalse();
    }
}
