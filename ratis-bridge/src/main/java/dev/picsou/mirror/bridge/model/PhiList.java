package dev.picsou.mirror.bridge.model;

import java.util.Arrays;
import java.util.BitSet;

/**
 * The φ-list of an ack: bit {@code i} set means the replica holds entry {@code received + 2 + i}
 * (entry {@code received + 1} is missing by definition of {@code received}). Immutable.
 */
public final class PhiList {
    /** A φ-list of length zero. */
    public static final PhiList EMPTY = new PhiList(0, new long[0]);

    private final int length;
    private final long[] words;

    private PhiList(int length, long[] words) {
        this.length = length;
        this.words = words;
    }

    /** The first {@code length} bits of {@code bits}. */
    public static PhiList of(BitSet bits, int length) {
        if (length < 0) {
            throw new IllegalArgumentException("length must be >= 0, was " + length);
        }
        BitSet copy = bits.get(0, length);
        long[] w = Arrays.copyOf(copy.toLongArray(), (length + 63) >>> 6);
        return new PhiList(length, w);
    }

    /** From little-endian bytes as {@link BitSet#valueOf(byte[])} reads them; bits at or past length are ignored. */
    public static PhiList fromBytes(byte[] bytes, int length) {
        return of(BitSet.valueOf(bytes), length);
    }

    /** Number of entries the list speaks for. */
    public int length() {
        return length;
    }

    /** Whether bit {@code i} is set; false outside {@code [0, length)}. */
    public boolean holds(long i) {
        if (i < 0 || i >= length) {
            return false;
        }
        return (words[(int) (i >>> 6)] & (1L << (i & 63))) != 0;
    }

    /** Index of the highest set bit, or -1. */
    public int lastSetBit() {
        for (int w = words.length - 1; w >= 0; w--) {
            if (words[w] != 0) {
                return (w << 6) + 63 - Long.numberOfLeadingZeros(words[w]);
            }
        }
        return -1;
    }

    /** Exactly {@code (length + 7) / 8} bytes, little-endian bit order. */
    public byte[] toBytes() {
        byte[] out = new byte[(length + 7) >>> 3];
        for (int i = 0; i < out.length; i++) {
            out[i] = (byte) (words[i >>> 3] >>> ((i & 7) << 3));
        }
        return out;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PhiList p && p.length == length && Arrays.equals(p.words, words);
    }

    @Override
    public int hashCode() {
        return 31 * length + Arrays.hashCode(words);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("PhiList[");
        for (int i = 0; i < Math.min(length, 64); i++) {
            sb.append(holds(i) ? '1' : '0');
        }
        return sb.append(length > 64 ? "...]" : "]").toString();
    }
}
