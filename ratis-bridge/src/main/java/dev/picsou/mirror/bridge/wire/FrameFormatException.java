package dev.picsou.mirror.bridge.wire;

/**
 * The bytes handed to {@link FrameCodec#decode} are not one well-formed frame of a version this build speaks.
 *
 * <p>Meaning: the peer is broken, hostile, or speaks another protocol, or the stream lost its framing. It is never
 * a protocol refusal (those are {@code FencedFrame}s) and never a transient condition: retrying the same bytes
 * fails the same way. A stream that produced one should be closed, since its framing can no longer be trusted.
 *
 * <p>The message always names the problem together with the expected and the actual value, for example
 * {@code "bad magic: expected 0x50435355, was 0x12345678"}.
 */
public final class FrameFormatException extends Exception {

    public FrameFormatException(String message) {
        super(message);
    }

    public FrameFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
