package dev.picsou.mirror.bridge.baseline;

import dev.picsou.mirror.bridge.picsou.PicsouParams;
import dev.picsou.mirror.bridge.picsou.StreamProtocol;
import dev.picsou.mirror.bridge.picsou.StreamReceiver;
import dev.picsou.mirror.bridge.picsou.StreamSender;

/**
 * Leader-to-leader (LL), a baseline: only the sending site's leader sends, one copy of everything, to the receiving
 * site's leader (both as {@code params} name them initially and {@code onLeaderChanged} updates them). An entry not
 * QUACKed within the retransmission timeout is resent to the current receiving leader. Every receiving replica acks
 * the sending leader, since a QUACK needs {@code receiverU + 1} stake of durable acks. A new sending leader resends
 * everything above its own QUACKed prefix. Does not claim C3B: a crashed leader on either side stalls the stream
 * until leadership moves.
 *
 * <p>Stateless and thread-safe; the endpoints it creates are single-threaded.
 */
public final class LeaderToLeader implements StreamProtocol {
    /** The one instance. */
    public static final LeaderToLeader INSTANCE = new LeaderToLeader();

    private static final LeaderSender.Targets RECEIVER_LEADER =
            (receiverLeader, writable) -> writable[receiverLeader] ? new int[] {receiverLeader} : new int[0];

    private LeaderToLeader() {
    }

    @Override
    public String name() {
        return "ll";
    }

    @Override
    public boolean claimsC3B() {
        return false;
    }

    @Override
    public StreamSender newSender(int index, PicsouParams params, long recoveredQuackedSeq) {
        return new LeaderSender(index, params, recoveredQuackedSeq, RECEIVER_LEADER);
    }

    @Override
    public StreamReceiver newReceiver(int index, PicsouParams params) {
        return new CumulativeReceiver(index, params, CumulativeReceiver.AckTargets.SENDER_LEADER);
    }

    @Override
    public String toString() {
        return name();
    }
}
