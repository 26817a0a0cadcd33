package dev.picsou.mirror.storage.snapshot;

import dev.picsou.mirror.storage.HookMetadata;
import dev.picsou.mirror.storage.MirrorStore;
import dev.picsou.mirror.storage.StorageException;
import dev.picsou.mirror.storage.StoreOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * Turns a snapshot directory written by {@link CheckpointWriter} into a fresh data directory and opens it. The
 * snapshot itself is only read, so one snapshot can seed several nodes.
 *
 * <p>Steps: validate the manifest and every file ({@link SnapshotManifest#read}); copy the files into a sibling
 * staging directory {@code <dataDir>.restoring}, hashing each copy again and fsyncing it; rename the staging
 * directory to {@code dataDir} and fsync the parent; open it; check that the opened store's metadata matches the
 * manifest. A crash leaves either no {@code dataDir} or a complete copy.
 */
public final class SnapshotRestore {

    private SnapshotRestore() {
    }

    /**
     * Restores {@code snapshotDir} into {@code dataDir} (absent or an empty directory) and opens it.
     *
     * @return the open store, owned by the caller
     * @throws StorageException naming the file or field that failed validation, or if {@code dataDir} is not empty
     */
    public static MirrorStore restore(Path snapshotDir, Path dataDir, StoreOptions options) {
        SnapshotManifest manifest = copy(snapshotDir, dataDir);
        MirrorStore store = MirrorStore.open(dataDir, options.withCreateIfMissing(false));
        try {
            checkAgrees(manifest, store.metadata(), store.formatVersion(), dataDir);
            return store;
        } catch (RuntimeException e) {
            store.close();
            throw e;
        }
    }

    /**
     * Validates {@code snapshotDir} and copies its checkpoint files into {@code dataDir} (absent or an empty
     * directory), without opening it.
     *
     * @return the validated manifest
     */
    public static SnapshotManifest copy(Path snapshotDir, Path dataDir) {
        Path source = snapshotDir.toAbsolutePath().normalize();
        Path target = dataDir.toAbsolutePath().normalize();
        String operation = "restore snapshot " + source + " into " + target;
        SnapshotManifest manifest = SnapshotManifest.read(source);
        Path staging = target.resolveSibling(target.getFileName() + ".restoring");
        try {
            requireAbsentOrEmpty(target, operation);
            Files.createDirectories(target.getParent());
            SnapshotFiles.deleteRecursively(staging);
            Files.createDirectory(staging);
            for (SnapshotManifest.FileEntry entry : manifest.files()) {
                String sha = SnapshotFiles.copyAndHash(source.resolve(entry.name()), staging.resolve(entry.name()));
                if (!sha.equals(entry.sha256())) {
                    throw new StorageException(operation, "file " + entry.name()
                            + " changed while it was copied: SHA-256 " + sha + ", the manifest says "
                            + entry.sha256());
                }
            }
            Files.deleteIfExists(target);
            SnapshotFiles.renameDirectory(staging, target);
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
            throw new StorageException(operation, e.toString(), e);
        }
    }

    private static void requireAbsentOrEmpty(Path target, String operation) throws IOException {
        if (!Files.exists(target)) {
            return;
        }
        if (!Files.isDirectory(target)) {
            throw new StorageException(operation, target + " exists and is not a directory");
        }
        try (Stream<Path> listing = Files.list(target)) {
            if (listing.findAny().isPresent()) {
                throw new StorageException(operation, target + " is not empty: restore only into a fresh directory");
            }
        }
    }

    private static void checkAgrees(SnapshotManifest manifest, HookMetadata metadata, int formatVersion,
                                    Path dataDir) {
        boolean agrees = manifest.formatVersion() == formatVersion
                && manifest.role() == metadata.role()
                && manifest.epoch() == metadata.epoch()
                && manifest.seq() == metadata.stateSeq()
                && manifest.raftTerm() == metadata.lastAppliedTerm()
                && manifest.raftIndex() == metadata.lastAppliedIndex();
        if (!agrees) {
            throw new StorageException("restore snapshot into " + dataDir, "the restored store's metadata "
                    + metadata + " (format " + formatVersion + ") does not match the manifest " + manifest);
        }
    }
}
