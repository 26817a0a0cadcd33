package dev.picsou.mirror.server.bench;

import dev.picsou.mirror.storage.Directories;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The bench's temporary data directories and what a killed run left of them.
 *
 * <p>A run deletes its directories when it ends, on an exception and on a signal (shutdown hook), but not when it
 * is killed outright ({@code kill -9}, the kernel's out-of-memory killer): then gigabytes stay behind (in memory
 * when they are in {@code /dev/shm}, the mirror's default place until 2026-12-06). Every directory a run creates
 * therefore carries an owner file naming the run's process (pid and start time), and a run starting later deletes
 * the directories whose owner is gone. A directory without an owner file, or whose owner still runs, is never
 * touched.
 */
public final class BenchDirectories {
    /** The owner file inside every directory a run creates: {@code <pid> <start time, epoch ms or -1>}. */
    static final String OWNER_FILE = ".picsou-bench-owner";

    private BenchDirectories() {
    }

    /** A fresh directory {@code parent/<prefix><random>} owned by this process. */
    public static Path create(Path parent, String prefix) throws IOException {
        Path dir = Files.createTempDirectory(parent, prefix);
        claim(dir, ProcessHandle.current());
        return dir;
    }

    /** Marks {@code dir} as owned by {@code owner}. */
    static void claim(Path dir, ProcessHandle owner) throws IOException {
        long started = startMillis(owner).orElse(-1L);
        Files.writeString(dir.resolve(OWNER_FILE), owner.pid() + " " + started + "\n", StandardCharsets.US_ASCII);
    }

    /**
     * The directories {@code parent/<prefix>*} whose owner file names a process that is gone (or a pid now used
     * by another process, told by its start time). Unreadable entries are skipped.
     */
    static List<Path> abandoned(Path parent, String prefix) {
        List<Path> found = new ArrayList<>();
        if (!Files.isDirectory(parent)) {
            return found;
        }
        try (DirectoryStream<Path> children = Files.newDirectoryStream(parent, prefix + "*")) {
            for (Path dir : children) {
                Path owner = dir.resolve(OWNER_FILE);
                if (Files.isDirectory(dir) && Files.isRegularFile(owner) && ownerGone(owner)) {
                    found.add(dir);
                }
            }
        } catch (IOException e) {
            // an unreadable parent holds nothing we can clean
        }
        return found;
    }

    /**
     * Deletes the {@link #abandoned} directories of {@code parent}; returns what was deleted, each with the bytes it
     * held. A directory that cannot be deleted entirely is left out of the list.
     */
    public static List<Removed> removeAbandoned(Path parent, String prefix) {
        List<Removed> removed = new ArrayList<>();
        for (Path dir : abandoned(parent, prefix)) {
            long bytes = sizeOf(dir);
            try {
                Directories.deleteRecursively(dir);
                removed.add(new Removed(dir, bytes));
            } catch (IOException e) {
                // another run's cleanup got there first, or no permission: leave it
            }
        }
        return removed;
    }

    /** A deleted directory and the bytes its files held. */
    public record Removed(Path directory, long bytes) {
    }

    private static boolean ownerGone(Path ownerFile) {
        String[] f;
        try {
            f = Files.readString(ownerFile, StandardCharsets.US_ASCII).trim().split("\\s+");
        } catch (IOException e) {
            return false;
        }
        if (f.length != 2) {
            return false;
        }
        long pid;
        long started;
        try {
            pid = Long.parseLong(f[0]);
            started = Long.parseLong(f[1]);
        } catch (NumberFormatException e) {
            return false;
        }
        Optional<ProcessHandle> process = ProcessHandle.of(pid);
        if (process.isEmpty() || !process.get().isAlive()) {
            return true;
        }
        Optional<Long> now = startMillis(process.get());
        return started >= 0 && now.isPresent() && now.get() != started;
    }

    private static Optional<Long> startMillis(ProcessHandle process) {
        return process.info().startInstant().map(Instant::toEpochMilli);
    }

    private static long sizeOf(Path dir) {
        try (var files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).mapToLong(p -> {
                try {
                    return Files.size(p);
                } catch (IOException e) {
                    return 0;
                }
            }).sum();
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }
}
