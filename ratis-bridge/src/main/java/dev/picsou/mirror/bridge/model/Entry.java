package dev.picsou.mirror.bridge.model;

import java.util.Arrays;
import java.util.Objects;
import java.util.zip.CRC32C;

/**
 * One committed state-machine transaction of the sending site, as it travels the stream.
 *
 * <p>Invariants: {@code seq >= 1}; {@code crc32c} is the CRC32C of {@code payload} as computed by the site that
 * committed the entry (a receiver checks it with {@link #checksumValid()}). The payload array is never modified
 * after construction: callers must not mutate the array they pass in or get back.
 *
 * @param epoch     epoch of the primary that committed the entry
 * @param seq       dense stream sequence number, 1, 2, 3, ...
 * @param raftTerm  Raft term of the log entry on the sending site
 * @param raftIndex Raft index of the log entry on the sending site (not dense: metadata entries take indices)
 * @param payload   the state-machine transaction bytes
 * @param crc32c    CRC32C of the payload
 */
public record Entry(long epoch, long seq, long raftTerm, long raftIndex, byte[] payload, int crc32c) {

    public Entry {
        Objects.requireNonNull(payload, "payload");
        if (seq < 1) {
            throw new IllegalArgumentException("seq must be >= 1, was " + seq);
        }
        if (epoch < 0) {
            throw new IllegalArgumentException("epoch must be >= 0, was " + epoch);
        }
    }

    /** An entry whose checksum is computed from the payload. */
    public static Entry of(long epoch, long seq, long raftTerm, long raftIndex, byte[] payload) {
        return new Entry(epoch, seq, raftTerm, raftIndex, payload, checksum(payload));
    }

    /** CRC32C of {@code bytes}. */
    public static int checksum(byte[] bytes) {
        CRC32C crc = new CRC32C();
        crc.update(bytes, 0, bytes.length);
        return (int) crc.getValue();
    }

    /** True when the payload still matches the checksum the committing site computed. */
    public boolean checksumValid() {
        return checksum(payload) == crc32c;
    }

    public int payloadLength() {
        return payload.length;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Entry e
                && epoch == e.epoch && seq == e.seq && raftTerm == e.raftTerm && raftIndex == e.raftIndex
                && crc32c == e.crc32c && Arrays.equals(payload, e.payload);
    }

    @Override
    public int hashCode() {
        return Objects.hash(epoch, seq, raftTerm, raftIndex, crc32c, Arrays.hashCode(payload));
    }

    @Override
    public String toString() {
        return "Entry[epoch=" + epoch + ", seq=" + seq + ", term=" + raftTerm + ", index=" + raftIndex
                + ", bytes=" + payload.length + ", crc32c=" + Integer.toHexString(crc32c) + "]";
    }
}
