package dev.picsou.mirror.bridge.hook;

import dev.picsou.mirror.bridge.model.Entry;
import dev.picsou.mirror.storage.HookMetadata;
import dev.picsou.mirror.storage.MirrorStore;
import dev.picsou.mirror.storage.StoreCursor;
import dev.picsou.mirror.storage.StoredEntry;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The hook store's deferred persistence: what a reader of the directory (a restart, a side reader after a sync)
 * finds is always a persist batch, whose outbox is exactly {@code (quackedSeq, lastSeq]} of the metadata beside it.
 */
class PrimaryHookStoreTest {
    @TempDir
    Path tmp;

    @Test
    void afterSyncAReaderOfTheDirectoryFindsTheEntriesBetweenTheQuackAndTheLastSeq() {
        Path dir = tmp.resolve("hook");
        List<Entry> numbered = new ArrayList<>();
        try (PrimaryHookStore store = PrimaryHookStore.open(dir, 1)) {
            for (int i = 1; i <= 100; i++) {
                numbered.add(store.append(1, 10 + i, payload(i, 300)));
            }
            store.quacked(40);
            store.sync();
            try (MirrorStore reader = MirrorStore.openReadOnly(dir)) {
                HookMetadata meta = reader.metadata();
                assertThat(meta.lastSeq()).isEqualTo(100);
                assertThat(meta.quackedSeq()).isEqualTo(40);
                assertThat(meta.lastAppliedIndex()).isEqualTo(110);
                assertThat(outbox(reader)).containsExactlyElementsOf(numbered.subList(40, 100));
            }
        }
    }

    @Test
    void entriesQuackedBeforeTheirPersistBatchNeverReachTheStore() {
        Path dir = tmp.resolve("hook");
        try (PrimaryHookStore store = PrimaryHookStore.open(dir, 1)) {
            for (int i = 1; i <= 300; i++) {
                store.append(1, i, payload(i, 1000));
                if (i % 10 == 0) {
                    store.quacked(i - 5);
                }
            }
            store.quacked(300);
            store.sync();
            assertThat(store.persistedEntries()).isZero();

            Entry late = store.append(1, 301, payload(301, 1000));
            store.sync();
            assertThat(store.persistedEntries()).isEqualTo(1);
            try (MirrorStore reader = MirrorStore.openReadOnly(dir)) {
                assertThat(reader.metadata().quackedSeq()).isEqualTo(300);
                assertThat(outbox(reader)).containsExactly(late);
            }
        }
    }

    /**
     * A batch writes what is not QUACKed when it goes out, about the QUACK lag whatever the period: a period four
     * times as long writes about a quarter of the entries of a stream whose QUACK trails by 100 entries.
     */
    @Test
    void aLongerPersistPeriodWritesFewerOfTheEntriesALaggingQuackLeavesBehind() {
        long shortPeriod = persistedWithQuackLag(tmp.resolve("short"), 1024);
        long longPeriod = persistedWithQuackLag(tmp.resolve("long"), 4096);
        assertThat(shortPeriod).isBetween(19L * 90, 20L * 110);
        assertThat(longPeriod).isBetween(4L * 90, 5L * 110);
    }

    private static long persistedWithQuackLag(Path dir, int period) {
        try (PrimaryHookStore store = PrimaryHookStore.open(dir, 1, period, Long.MAX_VALUE)) {
            for (int i = 1; i <= 20_480; i++) {
                store.append(1, i, payload(i, 100));
                if (i > 100) {
                    store.quacked(i - 100);
                }
            }
            return store.persistedEntries();
        }
    }

    /**
     * Random appends, QUACKs and syncs across many automatic persist batches (by count and by bytes): at every sync
     * the directory holds the current state, and after a clean close a reopened store goes on from it.
     */
    @Test
    void everyPersistedStateHoldsExactlyTheUnquackedEntriesOfItsMetadata() {
        Path dir = tmp.resolve("hook");
        Random random = new Random(11);
        List<Entry> numbered = new ArrayList<>();
        long quacked = 0;
        HookMetadata last;
        // Batches every 1,024 entries or 8 MiB: about five by count and three by bytes in 6,000 entries.
        try (PrimaryHookStore store = PrimaryHookStore.open(dir, 3, 1024, 8L << 20)) {
            for (int i = 1; i <= 6000; i++) {
                int size = random.nextInt(20) == 0 ? 64 * 1024 : 1 + random.nextInt(2000);
                numbered.add(store.append(2, 5 + i, payload(i, size)));
                if (random.nextInt(7) == 0) {
                    quacked = Math.max(quacked, i - random.nextInt(1500));
                    store.quacked(quacked);
                }
                if (random.nextInt(900) == 0) {
                    store.sync();
                    assertDirectoryHolds(dir, store.metadata(), numbered);
                }
            }
            assertThat(store.persistedEntries()).as("some entries were QUACKed before their batch")
                    .isLessThan(6000);
            last = store.metadata();
        }
        try (MirrorStore reader = MirrorStore.openReadOnly(dir)) {
            assertThat(reader.metadata()).isEqualTo(last);
        }
        assertDirectoryHolds(dir, last, numbered);
        try (PrimaryHookStore reopened = PrimaryHookStore.open(dir, 3)) {
            assertThat(reopened.metadata()).isEqualTo(last);
            assertThat(reopened.outboxAbove(last.quackedSeq()))
                    .containsExactlyElementsOf(numbered.subList((int) last.quackedSeq(), numbered.size()));
            Entry next = reopened.append(2, 6006, payload(6001, 10));
            assertThat(next.seq()).isEqualTo(6001);
        }
    }

    @Test
    void aSealIsInTheStoreTogetherWithTheEntriesBeforeIt() {
        Path dir = tmp.resolve("hook");
        List<Entry> numbered = new ArrayList<>();
        try (PrimaryHookStore store = PrimaryHookStore.open(dir, 1)) {
            for (int i = 1; i <= 20; i++) {
                numbered.add(store.append(1, i, payload(i, 100)));
            }
            assertThat(store.seal(1, 21)).isEqualTo(20);
            store.sync();
            try (MirrorStore reader = MirrorStore.openReadOnly(dir)) {
                assertThat(reader.metadata().sealedSeq()).isEqualTo(20);
                assertThat(reader.metadata().lastAppliedIndex()).isEqualTo(21);
                assertThat(outbox(reader)).containsExactlyElementsOf(numbered);
            }
        }
    }

    private static void assertDirectoryHolds(Path dir, HookMetadata expected, List<Entry> numbered) {
        try (MirrorStore reader = MirrorStore.openReadOnly(dir)) {
            HookMetadata meta = reader.metadata();
            assertThat(meta).isEqualTo(expected);
            assertThat(outbox(reader)).as("outbox of %s", meta)
                    .containsExactlyElementsOf(numbered.subList((int) meta.quackedSeq(), (int) meta.lastSeq()));
        }
    }

    private static List<Entry> outbox(MirrorStore reader) {
        List<Entry> out = new ArrayList<>();
        try (StoreCursor<StoredEntry> cursor = reader.outbox().cursor(0)) {
            while (cursor.hasNext()) {
                out.add(Entries.fromStored(cursor.next()));
            }
        }
        return out;
    }

    private static byte[] payload(int n, int size) {
        byte[] b = new byte[size];
        for (int i = 0; i < size; i++) {
            b[i] = (byte) (n * 31 + i);
        }
        return b;
    }
}
