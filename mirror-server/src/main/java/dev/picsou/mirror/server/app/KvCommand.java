package dev.picsou.mirror.server.app;

import dev.picsou.mirror.storage.StoreBatch;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;
import java.util.Optional;

/**
 * A message of the reference KV application: the transactions {@link Put} and {@link Delete}, which go through the
 * Raft log, and the query {@link Get}, which does not. One versioned binary codec, shared by the primary's
 * {@link KvStateMachine} and the mirror's {@code PayloadApplier} ({@code KvCommand::applyTo}), so both build
 * byte-identical {@code kv} column families from the same payloads.
 *
 * <h2>Encoding, version 1</h2>
 * Big-endian. Keys are 1 to {@value #MAX_KEY_BYTES} bytes; values 0 to {@value #MAX_VALUE_BYTES} bytes.
 * <pre>
 * offset  size  field
 *      0     1  version = 0x01
 *      1     1  op: 0x01 PUT, 0x02 DELETE, 0x03 GET
 *      2     4  k = key length
 *      6     k  key
 * PUT only:
 *    6+k     4  v = value length
 *   10+k     v  value
 * </pre>
 * Nothing may follow the last field. Example: {@code PUT("ab" -> 0x07)} is
 * {@code 01 01 00000002 6162 00000001 07} (13 bytes); {@code DELETE("ab")} is {@code 01 02 00000002 6162}.
 *
 * <p>Records hold their arrays by reference (no copies): do not mutate them after construction.
 */
public sealed interface KvCommand permits KvCommand.Put, KvCommand.Delete, KvCommand.Get {

    /** The encoding version {@link #encode()} writes and the only one {@link #decode(byte[])} reads. */
    byte VERSION = 1;
    /** Largest key accepted, in bytes. */
    int MAX_KEY_BYTES = 64 * 1024;
    /** Largest value accepted, in bytes. */
    int MAX_VALUE_BYTES = 4 * 1024 * 1024;

    /** The key the command is about. */
    byte[] key();

    /** The operation code written at offset 1. */
    byte opCode();

    /** Sets {@code key} to {@code value}. A transaction. */
    record Put(byte[] key, byte[] value) implements KvCommand {
        public static final byte OP = 1;

        public Put {
            checkKey(key);
            Objects.requireNonNull(value, "value");
            if (value.length > MAX_VALUE_BYTES) {
                throw new IllegalArgumentException("value is " + value.length + " bytes, above the maximum "
                        + MAX_VALUE_BYTES);
            }
        }

        @Override
        public byte opCode() {
            return OP;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Put p && Arrays.equals(key, p.key) && Arrays.equals(value, p.value);
        }

        @Override
        public int hashCode() {
            return 31 * Arrays.hashCode(key) + Arrays.hashCode(value);
        }

        @Override
        public String toString() {
            return "PUT(" + describe(key) + ", " + value.length + " bytes)";
        }
    }

    /** Removes {@code key} (a no-op when absent). A transaction. */
    record Delete(byte[] key) implements KvCommand {
        public static final byte OP = 2;

        public Delete {
            checkKey(key);
        }

        @Override
        public byte opCode() {
            return OP;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Delete d && Arrays.equals(key, d.key);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(key);
        }

        @Override
        public String toString() {
            return "DELETE(" + describe(key) + ")";
        }
    }

    /** Reads {@code key}. A query: never a log entry, refused by {@link #applyTo}. */
    record Get(byte[] key) implements KvCommand {
        public static final byte OP = 3;

        public Get {
            checkKey(key);
        }

        @Override
        public byte opCode() {
            return OP;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Get g && Arrays.equals(key, g.key);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(key);
        }

        @Override
        public String toString() {
            return "GET(" + describe(key) + ")";
        }
    }

    static Put put(String key, byte[] value) {
        return new Put(key.getBytes(StandardCharsets.UTF_8), value);
    }

    static Delete delete(String key) {
        return new Delete(key.getBytes(StandardCharsets.UTF_8));
    }

    static Get get(String key) {
        return new Get(key.getBytes(StandardCharsets.UTF_8));
    }

    /** The version-1 encoding described in the interface javadoc. */
    default byte[] encode() {
        byte[] key = key();
        byte[] value = this instanceof Put p ? p.value() : null;
        int size = 2 + Integer.BYTES + key.length + (value == null ? 0 : Integer.BYTES + value.length);
        ByteBuffer buf = ByteBuffer.allocate(size).put(VERSION).put(opCode()).putInt(key.length).put(key);
        if (value != null) {
            buf.putInt(value.length).put(value);
        }
        return buf.array();
    }

    /**
     * Decodes one command. The returned arrays are fresh copies.
     *
     * @throws IllegalArgumentException naming the first field that does not match: version, op, a length out of
     *                                  range or beyond the end of the bytes, or trailing bytes
     */
    static KvCommand decode(byte[] bytes) {
        Objects.requireNonNull(bytes, "bytes");
        ByteBuffer buf = ByteBuffer.wrap(bytes);
        try {
            byte version = buf.get();
            if (version != VERSION) {
                throw malformed(bytes, "version is " + version + ", expected " + VERSION);
            }
            byte op = buf.get();
            if (op != Put.OP && op != Delete.OP && op != Get.OP) {
                throw malformed(bytes, "op is " + op + ", expected " + Put.OP + " (PUT), " + Delete.OP
                        + " (DELETE) or " + Get.OP + " (GET)");
            }
            byte[] key = readField(buf, bytes, "key", 1, MAX_KEY_BYTES);
            KvCommand command;
            if (op == Put.OP) {
                command = new Put(key, readField(buf, bytes, "value", 0, MAX_VALUE_BYTES));
            } else if (op == Delete.OP) {
                command = new Delete(key);
            } else {
                command = new Get(key);
            }
            if (buf.hasRemaining()) {
                throw malformed(bytes, buf.remaining() + " trailing bytes after the " + opName(op));
            }
            return command;
        } catch (BufferUnderflowException e) {
            throw malformed(bytes, "truncated at offset " + buf.position() + ", "
                    + (bytes.length < 2 ? "before the op" : "inside a length field"));
        }
    }

    /**
     * Applies a PUT or DELETE payload to {@code batch}: {@code putKv} or {@code deleteKv}, nothing else. This is
     * the reference application's {@code PayloadApplier} on the mirror and its apply step on the primary:
     * deterministic, so replicas applying the same payloads in the same order hold the same bytes.
     *
     * @throws IllegalArgumentException if {@code payload} does not decode, or is a GET (a query, never a
     *                                  transaction); nothing is added to {@code batch} then
     */
    static void applyTo(byte[] payload, StoreBatch batch) {
        KvCommand command = decode(payload);
        if (command instanceof Put p) {
            batch.putKv(p.key(), p.value());
        } else if (command instanceof Delete d) {
            batch.deleteKv(d.key());
        } else {
            throw new IllegalArgumentException("refusing to apply " + command
                    + ": GET is a query, not a transaction");
        }
    }

    /** The reply of a GET query: {@code 0x00} when absent, {@code 0x01} followed by the value when present. */
    static byte[] encodeGetReply(Optional<byte[]> value) {
        if (value.isEmpty()) {
            return new byte[] {0};
        }
        byte[] v = value.get();
        byte[] reply = new byte[1 + v.length];
        reply[0] = 1;
        System.arraycopy(v, 0, reply, 1, v.length);
        return reply;
    }

    /**
     * Decodes {@link #encodeGetReply}.
     *
     * @throws IllegalArgumentException for an empty reply or an unknown presence byte
     */
    static Optional<byte[]> decodeGetReply(byte[] reply) {
        if (reply.length == 0) {
            throw new IllegalArgumentException("malformed GET reply: empty, expected a presence byte");
        }
        if (reply[0] == 0 && reply.length == 1) {
            return Optional.empty();
        }
        if (reply[0] == 1) {
            return Optional.of(Arrays.copyOfRange(reply, 1, reply.length));
        }
        throw new IllegalArgumentException("malformed GET reply: presence byte " + reply[0] + " with "
                + (reply.length - 1) + " bytes after it, expected 0 alone or 1 and the value");
    }

    private static byte[] readField(ByteBuffer buf, byte[] bytes, String name, int min, int max) {
        int at = buf.position();
        int length = buf.getInt();
        if (length < min || length > max) {
            throw malformed(bytes, name + " length at offset " + at + " is " + length + ", expected " + min
                    + ".." + max);
        }
        if (length > buf.remaining()) {
            throw malformed(bytes, name + " length at offset " + at + " is " + length + " but only "
                    + buf.remaining() + " bytes follow");
        }
        byte[] field = new byte[length];
        buf.get(field);
        return field;
    }

    private static String opName(byte op) {
        return op == Put.OP ? "PUT" : op == Delete.OP ? "DELETE" : "GET";
    }

    private static IllegalArgumentException malformed(byte[] bytes, String problem) {
        return new IllegalArgumentException("malformed KvCommand (" + bytes.length + " bytes): " + problem);
    }

    private static void checkKey(byte[] key) {
        Objects.requireNonNull(key, "key");
        if (key.length == 0 || key.length > MAX_KEY_BYTES) {
            throw new IllegalArgumentException("key is " + key.length + " bytes, expected 1.." + MAX_KEY_BYTES);
        }
    }

    private static String describe(byte[] key) {
        boolean printable = true;
        for (byte b : key) {
            printable &= b >= 0x20 && b < 0x7f;
        }
        return printable ? "\"" + new String(key, StandardCharsets.US_ASCII) + "\""
                : "0x" + HexFormat.of().formatHex(key);
    }
}
