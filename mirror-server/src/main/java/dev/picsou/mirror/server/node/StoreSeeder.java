package dev.picsou.mirror.server.node;

import dev.picsou.mirror.server.app.KvCommand;
import dev.picsou.mirror.storage.Directories;
import dev.picsou.mirror.storage.ForkPointRecord;
import dev.picsou.mirror.storage.HookMetadata;
import dev.picsou.mirror.storage.KeyValue;
import dev.picsou.mirror.storage.MirrorStore;
import dev.picsou.mirror.storage.StoreBatch;
import dev.picsou.mirror.storage.StoreCursor;
import dev.picsou.mirror.storage.StoredEntry;
import dev.picsou.mirror.storage.snapshot.SnapshotRestore;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Builds the stores of a node's next epoch from the sealed stores of its previous one (see {@link EpochLayout}).
 * Works on closed stores only (the previous epoch's Raft server is stopped first).
 *
 * <p>Every target starts as a RocksDB checkpoint of the source (hard links: no data is copied), then gets the
 * metadata of its new role in one batch. Crash story: a kill -9 during seeding leaves a partial target directory and
 * the unchanged {@code node.json} of the previous epoch; the next attempt deletes the target and seeds it again. The
 * sources are never modified.
 */
final class StoreSeeder {
    private static final long ALL = Long.MAX_VALUE - 1;

    private StoreSeeder() {
    }

    /**
     * Promotion: a mirror sealed at watermark M becomes a primary at {@code newEpoch} whose stream continues at M+1.
     *
     * @return M
     * @throws IllegalStateException if the mirror store is not sealed
     */
    static long primaryFromMirror(Path mirrorDir, Path kvDir, Path hookDir, long newEpoch, boolean failover)
            throws IOException {
        HookMetadata old;
        try (MirrorStore mirror = MirrorStore.open(mirrorDir)) {
            old = mirror.metadata();
            requireSealed(old, mirrorDir);
            if (old.sealedSeq() != old.durableSeq()) {
                throw new IllegalStateException("mirror store " + mirrorDir + " is sealed at " + old.sealedSeq()
                        + " but durable at " + old.durableSeq());
            }
            checkpoint(mirror, kvDir);
        }
        long m = old.sealedSeq();
        try (MirrorStore kv = MirrorStore.open(kvDir)) {
            clearLogs(kv).putMetadata(HookMetadata.initial().withEpoch(newEpoch)).commit();
        }
        replace(hookDir);
        try (MirrorStore hook = MirrorStore.open(hookDir)) {
            HookMetadata base = new HookMetadata(HookMetadata.Role.PRIMARY, old.epoch(), 0, -1, m, m, 0,
                    HookMetadata.NOT_SEALED, old.forkPoints());
            hook.newBatch().putMetadata(failover ? base.withFailover(newEpoch, m) : base.withEpoch(newEpoch))
                    .commit();
        }
        return m;
    }

    /**
     * Demotion after a drained switchover: a primary sealed at S whose mirror QUACKed S becomes a mirror at
     * {@code newEpoch} that expects S+1 next.
     *
     * @return S
     */
    static long mirrorFromDrainedPrimary(Path kvDir, Path hookDir, Path mirrorDir, long newEpoch) throws IOException {
        HookMetadata hook = readSealedHook(hookDir);
        if (hook.quackedSeq() < hook.sealedSeq()) {
            throw new IllegalStateException("primary sealed at " + hook.sealedSeq() + " but the mirror QUACKed only "
                    + hook.quackedSeq() + ": not drained, entries would be lost");
        }
        long s = hook.sealedSeq();
        seedMirror(kvDir, mirrorDir, mirrorMetadata(hook.forkPoints(), hook.epoch(), newEpoch, s, false),
                Map.of());
        return s;
    }

    /**
     * Rejoin of a fenced site at the fork point {@code (newEpoch, forkSeq)}: its state is rewound to {@code forkSeq}
     * by writing back, for every key its entries after the fork point touched, the value the new primary had at the
     * fork point ({@code forkValues}, empty = absent).
     *
     * @param stateDir  the store holding this node's application state (primary: kv; mirror: mirror)
     * @param forkPoints the fork points known so far (the new one is appended)
     */
    static void mirrorByRewind(Path stateDir, List<ForkPointRecord> forkPoints, long oldEpoch, Path mirrorDir,
                               long newEpoch, long forkSeq, Map<KeyBytes, Optional<byte[]>> forkValues)
            throws IOException {
        seedMirror(stateDir, mirrorDir, mirrorMetadata(forkPoints, oldEpoch, newEpoch, forkSeq, true), forkValues);
    }

    /** A mirror at {@code newEpoch} and {@code seq} holding exactly {@code pairs} (a full copy). */
    static void mirrorFromPairs(List<KeyValue> pairs, List<ForkPointRecord> forkPoints, long oldEpoch,
                                Path mirrorDir, long newEpoch, long seq) throws IOException {
        replace(mirrorDir);
        try (MirrorStore mirror = MirrorStore.open(mirrorDir)) {
            StoreBatch batch = mirror.newBatch();
            for (KeyValue kv : pairs) {
                batch.putKv(kv.key(), kv.value());
            }
            batch.putMetadata(mirrorMetadata(forkPoints, oldEpoch, newEpoch, seq, true)).commit();
        }
    }

    /**
     * A primary at {@code newEpoch} whose state is a mirror snapshot's (verified against its manifest) and whose
     * stream continues after the snapshot's seq. The snapshot is copied to {@code baseDir}, which stays as it is (the
     * state at the snapshot's seq, that a site rejoining this primary rewinds to); {@code kvDir} starts as its
     * checkpoint.
     */
    static long primaryFromSnapshot(Path snapshotStore, Path baseDir, Path kvDir, Path hookDir, long newEpoch)
            throws IOException {
        replace(baseDir);
        SnapshotRestore.copy(snapshotStore, baseDir);
        HookMetadata snap;
        try (MirrorStore base = MirrorStore.open(baseDir)) {
            snap = base.metadata();
            checkpoint(base, kvDir);
        }
        try (MirrorStore kv = MirrorStore.open(kvDir)) {
            clearLogs(kv).putMetadata(HookMetadata.initial().withEpoch(newEpoch)).commit();
        }
        long seq = snap.stateSeq();
        replace(hookDir);
        try (MirrorStore hook = MirrorStore.open(hookDir)) {
            hook.newBatch().putMetadata(new HookMetadata(HookMetadata.Role.PRIMARY, snap.epoch(), 0, -1, seq, seq, 0,
                    HookMetadata.NOT_SEALED, snap.forkPoints()).withFailover(newEpoch, seq)).commit();
        }
        return seq;
    }

    /** The primary entries after {@code forkSeq} this node holds: a primary's outbox, a mirror's entry log. */
    static List<StoredEntry> entriesAfter(Path storeDir, boolean primary, long forkSeq) {
        List<StoredEntry> out = new ArrayList<>();
        try (MirrorStore store = MirrorStore.openReadOnly(storeDir);
             StoreCursor<StoredEntry> cursor = (primary ? store.outbox() : store.entries()).cursor(forkSeq + 1)) {
            while (cursor.hasNext()) {
                out.add(cursor.next());
            }
        }
        return out;
    }

    /** The keys a list of KV entries touches (entries whose payload does not decode are skipped). */
    static List<KeyBytes> touchedKeys(List<StoredEntry> entries) {
        List<KeyBytes> keys = new ArrayList<>();
        java.util.Set<KeyBytes> seen = new java.util.HashSet<>();
        for (StoredEntry e : entries) {
            try {
                KeyBytes k = new KeyBytes(KvCommand.decode(e.payload()).key());
                if (seen.add(k)) {
                    keys.add(k);
                }
            } catch (IllegalArgumentException ignored) {
                // Not a KV write: nothing of the state to rewind.
            }
        }
        return keys;
    }

    static HookMetadata readSealedHook(Path hookDir) {
        try (MirrorStore hook = MirrorStore.openReadOnly(hookDir)) {
            HookMetadata m = hook.metadata();
            requireSealed(m, hookDir);
            return m;
        }
    }

    private static void seedMirror(Path stateDir, Path mirrorDir, HookMetadata meta,
                                   Map<KeyBytes, Optional<byte[]>> overwrite) throws IOException {
        try (MirrorStore state = MirrorStore.open(stateDir)) {
            checkpoint(state, mirrorDir);
        }
        try (MirrorStore mirror = MirrorStore.open(mirrorDir)) {
            StoreBatch batch = clearLogs(mirror);
            overwrite.forEach((key, value) -> {
                if (value.isPresent()) {
                    batch.putKv(key.bytes(), value.get());
                } else {
                    batch.deleteKv(key.bytes());
                }
            });
            batch.putMetadata(meta).commit();
        }
    }

    private static HookMetadata mirrorMetadata(List<ForkPointRecord> forks, long oldEpoch, long newEpoch, long seq,
                                               boolean failover) {
        HookMetadata base = new HookMetadata(HookMetadata.Role.MIRROR, oldEpoch, 0, -1, 0, 0, seq,
                HookMetadata.NOT_SEALED, forks);
        if (!failover) {
            return base.withEpoch(newEpoch);
        }
        boolean known = forks.stream().anyMatch(f -> f.epoch() == newEpoch);
        return known ? base.withEpoch(newEpoch) : base.withFailover(newEpoch, seq);
    }

    private static StoreBatch clearLogs(MirrorStore store) {
        return store.newBatch().deleteOutboxThrough(ALL).deleteEntriesThrough(ALL).deletePendingThrough(ALL);
    }

    private static void checkpoint(MirrorStore source, Path target) throws IOException {
        replace(target);
        Files.createDirectories(target.getParent());
        source.createCheckpoint(target);
    }

    private static void replace(Path dir) throws IOException {
        if (Files.exists(dir)) {
            Directories.deleteRecursively(dir);
        }
    }

    private static void requireSealed(HookMetadata m, Path dir) {
        if (!m.isSealed()) {
            throw new IllegalStateException("store " + dir + " (epoch " + m.epoch() + ", " + m.role()
                    + ") is not sealed: seal the site first");
        }
    }

    /** A key with value semantics, for maps. */
    record KeyBytes(byte[] bytes) {
        @Override
        public boolean equals(Object o) {
            return o instanceof KeyBytes k && java.util.Arrays.equals(bytes, k.bytes);
        }

        @Override
        public int hashCode() {
            return java.util.Arrays.hashCode(bytes);
        }

        @Override
        public String toString() {
            return java.util.Base64.getEncoder().encodeToString(bytes);
        }
    }
}
