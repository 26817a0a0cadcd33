package dev.picsou.mirror.bridge.hook;

import dev.picsou.mirror.bridge.model.Entry;
import dev.picsou.mirror.storage.StorageException;
import dev.picsou.mirror.storage.StoredEntry;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * The log-entry payload of the mirror site's Raft group: one ingest batch of primary entries, proposed by a mirror
 * replica that received them.
 *
 * <pre>
 * offset size field
 *      0    4 magic      0x50434942 ("PCIB")
 *      4    1 version    1
 *      5    4 count      number of entries, 0..1,000,000
 *      9    . count times: int32 length, then length bytes of StoredEntry.encode() (version 1: header, payload,
 *             payload CRC32C and a record CRC32C over the whole record)
 * </pre>
 * All integers big-endian. Each record carries its own checksums, so a batch needs none of its own. Stateless and
 * thread-safe.
 */
public final class IngestBatchCodec {
    public static final int MAGIC = 0x50434942;
    public static final byte VERSION = 1;
    static final int MAX_ENTRIES = 1_000_000;
    private static final int HEADER_BYTES = 9;

    private IngestBatchCodec() {
    }

    /** Encodes {@code entries} in the given order. */
    public static byte[] encode(List<Entry> entries) {
        List<byte[]> records = new ArrayList<>(entries.size());
        int size = HEADER_BYTES;
        for (Entry e : entries) {
            byte[] r = Entries.toStored(e).encode();
            records.add(r);
            size = Math.addExact(size, Integer.BYTES + r.length);
        }
        ByteBuffer out = ByteBuffer.allocate(size).putInt(MAGIC).put(VERSION).putInt(records.size());
        for (byte[] r : records) {
            out.putInt(r.length).put(r);
        }
        return out.array();
    }

    /**
     * Decodes a batch and verifies every record (both checksums).
     *
     * @throws IllegalArgumentException naming what does not match (magic, version, count, a record)
     */
    public static List<StoredEntry> decode(ByteBuffer bytes) {
        ByteBuffer in = bytes.duplicate();
        try {
            int magic = in.getInt();
            if (magic != MAGIC) {
                throw new IllegalArgumentException("not an ingest batch: magic " + Integer.toHexString(magic)
                        + ", expected " + Integer.toHexString(MAGIC));
            }
            byte version = in.get();
            if (version != VERSION) {
                throw new IllegalArgumentException("ingest batch version " + version + ", this build reads " + VERSION);
            }
            int count = in.getInt();
            if (count < 0 || count > MAX_ENTRIES) {
                throw new IllegalArgumentException("ingest batch count " + count + " outside [0, " + MAX_ENTRIES + "]");
            }
            List<StoredEntry> entries = new ArrayList<>(Math.min(count, 4096));
            for (int i = 0; i < count; i++) {
                int length = in.getInt();
                if (length < 0 || length > in.remaining()) {
                    throw new IllegalArgumentException("record " + i + " claims " + length + " bytes, "
                            + in.remaining() + " remain");
                }
                byte[] record = new byte[length];
                in.get(record);
                entries.add(StoredEntry.decode(record));
            }
            if (in.hasRemaining()) {
                throw new IllegalArgumentException(in.remaining() + " trailing bytes after " + count + " records");
            }
            return entries;
        } catch (BufferUnderflowException e) {
            throw new IllegalArgumentException("ingest batch truncated", e);
        } catch (StorageException e) {
            throw new IllegalArgumentException("corrupt record in ingest batch: " + e.getMessage(), e);
        }
    }
}
