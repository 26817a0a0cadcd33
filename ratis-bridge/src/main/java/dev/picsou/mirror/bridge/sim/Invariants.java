package dev.picsou.mirror.bridge.sim;

import dev.picsou.mirror.bridge.model.AckFrame;
import dev.picsou.mirror.bridge.model.Entry;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;

/**
 * The history checker of a simulated run. Local invariants are checked as each action happens, so after every
 * event they hold or a violation is recorded (never thrown):
 * <ul>
 *   <li><b>integrity</b>: a receiver delivers, and the receiving site applies, only entries the sending site
 *       committed, with the committed length and CRC32C, and whose payload still matches its checksum;
 *       senders transmit only committed entries;</li>
 *   <li><b>exactly once, in order</b>: the receiving site applies {@code 1, 2, 3, ...}, each once;</li>
 *   <li><b>QUACK safety</b>: when a sender reports {@code quacked(p)}, the receiving site's durable prefix is
 *       already {@code >= p};</li>
 *   <li><b>honest acks</b>: an ack of a correct receiver claims {@code durable <= received} and a durable prefix
 *       the site really has.</li>
 * </ul>
 * At the end ({@link #finish}): <b>eventual delivery</b> (every committed entry applied, and every alive sender
 * QUACKed all of them, once the faults are over; protocols that claim C3B only) and the <b>attempt bound</b>
 * (Picsou only): an entry all of whose transmissions happened while the network was synchronous is put on the wire
 * in at most {@code u_s + u_r + 1} attempts. Transmitted attempts are counted, not attempt numbers: each sender runs
 * its own attempt clock, so a sender may declare an attempt owned by another that has not (yet) timed the entry out,
 * and go on to its own next one — the number climbs without a frame being sent (found by a random property run:
 * 3+1 replicas, one sender crashed, a 22 ms partition; seq 20 went out once, as attempt 2).
 *
 * <p>Synchrony, precisely: the bound is not checked at all when loss or duplication is configured. Otherwise a
 * transmission is asynchronous when its send time falls in {@code [start - H, end + H)} of a partition or in
 * {@code [crash - H, restart + H)} of a crash-restart event, where {@code H} is the engines' initial
 * retransmission timeout (frames and acks of a transmission made within {@code H} before a partition may be cut by
 * it; timers armed during it fire up to {@code H} after). Crashes for the whole run and Byzantine replicas are
 * within the bound's {@code u_s + u_r} and keep the network synchronous.
 */
final class Invariants {
    /** Violation messages kept; later ones are only counted. */
    static final int MAX_MESSAGES = 100;

    private final int entries;
    private final int[] crc;
    private final int[] length;
    private final long[] commitNanos;
    private final long[] durableNanos;
    private final int[] maxAttempt;
    /** Per seq, bit k set when attempt k (k < 64) was put on the wire by its sender. */
    private final long[] attemptsSent;
    private final BitSet applied;
    private final BitSet asynchronous = new BitSet();
    private final long[][] asyncWindows;
    private final List<String> messages = new ArrayList<>();
    private long violationCount;
    private long committed;
    private long lastApplied;
    private long duplicatesApplied;
    private long transmissions;
    private long resends;

    Invariants(SimConfig config, long horizonNanos) {
        this.entries = config.entries();
        int n = entries + 1;
        this.crc = new int[n];
        this.length = new int[n];
        this.commitNanos = new long[n];
        this.durableNanos = new long[n];
        this.maxAttempt = new int[n];
        this.attemptsSent = new long[n];
        Arrays.fill(maxAttempt, -1);
        this.applied = new BitSet(n);
        List<long[]> windows = new ArrayList<>();
        for (Partition p : config.partitions()) {
            windows.add(new long[] {p.startMs() * 1_000_000L - horizonNanos, p.endMs() * 1_000_000L + horizonNanos});
        }
        for (CrashRestart r : config.restarts()) {
            windows.add(new long[] {r.crashAtMs() * 1_000_000L - horizonNanos,
                    r.restartAtMs() * 1_000_000L + horizonNanos});
        }
        this.asyncWindows = windows.toArray(new long[0][]);
    }

    void violation(String message) {
        violationCount++;
        if (messages.size() < MAX_MESSAGES) {
            messages.add(message);
        }
    }

    /** The sending site committed {@code e} at {@code nowNanos}. */
    void onCommitted(Entry e, long nowNanos) {
        int seq = (int) e.seq();
        committed = seq;
        crc[seq] = e.crc32c();
        length[seq] = e.payloadLength();
        commitNanos[seq] = nowNanos;
    }

    /** Sender {@code sender} put attempt {@code attempt} of {@code seq} on the wire. */
    void onTransmission(int sender, long seq, int attempt, long nowNanos) {
        transmissions++;
        if (attempt > 0) {
            resends++;
        }
        if (seq < 1 || seq > committed) {
            violation("integrity: sender " + sender + " transmitted seq " + seq + " (attempt " + attempt
                    + ") but the sending site committed only up to " + committed + " at t=" + ms(nowNanos));
            return;
        }
        int s = (int) seq;
        maxAttempt[s] = Math.max(maxAttempt[s], attempt);
        attemptsSent[s] |= 1L << Math.min(attempt, 63);
        if (!asynchronous.get(s) && inAsyncWindow(nowNanos)) {
            asynchronous.set(s);
        }
    }

    /** Receiver {@code receiver} delivered {@code e}; returns whether it is an entry the site may commit. */
    boolean onDeliver(int receiver, Entry e, long nowNanos) {
        String problem = integrityProblem(e);
        if (problem != null) {
            violation("integrity: receiver " + receiver + " delivered " + e + " at t=" + ms(nowNanos) + ": " + problem);
            return false;
        }
        return true;
    }

    /** The receiving site applied {@code e}. */
    void onApply(Entry e, long nowNanos) {
        long seq = e.seq();
        String problem = integrityProblem(e);
        if (problem != null) {
            violation("integrity: the receiving site applied " + e + ": " + problem);
            return;
        }
        if (applied.get((int) seq)) {
            duplicatesApplied++;
            violation("exactly once: seq " + seq + " applied twice (t=" + ms(nowNanos) + ")");
            return;
        }
        if (seq != lastApplied + 1) {
            violation("order: seq " + seq + " applied after seq " + lastApplied + " (t=" + ms(nowNanos) + ")");
        }
        applied.set((int) seq);
        lastApplied = Math.max(lastApplied, seq);
        durableNanos[(int) seq] = nowNanos;
    }

    /** Sender {@code sender} reported {@code quacked(seq)} while the receiving site's durable prefix was given. */
    void onQuacked(int sender, long seq, long siteDurable, long nowNanos) {
        if (seq > siteDurable) {
            violation("QUACK safety: sender " + sender + " reported quacked(" + seq + ") at t=" + ms(nowNanos)
                    + " but the receiving site's durable prefix is " + siteDurable);
        }
    }

    /** Correct receiver {@code receiver} sent {@code ack} while the site's durable prefix was given. */
    void onCorrectAck(int receiver, AckFrame ack, long siteDurable, long nowNanos) {
        if (ack.durable() > siteDurable) {
            violation("honest ack: receiver " + receiver + " acked durable=" + ack.durable() + " at t=" + ms(nowNanos)
                    + " but the receiving site's durable prefix is " + siteDurable);
        } else if (ack.durable() > ack.received()) {
            violation("honest ack: receiver " + receiver + " acked durable=" + ack.durable() + " > received="
                    + ack.received() + " at t=" + ms(nowNanos));
        }
    }

    private String integrityProblem(Entry e) {
        long seq = e.seq();
        if (seq > committed) {
            return "the sending site committed only up to " + committed;
        }
        int s = (int) seq;
        if (e.payloadLength() != length[s] || e.crc32c() != crc[s]) {
            return "committed as " + length[s] + " bytes with crc32c " + Integer.toHexString(crc[s]);
        }
        if (!e.checksumValid()) {
            return "payload does not match its crc32c";
        }
        return null;
    }

    private boolean inAsyncWindow(long nowNanos) {
        for (long[] w : asyncWindows) {
            if (nowNanos >= w[0] && nowNanos < w[1]) {
                return true;
            }
        }
        return false;
    }

    /**
     * End-of-run checks. {@code liveness} says whether the protocol claims eventual delivery;
     * {@code attemptBound} is the bound to check, or 0 for none; {@code laggingSenders} describes alive senders
     * whose QUACKed prefix did not reach the end.
     */
    void finish(boolean liveness, int attemptBound, List<String> laggingSenders, String stopReason) {
        if (liveness && lastAppliedPrefix() < entries) {
            violation("eventual delivery: " + lastAppliedPrefix() + " of " + entries + " entries applied on the"
                    + " receiving site (committed " + committed + "; " + stopReason + ")");
        }
        if (liveness) {
            for (String lag : laggingSenders) {
                violation("eventual delivery: " + lag + " (" + stopReason + ")");
            }
        }
        if (attemptBound > 0) {
            int reported = 0;
            for (int s = 1; s <= committed; s++) {
                int sent = Long.bitCount(attemptsSent[s]);
                if (!asynchronous.get(s) && sent > attemptBound) {
                    if (reported++ < 5) {
                        violation("attempt bound: seq " + s + " was transmitted in " + sent
                                + " attempts in a synchronous period, more than u_s + u_r + 1 = " + attemptBound);
                    } else {
                        violationCount++;
                    }
                }
            }
        }
    }

    long lastAppliedPrefix() {
        int next = applied.nextClearBit(1);
        return next - 1L;
    }

    /** Commit-to-durable latencies of the applied entries, sorted ascending. */
    long[] sortedLatencies() {
        long[] out = new long[applied.cardinality()];
        int k = 0;
        for (int s = applied.nextSetBit(1); s >= 0; s = applied.nextSetBit(s + 1)) {
            out[k++] = durableNanos[s] - commitNanos[s];
        }
        Arrays.sort(out);
        return out;
    }

    /** The highest seq {@code <= upTo} committed at or before {@code nanos}, or 0. */
    long lastCommittedAtOrBefore(long nanos, long upTo) {
        long lo = 0;
        long hi = upTo;
        while (lo < hi) {
            long mid = (lo + hi + 1) >>> 1;
            if (commitNanos[(int) mid] <= nanos) {
                lo = mid;
            } else {
                hi = mid - 1;
            }
        }
        return lo;
    }

    long firstCommitNanos() {
        return committed > 0 ? commitNanos[1] : 0;
    }

    long lastDurableNanos() {
        long max = 0;
        for (int s = applied.nextSetBit(1); s >= 0; s = applied.nextSetBit(s + 1)) {
            max = Math.max(max, durableNanos[s]);
        }
        return max;
    }

    int maxAttempts() {
        int max = -1;
        for (int s = 1; s <= committed; s++) {
            max = Math.max(max, maxAttempt[s]);
        }
        return max + 1;
    }

    long committed() {
        return committed;
    }

    long delivered() {
        return applied.cardinality();
    }

    long transmissions() {
        return transmissions;
    }

    long resends() {
        return resends;
    }

    long duplicatesApplied() {
        return duplicatesApplied;
    }

    long violationCount() {
        return violationCount;
    }

    List<String> messages() {
        if (violationCount > messages.size()) {
            List<String> out = new ArrayList<>(messages);
            out.add("... and " + (violationCount - messages.size()) + " more");
            return out;
        }
        return messages;
    }

    static String ms(long nanos) {
        return String.format(java.util.Locale.ROOT, "%.3fms", nanos / 1e6);
    }
}
