package dev.picsou.mirror.bridge.hook;

import java.nio.ByteBuffer;

import org.apache.ratis.protocol.Message;
import org.apache.ratis.thirdparty.com.google.protobuf.ByteString;

/**
 * A control entry of a site's own Raft log, handled by the hook rather than the user's state machine. Today one
 * operation: {@link Op#SEAL}, which closes the current epoch's stream at one point of the log so that every replica of
 * the site stops at the same {@code seq} — the primary stops numbering client entries (it is fenced), the mirror stops
 * applying primary entries (it can be promoted at that watermark). Sealing is idempotent: a second seal answers the
 * first one's {@code seq}.
 *
 * <pre>
 * offset size field
 *      0    4 magic    0x50434354 ("PCCT")
 *      4    1 version  1
 *      5    1 op       1 = SEAL
 *      6    8 epoch    the epoch the sender believes is current (informational, logged on mismatch)
 * </pre>
 * The reply of every control entry is the 8-byte big-endian sealed {@code seq}. A user payload that happens to start
 * with these 6 bytes would be taken for a control entry; the reference KV application's payloads start with 0x01.
 */
public record ControlCommand(Op op, long epoch) {
    public static final int MAGIC = 0x50434354;
    public static final byte VERSION = 1;
    static final int BYTES = 14;

    /** Control operations. */
    public enum Op {
        /** Close this epoch's stream at the current seq. */
        SEAL(1);

        private final int code;

        Op(int code) {
            this.code = code;
        }
    }

    /** A seal of {@code epoch}. */
    public static ControlCommand seal(long epoch) {
        return new ControlCommand(Op.SEAL, epoch);
    }

    public byte[] encode() {
        return ByteBuffer.allocate(BYTES).putInt(MAGIC).put(VERSION).put((byte) op.code).putLong(epoch).array();
    }

    public Message toMessage() {
        return Message.valueOf(ByteString.copyFrom(encode()));
    }

    /** Whether {@code data} is a control entry (magic and version match). */
    public static boolean isControl(ByteString data) {
        return data.size() == BYTES && data.byteAt(4) == VERSION
                && ((data.byteAt(0) & 0xff) << 24 | (data.byteAt(1) & 0xff) << 16 | (data.byteAt(2) & 0xff) << 8
                | (data.byteAt(3) & 0xff)) == MAGIC;
    }

    /**
     * Decodes a control entry.
     *
     * @throws IllegalArgumentException naming what is wrong
     */
    public static ControlCommand decode(ByteString data) {
        if (!isControl(data)) {
            throw new IllegalArgumentException("not a control entry (" + data.size() + " bytes)");
        }
        ByteBuffer b = data.asReadOnlyByteBuffer();
        b.position(5);
        int code = b.get();
        for (Op op : Op.values()) {
            if (op.code == code) {
                return new ControlCommand(op, b.getLong());
            }
        }
        throw new IllegalArgumentException("unknown control op " + code + ", expected 1 (SEAL)");
    }

    /** The reply of a control entry: the sealed seq. */
    static Message sealedReply(long sealedSeq) {
        return Message.valueOf(ByteString.copyFrom(ByteBuffer.allocate(Long.BYTES).putLong(sealedSeq).flip()));
    }

    /** Reads a control reply. */
    public static long sealedSeqOf(Message reply) {
        ByteString content = reply.getContent();
        if (content.size() != Long.BYTES) {
            throw new IllegalArgumentException("a control reply is 8 bytes, was " + content.size());
        }
        return content.asReadOnlyByteBuffer().getLong();
    }
}
