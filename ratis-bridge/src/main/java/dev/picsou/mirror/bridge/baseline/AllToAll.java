package dev.picsou.mirror.bridge.baseline;

import dev.picsou.mirror.bridge.picsou.PicsouParams;
import dev.picsou.mirror.bridge.picsou.StreamProtocol;
import dev.picsou.mirror.bridge.picsou.StreamReceiver;
import dev.picsou.mirror.bridge.picsou.StreamSender;

/**
 * All-to-all (ATA), a baseline: every sending replica sends every entry to every receiving replica
 * ({@code n_s * n_r} copies per entry), batched per receiver and within the window. Every receiving replica acks every
 * sending replica; each sender QUACKs on {@code receiverU + 1} stake of durable acks and resends to a receiver
 * whatever that receiver has not acknowledged holding within the retransmission timeout. Claims C3B.
 *
 * <p>Stateless and thread-safe; the endpoints it creates are single-threaded.
 */
public final class AllToAll implements StreamProtocol {
    /** The one instance. */
    public static final AllToAll INSTANCE = new AllToAll();

    private AllToAll() {
    }

    @Override
    public String name() {
        return "ata";
    }

    @Override
    public boolean claimsC3B() {
        return true;
    }

    @Override
    public StreamSender newSender(int index, PicsouParams params, long recoveredQuackedSeq) {
        return new AllToAllSender(index, params, recoveredQuackedSeq);
    }

    @Override
    public StreamReceiver newReceiver(int index, PicsouParams params) {
        return new CumulativeReceiver(index, params, CumulativeReceiver.AckTargets.ALL_SENDERS);
    }

    @Override
    public String toString() {
        return name();
    }
}
