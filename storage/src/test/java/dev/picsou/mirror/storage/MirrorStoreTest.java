package dev.picsou.mirror.storage;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rocksdb.RocksDB;

class MirrorStoreTest {

    @TempDir
    Path dir;

    private static StoredEntry entry(long seq) {
        return StoredEntry.of(1, seq, 2, 100 + seq, ("payload-" + seq).getBytes(UTF_8));
    }

    private static List<Long> seqs(List<StoredEntry> entries) {
        return entries.stream().map(StoredEntry::seq).toList();
    }

    @Test
    void roundTripsEveryColumnFamilyAcrossReopen() {
        HookMetadata meta = HookMetadata.initial().withRole(HookMetadata.Role.MIRROR).withEpoch(3)
                .withLastApplied(4, 55).withDurableSeq(2).withFailover(4, 2);
        try (MirrorStore store = MirrorStore.open(dir)) {
            assertThat(store.metadata()).isEqualTo(HookMetadata.initial());
            assertThat(store.formatVersion()).isEqualTo(MirrorStore.FORMAT_VERSION);
            store.newBatch()
                    .putOutbox(entry(1))
                    .putEntry(entry(2))
                    .putPending(entry(5))
                    .putKv("k".getBytes(UTF_8), "v".getBytes(UTF_8))
                    .putMetadata(meta)
                    .commit();
        }
        try (MirrorStore store = MirrorStore.open(dir)) {
            assertThat(store.outbox().get(1)).contains(entry(1));
            assertThat(store.entries().get(2)).contains(entry(2));
            assertThat(store.pending().get(5)).contains(entry(5));
            assertThat(store.kv().get("k".getBytes(UTF_8))).hasValueSatisfying(
                    v -> assertThat(v).isEqualTo("v".getBytes(UTF_8)));
            assertThat(store.metadata()).isEqualTo(meta);
            assertThat(store.outbox().get(2)).isEmpty();
            assertThat(store.entries().contains(1)).isFalse();
            assertThat(store.kv().get("missing".getBytes(UTF_8))).isEmpty();
        }
    }

    @Test
    void iteratesSeqColumnFamiliesInSeqOrderWhateverTheInsertionOrder() {
        List<Long> order = new ArrayList<>();
        for (long s = 1; s <= 600; s++) {
            order.add(s);
        }
        Collections.shuffle(order, new Random(7));
        try (MirrorStore store = MirrorStore.open(dir)) {
            for (long s : order) {
                store.newBatch().putEntry(entry(s)).commit();
            }

            List<StoredEntry> all = new ArrayList<>();
            try (StoreCursor<StoredEntry> cursor = store.entries().cursor(1)) {
                cursor.forEachRemaining(all::add);
            }
            assertThat(seqs(all)).isSorted().hasSize(600).startsWith(1L).endsWith(600L);
            assertThat(seqs(store.entries().range(250, 260, 100))).containsExactly(
                    250L, 251L, 252L, 253L, 254L, 255L, 256L, 257L, 258L, 259L, 260L);
            assertThat(seqs(store.entries().range(254, Long.MAX_VALUE, 3))).containsExactly(254L, 255L, 256L);
            assertThat(store.entries().range(9, 8, 10)).isEmpty();
            assertThat(store.entries().firstSeq()).hasValue(1);
            assertThat(store.entries().lastSeq()).hasValue(600);
            assertThat(store.entries().seqSpan()).isEqualTo(600);
            assertThat(store.entries().count()).isEqualTo(600);
        }
    }

    @Test
    void deleteOutboxThroughRemovesExactlyThePrefix() {
        try (MirrorStore store = MirrorStore.open(dir)) {
            StoreBatch batch = store.newBatch();
            for (long s = 1; s <= 300; s++) {
                batch.putOutbox(entry(s));
            }
            batch.commit();
            assertThat(store.outbox().seqSpan()).isEqualTo(300);

            store.newBatch().deleteOutboxThrough(256).commit();

            assertThat(store.outbox().firstSeq()).hasValue(257);
            assertThat(store.outbox().lastSeq()).hasValue(300);
            assertThat(store.outbox().seqSpan()).isEqualTo(44);
            assertThat(store.outbox().count()).isEqualTo(44);
            assertThat(store.outbox().get(256)).isEmpty();
            assertThat(seqs(store.outbox().range(0, Long.MAX_VALUE, 3))).containsExactly(257L, 258L, 259L);

            store.newBatch().deleteOutboxThrough(1_000).commit();
            assertThat(store.outbox().isEmpty()).isTrue();
            assertThat(store.outbox().seqSpan()).isZero();
            assertThat(store.outbox().firstSeq()).isEmpty();
        }
    }

    @Test
    void pendingSetHoldsGapsAndDeletes() {
        try (MirrorStore store = MirrorStore.open(dir)) {
            store.newBatch().putPending(entry(9)).putPending(entry(4)).putPending(entry(12)).commit();
            assertThat(seqs(store.pending().range(0, 100, 10))).containsExactly(4L, 9L, 12L);
            assertThat(store.pending().count()).isEqualTo(3);

            store.newBatch().deletePending(9).commit();
            assertThat(seqs(store.pending().range(0, 100, 10))).containsExactly(4L, 12L);

            store.newBatch().deletePendingThrough(10).commit();
            assertThat(seqs(store.pending().range(0, 100, 10))).containsExactly(12L);
        }
    }

    @Test
    void kvIteratesInUnsignedKeyOrderAndDeletes() {
        byte[][] keys = {{(byte) 0x80}, {0x01}, {0x7F}, {(byte) 0xFF, 0x00}, {0x01, 0x00}, {}};
        try (MirrorStore store = MirrorStore.open(dir)) {
            StoreBatch batch = store.newBatch();
            for (byte[] k : keys) {
                batch.putKv(k, new byte[] {(byte) k.length});
            }
            batch.commit();
            store.newBatch().deleteKv(new byte[] {0x7F}).commit();

            List<byte[]> seen = new ArrayList<>();
            try (StoreCursor<KeyValue> cursor = store.kv().cursor()) {
                cursor.forEachRemaining(kv -> seen.add(kv.key()));
            }
            assertThat(seen).containsExactly(new byte[] {}, new byte[] {0x01}, new byte[] {0x01, 0x00},
                    new byte[] {(byte) 0x80}, new byte[] {(byte) 0xFF, 0x00});

            List<byte[]> fromMiddle = new ArrayList<>();
            try (StoreCursor<KeyValue> cursor = store.kv().cursor(new byte[] {0x02})) {
                cursor.forEachRemaining(kv -> fromMiddle.add(kv.key()));
            }
            assertThat(fromMiddle).containsExactly(new byte[] {(byte) 0x80}, new byte[] {(byte) 0xFF, 0x00});
        }
    }

    @Test
    void digestIsEqualForEqualStatesAndDiffersOtherwise(@TempDir Path other) {
        try (MirrorStore a = MirrorStore.open(dir); MirrorStore b = MirrorStore.open(other)) {
            assertThat(a.kv().digest().sameStateAs(b.kv().digest())).isTrue();
            // same final state, reached differently and with different metadata
            a.newBatch().putKv(bytes("x"), bytes("1")).putKv(bytes("y"), bytes("2"))
                    .putMetadata(HookMetadata.initial().withRole(HookMetadata.Role.PRIMARY).withLastSeq(2)).commit();
            b.newBatch().putKv(bytes("y"), bytes("2")).putKv(bytes("z"), bytes("0")).commit();
            b.newBatch().deleteKv(bytes("z")).putKv(bytes("x"), bytes("1"))
                    .putMetadata(HookMetadata.initial().withRole(HookMetadata.Role.MIRROR).withDurableSeq(2)).commit();

            StateDigest da = a.kv().digest();
            StateDigest db = b.kv().digest();
            assertThat(da.sameStateAs(db)).isTrue();
            assertThat(da.pairCount()).isEqualTo(2);
            assertThat(da.metadata().stateSeq()).isEqualTo(db.metadata().stateSeq()).isEqualTo(2);
            assertThat(da.hex()).isEqualTo(HexFormat.of().formatHex(new StateDigest.Accumulator()
                    .update(bytes("x"), bytes("1")).update(bytes("y"), bytes("2")).finish()));

            b.newBatch().putKv(bytes("y"), bytes("3")).commit();
            assertThat(a.kv().digest().sameStateAs(b.kv().digest())).isFalse();
            // length prefixes: ("ab","c") and ("a","bc") must not collide
            a.newBatch().deleteKv(bytes("x")).deleteKv(bytes("y")).putKv(bytes("ab"), bytes("c")).commit();
            b.newBatch().deleteKv(bytes("x")).deleteKv(bytes("y")).putKv(bytes("a"), bytes("bc")).commit();
            assertThat(a.kv().digest().sameStateAs(b.kv().digest())).isFalse();
        }
    }

    @Test
    void refusesANewerFormatVersionWithAClearMessage() throws Exception {
        MirrorStore.open(dir).close();
        RawRocks.put(dir, "meta", "format-version".getBytes(UTF_8), ByteBuffer.allocate(4).putInt(2).array());

        assertThatThrownBy(() -> MirrorStore.open(dir))
                .isInstanceOf(StorageException.class)
                .hasMessageContaining("column family 'meta'")
                .hasMessageContaining("format version 2, newer than the newest this build reads (1)");
    }

    @Test
    void refusesUnknownColumnFamilies() throws Exception {
        MirrorStore.open(dir).close();
        RawRocks.put(dir, "from-the-future", bytes("k"), bytes("v"));

        assertThatThrownBy(() -> MirrorStore.open(dir))
                .isInstanceOf(StorageException.class)
                .hasMessageContaining("[from-the-future]");
    }

    @Test
    void refusesAnInitializedStoreThatLostAColumnFamily() throws Exception {
        try (MirrorStore store = MirrorStore.open(dir)) {
            store.newBatch().putEntry(entry(1)).commit();
        }
        RawRocks.drop(dir, "entries");

        assertThatThrownBy(() -> MirrorStore.open(dir))
                .isInstanceOf(StorageException.class)
                .hasMessageContaining("lacks column families [entries]");
        assertThatThrownBy(() -> MirrorStore.openReadOnly(dir))
                .isInstanceOf(StorageException.class)
                .hasMessageContaining("lacks column families [entries]");
    }

    @Test
    void concurrentReadersSeeOnlyCompleteBatchesAndFailCleanlyAfterClose() throws Exception {
        MirrorStore store = MirrorStore.open(dir);
        AtomicReference<Throwable> unexpected = new AtomicReference<>();
        AtomicBoolean sawClosed = new AtomicBoolean();
        CountDownLatch started = new CountDownLatch(3);
        List<Thread> readers = new ArrayList<>();
        for (int t = 0; t < 3; t++) {
            Thread reader = new Thread(() -> {
                started.countDown();
                try {
                    while (true) {
                        long last = store.metadata().lastSeq();
                        // metadata and outbox are written together: the outbox is never behind what we just read
                        assertThat(store.outbox().lastSeq().orElse(0)).isGreaterThanOrEqualTo(last);
                    }
                } catch (IllegalStateException closed) {
                    sawClosed.set(true);
                } catch (Throwable e) {
                    unexpected.set(e);
                }
            });
            reader.start();
            readers.add(reader);
        }
        started.await();
        HookMetadata meta = HookMetadata.initial();
        for (long s = 1; s <= 2_000; s++) {
            meta = meta.withLastSeq(s);
            store.newBatch().putOutbox(entry(s)).putMetadata(meta).commit();
        }
        store.close();
        for (Thread reader : readers) {
            reader.join(10_000);
        }

        assertThat(unexpected.get()).isNull();
        assertThat(sawClosed.get()).isTrue();
    }

    @Test
    void finishesCreatingAStoreWhoseCreationWasCutShort() throws Exception {
        RocksDB.open(dir.toString()).close(); // CURRENT written, none of our column families, no format version

        try (MirrorStore store = MirrorStore.open(dir)) {
            assertThat(store.formatVersion()).isEqualTo(MirrorStore.FORMAT_VERSION);
            store.newBatch().putEntry(entry(1)).commit();
        }
        try (MirrorStore store = MirrorStore.openReadOnly(dir)) {
            assertThat(store.entries().get(1)).contains(entry(1));
        }
    }

    @Test
    void refusesAForeignRocksDbThatHoldsData() throws Exception {
        try (RocksDB db = RocksDB.open(dir.toString())) {
            db.put(bytes("someone"), bytes("else"));
        }

        assertThatThrownBy(() -> MirrorStore.open(dir))
                .isInstanceOf(StorageException.class)
                .hasMessageContaining("not a Picsou store");
    }

    @Test
    void aCorruptValueNamesTheColumnFamilyAndTheKey() throws Exception {
        try (MirrorStore store = MirrorStore.open(dir)) {
            store.newBatch().putOutbox(entry(7)).putOutbox(entry(8)).commit();
        }
        byte[] bad = entry(8).encode();
        bad[20] ^= 1;
        RawRocks.put(dir, "outbox", Keys.seq(8), bad);
        RawRocks.put(dir, "entries", Keys.seq(3), entry(4).encode());
        RawRocks.put(dir, "meta", Keys.HOOK_METADATA, new byte[] {1, 2, 3});

        try (MirrorStore store = MirrorStore.open(dir)) {
            assertThat(store.outbox().get(7)).contains(entry(7));
            assertThatThrownBy(() -> store.outbox().get(8))
                    .isInstanceOf(StorageException.class)
                    .hasMessageContaining("column family 'outbox'")
                    .hasMessageContaining("seq 8")
                    .hasMessageContaining("checksum mismatch");
            assertThatThrownBy(() -> store.outbox().range(0, 100, 100))
                    .isInstanceOf(StorageException.class).hasMessageContaining("seq 8");
            assertThatThrownBy(() -> store.entries().get(3))
                    .isInstanceOf(StorageException.class)
                    .hasMessageContaining("column family 'entries'")
                    .hasMessageContaining("holds seq 4");
            assertThatThrownBy(store::metadata)
                    .isInstanceOf(StorageException.class)
                    .hasMessageContaining("column family 'meta'")
                    .hasMessageContaining("'hook-metadata'");
        }
    }

    @Test
    void aBatchRefusesAnEntryWhosePayloadDoesNotMatchItsCrc() {
        try (MirrorStore store = MirrorStore.open(dir)) {
            StoredEntry forged = new StoredEntry(1, 1, 1, 1, bytes("x"), 0);

            assertThatThrownBy(() -> store.newBatch().putOutbox(forged))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("outbox");
        }
    }

    @Test
    void aBatchIsUsableOnceAndAnEmptyBatchWritesNothing() {
        try (MirrorStore store = MirrorStore.open(dir)) {
            StoreBatch batch = store.newBatch();
            batch.commit();
            assertThatThrownBy(() -> batch.putKv(bytes("k"), bytes("v"))).isInstanceOf(IllegalStateException.class);
            assertThatThrownBy(batch::commit).isInstanceOf(IllegalStateException.class);
            assertThat(store.kv().digest().pairCount()).isZero();
        }
    }

    @Test
    void closeReleasesOpenCursorsAndLaterCallsFailCleanly() {
        MirrorStore store = MirrorStore.open(dir);
        store.newBatch().putEntry(entry(1)).putEntry(entry(2)).commit();
        StoreCursor<StoredEntry> cursor = store.entries().cursor(0);
        assertThat(cursor.next()).isEqualTo(entry(1));

        store.close();
        store.close(); // idempotent

        assertThatThrownBy(cursor::hasNext).isInstanceOf(IllegalStateException.class);
        cursor.close();
        assertThatThrownBy(store::metadata).isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
        assertThatThrownBy(() -> store.newBatch().putKv(bytes("k"), bytes("v")).commit())
                .isInstanceOf(IllegalStateException.class);
        // the directory is free again: no handle leaked the RocksDB lock
        try (MirrorStore again = MirrorStore.open(dir)) {
            assertThat(again.entries().count()).isEqualTo(2);
        }
    }

    @Test
    void aSecondReadWriteOpenIsRefusedWhileReadOnlyOpensWork() {
        try (MirrorStore store = MirrorStore.open(dir)) {
            store.newBatch().putKv(bytes("k"), bytes("v")).commit();
            store.sync();

            assertThatThrownBy(() -> MirrorStore.open(dir))
                    .isInstanceOf(StorageException.class).hasMessageContaining("open");
            try (MirrorStore reader = MirrorStore.openReadOnly(dir)) {
                assertThat(reader.isReadOnly()).isTrue();
                assertThat(reader.kv().get(bytes("k"))).isPresent();
                assertThatThrownBy(reader::newBatch).isInstanceOf(IllegalStateException.class);
            }
        }
    }

    @Test
    void openingAMissingStoreFailsWhenCreationIsNotAllowed() {
        Path missing = dir.resolve("nope");

        assertThatThrownBy(() -> MirrorStore.open(missing, StoreOptions.defaults().withCreateIfMissing(false)))
                .isInstanceOf(StorageException.class).hasMessageContaining("no store at");
        assertThatThrownBy(() -> MirrorStore.openReadOnly(missing))
                .isInstanceOf(StorageException.class).hasMessageContaining("no store at");
    }

    @Test
    void syncedBatchesCommitLikeOthers() {
        try (MirrorStore store = MirrorStore.open(dir, StoreOptions.defaults().withSyncWrites(true))) {
            store.newBatch().putKv(bytes("a"), bytes("1")).commit();
            store.newBatch().sync(false).putKv(bytes("b"), bytes("2")).commit();
            assertThat(store.kv().digest().pairCount()).isEqualTo(2);
        }
    }

    private static byte[] bytes(String s) {
        return s.getBytes(UTF_8);
    }
}
