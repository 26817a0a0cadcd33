package dev.picsou.mirror.server.node;

import dev.picsou.mirror.bridge.hook.MirrorLinkStatus;
import dev.picsou.mirror.bridge.hook.MirrorStateMachine;
import dev.picsou.mirror.bridge.hook.PrimaryLinkStatus;
import dev.picsou.mirror.server.app.KvCommand;
import dev.picsou.mirror.storage.ForkPointRecord;
import dev.picsou.mirror.storage.HookMetadata;
import dev.picsou.mirror.storage.KeyValue;
import dev.picsou.mirror.storage.MirrorStore;
import dev.picsou.mirror.storage.StateDigest;
import dev.picsou.mirror.storage.StoreCursor;
import dev.picsou.mirror.storage.StoredEntry;
import dev.picsou.mirror.storage.snapshot.CheckpointWriter;
import dev.picsou.mirror.storage.snapshot.SnapshotManifest;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The read side of a node and its file exports, as plain maps ready for JSON: status, KV reads, digest, lost writes,
 * base values, snapshots. Every method reads a consistent view of one store.
 */
final class NodeQueries {
    private static final DateTimeFormatter SNAPSHOT_TIME = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss-SSS")
            .withZone(ZoneOffset.UTC);

    private final MirrorNode node;

    NodeQueries(MirrorNode node) {
        this.node = node;
    }

    /** {@code /status}. */
    Map<String, Object> status() {
        NodeState s = node.state();
        EpochRuntime rt = node.runtime();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("node", node.node.id());
        m.put("site", node.site.id());
        m.put("role", s.role().name());
        m.put("epoch", s.epoch());
        m.put("base_seq", s.baseSeq());
        m.put("running", rt != null);
        m.put("durability", node.site.durability().mode().name().toLowerCase(java.util.Locale.ROOT));
        node.fencedBy().ifPresent(f -> m.put("fenced_by", f));
        node.lastTransitionError().ifPresent(e -> m.put("last_transition_error", e));
        node.awaiting().ifPresent(reason -> {
            m.put("awaiting", "restore");
            m.put("awaiting_reason", reason);
        });
        if (rt == null) {
            return m;
        }
        m.put("raft_group", rt.group.getGroupId().getUuid().toString());
        m.put("leader", rt.leaderId());
        m.put("is_leader", rt.isLeader());
        Optional<HookMetadata> meta = node.localMetadata();
        meta.ifPresent(h -> {
            m.put("state_seq", h.stateSeq());
            m.put("sealed_seq", h.sealedSeq());
            m.put("fork_points", h.forkPoints().stream().map(NodeQueries::forkPoint).toList());
        });
        if (rt.primary != null) {
            PrimaryLinkStatus l = rt.primary.link().status();
            m.put("committed_seq", l.committedSeq());
            m.put("quacked_seq", l.quackedSeq());
            m.put("lag_entries", l.lagEntries());
            m.put("lag_bytes", l.lagBytes());
            m.put("lag_ms", l.lagMillis());
            m.put("outbox_entries", l.outboxEntries());
            m.put("sync_waiting", l.syncWaiting());
            m.put("sync_degraded", l.syncDegraded());
            m.put("outbox_cap_bytes", rt.primary.link().outboxLimit().capBytes());
            m.put("outbox_alarm", rt.primary.link().outboxAlarm());
            m.put("link", Map.of("peer_site", l.mirrorSite(), "state", l.state().name()));
        } else if (rt.mirror != null) {
            MirrorLinkStatus l = rt.mirror.link().status();
            MirrorStateMachine sm = rt.mirrorStateMachine();
            m.put("received_seq", l.receivedSeq());
            m.put("durable_seq", sm.durableSeq());
            m.put("ingest_queued", l.ingestQueued());
            m.put("link", Map.of("peer_site", l.primarySite(), "state", l.state().name()));
        }
        return m;
    }

    private static Map<String, Object> forkPoint(ForkPointRecord f) {
        return Map.of("epoch", f.epoch(), "seq", f.seq());
    }

    /** {@code /kv?key=}: this replica's value of {@code key}. */
    Map<String, Object> get(byte[] key) {
        MirrorStore store = liveStateStore();
        Optional<byte[]> value = store.kv().get(key);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("key", new String(key, StandardCharsets.UTF_8));
        m.put("found", value.isPresent());
        value.ifPresent(v -> {
            m.put("value", text(v));
            m.put("value_base64", Base64.getEncoder().encodeToString(v));
        });
        m.put("state_seq", node.localMetadata().map(HookMetadata::stateSeq).orElse(-1L));
        return m;
    }

    /** {@code POST /kv/get-many}: this replica's values of {@code keys}, in order (null = absent). */
    Map<String, Object> getMany(List<byte[]> keys) {
        MirrorStore store = liveStateStore();
        List<String> values = new ArrayList<>(keys.size());
        for (byte[] k : keys) {
            values.add(store.kv().get(k).map(v -> Base64.getEncoder().encodeToString(v)).orElse(null));
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("values_base64", values);
        m.put("state_seq", node.localMetadata().map(HookMetadata::stateSeq).orElse(-1L));
        return m;
    }

    /**
     * {@code /digest}: the state's digest and the seq it reflects ({@code consistent} false if writes moved the seq
     * meanwhile, or if the state was not settled at that seq, see {@link EpochRuntime#stateSettled()}).
     */
    Map<String, Object> digest() {
        long before = node.localMetadata().map(HookMetadata::stateSeq).orElse(-1L);
        boolean settled = settled();
        StateDigest d = liveStateStore().kv().digest();
        settled &= settled();
        long after = node.localMetadata().map(HookMetadata::stateSeq).orElse(-1L);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("node", node.node.id());
        m.put("site", node.site.id());
        m.put("epoch", node.state().epoch());
        m.put("seq", after);
        m.put("consistent", before == after && settled);
        m.put("pairs", d.pairCount());
        m.put("sha256", d.hex());
        return m;
    }

    /**
     * Writes the entries this sealed node holds after {@code forkSeq} to a lost-writes file, one JSON object per
     * line naming seq, operation, key and value.
     */
    Map<String, Object> exportLostWrites(long forkSeq) throws IOException {
        NodeState s = node.state();
        HookMetadata meta = node.localMetadata().orElseThrow(() -> new IllegalStateException("node "
                + node.node.id() + " is not running"));
        if (!meta.isSealed()) {
            throw new IllegalStateException("node " + node.node.id() + " is not sealed: seal its site first");
        }
        Path storeDir = s.isPrimary() ? node.layout.hook(s.epoch()) : node.layout.mirror(s.epoch());
        node.flushLocalStore(); // read from the side below: its memtables must be on disk
        List<StoredEntry> lost = StoreSeeder.entriesAfter(storeDir, s.isPrimary(), forkSeq);
        Files.createDirectories(node.layout.lostWrites());
        Path file = node.layout.lostWrites().resolve("epoch-" + s.epoch() + "-after-seq-" + forkSeq + ".jsonl");
        try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            for (StoredEntry e : lost) {
                w.write(NodeClient.JSON.writeValueAsString(lostWrite(e)));
                w.newLine();
            }
        }
        List<String> keys = StoreSeeder.touchedKeys(lost).stream().map(StoreSeeder.KeyBytes::toString).toList();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("node", node.node.id());
        m.put("file", file.toString());
        m.put("count", lost.size());
        m.put("sealed_seq", meta.sealedSeq());
        m.put("keys_base64", keys);
        return m;
    }

    private static Map<String, Object> lostWrite(StoredEntry e) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("epoch", e.epoch());
        m.put("seq", e.seq());
        m.put("raft_term", e.raftTerm());
        m.put("raft_index", e.raftIndex());
        try {
            KvCommand c = KvCommand.decode(e.payload());
            m.put("op", c instanceof KvCommand.Put ? "PUT" : "DELETE");
            m.put("key", text(c.key()));
            m.put("key_base64", Base64.getEncoder().encodeToString(c.key()));
            if (c instanceof KvCommand.Put p) {
                m.put("value", text(p.value()));
                m.put("value_base64", Base64.getEncoder().encodeToString(p.value()));
            }
        } catch (IllegalArgumentException ex) {
            m.put("op", "UNKNOWN");
            m.put("payload_base64", Base64.getEncoder().encodeToString(e.payload()));
        }
        return m;
    }

    /**
     * The values the state this epoch started from held for {@code keys} (or every pair when {@code keys} is
     * null): what a fenced site needs to rewind to the fork point.
     */
    Map<String, Object> baseValues(List<byte[]> keys, long expectedSeq) {
        NodeState s = node.state();
        if (s.baseDir().isEmpty()) {
            throw new IllegalStateException("node " + node.node.id() + " keeps no base state for epoch " + s.epoch());
        }
        List<Map<String, Object>> values = new ArrayList<>();
        long bytes = 0;
        try (MirrorStore base = MirrorStore.openReadOnly(node.layout.resolve(s.baseDir()))) {
            long seq = base.metadata().isSealed() ? base.metadata().sealedSeq() : base.metadata().stateSeq();
            if (expectedSeq >= 0 && seq != expectedSeq) {
                throw new IllegalStateException("the base of epoch " + s.epoch() + " on node " + node.node.id()
                        + " is at seq " + seq + ", not " + expectedSeq);
            }
            if (keys == null) {
                try (StoreCursor<KeyValue> c = base.kv().cursor()) {
                    while (c.hasNext()) {
                        KeyValue kv = c.next();
                        values.add(pair(kv.key(), Optional.of(kv.value())));
                        bytes += kv.key().length + kv.value().length;
                    }
                }
            } else {
                for (byte[] k : keys) {
                    Optional<byte[]> v = base.kv().get(k);
                    values.add(pair(k, v));
                    bytes += k.length + v.map(x -> x.length).orElse(0);
                }
            }
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("base_seq", expectedSeq);
        m.put("values", values);
        m.put("bytes", bytes);
        return m;
    }

    private static Map<String, Object> pair(byte[] key, Optional<byte[]> value) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("key", Base64.getEncoder().encodeToString(key));
        m.put("value", value.map(v -> Base64.getEncoder().encodeToString(v)).orElse(null));
        return m;
    }

    /** Writes a snapshot of this mirror's store (checkpoint + manifest) under {@code <data>/snapshots}. */
    Map<String, Object> createSnapshot(Instant now) {
        EpochRuntime rt = node.runtime();
        if (rt == null || rt.mirror == null) {
            throw new IllegalStateException("node " + node.node.id() + " is not a running mirror: snapshots are taken"
                    + " on a mirror site");
        }
        Path target = node.layout.snapshots().resolve(node.site.id() + "-" + node.node.id() + "-"
                + SNAPSHOT_TIME.format(now));
        SnapshotManifest manifest = new CheckpointWriter(rt.mirrorStateMachine().store())
                .write(target, node.site.id(), now);
        return snapshotInfo(target, manifest);
    }

    /** Every snapshot under {@code <data>/snapshots}, oldest first. */
    Map<String, Object> listSnapshots() throws IOException {
        List<Map<String, Object>> out = new ArrayList<>();
        Path dir = node.layout.snapshots();
        if (Files.isDirectory(dir)) {
            try (Stream<Path> list = Files.list(dir)) {
                for (Path p : list.sorted().toList()) {
                    if (Files.exists(p.resolve(SnapshotManifest.FILE_NAME))) {
                        out.add(snapshotInfo(p, SnapshotManifest.readManifestOnly(p)));
                    }
                }
            }
        }
        return Map.of("node", node.node.id(), "snapshots", out);
    }

    private static Map<String, Object> snapshotInfo(Path dir, SnapshotManifest m) {
        Map<String, Object> info = new LinkedHashMap<>();
        info.put("dir", dir.toString());
        info.put("site", m.siteId());
        info.put("epoch", m.epoch());
        info.put("seq", m.seq());
        info.put("bytes", m.totalBytes());
        info.put("created_at", m.createdAt().toString());
        return info;
    }

    private boolean settled() {
        EpochRuntime rt = node.runtime();
        return rt != null && rt.stateSettled();
    }

    private MirrorStore liveStateStore() {
        EpochRuntime rt = node.runtime();
        if (rt == null) {
            throw new IllegalStateException(node.awaiting().orElse("node " + node.node.id() + " is between epochs"));
        }
        return rt.kv != null ? rt.kv.store() : rt.mirrorStateMachine().store();
    }

    private static String text(byte[] bytes) {
        try {
            return StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }
}
