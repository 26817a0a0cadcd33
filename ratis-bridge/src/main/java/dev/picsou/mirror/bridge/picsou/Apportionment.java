package dev.picsou.mirror.bridge.picsou;

import java.util.Arrays;

/** Hamilton (largest remainder) apportionment of a quantum of slots by stake, and a smooth interleaving of them. */
final class Apportionment {
    private Apportionment() {
    }

    /**
     * Seats per party: {@code floor(q * stake / total)} each, then the remaining seats one each to the largest
     * remainders (ties to the lower index). The seats always sum to {@code q}.
     */
    static int[] hamilton(int[] stakes, int q) {
        long total = 0;
        for (int s : stakes) {
            total += s;
        }
        int[] seats = new int[stakes.length];
        long[] remainders = new long[stakes.length];
        int given = 0;
        for (int i = 0; i < stakes.length; i++) {
            long quota = (long) q * stakes[i];
            seats[i] = (int) (quota / total);
            remainders[i] = quota % total;
            given += seats[i];
        }
        Integer[] order = new Integer[stakes.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> remainders[a] != remainders[b]
                ? Long.compare(remainders[b], remainders[a]) : Integer.compare(a, b));
        for (int k = 0; given < q; k++, given++) {
            seats[order[k % order.length]]++;
        }
        return seats;
    }

    /**
     * A sequence of {@code q} party indices in which party {@code i} appears {@code hamilton(stakes, q)[i]} times,
     * spread evenly (smooth weighted round robin), so that any window of slots sees each party near its share.
     */
    static int[] interleavedSlots(int[] stakes, int q) {
        int[] seats = hamilton(stakes, q);
        int[] slots = new int[q];
        long[] current = new long[seats.length];
        for (int k = 0; k < q; k++) {
            int best = -1;
            for (int i = 0; i < seats.length; i++) {
                current[i] += seats[i];
                if (seats[i] > 0 && (best < 0 || current[i] > current[best])) {
                    best = i;
                }
            }
            current[best] -= q;
            slots[k] = best;
        }
        return slots;
    }
}
