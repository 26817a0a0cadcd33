package dev.picsou.mirror.bridge.picsou;

import dev.picsou.mirror.bridge.model.FencedFrame;
import dev.picsou.mirror.bridge.model.Frame;
import dev.picsou.mirror.bridge.wire.FrameAuthenticator;

/**
 * Why a frame that reached a sending replica must be refused, or null: it must belong to this link, come from a
 * receiver of it to this sender, verify under the pair's authenticator, and carry this link's epoch (a FENCED frame
 * a newer one). Immutable.
 */
final class SenderFrameCheck {
    private final PicsouParams params;
    private final int self;
    private final FrameAuthenticator authenticator;

    SenderFrameCheck(PicsouParams params, int self, FrameAuthenticator authenticator) {
        this.params = params;
        this.self = self;
        this.authenticator = authenticator;
    }

    String problem(Frame frame) {
        if (frame.linkId() != params.linkId()) {
            return "frame for link " + frame.linkId() + ", this is link " + params.linkId();
        }
        if (frame.fromSendingSite()) {
            return "data frame sent to a sending replica";
        }
        if (frame.from() < 0 || frame.from() >= params.receivers() || frame.to() != self) {
            return "frame from receiver " + frame.from() + " to sender " + frame.to() + " does not fit this link ("
                    + params.receivers() + " receivers, this is sender " + self + ")";
        }
        if (!authenticator.verify(frame)) {
            return "authenticator does not verify for pair (" + self + ", " + frame.from() + ")";
        }
        if (frame instanceof FencedFrame) {
            return frame.epoch() > params.epoch() ? null
                    : "FENCED at epoch " + frame.epoch() + " is not newer than ours (" + params.epoch() + ")";
        }
        if (frame.epoch() != params.epoch()) {
            return "ack of epoch " + frame.epoch() + ", link runs epoch " + params.epoch();
        }
        return null;
    }
}
