package dev.picsou.mirror.storage;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Objects;
import java.util.zip.CRC32C;

/**
 * One stream entry as the store keeps it in {@code outbox}, {@code entries} and {@code pending}; the storage-side
 * twin of the bridge's {@code Entry} (storage cannot depend on the bridge).
 *
 * <p>Invariants: {@code seq >= 1}, {@code epoch >= 0}. {@code crc32c} is the CRC32C of the payload as computed by
 * the committing site; a {@link StoreBatch} refuses to store an entry whose payload does not match it, so every
 * entry on disk was valid when written. The payload array is not copied: callers must not mutate it.
 *
 * <h2>Encoding, version 1</h2>
 * Big-endian, {@code 45 + n} bytes for an {@code n}-byte payload:
 * <pre>
 * offset  size  field
 *      0     1  encoding version = 0x01
 *      1     8  epoch
 *      9     8  seq
 *     17     8  raftTerm
 *     25     8  raftIndex
 *     33     4  crc32c (CRC32C of the payload)
 *     37     4  n = payload length
 *     41     n  payload
 *   41+n     4  CRC32C of bytes [0, 41+n): covers the header as well as the payload
 * </pre>
 * Example: epoch 1, seq 2, term 3, index 4, payload {@code 0xAB} encodes as {@code 01 | 00..01 | 00..02 | 00..03 |
 * 00..04 | crc(AB) | 00 00 00 01 | AB | crc(all before)}, 46 bytes.
 *
 * @param epoch     epoch of the primary that committed the entry
 * @param seq       dense stream sequence number, 1, 2, 3, ...
 * @param raftTerm  Raft term of the entry on the committing (primary) site
 * @param raftIndex Raft index of the entry on the committing (primary) site
 * @param payload   the state-machine transaction bytes
 * @param crc32c    CRC32C of the payload
 */
public record StoredEntry(long epoch, long seq, long raftTerm, long raftIndex, byte[] payload, int crc32c) {

    /** The encoding version {@link #encode()} writes. */
    public static final byte ENCODING_VERSION = 1;

    private static final int HEADER_BYTES = 1 + 4 * Long.BYTES + 2 * Integer.BYTES;
    private static final int TRAILER_BYTES = Integer.BYTES;

    public StoredEntry {
        Objects.requireNonNull(payload, "payload");
        if (seq < 1) {
            throw new IllegalArgumentException("seq must be >= 1, was " + seq);
        }
        if (epoch < 0) {
            throw new IllegalArgumentException("epoch must be >= 0, was " + epoch);
        }
    }

    /** An entry whose checksum is computed from the payload. */
    public static StoredEntry of(long epoch, long seq, long raftTerm, long raftIndex, byte[] payload) {
        return new StoredEntry(epoch, seq, raftTerm, raftIndex, payload, checksum(payload));
    }

    /** CRC32C of {@code bytes}, as an int. */
    public static int checksum(byte[] bytes) {
        return crc32c(bytes, 0, bytes.length);
    }

    /** True when the payload matches {@link #crc32c()}. */
    public boolean checksumValid() {
        return checksum(payload) == crc32c;
    }

    /** The version-1 encoding described in the class javadoc. */
    public byte[] encode() {
        ByteBuffer buf = ByteBuffer.allocate(HEADER_BYTES + payload.length + TRAILER_BYTES);
        buf.put(ENCODING_VERSION)
                .putLong(epoch).putLong(seq).putLong(raftTerm).putLong(raftIndex)
                .putInt(crc32c).putInt(payload.length).put(payload);
        buf.putInt(crc32c(buf.array(), 0, buf.position()));
        return buf.array();
    }

    /**
     * Decodes and verifies an encoding: its version, its length, the record checksum and the payload checksum.
     *
     * @throws StorageException naming what does not match; the store rethrows it naming the column family and key
     */
    public static StoredEntry decode(byte[] bytes) {
        if (bytes.length < HEADER_BYTES + TRAILER_BYTES) {
            throw corrupt("value is " + bytes.length + " bytes, shorter than the minimum "
                    + (HEADER_BYTES + TRAILER_BYTES));
        }
        if (bytes[0] != ENCODING_VERSION) {
            throw corrupt("unknown StoredEntry encoding version " + bytes[0] + " (this build reads "
                    + ENCODING_VERSION + ")");
        }
        ByteBuffer buf = ByteBuffer.wrap(bytes, 1, bytes.length - 1);
        long epoch = buf.getLong();
        long seq = buf.getLong();
        long term = buf.getLong();
        long index = buf.getLong();
        int payloadCrc = buf.getInt();
        int length = buf.getInt();
        int expectedTotal = HEADER_BYTES + length + TRAILER_BYTES;
        if (length < 0 || expectedTotal != bytes.length) {
            throw corrupt("payload length field says " + length + " bytes, value is " + bytes.length
                    + " bytes (expected " + expectedTotal + ")");
        }
        int recordCrc = ByteBuffer.wrap(bytes, bytes.length - TRAILER_BYTES, TRAILER_BYTES).getInt();
        int actualRecordCrc = crc32c(bytes, 0, bytes.length - TRAILER_BYTES);
        if (recordCrc != actualRecordCrc) {
            throw corrupt("record checksum mismatch: stored " + Integer.toHexString(recordCrc) + ", computed "
                    + Integer.toHexString(actualRecordCrc));
        }
        byte[] payload = Arrays.copyOfRange(bytes, HEADER_BYTES, HEADER_BYTES + length);
        if (checksum(payload) != payloadCrc) {
            throw corrupt("payload checksum mismatch: stored " + Integer.toHexString(payloadCrc) + ", computed "
                    + Integer.toHexString(checksum(payload)));
        }
        if (seq < 1 || epoch < 0) {
            throw corrupt("invalid epoch " + epoch + " or seq " + seq);
        }
        return new StoredEntry(epoch, seq, term, index, payload, payloadCrc);
    }

    static int crc32c(byte[] bytes, int offset, int length) {
        CRC32C crc = new CRC32C();
        crc.update(bytes, offset, length);
        return (int) crc.getValue();
    }

    private static StorageException corrupt(String detail) {
        return new StorageException("decode StoredEntry", detail);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof StoredEntry e
                && epoch == e.epoch && seq == e.seq && raftTerm == e.raftTerm && raftIndex == e.raftIndex
                && crc32c == e.crc32c && Arrays.equals(payload, e.payload);
    }

    @Override
    public int hashCode() {
        return Objects.hash(epoch, seq, raftTerm, raftIndex, crc32c, Arrays.hashCode(payload));
    }

    @Override
    public String toString() {
        return "StoredEntry[epoch=" + epoch + ", seq=" + seq + ", term=" + raftTerm + ", index=" + raftIndex
                + ", bytes=" + payload.length + ", crc32c=" + Integer.toHexString(crc32c) + "]";
    }
}
