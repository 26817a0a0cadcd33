package dev.picsou.mirror.bridge.model;

import java.util.List;
import java.util.Objects;

/**
 * A batch of entries from one sending replica to one receiving replica.
 *
 * @param quackedSeq the sender's highest QUACKed sequence number; receivers use it to get past the
 *                   garbage-collection stall (PICSOU.md) once {@code r_s + 1} stake of senders claim it
 * @param entries    the entries, in any order, possibly empty (a frame that only carries the QUACK claim)
 */
public record DataFrame(int linkId, long epoch, int from, int to, long quackedSeq, List<SentEntry> entries, Mac mac)
        implements Frame {

    public DataFrame {
        Objects.requireNonNull(mac, "mac");
        entries = List.copyOf(entries);
        if (quackedSeq < 0) {
            throw new IllegalArgumentException("quackedSeq must be >= 0, was " + quackedSeq);
        }
    }

    @Override
    public DataFrame withMac(Mac newMac) {
        return new DataFrame(linkId, epoch, from, to, quackedSeq, entries, newMac);
    }

    /** Sum of the payload sizes of the entries. */
    public long payloadBytes() {
        long sum = 0;
        for (SentEntry e : entries) {
            sum += e.entry().payloadLength();
        }
        return sum;
    }
}
