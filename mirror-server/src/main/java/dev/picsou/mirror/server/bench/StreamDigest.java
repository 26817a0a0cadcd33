package dev.picsou.mirror.server.bench;

/**
 * An order-sensitive digest of a stream prefix: entries {@code 1..lastSeq}, each folded in as its seq, payload
 * length and CRC32C. The primary folds entries as it numbers them; the mirror folds its entry log in seq order.
 * Equal digests at equal {@code lastSeq} mean the mirror holds every entry the primary committed, with the same
 * checksum, and nothing else. A seq out of order marks the digest broken (a gap or a duplicate).
 *
 * <p>Not thread-safe: one writer (the Ratis apply thread, or the verifier); {@link #snapshot()} may be read from
 * another thread once the writer is quiet (the fields are volatile for that).
 */
public final class StreamDigest {
    private volatile long lastSeq;
    private volatile long hash = 0x9E3779B97F4A7C15L;
    private volatile long payloadBytes;
    private volatile String broken;

    /** Folds in entry {@code seq}; it must be {@code lastSeq + 1}. */
    public void add(long seq, int payloadLength, int crc32c) {
        if (broken != null) {
            return;
        }
        if (seq != lastSeq + 1) {
            broken = "seq " + seq + " after " + lastSeq;
            return;
        }
        lastSeq = seq;
        payloadBytes += payloadLength;
        long h = hash ^ (seq * 0xBF58476D1CE4E5B9L) ^ ((long) payloadLength << 32 | (crc32c & 0xFFFFFFFFL));
        hash = mix64(h);
    }

    /** The digest now. */
    public Snapshot snapshot() {
        return new Snapshot(lastSeq, hash, payloadBytes, broken);
    }

    /**
     * A digest value.
     *
     * @param lastSeq      entries folded: {@code 1..lastSeq}
     * @param hash         the fold
     * @param payloadBytes payload bytes folded
     * @param broken       why the stream was not dense, or null
     */
    public record Snapshot(long lastSeq, long hash, long payloadBytes, String broken) {
        /** Same entries, same order, neither broken. */
        public boolean sameAs(Snapshot other) {
            return broken == null && other.broken == null && lastSeq == other.lastSeq && hash == other.hash
                    && payloadBytes == other.payloadBytes;
        }
    }

    private static long mix64(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
