package dev.picsou.mirror.server.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.ratis.server.RaftServerConfigKeys;
import org.apache.ratis.server.protocol.TermIndex;
import org.apache.ratis.server.storage.FileInfo;
import org.apache.ratis.server.storage.RaftStorage;
import org.apache.ratis.statemachine.impl.SingleFileSnapshotInfo;
import org.apache.ratis.util.SizeInBytes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KvSnapshotStorageTest {

    @TempDir
    Path tmp;

    @Test
    void withoutASnapshotTheDirectoryIsListedOnceUntilASnapshotIsRecordedOrTheStorageInvalidated()
            throws Exception {
        try (RaftStorage raftStorage = RaftStorage.newBuilder().setDirectory(tmp.toFile())
                .setStorageFreeSpaceMin(SizeInBytes.ONE_KB)
                .setOption(RaftStorage.StartupOption.FORMAT)
                .setLogCorruptionPolicy(RaftServerConfigKeys.Log.CorruptionPolicy.EXCEPTION)
                .build()) {
            raftStorage.initialize();
            KvSnapshotStorage storage = new KvSnapshotStorage();
            storage.init(raftStorage);
            assertThat(storage.getLatestSnapshot()).isNull();

            // A file that appears behind its back (as an installed snapshot does) is not looked for on every call...
            File installed = storage.getSnapshotFile(1, 10);
            Files.writeString(installed.toPath(), "state");
            assertThat(storage.getLatestSnapshot()).isNull();
            // ...but is found once the owner invalidates (reinitialize does, before reading the directory).
            storage.invalidate();
            assertThat(storage.getLatestSnapshot().getTermIndex()).isEqualTo(TermIndex.valueOf(1, 10));

            // A snapshot the state machine records is returned at once.
            File taken = storage.getSnapshotFile(1, 20);
            Files.writeString(taken.toPath(), "state");
            storage.updateLatestSnapshot(new SingleFileSnapshotInfo(new FileInfo(taken.toPath(), null),
                    TermIndex.valueOf(1, 20)));
            assertThat(storage.getLatestSnapshot().getTermIndex()).isEqualTo(TermIndex.valueOf(1, 20));
        }
    }
}
