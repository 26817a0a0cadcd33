package dev.picsou.mirror.bridge.model;

/**
 * A 128-bit frame authenticator (HMAC-SHA256 truncated to its first 16 bytes, big-endian halves), or
 * {@link #NONE} on links whose sites are both crash-fault tolerant.
 *
 * @param present whether the frame carries an authenticator at all
 * @param hi      first 8 bytes of the tag
 * @param lo      next 8 bytes of the tag
 */
public record Mac(boolean present, long hi, long lo) {
    /** No authenticator: the link runs in CFT mode. */
    public static final Mac NONE = new Mac(false, 0, 0);

    public static Mac of(long hi, long lo) {
        return new Mac(true, hi, lo);
    }
}
