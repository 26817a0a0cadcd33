package dev.picsou.mirror.storage;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * The primary hook's write pattern, shared by the crash tests and {@link CrashWriterMain}: batch N puts outbox
 * entry N, the KV counter = N, the KV "last-payload" = payload of N and metadata lastSeq = N; every 97th batch
 * also range-deletes the outbox through N - 50 and sets quackedSeq = N - 50.
 */
final class CrashWorkload {

    static final byte[] COUNTER = "counter".getBytes(UTF_8);
    static final byte[] LAST_PAYLOAD = "last-payload".getBytes(UTF_8);

    private CrashWorkload() {
    }

    /** Writes batch {@code n} on top of {@code meta} and returns the metadata it committed. */
    static HookMetadata writeBatch(MirrorStore store, HookMetadata meta, long n, Random random) {
        byte[] payload = new byte[64 + random.nextInt(2048)];
        random.nextBytes(payload);
        HookMetadata next = meta.withRole(HookMetadata.Role.PRIMARY).withEpoch(1).withLastSeq(n)
                .withLastApplied(1, 10 + 2 * n);
        StoreBatch batch = store.newBatch()
                .putOutbox(StoredEntry.of(1, n, 1, 10 + 2 * n, payload))
                .putKv(COUNTER, ByteBuffer.allocate(Long.BYTES).putLong(n).array())
                .putKv(LAST_PAYLOAD, payload);
        if (n % 97 == 0) {
            batch.deleteOutboxThrough(n - 50);
            next = next.withQuackedSeq(n - 50);
        }
        batch.putMetadata(next).commit();
        return next;
    }

    /**
     * Checks that metadata and data agree: lastSeq == last outbox seq == KV counter, the outbox is exactly
     * (quackedSeq, lastSeq] without gaps, every outbox entry decodes, and the last payload matches.
     *
     * @return the recovered lastSeq
     */
    static long checkConsistent(MirrorStore store) {
        HookMetadata meta = store.metadata();
        long lastSeq = meta.lastSeq();
        byte[] counter = store.kv().get(COUNTER).orElseThrow();
        assertThat(ByteBuffer.wrap(counter).getLong()).as("kv counter").isEqualTo(lastSeq);
        assertThat(store.outbox().lastSeq()).as("last outbox seq").hasValue(lastSeq);
        assertThat(store.outbox().firstSeq()).as("first outbox seq").hasValue(meta.quackedSeq() + 1);
        List<Long> seqs = new ArrayList<>();
        try (StoreCursor<StoredEntry> cursor = store.outbox().cursor(0)) {
            cursor.forEachRemaining(e -> seqs.add(e.seq()));
        }
        assertThat(seqs).as("outbox seqs").hasSize((int) (lastSeq - meta.quackedSeq()));
        for (int i = 0; i < seqs.size(); i++) {
            assertThat(seqs.get(i)).isEqualTo(meta.quackedSeq() + 1 + i);
        }
        StoredEntry last = store.outbox().get(lastSeq).orElseThrow();
        assertThat(store.kv().get(LAST_PAYLOAD).orElseThrow()).isEqualTo(last.payload());
        assertThat(last.raftIndex()).isEqualTo(meta.lastAppliedIndex());
        return lastSeq;
    }
}
