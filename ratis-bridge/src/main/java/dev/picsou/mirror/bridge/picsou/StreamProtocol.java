package dev.picsou.mirror.bridge.picsou;

import java.util.function.LongPredicate;

/**
 * A cross-site streaming protocol: Picsou itself or a baseline measured against it. Creates the endpoints of one
 * link; all endpoints of a link share the same {@link PicsouParams}.
 */
public interface StreamProtocol {

    /** Short lower-case name used on the command line: {@code picsou}, {@code ata}, {@code ll}, ... */
    String name();

    /**
     * Whether the protocol guarantees C3B (eventual delivery and integrity) under crashes within {@code u}, loss,
     * reordering and healing partitions. One-shot does not; it is an upper bound of the network stack.
     */
    boolean claimsC3B();

    /**
     * A sender endpoint for replica {@code index} of the sending site that restarts after a crash (or starts fresh
     * with {@code recoveredQuackedSeq = 0}): every entry {@code <= recoveredQuackedSeq} was QUACKed before.
     */
    StreamSender newSender(int index, PicsouParams params, long recoveredQuackedSeq);

    /** A receiver endpoint for replica {@code index} of the receiving site. */
    StreamReceiver newReceiver(int index, PicsouParams params);

    /**
     * Which committed entries sender {@code index} must hear of at once: those it sends itself in the fault-free
     * schedule. Its driver is woken for these; the others wait in its inbox until it next wakes (for its own next
     * entry, a frame or a deadline), which changes when the engine learns of them, never what it decides. Default:
     * every entry (a protocol whose sender is not a function of {@code seq}, such as a leader's).
     */
    default LongPredicate sendsPromptly(int index, PicsouParams params) {
        return seq -> true;
    }
}
