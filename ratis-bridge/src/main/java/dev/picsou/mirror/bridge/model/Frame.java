package dev.picsou.mirror.bridge.model;

/**
 * A message of the Picsou channel. Every frame names its link, the epoch of the link as its sender sees it, and
 * the replica indices of its sender ({@link #from()}) and receiver ({@link #to()}) within their own sites.
 *
 * <p>Each frame type travels one way only, which fixes how {@code from} and {@code to} map to the two sites:
 * {@link DataFrame} from the sending (primary) site to the receiving (mirror) site; {@link AckFrame} and
 * {@link FencedFrame} from the receiving site back to the sending site.
 */
public sealed interface Frame permits DataFrame, AckFrame, FencedFrame {

    int linkId();

    long epoch();

    /** Index of the replica that sent this frame, within its own site. */
    int from();

    /** Index of the replica this frame is addressed to, within its own site. */
    int to();

    /** The authenticator, or {@link Mac#NONE}. */
    Mac mac();

    /** The same frame with another authenticator. */
    Frame withMac(Mac mac);

    /** True when this frame travels from the sending site to the receiving site. */
    default boolean fromSendingSite() {
        return this instanceof DataFrame;
    }
}
