package dev.picsou.mirror.bridge.hook;

import dev.picsou.mirror.storage.Directories;
import dev.picsou.mirror.storage.MirrorStore;
import dev.picsou.mirror.storage.StorageException;
import dev.picsou.mirror.storage.StoreOptions;
import dev.picsou.mirror.storage.snapshot.CheckpointWriter;
import dev.picsou.mirror.storage.snapshot.SnapshotManifest;
import dev.picsou.mirror.storage.snapshot.SnapshotRestore;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.apache.ratis.server.protocol.TermIndex;
import org.apache.ratis.server.storage.FileInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hook stores travel with Ratis snapshots as RocksDB checkpoints (with the storage module's manifest) in a directory
 * {@code <prefix>.<term>_<index>} inside the state machine's snapshot directory. The checkpoint's files are listed
 * in the state machine's {@code SnapshotInfo}, so a chunk-mode install copies them to the follower's {@code sm}
 * directory with everything else; the follower then restores its live store (kept outside {@code sm}) from them.
 *
 * <p>The checkpoint is named after the Raft snapshot's term and index; its manifest records the store's own
 * {@code lastAppliedIndex} (the last state-machine entry at or below that index), which is what decides whether a
 * checkpoint is newer than a live store. Stateless; every method is safe to call from any thread.
 */
final class StoreCheckpoints {
    private static final Logger LOG = LoggerFactory.getLogger(StoreCheckpoints.class);
    /** Digest files Ratis writes next to every installed file; not part of the checkpoint. */
    private static final String MD5_SUFFIX = ".md5";

    /** A complete checkpoint directory (its manifest is present). */
    record Checkpoint(Path dir, TermIndex termIndex) {
    }

    private StoreCheckpoints() {
    }

    static Path dirFor(Path parent, String prefix, TermIndex ti) {
        return parent.resolve(prefix + "." + ti.getTerm() + "_" + ti.getIndex());
    }

    /** The complete checkpoint for exactly {@code ti}, if there is one. */
    static Optional<Checkpoint> find(Path parent, String prefix, TermIndex ti) {
        Path dir = dirFor(parent, prefix, ti);
        return complete(dir) ? Optional.of(new Checkpoint(dir, ti)) : Optional.empty();
    }

    /** Every complete checkpoint under {@code parent}, oldest (lowest index) first. */
    static List<Checkpoint> list(Path parent, String prefix) {
        List<Checkpoint> found = new ArrayList<>();
        if (parent == null || !Files.isDirectory(parent)) {
            return found;
        }
        Pattern pattern = Pattern.compile(Pattern.quote(prefix) + "\\.(\\d+)_(\\d+)");
        try (Stream<Path> listing = Files.list(parent)) {
            for (Path p : (Iterable<Path>) listing::iterator) {
                Matcher m = pattern.matcher(p.getFileName().toString());
                if (m.matches() && complete(p)) {
                    found.add(new Checkpoint(p, TermIndex.valueOf(Long.parseLong(m.group(1)),
                            Long.parseLong(m.group(2)))));
                }
            }
        } catch (IOException e) {
            LOG.warn("cannot list checkpoints in {}", parent, e);
        }
        found.sort(Comparator.comparingLong((Checkpoint c) -> c.termIndex().getIndex()));
        return found;
    }

    static Optional<Checkpoint> latest(Path parent, String prefix) {
        List<Checkpoint> all = list(parent, prefix);
        return all.isEmpty() ? Optional.empty() : Optional.of(all.get(all.size() - 1));
    }

    /**
     * Writes a checkpoint of {@code store} for the Raft snapshot {@code ti}; returns the existing one when it was
     * already taken. Consistent at one point in time while writes go on; files fsynced.
     */
    static Checkpoint take(MirrorStore store, Path parent, String prefix, TermIndex ti, String siteId)
            throws IOException {
        Path dir = dirFor(parent, prefix, ti);
        if (complete(dir)) {
            return new Checkpoint(dir, ti);
        }
        writeInto(store, dir, siteId);
        return new Checkpoint(dir, ti);
    }

    /** Writes a checkpoint of {@code store} into {@code dir}, replacing whatever is there. */
    static void writeInto(MirrorStore store, Path dir, String siteId) throws IOException {
        deleteRecursively(dir);
        try {
            new CheckpointWriter(store).write(dir, siteId, Instant.now());
        } catch (StorageException e) {
            throw new IOException("cannot checkpoint " + store.directory() + " into " + dir + ": " + e.getMessage(), e);
        }
    }

    /**
     * Gives the checkpoint written into {@code staged} its final name for {@code ti} (an existing one for the same
     * snapshot wins and {@code staged} is deleted).
     */
    static Checkpoint promote(Path staged, Path parent, String prefix, TermIndex ti) throws IOException {
        Path dir = dirFor(parent, prefix, ti);
        if (complete(dir)) {
            deleteRecursively(staged);
        } else {
            deleteRecursively(dir);
            Files.move(staged, dir, StandardCopyOption.ATOMIC_MOVE);
        }
        return new Checkpoint(dir, ti);
    }

    /** The files Ratis must ship for {@code cp} (every regular file in it, digests excluded). */
    static List<FileInfo> files(Checkpoint cp) {
        List<FileInfo> files = new ArrayList<>();
        try (Stream<Path> listing = Files.list(cp.dir())) {
            listing.filter(Files::isRegularFile)
                    .filter(p -> !p.getFileName().toString().endsWith(MD5_SUFFIX))
                    .sorted()
                    .forEach(p -> files.add(new FileInfo(p, null)));
        } catch (IOException e) {
            throw new StorageException("list checkpoint files", cp.dir() + ": " + e, e);
        }
        return files;
    }

    /** The {@code lastAppliedIndex} of the store inside {@code cp}, from its manifest. */
    static long storeAppliedIndex(Checkpoint cp) {
        return SnapshotManifest.readManifestOnly(cp.dir()).raftIndex();
    }

    /** Deletes all but the newest {@code keep} checkpoints (and leftovers of interrupted ones). */
    static void retain(Path parent, String prefix, int keep) {
        List<Checkpoint> all = list(parent, prefix);
        for (int i = 0; i < all.size() - keep; i++) {
            try {
                deleteRecursively(all.get(i).dir());
            } catch (IOException e) {
                LOG.warn("cannot delete old checkpoint {}", all.get(i).dir(), e);
            }
        }
    }

    /**
     * Replaces the live store at {@code storeDir} with the content of {@code cp}: closes {@code current}, moves its
     * directory aside, restores (validating every file against the manifest), opens the result and deletes the old
     * directory. On failure the old directory is put back (closed: the caller reopens it) and the exception says why.
     *
     * <p>Crash story: a crash after the move leaves no store at {@code storeDir}; the next open creates an empty
     * one (lastAppliedIndex -1), which is older than any checkpoint, so startup restores again.
     */
    static MirrorStore restore(MirrorStore current, Path storeDir, Checkpoint cp, StoreOptions options)
            throws IOException {
        try {
            current.close();
        } catch (StorageException e) {
            LOG.warn("closing {} before restore failed", storeDir, e);
        }
        try (Stream<Path> listing = Files.list(cp.dir())) {
            for (Path p : (Iterable<Path>) listing::iterator) {
                if (p.getFileName().toString().endsWith(MD5_SUFFIX)) {
                    Files.deleteIfExists(p);
                }
            }
        }
        Path aside = storeDir.resolveSibling(storeDir.getFileName() + ".replaced");
        deleteRecursively(aside);
        if (Files.exists(storeDir)) {
            Files.move(storeDir, aside, StandardCopyOption.ATOMIC_MOVE);
        }
        try {
            MirrorStore restored = SnapshotRestore.restore(cp.dir(), storeDir, options);
            deleteRecursively(aside);
            return restored;
        } catch (RuntimeException e) {
            deleteRecursively(storeDir);
            if (Files.exists(aside)) {
                Files.move(aside, storeDir, StandardCopyOption.ATOMIC_MOVE);
            }
            throw new IOException("cannot restore " + storeDir + " from " + cp.dir() + ": " + e.getMessage(), e);
        }
    }

    private static boolean complete(Path dir) {
        return Files.isDirectory(dir) && Files.isRegularFile(dir.resolve(SnapshotManifest.FILE_NAME));
    }

    static void deleteRecursively(Path path) throws IOException {
        Directories.deleteRecursively(path);
    }
}
