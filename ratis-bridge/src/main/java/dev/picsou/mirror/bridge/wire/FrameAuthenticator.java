package dev.picsou.mirror.bridge.wire;

import dev.picsou.mirror.bridge.model.Frame;
import dev.picsou.mirror.bridge.model.Mac;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import javax.crypto.spec.SecretKeySpec;

/**
 * Per-pair frame authentication for links whose sites tolerate Byzantine replicas (PICSOU.md: acks are
 * authenticated with per-pair MACs when {@code r > 0}).
 *
 * <p>Keys: the pair of sending-site replica {@code i} and receiving-site replica {@code j} uses
 * {@code HMAC-SHA256(linkSecret, "picsou-pair:" + i + ":" + j)} (ASCII), derived the first time the pair is used and
 * cached. For a frame, {@code (i, j)} is {@code (from, to)} when it travels from the sending site ({@code DataFrame})
 * and {@code (to, from)} otherwise, so both directions between two replicas share one key. The tag is the first 16
 * bytes of {@code HMAC-SHA256(pairKey, FrameCodec.macInput(frame))}; the input covers the frame type, link, epoch
 * and both replica indices, so a frame re-addressed to another replica, moved to another link, or turned from an
 * ack into anything else, does not verify.
 *
 * <p>{@link #none()} is for links whose sites are both crash-fault tolerant (integrity then comes from mTLS and the
 * CRC): it signs nothing and {@link #verify} accepts every frame, signed or not.
 *
 * <p>Threading: an instance is <em>not</em> thread-safe (it caches keys in a plain map and reuses its HMAC engines
 * and scratch buffers); confine each instance to the one thread that owns the core, or give each thread its own.
 */
public final class FrameAuthenticator {
    private static final String HMAC = "HmacSHA256";
    private static final int HMAC_BYTES = 32;
    private static final int TAG_BYTES = 16;
    /** Minimum length of a link secret: 128 bits. */
    public static final int MIN_SECRET_BYTES = 16;
    /** Scratch space kept between calls; larger frames get a one-off buffer. */
    private static final int RETAINED_SCRATCH_BYTES = 64 << 10;

    private final byte[] linkSecret;
    private final Map<Long, javax.crypto.Mac> pairMacs = new HashMap<>();
    private final byte[] digest = new byte[HMAC_BYTES];
    private final byte[] expected = new byte[TAG_BYTES];
    private final byte[] actual = new byte[TAG_BYTES];
    private ByteBuffer scratch = ByteBuffer.allocate(0);

    private FrameAuthenticator(byte[] linkSecret) {
        this.linkSecret = linkSecret;
    }

    /** The authenticator of a CFT link: {@link #sign} strips any MAC, {@link #verify} accepts everything. */
    public static FrameAuthenticator none() {
        return new FrameAuthenticator(null);
    }

    /**
     * An authenticator keyed by the link's shared secret. The array is copied.
     *
     * @throws IllegalArgumentException if the secret is shorter than {@value #MIN_SECRET_BYTES} bytes
     */
    public static FrameAuthenticator fromSecret(byte[] linkSecret) {
        Objects.requireNonNull(linkSecret, "linkSecret");
        if (linkSecret.length < MIN_SECRET_BYTES) {
            throw new IllegalArgumentException("link secret must be at least " + MIN_SECRET_BYTES
                    + " bytes, was " + linkSecret.length);
        }
        return new FrameAuthenticator(linkSecret.clone());
    }

    /** Whether this authenticator signs frames (false for {@link #none()}). */
    public boolean enabled() {
        return linkSecret != null;
    }

    /**
     * The same frame carrying its tag; for {@link #none()} the frame with {@link Mac#NONE}.
     *
     * @throws IllegalArgumentException if the frame does not fit the wire layout (see {@link FrameCodec})
     */
    @SuppressWarnings("unchecked") // every Frame record's withMac returns its own record type
    public <F extends Frame> F sign(F frame) {
        if (!enabled()) {
            return frame.mac().present() ? (F) frame.withMac(Mac.NONE) : frame;
        }
        computeTag(frame);
        ByteBuffer tag = ByteBuffer.wrap(digest, 0, TAG_BYTES);
        return (F) frame.withMac(Mac.of(tag.getLong(), tag.getLong()));
    }

    /**
     * Whether {@code frame} carries the tag its pair key gives it, compared in constant time; false when the frame
     * carries no MAC or does not fit the wire layout. Always true for {@link #none()}.
     */
    public boolean verify(Frame frame) {
        if (!enabled()) {
            return true;
        }
        Mac mac = frame.mac();
        if (!mac.present()) {
            return false;
        }
        try {
            computeTag(frame);
        } catch (IllegalArgumentException e) {
            return false;
        }
        System.arraycopy(digest, 0, expected, 0, TAG_BYTES);
        ByteBuffer.wrap(actual).putLong(mac.hi()).putLong(mac.lo());
        return MessageDigest.isEqual(expected, actual);
    }

    /** Leaves the full HMAC of the frame's MAC input in {@link #digest}. */
    private void computeTag(Frame frame) {
        int size = FrameCodec.macInputSize(frame);
        ByteBuffer input = scratchFor(size);
        FrameCodec.writeMacInput(frame, input);
        input.flip();
        boolean sending = frame.fromSendingSite();
        javax.crypto.Mac hmac = pairMac(sending ? frame.from() : frame.to(), sending ? frame.to() : frame.from());
        hmac.update(input);
        try {
            hmac.doFinal(digest, 0);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC output buffer rejected", e);
        }
    }

    private ByteBuffer scratchFor(int size) {
        if (size > RETAINED_SCRATCH_BYTES) {
            return ByteBuffer.allocate(size);
        }
        if (scratch.capacity() < size) {
            scratch = ByteBuffer.allocate(Math.min(RETAINED_SCRATCH_BYTES, Math.max(size, 2 * scratch.capacity())));
        }
        scratch.clear().order(ByteOrder.BIG_ENDIAN);
        return scratch;
    }

    private javax.crypto.Mac pairMac(int sendingReplica, int receivingReplica) {
        long pair = ((long) sendingReplica << 32) | (receivingReplica & 0xffffffffL);
        javax.crypto.Mac cached = pairMacs.get(pair);
        if (cached != null) {
            return cached;
        }
        byte[] label = ("picsou-pair:" + sendingReplica + ":" + receivingReplica).getBytes(StandardCharsets.US_ASCII);
        byte[] pairKey = hmac(linkSecret).doFinal(label);
        javax.crypto.Mac mac = hmac(pairKey);
        Arrays.fill(pairKey, (byte) 0);
        pairMacs.put(pair, mac);
        return mac;
    }

    private static javax.crypto.Mac hmac(byte[] key) {
        try {
            javax.crypto.Mac mac = javax.crypto.Mac.getInstance(HMAC);
            mac.init(new SecretKeySpec(key, HMAC));
            return mac;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(HMAC + " is not available in this JVM", e);
        }
    }
}
