package dev.picsou.mirror.server.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;

class PageFaultsTest {

    @Test
    void theMinorFaultCountIsTheTenthFieldEvenWhenTheCommandNameHoldsSpacesAndParentheses() {
        String stat = "4242 (dc (mirror) n1) S 1 4242 4242 0 -1 4194304 123456 0 7 0 100 50 0 0 20 0 42 0 1000 "
                + "4096 1024";
        assertThat(PageFaults.parseMinor(stat)).isEqualTo(123_456);
    }

    @Test
    void aLineThatIsNotAStatLineIsNamed() {
        assertThatThrownBy(() -> PageFaults.parseMinor("no parenthesis here"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no ')'");
        assertThatThrownBy(() -> PageFaults.parseMinor("1 (java) S 1 2"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("5 fields");
    }

    @Test
    void touchingFreshMemoryRaisesThisProcesssCount() {
        assumeTrue(Files.isReadable(Path.of("/proc/self/stat")), "Linux only");
        long pid = ProcessHandle.current().pid();
        long before = PageFaults.minor(pid);
        // 64 MiB of native memory written once: at least one fault per 4 KiB page unless the kernel backs it with
        // huge pages, so ask for far fewer than the page count.
        java.nio.ByteBuffer buffer = java.nio.ByteBuffer.allocateDirect(64 << 20);
        for (int i = 0; i < buffer.capacity(); i += 4096) {
            buffer.put(i, (byte) 1);
        }
        assertThat(PageFaults.minor(pid)).isGreaterThan(before + 16);
    }

    @Test
    void aProcessThatDoesNotExistHasNoCount() {
        assertThat(PageFaults.minor(Long.MAX_VALUE)).isEqualTo(-1);
    }
}
