package dev.picsou.mirror.storage.snapshot;

import dev.picsou.mirror.storage.HookMetadata;
import dev.picsou.mirror.storage.MirrorStore;
import dev.picsou.mirror.storage.StorageException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Writes a snapshot of a {@link MirrorStore}: a RocksDB checkpoint plus a {@link SnapshotManifest}.
 *
 * <p>Atomicity: everything is built in a sibling staging directory {@code <target>.partial} (checkpoint, files
 * fsynced, manifest written by temp file + fsync + rename), which is then renamed to {@code target} and the parent
 * directory fsynced. A crash leaves either no {@code target} or a complete, valid one; a leftover
 * {@code .partial} directory is deleted by the next write to the same target.
 *
 * <p>Consistency: the checkpoint is a single point in time across all column families, taken while writes go on.
 * The manifest's epoch, seq and Raft term/index are read from the metadata inside the checkpoint (opened
 * read-only), so they always describe exactly the state that was captured.
 *
 * <p>Files: on the same filesystem RocksDB hard-links the SST files of the live store into the checkpoint (it
 * never modifies an SST in place, so this is safe and cheap); never edit a file of a snapshot directory. To move a
 * snapshot to another machine, copy the directory; to start a node from it, use {@link SnapshotRestore}.
 * Keep snapshot directories and the live store outside the Ratis {@code sm} directory, which a chunk-mode snapshot
 * install replaces wholesale.
 *
 * <p>Thread-safe: any thread may write snapshots while the store is in use. No clock reads: the creation time is
 * given by the caller.
 */
public final class CheckpointWriter {

    private final MirrorStore store;

    public CheckpointWriter(MirrorStore store) {
        this.store = Objects.requireNonNull(store, "store");
    }

    /**
     * Writes a snapshot into {@code target}, which must not exist (its parent is created if needed).
     *
     * @param target    the snapshot directory to create
     * @param siteId    the site taking the snapshot, recorded in the manifest
     * @param createdAt creation time recorded in the manifest
     * @return the manifest written
     * @throws StorageException if the target exists or any step fails; no {@code target} is left behind then
     */
    public SnapshotManifest write(Path target, String siteId, Instant createdAt) {
        Objects.requireNonNull(siteId, "siteId");
        Objects.requireNonNull(createdAt, "createdAt");
        if (siteId.isBlank()) {
            throw new IllegalArgumentException("siteId must not be blank");
        }
        Path dir = target.toAbsolutePath().normalize();
        String operation = "write snapshot " + dir;
        if (Files.exists(dir)) {
            throw new StorageException(operation, "target already exists");
        }
        Path staging = dir.resolveSibling(dir.getFileName() + ".partial");
        try {
            Files.createDirectories(dir.getParent());
            SnapshotFiles.deleteRecursively(staging);
        } catch (IOException e) {
            throw new StorageException(operation, "cannot prepare " + staging + ": " + e, e);
        }
        try {
            store.createCheckpoint(staging);
            HookMetadata metadata;
            int formatVersion;
            try (MirrorStore checkpoint = MirrorStore.openReadOnly(staging)) {
                metadata = checkpoint.metadata();
                formatVersion = checkpoint.formatVersion();
            }
            List<SnapshotManifest.FileEntry> files = hashAndSync(staging, operation);
            SnapshotManifest manifest = SnapshotManifest.create(siteId, formatVersion, metadata, createdAt, files);
            manifest.writeTo(staging);
            SnapshotFiles.renameDirectory(staging, dir);
            return manifest;
        } catch (IOException | RuntimeException e) {
            try {
                SnapshotFiles.deleteRecursively(staging);
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            if (e instanceof RuntimeException re) {
                throw re;
            }
            throw new StorageException(operation, "cannot finish the snapshot: " + e, e);
        }
    }

    private static List<SnapshotManifest.FileEntry> hashAndSync(Path dir, String operation) throws IOException {
        List<SnapshotManifest.FileEntry> files = new ArrayList<>();
        for (String name : SnapshotFiles.checkpointFiles(dir, operation)) {
            Path file = dir.resolve(name);
            SnapshotFiles.fsync(file);
            files.add(new SnapshotManifest.FileEntry(name, Files.size(file), SnapshotFiles.sha256(file)));
        }
        return files;
    }
}
