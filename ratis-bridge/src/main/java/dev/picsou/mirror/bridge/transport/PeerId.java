package dev.picsou.mirror.bridge.transport;

import java.util.Objects;

/**
 * One replica of one site, as the transport addresses it.
 *
 * @param siteId  the site's identifier, 1..255 bytes of UTF-8 (the limit of the connection preamble)
 * @param replica the replica's index within its site, 0..32767 (the range {@code Frame.from()} and
 *                {@code Frame.to()} can carry)
 */
public record PeerId(String siteId, int replica) {
    /** Largest replica index a frame can carry. */
    public static final int MAX_REPLICA = Short.MAX_VALUE;
    /** Largest site identifier, in UTF-8 bytes. */
    public static final int MAX_SITE_ID_BYTES = 255;

    public PeerId {
        Objects.requireNonNull(siteId, "siteId");
        int bytes = siteId.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
        if (bytes == 0 || bytes > MAX_SITE_ID_BYTES) {
            throw new IllegalArgumentException("siteId must be 1.." + MAX_SITE_ID_BYTES + " UTF-8 bytes, was "
                    + bytes + " ('" + siteId + "')");
        }
        if (replica < 0 || replica > MAX_REPLICA) {
            throw new IllegalArgumentException("replica must be in [0, " + MAX_REPLICA + "], was " + replica);
        }
    }

    @Override
    public String toString() {
        return siteId + "/" + replica;
    }
}
