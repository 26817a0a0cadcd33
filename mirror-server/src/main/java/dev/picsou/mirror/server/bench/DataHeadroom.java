package dev.picsou.mirror.server.bench;

import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * How much room the bench's data directories have left, and when a scenario must stop for lack of it.
 *
 * <p>A scenario's data grows for as long as it runs: every replica of both sites keeps its Raft log, the mirror's
 * entry log and the state. At 1 MiB entries on 7+7 replicas that is about a gigabyte a second. A full disk fails
 * the sites' writes; a full tmpfs ({@code --mirror-dir /dev/shm/...}) is memory, and filling it leaves the kernel
 * to kill a process (a run of 7+7 at 1 MiB did, the bench itself among them). The room of a directory is its file
 * system's usable space, and for a {@code tmpfs} also the machine's available memory ({@code MemAvailable} of
 * {@code /proc/meminfo}) less what the bench's JVMs may still add to their heaps (a 7+7 run at 1 MiB grew both to
 * 5 GB).
 *
 * <p>{@link Guard} turns samples of the room into a decision: stop once the room left is below a floor
 * ({@link #floorBytes}) plus what the last interval consumed, three times over (the load stops, the stream drains,
 * and the drain writes what was in flight).
 */
final class DataHeadroom {
    /** Room below which a scenario stops, whatever the pace: 1 GiB, or {@code -Dpicsou.bench.minRoomMiB}. */
    static long floorBytes() {
        return Math.max(0, Long.getLong("picsou.bench.minRoomMiB", 1024)) << 20;
    }

    /** Intervals of growth at the last pace kept in reserve on top of the floor. */
    static final int RESERVE_INTERVALS = 3;
    private static final Path MEMINFO = Path.of("/proc/meminfo");

    private final List<Path> directories;
    private final int jvms;

    /**
     * The room of every directory in {@code directories} (they must exist); the least of them counts. On a tmpfs
     * the memory that {@code jvms} JVMs like this one may still add to their heaps is not room.
     */
    DataHeadroom(List<Path> directories, int jvms) {
        this.directories = List.copyOf(directories);
        this.jvms = jvms;
    }

    /** The least room of the directories, bytes, and where; a directory that cannot be read counts as unlimited. */
    Reading read() {
        Reading least = new Reading(Long.MAX_VALUE, "nowhere");
        for (Path dir : directories) {
            try {
                FileStore store = Files.getFileStore(dir);
                long room = store.getUsableSpace();
                String where = dir + " (" + store.type() + ")";
                long memory = "tmpfs".equals(store.type()) ? memAvailable() : -1;
                long spare = memory < 0 ? Long.MAX_VALUE : Math.max(0, memory - jvms * heapGrowth());
                if (spare < room) {
                    room = spare;
                    where = dir + " (tmpfs: the machine's available memory, less what " + jvms
                            + " JVMs may add to their heaps)";
                }
                if (room < least.bytes()) {
                    least = new Reading(room, where);
                }
            } catch (IOException e) {
                // the directory went away (a scenario cleaning up): nothing to guard there
            }
        }
        return least;
    }

    /** How much this JVM's heap may still grow, bytes (its maximum less what it has taken). */
    static long heapGrowth() {
        Runtime rt = Runtime.getRuntime();
        return rt.maxMemory() == Long.MAX_VALUE ? 0 : Math.max(0, rt.maxMemory() - rt.totalMemory());
    }

    /** {@code MemAvailable} of {@code /proc/meminfo} in bytes; -1 when unknown (not Linux). */
    static long memAvailable() {
        try {
            for (String line : Files.readAllLines(MEMINFO)) {
                if (line.startsWith("MemAvailable:")) {
                    String[] f = line.trim().split("\\s+");
                    return Long.parseLong(f[1]) * 1024;
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }

    /** Room left, bytes, and the directory (with its file system) that has the least. */
    record Reading(long bytes, String where) {
        String describe() {
            return String.format(Locale.ROOT, "%,d MiB left in %s", bytes >> 20, where);
        }
    }

    /**
     * Decides from successive readings whether to stop. Not thread-safe; one per scenario.
     */
    static final class Guard {
        private final long floorBytes;
        private long lastBytes = -1;
        private long lastPace;

        Guard(long floorBytes) {
            this.floorBytes = floorBytes;
        }

        /**
         * Takes one reading (readings are about evenly spaced); returns the reason to stop, or null to go on.
         */
        String observe(Reading r) {
            if (lastBytes >= 0) {
                lastPace = Math.max(0, lastBytes - r.bytes());
            }
            lastBytes = r.bytes();
            long reserve = floorBytes + RESERVE_INTERVALS * lastPace;
            if (r.bytes() >= reserve) {
                return null;
            }
            return String.format(Locale.ROOT, "stopped early: the data directories are running out of room (%s,"
                            + " %,d MiB used since the last reading; a scenario stops below %,d MiB). Give"
                            + " --mirror-dir and --dir on a larger file system, or fewer or smaller entries"
                            + " (--duration, --rate, --entry-bytes)",
                    r.describe(), lastPace >> 20, reserve >> 20);
        }

        /** Bytes consumed in the last interval. */
        long lastPace() {
            return lastPace;
        }
    }
}
