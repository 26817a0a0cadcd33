package dev.picsou.mirror.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

class CrashSafetyTest {

    @TempDir
    Path tmp;

    private Path dir;

    @BeforeEach
    void setUp() {
        dir = tmp.resolve("store");
    }

    @Test
    void closeWithoutFlushingMemtablesRecoversMetadataAndDataTogetherFromTheWal() throws IOException {
        HookMetadata meta = HookMetadata.initial();
        Random random = new Random(1);
        try (MirrorStore store = MirrorStore.open(dir)) {
            for (long n = 1; n <= 700; n++) {
                meta = CrashWorkload.writeBatch(store, meta, n, random);
            }
        }
        // Nothing was flushed: the batches exist only in the (unsynced-per-batch) WAL.
        assertThat(sstFiles()).isEmpty();

        try (MirrorStore store = MirrorStore.open(dir)) {
            assertThat(store.metadata()).isEqualTo(meta);
            assertThat(CrashWorkload.checkConsistent(store)).isEqualTo(700);
            for (long n = 701; n <= 800; n++) {
                meta = CrashWorkload.writeBatch(store, meta, n, random);
            }
        }
        try (MirrorStore store = MirrorStore.open(dir)) {
            assertThat(CrashWorkload.checkConsistent(store)).isEqualTo(800);
        }
    }

    /**
     * Kills a writing child JVM with SIGKILL at several points, each time after it reported commits, and checks
     * after each kill that every reported commit survived and that metadata and data agree with no gap.
     */
    @Test
    @Timeout(value = 90, unit = TimeUnit.SECONDS)
    void killMinusNineAtAnyPointLeavesMetadataAndDataInAgreement() throws Exception {
        Random random = new Random(42);
        // The 45,000-batch round writes ~100 MB, crossing a memtable flush (64 MB): recovery then combines SSTs and WAL.
        int[] batchesBeforeKill = {300, 1_500, 100, 45_000, 700};
        long recovered = 0;
        for (int round = 0; round < batchesBeforeKill.length; round++) {
            long reported = runChildAndKill(round, recovered + batchesBeforeKill[round], random.nextInt(40));
            try (MirrorStore store = MirrorStore.open(dir)) {
                long lastSeq = CrashWorkload.checkConsistent(store);
                assertThat(lastSeq).as("round %d: every commit reported before the kill survives", round)
                        .isGreaterThanOrEqualTo(reported);
                assertThat(lastSeq).isGreaterThan(recovered);
                recovered = lastSeq;
            }
        }
    }

    /**
     * The hook store's mode: no WAL, atomic flushes. A kill -9 loses the batches since the last flush, but what
     * survives is always a prefix in which metadata and every column family agree (flushes triggered by one column
     * family's memtable filling included), and nothing synced before the kill is lost.
     */
    @Test
    @Timeout(value = 90, unit = TimeUnit.SECONDS)
    void aRederivableStoreKilledAtAnyPointComesBackAsAConsistentPrefixHoldingEverySync() throws Exception {
        Random random = new Random(7);
        int[] batchesBeforeKill = {700, 2_600, 1_100, 5_300};
        long recovered = 0;
        for (int round = 0; round < batchesBeforeKill.length; round++) {
            ChildReport report = runChildAndKill(round, recovered + batchesBeforeKill[round], random.nextInt(40),
                    "rederivable");
            try (MirrorStore store = MirrorStore.open(dir,
                    StoreOptions.defaults().withRederivable(true).withWriteBufferBytes(64 * 1024))) {
                long lastSeq = CrashWorkload.checkConsistent(store);
                assertThat(lastSeq).as("round %d: every batch synced before the kill survives", round)
                        .isGreaterThanOrEqualTo(report.synced());
                recovered = lastSeq;
            }
        }
        assertThat(walBytes()).as("a rederivable store writes no WAL records").isLessThan(4096);
    }

    @Test
    void aRederivableStoreClosedCleanlyKeepsEveryBatch() throws IOException {
        StoreOptions options = StoreOptions.defaults().withRederivable(true);
        HookMetadata meta = HookMetadata.initial();
        Random random = new Random(3);
        try (MirrorStore store = MirrorStore.open(dir, options)) {
            for (long n = 1; n <= 300; n++) {
                meta = CrashWorkload.writeBatch(store, meta, n, random);
            }
        }
        try (MirrorStore store = MirrorStore.openReadOnly(dir)) {
            assertThat(store.metadata()).isEqualTo(meta);
            assertThat(CrashWorkload.checkConsistent(store)).isEqualTo(300);
        }
    }

    private record ChildReport(long committed, long synced) {
    }

    /** Starts the child, waits until it reports {@code target}, lets it run {@code extraMillis}, kills it. */
    private long runChildAndKill(int round, long target, int extraMillis) throws Exception {
        return runChildAndKill(round, target, extraMillis, "wal").committed();
    }

    private ChildReport runChildAndKill(int round, long target, int extraMillis, String mode) throws Exception {
        Path stderr = tmp.resolve("child-" + round + ".err");
        // A killed JVM cannot delete the RocksDB native library it unpacked: unpack it inside the temp dir.
        Path childTmp = Files.createDirectories(tmp.resolve("child-tmp-" + round));
        ProcessBuilder builder = new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-Djava.io.tmpdir=" + childTmp,
                "-cp", System.getProperty("java.class.path"),
                CrashWriterMain.class.getName(), dir.toString(), Integer.toString(round), mode)
                .redirectError(stderr.toFile());
        builder.environment().put("ROCKSDB_SHAREDLIB_DIR", childTmp.toString());
        Process child = builder.start();
        long reported = -1;
        long synced = -1;
        try (BufferedReader lines = new BufferedReader(
                new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = lines.readLine()) != null) {
                if (line.startsWith("synced ")) {
                    synced = Long.parseLong(line.substring("synced ".length()));
                } else if (line.startsWith("committed ")) {
                    reported = Long.parseLong(line.substring("committed ".length()));
                    if (reported >= target) {
                        break;
                    }
                }
            }
            assertThat(reported).as("child stopped early; stderr: %s", Files.readString(stderr))
                    .isGreaterThanOrEqualTo(target);
            Thread.sleep(extraMillis);
            child.destroyForcibly(); // SIGKILL: no shutdown hook, no close, no flush
            assertThat(child.waitFor(20, TimeUnit.SECONDS)).isTrue();
        } finally {
            child.destroyForcibly();
        }
        assertThat(child.exitValue()).as("killed by SIGKILL").isEqualTo(128 + 9);
        return new ChildReport(reported, synced);
    }

    private long walBytes() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.getFileName().toString().endsWith(".log")).mapToLong(p -> p.toFile().length())
                    .sum();
        }
    }

    private List<Path> sstFiles() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.getFileName().toString().endsWith(".sst")).toList();
        }
    }
}
