package dev.picsou.mirror.bridge.picsou;

/**
 * The stake thresholds of PICSOU.md, in one place. With equal stakes they count replicas.
 *
 * <ul>
 *   <li>{@link #quackStake()}: {@code u_r + 1} — acks of this much receiver stake for {@code durable >= p} make a
 *       QUACK for {@code p}; at least one of them is correct.</li>
 *   <li>{@link #lossStake()}: {@code r_r + 1} — this much receiver stake reporting a hole makes it a loss; Byzantine
 *       receivers alone cannot force resends.</li>
 *   <li>{@link #heldStake()}: {@code r_r + 1} — this much receiver stake reporting an entry held means a correct
 *       replica holds it, so a timeout need not resend it.</li>
 *   <li>{@link #claimStake()}: {@code r_s + 1} — this much sender stake claiming a QUACK lets a receiver skip past
 *       entries it lacks (garbage-collection stall fix).</li>
 * </ul>
 */
public record Quorums(long quackStake, long lossStake, long heldStake, long claimStake) {

    public static Quorums of(PicsouParams params) {
        return new Quorums(params.receiverU() + 1L, params.receiverR() + 1L, params.receiverR() + 1L,
                params.senderR() + 1L);
    }
}
