package dev.picsou.mirror.bridge.baseline;

import dev.picsou.mirror.bridge.model.Entry;
import dev.picsou.mirror.bridge.picsou.ActionSink;
import dev.picsou.mirror.bridge.picsou.PicsouParams;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * A sender's un-QUACKed entries, its flow-control window and its QUACKs.
 *
 * <p>Keeps every committed entry above the QUACKed prefix. Entries enter flight in {@code seq} order through
 * {@link #admit()}: at most {@code windowEntries} entries and {@code windowBytes} payload bytes past the QUACKed
 * prefix (one entry is always admitted into an empty window, however large).
 *
 * <p>QUACK: {@code p} is QUACKed once receivers holding at least {@code receiverU + 1} stake acknowledged
 * {@code durable >= p}; each receiver's highest ack is kept and never lowered. A QUACK is reported with
 * {@link ActionSink#quacked} when it advances, and never past this replica's own committed prefix.
 */
final class OutboxWindow {
    private final PicsouParams params;
    private final NavigableMap<Long, Entry> unquacked = new TreeMap<>();
    private final long[] durableByReceiver;
    private final Integer[] receiversByDurable;
    private long committed;
    private long quacked;
    private long quorumDurable;
    private long admitted;
    private long admittedBytes;

    OutboxWindow(PicsouParams params, long recoveredQuackedSeq) {
        if (recoveredQuackedSeq < 0) {
            throw new IllegalArgumentException("recoveredQuackedSeq must be >= 0, was " + recoveredQuackedSeq);
        }
        this.params = params;
        this.durableByReceiver = new long[params.receivers()];
        this.receiversByDurable = new Integer[params.receivers()];
        Arrays.setAll(receiversByDurable, j -> j);
        this.committed = recoveredQuackedSeq;
        this.quacked = recoveredQuackedSeq;
        this.quorumDurable = recoveredQuackedSeq;
        this.admitted = recoveredQuackedSeq;
    }

    /**
     * Appends the next committed entry.
     *
     * @throws IllegalArgumentException if {@code entry.seq()} is not {@code committedSeq() + 1}
     */
    void add(Entry entry, ActionSink out) {
        if (entry.seq() != committed + 1) {
            throw new IllegalArgumentException("entries must arrive in seq order without gaps: expected "
                    + (committed + 1) + ", got " + entry.seq());
        }
        committed = entry.seq();
        if (entry.seq() <= quorumDurable) {
            advanceQuack(out);
        } else {
            unquacked.put(entry.seq(), entry);
        }
    }

    /** The entries that may enter flight now, in {@code seq} order; they count against the window until QUACKed. */
    List<Entry> admit() {
        List<Entry> admittedNow = new ArrayList<>();
        while (admitted < committed) {
            Entry next = unquacked.get(admitted + 1);
            long inFlight = admitted - quacked;
            boolean fits = inFlight == 0 || (inFlight < params.windowEntries()
                    && admittedBytes + next.payloadLength() <= params.windowBytes());
            if (!fits) {
                break;
            }
            admitted = next.seq();
            admittedBytes += next.payloadLength();
            admittedNow.add(next);
        }
        return admittedNow;
    }

    /** Forgets what was in flight, so that {@link #admit()} hands out everything un-QUACKed again. */
    void restartFromQuacked() {
        admitted = quacked;
        admittedBytes = 0;
    }

    /**
     * Records receiver {@code receiver}'s ack of {@code durableSeq} and reports a QUACK if it advanced.
     *
     * @return whether the QUACKed prefix advanced
     */
    boolean recordAck(int receiver, long durableSeq, ActionSink out) {
        if (durableSeq <= durableByReceiver[receiver]) {
            return false;
        }
        durableByReceiver[receiver] = durableSeq;
        quorumDurable = Math.max(quorumDurable, highestQuorumDurable());
        return advanceQuack(out);
    }

    /** The un-QUACKed entry {@code seq}, or null when it is QUACKed or not committed yet. */
    Entry entry(long seq) {
        return unquacked.get(seq);
    }

    /** The un-QUACKed entries admitted so far, in {@code seq} order (a live view). */
    Collection<Entry> inFlight() {
        return unquacked.headMap(admitted, true).values();
    }

    /** Highest {@code durable} receiver {@code receiver} acknowledged. */
    long durableOf(int receiver) {
        return durableByReceiver[receiver];
    }

    long committedSeq() {
        return committed;
    }

    long quackedSeq() {
        return quacked;
    }

    long admittedSeq() {
        return admitted;
    }

    /** The highest {@code p} that receivers with at least {@code receiverU + 1} stake acknowledged as durable. */
    private long highestQuorumDurable() {
        Arrays.sort(receiversByDurable, (a, b) -> Long.compare(durableByReceiver[b], durableByReceiver[a]));
        long needed = params.receiverU() + 1L;
        long stake = 0;
        for (int j : receiversByDurable) {
            stake += params.receiverStake(j);
            if (stake >= needed) {
                return durableByReceiver[j];
            }
        }
        return 0;
    }

    private boolean advanceQuack(ActionSink out) {
        long target = Math.min(quorumDurable, committed);
        if (target <= quacked) {
            return false;
        }
        while (!unquacked.isEmpty() && unquacked.firstKey() <= target) {
            Entry dropped = unquacked.pollFirstEntry().getValue();
            if (dropped.seq() <= admitted) {
                admittedBytes -= dropped.payloadLength();
            }
        }
        quacked = target;
        admitted = Math.max(admitted, quacked);
        out.quacked(quacked);
        return true;
    }
}
