package dev.picsou.mirror.bridge.hook;

import dev.picsou.mirror.bridge.model.Entry;
import dev.picsou.mirror.storage.HookMetadata;
import dev.picsou.mirror.storage.MirrorStore;
import dev.picsou.mirror.storage.StoreCursor;
import dev.picsou.mirror.storage.StoreOptions;
import dev.picsou.mirror.storage.StoredEntry;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The primary hook's own {@link MirrorStore}: the outbox (entries not yet QUACKed) and the hook metadata
 * ({@code epoch}, {@code lastSeq}, {@code quackedSeq}, last applied Raft term/index).
 *
 * <p>Two threads write: the Ratis apply thread ({@link #append}: one outbox entry and the metadata, one batch) and
 * the link's driver thread ({@link #quacked}: an outbox range delete and the metadata, one batch). The metadata is
 * one record, so every write happens under this object's monitor and derives the new record from the in-memory
 * copy: neither writer can overwrite the other's fields.
 *
 * <p>Crash story: the store writes no WAL ({@link #STORE_OPTIONS}); the Raft log is the durable record. After a
 * crash of any kind (kill -9 included) the store is its last memtable flush, a consistent prefix of the batches
 * (atomic flush): an earlier {@code lastAppliedIndex}, the outbox and {@code lastSeq} of that moment. Ratis replays
 * from its latest snapshot index {@code S}; entries above the store's {@code lastAppliedIndex} are numbered again,
 * deterministically the same seqs, and go back into the outbox. The store never ends below {@code S}: the
 * snapshot's checkpoint flushed it at {@code S}, and a store restored from elsewhere older than the checkpoint is
 * replaced by it at startup ({@link #restoreIfNewer}). A lost QUACK advance is learned again from the mirror.
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

    private final Path directory;
    private final long configuredEpoch;
    private MirrorStore store;
    private HookMetadata meta;
    private boolean closed;

    private PrimaryHookStore(Path directory, long configuredEpoch, MirrorStore store) {
        this.directory = directory;
        this.configuredEpoch = configuredEpoch;
        adopt(store);
    }

    /** Opens (creating if missing) the hook store at {@code directory} for a primary running {@code epoch}. */
    static PrimaryHookStore open(Path directory, long epoch) {
        return new PrimaryHookStore(directory, epoch, MirrorStore.open(directory, STORE_OPTIONS));
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
    }

    synchronized HookMetadata metadata() {
        return meta;
    }

    /** True when the entry at {@code index} was applied before (a replay after restart): skip it. */
    synchronized boolean isReplay(long index) {
        return index <= meta.lastAppliedIndex();
    }

    /**
     * Assigns the next {@code seq} to the state-machine entry at {@code (term, index)} and stores it in the outbox
     * with the metadata, in one batch. Entries already QUACKed (a lagging replica) skip the outbox.
     *
     * @throws dev.picsou.mirror.storage.StorageException if the write fails (nothing was written)
     */
    synchronized Entry append(long term, long index, byte[] payload) {
        requireOpen();
        long seq = meta.lastSeq() + 1;
        Entry entry = Entry.of(meta.epoch(), seq, term, index, payload);
        HookMetadata next = meta.withLastSeq(seq).withLastApplied(term, index);
        var batch = store.newBatch();
        if (seq > meta.quackedSeq()) {
            batch.putOutbox(Entries.toStored(entry));
        }
        batch.putMetadata(next).commit();
        meta = next;
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
        HookMetadata next = meta.withSealedSeq(meta.lastSeq()).withLastApplied(term, index);
        store.newBatch().putMetadata(next).commit();
        meta = next;
        return meta.sealedSeq();
    }

    /** Every entry {@code <= seq} is durable on the mirror: drops them from the outbox. Returns the QUACKed seq. */
    synchronized long quacked(long seq) {
        if (closed || seq <= meta.quackedSeq()) {
            return meta.quackedSeq();
        }
        HookMetadata next = meta.withQuackedSeq(seq);
        store.newBatch().deleteOutboxThrough(seq).putMetadata(next).commit();
        meta = next;
        return seq;
    }

    /**
     * The outbox entries above {@code floor}, in seq order, as far as they are contiguous. Reads a consistent view
     * without holding the monitor, so the apply thread is never blocked by it.
     */
    List<Entry> outboxAbove(long floor) {
        MirrorStore s;
        synchronized (this) {
            requireOpen();
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

    /** Flushes the memtables: every batch so far is on disk for a reader that opens the directory. */
    void sync() {
        MirrorStore s;
        synchronized (this) {
            requireOpen();
            s = store;
        }
        s.sync();
    }

    /** Outbox entries (lastSeq - quackedSeq, or 0): what a restart would resend. */
    synchronized long outboxSize() {
        return Math.max(0, meta.lastSeq() - meta.quackedSeq());
    }

    /** Writes a checkpoint of the store into {@code dir} (replacing it), without blocking the other writer. */
    void checkpointInto(Path dir, String siteId) throws IOException {
        MirrorStore s;
        synchronized (this) {
            requireOpen();
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
            store.close();
        }
    }
}
