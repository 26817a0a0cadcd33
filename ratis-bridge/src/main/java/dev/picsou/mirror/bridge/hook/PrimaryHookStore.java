package dev.picsou.mirror.bridge.hook;

import dev.picsou.mirror.bridge.model.Entry;
import dev.picsou.mirror.storage.HookMetadata;
import dev.picsou.mirror.storage.MirrorStore;
import dev.picsou.mirror.storage.StoreCursor;
import dev.picsou.mirror.storage.StoreOptions;
import dev.picsou.mirror.storage.StoredEntry;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The primary hook's own {@link MirrorStore}: the outbox (entries not yet QUACKed) and the hook metadata
 * ({@code epoch}, {@code lastSeq}, {@code quackedSeq}, last applied Raft term/index).
 *
 * <p>Two threads write: the Ratis apply thread ({@link #append}) and the link's driver thread ({@link #quacked}).
 * The metadata is one record, so every change happens under this object's monitor and derives the new record from
 * the in-memory copy: neither writer can overwrite the other's fields.
 *
 * <p><b>Deferred persistence.</b> The in-memory state ({@link #metadata()}) is always current; the store receives
 * it in <em>persist batches</em>: one batch holding the metadata of that moment, every entry numbered since the
 * previous batch that is not QUACKed yet, and the outbox deletion up to the QUACK. A batch goes out after
 * {@link #PERSIST_EVERY_ENTRIES} numbered entries or {@link #PERSIST_EVERY_BYTES} of their payload, after the QUACK
 * moved that many entries, at a seal, and before anything reads the store ({@link #outboxAbove}, {@link #sync},
 * {@link #checkpointInto}, {@link #close}). An entry QUACKed before its batch — most of them while the mirror keeps
 * up — never reaches RocksDB: the engine holds every un-QUACKed entry in memory anyway, and the store only has to
 * bring a restarted replica back. Invariant of every batch, hence of every state the store can be found in: the
 * outbox holds exactly the entries {@code (quackedSeq, lastSeq]} of the metadata beside it.
 *
 * <p>Crash story: the store writes no WAL ({@link #STORE_OPTIONS}); the Raft log is the durable record. After a
 * crash of any kind (kill -9 included) the store is its last memtable flush, which holds a prefix of the persist
 * batches (atomic flush): an earlier {@code lastAppliedIndex}, the outbox and {@code lastSeq} of that moment. Ratis
 * replays from its latest snapshot index {@code S}; entries above the store's {@code lastAppliedIndex} are numbered
 * again, deterministically the same seqs, and go back into the outbox. The store never ends below {@code S}: the
 * snapshot's checkpoint persisted and flushed it at {@code S}, and a store restored from elsewhere older than the
 * checkpoint is replaced by it at startup ({@link #restoreIfNewer}). A lost QUACK advance is learned again from the
 * mirror.
 */
final class PrimaryHookStore implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PrimaryHookStore.class);
    static final String CHECKPOINT_PREFIX = "picsou-hook";

    /**
     * Rederivable (no WAL, atomic flushes): everything here is re-derived from the Raft log after a crash, so the
     * apply path writes each entry once, to a memtable. 8 MiB memtables: outbox entries live until the QUACK
     * (typically well under a second), so a flush holds mostly tombstones, and the memory stays small and warm.
     */
    static final StoreOptions STORE_OPTIONS = StoreOptions.defaults().withRederivable(true)
            .withWriteBufferBytes(8L << 20);
    /**
     * Numbered entries (or QUACK advance) after which a persist batch goes out. A batch writes the entries not
     * QUACKed at that moment, about the stream's rate times its QUACK lag whatever the period, so the share of entries
     * that reach RocksDB is about the lag over the period: at 300 entries/s of 10 KiB and 0.3-0.5 s of lag (a
     * saturated bench mirror) some 11-18% with 8 MiB batches, whose copies and fresh memtable pages took 0.7% of the
     * primary's CPU (docs/performance.md). The crash story does not depend on the period: without a WAL the store is
     * its last memtable flush whatever the period, never below the latest snapshot, and a restart numbers the Raft
     * log above it again (a longer period only makes that flush, and so the replay, somewhat older).
     */
    static final int PERSIST_EVERY_ENTRIES = 4096;
    /** Payload bytes numbered after which a persist batch goes out. */
    static final long PERSIST_EVERY_BYTES = 32L << 20;

    private final Path directory;
    private final long configuredEpoch;
    private final int persistEveryEntries;
    private final long persistEveryBytes;
    private MirrorStore store;
    /** The current state; {@link #persisted} is what the store holds (outside a crash, what a reader sees). */
    private HookMetadata meta;
    private HookMetadata persisted;
    /** Entries numbered since the last persist batch and not QUACKed yet, in seq order. */
    private final ArrayDeque<Entry> unpersisted = new ArrayDeque<>();
    private long bytesSincePersist;
    private long persistedEntries;
    private boolean closed;

    private PrimaryHookStore(Path directory, long configuredEpoch, int persistEveryEntries, long persistEveryBytes,
                             MirrorStore store) {
        if (persistEveryEntries < 1 || persistEveryBytes < 1) {
            throw new IllegalArgumentException("persist batches every " + persistEveryEntries + " entries or "
                    + persistEveryBytes + " bytes: both must be >= 1");
        }
        this.directory = directory;
        this.configuredEpoch = configuredEpoch;
        this.persistEveryEntries = persistEveryEntries;
        this.persistEveryBytes = persistEveryBytes;
        adopt(store);
    }

    /** Opens (creating if missing) the hook store at {@code directory} for a primary running {@code epoch}. */
    static PrimaryHookStore open(Path directory, long epoch) {
        return open(directory, epoch, PERSIST_EVERY_ENTRIES, PERSIST_EVERY_BYTES);
    }

    /** {@link #open(Path, long)} with persist batches every {@code entries} entries or {@code bytes} of payload. */
    static PrimaryHookStore open(Path directory, long epoch, int entries, long bytes) {
        return new PrimaryHookStore(directory, epoch, entries, bytes, MirrorStore.open(directory, STORE_OPTIONS));
    }

    /** Takes {@code opened} as the live store; marks it PRIMARY at the configured epoch if it is not yet. */
    private void adopt(MirrorStore opened) {
        this.store = opened;
        HookMetadata m = opened.metadata();
        HookMetadata wanted = m;
        if (m.role() != HookMetadata.Role.PRIMARY) {
            if (m.role() == HookMetadata.Role.MIRROR) {
                LOG.warn("hook store {} was a MIRROR store; using it as PRIMARY", directory);
            }
            wanted = wanted.withRole(HookMetadata.Role.PRIMARY);
        }
        if (m.epoch() < configuredEpoch) {
            wanted = wanted.withEpoch(configuredEpoch);
        } else if (m.epoch() > configuredEpoch) {
            LOG.warn("hook store {} is at epoch {}, newer than the configured {}: keeping {}", directory, m.epoch(),
                    configuredEpoch, m.epoch());
        }
        if (!wanted.equals(m)) {
            opened.newBatch().putMetadata(wanted).sync(true).commit();
        }
        this.meta = wanted;
        this.persisted = wanted;
        unpersisted.clear();
        bytesSincePersist = 0;
    }

    synchronized HookMetadata metadata() {
        return meta;
    }

    /** True when the entry at {@code index} was applied before (a replay after restart): skip it. */
    synchronized boolean isReplay(long index) {
        return index <= meta.lastAppliedIndex();
    }

    /**
     * Assigns the next {@code seq} to the state-machine entry at {@code (term, index)}; the entry and the metadata
     * reach the store in the next persist batch, unless it is QUACKed before (entries already QUACKed — a lagging
     * replica — never do).
     *
     * @throws dev.picsou.mirror.storage.StorageException if a persist batch fails (then nothing changed here)
     */
    synchronized Entry append(long term, long index, byte[] payload) {
        requireOpen();
        HookMetadata previous = meta;
        long seq = previous.lastSeq() + 1;
        Entry entry = Entry.of(previous.epoch(), seq, term, index, payload);
        meta = previous.withLastSeq(seq).withLastApplied(term, index);
        boolean queued = seq > meta.quackedSeq();
        if (queued) {
            unpersisted.addLast(entry);
        }
        bytesSincePersist += payload.length;
        if (seq - persisted.lastSeq() >= persistEveryEntries || bytesSincePersist >= persistEveryBytes) {
            try {
                persist();
            } catch (RuntimeException e) {
                meta = previous;
                if (queued) {
                    unpersisted.pollLast();
                }
                bytesSincePersist -= payload.length;
                throw e;
            }
        }
        return entry;
    }

    /**
     * Seals the stream at {@code lastSeq} with the control entry's position; returns the sealed seq. A later seal
     * changes nothing, not even the last applied index: it stays the first seal's, so that every entry after that
     * seal — the refused client entries too — is above it and is refused again when a restart replays it.
     */
    synchronized long seal(long term, long index) {
        requireOpen();
        if (meta.isSealed()) {
            return meta.sealedSeq();
        }
        HookMetadata previous = meta;
        meta = previous.withSealedSeq(previous.lastSeq()).withLastApplied(term, index);
        try {
            persist();
        } catch (RuntimeException e) {
            meta = previous;
            throw e;
        }
        return meta.sealedSeq();
    }

    /**
     * Every entry {@code <= seq} is durable on the mirror: they leave the outbox (on disk with the next persist
     * batch, which goes out now if the QUACK moved the batch period in entries past the stored one). Returns the
     * QUACKed seq.
     *
     * @throws dev.picsou.mirror.storage.StorageException if that batch fails (the QUACK is kept in memory and goes
     *                                                    out with the next batch)
     */
    synchronized long quacked(long seq) {
        if (closed || seq <= meta.quackedSeq()) {
            return meta.quackedSeq();
        }
        meta = meta.withQuackedSeq(seq);
        while (!unpersisted.isEmpty() && unpersisted.peekFirst().seq() <= seq) {
            unpersisted.pollFirst();
        }
        if (seq - persisted.quackedSeq() >= persistEveryEntries) {
            persist();
        }
        return seq;
    }

    /** Writes the current state as one batch (see the class comment); nothing when the store already holds it. */
    private void persist() {
        HookMetadata target = meta;
        if (target.equals(persisted) && unpersisted.isEmpty()) {
            return;
        }
        var batch = store.newBatch();
        if (target.quackedSeq() > persisted.quackedSeq()) {
            batch.deleteOutboxThrough(target.quackedSeq());
        }
        for (Entry e : unpersisted) {
            batch.putOutbox(Entries.toStored(e));
        }
        batch.putMetadata(target).commit();
        persistedEntries += unpersisted.size();
        persisted = target;
        unpersisted.clear();
        bytesSincePersist = 0;
    }

    /** Outbox entries written to the store so far (those QUACKed before their persist batch never are). */
    synchronized long persistedEntries() {
        return persistedEntries;
    }

    /**
     * The outbox entries above {@code floor}, in seq order, as far as they are contiguous. Persists the current state,
     * then reads a consistent view of the store without holding the monitor, so the apply thread is not blocked by
     * the read.
     */
    List<Entry> outboxAbove(long floor) {
        MirrorStore s;
        synchronized (this) {
            requireOpen();
            persist();
            s = store;
        }
        List<Entry> out = new ArrayList<>();
        try (StoreCursor<StoredEntry> cursor = s.outbox().cursor(floor + 1)) {
            long expected = floor + 1;
            while (cursor.hasNext()) {
                StoredEntry e = cursor.next();
                if (e.seq() != expected) {
                    LOG.error("outbox of {} has a gap: expected seq {}, found {}", directory, expected, e.seq());
                    break;
                }
                out.add(Entries.fromStored(e));
                expected++;
            }
        }
        return out;
    }

    /** Persists the current state and flushes the memtables: all of it is on disk for a reader of the directory. */
    void sync() {
        MirrorStore s;
        synchronized (this) {
            requireOpen();
            persist();
            s = store;
        }
        s.sync();
    }

    /** Outbox entries (lastSeq - quackedSeq, or 0): what a restart would resend. */
    synchronized long outboxSize() {
        return Math.max(0, meta.lastSeq() - meta.quackedSeq());
    }

    /**
     * Persists the current state and writes a checkpoint of the store into {@code dir} (replacing it), without
     * blocking the other writer during the checkpoint.
     */
    void checkpointInto(Path dir, String siteId) throws IOException {
        MirrorStore s;
        synchronized (this) {
            requireOpen();
            persist();
            s = store;
        }
        StoreCheckpoints.writeInto(s, dir, siteId);
    }

    /**
     * Replaces the live store with {@code cp} when that checkpoint is newer (its store applied a later index);
     * returns whether it did. Used after a snapshot install and at startup.
     */
    synchronized boolean restoreIfNewer(StoreCheckpoints.Checkpoint cp) throws IOException {
        requireOpen();
        long cpIndex = StoreCheckpoints.storeAppliedIndex(cp);
        if (cpIndex <= meta.lastAppliedIndex()) {
            return false;
        }
        LOG.info("restoring hook store {} (applied index {}, seq {}) from {} (applied index {})", directory,
                meta.lastAppliedIndex(), meta.lastSeq(), cp.dir(), cpIndex);
        MirrorStore restored;
        try {
            restored = StoreCheckpoints.restore(store, directory, cp, STORE_OPTIONS);
        } catch (IOException e) {
            adopt(MirrorStore.open(directory, STORE_OPTIONS));
            throw e;
        }
        adopt(restored);
        LOG.info("hook store {} restored: {}", directory, meta);
        return true;
    }

    Path directory() {
        return directory;
    }

    private void requireOpen() {
        if (closed) {
            throw new IllegalStateException("hook store " + directory + " is closed");
        }
    }

    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            try {
                persist();
            } catch (RuntimeException e) {
                LOG.warn("hook store {}: the last persist batch failed at close; a restart numbers the Raft log"
                        + " above index {} again", directory, persisted.lastAppliedIndex(), e);
            } finally {
                store.close();
            }
        }
    }
}
