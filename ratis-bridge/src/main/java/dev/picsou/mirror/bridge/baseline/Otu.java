package dev.picsou.mirror.bridge.baseline;

import dev.picsou.mirror.bridge.picsou.PicsouParams;
import dev.picsou.mirror.bridge.picsou.StreamProtocol;
import dev.picsou.mirror.bridge.picsou.StreamReceiver;
import dev.picsou.mirror.bridge.picsou.StreamSender;
import java.util.Arrays;

/**
 * OTU (GeoBFT-style), a baseline: the sending site's leader sends each batch to {@code receiverU + 1} receiving
 * replicas (with unequal stakes: to receivers holding at least {@code receiverU + 1} stake), the start rotating from
 * batch to batch. Every receiving replica acks the sending leader. An entry not QUACKed within the retransmission
 * timeout is resent with the next batch, hence to the next {@code receiverU + 1} receivers, so crashed receivers are
 * skipped eventually. A new sending leader resends everything un-QUACKed. Claims C3B.
 *
 * <p>Stateless and thread-safe; the endpoints it creates are single-threaded.
 */
public final class Otu implements StreamProtocol {
    /** The one instance. */
    public static final Otu INSTANCE = new Otu();

    private Otu() {
    }

    @Override
    public String name() {
        return "otu";
    }

    @Override
    public boolean claimsC3B() {
        return true;
    }

    @Override
    public StreamSender newSender(int index, PicsouParams params, long recoveredQuackedSeq) {
        return new LeaderSender(index, params, recoveredQuackedSeq, new Rotation(params));
    }

    @Override
    public StreamReceiver newReceiver(int index, PicsouParams params) {
        return new CumulativeReceiver(index, params, CumulativeReceiver.AckTargets.SENDER_LEADER);
    }

    @Override
    public String toString() {
        return name();
    }

    /**
     * Picks, from where the previous batch stopped, the next writable receivers until they hold
     * {@code receiverU + 1} stake; holds the batch when the writable receivers do not hold that much.
     */
    static final class Rotation implements LeaderSender.Targets {
        private final PicsouParams params;
        private int start;

        Rotation(PicsouParams params) {
            this.params = params;
        }

        @Override
        public int[] next(int receiverLeader, boolean[] writable) {
            int n = params.receivers();
            int[] chosen = new int[n];
            int count = 0;
            long stake = 0;
            for (int k = 0; k < n && stake < params.receiverU() + 1L; k++) {
                int j = (start + k) % n;
                if (writable[j]) {
                    chosen[count++] = j;
                    stake += params.receiverStake(j);
                }
            }
            if (stake < params.receiverU() + 1L) {
                return new int[0];
            }
            start = (chosen[count - 1] + 1) % n;
            return Arrays.copyOf(chosen, count);
        }
    }
}
