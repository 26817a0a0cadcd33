package dev.picsou.mirror.bridge.model;

import java.util.Objects;

/**
 * Refusal of a frame from an older epoch. {@link #epoch()} is the refusing replica's (newer) epoch, and
 * {@code forkPoint} says where the new primary took over, so the fenced site knows which of its entries were lost.
 */
public record FencedFrame(int linkId, long epoch, int from, int to, ForkPoint forkPoint, Mac mac) implements Frame {

    public FencedFrame {
        Objects.requireNonNull(forkPoint, "forkPoint");
        Objects.requireNonNull(mac, "mac");
    }

    @Override
    public FencedFrame withMac(Mac newMac) {
        return new FencedFrame(linkId, epoch, from, to, forkPoint, newMac);
    }
}
