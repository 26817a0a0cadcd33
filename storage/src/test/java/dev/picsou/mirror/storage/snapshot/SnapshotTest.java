package dev.picsou.mirror.storage.snapshot;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.picsou.mirror.storage.HookMetadata;
import dev.picsou.mirror.storage.MirrorStore;
import dev.picsou.mirror.storage.StateDigest;
import dev.picsou.mirror.storage.StorageException;
import dev.picsou.mirror.storage.StoreBatch;
import dev.picsou.mirror.storage.StoreOptions;
import dev.picsou.mirror.storage.StoredEntry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.Comparator;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SnapshotTest {

    private static final Instant CREATED = Instant.parse("2025-01-02T03:04:05Z");
    private static final HookMetadata META = HookMetadata.initial().withRole(HookMetadata.Role.MIRROR)
            .withEpoch(2).withLastApplied(4, 3311).withDurableSeq(200).withFailover(3, 150);

    @TempDir
    Path tmp;

    private Path data;
    private Path snapshot;

    @BeforeEach
    void setUp() {
        data = tmp.resolve("data");
        snapshot = tmp.resolve("snapshots").resolve("snap-1");
    }

    private void fill(MirrorStore store) {
        for (long batchStart = 1; batchStart <= 200; batchStart += 50) {
            StoreBatch batch = store.newBatch();
            for (long s = batchStart; s < batchStart + 50; s++) {
                batch.putEntry(StoredEntry.of(2, s, 1, s, ("e" + s).getBytes(UTF_8)))
                        .putKv(("key-" + s).getBytes(UTF_8), ("value-" + s).getBytes(UTF_8));
            }
            batch.commit();
        }
        store.newBatch().putPending(StoredEntry.of(3, 205, 5, 9, new byte[] {1})).putMetadata(META).commit();
    }

    @Test
    void writesACheckpointWithAManifestThatValidatesAndDescribesTheState() {
        try (MirrorStore store = MirrorStore.open(data)) {
            fill(store);

            SnapshotManifest written = new CheckpointWriter(store).write(snapshot, "dc-west", CREATED);

            assertThat(written.siteId()).isEqualTo("dc-west");
            assertThat(written.role()).isEqualTo(HookMetadata.Role.MIRROR);
            assertThat(written.epoch()).isEqualTo(3);
            assertThat(written.seq()).isEqualTo(200);
            assertThat(written.raftTerm()).isEqualTo(4);
            assertThat(written.raftIndex()).isEqualTo(3311);
            assertThat(written.formatVersion()).isEqualTo(MirrorStore.FORMAT_VERSION);
            assertThat(written.createdAt()).isEqualTo(CREATED);
            assertThat(written.files()).isNotEmpty()
                    .extracting(SnapshotManifest.FileEntry::name).contains("CURRENT").isSorted();
            assertThat(written.totalBytes()).isPositive();
            assertThat(SnapshotManifest.read(snapshot)).isEqualTo(written);
            assertThat(snapshot.resolveSibling("snap-1.partial")).doesNotExist();
            assertThat(snapshot.resolve("manifest.json.tmp")).doesNotExist();
        }
    }

    @Test
    void theCheckpointIsAPointInTimeWhileTheStoreMovesOn() {
        try (MirrorStore store = MirrorStore.open(data)) {
            fill(store);
            new CheckpointWriter(store).write(snapshot, "dc-west", CREATED);
            store.newBatch().putKv("late".getBytes(UTF_8), new byte[] {9})
                    .putMetadata(META.withDurableSeq(201)).commit();
        }
        try (MirrorStore copy = MirrorStore.openReadOnly(snapshot)) {
            assertThat(copy.metadata()).isEqualTo(META);
            assertThat(copy.kv().get("late".getBytes(UTF_8))).isEmpty();
        }
    }

    @Test
    void restoreCopiesAValidatedSnapshotIntoAFreshDirectoryWithTheSameState() {
        StateDigest original;
        try (MirrorStore store = MirrorStore.open(data)) {
            fill(store);
            original = store.kv().digest();
            new CheckpointWriter(store).write(snapshot, "dc-west", CREATED);
        }
        Path restored = tmp.resolve("restored");

        try (MirrorStore store = SnapshotRestore.restore(snapshot, restored, StoreOptions.defaults())) {
            assertThat(store.kv().digest()).isEqualTo(original);
            assertThat(store.metadata()).isEqualTo(META);
            assertThat(store.entries().count()).isEqualTo(200);
            assertThat(store.pending().lastSeq()).hasValue(205);
            store.newBatch().putKv("after".getBytes(UTF_8), new byte[] {1}).commit();
        }
        // the snapshot itself is untouched and still valid
        assertThat(SnapshotManifest.read(snapshot).seq()).isEqualTo(200);
        assertThat(tmp.resolve("restored.restoring")).doesNotExist();
    }

    @Test
    void aTamperedFileIsRefusedByName() throws IOException {
        writeSnapshot();
        Path sst = largestSst();
        byte[] content = Files.readAllBytes(sst);
        content[content.length / 2] ^= 0x40;
        Files.write(sst, content);

        assertThatThrownBy(() -> SnapshotManifest.read(snapshot))
                .isInstanceOf(StorageException.class)
                .hasMessageContaining("file " + sst.getFileName())
                .hasMessageContaining("SHA-256");
        assertThatThrownBy(() -> SnapshotRestore.restore(snapshot, tmp.resolve("r"), StoreOptions.defaults()))
                .isInstanceOf(StorageException.class)
                .hasMessageContaining("file " + sst.getFileName());
        assertThat(tmp.resolve("r")).doesNotExist();
    }

    @Test
    void aTruncatedOrExtendedFileIsRefusedByName() throws IOException {
        writeSnapshot();
        Path current = snapshot.resolve("CURRENT");
        Files.write(current, new byte[] {'\n'}, StandardOpenOption.APPEND);

        assertThatThrownBy(() -> SnapshotManifest.read(snapshot))
                .isInstanceOf(StorageException.class)
                .hasMessageContaining("file CURRENT is")
                .hasMessageContaining("bytes, the manifest says");
    }

    @Test
    void aMissingFileIsRefusedByName() throws IOException {
        writeSnapshot();
        Path sst = largestSst();
        Files.delete(sst);

        assertThatThrownBy(() -> SnapshotManifest.read(snapshot))
                .isInstanceOf(StorageException.class)
                .hasMessageContaining("file " + sst.getFileName() + " listed in the manifest is missing");
    }

    @Test
    void anUnlistedFileIsRefusedByName() throws IOException {
        writeSnapshot();
        Files.write(snapshot.resolve("000999.log"), new byte[] {1, 2, 3});

        assertThatThrownBy(() -> SnapshotManifest.read(snapshot))
                .isInstanceOf(StorageException.class)
                .hasMessageContaining("file 000999.log is not listed in the manifest");
    }

    @Test
    void anEditedManifestFailsItsOwnChecksum() throws IOException {
        writeSnapshot();
        Path file = snapshot.resolve(SnapshotManifest.FILE_NAME);
        ObjectMapper json = new ObjectMapper();
        ObjectNode root = (ObjectNode) json.readTree(file.toFile());
        root.put("seq", 999);
        json.writeValue(file.toFile(), root);

        assertThatThrownBy(() -> SnapshotManifest.read(snapshot))
                .isInstanceOf(StorageException.class)
                .hasMessageContaining("manifest.json is corrupt");
    }

    @Test
    void aMissingOrMalformedManifestIsRefused() throws IOException {
        writeSnapshot();
        Path file = snapshot.resolve(SnapshotManifest.FILE_NAME);
        ObjectMapper json = new ObjectMapper();
        ObjectNode root = (ObjectNode) json.readTree(file.toFile());
        root.put("epoch", "three");
        json.writeValue(file.toFile(), root);

        assertThatThrownBy(() -> SnapshotManifest.read(snapshot))
                .isInstanceOf(StorageException.class)
                .hasMessageContaining("field 'epoch' missing or not an integer");

        Files.delete(file);
        assertThatThrownBy(() -> SnapshotManifest.read(snapshot))
                .isInstanceOf(StorageException.class)
                .hasMessageContaining("missing")
                .hasMessageContaining("manifest.json");
    }

    @Test
    void refusesToOverwriteAnExistingSnapshotOrRestoreIntoANonEmptyDirectory() throws IOException {
        try (MirrorStore store = MirrorStore.open(data)) {
            fill(store);
            CheckpointWriter writer = new CheckpointWriter(store);
            writer.write(snapshot, "dc-west", CREATED);

            assertThatThrownBy(() -> writer.write(snapshot, "dc-west", CREATED))
                    .isInstanceOf(StorageException.class).hasMessageContaining("already exists");
        }
        Path occupied = Files.createDirectories(tmp.resolve("occupied"));
        Files.write(occupied.resolve("something"), new byte[] {1});

        assertThatThrownBy(() -> SnapshotRestore.restore(snapshot, occupied, StoreOptions.defaults()))
                .isInstanceOf(StorageException.class).hasMessageContaining("not empty");
        Path empty = Files.createDirectories(tmp.resolve("empty"));
        try (MirrorStore store = SnapshotRestore.restore(snapshot, empty, StoreOptions.defaults())) {
            assertThat(store.metadata()).isEqualTo(META);
        }
    }

    @Test
    void aLeftoverStagingDirectoryFromACrashedWriteIsReplaced() throws IOException {
        Path partial = Files.createDirectories(snapshot.resolveSibling("snap-1.partial"));
        Files.write(partial.resolve("garbage"), new byte[] {1});
        try (MirrorStore store = MirrorStore.open(data)) {
            fill(store);
            new CheckpointWriter(store).write(snapshot, "dc-west", CREATED);
        }
        assertThat(partial).doesNotExist();
        assertThat(SnapshotManifest.read(snapshot).files())
                .extracting(SnapshotManifest.FileEntry::name).doesNotContain("garbage");
    }

    private void writeSnapshot() {
        try (MirrorStore store = MirrorStore.open(data)) {
            fill(store);
            new CheckpointWriter(store).write(snapshot, "dc-west", CREATED);
        }
    }

    private Path largestSst() throws IOException {
        try (Stream<Path> files = Files.list(snapshot)) {
            return files.filter(p -> p.getFileName().toString().endsWith(".sst"))
                    .max(Comparator.comparingLong(p -> p.toFile().length()))
                    .orElseThrow();
        }
    }
}
