package dev.picsou.mirror.bridge.transport;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * The connection preamble: the first bytes a client writes on every outbound connection (inside TLS when TLS is
 * on), naming the replica that opened it, so the server knows whom every later frame on it comes from.
 *
 * <pre>
 * offset size field
 *      0    4 magic    0x50435348 ("PCSH"), distinct from the frame magic "PCSU"
 *      4    1 version  1
 *      5    2 replica  sender's replica index, 0..32767, big-endian
 *      7    1 n        length of the site identifier in bytes, 1..255
 *      8    n siteId   UTF-8
 * </pre>
 * Example: {@code PeerId("east", 2)} is {@code 50435348 01 0002 04 65617374} (12 bytes).
 */
final class Hello {
    static final int MAGIC = 0x50435348;
    static final byte VERSION = 1;
    /** Bytes before the site identifier. */
    static final int FIXED_BYTES = 8;

    private Hello() {
    }

    /** The preamble announcing {@code self}, in a new buffer of {@code alloc}. */
    static ByteBuf encode(PeerId self, ByteBufAllocator alloc) {
        byte[] site = self.siteId().getBytes(StandardCharsets.UTF_8);
        ByteBuf buf = alloc.buffer(FIXED_BYTES + site.length);
        buf.writeInt(MAGIC).writeByte(VERSION).writeShort(self.replica()).writeByte(site.length).writeBytes(site);
        return buf;
    }

    /** The preamble as bytes (for tests and raw clients). */
    static byte[] toBytes(PeerId self) {
        ByteBuf buf = encode(self, io.netty.buffer.UnpooledByteBufAllocator.DEFAULT);
        try {
            byte[] out = new byte[buf.readableBytes()];
            buf.readBytes(out);
            return out;
        } finally {
            buf.release();
        }
    }

    /**
     * Decodes a preamble from {@code in} if it is complete, advancing the reader index past it; returns null and
     * leaves {@code in} untouched while bytes are missing.
     *
     * @throws IllegalArgumentException naming the first field that is wrong, as soon as it is readable
     */
    static PeerId tryDecode(ByteBuf in) {
        int start = in.readerIndex();
        int readable = in.readableBytes();
        if (readable >= 4 && in.getInt(start) != MAGIC) {
            throw new IllegalArgumentException(String.format("bad preamble magic: expected 0x%08x, was 0x%08x",
                    MAGIC, in.getInt(start)));
        }
        if (readable < FIXED_BYTES) {
            return null;
        }
        int version = in.getUnsignedByte(start + 4);
        if (version != VERSION) {
            throw new IllegalArgumentException("unsupported preamble version " + version + " (this build speaks "
                    + VERSION + ")");
        }
        int replica = in.getShort(start + 5);
        if (replica < 0) {
            throw new IllegalArgumentException("preamble replica out of range: expected 0.." + PeerId.MAX_REPLICA
                    + ", was " + replica);
        }
        int n = in.getUnsignedByte(start + 7);
        if (n == 0) {
            throw new IllegalArgumentException("preamble site identifier is empty: expected 1..255 bytes");
        }
        if (readable < FIXED_BYTES + n) {
            return null;
        }
        String site;
        try {
            site = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(in.nioBuffer(start + FIXED_BYTES, n)).toString();
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException("preamble site identifier is not valid UTF-8 (" + n + " bytes)", e);
        }
        in.skipBytes(FIXED_BYTES + n);
        return new PeerId(site, replica);
    }
}
