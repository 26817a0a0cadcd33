package dev.picsou.mirror.bridge.baseline;

import dev.picsou.mirror.bridge.picsou.PicsouParams;
import dev.picsou.mirror.bridge.picsou.SendSchedule;
import dev.picsou.mirror.bridge.picsou.StreamProtocol;
import dev.picsou.mirror.bridge.picsou.StreamReceiver;
import dev.picsou.mirror.bridge.picsou.StreamSender;

import java.util.function.LongPredicate;

/**
 * One-shot (OST), a baseline and the upper bound of the network stack: entry {@code seq} crosses exactly once, from
 * sending replica {@code s = seq mod n_s} to receiving replica {@code (s + seq / n_s) mod n_r} (Picsou's failure-free
 * schedule), batched per receiver. No window, no acks, no resends.
 *
 * <p>Measurement: receivers send no acks, so OST pays no reverse traffic and its senders never report
 * {@code quacked}; measure OST at the receiving site (deliveries and the durable prefix), not by QUACKs. Does not
 * claim C3B: a lost frame or a crashed receiver loses entries for good.
 *
 * <p>Stateless and thread-safe; the endpoints it creates are single-threaded.
 */
public final class OneShot implements StreamProtocol {
    /** The one instance. */
    public static final OneShot INSTANCE = new OneShot();

    private OneShot() {
    }

    @Override
    public String name() {
        return "ost";
    }

    @Override
    public boolean claimsC3B() {
        return false;
    }

    @Override
    public StreamSender newSender(int index, PicsouParams params, long recoveredQuackedSeq) {
        return new OneShotSender(index, params, recoveredQuackedSeq);
    }

    @Override
    public StreamReceiver newReceiver(int index, PicsouParams params) {
        return new CumulativeReceiver(index, params, CumulativeReceiver.AckTargets.NONE);
    }

    /** The entries of this replica's share, as Picsou's fault-free schedule. */
    @Override
    public LongPredicate sendsPromptly(int index, PicsouParams params) {
        return new SendSchedule(params).firstSentBy(index);
    }

    @Override
    public String toString() {
        return name();
    }
}
