package dev.picsou.mirror.server.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BenchDirectoriesTest {
    @TempDir
    Path parent;

    @Test
    void aDirectoryWhoseOwnerProcessIsGoneIsRemovedWithTheBytesItHeld() throws Exception {
        Process owner = new ProcessBuilder("sleep", "60").start();
        Path dir = Files.createDirectory(parent.resolve("picsou-bench-1"));
        BenchDirectories.claim(dir, owner.toHandle());
        Files.write(dir.resolve("data"), new byte[4096]);
        assertThat(BenchDirectories.abandoned(parent, "picsou-bench-")).isEmpty();

        owner.destroyForcibly();
        assertThat(owner.waitFor(10, TimeUnit.SECONDS)).isTrue();
        List<BenchDirectories.Removed> removed = BenchDirectories.removeAbandoned(parent, "picsou-bench-");

        assertThat(removed).singleElement().satisfies(r -> {
            assertThat(r.directory()).isEqualTo(dir);
            assertThat(r.bytes()).isGreaterThanOrEqualTo(4096);
        });
        assertThat(dir).doesNotExist();
    }

    @Test
    void aDirectoryOfARunningRunIsKept() throws Exception {
        Path mine = BenchDirectories.create(parent, "picsou-bench-");

        assertThat(BenchDirectories.removeAbandoned(parent, "picsou-bench-")).isEmpty();
        assertThat(mine.resolve(BenchDirectories.OWNER_FILE)).exists();
    }

    @Test
    void aPidNowUsedByAnotherProcessCountsAsGone() throws Exception {
        Path dir = Files.createDirectory(parent.resolve("picsou-bench-reused"));
        long now = ProcessHandle.current().info().startInstant().orElseThrow().toEpochMilli();
        Files.writeString(dir.resolve(BenchDirectories.OWNER_FILE),
                ProcessHandle.current().pid() + " " + (now - 60_000), StandardCharsets.US_ASCII);

        assertThat(BenchDirectories.abandoned(parent, "picsou-bench-")).containsExactly(dir);
    }

    @Test
    void directoriesWithoutAnOwnerFileOrOfAnotherPrefixOrWithAnUnreadableOwnerAreNeverTouched() throws Exception {
        Path unmarked = Files.createDirectory(parent.resolve("picsou-bench-unmarked"));
        Path garbled = Files.createDirectory(parent.resolve("picsou-bench-garbled"));
        Files.writeString(garbled.resolve(BenchDirectories.OWNER_FILE), "not a pid", StandardCharsets.US_ASCII);
        Path other = Files.createDirectory(parent.resolve("someone-else"));
        Files.writeString(other.resolve(BenchDirectories.OWNER_FILE), "999999999 -1", StandardCharsets.US_ASCII);

        assertThat(BenchDirectories.removeAbandoned(parent, "picsou-bench-")).isEmpty();
        assertThat(unmarked).exists();
        assertThat(garbled).exists();
        assertThat(other).exists();
    }
}
