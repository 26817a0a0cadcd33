package dev.picsou.mirror.bridge.transport;

import dev.picsou.mirror.bridge.model.Frame;
import dev.picsou.mirror.bridge.wire.FrameCodec;
import java.util.Objects;

/** Checks shared by every {@link Transport} implementation. */
final class Transports {
    private Transports() {
    }

    /**
     * Checks the {@link Transport#send} preconditions and returns the frame's encoded size.
     *
     * @throws IllegalArgumentException naming the mismatch
     */
    static int checkSend(PeerId self, PeerId peer, Frame frame, int maxFrameBytes) {
        Objects.requireNonNull(peer, "peer");
        Objects.requireNonNull(frame, "frame");
        if (frame.from() != self.replica()) {
            throw new IllegalArgumentException("frame.from() must be the sender's replica " + self.replica()
                    + ", was " + frame.from() + " (" + frame.getClass().getSimpleName() + " to " + peer + ")");
        }
        if (frame.to() != peer.replica()) {
            throw new IllegalArgumentException("frame.to() must be the peer's replica " + peer.replica()
                    + ", was " + frame.to() + " (" + frame.getClass().getSimpleName() + " to " + peer + ")");
        }
        if (peer.equals(self)) {
            throw new IllegalArgumentException("cannot send to self " + self);
        }
        int size = FrameCodec.encodedSize(frame);
        if (size > maxFrameBytes) {
            throw new IllegalArgumentException("frame of " + size + " bytes to " + peer + " exceeds the maximum "
                    + maxFrameBytes);
        }
        return size;
    }
}
