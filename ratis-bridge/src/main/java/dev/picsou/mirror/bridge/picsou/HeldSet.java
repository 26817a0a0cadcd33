package dev.picsou.mirror.bridge.picsou;

import dev.picsou.mirror.bridge.model.PhiList;

import java.util.BitSet;

/**
 * The stream entries one receiving replica holds: a contiguous prefix {@code (0, received]} plus a sparse set
 * above it. Bits are stored relative to a base that moves up as the prefix grows. Not thread-safe.
 */
final class HeldSet {
    private static final int REBASE_AFTER = 1 << 16;

    private BitSet bits = new BitSet();
    private long base;
    private long received;
    private long highest;

    /** Marks {@code seq} held; returns whether it was not held before. */
    boolean add(long seq) {
        if (seq <= received || bits.get(offset(seq))) {
            return false;
        }
        bits.set(offset(seq));
        highest = Math.max(highest, seq);
        advance();
        return true;
    }

    /** Marks every entry {@code <= seq} held. */
    void addThrough(long seq) {
        if (seq <= received) {
            return;
        }
        received = seq;
        highest = Math.max(highest, seq);
        advance();
    }

    boolean holds(long seq) {
        return seq <= received || (seq - base < Integer.MAX_VALUE && bits.get(offset(seq)));
    }

    long received() {
        return received;
    }

    long highest() {
        return highest;
    }

    /**
     * Bit {@code i} set when entry {@code received + 2 + i} is held, for {@code i} up to {@code maxLength}; the
     * list ends at the highest entry held, so a replica without holes sends an empty one.
     */
    PhiList phi(int maxLength) {
        long span = highest - received - 1;
        if (span <= 0 || maxLength == 0) {
            return PhiList.EMPTY;
        }
        int length = (int) Math.min(maxLength, span);
        int from = offset(received + 2);
        return PhiList.of(bits.get(from, from + length), length);
    }

    private int offset(long seq) {
        long off = seq - base;
        if (off < 0 || off > Integer.MAX_VALUE - 1) {
            throw new IllegalStateException("seq " + seq + " too far from base " + base);
        }
        return (int) off;
    }

    private void advance() {
        int next = bits.nextClearBit(offset(received + 1));
        received = Math.max(received, base + next - 1);
        if (received - base > REBASE_AFTER) {
            int shift = offset(received + 1);
            bits = bits.get(shift, Math.max(shift, bits.length()));
            base += shift;
        }
    }
}
