package dev.picsou.mirror.storage;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;

/**
 * A digest of the {@code kv} state, with the hook metadata read from the same point in time, so that
 * {@code picsou verify} can compare a primary and a mirror at a common {@link HookMetadata#stateSeq()}.
 *
 * <p>Definition: SHA-256 over every pair in ascending unsigned-lexicographic key order (RocksDB's bytewise order,
 * {@link java.util.Arrays#compareUnsigned(byte[], byte[])}), each pair fed as
 * {@code int32 BE key length | key | int32 BE value length | value}. No header, no trailer: the digest of the empty
 * state is SHA-256 of the empty string. Code that holds the state elsewhere computes the same value with
 * {@link Accumulator}.
 *
 * @param metadata  the hook metadata at the moment the digest was taken
 * @param pairCount the number of pairs digested
 * @param sha256    the 32-byte digest
 */
public record StateDigest(HookMetadata metadata, long pairCount, byte[] sha256) {

    public StateDigest {
        Objects.requireNonNull(metadata, "metadata");
        if (sha256.length != 32) {
            throw new IllegalArgumentException("SHA-256 is 32 bytes, was " + sha256.length);
        }
    }

    /** True when both digests cover the same pairs, whatever the metadata says. */
    public boolean sameStateAs(StateDigest other) {
        return pairCount == other.pairCount && Arrays.equals(sha256, other.sha256);
    }

    /** The digest in lowercase hex. */
    public String hex() {
        return HexFormat.of().formatHex(sha256);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof StateDigest d && metadata.equals(d.metadata) && sameStateAs(d);
    }

    @Override
    public int hashCode() {
        return Objects.hash(metadata, pairCount, Arrays.hashCode(sha256));
    }

    @Override
    public String toString() {
        return "StateDigest[seq=" + metadata.stateSeq() + ", pairs=" + pairCount + ", sha256=" + hex() + "]";
    }

    /** Computes the digest incrementally. Not thread-safe. Keys must be fed in strictly ascending order. */
    public static final class Accumulator {
        private final MessageDigest sha = newSha256();
        private final ByteBuffer lengths = ByteBuffer.allocate(Integer.BYTES);
        private byte[] previousKey;
        private long pairs;

        /**
         * Feeds one pair.
         *
         * @throws IllegalArgumentException if {@code key} is not above the previous key
         */
        public Accumulator update(byte[] key, byte[] value) {
            if (previousKey != null && Arrays.compareUnsigned(previousKey, key) >= 0) {
                throw new IllegalArgumentException("keys must be fed in strictly ascending unsigned order");
            }
            previousKey = key.clone();
            feed(key);
            feed(value);
            pairs++;
            return this;
        }

        /** The number of pairs fed so far. */
        public long pairCount() {
            return pairs;
        }

        /** The 32-byte digest; the accumulator is reset. */
        public byte[] finish() {
            previousKey = null;
            pairs = 0;
            return sha.digest();
        }

        private void feed(byte[] bytes) {
            lengths.clear();
            sha.update(lengths.putInt(bytes.length).array());
            sha.update(bytes);
        }

        private static MessageDigest newSha256() {
            try {
                return MessageDigest.getInstance("SHA-256");
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("every Java platform provides SHA-256", e);
            }
        }
    }
}
