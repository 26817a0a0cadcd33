package dev.picsou.mirror.storage;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

/**
 * Key layouts. The seq-keyed column families ({@code outbox}, {@code entries}, {@code pending}) use the seq as
 * 8 bytes big-endian, so RocksDB's bytewise order is seq order for every non-negative seq. Example: seq 258 is
 * {@code 00 00 00 00 00 00 01 02}. The {@code meta} column family uses the ASCII names below.
 */
final class Keys {

    /** {@code meta} key of the on-disk format version (4 bytes, big-endian int). */
    static final byte[] FORMAT_VERSION = ascii("format-version");
    /** {@code meta} key of the {@link HookMetadata}. */
    static final byte[] HOOK_METADATA = ascii("hook-metadata");

    static final int SEQ_KEY_BYTES = Long.BYTES;

    private Keys() {
    }

    /** The key of {@code seq}; {@code seq} must be non-negative. */
    static byte[] seq(long seq) {
        if (seq < 0) {
            throw new IllegalArgumentException("seq must be >= 0, was " + seq);
        }
        return ByteBuffer.allocate(SEQ_KEY_BYTES).putLong(seq).array();
    }

    /** The seq of a seq key; fails on a key of the wrong width. */
    static long seqOf(byte[] key) {
        if (key.length != SEQ_KEY_BYTES) {
            throw new IllegalArgumentException("seq key must be 8 bytes, was " + key.length);
        }
        return ByteBuffer.wrap(key).getLong();
    }

    /** A key for error messages: {@code seq N} for seq keys of seq column families, else hex. */
    static String describe(ColumnFamily cf, byte[] key) {
        boolean seqKeyed = cf == ColumnFamily.OUTBOX || cf == ColumnFamily.ENTRIES || cf == ColumnFamily.PENDING;
        if (seqKeyed && key.length == SEQ_KEY_BYTES) {
            return "seq " + seqOf(key);
        }
        if (cf == ColumnFamily.META) {
            return "'" + new String(key, StandardCharsets.US_ASCII) + "'";
        }
        return "0x" + HexFormat.of().formatHex(key);
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
