package dev.picsou.mirror.server.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DataHeadroomTest {
    private static final long GIB = 1L << 30;

    @Test
    void aScenarioGoesOnWhileTheRoomCoversTheFloorAndThreeIntervalsAtTheLastPace() {
        DataHeadroom.Guard guard = new DataHeadroom.Guard(GIB);

        assertThat(guard.observe(reading(20 * GIB))).isNull();
        assertThat(guard.observe(reading(19 * GIB))).as("1 GiB used: 4 GiB in reserve").isNull();
        assertThat(guard.observe(reading(5 * GIB))).as("14 GiB used: 43 GiB in reserve").isNotNull();
    }

    @Test
    void aFastPaceStopsTheScenarioBeforeTheFloorIsReached() {
        DataHeadroom.Guard guard = new DataHeadroom.Guard(GIB);
        guard.observe(reading(6 * GIB));

        String reason = guard.observe(reading(4 * GIB));

        assertThat(guard.lastPace()).isEqualTo(2 * GIB);
        assertThat(reason).contains("4,096 MiB left in /dev/shm (tmpfs)").contains("stops below 7,168 MiB")
                .contains("--mirror-dir");
    }

    @Test
    void belowTheFloorTheScenarioStopsEvenWhenNothingGrows() {
        DataHeadroom.Guard guard = new DataHeadroom.Guard(GIB);

        assertThat(guard.observe(reading(GIB - 1))).isNotNull();
        assertThat(new DataHeadroom.Guard(GIB).observe(reading(GIB))).isNull();
    }

    @Test
    void aRoomThatGrowsBackCountsNoPace() {
        DataHeadroom.Guard guard = new DataHeadroom.Guard(GIB);
        guard.observe(reading(2 * GIB));

        assertThat(guard.observe(reading(3 * GIB))).isNull();
        assertThat(guard.lastPace()).isZero();
    }

    @Test
    void theRoomOfADirectoryIsItsFileSystemsUsableSpaceAndOfATmpfsAlsoTheMemoryTheJvmsWillNotTake(@TempDir Path dir)
            throws Exception {
        long slack = 256L << 20;
        long usable = Files.getFileStore(dir).getUsableSpace();
        DataHeadroom.Reading disk = new DataHeadroom(List.of(dir), 1).read();

        assertThat(disk.where()).startsWith(dir.toString());
        assertThat(disk.bytes()).isBetween(usable - slack, usable + slack);

        Path shm = Path.of("/dev/shm");
        assumeTrue(Files.isDirectory(shm) && "tmpfs".equals(Files.getFileStore(shm).type()),
                "needs a tmpfs /dev/shm");
        long memory = DataHeadroom.memAvailable();
        assumeTrue(memory > 0, "needs /proc/meminfo");
        long expected = Math.min(Files.getFileStore(shm).getUsableSpace(),
                Math.max(0, memory - 2 * DataHeadroom.heapGrowth()));
        DataHeadroom.Reading tmpfs = new DataHeadroom(List.of(shm), 2).read();
        assertThat(tmpfs.bytes()).isBetween(expected - slack, expected + slack);

        DataHeadroom.Reading both = new DataHeadroom(List.of(dir, shm), 2).read();
        assertThat(both.bytes()).isBetween(Math.min(disk.bytes(), tmpfs.bytes()) - slack,
                Math.min(disk.bytes(), tmpfs.bytes()) + slack);
    }

    private static DataHeadroom.Reading reading(long bytes) {
        return new DataHeadroom.Reading(bytes, "/dev/shm (tmpfs)");
    }
}
