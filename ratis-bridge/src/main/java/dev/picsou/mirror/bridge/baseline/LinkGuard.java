package dev.picsou.mirror.bridge.baseline;

import dev.picsou.mirror.bridge.model.AckFrame;
import dev.picsou.mirror.bridge.model.DataFrame;
import dev.picsou.mirror.bridge.model.FencedFrame;
import dev.picsou.mirror.bridge.model.ForkPoint;
import dev.picsou.mirror.bridge.model.Frame;
import dev.picsou.mirror.bridge.model.Mac;
import dev.picsou.mirror.bridge.picsou.ActionSink;
import dev.picsou.mirror.bridge.picsou.PicsouParams;
import dev.picsou.mirror.bridge.wire.FrameAuthenticator;
import java.util.Objects;

/**
 * Admission control for one endpoint of a baseline link: checks every incoming frame against the link (sender and
 * receiver index ranges, link id, direction, epoch, authenticator) and reports each frame it drops with
 * {@link ActionSink#refused}. Also signs outgoing frames.
 *
 * <p>Not thread-safe: owned by the engine that created it.
 */
final class LinkGuard {
    private final PicsouParams params;
    private final int self;
    private final boolean sendingSite;
    private final int peers;
    private final FrameAuthenticator authenticator;
    private boolean fenced;

    private LinkGuard(PicsouParams params, int self, boolean sendingSite) {
        this.params = Objects.requireNonNull(params, "params");
        this.self = Objects.checkIndex(self, sendingSite ? params.senders() : params.receivers());
        this.sendingSite = sendingSite;
        this.peers = sendingSite ? params.receivers() : params.senders();
        this.authenticator = params.authenticated()
                ? FrameAuthenticator.fromSecret(params.linkSecret())
                : FrameAuthenticator.none();
    }

    /** A guard for replica {@code index} of the sending site. */
    static LinkGuard atSender(PicsouParams params, int index) {
        return new LinkGuard(params, index, true);
    }

    /** A guard for replica {@code index} of the receiving site. */
    static LinkGuard atReceiver(PicsouParams params, int index) {
        return new LinkGuard(params, index, false);
    }

    /**
     * Receiver side: the data frame to process, or null when {@code frame} was refused, or was of an older epoch and
     * got a FENCED reply naming this link's epoch and fork point.
     */
    DataFrame acceptData(Frame frame, ActionSink out) {
        if (!admit(frame, out)) {
            return null;
        }
        DataFrame data = (DataFrame) frame;
        if (data.epoch() < params.epoch()) {
            ForkPoint fork = new ForkPoint(params.epoch(), params.forkSeq());
            out.send(data.from(), sign(new FencedFrame(params.linkId(), params.epoch(), self, data.from(), fork,
                    Mac.NONE)));
            return null;
        }
        if (data.epoch() > params.epoch()) {
            out.refused(data.from(), "data frame of epoch " + data.epoch() + " is newer than the link's epoch "
                    + params.epoch());
            return null;
        }
        return data;
    }

    /**
     * Sender side: the ack to process, or null. A FENCED reply from a newer epoch is reported with
     * {@link ActionSink#fenced} and latches {@link #fenced()}; any other unacceptable frame is refused.
     */
    AckFrame acceptAck(Frame frame, ActionSink out) {
        if (!admit(frame, out)) {
            return null;
        }
        if (frame instanceof FencedFrame fence) {
            onFence(fence, out);
            return null;
        }
        AckFrame ack = (AckFrame) frame;
        if (ack.epoch() != params.epoch()) {
            out.refused(ack.from(), "ack of epoch " + ack.epoch() + ", the link runs epoch " + params.epoch());
            return null;
        }
        return ack;
    }

    /** Whether a newer epoch fenced this sender; it must stop sending. */
    boolean fenced() {
        return fenced;
    }

    /** {@code frame} with an authenticator when the link is authenticated, else unchanged. */
    <F extends Frame> F sign(F frame) {
        return authenticator.sign(frame);
    }

    private void onFence(FencedFrame fence, ActionSink out) {
        if (fence.epoch() <= params.epoch()) {
            out.refused(fence.from(), "FENCED names epoch " + fence.epoch() + ", not newer than the link's epoch "
                    + params.epoch());
            return;
        }
        fenced = true;
        out.fenced(fence);
    }

    private boolean admit(Frame frame, ActionSink out) {
        String problem = problemWith(frame);
        if (problem != null) {
            out.refused(frame.from(), problem);
            return false;
        }
        return true;
    }

    private String problemWith(Frame frame) {
        if (frame.from() < 0 || frame.from() >= peers) {
            return "sender index " + frame.from() + " outside [0, " + peers + ")";
        }
        if (frame.to() != self) {
            return "addressed to replica " + frame.to() + ", this is replica " + self;
        }
        if (frame.linkId() != params.linkId()) {
            return "link id " + frame.linkId() + ", expected " + params.linkId();
        }
        if (frame.fromSendingSite() == sendingSite) {
            return frame.getClass().getSimpleName() + " must not arrive at the "
                    + (sendingSite ? "sending" : "receiving") + " site";
        }
        if (!authenticator.verify(frame)) {
            return "authenticator does not verify";
        }
        return null;
    }
}
