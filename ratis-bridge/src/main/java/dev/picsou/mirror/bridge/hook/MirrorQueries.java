package dev.picsou.mirror.bridge.hook;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Optional;

import org.apache.ratis.protocol.Message;
import org.apache.ratis.thirdparty.com.google.protobuf.ByteString;

/**
 * Read-only queries a client sends to a mirror replica ({@code RaftClient.io().sendReadOnly}, or
 * {@code sendStaleRead} to read one replica's state). Every answer reflects a consistent prefix of the primary's
 * stream: the mirror applies entries in seq order and each apply batch is atomic.
 *
 * <pre>
 * request: byte kind, then for GET the key bytes
 *   GET    (1) -> byte found (0/1), then the value bytes
 *   STATUS (2) -> int64 epoch, durableSeq, lastAppliedTerm, lastAppliedIndex, pendingEntries
 *   DIGEST (3) -> int64 durableSeq, int64 pairCount, 32 bytes SHA-256 of the KV state (StateDigest)
 * </pre>
 */
public final class MirrorQueries {
    static final byte GET = 1;
    static final byte STATUS = 2;
    static final byte DIGEST = 3;

    private MirrorQueries() {
    }

    /**
     * A mirror replica's progress.
     *
     * @param epoch            epoch of the stream it receives
     * @param durableSeq       every primary seq up to this one is applied here
     * @param lastAppliedTerm  term of the last ingest batch applied (the mirror's own Raft log)
     * @param lastAppliedIndex index of that batch
     * @param pendingEntries   entries held that arrived ahead of a gap
     */
    public record Status(long epoch, long durableSeq, long lastAppliedTerm, long lastAppliedIndex,
                         long pendingEntries) {
    }

    /**
     * A digest of the materialized KV state at {@code durableSeq}.
     *
     * @param durableSeq the seq the state reflects
     * @param pairCount  number of key-value pairs
     * @param sha256     {@code StateDigest} SHA-256
     */
    public record Digest(long durableSeq, long pairCount, byte[] sha256) {
        public String hex() {
            return HexFormat.of().formatHex(sha256);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Digest d && durableSeq == d.durableSeq && pairCount == d.pairCount
                    && Arrays.equals(sha256, d.sha256);
        }

        @Override
        public int hashCode() {
            return 31 * Long.hashCode(durableSeq) + Arrays.hashCode(sha256);
        }

        @Override
        public String toString() {
            return "Digest[durableSeq=" + durableSeq + ", pairs=" + pairCount + ", sha256=" + hex() + "]";
        }
    }

    public static Message get(byte[] key) {
        return Message.valueOf(ByteString.copyFrom(
                ByteBuffer.allocate(1 + key.length).put(GET).put(key).flip()));
    }

    public static Message status() {
        return Message.valueOf(ByteString.copyFrom(new byte[] {STATUS}));
    }

    public static Message digest() {
        return Message.valueOf(ByteString.copyFrom(new byte[] {DIGEST}));
    }

    /** The value of a GET reply, empty when the key is absent. */
    public static Optional<byte[]> parseGet(Message reply) {
        byte[] b = reply.getContent().toByteArray();
        if (b.length < 1 || b[0] == 0) {
            return Optional.empty();
        }
        return Optional.of(Arrays.copyOfRange(b, 1, b.length));
    }

    public static Status parseStatus(Message reply) {
        ByteBuffer b = reply.getContent().asReadOnlyByteBuffer();
        return new Status(b.getLong(), b.getLong(), b.getLong(), b.getLong(), b.getLong());
    }

    public static Digest parseDigest(Message reply) {
        ByteBuffer b = reply.getContent().asReadOnlyByteBuffer();
        long seq = b.getLong();
        long pairs = b.getLong();
        byte[] sha = new byte[32];
        b.get(sha);
        return new Digest(seq, pairs, sha);
    }

    static Message getReply(Optional<byte[]> value) {
        byte[] v = value.orElse(new byte[0]);
        ByteBuffer b = ByteBuffer.allocate(1 + v.length).put((byte) (value.isPresent() ? 1 : 0)).put(v).flip();
        return Message.valueOf(ByteString.copyFrom(b));
    }

    static Message statusReply(Status s) {
        ByteBuffer b = ByteBuffer.allocate(5 * Long.BYTES).putLong(s.epoch()).putLong(s.durableSeq())
                .putLong(s.lastAppliedTerm()).putLong(s.lastAppliedIndex()).putLong(s.pendingEntries()).flip();
        return Message.valueOf(ByteString.copyFrom(b));
    }

    static Message digestReply(Digest d) {
        ByteBuffer b = ByteBuffer.allocate(2 * Long.BYTES + 32).putLong(d.durableSeq()).putLong(d.pairCount())
                .put(d.sha256()).flip();
        return Message.valueOf(ByteString.copyFrom(b));
    }
}
