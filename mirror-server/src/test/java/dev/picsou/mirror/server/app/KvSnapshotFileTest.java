package dev.picsou.mirror.server.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.picsou.mirror.storage.MirrorStore;
import dev.picsou.mirror.storage.StoreBatch;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KvSnapshotFileTest {

    @TempDir
    Path dir;

    private MirrorStore filledStore(String name, int pairs) {
        MirrorStore store = MirrorStore.open(dir.resolve(name));
        StoreBatch batch = store.newBatch();
        LoadGenerator.Settings settings = LoadGenerator.Settings.forCount(pairs).withDeleteFraction(0);
        for (int i = 0; i < pairs; i++) {
            KvCommand.applyTo(LoadGenerator.commandAt(settings, i).encode(), batch);
        }
        batch.commit();
        return store;
    }

    @Test
    void aLoadedSnapshotReproducesTheStateByteForByte() throws IOException {
        Path file = dir.resolve("snapshot.3_120");
        try (MirrorStore source = filledStore("source", 500);
             MirrorStore target = MirrorStore.open(dir.resolve("target"))) {
            long written = KvSnapshotFile.write(file, 3, 120, source.kv());
            assertThat(written).isEqualTo(source.kv().digest().pairCount());
            assertThat(dir.resolve("snapshot.3_120" + KvSnapshotFile.TMP_SUFFIX)).doesNotExist();

            StoreBatch batch = target.newBatch();
            KvSnapshotFile.Header header = KvSnapshotFile.load(file, batch);
            batch.commit();
            assertThat(header).isEqualTo(new KvSnapshotFile.Header(3, 120, written));
            assertThat(target.kv().digest().sameStateAs(source.kv().digest())).isTrue();
        }
    }

    @Test
    void anEmptyStateMakesAValidSnapshot() throws IOException {
        Path file = dir.resolve("snapshot.1_1");
        try (MirrorStore empty = MirrorStore.open(dir.resolve("empty"))) {
            assertThat(KvSnapshotFile.write(file, 1, 1, empty.kv())).isZero();
            StoreBatch batch = empty.newBatch();
            assertThat(KvSnapshotFile.load(file, batch).pairCount()).isZero();
            assertThat(batch.size()).isZero();
        }
    }

    @Test
    void refusesDamagedFiles() throws IOException {
        Path file = dir.resolve("snapshot.2_50");
        try (MirrorStore source = filledStore("source", 50)) {
            KvSnapshotFile.write(file, 2, 50, source.kv());
        }
        byte[] good = Files.readAllBytes(file);
        try (MirrorStore target = MirrorStore.open(dir.resolve("target"))) {
            byte[] flipped = good.clone();
            flipped[good.length / 2] ^= 0x01;
            Files.write(file, flipped);
            assertThatThrownBy(() -> KvSnapshotFile.load(file, target.newBatch()))
                    .isInstanceOf(IOException.class).hasMessageContaining("is damaged");

            Files.write(file, Arrays.copyOf(good, good.length - 7));
            assertThatThrownBy(() -> KvSnapshotFile.load(file, target.newBatch())).hasMessageContaining("truncated");

            byte[] badMagic = good.clone();
            badMagic[0] = 'X';
            Files.write(file, badMagic);
            assertThatThrownBy(() -> KvSnapshotFile.load(file, target.newBatch())).hasMessageContaining("magic");

            byte[] badVersion = good.clone();
            badVersion[4] = 7;
            Files.write(file, badVersion);
            assertThatThrownBy(() -> KvSnapshotFile.load(file, target.newBatch()))
                    .hasMessageContaining("version is 7");

            byte[] longer = Arrays.copyOf(good, good.length + 1);
            Files.write(file, longer);
            assertThatThrownBy(() -> KvSnapshotFile.load(file, target.newBatch()))
                    .hasMessageContaining("bytes follow the checksum");
        }
    }
}
