package dev.picsou.mirror.bridge.model;

import java.util.Objects;

/**
 * A receiving replica's cumulative acknowledgement.
 *
 * <p>Invariant (of a correct replica): {@code durable <= received}.
 *
 * @param received highest {@code p} such that the replica holds every entry {@code <= p}, received directly or
 *                 committed on its site; for loss detection only
 * @param durable  highest {@code p} such that every entry {@code <= p} is applied and persisted on the receiving
 *                 site; what QUACKs count
 * @param phi      which entries after {@code received + 1} the replica already holds
 */
public record AckFrame(int linkId, long epoch, int from, int to, long received, long durable, PhiList phi, Mac mac)
        implements Frame {

    public AckFrame {
        Objects.requireNonNull(phi, "phi");
        Objects.requireNonNull(mac, "mac");
        if (received < 0 || durable < 0) {
            throw new IllegalArgumentException("ack prefixes must be >= 0, were received=" + received
                    + " durable=" + durable);
        }
    }

    @Override
    public AckFrame withMac(Mac newMac) {
        return new AckFrame(linkId, epoch, from, to, received, durable, phi, newMac);
    }

    /** Whether this ack says the replica holds {@code seq}. Unknown (beyond the φ-list) counts as not held. */
    public boolean holds(long seq) {
        if (seq <= received) {
            return true;
        }
        return phi.holds(seq - received - 2);
    }

    /** The highest sequence number this ack says the replica holds. */
    public long highestHeld() {
        int last = phi.lastSetBit();
        return last < 0 ? received : received + 2 + last;
    }
}
